"""Websocket commands of the cards and the SMS panel.

The message history's conversations, pages and read state, and which
entities show each SIM port of a gateway.

Like Home Assistant's logbook and history, they are for every logged-in user,
not only administrators: the card and the panel show them to whoever uses the
dashboard. Replies are paged, never the whole history. Sending goes through the
`dinstar.send_sms` action, so its validation and tracking apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any, Final

import probatio

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .const import DOMAIN, port_label
from .coordinator import DinstarConfigEntry
from .devices import port_identifier
from .history import HISTORY_UPDATED_SIGNAL, Conversation, DinstarHistory

ATTR_ENTRY_ID: Final = "entry_id"
ATTR_NUMBER: Final = "number"
ATTR_LIMIT: Final = "limit"
ATTR_OFFSET: Final = "offset"
ATTR_BEFORE: Final = "before"
ATTR_UP_TO: Final = "up_to"

DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 200

_LIMIT = probatio.All(int, probatio.Range(min=1, max=MAX_LIMIT))
_ID = probatio.All(int, probatio.Range(min=1))


@callback
def async_setup_websocket_api(hass: HomeAssistant) -> None:
    """Register the history's websocket commands."""
    async_register_command(hass, ws_conversations)
    async_register_command(hass, ws_messages)
    async_register_command(hass, ws_mark_read)
    async_register_command(hass, ws_subscribe)
    async_register_command(hass, ws_gateways)


def _histories(
    hass: HomeAssistant, entry_id: str | None
) -> list[tuple[DinstarConfigEntry, DinstarHistory]]:
    """Return the histories of one loaded gateway or of all; refuse an unknown one."""
    entries: list[DinstarConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    found = [
        (entry, entry.runtime_data.history)
        for entry in entries
        if entry_id is None or entry.entry_id == entry_id
    ]
    if entry_id is not None and not found:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is not None and entry.domain == DOMAIN:
            # Set up but not running (not answering, or disabled): not the caller's input.
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="history_gateway_not_running",
                translation_placeholders={"gateway": entry.title},
            )
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="history_gateway_not_loaded",
            translation_placeholders={ATTR_ENTRY_ID: entry_id},
        )
    return found


def _conversation_json(
    entry: DinstarConfigEntry, conversation: Conversation
) -> dict[str, Any]:
    return {
        ATTR_ENTRY_ID: entry.entry_id,
        "gateway": entry.title,
        ATTR_NUMBER: conversation.last.number,
        "key": conversation.key,
        "unread": conversation.unread,
        "last": conversation.last.as_json(),
    }


def _newest_first(
    histories: Iterable[tuple[DinstarConfigEntry, DinstarHistory]],
) -> list[tuple[DinstarConfigEntry, Conversation]]:
    # Across gateways the newest message's time orders; within one, its id.
    merged = [
        (entry, conversation)
        for entry, history in histories
        for conversation in history.conversations()
    ]
    merged.sort(key=lambda item: item[1].last.time, reverse=True)
    return merged


