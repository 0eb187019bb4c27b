"""SmsTracker: states, results, delivery reports, the missing-row rule, pacing and expiry.

Pure rules: no gateway, no clock; every time is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pydinstar import (
    FIRST_POLL_DELAY,
    KEEP_FINISHED_SMS,
    MAX_KEPT_SMS,
    MAX_TRACKING_ID,
    POLL_INTERVAL_REPORTS,
    POLL_INTERVAL_SENDING,
    REPORT_ROUNDS_WHILE_PUSHED,
    REPORT_ROUNDS_WHILE_SENDING,
    REPORT_TIME_SLACK,
    REPORTS_FOLLOW_UP_DELAY,
    SMS_EXPIRE_AFTER,
    DeliveryReport,
    DeliveryReportQuery,
    DinstarSendIncompleteError,
    SendSmsResult,
    SmsRecipient,
    SmsResult,
    SmsState,
    SmsStatus,
    SmsTracker,
    TrackedSms,
    phone_key,
    tp_status_meaning,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
# The gateway's clock: local time without an offset.
DEVICE_TIME = datetime(2026, 5, 1, 14, 0, 5)
ANN = "+4917012345678"
BOB = "+4917099999999"


def _tracker(
    *numbers: str, segments: int = 1, delivery_report: bool = True
) -> tuple[SmsTracker, list[TrackedSms]]:
    """Return a tracker that sent one message to each number (task 1, reply read)."""
    tracker = SmsTracker(now=NOW)
    messages = _send(
        tracker, numbers, segments=segments, delivery_report=delivery_report
    )
    return tracker, messages


def _send(
    tracker: SmsTracker,
    numbers: Iterable[str],
    *,
    segments: int = 1,
    delivery_report: bool = True,
) -> list[TrackedSms]:
    """Track messages to numbers and end their send as the gateway accepted it."""
    messages = tracker.track(
        numbers, segments=segments, delivery_report=delivery_report, now=NOW
    )
    tracker.send_accepted([_accepted(messages)])
    tracker.send_ended(message.tracking_id for message in messages)
    return messages


def _accepted(messages: Sequence[TrackedSms], task_id: int = 1) -> SendSmsResult:
    return SendSmsResult(
        task_id=task_id,
        sms_in_queue=len(messages),
        recipients=tuple(
            SmsRecipient(number=message.number, user_id=message.tracking_id)
            for message in messages
        ),
    )


def _row(
    message: TrackedSms,
    status: SmsStatus | None = SmsStatus.SENT_OK,
    *,
    port: int = 0,
    ref_id: int | None = 0,
    number: str | None = None,
    user_id: int | None = None,
    time: datetime | None = DEVICE_TIME,
) -> SmsResult:
    """Return a result row about message (or, given user_id, about that id)."""
    return SmsResult(
        port=port,
        number=message.number if number is None else number,
        user_id=message.tracking_id if user_id is None else user_id,
        time=time,
        status=status,
        count=message.segments,
        succ_count=message.segments,
        ref_id=ref_id,
        imsi=None,
    )


def _report(
    ref_id: int = 0,
    code: int = 0,
    *,
    port: int = 0,
    number: str = ANN,
    time: datetime | None = DEVICE_TIME,
) -> DeliveryReport:
    return DeliveryReport(
        port=port,
        number=number,
        time=time,
        ref_id=ref_id,
        status_code=code,
        imsi=None,
    )


def _told(changes: Iterable[TrackedSms]) -> list[tuple[int, str, int | None]]:
    """Return (tracking id, status, TP-Status) of each change, in order."""
    return [
        (message.tracking_id, message.status.value, message.tp_status)
        for message in changes
    ]


def _status(tracker: SmsTracker, message: TrackedSms) -> SmsState | None:
    """Return where the tracker has a message now (None: forgotten)."""
    tracked = tracker.get(message.tracking_id)
    return None if tracked is None else tracked.status


def _sent(tracker: SmsTracker, *messages: TrackedSms, ref_id: int = 0) -> None:
    """Let the gateway report messages sent on port 0, ref_ids from ref_id on."""
    rows = []
    for message in messages:
        rows.append(_row(message, ref_id=ref_id))
        ref_id += message.segments
    assert len(tracker.apply_results(rows, NOW, pushed=True)) == len(messages)


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        (0, "received"),
        (1, "forwarded_unconfirmed"),
        (20, "completed"),
        (33, "recipient_busy"),
        (50, "temporary_error"),
        (65, "incompatible_destination"),
        (73, "message_unknown"),
        (101, "recipient_error"),
        (200, "permanent_error"),
    ],
)
def test_tp_status_meanings(code: int, meaning: str) -> None:
    """Each TP-Status range of 3GPP TS 23.040 has its meaning."""
    assert tp_status_meaning(code) == meaning


def test_phone_key() -> None:
    """+4917… and 4917… are the same phone; spaces around do not count."""
    assert phone_key(" +4917012345678 ") == phone_key("4917012345678")
    assert phone_key("6717") == "6717"


def test_stored_format() -> None:
    """What the tracker gives to keep is the integration's stored format; restore resumes.

    Stores written before the library held the tracking load unchanged.
    """
    stored: dict[str, Any] = {
        "next_tracking_id": 43,
        "counters": {"0": {"sent": 3, "failed": 1}},
        "messages": [
            {
                "tracking_id": 41,
                "number": ANN,
                "task_id": 7,
                "segments": 2,
                "delivery_report": True,
                "sent_at": "2026-05-01T12:00:00+00:00",
                "updated_at": "2026-05-01T12:00:10+00:00",
                "status": "sent",
                "port": 0,
                "ref_id": 4,
                "device_time": "2026-05-01T14:00:05",
                "parts": {"0": 0},
                "tp_status": 0,
            },
            {
                "tracking_id": 42,
                "number": BOB,
                "task_id": None,
                "segments": 1,
                "delivery_report": False,
                "sent_at": "2026-05-01T12:00:00+00:00",
                "updated_at": "2026-05-01T12:00:00+00:00",
                "status": "sending",
                "port": None,
                "ref_id": None,
                "device_time": None,
                "parts": {},
                "tp_status": None,
            },
        ],
    }
    tracker = SmsTracker(now=NOW)
    tracker.restore(stored)  # type: ignore[arg-type]

    assert tracker.as_dict() == stored
    first = tracker.get(41)
    assert first is not None
    assert TrackedSms.from_dict(first.as_dict()) == first
    assert tracker.counters(0) == {"sent": 3, "failed": 1}
    # Waiting for its second part's report, as before the restart.
    assert _told(tracker.apply_reports([_report(5)], NOW)) == [(41, "delivered", 0)]
    assert tracker.counters(0) == {"sent": 3, "failed": 1}
    [new] = tracker.track([ANN], segments=1, delivery_report=True, now=NOW)
    assert new.tracking_id == 43


def test_as_status() -> None:
    """A status names the port as the front panel does, and the TP-Status's meaning."""
    tracker, [message] = _tracker(ANN)
    assert message.as_status() == {
        "tracking_id": message.tracking_id,
        "recipient": ANN,
        "status": "sending",
        "port": None,
        "segments": 1,
        "task_id": 1,
        "ref_id": None,
        "tp_status": None,
        "tp_status_meaning": None,
        "sent_at": NOW.isoformat(),
        "updated_at": NOW.isoformat(),
    }
    tracker.apply_results([_row(message, port=2, ref_id=9)], NOW, pushed=True)
    [changed] = tracker.apply_reports([_report(9, 65, port=2)], NOW)
    status = changed.as_status()
    assert (status["port"], status["ref_id"], status["status"]) == (3, 9, "failed")
    assert (status["tp_status"], status["tp_status_meaning"]) == (
        65,
        "incompatible_destination",
    )


