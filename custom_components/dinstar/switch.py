"""A switch per port for the power of its GSM/LTE module."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.components.switch.const import SwitchDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import DinstarConfigEntry
from .entity import DinstarPortEntity, async_add_port_entities
from .port_control import async_control_port
from .pydinstar import Registration

PARALLEL_UPDATES = 1

POWER = SwitchEntityDescription(
    key="power",
    translation_key="power",
    device_class=SwitchDeviceClass.SWITCH,
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the power switch of each port as ports appear."""
    coordinator = entry.runtime_data.port_coordinator
    async_add_port_entities(
        entry,
        async_add_entities,
        lambda port: [DinstarPowerSwitch(coordinator, POWER, port)],
    )


class DinstarPowerSwitch(DinstarPortEntity, SwitchEntity):
    """Hard power of the port's module: off, it neither sends nor receives.

    The state is the gateway's: on unless the port reports "powered off".
    """

    @property
    def is_on(self) -> bool | None:
        """Return whether the module has power."""
        if (registration := self.port_info.registration) is None:
            return None
        return registration is not Registration.POWER_OFF

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Power the module on; it registers again after 10-30 s."""
        await self._async_set_power(on=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Power the module off."""
        await self._async_set_power(on=False)

    async def _async_set_power(self, *, on: bool) -> None:
        client = self.coordinator.client
        entry = self.coordinator.config_entry
        await async_control_port(
            entry,
            self.port,
            "power on" if on else "power off",
            lambda: client.set_port_power(self.port, on=on),
        )
        if on:
            # The module starts; powered off, "powered off" is its state.
            entry.runtime_data.restarting_ports.async_mark(self.port)
