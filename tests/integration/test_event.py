"""Tests of the port event entities: what they fire, and that they never replay."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.dinstar.const import CONF_TIMEZONE, DOMAIN
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED
from dinstar_simulator import Simulator
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .sms_delivery import advance, connect_push, pushes_done, setup_entry

SENDER = "+4915112345678"
EVENT_ENTITIES = [f"event.port_{port}_messages" for port in range(1, 5)]


async def test_event_entities(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """Every port has one event entity, which fires each SMS the port receives."""
    freezer.move_to("2026-01-15T11:30:00+00:00")
    # The simulated gateway's clock runs in UTC.
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(config_entry, options={CONF_TIMEZONE: "UTC"})
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    simulator.deliver_sms(1, SENDER, "Gate code?")
    await advance(hass, freezer)

    entity_registry = er.async_get(hass)
    for entity_id in EVENT_ENTITIES:
        entry = entity_registry.async_get(entity_id)
        assert entry == snapshot(name=f"{entity_id}-entry")
        assert hass.states.get(entity_id) == snapshot(
            name=f"{entity_id}-state", exclude=props("config_entry_id", "device_id")
        )

    state = hass.states.get("event.port_2_messages")
    assert state.attributes["event_type"] == "sms_received"
    assert {key: state.attributes[key] for key in events[0].data} == events[0].data
    assert hass.states.get("event.port_1_messages").state == "unknown"


async def test_no_replay_after_a_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After a reload the entity shows its last event again, without firing it."""
    await setup_entry(hass, config_entry)
    simulator.deliver_sms(0, SENDER, "before the restart")
    await advance(hass, freezer)
    before = hass.states.get("event.port_1_messages")
    assert before.attributes["text"] == "before the restart"

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await advance(hass, freezer)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await advance(hass, freezer)

    after = hass.states.get("event.port_1_messages")
    assert after.state == before.state
    assert after.attributes == before.attributes
    assert events == []
    fired = [
        change
        for change in changes
        if change.data["entity_id"] == "event.port_1_messages"
        and change.data["new_state"].state not in (before.state, "unavailable")
    ]
    assert fired == []


async def test_status_of_sent_sms_fires_on_the_port(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """The sending side's status events reach the port's entity as sms_status."""
    await setup_entry(hass, config_entry)
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "config_entry_id": config_entry.entry_id,
            "recipients": [SENDER],
            "message": "hi",
            "ports": [1],
        },
        blocking=True,
    )
    await pushes_done(hass, simulator)

    state = hass.states.get("event.port_1_messages")
    assert state.attributes["event_type"] == "sms_status"
    assert state.attributes["recipient"] == SENDER
