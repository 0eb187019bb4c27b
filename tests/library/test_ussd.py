"""send_ussd and query_ussd_reply: statuses per port, polling, cancel, the "result:" key."""

from __future__ import annotations

import asyncio
import json

import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from pydinstar import DinstarClient, UssdReply, UssdSendResult, UssdStatus

from .conftest import RecordedGateway, api_calls, load_fixture


async def wait_for_reply(client: DinstarClient, port: int) -> str:
    """Poll query_ussd_reply (bounded) until the port has a reply."""
    for _ in range(200):
        (reply,) = await client.query_ussd_reply([port])
        if reply.text is not None:
            return reply.text
        await asyncio.sleep(0.01)
    raise AssertionError(f"no USSD reply on port {port}")


@pytest.mark.parametrize("colon", [True, False])
async def test_balance(
    simulator: Simulator, client: DinstarClient, colon: bool
) -> None:
    """A USSD code is sent, and its reply read by polling; "result:" or "result"."""
    simulator.quirks.ussd_result_colon = colon
    simulator.script_ussd(1, "*100#", "Balance: 12.50 EUR\nValid 2027-01-31", delay=5)
    results = await client.send_ussd([1], "*100#")
    assert results == [UssdSendResult(port=1, status=UssdStatus.SENT)]
    assert results[0].sent
    assert await wait_for_reply(client, 1) == "Balance: 12.50 EUR\nValid 2027-01-31"
    assert api_calls(simulator, "query_ussd_reply")[-1].query_string == "port=1"


async def test_no_reply_yet(simulator: Simulator, client: DinstarClient) -> None:
    """Before the network answers, the reply text is None."""
    simulator.script_ussd(0, "*101#", None)
    await client.send_ussd([0], "*101#")
    assert await client.query_ussd_reply([0, 1]) == [
        UssdReply(port=0, text=None),
        UssdReply(port=1, text=None),
    ]
    assert api_calls(simulator, "query_ussd_reply")[-1].query_string == "port=0%2C1"


@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(clock_speed=1.0, profiles={2: SimProfile.NO_SIM})],
)
async def test_statuses_per_port(simulator: Simulator, client: DinstarClient) -> None:
    """200 sent, 486 busy (sending SMS or a USSD exchange open), 503 not registered."""
    simulator.script_ussd(None, "*100#", None)
    await client.send_sms("Hi", ["+4915112345678"], ports=[0])
    results = await client.send_ussd([0, 1, 2], "*100#")
    assert results == [
        UssdSendResult(port=0, status=UssdStatus.BUSY),
        UssdSendResult(port=1, status=UssdStatus.SENT),
        UssdSendResult(port=2, status=UssdStatus.UNAVAILABLE),
    ]
    assert [r.sent for r in results] == [False, True, False]
    # Port 1 waits for an answer that never comes: busy until cancelled.
    assert (await client.send_ussd([1], "*100#"))[0].status == UssdStatus.BUSY
    assert await client.send_ussd([1], "", cancel=True) == [
        UssdSendResult(port=1, status=UssdStatus.SENT)
    ]
    assert (await client.send_ussd([1], "*100#"))[0].sent


async def test_menu(simulator: Simulator, client: DinstarClient) -> None:
    """A menu choice is another send_ussd on the same port."""
    await client.send_ussd([0], "*123#")
    assert (await wait_for_reply(client, 0)).startswith("Main menu\n1. Balance")
    await client.send_ussd([0], "2")
    own_number = simulator.ports[0].sim.number
    assert await wait_for_reply(client, 0) == f"Your number is {own_number}."


async def test_cancel_sends_the_command(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """Cancel sends command "cancel" (text may be empty); send sends "send"."""
    recorded_gateway.reply("send_ussd", load_fixture("send_ussd_colon.json"))
    assert await recorded_client.send_ussd([2], "", cancel=True) == [
        UssdSendResult(port=2, status=200)
    ]
    assert await recorded_client.send_ussd([2, 3], "*100#") == [
        UssdSendResult(port=2, status=200)
    ]
    bodies = [json.loads(body) for body in recorded_gateway.bodies]
    assert bodies == [
        {"text": "", "port": [2], "command": "cancel"},
        {"text": "*100#", "port": [2, 3], "command": "send"},
    ]


async def test_recorded_vendor_replies(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """The vendor document's replies: " " and "" mean no reply yet."""
    recorded_gateway.reply(
        "query_ussd_reply", load_fixture("query_ussd_reply_2014.json")
    )
    assert await recorded_client.query_ussd_reply([1, 2, 3]) == [
        UssdReply(port=1, text=None),
        UssdReply(port=2, text="Test.."),
        UssdReply(port=3, text=None),
    ]
    assert recorded_gateway.seen[-1] == "/api/query_ussd_reply?port=1%2C2%2C3"
