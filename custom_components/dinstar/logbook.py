"""Describe the integration's bus events in the logbook: who texted what, on which port."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN
from .inbox import EVENT_SMS_RECEIVED
from .outbox import EVENT_SMS_STATUS
from .port_control import EVENT_MODULE_RESET
from .ussd import EVENT_USSD_REPLY

# Like the Last SMS received sensor: a logbook line is no place for a novel.
MAX_TEXT: Final = 255


def _shorten(text: object) -> str:
    """Return a text the gateway sent, cut to what a logbook line shows."""
    text = str(text or "")
    return text if len(text) <= MAX_TEXT else f"{text[: MAX_TEXT - 1]}…"


def _on_port(data: Mapping[str, Any]) -> str:
    """Return " on port N", or nothing for a message the gateway never placed."""
    return "" if data.get("port") is None else f" on port {data['port']}"


def _sms_received(data: Mapping[str, Any]) -> str:
    return (
        f"received an SMS{_on_port(data)} from {data.get('sender')}: "
        f"{_shorten(data.get('text'))}"
    )


def _sms_status(data: Mapping[str, Any]) -> str:
    return f"SMS to {data.get('recipient')}{_on_port(data)} is {data.get('status')}"


def _ussd_reply(data: Mapping[str, Any]) -> str:
    return (
        f"USSD reply to {data.get('code') or 'the session'}{_on_port(data)}: "
        f"{_shorten(data.get('reply'))}"
    )


def _module_reset(data: Mapping[str, Any]) -> str:
    # The gateway says what it did (reset) and why (call_fail); either may be missing.
    reason = f" ({_shorten(data['type'])})" if data.get("type") else ""
    action = data.get("action") or "reset"
    if action == "reset":
        return f"reset the module{_on_port(data)} by itself{reason}"
    return f"acted on the module{_on_port(data)} by itself: {_shorten(action)}{reason}"


# One describer and icon per event the integration fires on the bus.
MESSAGES: Final[dict[str, tuple[Callable[[Mapping[str, Any]], str], str]]] = {
    EVENT_SMS_RECEIVED: (_sms_received, "mdi:message-arrow-left"),
    EVENT_SMS_STATUS: (_sms_status, "mdi:message-arrow-right"),
    EVENT_USSD_REPLY: (_ussd_reply, "mdi:dialpad"),
    EVENT_MODULE_RESET: (_module_reset, "mdi:restart-alert"),
}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[
        [str, str, Callable[[Event[dict[str, Any]]], dict[str, str]]], None
    ],
) -> None:
    """Describe each event of MESSAGES, named by the gateway that fired it, with its icon."""

    def describer(
        message: Callable[[Mapping[str, Any]], str], icon: str
    ) -> Callable[[Event[dict[str, Any]]], dict[str, str]]:
        @callback
        def async_describe(event: Event[dict[str, Any]]) -> dict[str, str]:
            entry = hass.config_entries.async_get_entry(
                str(event.data.get("config_entry_id"))
            )
            return {
                LOGBOOK_ENTRY_NAME: "Dinstar" if entry is None else entry.title,
                LOGBOOK_ENTRY_MESSAGE: message(event.data),
                LOGBOOK_ENTRY_ICON: icon,
            }

        return async_describe

    for event_type, (message, icon) in MESSAGES.items():
        async_describe_event(DOMAIN, event_type, describer(message, icon))
