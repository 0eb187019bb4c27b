"""parse_push on what the simulated gateway really pushes over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from pydinstar import (
    DinstarClient,
    PortException,
    Push,
    RegistrationChange,
    SmsStatus,
    parse_push,
)

from .conftest import PASSWORD, SERIAL, USERNAME


@pytest.fixture
async def pushes() -> AsyncIterator[tuple[str, list[bytes]]]:
    """Run a push receiver on 127.0.0.1; yield its URL and the bodies it got."""
    received: list[bytes] = []

    async def receive(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.Response(text="OK")

    app = web.Application()
    app.router.add_post("/push/{token}", receive)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/push/unguessable-token")), received
    finally:
        await server.close()


@pytest.fixture
async def pushing_simulator(
    pushes: tuple[str, list[bytes]],
) -> AsyncIterator[Simulator]:
    """Run a simulator that pushes every event kind to the receiver."""
    url, _ = pushes
    async with Simulator(
        SimulatorConfig(clock_speed=1000.0, push_url=url, serial=SERIAL)
    ) as sim:
        yield sim


async def test_every_pushed_event_parses(
    pushing_simulator: Simulator, pushes: tuple[str, list[bytes]]
) -> None:
    """Incoming SMS, results, reports, USSD, registration and device events."""
    simulator = pushing_simulator
    _, received = pushes
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD
    ) as client:
        simulator.deliver_sms(3, "+4915112345678", "Hallo 👋")
        await client.send_sms("Hi", ["10086"], ports=[1])
        simulator.script_ussd(2, "*100#", "Balance: 1.00", delay=1)
        await client.send_ussd([2], "*100#")
        await simulator.wait_idle()
    simulator.set_profile(0, SimProfile.NO_SIM)
    await simulator.reboot()
    await simulator.wait_idle()

    parsed = [parse_push(body) for body in received]
    assert {push.serial for push in parsed} == {"da00-0030-1901-2817"}
    incoming = [sms for push in parsed for sms in push.sms]
    assert [(s.id, s.port, s.text) for s in incoming] == [(1, 3, "Hallo 👋")]
    results = [r for push in parsed for r in push.sms_results]
    assert [r.status for r in results] == [SmsStatus.SENT_OK, SmsStatus.DELIVERED]
    assert {(r.port, r.number) for r in results} == {(1, "10086")}
    reports = [r for push in parsed for r in push.delivery_reports]
    assert [(r.number, r.status_code) for r in reports] == [("10086", 0)]
    ussd = [u for push in parsed for u in push.ussd_replies]
    assert [(u.port, u.text) for u in ussd] == [(2, "Balance: 1.00")]
    registrations = [r for push in parsed for r in push.registrations]
    # The device sends "<NULL>" for the identities of a missing SIM.
    assert any(b'"imsi":"<NULL>"' in body for body in received)
    assert registrations == [
        RegistrationChange(
            port=0, status="down", number=None, imsi=None, iccid=None, slot=0
        )
    ]
    devices = [push.device for push in parsed if push.device is not None]
    assert [(d.status, d.port_count) for d in devices] == [
        ("power_off", 4),
        ("power_on", 4),
    ]


async def test_raw_push_without_serial(
    pushing_simulator: Simulator, pushes: tuple[str, list[bytes]]
) -> None:
    """A body pushed as is, from firmware without sn, with trailing commas."""
    _, received = pushes
    status = await pushing_simulator.push(
        '{"exception_info":{"port":0,"type":"call_fail","action":"reset",},}'
    )
    assert status == 200
    assert parse_push(received[-1]) == Push(
        serial=None,
        port_exception=PortException(port=0, type="call_fail", action="reset"),
    )