def test_tracking_ids_follow_the_clock_and_wrap() -> None:
    """Ids start from the clock (a reinstall reuses none) and stay a signed 32-bit int."""
    start = datetime.fromtimestamp(MAX_TRACKING_ID - 1, UTC)
    tracker = SmsTracker(now=start)
    messages = tracker.track(
        [ANN, BOB, ANN], segments=1, delivery_report=True, now=start
    )
    assert [message.tracking_id for message in messages] == [
        MAX_TRACKING_ID - 1,
        MAX_TRACKING_ID,
        1,
    ]
    assert tracker.as_dict()["next_tracking_id"] == 2


def test_send_outcomes() -> None:
    """What the gateway accepted or may have stays tracked; what it never got is forgotten."""
    tracker = SmsTracker(now=NOW)
    accepted, unconfirmed, pending = tracker.track(
        [ANN, BOB, "+4917000000003"], segments=1, delivery_report=True, now=NOW
    )
    error = DinstarSendIncompleteError(
        [_accepted([accepted], task_id=5)],
        pending_recipients=1,
        unconfirmed=[
            SmsRecipient(number=unconfirmed.number, user_id=unconfirmed.tracking_id)
        ],
    )
    tracker.send_incomplete(
        [accepted.tracking_id, unconfirmed.tracking_id, pending.tracking_id], error
    )
    ended = tracker.send_ended(
        [accepted.tracking_id, unconfirmed.tracking_id, pending.tracking_id]
    )
    assert [(message.number, message.task_id) for message in ended] == [
        (ANN, 5),
        (BOB, None),
    ]
    assert tracker.get(pending.tracking_id) is None

    # A refused send is forgotten; a cancelled one (no outcome) stays.
    refused = tracker.track([ANN], segments=1, delivery_report=True, now=NOW)
    tracker.send_refused(message.tracking_id for message in refused)
    assert tracker.send_ended(message.tracking_id for message in refused) == []
    cancelled = tracker.track([ANN], segments=1, delivery_report=True, now=NOW)
    assert tracker.send_ended(m.tracking_id for m in cancelled) == cancelled
    # Recipients the tracker did not give an id change nothing.
    tracker.send_accepted(
        [
            SendSmsResult(
                task_id=9,
                sms_in_queue=1,
                recipients=(
                    SmsRecipient(number=ANN),
                    SmsRecipient(number=ANN, user_id=1),
                ),
            )
        ]
    )
    assert {message.task_id for message in tracker.messages} == {5, None}


