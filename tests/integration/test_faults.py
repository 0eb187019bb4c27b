"""Faults the other test modules leave out: slow and broken replies, reboots, restarts, floods.

What the rest of the suite already covers of the same list (issue 6):
- offline at start-up: test_init.py::test_setup_retried_while_offline;
- unavailable and back, logged once: test_init.py::test_unavailable_and_recovery;
- SMS that arrived while reads failed: test_inbox.py::test_gateway_offline_then_back;
- 401 and 403 while running: test_init.py::test_auth_failure_while_running_starts_reauth,
  test_init.py::test_lockout_stops_polling_and_raises_issue;
- ids going backwards: test_inbox.py::test_ids_going_backwards and the test_webhook.py reset tests;
- a restart in the middle of an incoming burst: test_inbox.py::test_restart_in_the_middle_of_a_burst;
- refused pushes, one by one, and 1,000 genuine pushes: test_webhook.py::test_refused_pushes,
  test_webhook.py::test_thousand_messages_at_once.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncGenerator
from datetime import timedelta
from http import HTTPStatus
import itertools
import logging
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED, PUSH_POLL_INTERVAL
from custom_components.dinstar.outbox import EVENT_SMS_STATUS
from custom_components.dinstar.pydinstar import FIRST_POLL_DELAY, POLL_INTERVAL_SENDING
from custom_components.dinstar.webhook import MAX_PUSH_BYTES
from dinstar_simulator import Simulator, SimulatorConfig
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component

from .conftest import PASSWORD, SERIAL, USERNAME, earlier_home_assistant, entry_for
from .sending import NUMBER, async_advance, async_call, async_send, async_status
from .sms_delivery import advance, connect_push, message_ids, pushes_done, setup_entry

SENDER = "+4915112345678"
# Slower than the 10 s poll interval and the 15 s outbox rounds, within the 20 s timeout.
SLOW_REPLY = 15.0
# Slower than the 20 s request timeout.
HUNG_REPLY = 30.0


async def _tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 1.0
) -> None:
    """Let frozen time pass without waiting for requests the gateway holds back."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    # Let requests on their way over loopback reach the gateway within this second.
    for _ in range(10):
        await asyncio.sleep(0)


