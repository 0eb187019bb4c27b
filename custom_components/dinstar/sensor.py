"""Sensors of the gateway's send queue and of each SIM port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import SIGNAL_STRENGTH_DECIBELS_MILLIWATT, EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import NetworkType, PortInfo, Registration
from .coordinator import DinstarConfigEntry, GatewayData
from .entity import DinstarGatewayEntity, DinstarPortEntity

# Every read goes through the coordinator.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DinstarPortSensorDescription(SensorEntityDescription):
    """A sensor of one port, read from the port's state."""

    value_fn: Callable[[PortInfo], StateType]


@dataclass(frozen=True, kw_only=True)
class DinstarGatewaySensorDescription(SensorEntityDescription):
    """A sensor of the gateway, read from a poll of the whole gateway."""

    value_fn: Callable[[GatewayData], StateType]


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


PORT_SENSORS: tuple[DinstarPortSensorDescription, ...] = (
    DinstarPortSensorDescription(
        key="registration",
        translation_key="registration",
        device_class=SensorDeviceClass.ENUM,
        options=[state.lower() for state in Registration],
        value_fn=lambda info: _lower(info.registration),
    ),
    DinstarPortSensorDescription(
        key="network_type",
        translation_key="network_type",
        device_class=SensorDeviceClass.ENUM,
        options=[kind.lower() for kind in NetworkType],
        value_fn=lambda info: _lower(info.type),
    ),
    DinstarPortSensorDescription(
        key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda info: info.signal_dbm,
    ),
    DinstarPortSensorDescription(
        key="phone_number",
        translation_key="phone_number",
        value_fn=lambda info: info.number,
    ),
    DinstarPortSensorDescription(
        key="smsc",
        translation_key="smsc",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda info: info.smsc,
    ),
    DinstarPortSensorDescription(
        key="imei",
        translation_key="imei",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: info.imei,
    ),
    DinstarPortSensorDescription(
        key="imsi",
        translation_key="imsi",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: info.imsi,
    ),
    DinstarPortSensorDescription(
        key="iccid",
        translation_key="iccid",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda info: info.iccid,
    ),
)

GATEWAY_SENSORS: tuple[DinstarGatewaySensorDescription, ...] = (
    DinstarGatewaySensorDescription(
        key="sms_queue",
        translation_key="sms_queue",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.sms_in_queue,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the gateway's sensors, and each port's as ports appear."""
    coordinator = entry.runtime_data.gateway
    async_add_entities(
        DinstarGatewaySensor(coordinator, description)
        for description in GATEWAY_SENSORS
    )
    known: set[int] = set()

    @callback
    def add_new_ports() -> None:
        new = set(coordinator.data.ports) - known
        known.update(new)
        async_add_entities(
            DinstarPortSensor(coordinator, description, port)
            for port in sorted(new)
            for description in PORT_SENSORS
        )

    add_new_ports()
    entry.async_on_unload(coordinator.async_add_listener(add_new_ports))


class DinstarGatewaySensor(DinstarGatewayEntity, SensorEntity):
    """A sensor of the gateway as a whole."""

    entity_description: DinstarGatewaySensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the value from the latest poll."""
        return self.entity_description.value_fn(self.coordinator.data)


class DinstarPortSensor(DinstarPortEntity, SensorEntity):
    """A sensor of one SIM port."""

    entity_description: DinstarPortSensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the value from the port's latest state."""
        if (info := self.port_info) is None:
            return None
        return self.entity_description.value_fn(info)
