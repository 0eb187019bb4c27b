"""USSD: the exchanges, and send_ussd and query_ussd_reply against the gateway.

Which reply answers which request and what a status means; statuses per port,
polling, cancel, the "result:" key.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from pydinstar import (
    DinstarClient,
    DinstarError,
    DinstarUssdBusyError,
    DinstarUssdError,
    DinstarUssdUnavailableError,
    UssdAnswer,
    UssdExchanges,
    UssdReply,
    UssdSendResult,
    UssdStatus,
    check_ussd_sent,
    row_for_port,
)

from .conftest import RecordedGateway, api_calls, load_fixture


async def wait_for_reply(client: DinstarClient, port: int) -> str:
    """Poll query_ussd_reply until the port has a reply (a hang fails after 30 s)."""
    async with asyncio.timeout(30):
        while True:
            (reply,) = await client.query_ussd_reply([port])
            if reply.text is not None:
                return reply.text
            await asyncio.sleep(0.01)


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


def test_row_for_port() -> None:
    """The row about the port; the only row when old firmware numbers it otherwise."""
    rows = [UssdReply(port=0, text="a"), UssdReply(port=5, text="b")]
    assert row_for_port(5, rows) == rows[1]
    assert row_for_port(6, rows) is None
    assert row_for_port(6, rows[:1]) == rows[0]
    assert row_for_port(6, []) is None


def test_sent() -> None:
    """The row saying the port sent is returned, also old firmware's for another port."""
    sent = UssdSendResult(port=0, status=UssdStatus.SENT)
    assert check_ussd_sent(0, [UssdSendResult(port=1, status=486), sent]) == sent
    assert check_ussd_sent(5, [sent]) == sent


@pytest.mark.parametrize(
    ("results", "error", "status"),
    [
        ([UssdSendResult(port=2, status=486)], DinstarUssdBusyError, 486),
        ([UssdSendResult(port=2, status=503)], DinstarUssdUnavailableError, 503),
        ([UssdSendResult(port=2, status=500)], DinstarUssdError, 500),
        ([], DinstarUssdError, 0),
        (
            [UssdSendResult(port=0, status=200), UssdSendResult(port=1, status=200)],
            DinstarUssdError,
            0,
        ),
    ],
)
def test_not_sent(
    results: list[UssdSendResult], error: type[DinstarUssdError], status: int
) -> None:
    """Each refusal is its error, naming the port asked; no row about it is status 0."""
    with pytest.raises(error) as err:
        check_ussd_sent(2, results)
    assert type(err.value) is error
    assert isinstance(err.value, DinstarError)
    assert (err.value.port, err.value.status) == (2, status)


def test_one_exchange_per_port() -> None:
    """A port waits for one reply at a time; other ports are free."""
    exchanges = UssdExchanges()
    exchanges.begin(1, "*100#")
    exchanges.begin(2, "*135#")
    with pytest.raises(DinstarUssdBusyError):
        exchanges.begin(1, "*101#")
    assert exchanges.waiting(1) == "*100#"
    exchanges.end(1)
    exchanges.end(1)
    assert exchanges.waiting(1) is None
    exchanges.begin(1, "*101#")
    assert exchanges.waiting(1) == "*101#"


def test_refused_send_ends_the_exchange() -> None:
    """A port the gateway did not send on waits for nothing."""
    exchanges = UssdExchanges()
    exchanges.begin(1, "*100#")
    assert exchanges.sent(1, [UssdSendResult(port=1, status=200)]).sent
    assert exchanges.waiting(1) == "*100#"
    with pytest.raises(DinstarUssdBusyError):
        exchanges.sent(1, [UssdSendResult(port=1, status=486)])
    assert exchanges.waiting(1) is None


def test_read_reply() -> None:
    """A read reply ends the exchange once the network answered, not before."""
    exchanges = UssdExchanges()
    assert exchanges.read(1, [UssdReply(port=1, text="Stale")]) is None
    exchanges.begin(1, "*100#")
    assert exchanges.read(1, [UssdReply(port=1, text=None)]) is None
    assert (
        exchanges.read(1, [UssdReply(port=0, text="a"), UssdReply(port=2, text="b")])
        is None
    )
    assert exchanges.waiting(1) == "*100#"
    assert exchanges.read(1, [UssdReply(port=1, text="Balance")]) == UssdAnswer(
        port=1, text="Balance", row_port=1
    )
    assert exchanges.waiting(1) is None
    assert exchanges.read(1, [UssdReply(port=1, text="Balance")]) is None


def test_read_reply_of_old_firmware() -> None:
    """Old firmware's only row names the port by its place: still the answer."""
    exchanges = UssdExchanges()
    exchanges.begin(5, "*100#")
    assert exchanges.read(5, [UssdReply(port=0, text="Balance")]) == UssdAnswer(
        port=5, text="Balance", row_port=0
    )


def test_pushed_replies() -> None:
    """A push ends the exchanges of its ports; late, empty or repeated replies are dropped."""
    exchanges = UssdExchanges()
    exchanges.begin(0, "*100#")
    exchanges.begin(1, "*135#")
    answers = exchanges.pushed(
        [
            UssdReply(port=0, text=None),
            UssdReply(port=3, text="Late"),
            UssdReply(port=1, text="Number"),
            UssdReply(port=1, text="Again"),
        ]
    )
    assert answers == [UssdAnswer(port=1, text="Number", row_port=1)]
    assert exchanges.waiting(1) is None
    assert exchanges.waiting(0) == "*100#"
    assert exchanges.pushed([UssdReply(port=0, text="Balance")]) == [
        UssdAnswer(port=0, text="Balance", row_port=0)
    ]
    assert exchanges.pushed([UssdReply(port=0, text="Balance")]) == []
