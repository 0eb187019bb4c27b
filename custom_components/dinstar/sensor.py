"""Sensors of the gateway's send queue and of each SIM port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    MAX_LENGTH_STATE_STATE,
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import (
    DinstarConfigEntry,
    DinstarIncomingSmsCoordinator,
    DinstarRuntimeData,
    DinstarStatusCoordinator,
    GatewayData,
)
from .devices import gateway_device_info, port_device_info
from .entity import DinstarGatewayEntity, DinstarPortEntity, async_add_port_entities
from .inbox import ATTR_MESSAGE_ID, ATTR_SENDER, ATTR_SMSC, ATTR_TIME, PortInbox
from .outbox import outbox_updated_signal
from .pydinstar import CallState, GatewayStatus, NetworkType, PortInfo, Registration
from .ussd import ussd_updated_signal
from .webhook import push_received_signal

# Every read goes through the coordinator.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DinstarPortSensorDescription(SensorEntityDescription):
    """A sensor of one port, read from the port's state."""

    value_fn: Callable[[PortInfo], StateType | Decimal]
    # Whether the port has this sensor, judged when the port first shows.
    exists_fn: Callable[[PortInfo], bool] = lambda _: True


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


@dataclass(frozen=True, kw_only=True)
class DinstarInboxSensorDescription(SensorEntityDescription):
    """A sensor of the SMS one port received."""

    value_fn: Callable[[PortInbox], StateType]
    attributes_fn: Callable[[PortInbox], dict[str, Any] | None] = lambda _: None


def _last_sms_attributes(inbox: PortInbox) -> dict[str, Any] | None:
    """Return who sent the last SMS, when, through which SMSC, and its id."""
    if (sms := inbox.last) is None:
        return None
    return {
        ATTR_SENDER: sms.sender,
        ATTR_TIME: None if sms.time is None else sms.time.isoformat(),
        ATTR_SMSC: sms.smsc,
        ATTR_MESSAGE_ID: sms.id,
    }


INBOX_SENSORS: tuple[DinstarInboxSensorDescription, ...] = (
    DinstarInboxSensorDescription(
        key="last_sms",
        translation_key="last_sms",
        # A state holds at most 255 characters; the event carries the whole text.
        value_fn=lambda inbox: (
            None if inbox.last is None else inbox.last.text[:MAX_LENGTH_STATE_STATE]
        ),
        attributes_fn=_last_sms_attributes,
    ),
    DinstarInboxSensorDescription(
        key="sms_received",
        translation_key="sms_received",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda inbox: inbox.received,
    ),
)


@dataclass(frozen=True, kw_only=True)
class DinstarSendingSensorDescription(SensorEntityDescription):
    """A sensor of what Home Assistant sent through one port, and its replies."""

    value_fn: Callable[[DinstarRuntimeData, int], StateType]
    # The signal, by entry id, that tells the sensor its value changed.
    signal_fn: Callable[[str], str]


def _last_ussd_reply(data: DinstarRuntimeData, port: int) -> str | None:
    if (exchange := data.ussd.last_exchange(port)) is None:
        return None
    return exchange.reply[:MAX_LENGTH_STATE_STATE]


