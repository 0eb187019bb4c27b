"""Base entities of the Dinstar integration."""

from __future__ import annotations

from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import PortInfo
from .coordinator import DinstarGatewayCoordinator
from .devices import gateway_device_info, port_device_info


class DinstarGatewayEntity(CoordinatorEntity[DinstarGatewayCoordinator]):
    """An entity of the gateway as a whole."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: DinstarGatewayCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the gateway's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.unique_id}-{description.key}"
        self._attr_device_info = gateway_device_info(entry)


class DinstarPortEntity(CoordinatorEntity[DinstarGatewayCoordinator]):
    """An entity of one SIM port, on that port's device."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: DinstarGatewayCoordinator,
        description: EntityDescription,
        port: int,
    ) -> None:
        """Attach the entity to the device of port."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self.port = port
        self._attr_unique_id = f"{entry.unique_id}-{port}-{description.key}"
        self._attr_device_info = port_device_info(entry, port)

    @property
    def port_info(self) -> PortInfo:
        """Return the port's latest state (only read while the entity is available)."""
        return self.coordinator.data.ports[self.port]

    @property
    def available(self) -> bool:
        """Return whether the gateway answers and still reports this port."""
        return super().available and self.port in self.coordinator.data.ports
