"""A button per port that restarts its GSM/LTE module."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import DinstarConfigEntry
from .entity import DinstarPortEntity, async_add_port_entities
from .port_control import async_control_port

# One request per press; the gateway takes them one at a time anyway.
PARALLEL_UPDATES = 1

RESTART_MODULE = ButtonEntityDescription(
    key="restart_module",
    translation_key="restart_module",
    device_class=ButtonDeviceClass.RESTART,
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the restart button of each port as ports appear."""
    coordinator = entry.runtime_data.port_coordinator
    async_add_port_entities(
        entry,
        async_add_entities,
        lambda port: [DinstarRestartButton(coordinator, RESTART_MODULE, port)],
    )


class DinstarRestartButton(DinstarPortEntity, ButtonEntity):
    """Soft-reset the port's module; it registers again within a minute or so.

    Whatever the module was sending (SMS, a USSD session) is lost.
    """

    async def async_press(self) -> None:
        """Restart the module."""
        client = self.coordinator.client
        await async_control_port(
            self.coordinator.config_entry,
            self.port,
            "reset",
            lambda: client.restart_module(self.port),
        )
        self.coordinator.config_entry.runtime_data.restarting_ports.async_mark(
            self.port
        )