def test_results_move_messages_and_count_ports() -> None:
    """A result sends, delivers or fails a message; its port counts what it sent and failed."""
    tracker, [sent, delivered, failed] = _tracker(ANN, BOB, "+4917000000003")

    changes = tracker.apply_results(
        [
            _row(sent, port=1),
            _row(delivered, SmsStatus.DELIVERED, port=1),
            _row(failed, SmsStatus.FAILED, port=2),
            _row(sent, SmsStatus.SENDING, port=1),
        ],
        NOW + timedelta(seconds=10),
        pushed=False,
    )

    assert _told(changes) == [
        (sent.tracking_id, "sent", None),
        (delivered.tracking_id, "delivered", None),
        (failed.tracking_id, "failed", None),
    ]
    assert changes[0].updated_at == NOW + timedelta(seconds=10)
    assert tracker.counters(1) == {"sent": 2, "failed": 0}
    assert tracker.counters(2) == {"sent": 0, "failed": 1}
    assert tracker.counters(3) == {"sent": 0, "failed": 0}
    assert tracker.counters_by_port == {
        1: {"sent": 2, "failed": 0},
        2: {"sent": 0, "failed": 1},
    }


def test_each_change_is_told_as_it_left_the_message() -> None:
    """Rows that move a message twice in one reply are two changes, each as it was."""
    tracker, [message] = _tracker(ANN)

    changes = tracker.apply_results(
        [_row(message), _row(message, SmsStatus.DELIVERED)], NOW, pushed=True
    )

    assert _told(changes) == [
        (message.tracking_id, "sent", None),
        (message.tracking_id, "delivered", None),
    ]


