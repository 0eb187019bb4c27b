"""Base entities of the Dinstar integration."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from homeassistant.core import Event, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import DinstarConfigEntry, DinstarCoordinator, DinstarPortCoordinator
from .devices import gateway_device_info, port_device_info, port_identifier
from .pydinstar import PortInfo


@callback
def async_add_port_entities(
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_of_port: Callable[[int], Iterable[Entity]],
) -> None:
    """Add each port's entities now, and those of ports that appear later.

    A port whose device is removed (the gateway no longer has the port, see
    async_remove_stale_port_devices, or the user deleted it) loses these
    entities with it: it is forgotten, to be added again if it is reported.
    """
    coordinator = entry.runtime_data.port_coordinator
    known: set[int] = set()

    @callback
    def add_new_ports() -> None:
        new = sorted(coordinator.data.ports.keys() - known)
        known.update(new)
        async_add_entities(entity for port in new for entity in entities_of_port(port))

    @callback
    def forget_removed_port(event: Event[dr.EventDeviceRegistryUpdatedData]) -> None:
        if event.data["action"] != "remove":
            return
        identifiers = {tuple(item) for item in event.data["device"]["identifiers"]}
        known.difference_update(
            [port for port in known if port_identifier(entry, port) in identifiers]
        )

    add_new_ports()
    entry.async_on_unload(coordinator.async_add_listener(add_new_ports))
    entry.async_on_unload(
        coordinator.hass.bus.async_listen(
            dr.EVENT_DEVICE_REGISTRY_UPDATED, forget_removed_port
        )
    )


class DinstarEntity[C: DinstarCoordinator[Any]](CoordinatorEntity[C]):
    """An entity of a gateway: on the gateway's device, or on a port's with port.

    Unique ids come from the gateway's serial, the port and the key:
    `{serial}-{key}` and `{serial}-{port}-{key}`.
    """

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: C, description: EntityDescription, port: int | None = None
    ) -> None:
        """Attach the entity to the gateway's device, or to the device of port."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        if port is None:
            self._attr_unique_id = f"{entry.unique_id}-{description.key}"
            self._attr_device_info = gateway_device_info(entry)
        else:
            self._attr_unique_id = f"{entry.unique_id}-{port}-{description.key}"
            self._attr_device_info = port_device_info(entry, port)


class DinstarPortEntity(DinstarEntity[DinstarPortCoordinator]):
    """An entity of one SIM port that shows or controls the port's module."""

    def __init__(
        self,
        coordinator: DinstarPortCoordinator,
        description: EntityDescription,
        port: int,
    ) -> None:
        """Attach the entity to the device of port."""
        super().__init__(coordinator, description, port)
        self.port = port

    @property
    def port_info(self) -> PortInfo:
        """Return the port's latest state (only read while the entity is available)."""
        return self.coordinator.data.ports[self.port]

    @property
    def available(self) -> bool:
        """Return whether the gateway answers and still reports this port."""
        return super().available and self.port in self.coordinator.data.ports
