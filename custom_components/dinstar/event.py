"""One event entity per port: SMS received, status of SMS sent, USSD replies, module resets."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import DinstarConfigEntry
from .entity import DinstarPortEntity, async_add_port_entities
from .inbox import SMS_RECEIVED
from .port_control import MODULE_RESET
from .port_events import port_event_signal

# Events come from the inbox, the outbox and pushes; nothing is polled here.
PARALLEL_UPDATES = 0

SMS_STATUS = "sms_status"
USSD_REPLY = "ussd_reply"

DESCRIPTION = EventEntityDescription(
    key="messages",
    translation_key="messages",
    event_types=[SMS_RECEIVED, SMS_STATUS, USSD_REPLY, MODULE_RESET],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entity of each port as ports appear."""
    coordinator = entry.runtime_data.port_coordinator
    async_add_port_entities(
        entry,
        async_add_entities,
        lambda port: [DinstarPortEventEntity(coordinator, DESCRIPTION, port)],
    )


class DinstarPortEventEntity(DinstarPortEntity, EventEntity):
    """The messages of one port, as they happen.

    Only what is sent on the port's signal while the entity exists fires: a
    restart restores the last event as state and never fires it again.
    """

    async def async_added_to_hass(self) -> None:
        """Start listening for the port's events."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                port_event_signal(self.coordinator.config_entry.entry_id, self.port),
                self._async_handle_event,
            )
        )

    @callback
    def _async_handle_event(self, event_type: str, data: dict[str, Any]) -> None:
        """Fire one event of the port."""
        self._trigger_event(event_type, data)
        self.async_write_ha_state()