def _errors(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    """Return the messages of the errors logged that contain text."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR and text in record.getMessage()
    ]


def _no_crash(caplog: pytest.LogCaptureFixture) -> None:
    """Assert that Home Assistant logged no error with a traceback (an unexpected exception).

    aiohttp's own loggers are left out: the simulator's server logs one when a client
    hangs up on a slow reply, and the access log cannot format frozen time.
    """
    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
        and record.exc_info
        and not record.name.startswith("aiohttp.")
    ] == []


def _statuses(events: list[Event[dict[str, Any]]]) -> list[tuple[int, str]]:
    return [(event.data["tracking_id"], event.data["status"]) for event in events]


@pytest.fixture
async def real_time_gateway() -> AsyncGenerator[Simulator]:
    """Return a 4-port gateway whose device seconds are loop seconds (frozen with time)."""
    async with Simulator(
        SimulatorConfig(
            ports=4,
            username=USERNAME,
            password=PASSWORD,
            serial=SERIAL,
            clock_speed=1.0,
        )
    ) as simulator:
        yield simulator


async def test_slow_replies_never_pile_up(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Replies slower than every poll interval: each poller waits for its answer."""
    await setup_entry(hass, config_entry)
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    statuses = async_capture_events(hass, EVENT_SMS_STATUS)
    tracking_id = int((await async_send(hass))["messages"][0]["tracking_id"])
    start = len(simulator.requests)

    simulator.faults.latency = SLOW_REPLY
    message_id = simulator.deliver_sms(0, SENDER, "slow")
    for _ in range(150):
        await _tick(hass, freezer)
    simulator.faults.latency = 0
    slow_until = time.monotonic()  # frozen: the loop's time
    for _ in range(int(SLOW_REPLY) + 1):
        await _tick(hass, freezer)
    await advance(hass, freezer)

    arrivals: defaultdict[str, list[float]] = defaultdict(list)
    for record in simulator.requests[start:]:
        assert record.status == HTTPStatus.OK, record
        if record.time < slow_until:
            arrivals[record.path].append(record.time)
    # Every poller asked again only once it had its answer (each took 15 s).
    assert arrivals.keys() >= {
        "/api/query_incoming_sms",
        "/api/query_sms_result",
        "/api/get_port_info",
    }
    for path, times in arrivals.items():
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert all(gap >= SLOW_REPLY for gap in gaps), (path, gaps)
    # 150 s of 15 s replies: far fewer reads than one per 10 s interval.
    assert len(arrivals["/api/query_incoming_sms"]) <= 150 / SLOW_REPLY
    # Slow is not broken: everything arrived, once, and nothing went unavailable.
    assert message_ids(received) == [message_id]
    assert _statuses(statuses) == [(tracking_id, "delivered")]
    assert hass.states.get("sensor.port_1_sms_received").state == "1"


async def test_replies_slower_than_the_timeout(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A gateway that stops answering in time: unavailable, one error, then recovery."""
    await setup_entry(hass, config_entry)
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    statuses = async_capture_events(hass, EVENT_SMS_STATUS)
    tracking_id = int((await async_send(hass))["messages"][0]["tracking_id"])

    simulator.faults.latency = HUNG_REPLY
    message_id = simulator.deliver_sms(1, SENDER, "while the gateway hangs")
    for _ in range(90):
        await _tick(hass, freezer)
    assert received == []
    assert statuses == []
    assert hass.states.get("sensor.port_2_sms_received").state == "unavailable"
    [error] = _errors(caplog, "inbox data")
    assert "query_incoming_sms: no answer within 20 s" in error
    assert await async_status(hass, tracking_id) == "sending"

    simulator.faults.latency = 0
    for _ in range(int(HUNG_REPLY) + 1):
        await _tick(hass, freezer)
    await advance(hass, freezer)
    await advance(hass, freezer, timedelta(seconds=POLL_INTERVAL_SENDING))

    assert message_ids(received) == [message_id]
    assert _statuses(statuses) == [(tracking_id, "delivered")]
    assert hass.states.get("sensor.port_2_sms_received").state == "1"
    assert len(_errors(caplog, "inbox data")) == 1
    assert caplog.text.count("inbox data recovered") == 1
    _no_crash(caplog)


# Each fault and what the error logged about it says.
BAD_REPLIES = pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("http_500", "{endpoint}: HTTP 500"),
        ("malformed_body", "The gateway sent a body that is not JSON"),
        ("drop_connection", "{endpoint}: Server disconnected"),
    ],
)


@BAD_REPLIES
async def test_inbox_through_bad_replies(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: str,
    error: str,
) -> None:
    """HTTP 500, cut-off bodies and dropped connections mid-run: one clear error, no loss."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    before = simulator.deliver_sms(0, SENDER, "before")
    await advance(hass, freezer)

    setattr(simulator.faults, fault, True)
    during = [simulator.deliver_sms(1, SENDER, f"during {n}") for n in range(3)]
    for _ in range(3):
        await advance(hass, freezer)
    assert message_ids(events) == [before]
    assert hass.states.get("sensor.port_2_sms_received").state == "unavailable"
    [logged] = _errors(caplog, "inbox data")
    assert error.format(endpoint="query_incoming_sms") in logged

    setattr(simulator.faults, fault, False)
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert message_ids(events) == [before, *during]
    assert hass.states.get("sensor.port_2_sms_received").state == "3"
    assert caplog.text.count("inbox data recovered") == 1
    _no_crash(caplog)


@BAD_REPLIES
@pytest.mark.usefixtures("init_integration")
async def test_outbox_through_bad_replies(
    hass: HomeAssistant,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    fault: str,
    error: str,
) -> None:
    """Tracking polls that fail leave sent SMS in flight, say why, and carry on."""
    caplog.set_level(logging.DEBUG, logger="custom_components.dinstar")
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    response = await async_send(hass, recipients=[NUMBER, "+4917000000002"])
    tracking_ids = [int(message["tracking_id"]) for message in response["messages"]]
    await simulator.wait_idle()

    setattr(simulator.faults, fault, True)
    await async_advance(hass, FIRST_POLL_DELAY)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert events == []
    assert [await async_status(hass, id_) for id_ in tracking_ids] == ["sending"] * 2
    failures = [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("Polling the status of sent SMS failed")
    ]
    assert len(failures) == 2
    assert all(error.format(endpoint="query_sms_result") in text for text in failures)

    setattr(simulator.faults, fault, False)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert sorted(_statuses(events)) == [(id_, "delivered") for id_ in tracking_ids]
    _no_crash(caplog)


async def test_gateway_offline_mid_run_with_push(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """While the API cannot be reached, pushes still deliver; reads catch up after, once."""
    await setup_entry(hass, config_entry)
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    first = simulator.deliver_sms(0, SENDER, "before")
    await pushes_done(hass, simulator)

    await simulator.set_offline(True)
    pushed = simulator.deliver_sms(1, SENDER, "pushed while offline")
    await pushes_done(hass, simulator)
    simulator.faults.lose_pushes = True
    lost = simulator.deliver_sms(0, SENDER, "push lost while offline")
    for _ in range(3):
        await advance(hass, freezer, PUSH_POLL_INTERVAL)
    assert message_ids(events) == [first, pushed]
    assert len(_errors(caplog, "inbox data: Cannot reach the gateway")) == 1

    await simulator.set_offline(False)
    simulator.faults.lose_pushes = False
    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    await advance(hass, freezer)
    assert message_ids(events) == [first, pushed, lost]
    assert caplog.text.count("inbox data recovered") == 1
    assert hass.states.get("sensor.port_1_sms_received").state == "2"
    _no_crash(caplog)


@pytest.mark.parametrize(
    ("reset_ids", "fate"),
    [
        # The device fails what it had queued and still reports it.
        (False, "failed"),
        # The device forgets its result table: once its queue is empty, the messages
        # it no longer lists are given up (nothing more can be known of them).
        (True, "expired"),
    ],
)
async def test_reboot_while_sms_in_flight(
    hass: HomeAssistant,
    real_time_gateway: Simulator,
    freezer: FrozenDateTimeFactory,
    reset_ids: bool,
    fate: str,
) -> None:
    """A reboot drops the queue: those messages end once, later ones are tracked as usual."""
    simulator = real_time_gateway
    await setup_entry(hass, entry_for(simulator))
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    numbers = [f"+49170000000{n:02}" for n in range(8)]
    response = await async_send(hass, recipients=numbers)
    in_flight = [int(message["tracking_id"]) for message in response["messages"]]
    await _tick(hass, freezer)
    assert [sms.status for sms in simulator.sent] == ["SENDING"] * 8

    await simulator.reboot(reset_ids=reset_ids)
    # Sent after the reboot: the gateway's task ids may start again from 1.
    response = await async_send(hass, recipients=["+4917099999999"])
    later = int(response["messages"][0]["tracking_id"])
    assert response["task_ids"] == [1 if reset_ids else 2]
    for _ in range(30):
        await _tick(hass, freezer)

    assert (later, "delivered") in _statuses(events)
    assert sorted(status for status in _statuses(events) if status[0] != later) == [
        (id_, fate) for id_ in in_flight
    ]
    assert [await async_status(hass, id_) for id_ in in_flight] == [fate] * 8


async def _stop_with_sms_in_flight(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    numbers: list[str],
) -> tuple[list[int], dict[int, str]]:
    """Run a first Home Assistant that sends to numbers and stops with some in flight.

    Return the tracking ids and the statuses it told before it stopped.
    """
    async with earlier_home_assistant(hass) as first:
        await setup_entry(first, MockConfigEntry(**_same(entry)))
        told = async_capture_events(first, EVENT_SMS_STATUS)
        response = await async_send(first, recipients=numbers)
        tracking_ids = [int(message["tracking_id"]) for message in response["messages"]]
        # The first of each port is sent and delivered, the rest still queued.
        for _ in range(12):
            await _tick(first, freezer)
        await first.async_stop()
    return tracking_ids, dict(_statuses(told))


async def _downtime(
    simulator: Simulator, freezer: FrozenDateTimeFactory, seconds: int
) -> list[BaseException]:
    """Let the gateway work on while Home Assistant is stopped; return what was raised.

    A stopped Home Assistant's event loop ends with its process; here the loop goes on,
    and whatever the stopped instance left planned still runs, and may raise.
    """
    loop = asyncio.get_running_loop()
    raised: list[BaseException] = []
    handler = loop.get_exception_handler()
    loop.set_exception_handler(
        lambda _loop, context: raised.append(context.get("exception", Exception()))
    )
    try:
        for _ in range(seconds):
            freezer.tick(timedelta(seconds=1))
            await asyncio.sleep(0)
        await simulator.wait_idle()
        for _ in range(10):
            await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(handler)
    return raised


async def test_home_assistant_restart_while_sms_in_flight(
    hass: HomeAssistant,
    real_time_gateway: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Messages in flight when Home Assistant stops are followed to the end after it starts."""
    simulator = real_time_gateway
    entry = entry_for(simulator)
    tracking_ids, told = await _stop_with_sms_in_flight(
        hass, simulator, freezer, entry, [f"+49170000000{n:02}" for n in range(6)]
    )
    assert 0 < len(told) < len(tracking_ids)

    # The gateway sends and reports the rest while Home Assistant is down.
    raised = await _downtime(simulator, freezer, 30)
    # Nothing the stopped instance left behind ran (test_stop_ends_tracking_polls).
    assert raised == []
    assert {sms.status for sms in simulator.sent} == {"DELIVERED"}

    after = async_capture_events(hass, EVENT_SMS_STATUS)
    await setup_entry(hass, MockConfigEntry(**_same(entry)))
    await advance(hass, freezer, timedelta(seconds=FIRST_POLL_DELAY))

    # Each message ends once: those told before the stop are not told again.
    assert sorted(_statuses(after)) == [
        (id_, "delivered") for id_ in tracking_ids if told.get(id_) != "delivered"
    ]
    assert [await async_status(hass, id_) for id_ in tracking_ids] == ["delivered"] * 6
    response = await async_call(
        hass, "send_sms", {"recipients": [NUMBER], "message": "x"}
    )
    assert response is not None
    assert response["messages"][0]["tracking_id"] == tracking_ids[-1] + 1  # type: ignore[index,call-overload]


async def test_stop_ends_tracking_polls(
    hass: HomeAssistant,
    real_time_gateway: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Once Home Assistant stopped, the outbox plans and runs no more polls."""
    numbers = [f"+49170000000{n:02}" for n in range(6)]
    await _stop_with_sms_in_flight(
        hass, real_time_gateway, freezer, entry_for(real_time_gateway), numbers
    )
    assert await _downtime(real_time_gateway, freezer, 60) == []


def _same(entry: MockConfigEntry) -> dict[str, Any]:
    """Return what builds the entry as the next Home Assistant run loads it from disk."""
    return {
        "domain": DOMAIN,
        "title": entry.title,
        "unique_id": entry.unique_id,
        "entry_id": entry.entry_id,
        "data": dict(entry.data),
    }


async def test_hostile_push_flood(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Hundreds of concurrent forged, broken and repeated pushes change nothing."""
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "diagnostics", {})
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    known = [simulator.deliver_sms(n % 2, SENDER, f"known {n}") for n in range(5)]
    await pushes_done(hass, simulator)
    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    reads = sum(r.path == "/api/query_incoming_sms" for r in simulator.requests)

    row = simulator.inbox[-1].as_row()
    hostile: dict[str, list[dict[str, Any] | str | bytes]] = {
        "foreign_serial": [
            {"sn": "dd45-1014-8440-0030", "sms": [row | {"text": f"forged {n}"}]}
            for n in range(60)
        ],
        "malformed": [b'{"sn": "' + SERIAL.encode() + b'", "sms": [{'] * 60,
        "unknown_event": [{"sn": SERIAL, "missed_call": [{"port": 0}]}] * 60,
        "oversized": [{"sn": SERIAL, "sms": [row | {"text": "x" * MAX_PUSH_BYTES}]}]
        * 20,
    }
    # Accepted, but nothing new: a repeated push of a read message, and its id with
    # another text (which looks like ids going backwards: the reader checks, once).
    harmless: list[dict[str, Any] | str | bytes] = [
        {"sn": SERIAL, "sms": [row]},
        {"sn": SERIAL, "sms": [row | {"text": "forged"}]},
    ] * 60
    flood = [payload for payloads in hostile.values() for payload in payloads]
    # Genuine messages keep arriving during the flood, pushed in order by the gateway.
    genuine = [simulator.deliver_sms(n % 2, SENDER, f"genuine {n}") for n in range(20)]
    answers = await asyncio.gather(
        *(simulator.push(payload) for payload in [*flood, *harmless])
    )
    await pushes_done(hass, simulator)
    await advance(hass, freezer, PUSH_POLL_INTERVAL)

    assert answers.count(HTTPStatus.OK) == len(harmless)
    assert message_ids(events) == [*known, *genuine]
    # The flood asked the gateway for one check, not one per push.
    checks = (
        sum(r.path == "/api/query_incoming_sms" for r in simulator.requests) - reads
    )
    assert checks <= 3
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    assert diagnostics["push"]["rejected"] == {
        reason: len(payloads) for reason, payloads in hostile.items()
    }
    assert diagnostics["inbox"]["pushed_not_yet_polled"] == 0
    # One warning per kind of refusal, not one per push.
    assert caplog.text.count("refused a push") == len(hostile)
    assert hass.states.get("sensor.port_1_sms_received").state == "13"
    _no_crash(caplog)


async def test_order_kept_while_noticing_an_id_reset(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Messages pushed while the reader notices an id reset keep their port's order."""
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "diagnostics", {})
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    for number in range(10):
        simulator.deliver_sms(0, SENDER, f"old {number}")
    await pushes_done(hass, simulator)
    await advance(hass, None, PUSH_POLL_INTERVAL)

    client = await hass_client()

    async def high_water_mark() -> int:
        """Return the reader's mark, as diagnostics show it (without waiting)."""
        url = f"/api/diagnostics/config_entry/{config_entry.entry_id}"
        async with client.get(url) as response:
            diagnostics = await response.json()
        return int(diagnostics["data"]["inbox"]["high_water_mark"])

    assert await high_water_mark() == 10
    await simulator.reboot(reset_ids=True)
    # Reads are slow: the reader takes a while to look (ids 1-3 are below its mark).
    simulator.faults.latency = 0.3
    for number in range(3):
        simulator.deliver_sms(0, SENDER, f"new {number}")
    async with asyncio.timeout(10):
        while await high_water_mark() != 0:
            await asyncio.sleep(0.02)
    # The reader found a new database and reads it from the start: one more arrives.
    simulator.deliver_sms(0, SENDER, "new 3")
    await pushes_done(hass, simulator)
    simulator.faults.latency = 0
    await advance(hass, None, PUSH_POLL_INTERVAL)

    assert [event.data["text"] for event in events[10:]] == [
        "new 0",
        "new 1",
        "new 2",
        "new 3",
    ]
