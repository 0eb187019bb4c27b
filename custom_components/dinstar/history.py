"""A gateway's message history: every SMS received and sent from Home Assistant.

The inbox and the outbox tell the history what they deliver and track through
two dispatcher signals (`sms_received_signal`, `sms_tracked_signal`), in the
same synchronous step that fires their events, so the history records what
their exactly-once guarantees let through, once. The history numbers its
messages itself (a gateway's SMS ids restart after a reset): a message's `id`
only grows. A received SMS that is already in the history (same gateway id,
same fingerprint) is not recorded again, for the one case of a crash between
the history's write and the inbox's.

Conversations are by phone (`phone_key`: with or without `+`) per gateway,
across its ports. Read state is per conversation: the id of the newest message
read, so "unread" is the received messages above it.

The store is bounded by the options (messages and days; the oldest go first)
and written at most SAVE_DELAY after a change, so a burst of messages costs one
write and a steady stream one write per SAVE_DELAY. Each write is the whole
history (a few hundred kB at the default 1,000 messages). Changes are
announced on `HISTORY_UPDATED_SIGNAL` for the websocket subscriptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal, TypedDict

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import (
    async_dispatcher_connect,
    async_dispatcher_send,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    CONF_HISTORY_MAX_DAYS,
    CONF_HISTORY_MAX_MESSAGES,
    DEFAULT_HISTORY_MAX_DAYS,
    DEFAULT_HISTORY_MAX_MESSAGES,
    DOMAIN,
    port_label,
)
from .coordinator import DinstarConfigEntry
from .inbox import ReceivedSms, sms_received_signal
from .outbox import sms_tracked_signal
from .pydinstar import TrackedSms, phone_key

STORAGE_VERSION: Final = 1
# A burst of messages is one write; Home Assistant's final write catches the rest.
SAVE_DELAY: Final = 10.0
# Websocket subscriptions hear (entry_id, change) on this signal.
HISTORY_UPDATED_SIGNAL: Final = f"{DOMAIN}_history_updated"

type Direction = Literal["in", "out"]


def history_store(hass: HomeAssistant, entry_id: str) -> Store[StoredHistory]:
    """Return the store of a gateway's message history."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.history")


class StoredHistory(TypedDict):
    """The saved history: messages oldest first, compact."""

    next_id: int
    read: dict[str, int]
    messages: list[list[Any]]