SENDING_SENSORS: tuple[DinstarSendingSensorDescription, ...] = (
    DinstarSendingSensorDescription(
        key="sms_sent",
        translation_key="sms_sent",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data, port: data.outbox.counters(port)["sent"],
        signal_fn=outbox_updated_signal,
    ),
    DinstarSendingSensorDescription(
        key="sms_failed",
        translation_key="sms_failed",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data, port: data.outbox.counters(port)["failed"],
        signal_fn=outbox_updated_signal,
    ),
    DinstarSendingSensorDescription(
        key="ussd_reply",
        translation_key="ussd_reply",
        value_fn=_last_ussd_reply,
        signal_fn=ussd_updated_signal,
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
    async_add_entities([DinstarLastPushSensor(entry)])
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
            *(DinstarSendingSensor(entry, desc, port) for desc in SENDING_SENSORS),
        ]

    async_add_port_entities(entry, async_add_entities, entities_of_port)


class DinstarGatewaySensor(DinstarGatewayEntity, SensorEntity):
    """A sensor of the gateway as a whole."""

    entity_description: DinstarGatewaySensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the value from the latest poll."""
        return self.entity_description.value_fn(self.coordinator.data)


class DinstarStatusSensor(CoordinatorEntity[DinstarStatusCoordinator], SensorEntity):
    """A health sensor of the gateway (CPU, memory, flash)."""

    _attr_has_entity_name = True
    entity_description: DinstarStatusSensorDescription

    def __init__(
        self,
        coordinator: DinstarStatusCoordinator,
        description: DinstarStatusSensorDescription,
    ) -> None:
        """Attach the sensor to the gateway's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.unique_id}-{description.key}"
        self._attr_device_info = gateway_device_info(entry)

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
    def native_value(self) -> StateType | Decimal:
        """Return the value from the port's latest state."""
        return self.entity_description.value_fn(self.port_info)


class DinstarInboxSensor(
    CoordinatorEntity[DinstarIncomingSmsCoordinator], SensorEntity
):
    """A sensor of the SMS one port received, kept across restarts by the inbox."""

    _attr_has_entity_name = True
    entity_description: DinstarInboxSensorDescription

    def __init__(
        self,
        inbox: DinstarIncomingSmsCoordinator,
        description: DinstarInboxSensorDescription,
        port: int,
    ) -> None:
        """Attach the sensor to the device of port."""
        super().__init__(inbox)
        entry = inbox.config_entry
        self.entity_description = description
        self.port = port
        self._attr_unique_id = f"{entry.unique_id}-{port}-{description.key}"
        self._attr_device_info = port_device_info(entry, port)

    @property
    def native_value(self) -> StateType:
        """Return the value for the port's received SMS."""
        return self.entity_description.value_fn(self.coordinator.data.port(self.port))

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the details of the port's last SMS, if the sensor has any."""
        return self.entity_description.attributes_fn(
            self.coordinator.data.port(self.port)
        )


class DinstarSendingSensor(SensorEntity):
    """A counter of the SMS sent through a port, or its last USSD reply.

    The values live in Home Assistant (the counters in the outbox's store), so
    they stay available while the gateway does not answer.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    entity_description: DinstarSendingSensorDescription

    def __init__(
        self,
        entry: DinstarConfigEntry,
        description: DinstarSendingSensorDescription,
        port: int,
    ) -> None:
        """Attach the sensor to the device of port."""
        self.entity_description = description
        self._entry = entry
        self._port = port
        self._attr_unique_id = f"{entry.unique_id}-{port}-{description.key}"
        self._attr_device_info = port_device_info(entry, port)

    async def async_added_to_hass(self) -> None:
        """Follow the changes of the value."""
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                self.entity_description.signal_fn(self._entry.entry_id),
                self.async_write_ha_state,
            )
        )

    @property
    def native_value(self) -> StateType:
        """Return the port's count or last reply."""
        return self.entity_description.value_fn(self._entry.runtime_data, self._port)


class DinstarLastPushSensor(SensorEntity):
    """When the gateway's last push arrived: shows at a glance that push works.

    Unknown until the first push after Home Assistant starts; the gateway pushes
    only when something happens (an SMS, a result, a registration change).
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_translation_key = "last_push"
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, entry: DinstarConfigEntry) -> None:
        """Attach the sensor to the gateway's device."""
        self._entry = entry
        self._attr_unique_id = f"{entry.unique_id}-last_push"
        self._attr_device_info = gateway_device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Follow the accepted pushes."""
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                push_received_signal(self._entry.entry_id),
                self.async_write_ha_state,
            )
        )

    @property
    def native_value(self) -> datetime | None:
        """Return when the last push was accepted."""
        return self._entry.runtime_data.webhook.last_push
