"""Acting on a port's module (restart, power, SIM slot, lock, block), for entities and actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN, LOGGER, port_label
from .coordinator import DinstarConfigEntry
from .errors import action_error
from .port_events import async_announce_on_port
from .pydinstar import (
    DinstarApiError,
    DinstarError,
    DinstarUnsupportedError,
    PortException,
)

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
    placeholders = {"action": action, "port": port_label(port), "gateway": entry.title}
    try:
        await request()
    except DinstarUnsupportedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_not_supported",
            translation_placeholders=placeholders,
        ) from err
    except DinstarApiError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_refused",
            translation_placeholders=placeholders | {"code": str(err.error_code)},
        ) from err
    except DinstarError as err:
        raise action_error(err) from err
    LOGGER.info("%s: %s on port %s", entry.title, action, port_label(port))
    await entry.runtime_data.port_coordinator.async_request_refresh()


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
