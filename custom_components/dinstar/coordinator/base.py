"""The base of the coordinators: one part of a gateway's state, polled through its client."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from custom_components.dinstar.const import DOMAIN, LOGGER
from custom_components.dinstar.pydinstar import DinstarClient
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

if TYPE_CHECKING:
    from . import DinstarConfigEntry


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
