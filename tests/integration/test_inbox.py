"""Reading incoming SMS through Home Assistant: events, paging, restarts, read flags, sensors.

What counts as new, a duplicate or a reset is the library's cursor, tested in
tests/library/test_inbox_cursor.py; these tests are its wiring against the simulator.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.dinstar.const import CONF_MARK_READ, CONF_TIMEZONE, DOMAIN
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED, POLL_INTERVAL
from dinstar_simulator import Simulator, SimulatorConfig
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED, STATE_UNAVAILABLE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util

from .conftest import PASSWORD, SERIAL, USERNAME, earlier_home_assistant, try_setup
from .sms_delivery import advance, message_ids, setup_entry

SENDER = "+4915112345678"
BERLIN = "Europe/Berlin"


@pytest.fixture
def simulator_config() -> SimulatorConfig:
    """Return a 4-port gateway whose clock runs in Berlin, with small reply pages."""
    return SimulatorConfig(
        ports=4,
        username=USERNAME,
        password=PASSWORD,
        serial=SERIAL,
        clock_speed=1000.0,
        timezone=BERLIN,
        max_incoming_rows=10,
    )


@pytest.fixture
def config_entry(config_entry: MockConfigEntry) -> MockConfigEntry:
    """Return the gateway's entry, told that the gateway's clock runs in Berlin."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=config_entry.title,
        unique_id=config_entry.unique_id,
        data=dict(config_entry.data),
        options={CONF_TIMEZONE: BERLIN},
    )


def _same_entry(entry: MockConfigEntry, **options: object) -> MockConfigEntry:
    """Return the entry as the next Home Assistant run loads it from disk."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        entry_id=entry.entry_id,
        data=dict(entry.data),
        options={**entry.options, **options},
    )


async def test_first_setup_takes_bearings_without_replay(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Messages already on the gateway (over several pages) are not news."""
    for number in range(25):
        simulator.deliver_sms(0, SENDER, f"old {number}")
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)

    await setup_entry(hass, config_entry)
    await advance(hass, freezer)
    assert events == []

    new = simulator.deliver_sms(1, SENDER, "new")
    await advance(hass, freezer)
    assert message_ids(events) == [new]
    await advance(hass, freezer)
    assert message_ids(events) == [new]

    # Reading never changed the gateway's read flags.
    assert not any(sms.read for sms in simulator.inbox)
    queries = [
        request.query_string
        for request in simulator.requests
        if request.path == "/api/query_incoming_sms"
    ]
    assert queries
    assert all(query.endswith("&flag=all") for query in queries)


