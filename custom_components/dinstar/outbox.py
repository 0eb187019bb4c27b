"""Tracking of the SMS sent from Home Assistant until delivered, failed or expired."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final, TypedDict

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, port_label
from .coordinator import DinstarConfigEntry
from .port_events import async_announce_on_port
from .pydinstar import (
    DeliveryReport,
    DinstarAuthenticationError,
    DinstarClient,
    DinstarError,
    DinstarLockedOutError,
    DinstarSendIncompleteError,
    Push,
    SendSmsResult,
    SmsEncoding,
    SmsRecipient,
    SmsResult,
    SmsStatus,
    phone_key,
)
from .ussd import DinstarUssd

EVENT_SMS_STATUS: Final = "dinstar_sms_status"

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 5.0
# The vendor suggests reading results about 8 s after sending.
FIRST_POLL_DELAY: Final = 10.0
POLL_INTERVAL_SENDING: Final = 15.0
POLL_INTERVAL_REPORTS: Final = 60.0
# Delivery reports usually follow a few seconds after the result: once nothing
# is sending, reports are asked for again this soon after a poll found a
# message sent, then at their pace.
REPORTS_FOLLOW_UP_DELAY: Final = 10.0
# While messages are still sending, reports are asked for every this many rounds
# (at the reports' pace), so a round costs one request per 32 messages.
REPORT_ROUNDS_WHILE_SENDING: Final = round(
    POLL_INTERVAL_REPORTS / POLL_INTERVAL_SENDING
)
# When the gateway pushes results, polls only catch lost pushes: results and
# reports are each asked for at the reports' pace, in turns.
REPORT_ROUNDS_WHILE_PUSHED: Final = 2
# Delivery reports come seconds to hours after sending, or never.
EXPIRE_AFTER: Final = timedelta(hours=24)
KEEP_FINISHED: Final = timedelta(hours=24)
MAX_KEPT: Final = 1000
# A report cannot predate its SMS; the device's clock has one-second steps.
REPORT_TIME_SLACK: Final = timedelta(minutes=1)
# user_id is a JSON integer the device keeps; stay within a signed 32-bit int.
MAX_TRACKING_ID: Final = 2**31 - 1

# 3GPP TS 23.040 9.2.3.15 TP-Status: 0-31 completed, 32-63 temporary error
# (still trying), 64-127 permanent error or temporary error given up.
_TEMPORARY_MEANINGS = (
    "congestion",
    "recipient_busy",
    "no_response",
    "service_rejected",
    "quality_of_service_unavailable",
    "recipient_error",
)
TP_STATUS_MEANINGS: Final[dict[int, str]] = {
    0: "received",
    1: "forwarded_unconfirmed",
    2: "replaced",
    **{32 + index: meaning for index, meaning in enumerate(_TEMPORARY_MEANINGS)},
    64: "remote_procedure_error",
    65: "incompatible_destination",
    66: "connection_rejected",
    67: "not_obtainable",
    68: "quality_of_service_unavailable",
    69: "no_interworking",
    70: "validity_period_expired",
    71: "deleted_by_sender",
    72: "deleted_by_service_center",
    73: "message_unknown",
    **{96 + index: meaning for index, meaning in enumerate(_TEMPORARY_MEANINGS)},
}


def tp_status_meaning(code: int) -> str:
    """Return what a delivery report's TP-Status says, as a stable key."""
    if (meaning := TP_STATUS_MEANINGS.get(code)) is not None:
        return meaning
    if code < 32:
        return "completed"
    if code < 64:
        return "temporary_error"
    return "permanent_error"


class SmsState(StrEnum):
    """Where a message sent from Home Assistant is."""

    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    EXPIRED = "expired"


_SENT_STATES = frozenset({SmsState.SENT, SmsState.DELIVERED})
# A message only moves forward: to a state of a higher rank.
_RANK = {
    SmsState.SENDING: 0,
    SmsState.SENT: 1,
    SmsState.DELIVERED: 2,
    SmsState.FAILED: 2,
    SmsState.EXPIRED: 2,
}
_DEVICE_STATES: dict[SmsStatus | None, SmsState] = {
    SmsStatus.SENT_OK: SmsState.SENT,
    SmsStatus.FAILED: SmsState.FAILED,
    SmsStatus.DELIVERED: SmsState.DELIVERED,
}


