"""The coordinators of the gateway itself: its ports with the send queue, and its health."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from custom_components.dinstar.const import (
    LOGGER,
    PORT_SCAN_INTERVAL,
    STATUS_SCAN_INTERVAL,
)
from custom_components.dinstar.errors import update_errors
from custom_components.dinstar.issues import async_set_lockout_issue
from custom_components.dinstar.pydinstar import (
    DinstarClient,
    DinstarLockedOutError,
    DinstarUnsupportedError,
    GatewayStatus,
    PortInfo,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed

from .base import DinstarCoordinator

if TYPE_CHECKING:
    from . import DinstarConfigEntry


@dataclass(frozen=True, kw_only=True)
class GatewayData:
    """One poll of the gateway: every port's state and the send queue length."""

    ports: Mapping[int, PortInfo]
    sms_in_queue: int | None


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
            with update_errors():
                gateway = await self.client.get_port_info()
                in_queue = await self.client.query_sms_in_queue()
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
        with update_errors():
            try:
                return await self.client.get_status()
            except DinstarUnsupportedError:
                pass
        LOGGER.debug("%s has no get_status: no health sensors", self.config_entry.title)
        self.update_interval = None
        return None
