"""The gateway's incoming SMS, each delivered exactly once, from push and poll.

Delivering a message is one synchronous step: fire `dinstar_sms_received` on
the bus, fire `sms_received` on the port's event entity, count it on the port's
sensors, and move the state below. Nothing awaits inside that step, so a push
and a poll can never deliver the same message halfway at the same time.

The state, saved per config entry with `Store`:
- `mark`, the high-water mark: every message with an id up to it was delivered,
  or was already on the gateway when we first looked.
- `recent`: the ids and fingerprints (a hash of port, sender, time stamp and
  text; never the text) of the newest messages up to the mark; the newest one
  is the anchor the next poll checks.
- `pushed`: messages above the mark that a push delivered before a poll got
  there, so that the poll does not deliver them again.

Reading. Polling `query_incoming_sms` with `flag=all` is the source of truth:
every 10 s, every 5 min while SMS pushes are seen to arrive (the device never
retries a push, so a lost one waits for the next poll). On the first setup the
whole inbox is paged through to take bearings at the newest id, and nothing is
delivered: old messages are not news. Each poll then asks for ids after
`anchor - 1`, so the reply starts with the anchor. If the anchor is there and
unchanged, every row above the mark is new: it is delivered unless `pushed`
has it, the mark moves, and the next page is asked for from the new mark until
a page brings nothing new (a reply holds at most one page). With the "mark as
read" option the delivered rows are then read once more with `flag=unread`,
which flags them read on the gateway; reading itself never uses `unread`,
since a crash between the gateway flagging a message and us delivering it
would lose that message for good.

Ids going backwards. A factory reset, a firmware flash or a cleared database
restarts ids at 1, and "after the mark" would skip every new message until ids
pass the old mark. The anchor notices: when it is missing or changed, the
`recent` messages are looked for.
- One is still there unchanged: same database, someone deleted the newest
  messages on the gateway. Only ids above the mark are new; the newest
  survivor becomes the anchor.
- None is: a new database, whose every message arrived after the reset (or the
  emptying), so all of it is new. The mark goes back to 0 and every message is
  delivered oldest first, except those a push already delivered. Deleting by
  hand all of the newest messages while keeping older ones looks the same, and
  only then would those older ones be delivered a second time.
- A pushed message is matched to a polled one by id and fingerprint: an id
  alone may name another message (after a reset, or in a forged push), and
  must not keep the real one from being delivered.
- At most MAX_PUSHED pushed messages wait for a poll; past that, pushes ask
  for a poll instead of delivering, so that pushes (forged ones with ids far
  ahead included) cannot grow the state without end.
- A push never delivers an id at or below the mark: either it is a message we
  know (a late push of something a poll delivered) or the ids went backwards,
  and then it asks for a poll at once, which sorts it out as above. Neither
  does it deliver again a pushed id it already delivered, unless the message
  differs, which also means the ids went backwards and asks for a poll.

A restart in the middle of a burst. Every change of the state is made in the
step that fires its events and saved right after with `async_delay_save` and
no delay: on the next turn of the event loop, and in Home Assistant's final
write if it stops first. When Home Assistant stops or the entry unloads, a
poll waiting for the gateway is cancelled (or stopped) before it fires
anything of that page, and what was fired is in the final write, so the next
start resumes exactly after the last delivered message. Only a crash (power
cut) in the moment between firing and writing can deliver those few messages
again, and never skip one: a repeated SMS can be told apart, a lost one cannot
be got back. An awaited `async_save` would not narrow that moment (the write
must still follow the events) and loses its write when cancelled while it
waits for the store's lock.

Events wait for Home Assistant to have started: automations only listen from
then on. Until then the inbox only loads its state (or takes bearings).

Polling pace. While pushes bring the SMS, a poll every 5 minutes only catches
lost pushes; a poll that finds an SMS no push brought returns to every 10 s.
Whether pushes work is saved too, so that a restart does not poll a quiet
gateway every 10 s until its next SMS.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
import hashlib
from typing import Any, Final, NotRequired, TypedDict

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    CONF_MARK_READ,
    CONF_TIMEZONE,
    DEFAULT_MARK_READ,
    DOMAIN,
    LOGGER,
    port_label,
)
from .coordinator import DinstarConfigEntry, DinstarCoordinator
from .errors import call_gateway
from .port_events import async_announce_on_port
from .pydinstar import (
    MAX_INCOMING_SMS_ID,
    DinstarClient,
    IncomingSms,
    IncomingSmsFlag,
    IncomingSmsPage,
)

EVENT_SMS_RECEIVED: Final = "dinstar_sms_received"
# The event type on a port's event entity and the device trigger's type.
SMS_RECEIVED: Final = "sms_received"

ATTR_MESSAGE_ID: Final = "message_id"
ATTR_SENDER: Final = "sender"
ATTR_SMSC: Final = "smsc"
ATTR_TEXT: Final = "text"
ATTR_TIME: Final = "time"

# Without pushes, a new SMS waits at most this long; with them, a lost push.
POLL_INTERVAL: Final = timedelta(seconds=10)
PUSH_POLL_INTERVAL: Final = timedelta(minutes=5)
# How many of the newest messages are remembered to tell a reset from deletions.
RECENT_SIZE: Final = 32
# How many pushed SMS above the mark are remembered until a poll gets there:
# past it, pushed SMS wait for the poll (asked for at once) instead of being
# delivered by push, so that forged ids ahead of the inbox cannot grow the
# state, and the work of saving it, without end.
MAX_PUSHED: Final = 1000
# How many polled SMS are delivered in one step before the event loop runs other
# work: a reply with many rows must not hold it up for seconds.
DELIVERY_SLICE: Final = 200
STORAGE_VERSION: Final = 1


def inbox_store(hass: HomeAssistant, entry_id: str) -> Store[StoredInbox]:
    """Return the store of a gateway's reading position and per-port counts."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.inbox")