@dataclass(frozen=True, kw_only=True)
class SmsRequest:
    """A validated request to send one text to one or more numbers."""

    text: str
    numbers: tuple[str, ...]
    ports: tuple[int, ...] | None
    encoding: SmsEncoding
    segments: int
    delivery_report: bool


@dataclass(kw_only=True)
class TrackedSms:
    """One message (one recipient) sent from Home Assistant."""

    tracking_id: int
    number: str
    # None when the gateway's reply to the send was lost (see async_send).
    task_id: int | None
    segments: int
    delivery_report: bool
    sent_at: datetime
    updated_at: datetime
    status: SmsState = SmsState.SENDING
    port: int | None = None
    ref_id: int | None = None
    # The device's local time stamp of the result (no offset), echoed in queries.
    device_time: datetime | None = None
    # Part index -> latest TP-Status of that part's delivery report.
    parts: dict[int, int] = field(default_factory=dict)
    tp_status: int | None = None

    @property
    def finished(self) -> bool:
        """Return whether nothing more will happen to the message."""
        return _RANK[self.status] == 2 or (
            self.status is SmsState.SENT and not self.delivery_report
        )

    def as_dict(self) -> dict[str, Any]:
        """Return what the store keeps of the message."""
        return {
            "tracking_id": self.tracking_id,
            "number": self.number,
            "task_id": self.task_id,
            "segments": self.segments,
            "delivery_report": self.delivery_report,
            "sent_at": self.sent_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "status": self.status.value,
            "port": self.port,
            "ref_id": self.ref_id,
            "device_time": None
            if self.device_time is None
            else self.device_time.isoformat(),
            "parts": {str(part): code for part, code in self.parts.items()},
            "tp_status": self.tp_status,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrackedSms:
        """Return a message the store kept."""
        device_time = data["device_time"]
        return cls(
            tracking_id=data["tracking_id"],
            number=data["number"],
            task_id=data["task_id"],
            segments=data["segments"],
            delivery_report=data["delivery_report"],
            sent_at=datetime.fromisoformat(data["sent_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            status=SmsState(data["status"]),
            port=data["port"],
            ref_id=data["ref_id"],
            device_time=None
            if device_time is None
            else datetime.fromisoformat(device_time),
            parts={int(part): code for part, code in data["parts"].items()},
            tp_status=data["tp_status"],
        )

    def as_status(self) -> dict[str, Any]:
        """Return the message as events and action responses show it."""
        return {
            "tracking_id": self.tracking_id,
            "recipient": self.number,
            "status": self.status.value,
            "port": None if self.port is None else int(port_label(self.port)),
            "segments": self.segments,
            "task_id": self.task_id,
            "ref_id": self.ref_id,
            "tp_status": self.tp_status,
            "tp_status_meaning": None
            if self.tp_status is None
            else tp_status_meaning(self.tp_status),
            "sent_at": self.sent_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


class PortCounters(TypedDict):
    """How many messages a port sent and how many failed, ever."""

    sent: int
    failed: int


class _StoredOutbox(TypedDict):
    next_tracking_id: int
    counters: dict[str, PortCounters]
    messages: list[dict[str, Any]]


def outbox_updated_signal(entry_id: str) -> str:
    """Return the signal sent when a tracked message or a counter changed."""
    return f"{DOMAIN}_{entry_id}_outbox_updated"


def sms_tracked_signal(entry_id: str) -> str:
    """Return the signal sent with (message, text) when a message is tracked.

    text is the message's once its send request ended (the gateway may have it),
    None when its status or port changed.
    """
    return f"{DOMAIN}_{entry_id}_sms_tracked"


def _is_about(result: SmsResult, message: TrackedSms) -> bool:
    """Return whether a result row with a message's id is about that message.

    A row with another number is an older message's that had the same id.
    """
    return not result.number or phone_key(result.number) == phone_key(message.number)


def outbox_store(hass: HomeAssistant, entry_id: str) -> Store[_StoredOutbox]:
    """Return the store of a gateway's tracked messages and counters."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.outbox")


class DinstarOutbox:
    """Send SMS and follow each one until it is delivered, failed or expired.

    The gateway's pushes are fast but may be lost; polls (only while a message
    is in flight, 32 ids or numbers per query) are the source of truth. While
    results arrive by push, polls are only a slow safety net, until one finds
    a result no push told.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DinstarConfigEntry,
        client: DinstarClient,
        ussd: DinstarUssd,
    ) -> None:
        """Prepare the outbox of entry's gateway; call async_load before use."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._ussd = ussd
        self._store = outbox_store(hass, entry.entry_id)
        self._messages: dict[int, TrackedSms] = {}
        self._counters: dict[int, PortCounters] = {}
        # Seeded from the clock so that a reinstalled integration does not
        # reuse the ids of messages still in the gateway's result table.
        self._next_tracking_id = int(dt_util.utcnow().timestamp()) % MAX_TRACKING_ID
        self._unsub_poll: CALLBACK_TYPE | None = None
        self._polling = False
        self._stopped = False
        self._rounds_without_reports = REPORT_ROUNDS_WHILE_SENDING - 1
        # Set by pushed results, cleared by a poll that finds what no push told.
        self._results_pushed = False
        # Messages without a result row last round, when the queue was empty next.
        self._missing_before: set[int] = set()
        # Messages whose send request is out: no result row yet tells nothing.
        self._in_flight: set[int] = set()

    async def async_load(self) -> None:
        """Read what the store kept and resume tracking."""
        if (stored := await self._store.async_load()) is not None:
            self._next_tracking_id = stored["next_tracking_id"]
            self._counters = {
                int(port): counters for port, counters in stored["counters"].items()
            }
            for data in stored["messages"]:
                message = TrackedSms.from_dict(data)
                self._messages[message.tracking_id] = message
        # Home Assistant does not unload entries when it stops: stop polling then too.
        self._entry.async_on_unload(
            self._hass.bus.async_listen(
                EVENT_HOMEASSISTANT_STOP, self._async_stop_polling
            )
        )
        # The first poll also expires what ran out while Home Assistant was
        # stopped, once automations have had time to start listening.
        self._async_schedule_poll(FIRST_POLL_DELAY)

    @callback
    def _async_stop_polling(self, _event: Event | None = None) -> None:
        """Plan no more polls; the store writes what changed when it stops."""
        self._stopped = True
        if self._unsub_poll is not None:
            self._unsub_poll()
            self._unsub_poll = None

    async def async_stop(self) -> None:
        """Stop polling and write what changed."""
        self._async_stop_polling()
        await self._store.async_save(self._data_to_save())

    @property
    def messages(self) -> list[TrackedSms]:
        """Return the messages tracked or recently finished, oldest first."""
        return list(self._messages.values())

    def get(self, tracking_id: int) -> TrackedSms | None:
        """Return a tracked message by its tracking id."""
        return self._messages.get(tracking_id)

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the tracking state, without the recipients' numbers."""
        return {
            "polling": self._polling or self._unsub_poll is not None,
            "results_pushed": self._results_pushed,
            "counters": {
                port_label(port): counters
                for port, counters in sorted(self._counters.items())
            },
            "messages": [
                {
                    key: value
                    for key, value in message.as_status().items()
                    if key != "recipient"
                }
                for message in self.messages
            ],
        }

    def counters(self, port: int) -> PortCounters:
        """Return how many messages a port sent and how many failed."""
        return self._counters.get(port, PortCounters(sent=0, failed=0))

    async def async_send(self, request: SmsRequest) -> list[SendSmsResult]:
        """Send a request once (never retried) and track every accepted message.

        Raises the client's errors; DinstarSendIncompleteError after tracking
        what the gateway accepted, and what it may have (whose reply was lost:
        the results settle those, see _async_query_results).
        """
        ids = [self._take_tracking_id() for _ in request.numbers]
        recipients = [
            SmsRecipient(number=number, user_id=tracking_id)
            for number, tracking_id in zip(request.numbers, ids, strict=True)
        ]
        # Tracked and saved before sending: whatever becomes of this run (Home
        # Assistant stops or crashes while the reply is out), the saved state
        # follows every message the gateway may take, and its ids are not reused.
        self._async_track_recipients(request, recipients)
        self._in_flight.update(ids)
        try:
            await self._store.async_save(self._data_to_save())
            results = await self._client.send_sms(
                request.text,
                recipients,
                ports=request.ports,
                encoding=request.encoding,
                request_status_report=request.delivery_report,
            )
        except DinstarSendIncompleteError as err:
            # The gateway never got the pending ones; the unconfirmed are followed.
            self._async_set_task_ids(err.accepted)
            handed_over = {recipient.user_id for recipient in err.unconfirmed} | {
                recipient.user_id
                for result in err.accepted
                for recipient in result.recipients
            }
            self._async_forget(set(ids) - handed_over)
            raise
        except DinstarError:
            self._async_forget(ids)
            raise
        else:
            self._async_set_task_ids(results)
        finally:
            # A cancelled send (a restarted automation, a stop) stays tracked:
            # the gateway may have taken it, the results will tell.
            self._in_flight.difference_update(ids)
            self._async_announce_tracked(ids, request.text)
            self._async_schedule_save()
        return results

    @callback
    def _async_set_task_ids(self, results: Iterable[SendSmsResult]) -> None:
        """Note the task of each message the gateway accepted."""
        for result in results:
            for recipient in result.recipients:
                assert recipient.user_id is not None
                self._messages[recipient.user_id].task_id = result.task_id

    @callback
    def _async_announce_tracked(self, tracking_ids: Iterable[int], text: str) -> None:
        """Tell the messages of a send request that the gateway may have taken.

        Only once the request ended: a message the gateway never got is not told.
        """
        for tracking_id in tracking_ids:
            if (message := self._messages.get(tracking_id)) is not None:
                async_dispatcher_send(
                    self._hass,
                    sms_tracked_signal(self._entry.entry_id),
                    message,
                    text,
                )

    @callback
    def _async_forget(self, tracking_ids: Iterable[int]) -> None:
        """Stop following messages the gateway never got."""
        for tracking_id in tracking_ids:
            del self._messages[tracking_id]

    @callback
    def async_handle_push(self, push: Push) -> None:
        """Take the results, delivery reports and USSD replies the gateway pushed."""
        if push.sms_results:
            self._results_pushed = True
        self._async_apply_results(push.sms_results)
        self._async_apply_reports(push.delivery_reports)
        self._ussd.async_handle_replies(push.ussd_replies)

    def _take_tracking_id(self) -> int:
        tracking_id = self._next_tracking_id
        self._next_tracking_id = tracking_id % MAX_TRACKING_ID + 1
        return tracking_id

    @callback
    def _async_track_recipients(
        self,
        request: SmsRequest,
        recipients: Iterable[SmsRecipient],
    ) -> None:
        """Start following the messages to recipients (their task is told by the reply)."""
        now = dt_util.utcnow()
        for recipient in recipients:
            assert recipient.user_id is not None
            self._messages[recipient.user_id] = TrackedSms(
                tracking_id=recipient.user_id,
                number=recipient.number,
                task_id=None,
                segments=request.segments,
                delivery_report=request.delivery_report,
                sent_at=now,
                updated_at=now,
            )
        self._async_schedule_poll(FIRST_POLL_DELAY)

    @callback
    def _async_schedule_poll(self, delay: float) -> None:
        """Poll after delay unless a poll is planned or running, or nothing is in flight."""
        if self._stopped or self._unsub_poll is not None or self._polling:
            return
        if not any(not message.finished for message in self._messages.values()):
            return
        self._unsub_poll = async_call_later(self._hass, delay, self._async_start_poll)

    @callback
    def _async_start_poll(self, _now: datetime) -> None:
        self._unsub_poll = None
        self._polling = True
        self._entry.async_create_background_task(
            self._hass, self._async_poll(), f"{DOMAIN} {self._entry.title} outbox poll"
        )

    async def _async_poll(self) -> None:
        """Ask the gateway about every message in flight, then plan the next round."""
        moved: list[TrackedSms] = []
        try:
            moved = await self._async_query_round()
        except DinstarAuthenticationError, DinstarLockedOutError:
            # The coordinators start the reauthentication; it reloads the entry.
            self._async_stop_polling()
            return
        except DinstarError as err:
            LOGGER.debug("Polling the status of sent SMS failed: %s", err)
        finally:
            self._polling = False
        self._async_expire()
        self._async_schedule_poll(self._next_round_delay(moved))

    async def _async_query_round(self) -> list[TrackedSms]:
        """Ask for results, reports or both, as the round's turn says.

        Return the messages the results moved.
        """
        if self._results_pushed:
            if self._reports_due():
                await self._async_query_reports()
                return []
            return await self._async_query_results()
        moved = await self._async_query_results()
        if self._reports_due():
            await self._async_query_reports()
        return moved

    def _next_round_delay(self, moved: list[TrackedSms]) -> float:
        """Return when to poll next: by the round's pace, or soon for fresh reports."""
        if self._sending:
            return POLL_INTERVAL_REPORTS / self._rounds_per_report
        if any(not message.finished for message in moved):
            return REPORTS_FOLLOW_UP_DELAY
        return POLL_INTERVAL_REPORTS

    @property
    def _rounds_per_report(self) -> int:
        """Return how many rounds, while sending, make one round of reports."""
        if self._results_pushed:
            return REPORT_ROUNDS_WHILE_PUSHED
        return REPORT_ROUNDS_WHILE_SENDING

    def _reports_due(self) -> bool:
        """Return whether this round asks for delivery reports, and count it."""
        if self._sending and self._rounds_without_reports < self._rounds_per_report - 1:
            self._rounds_without_reports += 1
            return False
        self._rounds_without_reports = 0
        return True

    @property
    def _sending(self) -> bool:
        """Return whether any message still waits for the gateway to send it."""
        return any(
            message.status is SmsState.SENDING for message in self._messages.values()
        )

    async def _async_query_results(self) -> list[TrackedSms]:
        """Read the results of messages the gateway has not finished sending.

        Return the messages that moved. When messages have no result row and
        the gateway then says its queue is empty, every SMS it held has its row
        by the next round. One still without was never taken (a send whose
        answer was lost: failed) or is forgotten (the gateway emptied its
        tables: expired, nothing more can be known).
        """
        sending = [
            message for message in self.messages if message.status is SmsState.SENDING
        ]
        if not sending:
            return []
        results = await self._client.query_sms_result(
            user_ids=[message.tracking_id for message in sending]
        )
        moved = self._async_apply_results(results)
        if moved:
            # A push was lost, or the gateway stopped pushing.
            self._results_pushed = False
        missing: list[TrackedSms] = []
        for message in self._unlisted(sending, results):
            if message.tracking_id not in self._missing_before:
                missing.append(message)
            elif message.task_id is None:
                self._async_advance(message, SmsState.FAILED)
            else:
                self._async_advance(message, SmsState.EXPIRED)
        self._missing_before = set()
        if missing and await self._client.query_sms_in_queue() == 0:
            # An SMS on air a moment ago may only now have its row: next round.
            self._missing_before = {message.tracking_id for message in missing}
        return moved

    def _unlisted(
        self, messages: list[TrackedSms], results: Sequence[SmsResult]
    ) -> list[TrackedSms]:
        """Return the messages no result row is about."""
        listed = {
            result.user_id
            for result in results
            if result.user_id in self._messages
            and _is_about(result, self._messages[result.user_id])
        }
        return [
            message
            for message in messages
            if message.tracking_id not in listed
            and message.tracking_id not in self._in_flight
        ]

    async def _async_query_reports(self) -> None:
        """Read the delivery reports of messages that wait for one."""
        waiting = [
            message
            for message in self.messages
            if message.status is SmsState.SENT and not message.finished
        ]
        if not waiting:
            return
        oldest = min(
            (message.device_time for message in waiting if message.device_time),
            default=None,
        )
        self._async_apply_reports(
            await self._client.query_sms_deliver_status(
                numbers=sorted({message.number for message in waiting}),
                ports=sorted(
                    {message.port for message in waiting if message.port is not None}
                ),
                time_after=None if oldest is None else oldest - REPORT_TIME_SLACK,
            )
        )

    @callback
    def _async_apply_results(self, results: Sequence[SmsResult]) -> list[TrackedSms]:
        """Move messages along by the gateway's results (newest row wins).

        Return the messages that moved.
        """
        moved: list[TrackedSms] = []
        for result in results:
            message = (
                None if result.user_id is None else self._messages.get(result.user_id)
            )
            if message is None or message.finished or not _is_about(result, message):
                continue
            message.port = result.port
            message.ref_id = result.ref_id
            message.device_time = result.time
            message.segments = result.count
            state = _DEVICE_STATES.get(result.status)
            if state is not None and self._async_advance(message, state):
                moved.append(message)
        return moved

    @callback
    def _async_apply_reports(self, reports: Sequence[DeliveryReport]) -> None:
        """Record each delivery report on the part of the message it belongs to."""
        for report in reports:
            if (found := self._match_report(report)) is None:
                continue
            message, part = found
            previous = message.parts.get(part)
            if previous == report.status_code or (
                previous is not None and not 32 <= previous < 64
            ):
                continue
            told = message.tp_status
            message.parts[part] = report.status_code
            message.tp_status = report.status_code
            if report.permanent_error:
                self._async_advance(message, SmsState.FAILED)
            elif report.temporary_error:
                # The parts of a long SMS report the same delay together.
                if told != report.status_code:
                    self._async_changed(message)
            elif all(
                message.parts.get(index, 32) < 32 for index in range(message.segments)
            ):
                self._async_advance(message, SmsState.DELIVERED)

    def _match_report(self, report: DeliveryReport) -> tuple[TrackedSms, int] | None:
        """Return the message and part a report belongs to, if it is ours.

        A report matches by port, number, a ref_id within the message's parts
        (modulo 256) and a time not before the message. References wrap after
        256 parts per port, so the newest candidate (the last tracked) wins.
        """
        for message in reversed(self._messages.values()):
            if (
                message.status is not SmsState.SENT
                or message.finished
                or message.port != report.port
                or message.ref_id is None
                or phone_key(message.number) != phone_key(report.number)
            ):
                continue
            part = (report.ref_id - message.ref_id) % 256
            if part >= message.segments:
                continue
            if (
                report.time is not None
                and message.device_time is not None
                and report.time < message.device_time - REPORT_TIME_SLACK
            ):
                continue
            return message, part
        return None

    @callback
    def _async_advance(self, message: TrackedSms, state: SmsState) -> bool:
        """Move a message forward (never back) and count what its port did.

        Return whether it moved.
        """
        if message.finished or _RANK[state] <= _RANK[message.status]:
            return False
        if message.port is not None:
            counters = self._counters.setdefault(
                message.port, PortCounters(sent=0, failed=0)
            )
            if message.status is SmsState.SENDING and state in _SENT_STATES:
                counters["sent"] += 1
            if state is SmsState.FAILED:
                counters["failed"] += 1
        message.status = state
        self._async_changed(message)
        return True

    @callback
    def _async_changed(self, message: TrackedSms) -> None:
        """Save a change and tell the bus, the port's event entity and sensors."""
        message.updated_at = dt_util.utcnow()
        status = message.as_status()
        # A message the gateway never reported on has no port (and no device).
        if message.port is None:
            self._hass.bus.async_fire(
                EVENT_SMS_STATUS,
                {"config_entry_id": self._entry.entry_id, "device_id": None, **status},
            )
        else:
            del status["port"]
            async_announce_on_port(
                self._hass,
                self._entry,
                message.port,
                bus_event=EVENT_SMS_STATUS,
                event_type="sms_status",
                data=status,
            )
        async_dispatcher_send(self._hass, outbox_updated_signal(self._entry.entry_id))
        async_dispatcher_send(
            self._hass, sms_tracked_signal(self._entry.entry_id), message, None
        )
        self._async_schedule_save()

    @callback
    def _async_expire(self) -> None:
        """Give up on messages in flight too long; forget old finished ones."""
        now = dt_util.utcnow()
        for message in list(self._messages.values()):
            if not message.finished and now - message.sent_at > EXPIRE_AFTER:
                self._async_advance(message, SmsState.EXPIRED)
        finished = [message for message in self.messages if message.finished]
        excess = len(self._messages) - MAX_KEPT
        for index, message in enumerate(finished):
            if index < excess or now - message.updated_at > KEEP_FINISHED:
                del self._messages[message.tracking_id]
                self._async_schedule_save()

    @callback
    def _async_schedule_save(self) -> None:
        self._store.async_delay_save(self._data_to_save, SAVE_DELAY)

    @callback
    def _data_to_save(self) -> _StoredOutbox:
        return _StoredOutbox(
            next_tracking_id=self._next_tracking_id,
            counters={str(port): counters for port, counters in self._counters.items()},
            messages=[message.as_dict() for message in self.messages],
        )
