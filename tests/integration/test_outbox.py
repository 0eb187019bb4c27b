"""Delivery tracking of SMS sent from Home Assistant, by polling and by push."""

from __future__ import annotations

from datetime import timedelta
import json
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
from syrupy.assertion import SnapshotAssertion

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.outbox import EVENT_SMS_STATUS
from custom_components.dinstar.pydinstar import (
    FIRST_POLL_DELAY,
    POLL_INTERVAL_REPORTS,
    POLL_INTERVAL_SENDING,
    REPORT_ROUNDS_WHILE_PUSHED,
    REPORT_ROUNDS_WHILE_SENDING,
    REPORTS_FOLLOW_UP_DELAY,
)
from dinstar_simulator import Simulator
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import SERIAL
from .sending import NUMBER, async_advance, async_enable_push, async_send, async_status

pytestmark = pytest.mark.usefixtures("init_integration")

LONG_TEXT = "x" * 400  # three GSM 7-bit segments


def _statuses(events: list[Event[Any]]) -> list[tuple[str, int | None]]:
    return [(event.data["status"], event.data["tp_status"]) for event in events]


def _tracking_queries(simulator: Simulator) -> int:
    return sum(
        record.path in ("/api/query_sms_result", "/api/query_sms_deliver_status")
        for record in simulator.requests
    )


def _counters(hass: HomeAssistant, port: int) -> tuple[str, str]:
    sent = hass.states.get(f"sensor.port_{port}_sms_sent")
    failed = hass.states.get(f"sensor.port_{port}_sms_failed")
    assert sent is not None
    assert failed is not None
    return sent.state, failed.state


async def _tracking_id(hass: HomeAssistant, **data: Any) -> int:
    response = await async_send(hass, **data)
    return int(response["messages"][0]["tracking_id"])


