"""A select per port of a SIM bank gateway: which of its SIMs (slots 1-4) is in use."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import DinstarConfigEntry
from .entity import DinstarPortEntity, async_add_port_entities
from .port_control import async_control_port
from .pydinstar import SIM_SLOTS

PARALLEL_UPDATES = 1

# Options by slot number: the gateway counts slots from 0, the options from 1.
SLOT_OPTIONS = [f"slot_{slot + 1}" for slot in range(SIM_SLOTS)]

SIM_SLOT = SelectEntityDescription(
    key="sim_slot",
    translation_key="sim_slot",
    entity_category=EntityCategory.CONFIG,
    options=SLOT_OPTIONS,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the SIM slot select of each port that has a SIM bank (slot not 255)."""
    coordinator = entry.runtime_data.port_coordinator

    def entities_of_port(port: int) -> list[DinstarSimSlotSelect]:
        if coordinator.data.ports[port].sim_slot is None:
            return []
        return [DinstarSimSlotSelect(coordinator, SIM_SLOT, port)]

    async_add_port_entities(entry, async_add_entities, entities_of_port)


class DinstarSimSlotSelect(DinstarPortEntity, SelectEntity):
    """The SIM of the port's SIM bank that the module uses; changing it restarts the module."""

    @property
    def current_option(self) -> str | None:
        """Return the slot in use."""
        if (slot := self.port_info.sim_slot) is None:
            return None
        return SLOT_OPTIONS[slot]

    async def async_select_option(self, option: str) -> None:
        """Switch the module to another SIM."""
        slot = SLOT_OPTIONS.index(option)
        client = self.coordinator.client
        entry = self.coordinator.config_entry
        await async_control_port(
            entry,
            self.port,
            f"SIM slot {slot + 1}",
            lambda: client.select_sim_slot(self.port, slot),
        )
        entry.runtime_data.restarting_ports.async_mark(self.port)
