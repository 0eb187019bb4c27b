"""A hostile or glitching gateway (issue 12): odd rows, nested JSON, endless bodies.

Each case drives Home Assistant against the simulator and checks that no SMS is
lost or delivered twice.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED
from custom_components.dinstar.outbox import EVENT_SMS_STATUS
from custom_components.dinstar.pydinstar import (
    FIRST_POLL_DELAY,
    MAX_INCOMING_SMS_ID,
    MAX_PUSHED_SMS,
    POLL_INTERVAL_SENDING,
    IncomingSms,
    sms_fingerprint,
)
from dinstar_simulator import Simulator
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

from .conftest import SERIAL, earlier_home_assistant, entry_for, next_port_poll
from .sending import NUMBER, assert_error, async_advance, async_send, async_status
from .sms_delivery import advance, connect_push, message_ids, pushes_done, setup_entry
from .test_faults import _same as same_entry

SENDER = "+4915112345678"
# Deeper than any JSON the gateway sends, and than Python's parser can follow.
NESTED = "[" * 100_000
ROW = {
    "port": 0,
    "number": "+4915100000000",
    "smsc": "+8613800757511",
    "timestamp": "2026-01-15 12:30:00",
    "text": "not an SMS",
}


def _no_crash(caplog: pytest.LogCaptureFixture) -> None:
    """Assert that Home Assistant logged no traceback (an unexpected exception).

    The simulator's side (aiohttp's and asyncio's loggers) is left out: its server
    logs the connection a client hung up on while it wrote an endless body.
    """
    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING
        and record.exc_info
        and record.name.startswith(("homeassistant", "custom_"))
    ] == []


@pytest.mark.parametrize("bad_id", [2**40, MAX_INCOMING_SMS_ID + 1, 0, -1])
async def test_rows_with_ids_no_gateway_gives(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    bad_id: int,
) -> None:
    """A row with id 0 or past 32 bits is left out; every real SMS still comes, once."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    first = simulator.deliver_sms(0, SENDER, "first")
    simulator.faults.extra_incoming_rows = [{**ROW, "incoming_sms_id": bad_id}]
    await advance(hass, freezer)
    second = simulator.deliver_sms(1, SENDER, "second")
    await advance(hass, freezer)
    assert message_ids(events) == [first, second]

    # The user deletes the newest SMS on the gateway: the anchor is gone, the
    # older ones tell it is the same database.
    del simulator.inbox[-1]
    simulator.faults.extra_incoming_rows = []
    third = simulator.deliver_sms(0, SENDER, "third")
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert message_ids(events) == [first, second, third]
    assert hass.states.get("sensor.port_1_sms_received").state == "2"
    _no_crash(caplog)


