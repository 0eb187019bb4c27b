"""Injected faults: latency, HTTP 500, broken JSON, dropped connections, offline, forced error codes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
import json

from aiohttp import (
    ClientConnectorError,
    ClientSession,
    DigestAuthMiddleware,
    ServerDisconnectedError,
)
import pytest

from dinstar_simulator import Simulator, SimulatorConfig

from .gateway_client import GatewayClient

SERIAL = "da00-0030-1901-2817"


async def test_latency_is_real_time(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Latency delays every reply by real seconds, whatever the clock speed."""
    await client.get("query_sms_in_queue")
    simulator.faults.latency = 0.2
    loop = asyncio.get_running_loop()
    started = loop.time()
    await client.get("query_sms_in_queue")
    assert loop.time() - started >= 0.2


async def test_http_500(client: GatewayClient, simulator: Simulator) -> None:
    """http_500 answers authenticated requests with HTTP 500 and does nothing."""
    await client.get("query_sms_in_queue")
    simulator.faults.http_500 = True
    reply = await client.request(
        "POST", "/api/send_sms", body=b'{"text":"x","param":[{"number":"1"}]}'
    )
    assert reply.status == 500
    assert simulator.sent == []


async def test_malformed_body(client: GatewayClient, simulator: Simulator) -> None:
    """malformed_body cuts the JSON short; what is there is the start of the real reply."""
    whole = (await client.request("GET", "/api/query_sms_in_queue")).text
    simulator.faults.malformed_body = True
    cut = (await client.request("GET", "/api/query_sms_in_queue")).text

    assert whole.startswith(cut) and len(cut) < len(whole)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut)


async def test_drop_connection(client: GatewayClient, simulator: Simulator) -> None:
    """drop_connection closes every API connection unanswered; the log shows status 0."""
    simulator.faults.drop_connection = True
    with pytest.raises(ServerDisconnectedError):
        await client.request("GET", "/api/query_sms_in_queue")
    assert simulator.requests[-1].status == 0

    simulator.faults.drop_connection = False
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200


async def test_forced_error_codes(client: GatewayClient, simulator: Simulator) -> None:
    """error_codes answers an endpoint with the given code in an HTTP 200 body, without side effects."""
    simulator.faults.error_codes = {"send_sms": 500, "get_port_info": 550}
    reply = await client.post("send_sms", {"text": "x", "param": [{"number": "1"}]})
    assert reply == {"error_code": 500, "sn": SERIAL}
    assert simulator.sent == []
    assert (await client.get("get_port_info", "info_type=reg"))["error_code"] == 550
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200


async def test_api_disabled(client: GatewayClient, simulator: Simulator) -> None:
    """With the API switched off, authenticated requests get HTTP 404."""
    simulator.faults.api_disabled = True
    assert (await client.request("GET", "/api/query_sms_in_queue")).status == 404


