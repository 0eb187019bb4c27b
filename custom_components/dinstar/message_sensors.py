"""Sensors of the messages Home Assistant keeps: SMS received, sent and failed, USSD replies, pushes.

Their values live in Home Assistant (the stores of the inbox and the outbox, the
USSD exchanges, the webhook), not in the gateway's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import MAX_LENGTH_STATE_STATE, EntityCategory
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.typing import StateType

from .coordinator import (
    DinstarIncomingSmsCoordinator,
    DinstarPortCoordinator,
    DinstarRuntimeData,
)
from .entity import DinstarEntity
from .inbox import ATTR_MESSAGE_ID, ATTR_SENDER, ATTR_SMSC, ATTR_TIME, PortInbox
from .outbox import outbox_updated_signal
from .ussd import ussd_updated_signal
from .webhook import push_received_signal


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
class DinstarOutcomeSensorDescription(SensorEntityDescription):
    """A sensor of what came of what Home Assistant sent through one port."""

    value_fn: Callable[[DinstarRuntimeData, int], StateType]
    # The signal, by entry id, that tells the sensor its value changed.
    signal_fn: Callable[[str], str]


def _last_ussd_reply(data: DinstarRuntimeData, port: int) -> str | None:
    if (exchange := data.ussd.last_exchange(port)) is None:
        return None
    return exchange.reply[:MAX_LENGTH_STATE_STATE]


OUTCOME_SENSORS: tuple[DinstarOutcomeSensorDescription, ...] = (
    DinstarOutcomeSensorDescription(
        key="sms_sent",
        translation_key="sms_sent",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data, port: data.outbox.counters(port)["sent"],
        signal_fn=outbox_updated_signal,
    ),
    DinstarOutcomeSensorDescription(
        key="sms_failed",
        translation_key="sms_failed",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda data, port: data.outbox.counters(port)["failed"],
        signal_fn=outbox_updated_signal,
    ),
    DinstarOutcomeSensorDescription(
        key="ussd_reply",
        translation_key="ussd_reply",
        value_fn=_last_ussd_reply,
        signal_fn=ussd_updated_signal,
    ),
)

LAST_PUSH = SensorEntityDescription(
    key="last_push",
    translation_key="last_push",
    device_class=SensorDeviceClass.TIMESTAMP,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class DinstarInboxSensor(DinstarEntity[DinstarIncomingSmsCoordinator], SensorEntity):
    """A sensor of the SMS one port received, kept across restarts by the inbox."""

    entity_description: DinstarInboxSensorDescription

    def __init__(
        self,
        inbox: DinstarIncomingSmsCoordinator,
        description: DinstarInboxSensorDescription,
        port: int,
    ) -> None:
        """Attach the sensor to the device of port."""
        super().__init__(inbox, description, port)
        self.port = port

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


class DinstarSignalledSensor(DinstarEntity[DinstarPortCoordinator], SensorEntity):
    """A sensor of a value Home Assistant keeps, written again when its signal says it changed.

    It stays available while the gateway does not answer: the port coordinator
    only gives it the gateway it belongs to.
    """

    def __init__(
        self,
        coordinator: DinstarPortCoordinator,
        description: SensorEntityDescription,
        signal: str,
        port: int | None = None,
    ) -> None:
        """Attach the sensor to the gateway's device, or to the device of port."""
        super().__init__(coordinator, description, port)
        self._signal = signal

    async def async_added_to_hass(self) -> None:
        """Follow the changes of the value."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(self.hass, self._signal, self.async_write_ha_state)
        )

    @property
    def available(self) -> bool:
        """Return True: the value does not come from the gateway."""
        return True


class DinstarOutcomeSensor(DinstarSignalledSensor):
    """A count of the SMS sent (or failed) through a port, or its last USSD reply."""

    entity_description: DinstarOutcomeSensorDescription

    def __init__(
        self,
        coordinator: DinstarPortCoordinator,
        description: DinstarOutcomeSensorDescription,
        port: int,
    ) -> None:
        """Attach the sensor to the device of port."""
        entry_id = coordinator.config_entry.entry_id
        super().__init__(
            coordinator, description, description.signal_fn(entry_id), port
        )
        self.port = port

    @property
    def native_value(self) -> StateType:
        """Return the port's count or last reply."""
        return self.entity_description.value_fn(
            self.coordinator.config_entry.runtime_data, self.port
        )


class DinstarLastPushSensor(DinstarSignalledSensor, RestoreSensor):
    """When the gateway's last push arrived: shows at a glance that push works.

    The gateway pushes only when something happens (an SMS, a result, a
    registration change): until its first push after a restart, the sensor
    shows the last one before.
    """

    def __init__(self, coordinator: DinstarPortCoordinator) -> None:
        """Attach the sensor to the gateway's device."""
        entry_id = coordinator.config_entry.entry_id
        super().__init__(coordinator, LAST_PUSH, push_received_signal(entry_id))
        self._before_restart: datetime | None = None

    async def async_added_to_hass(self) -> None:
        """Take the last push before the restart, if there was one."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_sensor_data()) is not None and isinstance(
            last.native_value, datetime
        ):
            self._before_restart = last.native_value

    @property
    def native_value(self) -> datetime | None:
        """Return when the last push was accepted."""
        return (
            self.coordinator.config_entry.runtime_data.webhook.last_push
            or self._before_restart
        )
