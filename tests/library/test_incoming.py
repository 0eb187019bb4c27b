"""query_incoming_sms: ids, flags, ports, read counts, paging and id resets."""

from __future__ import annotations

from datetime import datetime

import pytest

from dinstar_simulator import Simulator, SimulatorConfig
from pydinstar import DinstarClient, IncomingSms, IncomingSmsFlag, IncomingSmsPage

from .conftest import RecordedGateway, api_calls, load_fixture

SENDER = "+4915112345678"


def deliver_three(simulator: Simulator) -> None:
    """Let three SMS arrive, on ports 0, 1 and 0."""
    simulator.deliver_sms(0, SENDER, "first", timestamp=datetime(2026, 5, 1, 8, 0, 0))
    simulator.deliver_sms(1, "6717", "Привет\nвторое", smsc="+491770610000")
    simulator.deliver_sms(0, SENDER, "third 😀")


async def test_read_everything(simulator: Simulator, client: DinstarClient) -> None:
    """By default every message after id 0 is read with flag=all, which changes nothing."""
    deliver_three(simulator)
    page = await client.query_incoming_sms()
    assert api_calls(simulator, "query_incoming_sms")[-1].query_string == (
        "incoming_sms_id=0&flag=all"
    )
    assert [sms.id for sms in page.messages] == [1, 2, 3]
    assert page.messages[0] == IncomingSms(
        id=1,
        port=0,
        number=SENDER,
        smsc="+8613800757511",
        timestamp=datetime(2026, 5, 1, 8, 0, 0),
        text="first",
    )
    assert page.messages[1].text == "Привет\nвторое"
    assert page.messages[1].smsc == "+491770610000"
    assert page.messages[2].text == "third 😀"
    assert (page.read, page.unread) == (0, 3)
    again = await client.query_incoming_sms()
    assert (again.read, again.unread) == (0, 3)


async def test_after_id_and_ports(simulator: Simulator, client: DinstarClient) -> None:
    """Only ids greater than after_id, on the ports asked for."""
    deliver_three(simulator)
    assert [s.id for s in (await client.query_incoming_sms(after_id=1)).messages] == [
        2,
        3,
    ]
    page = await client.query_incoming_sms(ports=[0])
    assert api_calls(simulator, "query_incoming_sms")[-1].query_string == (
        "incoming_sms_id=0&flag=all&port=0"
    )
    assert [s.id for s in page.messages] == [1, 3]
    assert (await client.query_incoming_sms(after_id=3)).messages == ()


async def test_unread_flag_marks_read(
    simulator: Simulator, client: DinstarClient
) -> None:
    """flag=unread returns the unread messages and marks them read on the gateway."""
    deliver_three(simulator)
    page = await client.query_incoming_sms(flag=IncomingSmsFlag.UNREAD, ports=[1])
    assert [s.id for s in page.messages] == [2]
    assert (page.read, page.unread) == (1, 2)
    read = await client.query_incoming_sms(flag=IncomingSmsFlag.READ)
    assert [s.id for s in read.messages] == [2]
    unread = await client.query_incoming_sms(flag=IncomingSmsFlag.UNREAD)
    assert [s.id for s in unread.messages] == [1, 3]
    assert (unread.read, unread.unread) == (3, 0)


@pytest.mark.parametrize(
    "sim_config", [SimulatorConfig(clock_speed=1000.0, max_incoming_rows=2)]
)
async def test_pages(simulator: Simulator, client: DinstarClient) -> None:
    """The gateway returns a limited page; reading on from the last id gets the rest."""
    deliver_three(simulator)
    first = await client.query_incoming_sms()
    assert [s.id for s in first.messages] == [1, 2]
    rest = await client.query_incoming_sms(after_id=first.messages[-1].id)
    assert [s.id for s in rest.messages] == [3]


async def test_ids_restart_after_reset(
    simulator: Simulator, client: DinstarClient
) -> None:
    """After a factory reset ids start at 1 again; the client reports what it gets."""
    deliver_three(simulator)
    await simulator.reboot(reset_ids=True)
    simulator.deliver_sms(2, SENDER, "after reset")
    assert (await client.query_incoming_sms(after_id=3)).messages == ()
    page = await client.query_incoming_sms()
    assert [(s.id, s.text) for s in page.messages] == [(1, "after reset")]


async def test_trailing_commas(simulator: Simulator, client: DinstarClient) -> None:
    """The vendor document's `},]` after the last message parses."""
    simulator.quirks.trailing_commas = True
    deliver_three(simulator)
    page = await client.query_incoming_sms()
    assert len(page.messages) == 3


async def test_recorded_vendor_example(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """The vendor document's reply, trailing comma included."""
    recorded_gateway.reply(
        "query_incoming_sms", load_fixture("query_incoming_sms_2014.json")
    )
    page = await recorded_client.query_incoming_sms()
    assert page == IncomingSmsPage(
        messages=(
            IncomingSms(
                id=1,
                port=2,
                number="123456789",
                smsc="+8613800123456",
                timestamp=datetime(2014, 12, 9, 17, 11, 18),
                text="This is a test",
            ),
        ),
        read=1,
        unread=0,
    )


async def test_messages_come_sorted(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """Rows out of order come back oldest first; missing counts are None."""
    recorded_gateway.reply(
        "query_incoming_sms",
        {
            "error_code": 200,
            "sms": [
                {"incoming_sms_id": 9, "port": 0, "text": "b"},
                {"incoming_sms_id": "8", "port": 0, "text": "a"},
            ],
        },
    )
    page = await recorded_client.query_incoming_sms()
    assert [(s.id, s.text, s.number, s.smsc) for s in page.messages] == [
        (8, "a", "", None),
        (9, "b", "", None),
    ]
    assert (page.read, page.unread) == (None, None)