async def test_offline_refuses_and_comes_back_on_the_same_port(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Offline closes the listening socket (and kept-alive connections); back online, same URL."""
    await client.get("query_sms_in_queue")
    url = simulator.url
    await simulator.set_offline(True)
    assert simulator.faults.offline

    # A request on the kept-alive connection is dropped (aiohttp retries only idempotent
    # methods on a fresh connection), a new connection is refused.
    with pytest.raises(ServerDisconnectedError):
        await client.request("POST", "/api/query_sms_result", body=b"{}")
    assert simulator.requests[-1].status == 0
    with pytest.raises(ClientConnectorError):
        await client.request("GET", "/api/query_sms_in_queue")

    await simulator.set_offline(False)
    assert simulator.url == url
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200


async def test_offline_property_works_without_awaiting(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Setting faults.offline acts at once; toggling quickly leaves the final state in force."""
    simulator.faults.offline = True
    with pytest.raises(ClientConnectorError):
        await client.request("GET", "/api/query_sms_in_queue")

    simulator.faults.offline = False
    simulator.faults.offline = True
    simulator.faults.offline = False
    # Bound and listening already: the connection waits in the backlog until served.
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200

    simulator.faults.offline = True
    simulator.faults.offline = False
    simulator.faults.offline = True
    await simulator.set_offline(True)
    with pytest.raises(ClientConnectorError):
        await client.request("GET", "/api/query_sms_in_queue")


async def test_offline_before_start(simulator_config: SimulatorConfig) -> None:
    """A simulator started offline has its URL but refuses connections until set online."""
    simulator = Simulator(simulator_config)
    simulator.faults.offline = True
    await simulator.start()
    try:
        middleware = DigestAuthMiddleware("admin", "admin")
        async with ClientSession(middlewares=(middleware,)) as session:
            client = GatewayClient(session, simulator.url)
            with pytest.raises(ClientConnectorError):
                await client.request("GET", "/api/query_sms_in_queue")
            await simulator.set_offline(False)
            assert (await client.get("query_sms_in_queue"))["error_code"] == 200
    finally:
        await simulator.stop()


async def test_offline_for(client: GatewayClient, simulator: Simulator) -> None:
    """offline_for comes back by itself after the given real seconds."""
    simulator.offline_for(0.5)
    with pytest.raises(ClientConnectorError):
        await client.request("GET", "/api/query_sms_in_queue")
    async with asyncio.timeout(5):
        while simulator.faults.offline:
            await asyncio.sleep(0.01)
    await simulator.set_offline(False)
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200


async def test_reboot_downtime(simulator_config: SimulatorConfig) -> None:
    """With reboot_seconds the API is unreachable while the device restarts."""
    config = replace(simulator_config, reboot_seconds=1000.0)
    async with (
        Simulator(config) as simulator,
        ClientSession(middlewares=(DigestAuthMiddleware("admin", "admin"),)) as session,
    ):
        client = GatewayClient(session, simulator.url)
        rebooting = asyncio.create_task(simulator.reboot())
        await asyncio.sleep(0.05)
        with pytest.raises(ClientConnectorError):
            await client.request("GET", "/api/query_sms_in_queue")
        await rebooting
        assert (await client.get("query_sms_in_queue"))["error_code"] == 200


@pytest.mark.parametrize(
    "content_type", ["text/html", "application/json", "application/json; charset=utf-8"]
)
async def test_content_type(
    client: GatewayClient, simulator: Simulator, content_type: str
) -> None:
    """API replies carry the configured Content-Type (text/html by default)."""
    simulator.quirks.content_type = content_type
    reply = await client.request("GET", "/api/query_sms_in_queue")
    assert reply.headers["Content-Type"] == content_type


@pytest.mark.parametrize(
    "simulator_config", [SimulatorConfig(clock_speed=1000.0, serial=None)]
)
async def test_old_firmware_has_no_serial(client: GatewayClient) -> None:
    """serial=None imitates 2017 firmware: no sn in replies."""
    reply = await client.request("GET", "/api/query_sms_in_queue")
    assert reply.text == '{"error_code":200,"in_queue":0}'


async def test_reply_bodies(client: GatewayClient, simulator: Simulator) -> None:
    """reply_bodies answers an endpoint with any body, after the endpoint did its work."""
    simulator.faults.reply_bodies = {"send_sms": "[" * 5000}
    reply = await client.request(
        "POST", "/api/send_sms", body=b'{"text":"x","param":[{"number":"1"}]}'
    )
    assert (reply.status, reply.text) == (200, "[" * 5000)
    assert len(simulator.sent) == 1
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200


async def test_endless_replies(simulator: Simulator, client: GatewayClient) -> None:
    """endless_replies answers with a body that never ends, until the client hangs up."""
    simulator.faults.endless_replies = {"query_sms_result"}
    async with client.session.post(
        f"{simulator.url}/api/query_sms_result", data=b"{}"
    ) as response:
        assert response.status == 200
        read = 0
        while read < 1024 * 1024:
            read += len(await response.content.read(64 * 1024))
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200


async def test_incoming_rows_faults(
    client: GatewayClient, simulator: Simulator
) -> None:
    """duplicate_rows lists every SMS twice; extra_incoming_rows adds rows as they are."""
    sms_id = simulator.deliver_sms(0, "+491", "hi")
    simulator.faults.duplicate_rows = True
    simulator.faults.extra_incoming_rows = [{"incoming_sms_id": 2**40}]
    rows = (await client.get("query_incoming_sms", "flag=all"))["sms"]
    assert [row["incoming_sms_id"] for row in rows] == [sms_id, sms_id, 2**40]


async def test_stalled_replies(client: GatewayClient, simulator: Simulator) -> None:
    """A stalled endpoint does its work and answers only once released."""
    simulator.stall_replies("send_sms")
    sending = asyncio.create_task(
        client.request(
            "POST", "/api/send_sms", body=b'{"text":"x","param":[{"number":"1"}]}'
        )
    )
    await simulator.wait_stalled()
    assert len(simulator.sent) == 1
    assert not sending.done()
    assert (await client.get("query_sms_in_queue"))["error_code"] == 200
    simulator.release_replies()
    assert (await sending).json()["error_code"] == 202


async def test_stalled_replies_end_with_the_simulator(
    simulator_config: SimulatorConfig,
) -> None:
    """Stopping the simulator releases what it holds."""
    async with (
        Simulator(simulator_config) as simulator,
        ClientSession(middlewares=(DigestAuthMiddleware("admin", "admin"),)) as session,
    ):
        client = GatewayClient(session, simulator.url)
        simulator.stall_replies("query_sms_in_queue")
        asking = asyncio.create_task(client.request("GET", "/api/query_sms_in_queue"))
        await simulator.wait_stalled()
        await simulator.stop()
        assert (await asking).status == 200