def sms_received_signal(entry_id: str) -> str:
    """Return the signal sent with (port, ReceivedSms, fingerprint) for each delivered SMS."""
    return f"{DOMAIN}_{entry_id}_sms_received"


def fingerprint(sms: IncomingSms) -> str:
    """Return a short hash that tells one stored SMS from another with the same id."""
    stamp = "" if sms.timestamp is None else sms.timestamp.isoformat()
    text = "\x1f".join((str(sms.port), sms.number, stamp, sms.text))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedSms:
    """A delivered SMS as the sensors show it; time is aware, None if unknown."""

    id: int
    sender: str
    smsc: str | None
    time: datetime | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PortInbox:
    """How many SMS a port received since the integration was set up, and the last."""

    received: int = 0
    last: ReceivedSms | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxData:
    """What the inbox delivered, per API port number."""

    ports: Mapping[int, PortInbox] = field(default_factory=dict)

    def port(self, port: int) -> PortInbox:
        """Return a port's inbox, empty until it received an SMS."""
        return self.ports.get(port, PortInbox())


class StoredSms(TypedDict):
    """The last SMS of a port as saved."""

    id: int
    sender: str
    smsc: str | None
    time: str | None
    text: str


class StoredPort(TypedDict):
    """A port's count and last SMS as saved."""

    received: int
    last: StoredSms | None


class StoredInbox(TypedDict):
    """The saved reading position: see the module docstring."""

    mark: int
    recent: list[tuple[int, str]]
    # (id, fingerprint); older stores add a third item, no longer used.
    pushed: list[tuple[int, str]]
    ports: dict[str, StoredPort]
    # Missing in stores written before it was saved: then polls start fast.
    push_works: NotRequired[bool]


@dataclass(frozen=True, slots=True)
class _Seen:
    """A message a poll showed us, at or below the mark."""

    id: int
    fingerprint: str