@pytest.fixture
async def push(
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Make the gateway push its results and reports to Home Assistant."""
    await async_enable_push(hass_client_no_auth, simulator, init_integration)


async def test_delivered_by_polling(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Without push, the first poll finds the message delivered; then polls stop."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    tracking_id = await _tracking_id(hass, message=LONG_TEXT)
    await simulator.wait_idle()
    assert await async_status(hass, tracking_id) == "sending"

    await async_advance(hass, FIRST_POLL_DELAY)

    port_1 = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-0"), init_integration.entry_id
    )
    assert port_1 is not None
    [event] = events
    assert event.data == {
        "config_entry_id": init_integration.entry_id,
        "device_id": port_1.id,
        "tracking_id": tracking_id,
        "recipient": NUMBER,
        "status": "delivered",
        "port": 1,
        "segments": 3,
        "task_id": 1,
        "ref_id": 0,
        "tp_status": None,
        "tp_status_meaning": None,
        "sent_at": event.data["sent_at"],
        "updated_at": event.data["updated_at"],
    }
    port_event = hass.states.get("event.port_1_messages")
    assert port_event is not None
    assert port_event.attributes["event_type"] == "sms_status"
    assert port_event.attributes["status"] == "delivered"
    assert port_event.attributes["tracking_id"] == tracking_id
    assert _counters(hass, 1) == ("1", "0")
    queries = _tracking_queries(simulator)
    assert queries == 1

    await async_advance(hass, POLL_INTERVAL_REPORTS)
    await async_advance(hass, POLL_INTERVAL_REPORTS)
    assert _tracking_queries(simulator) == queries


async def test_polls_while_sending(hass: HomeAssistant, simulator: Simulator) -> None:
    """Polls continue while the gateway is still sending, and while reports are due."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    simulator.set_delivery_outcome(NUMBER, status_codes=(34, 0))
    simulator.faults.error_codes["query_sms_result"] = 500
    tracking_id = await _tracking_id(hass, message=LONG_TEXT)
    await simulator.wait_idle()

    await async_advance(hass, FIRST_POLL_DELAY)
    assert events == []
    assert _tracking_queries(simulator) == 1

    simulator.faults.error_codes.clear()
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert _statuses(events) == [("delivered", None)]
    assert await async_status(hass, tracking_id) == "delivered"


@pytest.mark.usefixtures("push")
async def test_tracking_by_push(hass: HomeAssistant, simulator: Simulator) -> None:
    """Pushed results and reports of every part move the message without polling."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    simulator.set_delivery_outcome(NUMBER, status_codes=(33, 0))
    await _tracking_id(hass, message=LONG_TEXT)

    await simulator.wait_idle()
    await hass.async_block_till_done()

    assert _statuses(events) == [("sent", None), ("sent", 33), ("delivered", 0)]
    assert _tracking_queries(simulator) == 0
    await async_advance(hass, FIRST_POLL_DELAY)
    assert _tracking_queries(simulator) == 0


async def test_tracking_ids_saved_before_sending(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The next tracking id is on disk before the gateway sees an id: a crash reuses none."""
    tracking_id = await _tracking_id(hass)

    saved = hass_storage[f"{DOMAIN}.{init_integration.entry_id}.outbox"]["data"]
    assert saved["next_tracking_id"] == tracking_id + 1


async def test_tracking_survives_a_restart(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """Messages in flight and the counters are kept across a restart."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    simulator.set_delivery_outcome("+4917000000001", send_fails=True)
    first = await _tracking_id(hass, recipients=["+4917000000001"])
    await simulator.wait_idle()
    await async_advance(hass, FIRST_POLL_DELAY)
    tracking_id = await _tracking_id(hass)
    await simulator.wait_idle()

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert _counters(hass, 1) == ("0", "1")
    assert await async_status(hass, tracking_id) == "sending"

    await async_advance(hass, FIRST_POLL_DELAY)

    assert _statuses(events) == [("failed", None), ("delivered", None)]
    assert await async_status(hass, first) == "failed"
    assert _counters(hass, 1) == ("1", "1")
    response = await async_send(hass)
    assert response["messages"][0]["tracking_id"] == tracking_id + 1


async def _tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let frozen time pass: the gateway's delays, then Home Assistant's timers."""
    freezer.tick(seconds)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_expired_unheard_of(
    freezer: FrozenDateTimeFactory, hass: HomeAssistant, simulator: Simulator
) -> None:
    """A message the gateway never reports on expires too, without a port."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    simulator.faults.error_codes["query_sms_result"] = 500
    tracking_id = await _tracking_id(hass)

    await _tick(hass, freezer, FIRST_POLL_DELAY)
    await _tick(hass, freezer, timedelta(hours=24).total_seconds())

    [event] = events
    assert event.data["status"] == "expired"
    assert event.data["tracking_id"] == tracking_id
    assert (event.data["port"], event.data["device_id"]) == (None, None)
    assert _counters(hass, 1) == ("0", "0")


async def test_expired_while_stopped(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """A message whose day ran out while Home Assistant was stopped expires at start."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    simulator.set_delivery_outcome(NUMBER, status_codes=None)
    tracking_id = await _tracking_id(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    freezer.tick(timedelta(hours=25))

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert events == []
    await _tick(hass, freezer, FIRST_POLL_DELAY)

    assert _statuses(events) == [("sent", None), ("expired", None)]
    assert await async_status(hass, tracking_id) == "expired"


async def test_counter_sensors(
    hass: HomeAssistant,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Each port counts the messages it sent and those that failed, for statistics."""
    await async_send(hass)
    await simulator.wait_idle()
    await async_advance(hass, FIRST_POLL_DELAY)

    for key in ("sms_sent", "sms_failed"):
        entity_id = f"sensor.port_1_{key}"
        assert entity_registry.async_get(entity_id) == snapshot(name=f"{key}-entry")
        assert hass.states.get(entity_id) == snapshot(name=f"{key}-state")


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Diagnostics show the tracked messages and counters, never a number."""
    simulator.set_delivery_outcome(NUMBER, send_fails=True)
    failed = await _tracking_id(hass)
    await simulator.wait_idle()
    await async_advance(hass, FIRST_POLL_DELAY)
    sending = await _tracking_id(hass, recipients=["+4917000000003"])

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    outbox = diagnostics["outbox"]
    assert outbox["polling"] is True
    assert outbox["counters"] == {"1": {"sent": 0, "failed": 1}}
    assert [
        (message["tracking_id"], message["status"], message["port"])
        for message in outbox["messages"]
    ] == [(failed, "failed", 1), (sending, "sending", None)]
    assert NUMBER not in str(diagnostics)
    assert "+4917000000003" not in str(diagnostics)


def _queries(simulator: Simulator) -> tuple[int, int]:
    """Return how many result and delivery report queries the gateway answered."""
    paths = [record.path for record in simulator.requests]
    return (
        paths.count("/api/query_sms_result"),
        paths.count("/api/query_sms_deliver_status"),
    )


async def _async_send_unreported(
    hass: HomeAssistant, simulator: Simulator, number: str = NUMBER
) -> int:
    """Send a message the gateway sends but that never gets a delivery report."""
    simulator.set_delivery_outcome(number, status_codes=None)
    tracking_id = await _tracking_id(hass, recipients=[number])
    await simulator.wait_idle()
    await hass.async_block_till_done()
    return tracking_id


async def _async_send_queued(hass: HomeAssistant, simulator: Simulator) -> None:
    """Send a message that stays in the gateway's queue."""
    simulator.config.send_seconds = 10**6
    await async_send(hass, recipients=["+4917099999999"])


async def test_reports_at_their_pace_while_sending(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """While messages are still sending, reports are asked for every fourth round only."""
    await _async_send_unreported(hass, simulator)
    await _async_send_queued(hass, simulator)

    await async_advance(hass, FIRST_POLL_DELAY)
    assert _queries(simulator) == (1, 1)
    for _ in range(REPORT_ROUNDS_WHILE_SENDING - 1):
        await async_advance(hass, POLL_INTERVAL_SENDING)
    assert _queries(simulator) == (REPORT_ROUNDS_WHILE_SENDING, 1)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert _queries(simulator) == (REPORT_ROUNDS_WHILE_SENDING + 1, 2)


async def test_reports_followed_up_soon_after_sending(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Once a poll finds the last message sent, reports are asked for again soon, once."""
    await _async_send_unreported(hass, simulator)

    await async_advance(hass, FIRST_POLL_DELAY)
    assert _queries(simulator) == (1, 1)
    await async_advance(hass, REPORTS_FOLLOW_UP_DELAY)
    assert _queries(simulator) == (1, 2)
    # Then at the reports' pace.
    await async_advance(hass, REPORTS_FOLLOW_UP_DELAY)
    assert _queries(simulator) == (1, 2)
    await async_advance(hass, POLL_INTERVAL_REPORTS)
    assert _queries(simulator) == (1, 3)


@pytest.mark.usefixtures("push")
async def test_slow_safety_net_while_results_are_pushed(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Once results arrive by push, results and reports are polled in turns, slowly."""
    tracking_id = await _async_send_unreported(hass, simulator)
    assert await async_status(hass, tracking_id) == "sent"
    await _async_send_queued(hass, simulator)
    turn = POLL_INTERVAL_REPORTS / REPORT_ROUNDS_WHILE_PUSHED
    assert turn > POLL_INTERVAL_SENDING

    await async_advance(hass, FIRST_POLL_DELAY)
    assert _queries(simulator) == (0, 1)
    # Each advance counts from the last round: the polling pace is not sooner.
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert _queries(simulator) == (0, 1)
    await async_advance(hass, turn)
    assert _queries(simulator) == (1, 1)
    await async_advance(hass, turn)
    assert _queries(simulator) == (1, 2)
    await async_advance(hass, turn)
    assert _queries(simulator) == (2, 2)


async def test_fast_polls_again_when_a_result_push_is_lost(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """A poll that finds a result no push brought makes results polled every round again."""

    async def results_pushed() -> bool:
        diagnostics = await get_diagnostics_for_config_entry(
            hass, hass_client, init_integration
        )
        return bool(diagnostics["outbox"]["results_pushed"])

    # Diagnostics set up before the webhook's client starts the HTTP server.
    assert not await results_pushed()
    await async_enable_push(hass_client_no_auth, simulator, init_integration)
    pushed = await _async_send_unreported(hass, simulator)
    assert await async_status(hass, pushed) == "sent"
    assert await results_pushed()
    simulator.faults.lose_pushes = True
    lost = await _async_send_unreported(hass, simulator, "+4917099999998")
    await _async_send_queued(hass, simulator)
    assert await async_status(hass, lost) == "sending"

    await async_advance(hass, FIRST_POLL_DELAY)  # the reports' turn
    await async_advance(hass, POLL_INTERVAL_REPORTS / REPORT_ROUNDS_WHILE_PUSHED)
    assert await async_status(hass, lost) == "sent"
    assert _queries(simulator) == (1, 1)
    assert not await results_pushed()

    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert _queries(simulator) == (2, 1)


async def test_tracking_stops_when_credentials_are_refused(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Refused credentials end tracking polls: more attempts would lead to a ban."""
    await _async_send_queued(hass, simulator)
    simulator.config.password = "changed on the device"

    await async_advance(hass, FIRST_POLL_DELAY)
    refused = len(simulator.requests)
    assert simulator.requests[-1].status == 401
    for _ in range(3):
        await async_advance(hass, POLL_INTERVAL_REPORTS)
    assert len(simulator.requests) == refused
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    assert diagnostics["outbox"]["polling"] is False


# 100,000 rows take a second on an idle machine and longer on a busy one: the suite's
# 60 s limit guards against hung tests, it is no speed target (like the inbox's test).
@pytest.mark.timeout(600)
@pytest.mark.parametrize("endpoint", ["query_sms_result", "query_sms_deliver_status"])
async def test_a_reply_of_100000_rows(
    hass: HomeAssistant, simulator: Simulator, endpoint: str
) -> None:
    """100,000 rows in one reply are applied in slices the event loop runs between.

    A callback scheduled when the first message is told delivered must run
    before the last one is: tracking yields to the loop instead of holding it up.
    """
    # asyncio's debug mode (on in the test harness) would make the rows many times slower.
    hass.loop.set_debug(False)
    other = "+4917099999998"
    for number in (NUMBER, other):
        simulator.set_delivery_outcome(number, status_codes=None)
    first = await _tracking_id(hass)
    last = await _tracking_id(hass, recipients=[other])
    await simulator.wait_idle()
    if endpoint == "query_sms_result":
        told = [sms.as_row() | {"status": "DELIVERED"} for sms in simulator.sent]
        # Rows of SMS other clients sent.
        filler: dict[str, Any] = {"port": 0}
    else:
        told = [
            {
                "port": sms.port,
                "number": sms.number,
                "time": sms.time,
                "ref_id": sms.ref_id,
                "status_code": 0,
            }
            for sms in simulator.sent
        ]
        filler = {"port": 0, "ref_id": 0, "status_code": 0}
    rows = [told[0], *[filler] * 100_000, told[1]]
    simulator.faults.reply_bodies = {
        endpoint: json.dumps({"error_code": 200, "sn": SERIAL, "result": rows})
    }
    delivered: list[int] = []
    told_when_the_loop_ran: list[int] = []

    @callback
    def _on_status(event: Event[dict[str, Any]]) -> None:
        if event.data["status"] != "delivered":
            return
        delivered.append(event.data["tracking_id"])
        if len(delivered) == 1:
            hass.loop.call_soon(lambda: told_when_the_loop_ran.append(len(delivered)))

    hass.bus.async_listen(EVENT_SMS_STATUS, _on_status)
    await async_advance(hass, FIRST_POLL_DELAY)

    assert delivered == [first, last]
    assert told_when_the_loop_ran == [1]
