"""Runtime data and the coordinators that poll the gateway."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DOMAIN, LOGGER, PORT_SCAN_INTERVAL, STATUS_SCAN_INTERVAL
from .errors import call_gateway
from .issues import async_set_lockout_issue
from .pydinstar import (
    DinstarClient,
    DinstarLockedOutError,
    DinstarUnsupportedError,
    GatewayStatus,
    PortInfo,
)

if TYPE_CHECKING:
    from .history import DinstarHistory
    from .inbox import DinstarInbox
    from .outbox import DinstarOutbox
    from .recovery import DinstarPortRecovery
    from .ussd import DinstarUssd
    from .webhook import DinstarWebhook


@dataclass(kw_only=True)
class DinstarRuntimeData:
    """What a loaded config entry holds while it runs."""

    client: DinstarClient
    port_coordinator: DinstarPortCoordinator
    gateway_device_id: str
    outbox: DinstarOutbox
    ussd: DinstarUssd
    inbox: DinstarInbox
    webhook: DinstarWebhook
    history: DinstarHistory
    status_coordinator: DinstarStatusCoordinator
    recovery: DinstarPortRecovery | None = None


type DinstarConfigEntry = ConfigEntry[DinstarRuntimeData]


@dataclass(frozen=True, kw_only=True)
class GatewayData:
    """One poll of the gateway: every port's state and the send queue length."""

    ports: Mapping[int, PortInfo]
    sms_in_queue: int | None


class DinstarCoordinator[T](DataUpdateCoordinator[T]):
    """Poll one part of a gateway's state through its client."""

    config_entry: DinstarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DinstarConfigEntry,
        client: DinstarClient,
        *,
        what: str,
        update_interval: timedelta,
    ) -> None:
        """Poll what (for the logs: ports, status, inbox) of entry's gateway."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title} {what}",
            update_interval=update_interval,
            always_update=False,
        )
        self.client = client


class DinstarPortCoordinator(DinstarCoordinator[GatewayData]):
    """Poll every port's registration, identity and signal, and the send queue."""

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Poll the gateway of entry through client."""
        super().__init__(
            hass, entry, client, what="ports", update_interval=PORT_SCAN_INTERVAL
        )

    async def _async_update_data(self) -> GatewayData:
        """Read all ports in one request, then the queue length."""
        try:
            gateway = await call_gateway(self.client.get_port_info)
            in_queue = await call_gateway(self.client.query_sms_in_queue)
        except ConfigEntryAuthFailed as err:
            async_set_lockout_issue(
                self.hass,
                self.config_entry,
                locked_out=isinstance(err.__cause__, DinstarLockedOutError),
            )
            raise
        async_set_lockout_issue(self.hass, self.config_entry, locked_out=False)
        return GatewayData(
            ports={port.port: port for port in gateway.ports}, sms_in_queue=in_queue
        )


class DinstarStatusCoordinator(DinstarCoordinator[GatewayStatus | None]):
    """Poll the gateway's CPU, memory and flash use (get_status).

    None is firmware without get_status: it is not asked again.
    """

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Poll the health of entry's gateway through client."""
        super().__init__(
            hass, entry, client, what="status", update_interval=STATUS_SCAN_INTERVAL
        )

    async def _async_update_data(self) -> GatewayStatus | None:
        """Read the performance section, or learn that the firmware has none."""
        try:
            return await call_gateway(self.client.get_status)
        except UpdateFailed as err:
            if not isinstance(err.__cause__, DinstarUnsupportedError):
                raise
        LOGGER.debug("%s has no get_status: no health sensors", self.config_entry.title)
        self.update_interval = None
        return None
