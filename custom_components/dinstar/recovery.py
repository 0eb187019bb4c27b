"""Automatic recovery: restart the module of a port whose SIM stays off the network.

What owners do by hand: a port with a SIM that has not registered for N minutes
gets one module restart. If it is still not registered N minutes later, a repair
issue says so, and nothing more is tried until it registers again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, port_label
from .coordinator import DinstarConfigEntry
from .issues import async_set_port_not_recovered_issue
from .pydinstar import DinstarError, Registration

# States of a module with a SIM that is not on the network.
_OFF_NETWORK = frozenset({Registration.UNREGISTER, Registration.SEARCHING_NETWORK})
# The ports' state is polled; the decision only needs to follow it.
CHECK_INTERVAL = timedelta(minutes=1)


class DinstarPortRecovery:
    """Watch the ports' registration and restart a module that stays off the network."""

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, minutes: int
    ) -> None:
        """Restart after minutes off the network."""
        self._hass = hass
        self._entry = entry
        self._delay = timedelta(minutes=minutes)
        # Since when each port has been off the network, and when its module was restarted.
        self._off_since: dict[int, datetime] = {}
        self._restarted_at: dict[int, datetime] = {}

    @callback
    def async_start(self) -> None:
        """Check on every port poll and every minute, until the entry unloads."""
        gateway = self._entry.runtime_data.port_coordinator
        self._entry.async_on_unload(gateway.async_add_listener(self.async_check))
        self._entry.async_on_unload(
            async_track_time_interval(self._hass, self._async_tick, CHECK_INTERVAL)
        )
        self.async_check()

    @callback
    def _async_tick(self, _now: datetime) -> None:
        self.async_check()

    @callback
    def async_check(self) -> None:
        """Restart the modules due for it, and report those a restart did not bring back."""
        gateway = self._entry.runtime_data.port_coordinator
        if not gateway.last_update_success:
            # What the ports do is not known now.
            return
        now = dt_util.utcnow()
        ports = gateway.data.ports
        for port in list(self._off_since):
            if port not in ports or ports[port].registration not in _OFF_NETWORK:
                self._forget(port)
        for port, info in ports.items():
            if info.registration not in _OFF_NETWORK:
                continue
            off_since = self._off_since.setdefault(port, now)
            restarted_at = self._restarted_at.get(port)
            if restarted_at is None and now - off_since >= self._delay:
                self._restarted_at[port] = now
                self._entry.async_create_background_task(
                    self._hass,
                    self._async_restart(port),
                    f"{DOMAIN} {self._entry.title} recovery of port {port_label(port)}",
                )
            elif restarted_at is not None and now - restarted_at >= self._delay:
                async_set_port_not_recovered_issue(
                    self._hass, self._entry, port, not_recovered=True
                )

    def _forget(self, port: int) -> None:
        if self._restarted_at.pop(port, None) is not None:
            LOGGER.info(
                "%s: port %s is registered again",
                self._entry.title,
                port_label(port),
            )
        del self._off_since[port]
        async_set_port_not_recovered_issue(
            self._hass, self._entry, port, not_recovered=False
        )

    async def _async_restart(self, port: int) -> None:
        """Restart the module once; a failed request is logged, never repeated."""
        LOGGER.warning(
            "%s: port %s has not registered for %s minutes; restarting its module",
            self._entry.title,
            port_label(port),
            int(self._delay.total_seconds() // 60),
        )
        try:
            await self._entry.runtime_data.client.restart_module(port)
        except DinstarError as err:
            LOGGER.warning(
                "%s: the restart of port %s failed: %s",
                self._entry.title,
                port_label(port),
                err,
            )
            return
        self._entry.runtime_data.restarting_ports.async_mark(port)
        await self._entry.runtime_data.port_coordinator.async_request_refresh()
