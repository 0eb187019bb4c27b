"""Device triggers of a port: an SMS received, optionally from one sender."""

from __future__ import annotations

from typing import Any

import probatio

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .devices import device_port
from .inbox import ATTR_SENDER, EVENT_SMS_RECEIVED, SMS_RECEIVED
from .pydinstar import phone_key

CONF_SENDER = ATTR_SENDER
TRIGGER_TYPES = {SMS_RECEIVED}

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        probatio.Required(CONF_TYPE): probatio.In(TRIGGER_TYPES),
        probatio.Optional(CONF_SENDER): cv.string,
    }
)


def _is_port_device(hass: HomeAssistant, device_id: str) -> bool:
    """Return whether the device is a port of one of the Dinstar gateways."""
    if (device := dr.async_get(hass).async_get(device_id)) is None:
        return False
    # A device can belong to several entries (of other integrations too): ask each of ours.
    return any(
        device_port(entry, device) is not None
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.entry_id in device.config_entries
    )


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, str]]:
    """Offer "SMS received" on every port device."""
    if not _is_port_device(hass, device_id):
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in sorted(TRIGGER_TYPES)
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, Any]:
    """Let the user narrow the trigger to one sender's number."""
    return {"extra_fields": probatio.Schema({probatio.Optional(CONF_SENDER): str})}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for the port's SMS, from the sender if one is set.

    The gateway reports a sender with or without its leading +, as the network
    gave it: a sender is listened for in both spellings.
    """
    event_data = {CONF_DEVICE_ID: config[CONF_DEVICE_ID]}
    senders: list[str | None] = [None]
    if bare := phone_key(str(config.get(CONF_SENDER) or "")):
        senders = [bare, f"+{bare}"]
    unsubscribes = [
        await event_trigger.async_attach_trigger(
            hass,
            event_trigger.TRIGGER_SCHEMA(
                {
                    CONF_PLATFORM: "event",
                    event_trigger.CONF_EVENT_TYPE: EVENT_SMS_RECEIVED,
                    CONF_EVENT_DATA: event_data
                    if sender is None
                    else event_data | {ATTR_SENDER: sender},
                }
            ),
            action,
            trigger_info,
            platform_type="device",
        )
        for sender in senders
    ]

    @callback
    def async_unsubscribe() -> None:
        for unsubscribe in unsubscribes:
            unsubscribe()

    return async_unsubscribe