@websocket_command(
    {
        probatio.Required("type"): "dinstar/history/conversations",
        probatio.Optional(ATTR_ENTRY_ID): str,
        probatio.Optional(ATTR_OFFSET, default=0): probatio.All(
            int, probatio.Range(min=0)
        ),
        probatio.Optional(ATTR_LIMIT, default=DEFAULT_LIMIT): _LIMIT,
    }
)
@callback
def ws_conversations(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """List conversations, newest first, with their unread count and last message."""
    histories = _histories(hass, msg.get(ATTR_ENTRY_ID))
    offset, limit = msg[ATTR_OFFSET], msg[ATTR_LIMIT]
    merged = _newest_first(histories)
    connection.send_result(
        msg["id"],
        {
            "conversations": [
                _conversation_json(entry, conversation)
                for entry, conversation in islice(merged, offset, offset + limit)
            ],
            "total": len(merged),
            "unread": sum(conversation.unread for _, conversation in merged),
        },
    )


@websocket_command(
    {
        probatio.Required("type"): "dinstar/history/messages",
        probatio.Required(ATTR_ENTRY_ID): str,
        probatio.Required(ATTR_NUMBER): str,
        probatio.Optional(ATTR_BEFORE): _ID,
        probatio.Optional(ATTR_LIMIT, default=DEFAULT_LIMIT): _LIMIT,
    }
)
@callback
def ws_messages(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Return a page of one conversation, newest first, before a message id."""
    [(_, history)] = _histories(hass, msg[ATTR_ENTRY_ID])
    page, more = history.messages(
        msg[ATTR_NUMBER], before=msg.get(ATTR_BEFORE), limit=msg[ATTR_LIMIT]
    )
    connection.send_result(
        msg["id"],
        {"messages": [message.as_json() for message in page], "has_more": more},
    )


@websocket_command(
    {
        probatio.Required("type"): "dinstar/history/mark_read",
        probatio.Required(ATTR_ENTRY_ID): str,
        probatio.Required(ATTR_NUMBER): str,
        probatio.Optional(ATTR_UP_TO): _ID,
    }
)
@callback
def ws_mark_read(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Mark a conversation read, up to a message or all of it."""
    [(_, history)] = _histories(hass, msg[ATTR_ENTRY_ID])
    unread = history.async_mark_read(msg[ATTR_NUMBER], msg.get(ATTR_UP_TO))
    connection.send_result(msg["id"], {"unread": unread})


@websocket_command(
    {
        probatio.Required("type"): "dinstar/history/subscribe",
        probatio.Optional(ATTR_ENTRY_ID): str,
    }
)
@callback
def ws_subscribe(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Tell of new messages, status changes and read marks, of one gateway or all."""
    entry_id: str | None = msg.get(ATTR_ENTRY_ID)
    if entry_id is not None:
        _histories(hass, entry_id)

    @callback
    def async_forward(changed_entry_id: str, change: dict[str, Any]) -> None:
        if entry_id is None or changed_entry_id == entry_id:
            connection.send_message(
                event_message(msg["id"], {ATTR_ENTRY_ID: changed_entry_id, **change})
            )

    connection.subscriptions[msg["id"]] = async_dispatcher_connect(
        hass, HISTORY_UPDATED_SIGNAL, async_forward
    )
    connection.send_result(msg["id"])


# The port entities a SIM status card shows, by their description's key.
_CARD_KEYS: Final = (
    "registration",
    "network_type",
    "signal_strength",
    "phone_number",
    "last_sms",
)


def _gateway_json(hass: HomeAssistant, entry: DinstarConfigEntry) -> dict[str, Any]:
    """Return a gateway's ports with the entities that show them."""
    runtime = entry.runtime_data
    entities: dict[str, str] = {
        str(item.unique_id): item.entity_id
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }
    devices = dr.async_get(hass)
    ports = []
    for port in sorted(runtime.port_coordinator.data.ports):
        device = devices.async_get_device_by_identifier(
            port_identifier(entry, port), entry.entry_id
        )
        ports.append(
            {
                "port": int(port_label(port)),
                "device_id": None if device is None else device.id,
                "entities": {
                    key: entities.get(f"{entry.unique_id}-{port}-{key}")
                    for key in _CARD_KEYS
                },
            }
        )
    return {
        ATTR_ENTRY_ID: entry.entry_id,
        "title": entry.title,
        "device_id": runtime.gateway_device_id,
        "push_works": runtime.inbox_coordinator.push_works,
        "sms_queue": entities.get(f"{entry.unique_id}-sms_queue"),
        "ports": ports,
    }


@websocket_command(
    {
        probatio.Required("type"): "dinstar/gateways",
        probatio.Optional(ATTR_ENTRY_ID): str,
    }
)
@callback
def ws_gateways(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """List the gateways, each with its ports and the entities that show them."""
    connection.send_result(
        msg["id"],
        {
            "gateways": [
                _gateway_json(hass, entry)
                for entry, _ in _histories(hass, msg.get(ATTR_ENTRY_ID))
            ]
        },
    )
