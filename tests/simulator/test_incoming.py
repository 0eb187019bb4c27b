"""query_incoming_sms: ids, flags and the read side effect, the port filter, paging, reboots."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dinstar_simulator import Simulator, SimulatorConfig

from .gateway_client import GatewayClient

SERIAL = "da00-0030-1901-2817"


def _ids(reply: dict[str, object]) -> list[int]:
    rows = reply["sms"]
    assert isinstance(rows, list)
    return [row["incoming_sms_id"] for row in rows]


async def test_unread_marks_read(client: GatewayClient, simulator: Simulator) -> None:
    """The default flag returns unread SMS oldest first and marks them read; counts follow."""
    stamp = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    assert simulator.deliver_sms(2, "123456789", "This is a test", timestamp=stamp) == 1
    assert (
        simulator.deliver_sms(1, "+4917600000000", "Zweite Nachricht", smsc="+491") == 2
    )

    first = await client.get("query_incoming_sms")
    assert first["sms"][0] == {
        "incoming_sms_id": 1,
        "port": 2,
        "number": "123456789",
        "smsc": "+8613800757511",
        "timestamp": "2026-05-04 03:02:01",
        "text": "This is a test",
    }
    assert _ids(first) == [1, 2]
    assert (first["read"], first["unread"]) == (2, 0)
    assert [(sms.id, sms.read) for sms in simulator.inbox] == [(1, True), (2, True)]

    again = await client.get("query_incoming_sms", "flag=unread")
    assert (_ids(again), again["read"], again["unread"]) == ([], 2, 0)
    assert _ids(await client.get("query_incoming_sms", "flag=read")) == [1, 2]


async def test_flag_all_and_id_cursor(
    client: GatewayClient, simulator: Simulator
) -> None:
    """flag=all reads without side effect; incoming_sms_id returns only greater ids."""
    for n in range(3):
        simulator.deliver_sms(n, "1", f"m{n}")

    everything = await client.get("query_incoming_sms", "flag=all")
    assert (_ids(everything), everything["read"], everything["unread"]) == (
        [1, 2, 3],
        0,
        3,
    )
    assert _ids(
        await client.get("query_incoming_sms", "incoming_sms_id=1&flag=all")
    ) == [2, 3]
    assert (
        _ids(await client.get("query_incoming_sms", "incoming_sms_id=3&flag=all")) == []
    )
    assert _ids(await client.get("query_incoming_sms", "flag=read")) == []

    # Reading unread from a cursor marks only what it returned.
    partial = await client.get("query_incoming_sms", "incoming_sms_id=2")
    assert (_ids(partial), partial["read"], partial["unread"]) == ([3], 1, 2)


async def test_port_filter(client: GatewayClient, simulator: Simulator) -> None:
    """Port takes one port or a comma list (raw or %2C)."""
    for port in (0, 1, 1, 3):
        simulator.deliver_sms(port, "1", "x")

    assert _ids(await client.get("query_incoming_sms", "flag=all&port=1")) == [2, 3]
    assert _ids(await client.get("query_incoming_sms", "flag=all&port=0%2C3")) == [1, 4]
    assert _ids(await client.get("query_incoming_sms", "port=0,3&flag=all")) == [1, 4]


@pytest.mark.parametrize(
    "simulator_config", [SimulatorConfig(clock_speed=1000.0, max_incoming_rows=2)]
)
async def test_paging(client: GatewayClient, simulator: Simulator) -> None:
    """At most max_incoming_rows rows per reply, oldest first; the next page starts after the last id."""
    for n in range(5):
        simulator.deliver_sms(0, "1", str(n))

    pages: list[list[int]] = []
    cursor = 0
    while page := _ids(
        await client.get("query_incoming_sms", f"incoming_sms_id={cursor}")
    ):
        pages.append(page)
        cursor = page[-1]
    assert pages == [[1, 2], [3, 4], [5]]


@pytest.mark.parametrize(
    "query",
    [
        "flag=new",
        "incoming_sms_id=-1",
        "incoming_sms_id=abc",
        "incoming_sms_id=%C2%B2",
        "port=x",
        "port=",
        "port=1%2C%2C2",
        "port=32",
    ],
)
async def test_bad_queries(client: GatewayClient, query: str) -> None:
    """Malformed parameters are error_code 400."""
    assert await client.get("query_incoming_sms", query) == {
        "error_code": 400,
        "sn": SERIAL,
    }


async def test_vendor_example_with_trailing_commas(
    client: GatewayClient, simulator: Simulator
) -> None:
    """The vendor document's `},]` appears when the trailing-comma quirk is on."""
    simulator.deliver_sms(
        2,
        "123456789",
        "This is a test",
        smsc="+8613800123456",
        timestamp=datetime(2014, 12, 9, 17, 11, 18, tzinfo=UTC),
    )
    simulator.quirks.trailing_commas = True
    reply = await client.request("GET", "/api/query_incoming_sms?flag=all")
    assert reply.text == (
        f'{{"error_code":200,"sn":"{SERIAL}","sms":[{{"incoming_sms_id":1,"port":2,'
        '"number":"123456789","smsc":"+8613800123456","timestamp":"2014-12-09 17:11:18",'
        '"text":"This is a test"},],"read":0,"unread":1}'
    )
    # An empty list has nothing to trail.
    empty = await client.request("GET", "/api/query_incoming_sms?incoming_sms_id=1")
    assert '"sms":[]' in empty.text


async def test_unknown_port(simulator: Simulator) -> None:
    """Only the gateway's own ports receive SMS."""
    with pytest.raises(ValueError, match="ports 0-3"):
        simulator.deliver_sms(4, "1", "x")


async def test_naive_timestamp_is_device_local(
    client: GatewayClient, simulator: Simulator
) -> None:
    """A naive timestamp is taken as device local time, unchanged."""
    simulator.deliver_sms(0, "1", "x", timestamp=datetime(2026, 1, 2, 3, 4, 5))  # noqa: DTZ001
    assert simulator.inbox[0].timestamp == "2026-01-02 03:04:05"


@pytest.mark.parametrize(("reset_ids", "next_id"), [(False, 3), (True, 1)])
async def test_reboot(
    client: GatewayClient, simulator: Simulator, reset_ids: bool, next_id: int
) -> None:
    """A reboot keeps the inbox and its ids; with reset_ids the inbox empties and ids restart at 1."""
    simulator.deliver_sms(0, "1", "a")
    simulator.deliver_sms(0, "1", "b")
    await simulator.reboot(reset_ids=reset_ids)

    assert simulator.deliver_sms(0, "1", "c") == next_id
    expected = [next_id] if reset_ids else [1, 2, 3]
    assert _ids(await client.get("query_incoming_sms", "flag=all")) == expected
