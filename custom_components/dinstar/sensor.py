"""Sensors of the gateway and of each SIM port (those of messages: message_sensors.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import (
    DinstarConfigEntry,
    DinstarPortCoordinator,
    DinstarStatusCoordinator,
    GatewayData,
)
from .entity import DinstarEntity, DinstarPortEntity, async_add_port_entities
from .message_sensors import (
    INBOX_SENSORS,
    OUTCOME_SENSORS,
    DinstarInboxSensor,
    DinstarLastPushSensor,
    DinstarOutcomeSensor,
)
from .pydinstar import CallState, GatewayStatus, NetworkType, PortInfo, Registration

# Every read goes through the coordinator.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DinstarPortSensorDescription(SensorEntityDescription):
    """A sensor of one port, read from the port's state."""

    value_fn: Callable[[PortInfo], StateType | Decimal]
    # Whether the port has this sensor, judged when the port first shows.
    exists_fn: Callable[[PortInfo], bool] = lambda _: True
    # The registration shows a module's restart; other readings are stale during it.
    available_while_restarting: bool = False


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
        available_while_restarting=True,
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
    # Firmware older than the extended get_port_info fields does not have these.
    DinstarPortSensorDescription(
        key="gprs",
        translation_key="gprs",
        device_class=SensorDeviceClass.ENUM,
        options=["attached", "detached"],
        value_fn=lambda info: _attached(info.gprs_attached),
        exists_fn=lambda info: info.gprs_attached is not None,
    ),
    DinstarPortSensorDescription(
        key="call_state",
        translation_key="call_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.name.lower() for state in CallState],
        value_fn=lambda info: (
            None if info.call_state is None else info.call_state.name.lower()
        ),
        exists_fn=lambda info: info.call_state is not None,
    ),
    # Only where billing limits are set on the gateway; the currency is not known.
    *(
        DinstarPortSensorDescription(
            key=key,
            translation_key=key,
            state_class=SensorStateClass.MEASUREMENT,
            entity_registry_enabled_default=False,
            value_fn=lambda info, key=key: getattr(info, key),  # type: ignore[misc]
            exists_fn=lambda info, key=key: getattr(info, key) is not None,  # type: ignore[misc]
        )
        for key in ("remain_credit", "remain_monthly_credit", "remain_daily_credit")
    ),
)


def _attached(gprs_attached: bool | None) -> str | None:
    if gprs_attached is None:
        return None
    return "attached" if gprs_attached else "detached"


@dataclass(frozen=True, kw_only=True)
class DinstarStatusSensorDescription(SensorEntityDescription):
    """A health sensor of the gateway, read from get_status."""

    value_fn: Callable[[GatewayStatus], StateType]


STATUS_SENSORS: tuple[DinstarStatusSensorDescription, ...] = (
    DinstarStatusSensorDescription(
        key="cpu_used",
        translation_key="cpu_used",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: status.cpu_used,
    ),
    DinstarStatusSensorDescription(
        key="memory_used",
        translation_key="memory_used",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        suggested_display_precision=0,
        value_fn=lambda status: status.memory_used_percent,
    ),
    DinstarStatusSensorDescription(
        key="flash_used",
        translation_key="flash_used",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        suggested_display_precision=0,
        value_fn=lambda status: status.flash_used_percent,
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
    coordinator = entry.runtime_data.port_coordinator
    async_add_entities(
        DinstarGatewaySensor(coordinator, description)
        for description in GATEWAY_SENSORS
    )
    async_add_entities([DinstarLastPushSensor(coordinator)])
    if (status := entry.runtime_data.status_coordinator).data is not None:
        async_add_entities(
            DinstarStatusSensor(status, description) for description in STATUS_SENSORS
        )
    inbox = entry.runtime_data.inbox_coordinator

    def entities_of_port(port: int) -> list[SensorEntity]:
        info = coordinator.data.ports[port]
        return [
            *(
                DinstarPortSensor(coordinator, desc, port)
                for desc in PORT_SENSORS
                if desc.exists_fn(info)
            ),
            *(DinstarInboxSensor(inbox, desc, port) for desc in INBOX_SENSORS),
            *(
                DinstarOutcomeSensor(coordinator, desc, port)
                for desc in OUTCOME_SENSORS
            ),
        ]

    async_add_port_entities(entry, async_add_entities, entities_of_port)


class DinstarGatewaySensor(DinstarEntity[DinstarPortCoordinator], SensorEntity):
    """A sensor of the gateway as a whole."""

    entity_description: DinstarGatewaySensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the value from the latest poll."""
        return self.entity_description.value_fn(self.coordinator.data)


class DinstarStatusSensor(DinstarEntity[DinstarStatusCoordinator], SensorEntity):
    """A health sensor of the gateway (CPU, memory, flash)."""

    entity_description: DinstarStatusSensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the value from the latest status."""
        if (status := self.coordinator.data) is None:
            return None
        return self.entity_description.value_fn(status)


class DinstarPortSensor(DinstarPortEntity, SensorEntity):
    """A sensor of one SIM port."""

    entity_description: DinstarPortSensorDescription

    @property
    def available(self) -> bool:
        """Return whether the port is reported and, unless restarting shows here, not restarting."""
        return super().available and (
            self.entity_description.available_while_restarting
            or self.port
            not in self.coordinator.config_entry.runtime_data.restarting_ports
        )

    @property
    def native_value(self) -> StateType | Decimal:
        """Return the value from the port's latest state."""
        return self.entity_description.value_fn(self.port_info)
