"""Acting on a port's module (restart, power, SIM slot, lock, block), for entities and actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from .const import LOGGER, port_label
from .coordinator import DinstarConfigEntry, DinstarPortCoordinator
from .errors import port_action_error
from .port_events import async_announce_on_port
from .pydinstar import DinstarError, PortException, Registration

# The gateway reset a port's module by itself (exception_info push).
EVENT_MODULE_RESET: Final = "dinstar_module_reset"
MODULE_RESET: Final = "module_reset"
ATTR_TYPE: Final = "type"
ATTR_ACTION: Final = "action"
# How long a restarting module's readings wait for it at most: a restart takes
# 10-60 s, and without push a port poll comes every 2 minutes.
RESTART_BOUND: Final = timedelta(minutes=3)
# A module that tells about its SIM again is up.
_MODULE_UP = frozenset(
    {
        Registration.REGISTER_OK,
        Registration.NO_SIM,
        Registration.PIN_REQUIRE,
        Registration.PUK_REQUIRE,
    }
)


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
    """Tell automations, the logbook and the port's event entity that the gateway acted.

    A port the gateway does not report (a forged or garbled push) has nothing to tell.
    """
    if exception.port not in entry.runtime_data.port_coordinator.data.ports:
        LOGGER.debug(
            "%s: ignored a module reset of port %s, which the gateway does not have",
            entry.title,
            port_label(exception.port),
        )
        return
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
    entry.runtime_data.restarting_ports.async_mark(exception.port)


class DinstarRestartingPorts:
    """The ports whose module restarts: pressed, powered on, given another SIM, reset by the gateway.

    Until the module is back, what it reports (signal, identities, network...) is
    stale: the port's sensors are unavailable. It is back once a poll shows it up
    (registered, or telling about its SIM) after a poll showed it down; a poll right
    after the request may still show the module as it was. After RESTART_BOUND it
    counts as back, whatever the polls show.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DinstarConfigEntry,
        coordinator: DinstarPortCoordinator,
    ) -> None:
        """Follow the restarts of entry's ports through the port coordinator."""
        self._hass = hass
        self._entry = entry
        self._coordinator = coordinator
        # Whether a poll showed the module down since the restart, by port.
        self._seen_down: dict[int, bool] = {}
        self._cancel_bound: dict[int, CALLBACK_TYPE] = {}

    @callback
    def async_start(self) -> None:
        """Follow the polls; before the entities do, so that they see a module that is back."""
        self._entry.async_on_unload(
            self._coordinator.async_add_listener(self._async_follow_poll)
        )
        self._entry.async_on_unload(self._async_cancel_bounds)

    def __contains__(self, port: int) -> bool:
        """Return whether the port's module is restarting."""
        return port in self._seen_down

    @callback
    def async_mark(self, port: int) -> None:
        """Take the port's module as restarting from now on (a port the gateway reports).

        Callers only know ports the gateway reports: its entities, its actions'
        checked ports, and module resets of ports it has.
        """
        if (cancel := self._cancel_bound.pop(port, None)) is not None:
            cancel()
        self._seen_down[port] = False
        self._cancel_bound[port] = async_call_later(
            self._hass, RESTART_BOUND, partial(self._async_bound_reached, port)
        )
        self._coordinator.async_update_listeners()

    @callback
    def _async_follow_poll(self) -> None:
        if not self._coordinator.last_update_success:
            return
        ports = self._coordinator.data.ports
        for port, seen_down in list(self._seen_down.items()):
            # A port missing from the reply counts as down: back, it has restarted.
            if (info := ports.get(port)) is None or info.registration not in _MODULE_UP:
                self._seen_down[port] = True
            elif seen_down:
                self._cancel_bound.pop(port)()
                self._async_back(port)

    @callback
    def _async_bound_reached(self, port: int, _now: datetime) -> None:
        del self._cancel_bound[port]
        self._async_back(port)
        self._coordinator.async_update_listeners()

    @callback
    def _async_back(self, port: int) -> None:
        del self._seen_down[port]
        LOGGER.debug(
            "%s: the module of port %s is back", self._entry.title, port_label(port)
        )

    @callback
    def _async_cancel_bounds(self) -> None:
        for cancel in self._cancel_bound.values():
            cancel()
