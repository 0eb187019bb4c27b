"""Authentication against the simulated gateway: Digest, Basic, the comma quirk, 401 and the ban."""

from __future__ import annotations

from aiohttp import ClientSession
import pytest
from yarl import URL

from dinstar_simulator import Simulator, SimulatorConfig
from pydinstar import (
    DinstarAuthenticationError,
    DinstarClient,
    DinstarLockedOutError,
    PortInfoType,
    auth_middleware,
)

from .conftest import PASSWORD, USERNAME


def statuses(simulator: Simulator) -> list[tuple[int, bool]]:
    """Return (HTTP status, authenticated) of every request the simulator saw."""
    return [(r.status, r.authenticated) for r in simulator.requests]


async def test_digest_challenge_once_then_preemptive(
    simulator: Simulator, client: DinstarClient
) -> None:
    """One 401 challenge, then every call is a single authenticated request."""
    for _ in range(3):
        assert await client.query_sms_in_queue() == 0
    await client.send_sms("Hi", ["+4915112345678"])
    assert statuses(simulator) == [(401, False)] + [(200, True)] * 4


async def test_digest_first_request_is_a_post(
    simulator: Simulator, client: DinstarClient
) -> None:
    """A POST with a body is challenged like a GET (only an empty one is dropped)."""
    await client.send_sms("Hi", ["+4915112345678"])
    assert [(r.method, r.status) for r in simulator.requests] == [
        ("POST", 401),
        ("POST", 200),
    ]


async def test_new_challenge_after_reboot(
    simulator: Simulator, client: DinstarClient
) -> None:
    """A reboot forgets the nonce; the next call takes one new challenge."""
    await client.query_sms_in_queue()
    await simulator.reboot()
    await client.query_sms_in_queue()
    await client.query_sms_in_queue()
    assert [r.status for r in simulator.requests] == [401, 200, 401, 200, 200]


@pytest.mark.parametrize(
    "sim_config", [SimulatorConfig(clock_speed=1000.0, accept_basic=True)]
)
async def test_basic_auth_on_old_firmware(simulator: Simulator) -> None:
    """Old firmware takes Basic: every request is authenticated at once."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD, basic_auth=True
    ) as client:
        await client.query_sms_in_queue()
        await client.send_sms("Hi", ["+4915112345678"])
    assert statuses(simulator) == [(200, True), (200, True)]


async def test_basic_auth_refused_by_current_firmware(simulator: Simulator) -> None:
    """Current firmware answers Basic with 401, and the client stops there."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD, basic_auth=True
    ) as client:
        with pytest.raises(DinstarAuthenticationError):
            await client.query_sms_in_queue()
    assert statuses(simulator) == [(401, False)]


async def test_commas_are_percent_encoded(
    simulator: Simulator, client: DinstarClient
) -> None:
    """Lists go out as %2C lists, which firmware 04240302 accepts and raw commas fail."""
    gateway = await client.get_port_info(
        [PortInfoType.IMEI, PortInfoType.REG], ports=[0, 2, 3]
    )
    assert [port.port for port in gateway.ports] == [0, 2, 3]
    assert simulator.requests[-1].query_string == "info_type=imei%2Creg&port=0%2C2%2C3"
    assert simulator.requests[-1].status == 200

    raw = URL(
        f"{simulator.url}/api/get_port_info?info_type=imei,reg&port=0,2,3", encoded=True
    )
    async with ClientSession(
        middlewares=(auth_middleware(USERNAME, PASSWORD),)
    ) as session:
        async with session.get(raw) as response:
            assert response.status == 401
        # The same request passes once the firmware bug is switched off.
        simulator.quirks.raw_comma_breaks_digest = False
        async with session.get(raw) as response:
            assert response.status == 200


async def test_wrong_password_raises_after_one_challenge(simulator: Simulator) -> None:
    """A refused login raises at once: the challenge and one answer, no loop."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password="wrong"
    ) as client:
        with pytest.raises(DinstarAuthenticationError):
            await client.get_port_info()
        assert statuses(simulator) == [(401, False), (401, False)]
        with pytest.raises(DinstarAuthenticationError):
            await client.query_sms_in_queue()
    assert len(simulator.requests) <= 4
    assert not any(r.authenticated for r in simulator.requests)


@pytest.mark.parametrize(
    "sim_config",
    # A ban that outlasts the test (60 device seconds are 60 ms at this clock speed).
    [SimulatorConfig(clock_speed=1000.0, lockout_after=1, lockout_seconds=1e9)],
)
async def test_lockout_raises_locked_out(simulator: Simulator) -> None:
    """After failed logins the gateway answers 403 'forbid to try again', even to good credentials."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password="wrong"
    ) as client:
        with pytest.raises(DinstarAuthenticationError):
            await client.query_sms_in_queue()
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD
    ) as client:
        with pytest.raises(DinstarLockedOutError):
            await client.query_sms_in_queue()
    assert [r.status for r in simulator.requests] == [401, 401, 403]


@pytest.mark.parametrize(
    "sim_config",
    # A ban that outlasts the test (60 device seconds are 60 ms at this clock speed).
    [SimulatorConfig(clock_speed=1000.0, lockout_after=1, lockout_seconds=1e9)],
)
async def test_refused_client_sends_nothing_more(simulator: Simulator) -> None:
    """Refused credentials or a ban stop the client: another attempt would extend the ban."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password="wrong"
    ) as client:
        with pytest.raises(DinstarAuthenticationError):
            await client.query_sms_in_queue()
        with pytest.raises(DinstarAuthenticationError, match="not sent"):
            await client.get_port_info()
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD
    ) as client:
        with pytest.raises(DinstarLockedOutError):
            await client.query_sms_in_queue()
        with pytest.raises(DinstarLockedOutError, match="not sent"):
            await client.query_sms_in_queue()
    assert [r.status for r in simulator.requests] == [401, 401, 403]