@dataclass(slots=True, kw_only=True)
class HistoryMessage:
    """One SMS in the history.

    port is the API port number (0 is the front panel's 1), None when the
    gateway never said which port sent it.
    """

    id: int
    direction: Direction
    number: str
    port: int | None
    text: str
    time: datetime
    # Received: the gateway's SMS id and a hash to tell a repeat from a new SMS.
    sms_id: int | None = None
    fingerprint: str | None = None
    # Sent: the outbox's tracking id and status.
    tracking_id: int | None = None
    status: str | None = None

    @property
    def key(self) -> str:
        """Return the conversation the message belongs to."""
        return phone_key(self.number)

    def as_stored(self) -> list[Any]:
        """Return the message as the store keeps it."""
        return [
            self.id,
            self.direction,
            self.number,
            self.port,
            self.text,
            self.time.isoformat(),
            self.sms_id,
            self.fingerprint,
            self.tracking_id,
            self.status,
        ]

    @classmethod
    def from_stored(cls, data: list[Any]) -> HistoryMessage:
        """Return a message the store kept."""
        id_, direction, number, port, text, time, sms_id, fp, tracking_id, status = data
        return cls(
            id=id_,
            direction=direction,
            number=number,
            port=port,
            text=text,
            time=datetime.fromisoformat(time),
            sms_id=sms_id,
            fingerprint=fp,
            tracking_id=tracking_id,
            status=status,
        )

    def as_json(self) -> dict[str, Any]:
        """Return the message as the websocket API shows it (front panel's port)."""
        return {
            "id": self.id,
            "direction": self.direction,
            "number": self.number,
            "port": None if self.port is None else int(port_label(self.port)),
            "text": self.text,
            "time": self.time.isoformat(),
            "status": self.status,
            "tracking_id": self.tracking_id,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Conversation:
    """The messages with one phone, as a list of conversations shows it."""

    key: str
    last: HistoryMessage
    unread: int


class DinstarHistory:
    """Keep a gateway's SMS, received and sent, with read state per conversation."""

    def __init__(self, hass: HomeAssistant, entry: DinstarConfigEntry) -> None:
        """Prepare the history of entry's gateway; call async_load before use."""
        self._hass = hass
        self._entry = entry
        self._store = history_store(hass, entry.entry_id)
        self._max_messages: int = int(
            entry.options.get(CONF_HISTORY_MAX_MESSAGES, DEFAULT_HISTORY_MAX_MESSAGES)
        )
        self._max_age = timedelta(
            days=int(entry.options.get(CONF_HISTORY_MAX_DAYS, DEFAULT_HISTORY_MAX_DAYS))
        )
        self._next_id = 1
        # Oldest first; ids grow, so the list is sorted by id.
        self._messages: list[HistoryMessage] = []
        self._by_tracking_id: dict[int, HistoryMessage] = {}
        self._received: set[tuple[int | None, str | None]] = set()
        self._read: dict[str, int] = {}
        self._save_pending = False
        # How many messages each conversation holds.
        self._per_key: dict[str, int] = {}

    async def async_load(self) -> None:
        """Read what the store kept and start listening to the inbox and outbox."""
        if (stored := await self._store.async_load()) is not None:
            self._next_id = stored["next_id"]
            self._read = dict(stored["read"])
            for data in stored["messages"]:
                self._index(message := HistoryMessage.from_stored(data))
                self._messages.append(message)
            if self._async_prune():
                self._async_schedule_save()
        entry_id = self._entry.entry_id
        self._entry.async_on_unload(
            async_dispatcher_connect(
                self._hass, sms_received_signal(entry_id), self._async_received
            )
        )
        self._entry.async_on_unload(
            async_dispatcher_connect(
                self._hass, sms_tracked_signal(entry_id), self._async_tracked
            )
        )

    async def async_stop(self) -> None:
        """Write the history now."""
        await self._store.async_save(self._data_to_save())

    def as_diagnostics(self) -> dict[str, Any]:
        """Return counts only: the history holds personal data."""
        conversations = list(self.conversations())
        return {
            "messages": len(self._messages),
            "received": sum(m.direction == "in" for m in self._messages),
            "sent": sum(m.direction == "out" for m in self._messages),
            "conversations": len(conversations),
            "unread": sum(conversation.unread for conversation in conversations),
            "max_messages": self._max_messages,
            "max_days": self._max_age.days,
        }

    def conversations(self) -> Iterator[Conversation]:
        """Yield the conversations, the one with the newest message first."""
        unread: dict[str, int] = {}
        last: dict[str, HistoryMessage] = {}
        for message in reversed(self._messages):
            key = message.key
            last.setdefault(key, message)
            if message.direction == "in" and message.id > self._read.get(key, 0):
                unread[key] = unread.get(key, 0) + 1
        for key, message in last.items():
            yield Conversation(key=key, last=message, unread=unread.get(key, 0))

    def messages(
        self, number: str, *, before: int | None, limit: int
    ) -> tuple[list[HistoryMessage], bool]:
        """Return up to limit messages with a phone before an id, newest first.

        Also return whether older ones are left.
        """
        key = phone_key(number)
        page: list[HistoryMessage] = []
        for message in reversed(self._messages):
            if (before is not None and message.id >= before) or message.key != key:
                continue
            if len(page) == limit:
                return page, True
            page.append(message)
        return page, False

    @callback
    def async_mark_read(self, number: str, up_to: int | None) -> int:
        """Mark a conversation read up to a message id (all of it by default).

        Return how many received messages are still unread in it.
        """
        key = phone_key(number)
        newest = max(
            (message.id for message in self._messages if message.key == key),
            default=0,
        )
        read = newest if up_to is None else min(up_to, newest)
        if read > self._read.get(key, 0):
            self._read[key] = read
            self._async_schedule_save()
        unread = sum(
            message.direction == "in" and message.id > self._read.get(key, 0)
            for message in self._messages
            if message.key == key
        )
        self._async_announce(
            {"type": "read", "number": number, "key": key, "unread": unread}
        )
        return unread

    @callback
    def _async_received(self, port: int, sms: ReceivedSms, fp: str) -> None:
        """Record an SMS the inbox delivered (fp: the inbox's fingerprint of it), once."""
        if (sms.id, fp) in self._received:
            return
        self._async_add(
            HistoryMessage(
                id=self._next_id,
                direction="in",
                number=sms.sender,
                port=port,
                text=sms.text,
                time=dt_util.utcnow(),
                sms_id=sms.id,
                fingerprint=fp,
            )
        )

    @callback
    def _async_tracked(self, sms: TrackedSms, text: str | None) -> None:
        """Record an SMS the outbox sends (with its text) or its new status."""
        message = self._by_tracking_id.get(sms.tracking_id)
        if text is not None and message is None:
            self._async_add(
                HistoryMessage(
                    id=self._next_id,
                    direction="out",
                    number=sms.number,
                    port=sms.port,
                    text=text,
                    time=sms.sent_at,
                    tracking_id=sms.tracking_id,
                    status=sms.status.value,
                )
            )
            return
        if message is None or (
            message.status == sms.status.value and message.port == sms.port
        ):
            # Sent before the history kept it, pruned since, or told twice.
            return
        message.status = sms.status.value
        message.port = sms.port
        self._async_schedule_save()
        self._async_announce({"type": "status", "message": message.as_json()})

    @callback
    def _async_add(self, message: HistoryMessage) -> None:
        self._next_id = message.id + 1
        self._messages.append(message)
        self._index(message)
        self._async_prune()
        self._async_schedule_save()
        self._async_announce({"type": "message", "message": message.as_json()})

    def _index(self, message: HistoryMessage) -> None:
        self._per_key[message.key] = self._per_key.get(message.key, 0) + 1
        if message.tracking_id is not None:
            self._by_tracking_id[message.tracking_id] = message
        if message.direction == "in":
            self._received.add((message.sms_id, message.fingerprint))

    @callback
    def _async_prune(self) -> bool:
        """Drop what the retention options no longer keep; return whether any."""
        oldest = dt_util.utcnow() - self._max_age
        drop = max(0, len(self._messages) - self._max_messages)
        while drop < len(self._messages) and self._messages[drop].time < oldest:
            drop += 1
        if not drop:
            return False
        for message in self._messages[:drop]:
            if message.tracking_id is not None:
                self._by_tracking_id.pop(message.tracking_id, None)
            self._received.discard((message.sms_id, message.fingerprint))
            key = message.key
            self._per_key[key] -= 1
            if not self._per_key[key]:
                # The conversation is gone, and its read state with it.
                del self._per_key[key]
                self._read.pop(key, None)
        del self._messages[:drop]
        return True

    @callback
    def _async_announce(self, change: dict[str, Any]) -> None:
        async_dispatcher_send(
            self._hass, HISTORY_UPDATED_SIGNAL, self._entry.entry_id, change
        )

    @callback
    def _async_schedule_save(self) -> None:
        # Each delayed save would put the write off again: under a steady stream
        # of messages, never. The first change waits; later ones join its write.
        if not self._save_pending:
            self._save_pending = True
            self._store.async_delay_save(self._data_to_save, SAVE_DELAY)

    @callback
    def _data_to_save(self) -> StoredHistory:
        self._save_pending = False
        return StoredHistory(
            next_id=self._next_id,
            read=dict(self._read),
            messages=[message.as_stored() for message in self._messages],
        )