def test_sent_without_reports_is_the_end() -> None:
    """Without delivery reports, sent is final: later rows change nothing."""
    tracker, [message] = _tracker(ANN, delivery_report=False)
    # A status the library does not know moves nothing.
    assert tracker.apply_results([_row(message, status=None)], NOW, pushed=True) == []
    assert _told(tracker.apply_results([_row(message)], NOW, pushed=True)) == [
        (message.tracking_id, "sent", None)
    ]
    assert message.finished
    assert (
        tracker.apply_results([_row(message, SmsStatus.FAILED)], NOW, pushed=True) == []
    )
    assert tracker.counters(0) == {"sent": 1, "failed": 0}


def test_rows_of_others_change_nothing() -> None:
    """Rows of other clients, and of older messages that had the same id, are not ours."""
    tracker, [message] = _tracker(ANN)
    other = [
        _row(message, user_id=message.tracking_id + 1),
        _row(message, number=BOB),
        SmsResult(
            port=0,
            number=ANN,
            user_id=None,
            time=None,
            status=SmsStatus.DELIVERED,
            count=1,
            succ_count=1,
            ref_id=7,
            imsi=None,
        ),
    ]
    assert tracker.apply_results(other, NOW, pushed=True) == []
    # The same number, written without its +, or no number at all, is the message's.
    assert _told(
        tracker.apply_results([_row(message, number=ANN.lstrip("+"))], NOW, pushed=True)
    ) == [(message.tracking_id, "sent", None)]
    assert _told(
        tracker.apply_results(
            [_row(message, SmsStatus.DELIVERED, number="")], NOW, pushed=True
        )
    ) == [(message.tracking_id, "delivered", None)]


def test_never_back() -> None:
    """A result never moves a message back, nor repeats a status it already told."""
    tracker, [message] = _tracker(ANN)
    _sent(tracker, message)
    for status in (SmsStatus.SENDING, SmsStatus.SENT_OK):
        assert tracker.apply_results([_row(message, status)], NOW, pushed=True) == []
    assert _status(tracker, message) is SmsState.SENT


def test_results_pushed_until_a_poll_finds_more() -> None:
    """Pushed results make polls a safety net until a polled row moves a message."""
    tracker, [first, second] = _tracker(ANN, BOB)
    assert not tracker.results_pushed
    tracker.apply_results([], NOW, pushed=True)
    assert not tracker.results_pushed
    tracker.apply_results([_row(first)], NOW, pushed=True)
    assert tracker.results_pushed
    # A polled row that moves nothing: pushes still bring the news.
    tracker.apply_results([_row(first)], NOW, pushed=False)
    assert tracker.results_pushed
    tracker.apply_results([_row(second)], NOW, pushed=False)
    assert not tracker.results_pushed


def test_multipart_needs_every_part() -> None:
    """A long SMS is delivered once each part is; other reports are not its."""
    tracker, [short] = _tracker(ANN)
    [long] = _send(tracker, [ANN], segments=3)
    _sent(tracker, short, long, ref_id=0)  # parts 1, 2 and 3

    changes = tracker.apply_reports(
        [
            _report(1),
            _report(1),
            _report(4),
            _report(0),
            _report(2, number=BOB),
            _report(2, time=DEVICE_TIME - REPORT_TIME_SLACK - timedelta(seconds=1)),
            _report(2, port=1),
        ],
        NOW,
    )

    assert _told(changes) == [(short.tracking_id, "delivered", 0)]
    assert tracker.apply_reports([_report(2, time=None)], NOW) == []
    assert _told(tracker.apply_reports([_report(3)], NOW)) == [
        (long.tracking_id, "delivered", 0)
    ]
    assert tracker.counters(0) == {"sent": 2, "failed": 0}


