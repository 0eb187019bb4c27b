"""What happens on a SIM port, told once three ways: on the bus, on the port's event entity, to listeners.

Incoming SMS, status changes of sent SMS, USSD replies and modules the gateway
reset by itself are all announced by async_announce_on_port.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .const import DOMAIN, port_label
from .devices import port_identifier

if TYPE_CHECKING:
    from .coordinator import DinstarConfigEntry

ATTR_PORT: Final = "port"


def port_event_signal(entry_id: str, port: int) -> str:
    """Return the dispatcher signal that fires an event on a port's event entity.

    Senders pass (event_type, event_data); the port's event entity fires it.
    """
    return f"{DOMAIN}_{entry_id}_port_{port}_event"


@callback
def async_announce_on_port(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    port: int,
    *,
    bus_event: str,
    event_type: str,
    data: dict[str, Any],
) -> None:
    """Fire bus_event and the port's event entity's event_type with data.

    data is completed with the config entry, the port's device (None while it
    has none) and the port as its front panel numbers it.
    """
    device = dr.async_get(hass).async_get_device_by_identifier(
        port_identifier(entry, port), entry.entry_id
    )
    fired = {
        ATTR_CONFIG_ENTRY_ID: entry.entry_id,
        ATTR_DEVICE_ID: None if device is None else device.id,
        ATTR_PORT: int(port_label(port)),
        **data,
    }
    hass.bus.async_fire(bus_event, fired)
    async_dispatcher_send(
        hass, port_event_signal(entry.entry_id, port), event_type, fired
    )