async def test_event_data(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The event names the sender, text, panel port, aware time, SMSC, ids and device."""
    freezer.move_to("2026-01-15T11:30:00+00:00")
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)

    message_id = simulator.deliver_sms(1, SENDER, "Gate code?", smsc="+491770610000")
    await advance(hass, freezer)

    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-1"), config_entry.entry_id
    )
    assert device is not None
    assert [event.data for event in events] == [
        {
            "config_entry_id": config_entry.entry_id,
            "device_id": device.id,
            "port": 2,
            "sender": SENDER,
            "text": "Gate code?",
            # The gateway stamped 12:30 Berlin time, without an offset.
            "time": "2026-01-15T12:30:00+01:00",
            "smsc": "+491770610000",
            "message_id": message_id,
        }
    ]


async def test_backlog_is_paged_in_order(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A backlog many replies long arrives in one poll, oldest first, once."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)

    ids = [simulator.deliver_sms(n % 4, SENDER, f"burst {n}") for n in range(95)]
    await advance(hass, freezer)
    await advance(hass, freezer)

    assert message_ids(events) == ids


async def test_restart_in_the_middle_of_a_burst(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Home Assistant stopping while it reads a burst loses and repeats nothing."""
    async with earlier_home_assistant(hass) as first:
        first_entry = _same_entry(config_entry)
        await setup_entry(first, first_entry)
        before = async_capture_events(first, EVENT_SMS_RECEIVED)
        ids = [simulator.deliver_sms(n % 2, SENDER, f"burst {n}") for n in range(60)]
        # Each reply now takes a while: stop while a page is on its way.
        simulator.faults.latency = 0.05
        async_fire_time_changed(first, dt_util.utcnow() + POLL_INTERVAL)
        async with asyncio.timeout(5):
            while len(before) < 20:
                await asyncio.sleep(0.005)
        await first.async_stop()

    simulator.faults.latency = 0
    after = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await setup_entry(hass, _same_entry(first_entry))
    await advance(hass, None)

    assert 0 < len(before) < len(ids)
    assert message_ids(before) + message_ids(after) == ids


async def test_reload_in_the_middle_of_a_burst(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Unloading while a page is on its way drops that page; the next run reads it."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    ids = [simulator.deliver_sms(0, SENDER, f"burst {n}") for n in range(60)]
    simulator.faults.latency = 0.05
    async_fire_time_changed(hass, dt_util.utcnow() + POLL_INTERVAL)
    async with asyncio.timeout(5):
        while len(events) < 10:
            await asyncio.sleep(0.005)

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    delivered = len(events)
    await asyncio.sleep(0.1)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(events) == delivered < len(ids)

    simulator.faults.latency = 0
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert message_ids(events) == ids


async def test_ids_going_backwards(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """After the gateway's ids restart, what arrived since is delivered once.

    The cursor's rules (tests/library/test_inbox_cursor.py) tell a reset from
    deletions; here the gateway really restarts, and the user is told.
    """
    for number in range(8):
        simulator.deliver_sms(0, SENDER, f"before {number}")
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    old = simulator.deliver_sms(0, SENDER, "last before the reset")
    await advance(hass, freezer)
    assert message_ids(events) == [old]

    await simulator.reboot(reset_ids=True)
    first = simulator.deliver_sms(1, SENDER, "first after the reset")
    second = simulator.deliver_sms(2, SENDER, "second after the reset")
    assert (first, second) == (1, 2)
    await advance(hass, freezer)
    await advance(hass, freezer)
    assert [event.data["text"] for event in events] == [
        "last before the reset",
        "first after the reset",
        "second after the reset",
    ]
    assert f"The SMS ids of Dinstar {SERIAL} went backwards" in caplog.text

    # Reading goes on from the new ids, also past the old high-water mark.
    later = [simulator.deliver_sms(3, SENDER, f"later {n}") for n in range(12)]
    await advance(hass, freezer)
    assert message_ids(events) == [old, first, second, *later]


@pytest.mark.parametrize("mark_read", [True, False])
async def test_mark_read_option(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    mark_read: bool,
) -> None:
    """Only with the option on does the gateway flag the delivered SMS read."""
    old = simulator.deliver_sms(0, SENDER, "before Home Assistant")
    await setup_entry(hass, _same_entry(config_entry, **{CONF_MARK_READ: mark_read}))
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    ids = [simulator.deliver_sms(1, SENDER, f"new {n}") for n in range(25)]
    await advance(hass, freezer)

    assert message_ids(events) == ids
    flags = {sms.incoming_sms_id: sms.read for sms in simulator.inbox}
    assert flags.pop(old) is False
    assert set(flags.values()) == {mark_read}


async def test_gateway_offline_then_back(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """What arrives while the gateway cannot be read is delivered once it can."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    message_id = simulator.deliver_sms(0, SENDER, "while unreachable")
    simulator.faults.error_codes["query_incoming_sms"] = 500
    await advance(hass, freezer)
    assert events == []
    assert hass.states.get("sensor.port_1_sms_received").state == STATE_UNAVAILABLE

    del simulator.faults.error_codes["query_incoming_sms"]
    await advance(hass, freezer)
    assert message_ids(events) == [message_id]
    assert hass.states.get("sensor.port_1_sms_received").state == "1"


async def test_bearings_retried_after_failed_setup(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, object],
) -> None:
    """A setup that could not take bearings takes them on retry, still replaying nothing."""
    simulator.deliver_sms(0, SENDER, "old")
    simulator.faults.error_codes["query_incoming_sms"] = 500
    await try_setup(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert f"{DOMAIN}.{config_entry.entry_id}.inbox" not in hass_storage

    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    del simulator.faults.error_codes["query_incoming_sms"]
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert config_entry.state is ConfigEntryState.LOADED
    await advance(hass, freezer)
    assert events == []


async def test_nothing_delivered_before_home_assistant_started(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Automations only listen once Home Assistant started: SMS wait until then."""
    await setup_entry(hass, config_entry)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    message_id = simulator.deliver_sms(0, SENDER, "sent during the restart")

    hass.set_state(CoreState.starting)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await advance(hass, freezer)
    assert events == []

    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert message_ids(events) == [message_id]


async def test_removing_the_entry_forgets_the_inbox(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, object],
) -> None:
    """A removed gateway leaves no reading position behind."""
    await setup_entry(hass, config_entry)
    simulator.deliver_sms(0, SENDER, "hello")
    await advance(hass, freezer)
    key = f"{DOMAIN}.{config_entry.entry_id}.inbox"
    assert hass_storage[key]["data"]["mark"] == 1

    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_sensors(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """Each port shows its last SMS (cut to 255 characters) and how many it got."""
    entity_registry = er.async_get(hass)
    freezer.move_to("2026-01-15T11:30:00+00:00")
    await setup_entry(hass, config_entry)
    simulator.deliver_sms(1, "+4917000000001", "first")
    simulator.deliver_sms(1, SENDER, "x" * 300)
    simulator.deliver_sms(3, SENDER, "on the fourth port")
    await advance(hass, freezer)

    for entity_id in (
        "sensor.port_1_last_sms_received",
        "sensor.port_1_sms_received",
        "sensor.port_2_last_sms_received",
        "sensor.port_2_sms_received",
        "sensor.port_4_last_sms_received",
        "sensor.port_4_sms_received",
    ):
        entry = entity_registry.async_get(entity_id)
        assert entry == snapshot(name=f"{entity_id}-entry")
        assert hass.states.get(entity_id) == snapshot(name=f"{entity_id}-state")
    assert hass.states.get("sensor.port_2_last_sms_received").state == "x" * 255


async def test_sensors_after_a_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The last SMS and the count come back after Home Assistant restarts."""
    freezer.move_to("2026-01-15T11:30:00+00:00")
    async with earlier_home_assistant(hass) as first:
        await setup_entry(first, _same_entry(config_entry))
        for number in range(3):
            simulator.deliver_sms(1, SENDER, f"message {number}")
        await advance(first, freezer)
        assert first.states.get("sensor.port_2_sms_received").state == "3"
        await first.async_stop()

    freezer.tick(POLL_INTERVAL)
    await setup_entry(hass, _same_entry(config_entry))
    counter = hass.states.get("sensor.port_2_sms_received")
    last = hass.states.get("sensor.port_2_last_sms_received")
    assert counter.state == "3"
    assert last.state == "message 2"
    assert last.attributes["sender"] == SENDER
    assert (
        last.attributes["time"]
        == datetime.fromisoformat("2026-01-15T12:30:00+01:00").isoformat()
    )
    assert last.attributes["message_id"] == 3

    simulator.deliver_sms(1, SENDER, "message 3")
    await advance(hass, freezer)
    assert hass.states.get("sensor.port_2_sms_received").state == "4"
