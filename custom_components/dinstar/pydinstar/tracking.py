"""Tracking of sent SMS until delivered, failed or expired: state in, decisions out.

SmsTracker holds no timer and no storage: its owner asks the gateway what the
tracker says to ask, hands it the answers and pushes, and announces what it
returns as changed. Times are given as `now`; delays are in seconds.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final, TypedDict

from .exceptions import DinstarSendIncompleteError
from .models import DeliveryReport, SendSmsResult, SmsResult, SmsStatus, phone_key

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
SMS_EXPIRE_AFTER: Final = timedelta(hours=24)
KEEP_FINISHED_SMS: Final = timedelta(hours=24)
MAX_KEPT_SMS: Final = 1000
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
    """Where a sent message is."""

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


@dataclass(kw_only=True)
class TrackedSms:
    """One sent message (one recipient), followed by its tracking id."""

    tracking_id: int
    number: str
    # None when the gateway's reply to the send was lost.
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
        """Return the message as JSON-ready values (from_dict reads them back)."""
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
        """Return a message as_dict gave."""
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
        """Return the message as a status to show: ports by the front panel's number."""
        return {
            "tracking_id": self.tracking_id,
            "recipient": self.number,
            "status": self.status.value,
            # The front panel numbers ports from 1, the API from 0.
            "port": None if self.port is None else self.port + 1,
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


class SmsTrackerState(TypedDict):
    """What SmsTracker.as_dict gives to keep, and restore takes back."""

    next_tracking_id: int
    counters: dict[str, PortCounters]
    messages: list[dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryReportQuery:
    """The filters of a query_sms_deliver_status that covers every waiting message."""

    numbers: list[str]
    ports: list[int]
    time_after: datetime | None


def _is_about(result: SmsResult, message: TrackedSms) -> bool:
    """Return whether a result row with a message's id is about that message.

    A row with another number is an older message's that had the same id.
    """
    return not result.number or phone_key(result.number) == phone_key(message.number)


def _report_key(message: TrackedSms) -> tuple[int, str] | None:
    """Return the port and phone under which a message waits for reports, if it does."""
    if (
        message.status is not SmsState.SENT
        or message.finished
        or message.port is None
        or message.ref_id is None
    ):
        return None
    return message.port, phone_key(message.number)


class SmsTracker:
    """Follow each sent message until it is delivered, failed or expired.

    The gateway's pushes are fast but may be lost; polls (only while a message
    is in flight, 32 ids or numbers per query) are the source of truth. While
    results arrive by push, polls are only a slow safety net, until one finds
    a result no push told.

    Methods that change messages return a copy of each as the change left it,
    in order, for the owner to announce; then the owner keeps as_dict.
    """

    def __init__(self, *, now: datetime) -> None:
        """Start with nothing tracked; tracking ids start from now.

        Seeded from the clock so that a reinstalled integration does not reuse
        the ids of messages still in the gateway's result table.
        """
        self._next_tracking_id = int(now.timestamp()) % MAX_TRACKING_ID
        self._messages: dict[int, TrackedSms] = {}
        self._counters: dict[int, PortCounters] = {}
        # Tracking order, which decides between reports matching several messages.
        self._order: dict[int, int] = {}
        self._tracked = 0
        # Messages waiting for delivery reports, by port and phone, in tracking order.
        self._waiting: dict[tuple[int, str], list[TrackedSms]] = {}
        self._rounds_without_reports = REPORT_ROUNDS_WHILE_SENDING - 1
        # Set by pushed results, cleared by a poll that finds what no push told.
        self._results_pushed = False
        # Messages whose send request is out: no result row yet tells nothing.
        self._awaiting_reply: set[int] = set()
        # The results round: the ids asked for and those a row was about.
        self._asked: list[int] = []
        self._listed: set[int] = set()
        # Messages without a result row last round, when the queue was empty next.
        self._missing_before: set[int] = set()
        self._missing: set[int] = set()

    def restore(self, state: SmsTrackerState) -> None:
        """Take back what as_dict gave (after a restart)."""
        self._next_tracking_id = state["next_tracking_id"]
        self._counters = {
            int(port): counters for port, counters in state["counters"].items()
        }
        for data in state["messages"]:
            self._add(TrackedSms.from_dict(data))

    def as_dict(self) -> SmsTrackerState:
        """Return what to keep so that restore resumes tracking."""
        return SmsTrackerState(
            next_tracking_id=self._next_tracking_id,
            counters={str(port): counters for port, counters in self._counters.items()},
            messages=[message.as_dict() for message in self._messages.values()],
        )

    @property
    def messages(self) -> list[TrackedSms]:
        """Return the messages tracked or recently finished, oldest first."""
        return list(self._messages.values())

    def get(self, tracking_id: int) -> TrackedSms | None:
        """Return a tracked message by its tracking id."""
        return self._messages.get(tracking_id)

    def counters(self, port: int) -> PortCounters:
        """Return how many messages a port sent and how many failed."""
        return self._counters.get(port, PortCounters(sent=0, failed=0))

    @property
    def counters_by_port(self) -> dict[int, PortCounters]:
        """Return the counters of every port that sent or failed, by port."""
        return {port: self._counters[port] for port in sorted(self._counters)}

    @property
    def results_pushed(self) -> bool:
        """Return whether results arrive by push (polls are then a slow safety net)."""
        return self._results_pushed

    @property
    def in_flight(self) -> bool:
        """Return whether any message may still change (polls are needed)."""
        return any(not message.finished for message in self._messages.values())

    # Sending.

    def track(
        self,
        numbers: Iterable[str],
        *,
        segments: int,
        delivery_report: bool,
        now: datetime,
    ) -> list[TrackedSms]:
        """Start following one message per number, before its send request goes out.

        Return the new messages; send each with its tracking id as user_id,
        then tell the outcome (send_accepted, send_incomplete or send_refused)
        and, whatever happened, send_ended.
        """
        tracked: list[TrackedSms] = []
        for number in numbers:
            message = TrackedSms(
                tracking_id=self._take_tracking_id(),
                number=number,
                task_id=None,
                segments=segments,
                delivery_report=delivery_report,
                sent_at=now,
                updated_at=now,
            )
            self._add(message)
            self._awaiting_reply.add(message.tracking_id)
            tracked.append(message)
        return tracked

    def send_accepted(self, results: Iterable[SendSmsResult]) -> None:
        """Note the task of each message the gateway accepted."""
        for result in results:
            for recipient in result.recipients:
                if (
                    recipient.user_id is not None
                    and (message := self._messages.get(recipient.user_id)) is not None
                ):
                    message.task_id = result.task_id

    def send_incomplete(
        self, tracking_ids: Iterable[int], error: DinstarSendIncompleteError
    ) -> None:
        """Keep what the gateway accepted or may have; forget what it never got.

        The unconfirmed stay tracked without a task: the results settle them.
        """
        self.send_accepted(error.accepted)
        handed_over = {recipient.user_id for recipient in error.unconfirmed} | {
            recipient.user_id
            for result in error.accepted
            for recipient in result.recipients
        }
        self.send_refused(
            tracking_id
            for tracking_id in tracking_ids
            if tracking_id not in handed_over
        )

    def send_refused(self, tracking_ids: Iterable[int]) -> None:
        """Forget messages the gateway never got."""
        for tracking_id in tracking_ids:
            self._remove(tracking_id)

    def send_ended(self, tracking_ids: Iterable[int]) -> list[TrackedSms]:
        """Note that a send request ended, however; return its messages still tracked.

        Those are the messages the gateway may have: a cancelled send stays
        tracked, the results will tell.
        """
        ended = list(tracking_ids)
        self._awaiting_reply.difference_update(ended)
        return [
            message
            for tracking_id in ended
            if (message := self._messages.get(tracking_id)) is not None
        ]

    # Polling decisions.

    def first_round_delay(self) -> float | None:
        """Return when to poll first after a start or a send; None if nothing is in flight."""
        return FIRST_POLL_DELAY if self.in_flight else None

    def next_round_delay(self, moved: Iterable[int]) -> float | None:
        """Return when to poll after a round; None once nothing is in flight.

        moved: the tracking ids the round's results moved. Rounds follow the
        turn's pace while messages are sending, come soon after a poll found a
        message sent (its report may follow), else at the reports' pace.
        """
        if not self.in_flight:
            return None
        if self._sending:
            return POLL_INTERVAL_REPORTS / self._rounds_per_report
        if any(
            (message := self._messages.get(tracking_id)) is not None
            and not message.finished
            for tracking_id in moved
        ):
            return REPORTS_FOLLOW_UP_DELAY
        return POLL_INTERVAL_REPORTS

    def reports_due(self) -> bool:
        """Return whether this round asks for delivery reports, and count the round.

        While messages are sending, one round in REPORT_ROUNDS_WHILE_SENDING
        does (REPORT_ROUNDS_WHILE_PUSHED while results are pushed); else every
        round. With results pushed a round asks for results or reports, in
        turns; else for results, then for reports when due.
        """
        if self._sending and self._rounds_without_reports < self._rounds_per_report - 1:
            self._rounds_without_reports += 1
            return False
        self._rounds_without_reports = 0
        return True

    @property
    def _rounds_per_report(self) -> int:
        """Return how many rounds, while sending, make one round of reports."""
        if self._results_pushed:
            return REPORT_ROUNDS_WHILE_PUSHED
        return REPORT_ROUNDS_WHILE_SENDING

    @property
    def _sending(self) -> bool:
        """Return whether any message still waits for the gateway to send it."""
        return any(
            message.status is SmsState.SENDING for message in self._messages.values()
        )

    def start_results_round(self) -> list[int]:
        """Return the ids to ask results for: the messages still sending.

        Then apply the rows (apply_results, polled) and finish_results_round.
        Empty: nothing to ask, and no round to finish.
        """
        self._asked = [
            message.tracking_id
            for message in self._messages.values()
            if message.status is SmsState.SENDING
        ]
        self._listed = set()
        return list(self._asked)

    def finish_results_round(self, now: datetime) -> tuple[list[TrackedSms], bool]:
        """Settle the messages asked for that no row was about.

        A message missing twice, with the queue empty in between, was never
        taken (a send whose answer was lost: failed) or is forgotten (the
        gateway emptied its tables: expired, nothing more can be known).
        Return the messages given up, and whether the queue's length is needed
        (then tell it to queue_length): when messages are missing and the queue
        is empty, every SMS the gateway held has its row by the next round.
        """
        changed: list[TrackedSms] = []
        missing: set[int] = set()
        for tracking_id in self._asked:
            message = self._messages.get(tracking_id)
            if (
                message is None
                or tracking_id in self._listed
                or tracking_id in self._awaiting_reply
            ):
                continue
            if tracking_id not in self._missing_before:
                missing.add(tracking_id)
            elif self._advance(
                message,
                SmsState.FAILED if message.task_id is None else SmsState.EXPIRED,
                now,
            ):
                changed.append(replace(message))
        self._asked = []
        self._listed = set()
        self._missing_before = set()
        self._missing = missing
        return changed, bool(missing)

    def queue_length(self, in_queue: int | None) -> None:
        """Take the length of the gateway's queue, asked after a round with missing rows.

        An SMS on air a moment ago may only now have its row: a missing message
        is given up only if its row is still missing next round.
        """
        if in_queue == 0:
            self._missing_before = self._missing
        self._missing = set()

    def delivery_report_query(self) -> DeliveryReportQuery | None:
        """Return the query for the reports of every waiting message; None if none waits."""
        waiting = [
            message
            for message in self._messages.values()
            if message.status is SmsState.SENT and not message.finished
        ]
        if not waiting:
            return None
        oldest = min(
            (message.device_time for message in waiting if message.device_time),
            default=None,
        )
        return DeliveryReportQuery(
            numbers=sorted({message.number for message in waiting}),
            ports=sorted(
                {message.port for message in waiting if message.port is not None}
            ),
            time_after=None if oldest is None else oldest - REPORT_TIME_SLACK,
        )

    # What the gateway tells.

    def apply_results(
        self, results: Sequence[SmsResult], now: datetime, *, pushed: bool
    ) -> list[TrackedSms]:
        """Move messages along by result rows (a later row wins); return the moves.

        Rows may come in slices. Rows of other clients (no or unknown user_id)
        and older messages that had the same id (another number) change
        nothing. A polled row that moves a message means a push was lost, or
        the gateway stopped pushing: polls take the sending pace again.
        """
        if pushed and results:
            self._results_pushed = True
        moved: list[TrackedSms] = []
        for result in results:
            message = (
                None if result.user_id is None else self._messages.get(result.user_id)
            )
            if message is None or not _is_about(result, message):
                continue
            if not pushed:
                self._listed.add(message.tracking_id)
            if message.finished:
                continue
            before = _report_key(message)
            message.port = result.port
            message.ref_id = result.ref_id
            message.device_time = result.time
            message.segments = result.count
            self._reindex(message, before)
            state = _DEVICE_STATES.get(result.status)
            if state is not None and self._advance(message, state, now):
                moved.append(replace(message))
        if moved and not pushed:
            self._results_pushed = False
        return moved

    def apply_reports(
        self, reports: Sequence[DeliveryReport], now: datetime
    ) -> list[TrackedSms]:
        """Record each delivery report on the part it belongs to; return the changes.

        A message is delivered once every part is, failed by a permanent error;
        a temporary error is told once (the parts of a long SMS report the same
        delay together). A final TP-Status of a part is not replaced.
        """
        changed: list[TrackedSms] = []
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
                moved = self._advance(message, SmsState.FAILED, now)
            elif report.temporary_error:
                moved = told != report.status_code
                if moved:
                    message.updated_at = now
            else:
                moved = all(
                    message.parts.get(index, 32) < 32
                    for index in range(message.segments)
                ) and self._advance(message, SmsState.DELIVERED, now)
            if moved:
                changed.append(replace(message))
        return changed

    def _match_report(self, report: DeliveryReport) -> tuple[TrackedSms, int] | None:
        """Return the message and part a report belongs to, if it is ours.

        A report matches by port, number, a ref_id within the message's parts
        (modulo 256) and a time not before the message. References wrap after
        256 parts per port, so the newest candidate (the last tracked) wins.
        """
        for message in reversed(
            self._waiting.get((report.port, phone_key(report.number)), ())
        ):
            assert message.ref_id is not None  # indexed only with one
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

    # Time.

    def expire(self, now: datetime) -> list[TrackedSms]:
        """Give up on messages in flight for longer than SMS_EXPIRE_AFTER; return them."""
        # Advancing in the condition: each message is copied as it expired.
        return [
            replace(message)
            for message in self._messages.values()
            if not message.finished
            and now - message.sent_at > SMS_EXPIRE_AFTER
            and self._advance(message, SmsState.EXPIRED, now)
        ]

    def forget_finished(self, now: datetime) -> int:
        """Forget finished messages after KEEP_FINISHED_SMS, and beyond MAX_KEPT_SMS.

        Return how many were forgotten (what as_dict gives changed).
        """
        finished = [message for message in self._messages.values() if message.finished]
        excess = len(self._messages) - MAX_KEPT_SMS
        forgotten = [
            message.tracking_id
            for index, message in enumerate(finished)
            if index < excess or now - message.updated_at > KEEP_FINISHED_SMS
        ]
        for tracking_id in forgotten:
            self._remove(tracking_id)
        return len(forgotten)

    # State.

    def _take_tracking_id(self) -> int:
        tracking_id = self._next_tracking_id
        self._next_tracking_id = tracking_id % MAX_TRACKING_ID + 1
        return tracking_id

    def _add(self, message: TrackedSms) -> None:
        self._messages[message.tracking_id] = message
        self._order[message.tracking_id] = self._tracked
        self._tracked += 1
        self._reindex(message, None)

    def _remove(self, tracking_id: int) -> None:
        message = self._messages.pop(tracking_id)
        self._reindex(message, _report_key(message), waiting=False)
        del self._order[tracking_id]

    def _advance(self, message: TrackedSms, state: SmsState, now: datetime) -> bool:
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
        before = _report_key(message)
        message.status = state
        message.updated_at = now
        self._reindex(message, before)
        return True

    def _reindex(
        self,
        message: TrackedSms,
        before: tuple[int, str] | None,
        *,
        waiting: bool = True,
    ) -> None:
        """Move a message to the reports index its state now says (out, if not waiting)."""
        after = _report_key(message) if waiting else None
        if after == before:
            return
        if before is not None:
            bucket = self._waiting[before]
            del bucket[bisect_left(bucket, self._rank(message), key=self._rank)]
            if not bucket:
                del self._waiting[before]
        if after is not None:
            insort(self._waiting.setdefault(after, []), message, key=self._rank)

    def _rank(self, message: TrackedSms) -> int:
        """Return a message's place in tracking order."""
        return self._order[message.tracking_id]