async def test_the_same_row_twice(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reply listing each SMS twice delivers each once."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    simulator.faults.duplicate_rows = True
    ids = [simulator.deliver_sms(n % 2, SENDER, f"sms {n}") for n in range(5)]
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert message_ids(events) == ids
    assert hass.states.get("sensor.port_1_sms_received").state == "3"


def _stored_inbox(simulator: Simulator, recent: list[int]) -> dict[str, Any]:
    """Return an inbox store that a row with id 2**40 left behind.

    The valid ids remembered name the gateway's first SMS.
    """
    first = IncomingSms.from_row(simulator.inbox[0].as_row())
    return {
        "version": 1,
        "data": {
            "mark": 2**40,
            "recent": [(id_, sms_fingerprint(first)) for id_ in recent],
            "pushed": [(2**40 + 1, "forged", False)],
            "ports": {},
        },
    }


async def test_a_mark_past_any_valid_id_is_repaired(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A store saved before rows were checked loads, and no longer skips every SMS.

    How the cursor repairs it is tested in tests/library/test_inbox_cursor.py.
    """
    simulator.deliver_sms(0, SENDER, "old")
    simulator.deliver_sms(0, SENDER, "while stopped")
    hass_storage[f"{DOMAIN}.{config_entry.entry_id}.inbox"] = _stored_inbox(
        simulator, [1, 2**40]
    )
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await setup_entry(hass, config_entry)
    await advance(hass, freezer)
    simulator.deliver_sms(0, SENDER, "new")
    await advance(hass, freezer)
    # The newest valid id remembered is where reading goes on.
    assert message_ids(events) == [2, 3]


async def test_nested_json_push_is_refused_and_counted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A push nested too deep is refused as malformed, with no traceback."""
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "diagnostics", {})
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    for body in (
        "[" * 60_000,
        '{"sn":"' + SERIAL + '","sms":' + "[" * 30_000 + "]" * 30_000 + "}",
        '{"sn":"' + SERIAL + '","sms":[{"a":' * 20 + "1" + "}]" * 20 + "}",
    ):
        assert await simulator.push(body) == HTTPStatus.BAD_REQUEST
    await hass.async_block_till_done(wait_background_tasks=True)
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    assert diagnostics["push"]["rejected"]["malformed"] == 3
    webhook_id = config_entry.data["webhook_id"]
    assert not [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING and webhook_id in record.getMessage()
    ]
    _no_crash(caplog)


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("fault", ["nested", "endless"])
async def test_send_with_an_unreadable_reply_is_tracked(
    hass: HomeAssistant,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """The gateway queued the SMS but its reply cannot be read: tracked, not lost."""
    if fault == "nested":
        simulator.faults.reply_bodies = {"send_sms": NESTED}
    else:
        simulator.faults.endless_replies = {"send_sms"}
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    with pytest.raises(HomeAssistantError) as err:
        await async_send(hass)
    assert_error(err.value, "send_unconfirmed")
    assert len(simulator.sent) == 1

    simulator.faults.reply_bodies = {}
    simulator.faults.endless_replies = set()
    await simulator.wait_idle()
    await async_advance(hass, FIRST_POLL_DELAY)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    [event] = events
    assert event.data["status"] == "delivered"
    assert await async_status(hass, event.data["tracking_id"]) == "delivered"
    _no_crash(caplog)


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("fault", ["nested", "endless"])
async def test_unreadable_results_keep_polling(
    hass: HomeAssistant,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """Results that cannot be read fail one round; tracking carries on after."""
    caplog.set_level(logging.DEBUG, logger="custom_components.dinstar")
    response = await async_send(hass)
    tracking_id = int(response["messages"][0]["tracking_id"])
    await simulator.wait_idle()
    if fault == "nested":
        simulator.faults.reply_bodies = {"query_sms_result": NESTED}
    else:
        simulator.faults.endless_replies = {"query_sms_result"}
    await async_advance(hass, FIRST_POLL_DELAY)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert await async_status(hass, tracking_id) == "sending"
    assert "Polling the status of sent SMS failed: query_sms_result" in caplog.text

    simulator.faults.reply_bodies = {}
    simulator.faults.endless_replies = set()
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert await async_status(hass, tracking_id) == "delivered"
    _no_crash(caplog)


@pytest.mark.parametrize("fault", ["nested", "endless"])
async def test_unreadable_inbox_replies(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """An inbox reply nested too deep or without end fails clearly; no SMS is lost."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    if fault == "nested":
        simulator.faults.reply_bodies = {"query_incoming_sms": NESTED}
    else:
        simulator.faults.endless_replies = {"query_incoming_sms"}
    ids = [simulator.deliver_sms(0, SENDER, f"sms {n}") for n in range(3)]
    await advance(hass, freezer)
    assert events == []
    expected = "larger than" if fault == "endless" else "not JSON"
    assert expected in caplog.text

    simulator.faults.reply_bodies = {}
    simulator.faults.endless_replies = set()
    await advance(hass, freezer)
    assert message_ids(events) == ids
    _no_crash(caplog)


async def test_home_assistant_stops_while_a_send_waits_for_its_reply(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A send whose reply is still out when Home Assistant stops is followed after it.

    The gateway queued the SMS; its reply never reached the first Home Assistant.
    """
    entry = entry_for(simulator)
    async with earlier_home_assistant(hass) as first:
        await setup_entry(first, MockConfigEntry(**same_entry(entry)))
        simulator.stall_replies("send_sms")
        # Like an automation's run, which stopping cancels.
        sending = first.async_create_background_task(async_send(first), "send")
        await simulator.wait_stalled()
        await first.async_stop()
        simulator.release_replies()
        with pytest.raises(asyncio.CancelledError):
            await sending
    assert len(simulator.sent) == 1
    await simulator.wait_idle()

    events = async_capture_events(hass, EVENT_SMS_STATUS)
    await setup_entry(hass, MockConfigEntry(**same_entry(entry)))
    await async_advance(hass, FIRST_POLL_DELAY)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    [event] = events
    assert (event.data["status"], event.data["task_id"]) == ("delivered", None)
    assert await async_status(hass, event.data["tracking_id"]) == "delivered"


async def test_a_send_is_saved_before_its_reply(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """While a send's reply is out, the saved state already follows the message.

    A stop or crash at that moment cannot lose it: the results settle it.
    """
    simulator.stall_replies("send_sms")
    sending = hass.async_create_task(async_send(hass))
    await simulator.wait_stalled()
    key = f"{DOMAIN}.{init_integration.entry_id}.outbox"
    saved = hass_storage[key]["data"]["messages"]
    assert [(m["number"], m["status"], m["task_id"]) for m in saved] == [
        (NUMBER, "sending", None)
    ]

    simulator.release_replies()
    response = await sending
    [message] = response["messages"]
    assert message["task_id"] == 1
    status = await hass.services.async_call(
        DOMAIN, "get_sms_status", {}, blocking=True, return_response=True
    )
    assert status["messages"][0]["task_id"] == 1  # type: ignore[index]


async def test_push_on_a_port_the_gateway_lacks(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A pushed SMS on a port the gateway does not have fires nothing; polls decide."""
    await setup_entry(hass, config_entry)
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    forged = {**ROW, "incoming_sms_id": 1, "port": 9}
    assert await simulator.push({"sn": SERIAL, "sms": [forged]}) == HTTPStatus.OK
    await hass.async_block_till_done(wait_background_tasks=True)
    assert events == []
    real = simulator.deliver_sms(0, SENDER, "real")
    await advance(hass, freezer)
    assert message_ids(events) == [real]
    assert hass.states.get("sensor.port_1_sms_received").state == "1"


async def test_port_info_rows_of_ports_no_gateway_has(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Port info rows for ports -1 or 2**40 make no device."""
    info = [{"port": port, "reg": "REGISTER_OK"} for port in (0, 1, 2, 3, -1, 2**40)]
    simulator.faults.reply_bodies = {
        "get_port_info": json.dumps({"error_code": 200, "sn": SERIAL, "info": info})
    }
    await next_port_poll(hass, freezer)
    devices = dr.async_entries_for_config_entry(
        device_registry, init_integration.entry_id
    )
    assert sorted(device.name or "" for device in devices) == [
        f"Dinstar {SERIAL}",
        "Port 1",
        "Port 2",
        "Port 3",
        "Port 4",
    ]


async def test_pushes_cannot_grow_the_state_without_end(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Past MAX_PUSHED_SMS pushed ids ahead of the inbox, SMS come by poll, once each.

    What each push saves is bounded with them: it cannot grow with a backlog.
    """
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "diagnostics", {})
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    per_push = 200
    for start in range(10**6, 10**6 + MAX_PUSHED_SMS + per_push, per_push):
        rows = [
            {**ROW, "incoming_sms_id": sms_id} for sms_id in range(start, start + 200)
        ]
        assert await simulator.push({"sn": SERIAL, "sms": rows}) == HTTPStatus.OK
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(events) == MAX_PUSHED_SMS

    real = [simulator.deliver_sms(0, SENDER, f"real {n}") for n in range(3)]
    await pushes_done(hass, simulator)
    await advance(hass, freezer)
    assert message_ids(events)[MAX_PUSHED_SMS:] == real
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    assert diagnostics["inbox"]["pushed_not_yet_polled"] == MAX_PUSHED_SMS
    saved = hass_storage[f"{DOMAIN}.{config_entry.entry_id}.inbox"]["data"]
    assert len(saved["pushed"]) == MAX_PUSHED_SMS


# 100,000 SMS events take seconds on an idle machine and minutes on a busy one: the
# suite's 60 s limit guards against hung tests, it is no speed target (like the soak).
@pytest.mark.timeout(600)
async def test_a_reply_of_100000_rows(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """100,000 rows in one reply are each delivered once, in slices the loop runs between.

    A callback scheduled when the first SMS fires must run before the last one
    fires: the delivery yields to the event loop instead of holding it up.
    """
    # asyncio's debug mode (on in the test harness) records a stack per task and
    # would make the 100,000 events many times slower.
    hass.loop.set_debug(False)
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    fired_when_the_loop_ran: list[int] = []

    @callback
    def _first(_event: Event) -> None:
        unsubscribe()
        hass.loop.call_soon(lambda: fired_when_the_loop_ran.append(len(events)))

    unsubscribe = hass.bus.async_listen(EVENT_SMS_RECEIVED, _first)
    count = 100_000
    # Rows as small as a gateway may send: the reply stays under the size cap.
    simulator.faults.extra_incoming_rows = [
        {"incoming_sms_id": id_, "port": id_ % 2, "number": "1", "text": ""}
        for id_ in range(1, count + 1)
    ]
    await advance(hass, freezer)
    assert message_ids(events) == list(range(1, count + 1))
    assert len(fired_when_the_loop_ran) == 1
    assert fired_when_the_loop_ran[0] < count
    assert hass.states.get("sensor.port_1_sms_received").state == str(count // 2)

    # The next poll finds nothing new in the same rows.
    await advance(hass, freezer)
    assert len(events) == count