@pytest.mark.parametrize(
    ("codes", "told", "failed"),
    [
        ((33, 0), [("sent", 33), ("delivered", 0)], 0),
        ((33, 33, 0), [("sent", 33), ("delivered", 0)], 0),
        ((32, 96), [("sent", 32), ("failed", 96)], 1),
        ((64,), [("failed", 64)], 1),
        ((1,), [("delivered", 1)], 0),
    ],
)
def test_temporary_and_final_reports(
    codes: tuple[int, ...], told: list[tuple[str, int]], failed: int
) -> None:
    """A temporary TP-Status is told once; the message waits for its final report."""
    tracker, [message] = _tracker(ANN)
    _sent(tracker, message)

    changes = tracker.apply_reports([_report(0, code) for code in codes], NOW)

    assert [(m.status.value, m.tp_status) for m in changes] == told
    assert tracker.counters(0) == {"sent": 1, "failed": failed}


def test_parts_report_a_delay_together() -> None:
    """The parts of a long SMS report the same delay together: it is told once."""
    tracker, [message] = _tracker(ANN, segments=2)
    _sent(tracker, message)
    assert _told(tracker.apply_reports([_report(0, 33), _report(1, 33)], NOW)) == [
        (message.tracking_id, "sent", 33)
    ]
    assert _told(tracker.apply_reports([_report(0, 0), _report(1, 0)], NOW)) == [
        (message.tracking_id, "delivered", 0)
    ]


def test_a_part_keeps_its_final_status() -> None:
    """Once a part's report is final, a later report of that part changes nothing."""
    tracker, [message] = _tracker(ANN, segments=2)
    _sent(tracker, message)
    assert tracker.apply_reports([_report(0, 0), _report(0, 65)], NOW) == []
    assert _told(tracker.apply_reports([_report(1, 0)], NOW)) == [
        (message.tracking_id, "delivered", 0)
    ]


def test_reference_numbers_wrap() -> None:
    """The parts of a long SMS may wrap from reference 255 to 0."""
    tracker, [message] = _tracker(ANN, segments=3)
    _sent(tracker, message, ref_id=254)
    assert tracker.apply_reports([_report(254), _report(255)], NOW) == []
    assert _told(tracker.apply_reports([_report(0)], NOW)) == [
        (message.tracking_id, "delivered", 0)
    ]


def test_the_newest_candidate_wins() -> None:
    """When references wrapped onto an older message's, the one tracked last takes the report.

    Tracking order decides, not the order in which results came.
    """
    tracker, [older, newer, other] = _tracker(ANN, ANN, BOB)
    tracker.apply_results(
        [_row(newer, ref_id=10), _row(other, ref_id=10), _row(older, ref_id=10)],
        NOW,
        pushed=True,
    )
    assert _told(tracker.apply_reports([_report(10)], NOW)) == [
        (newer.tracking_id, "delivered", 0)
    ]
    assert _told(tracker.apply_reports([_report(10)], NOW)) == [
        (older.tracking_id, "delivered", 0)
    ]


def test_a_later_row_moves_where_reports_are_looked_for() -> None:
    """A message waiting for reports follows the port and reference of its latest row."""
    tracker, [message] = _tracker(ANN)
    _sent(tracker, message)
    tracker.apply_results([_row(message, port=3, ref_id=8)], NOW, pushed=True)
    assert tracker.apply_reports([_report(0)], NOW) == []
    assert _told(tracker.apply_reports([_report(8, port=3)], NOW)) == [
        (message.tracking_id, "delivered", 0)
    ]
    # Without a reference a report cannot be matched.
    tracker2, [message2] = _tracker(ANN)
    tracker2.apply_results([_row(message2, ref_id=None)], NOW, pushed=True)
    assert tracker2.apply_reports([_report(0)], NOW) == []
    assert tracker2.delivery_report_query() is not None


def test_no_reports_requested() -> None:
    """Without delivery reports, sent ends the message's tracking: nothing more to ask."""
    tracker, [message] = _tracker(ANN, delivery_report=False)
    _sent(tracker, message)
    assert not tracker.in_flight
    assert tracker.delivery_report_query() is None
    assert tracker.next_round_delay([message.tracking_id]) is None
    assert tracker.first_round_delay() is None