class DinstarInbox(DinstarCoordinator[InboxData]):
    """Read the gateway's incoming SMS and deliver each exactly once."""

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Prepare reading the inbox of entry's gateway through client."""
        super().__init__(
            hass, entry, client, what="inbox", update_interval=POLL_INTERVAL
        )
        self._store = inbox_store(hass, entry.entry_id)
        self._mark_read: bool = entry.options.get(CONF_MARK_READ, DEFAULT_MARK_READ)
        self._zone_name: str = entry.options.get(CONF_TIMEZONE, hass.config.time_zone)
        # Resolved in _async_setup: reading a zone's file is I/O, not for the event loop.
        self._zone: tzinfo = dt_util.get_default_time_zone()
        self._has_bearings = False
        self._reading = False
        self._stopped = False
        self._mark = 0
        # Up to where the gateway flagged the delivered messages read.
        self._flagged_read = 0
        self._recent: list[_Seen] = []
        # The fingerprints of the messages a push delivered above the mark, by id.
        self._pushed: dict[int, str] = {}
        # Pushes held back while a poll reads a new database from its start.
        self._held: list[IncomingSms] | None = None
        self._ports: dict[int, PortInbox] = {}
        self.push_works = False
        self.delivered_by_push = 0
        self.delivered_by_poll = 0
        self.data = InboxData()

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the reading position and counts, without any message."""
        return {
            "last_update_success": self.last_update_success,
            "high_water_mark": self._mark,
            "anchor_id": self._recent[-1].id if self._recent else None,
            "pushed_not_yet_polled": len(self._pushed),
            "push_works": self.push_works,
            "poll_interval_seconds": (
                self.update_interval or POLL_INTERVAL
            ).total_seconds(),
            "delivered_by_push": self.delivered_by_push,
            "delivered_by_poll": self.delivered_by_poll,
            "received_per_port": {
                port_label(port): inbox.received
                for port, inbox in sorted(self._ports.items())
            },
        }

    async def _async_setup(self) -> None:
        """Resolve the gateway's time zone; resume from the saved state, if there is one."""
        self._zone = (
            await dt_util.async_get_time_zone(self._zone_name)
            or dt_util.get_default_time_zone()
        )
        if (stored := await self._store.async_load()) is None:
            return
        # Ids no gateway gives, saved before replies were checked for them.
        self._recent = [
            _Seen(int(id_), str(fp))
            for id_, fp in stored["recent"]
            if _valid_id(int(id_))
        ]
        self._pushed = {
            int(id_): str(fp) for id_, fp, *_ in stored["pushed"] if _valid_id(int(id_))
        }
        mark = stored["mark"]
        # A mark past any valid id came from such a row: back to the newest
        # valid one, or bearings are taken anew.
        self._has_bearings = mark <= MAX_INCOMING_SMS_ID or bool(self._recent)
        if mark > MAX_INCOMING_SMS_ID:
            mark = self._recent[-1].id if self._recent else 0
        self._mark = self._flagged_read = mark
        self._ports = {
            int(port): PortInbox(
                received=saved["received"],
                last=None if (last := saved["last"]) is None else _restore(last),
            )
            for port, saved in stored["ports"].items()
        }
        self.data = InboxData(ports=dict(self._ports))
        self._async_set_push_works(stored.get("push_works", False))

    @callback
    def async_start(self) -> None:
        """Poll from now on, and deliver once Home Assistant has started."""
        # Polling is the source of truth: keep it going with no entity listening.
        self.config_entry.async_on_unload(self.async_add_listener(lambda: None))
        self.config_entry.async_on_unload(
            async_at_started(self.hass, self._async_start_reading)
        )

    @callback
    def _async_start_reading(self, _hass: HomeAssistant) -> None:
        """Deliver what arrived meanwhile, now that automations listen."""
        self._reading = True
        self._async_poll_now()

    @callback
    def _async_poll_now(self) -> None:
        """Poll in a task that unloading or stopping cancels."""
        self.config_entry.async_create_background_task(
            self.hass, self.async_request_refresh(), f"{self.name} poll"
        )

    async def async_shutdown(self) -> None:
        """Stop delivering and write the state."""
        self._stopped = True
        await super().async_shutdown()
        if self._has_bearings:
            await self._store.async_save(self._data_to_save())

    async def _async_update_data(self) -> InboxData:
        """Take bearings on the first setup, then read what is new."""
        if not self._has_bearings:
            await call_gateway(self._async_take_bearings)
        elif self._reading:
            await call_gateway(self._async_read_new)
        return self.data

    async def _async_fetch(self, after: int) -> IncomingSmsPage:
        """Return a page of messages after an id, without touching read flags."""
        page = await self.client.query_incoming_sms(
            after_id=after, flag=IncomingSmsFlag.ALL
        )
        if page.dropped:
            LOGGER.debug(
                "%s: left out %s rows with an invalid or repeated SMS id",
                self.name,
                page.dropped,
            )
        return page

    async def _async_take_bearings(self) -> None:
        """Note the newest message on the gateway, and deliver nothing."""
        recent: list[_Seen] = []
        after = 0
        while (page := await self._async_fetch(after)).messages and (
            newest := page.messages[-1].id
        ) > after:
            recent = [*recent, *map(_seen, page.messages)][-RECENT_SIZE:]
            after = newest
        self._mark = self._flagged_read = after
        self._recent = recent
        self._has_bearings = True
        LOGGER.debug("%s: took bearings at SMS id %s", self.name, after)
        self._async_schedule_save()

    async def _async_read_new(self) -> None:
        """Deliver every message above the mark, page by page."""
        anchor = self._recent[-1] if self._recent else None
        page = await self._async_fetch(self._mark if anchor is None else anchor.id - 1)
        if anchor is not None and anchor not in map(_seen, page.messages):
            await self._async_find_database()
            page = await self._async_fetch(self._mark)
        try:
            while not self._stopped and (
                new := [sms for sms in page.messages if sms.id > self._mark]
            ):
                await self._async_deliver_in_slices(new)
                page = await self._async_fetch(self._mark)
        finally:
            self._async_release_held()
        if self._mark_read and self._mark > self._flagged_read:
            await self._async_flag_read()

    async def _async_deliver_in_slices(self, messages: list[IncomingSms]) -> None:
        """Deliver polled messages a slice at a time, letting the loop run between.

        Each slice is one synchronous step that moves the mark past it, so a
        push between slices sees the state of the messages delivered so far. A
        reply of many rows then never holds up the event loop for long.
        """
        start = 0
        while not self._stopped and start < len(messages):
            self._async_deliver_polled(messages[start : start + DELIVERY_SLICE])
            start += DELIVERY_SLICE
            await asyncio.sleep(0)

    async def _async_find_database(self) -> None:
        """Tell deleted newest messages from a new database after the anchor went."""
        known = set(self._recent)
        survivors: list[_Seen] = []
        after = min(seen.id for seen in known) - 1
        while True:
            page = await self._async_fetch(after)
            old = [sms for sms in page.messages if sms.id <= self._mark]
            survivors.extend(seen for seen in map(_seen, old) if seen in known)
            if not old or len(old) < len(page.messages):
                break
            after = old[-1].id
        if survivors:
            LOGGER.debug(
                "%s: the newest SMS were deleted on the gateway; reading on after %s",
                self.name,
                self._mark,
            )
            self._recent = survivors
            self._async_schedule_save()
            return
        LOGGER.warning(
            "The SMS ids of %s went backwards (reset, new firmware or emptied "
            "inbox); delivering the SMS it holds now",
            self.config_entry.title,
        )
        self._mark = self._flagged_read = 0
        self._recent = []
        # Until the poll read the new database, a push would overtake its older
        # messages: hold pushes back and deliver them after it (in order).
        self._held = []
        self._async_schedule_save()

    @callback
    def _async_release_held(self) -> None:
        """Deliver the pushes held back while a new database was read."""
        held, self._held = self._held, None
        if held:
            self.async_handle_push(held)

    async def _async_flag_read(self) -> None:
        """Let the gateway flag the messages up to the mark as read (opt-in)."""
        after, until = self._flagged_read, self._mark
        while True:
            page = await self.client.query_incoming_sms(
                after_id=after, flag=IncomingSmsFlag.UNREAD
            )
            if not page.messages or (after := page.messages[-1].id) >= until:
                break
        self._flagged_read = until

    @callback
    def async_handle_push(self, messages: Sequence[IncomingSms]) -> None:
        """Deliver pushed messages at once, unless already delivered."""
        if self._stopped or not self._reading:
            # The first poll once Home Assistant runs will pick them up.
            return
        if not self.push_works:
            LOGGER.debug("%s: SMS pushes arrive; polling slower", self.name)
            self._async_set_push_works(True)
            self._async_schedule_save()
        if self._held is not None:
            self._held.extend(messages)
            return
        delivered = check = False
        known_ports = self.config_entry.runtime_data.port_coordinator.data.ports
        for sms in sorted(messages, key=lambda sms: sms.id):
            if sms.port not in known_ports:
                # Not a port of this gateway: only a poll may tell it is real.
                check = True
                continue
            seen = _seen(sms)
            if sms.id <= self._mark:
                # A late push of a polled message, or the ids went backwards.
                check |= seen not in self._recent
                continue
            if (pushed := self._pushed.get(sms.id)) is not None:
                if pushed == seen.fingerprint:
                    continue
                # Another message under a pushed id: the ids went backwards.
                check = True
            elif len(self._pushed) >= MAX_PUSHED:
                check = True
                continue
            self._pushed[sms.id] = seen.fingerprint
            self._async_deliver(sms)
            self.delivered_by_push += 1
            delivered = True
        if delivered:
            self._async_changed()
        if check:
            self._async_poll_now()

    @callback
    def _async_deliver_polled(self, messages: Iterable[IncomingSms]) -> None:
        """Deliver polled messages above the mark that no push delivered."""
        missed = False
        for sms in messages:
            seen = _seen(sms)
            pushed = self._pushed.pop(sms.id, None)
            # Only the same content makes a polled SMS one a push delivered: a
            # forged push must not suppress the real SMS that later has its id.
            if pushed is None or pushed != seen.fingerprint:
                self._async_deliver(sms)
                self.delivered_by_poll += 1
                missed = True
            self._mark = sms.id
            self._recent.append(seen)
        del self._recent[:-RECENT_SIZE]
        # Pushed messages the gateway no longer holds (deleted, or reset away).
        self._pushed = {
            id_: pushed for id_, pushed in self._pushed.items() if id_ > self._mark
        }
        if missed and self.push_works:
            LOGGER.debug("%s: an SMS arrived without a push; polling faster", self.name)
            self._async_set_push_works(False)
        self._async_changed()

    @callback
    def _async_set_push_works(self, push_works: bool) -> None:
        """Poll rarely while pushes bring the SMS, often otherwise."""
        self.push_works = push_works
        self.update_interval = PUSH_POLL_INTERVAL if push_works else POLL_INTERVAL

    @callback
    def _async_deliver(self, sms: IncomingSms) -> None:
        """Fire the events of one new message and count it on its port."""
        entry = self.config_entry
        received = ReceivedSms(
            id=sms.id,
            sender=sms.number,
            smsc=sms.smsc,
            time=None
            if sms.timestamp is None
            else sms.timestamp.replace(tzinfo=self._zone),
            text=sms.text,
        )
        port = self._ports.get(sms.port, PortInbox())
        self._ports[sms.port] = PortInbox(received=port.received + 1, last=received)
        # Never the sender: users share debug logs.
        LOGGER.debug("%s: SMS %s on port %s", self.name, sms.id, port_label(sms.port))
        async_announce_on_port(
            self.hass,
            entry,
            sms.port,
            bus_event=EVENT_SMS_RECEIVED,
            event_type=SMS_RECEIVED,
            data={
                ATTR_SENDER: received.sender,
                ATTR_TEXT: received.text,
                ATTR_TIME: None if received.time is None else received.time.isoformat(),
                ATTR_SMSC: received.smsc,
                ATTR_MESSAGE_ID: received.id,
            },
        )
        async_dispatcher_send(
            self.hass,
            sms_received_signal(entry.entry_id),
            sms.port,
            received,
            fingerprint(sms),
        )

    @callback
    def _async_changed(self) -> None:
        """Show the new counts and save the state the fired events reached."""
        self.data = InboxData(ports=dict(self._ports))
        self.async_update_listeners()
        self._async_schedule_save()

    @callback
    def _async_schedule_save(self) -> None:
        self._store.async_delay_save(self._data_to_save)

    @callback
    def _data_to_save(self) -> StoredInbox:
        return StoredInbox(
            mark=self._mark,
            recent=[(seen.id, seen.fingerprint) for seen in self._recent],
            pushed=[(id_, pushed) for id_, pushed in sorted(self._pushed.items())],
            ports={
                str(port): StoredPort(
                    received=inbox.received,
                    last=None if inbox.last is None else _stored(inbox.last),
                )
                for port, inbox in sorted(self._ports.items())
            },
            push_works=self.push_works,
        )


def _valid_id(sms_id: int) -> bool:
    return 1 <= sms_id <= MAX_INCOMING_SMS_ID


def _seen(sms: IncomingSms) -> _Seen:
    return _Seen(sms.id, fingerprint(sms))


def _stored(sms: ReceivedSms) -> StoredSms:
    return StoredSms(
        id=sms.id,
        sender=sms.sender,
        smsc=sms.smsc,
        time=None if sms.time is None else sms.time.isoformat(),
        text=sms.text,
    )


def _restore(saved: StoredSms) -> ReceivedSms:
    return ReceivedSms(
        id=saved["id"],
        sender=saved["sender"],
        smsc=saved["smsc"],
        time=None if saved["time"] is None else dt_util.parse_datetime(saved["time"]),
        text=saved["text"],
    )
