"""Acting on a port's module (restart, power, SIM slot, lock, block), for entities and actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from homeassistant.core import HomeAssistant, callback

from .const import LOGGER, port_label
from .coordinator import DinstarConfigEntry
from .errors import port_action_error
from .port_events import async_announce_on_port
from .pydinstar import DinstarError, PortException

# The gateway reset a port's module by itself (exception_info push).
EVENT_MODULE_RESET: Final = "dinstar_module_reset"
MODULE_RESET: Final = "module_reset"
ATTR_TYPE: Final = "type"
ATTR_ACTION: Final = "action"


async def async_control_port(
    entry: DinstarConfigEntry,
    port: int,
    action: str,
    request: Callable[[], Awaitable[None]],
) -> None:
    """Run one port action once, with translated errors, then read the ports again.

    action names what is done, for the messages (restart, power, slot, lock...).
    """
    coordinator = entry.runtime_data.port_coordinator
    try:
        await request()
    except DinstarError as err:
        raise port_action_error(
            coordinator.hass, entry, err, action=action, port=port
        ) from err
    LOGGER.info("%s: %s on port %s", entry.title, action, port_label(port))
    await coordinator.async_request_refresh()


@callback
def async_fire_module_reset(
    hass: HomeAssistant, entry: DinstarConfigEntry, exception: PortException
) -> None:
    """Tell automations, the logbook and the port's event entity that the gateway acted."""
    LOGGER.info(
        "%s: the gateway acted on port %s by itself (%s: %s)",
        entry.title,
        port_label(exception.port),
        exception.type,
        exception.action,
    )
    async_announce_on_port(
        hass,
        entry,
        exception.port,
        bus_event=EVENT_MODULE_RESET,
        event_type=MODULE_RESET,
        data={ATTR_TYPE: exception.type, ATTR_ACTION: exception.action},
    )