def _round(
    tracker: SmsTracker,
    rows: Callable[[list[int]], list[SmsResult]],
    *,
    in_queue: int | None = 0,
) -> tuple[list[int], list[tuple[int, str, int | None]], bool]:
    """Run a results round: return the ids asked, the messages given up, and the queue ask."""
    asked = tracker.start_results_round()
    tracker.apply_results(rows(asked), NOW, pushed=False)
    given_up, queue_needed = tracker.finish_results_round(NOW)
    if queue_needed:
        tracker.queue_length(in_queue)
    return asked, _told(given_up), queue_needed


@pytest.mark.parametrize(("task_id", "end"), [(None, "failed"), (1, "expired")])
def test_missing_twice_with_an_empty_queue(task_id: int | None, end: str) -> None:
    """A message without a row in two rounds, the queue empty between them, is given up.

    Without a task (its send's answer was lost) the gateway never took it; with
    one, the gateway emptied its tables and nothing more can be known.
    """
    tracker = SmsTracker(now=NOW)
    [message] = tracker.track([ANN], segments=1, delivery_report=True, now=NOW)
    if task_id is not None:
        tracker.send_accepted([_accepted([message])])
    tracker.send_ended([message.tracking_id])

    assert _round(tracker, lambda _: []) == ([message.tracking_id], [], True)
    assert _round(tracker, lambda _: []) == (
        [message.tracking_id],
        [(message.tracking_id, end, None)],
        False,
    )
    assert tracker.counters(0) == {"sent": 0, "failed": 0}
    assert tracker.start_results_round() == []


def test_missing_rows_wait_for_an_empty_queue() -> None:
    """While the queue holds SMS (or does not say), a missing row is no news."""
    tracker, [message] = _tracker(ANN)
    for in_queue in (1, None, 1):
        assert _round(tracker, lambda _: [], in_queue=in_queue)[1:] == ([], True)
    assert _status(tracker, message) is SmsState.SENDING


def test_a_row_found_in_the_next_round() -> None:
    """A row missing in one round, with the queue then empty, is taken when it shows.

    Firmware that lists an SMS only once sent would miss it while on air.
    """
    tracker, [message] = _tracker(ANN, delivery_report=False)
    _round(tracker, lambda _: [])
    assert _round(tracker, lambda _: [_row(message)]) == (
        [message.tracking_id],
        [],
        False,
    )
    assert _status(tracker, message) is SmsState.SENT


def test_finished_meanwhile_is_not_given_up() -> None:
    """A message a push finished while its second round ran keeps what the push told."""
    tracker, [message] = _tracker(ANN)
    _round(tracker, lambda _: [])
    assert tracker.start_results_round() == [message.tracking_id]
    tracker.apply_results([_row(message, SmsStatus.DELIVERED)], NOW, pushed=True)
    assert tracker.finish_results_round(NOW) == ([], False)
    assert _status(tracker, message) is SmsState.DELIVERED


def test_no_row_yet_while_the_send_is_out() -> None:
    """While a send's reply is out, its messages have no row yet and that tells nothing."""
    tracker = SmsTracker(now=NOW)
    [message] = tracker.track([ANN], segments=1, delivery_report=True, now=NOW)
    for _ in range(3):
        assert _round(tracker, lambda _: [])[1:] == ([], False)
    # Nor is a message forgotten while its round ran.
    asked = tracker.start_results_round()
    tracker.send_refused(asked)
    assert tracker.finish_results_round(NOW) == ([], False)


def test_pacing_while_sending() -> None:
    """While sending, rounds every 15 s ask for reports every fourth round only."""
    tracker, [sending] = _tracker(ANN)
    assert tracker.first_round_delay() == FIRST_POLL_DELAY
    assert tracker.next_round_delay([]) == POLL_INTERVAL_SENDING
    due = [tracker.reports_due() for _ in range(2 * REPORT_ROUNDS_WHILE_SENDING)]
    assert due == [True, False, False, False, True, False, False, False]
    assert REPORT_ROUNDS_WHILE_SENDING * POLL_INTERVAL_SENDING == POLL_INTERVAL_REPORTS

    # Results by push: rounds alternate between results and reports, slowly.
    tracker.apply_results([], NOW, pushed=True)
    [other] = _send(tracker, [BOB])
    tracker.apply_results([_row(other)], NOW, pushed=True)
    assert tracker.next_round_delay([]) == (
        POLL_INTERVAL_REPORTS / REPORT_ROUNDS_WHILE_PUSHED
    )
    due = [tracker.reports_due() for _ in range(2 * REPORT_ROUNDS_WHILE_PUSHED)]
    assert due == [True, False, True, False]
    assert sending.status is SmsState.SENDING


def test_pacing_once_sent() -> None:
    """Once nothing is sending, reports come soon after a find, then at their pace; then none."""
    tracker, [message] = _tracker(ANN)
    _sent(tracker, message)
    assert tracker.next_round_delay([message.tracking_id]) == REPORTS_FOLLOW_UP_DELAY
    assert tracker.next_round_delay([]) == POLL_INTERVAL_REPORTS
    assert [tracker.reports_due() for _ in range(3)] == [True, True, True]
    tracker.apply_reports([_report(0)], NOW)
    assert tracker.next_round_delay([message.tracking_id]) is None
    # A message forgotten since does not count.
    assert SmsTracker(now=NOW).next_round_delay([message.tracking_id]) is None


def test_delivery_report_query() -> None:
    """Reports are asked for by the numbers and ports of the waiting messages, since the oldest."""
    tracker, [ann, bob, ann_again, sending] = _tracker(ANN, BOB, ANN, "+4917000000003")
    assert tracker.delivery_report_query() is None
    tracker.apply_results(
        [
            _row(ann, port=2),
            _row(bob, port=0, time=DEVICE_TIME + timedelta(minutes=5)),
            _row(ann_again, port=2, ref_id=5, time=None),
        ],
        NOW,
        pushed=True,
    )
    assert tracker.delivery_report_query() == DeliveryReportQuery(
        numbers=[ANN, BOB],
        ports=[0, 2],
        time_after=DEVICE_TIME - REPORT_TIME_SLACK,
    )
    tracker.apply_reports([_report(0, port=2), _report(0, number=BOB, time=None)], NOW)
    assert tracker.delivery_report_query() == DeliveryReportQuery(
        numbers=[ANN], ports=[2], time_after=None
    )
    assert sending.status is SmsState.SENDING


def test_expired_and_forgotten() -> None:
    """Without a report for a day, a message expires; a day later it is forgotten."""
    tracker, [message, unheard_of] = _tracker(ANN, BOB)
    _sent(tracker, message)
    assert tracker.expire(NOW + SMS_EXPIRE_AFTER) == []

    later = NOW + SMS_EXPIRE_AFTER + timedelta(seconds=1)
    expired = tracker.expire(later)

    assert _told(expired) == [
        (message.tracking_id, "expired", None),
        (unheard_of.tracking_id, "expired", None),
    ]
    assert expired[1].port is None
    assert tracker.counters(0) == {"sent": 1, "failed": 0}
    assert not tracker.in_flight
    assert tracker.forget_finished(later + KEEP_FINISHED_SMS) == 0
    assert (
        tracker.forget_finished(later + KEEP_FINISHED_SMS + timedelta(seconds=1)) == 2
    )
    assert tracker.messages == []
    assert tracker.as_dict()["counters"] == {"0": {"sent": 1, "failed": 0}}


def test_at_most_max_kept() -> None:
    """Beyond MAX_KEPT_SMS messages, the oldest finished ones are forgotten first."""
    tracker = SmsTracker(now=NOW)
    messages = _send(tracker, [ANN] * (MAX_KEPT_SMS + 2), delivery_report=False)
    [waiting] = _send(tracker, [BOB])
    tracker.apply_results([_row(message) for message in messages[:5]], NOW, pushed=True)

    assert tracker.forget_finished(NOW) == 3
    kept = tracker.messages
    assert len(kept) == MAX_KEPT_SMS
    assert [message.tracking_id for message in kept[:2]] == [
        messages[3].tracking_id,
        messages[4].tracking_id,
    ]
    assert kept[-1].tracking_id == waiting.tracking_id
