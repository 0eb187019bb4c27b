"""The incoming-SMS cursor: what is new, what is a duplicate, what a reset looks like.

No gateway and no event loop: `Gateway` is a database of SMS read a page at a
time, and `poll` asks it what the cursor says to ask, as a client would.
"""

from __future__ import annotations

from datetime import datetime
import json

import pytest

from pydinstar import (
    MAX_INCOMING_SMS_ID,
    MAX_PUSHED_SMS,
    RECENT_SMS,
    IncomingSms,
    IncomingSmsBearings,
    IncomingSmsCursor,
    IncomingSmsDatabaseCheck,
    PushedSms,
    sms_fingerprint,
    valid_sms_id,
)

SENDER = "+4915112345678"
PAGE = 10
PORTS = range(4)


def sms(sms_id: int, text: str = "", *, port: int = 0) -> IncomingSms:
    """Return an SMS with an id; its text tells it apart."""
    return IncomingSms(
        id=sms_id,
        port=port,
        number=SENDER,
        smsc=None,
        timestamp=datetime(2026, 1, 15, 12, 30),
        text=text or f"sms {sms_id}",
    )


class Gateway:
    """A gateway's database of received SMS, replying PAGE rows at most."""

    def __init__(self) -> None:
        """Start with an empty database."""
        self.inbox: list[IncomingSms] = []
        self.next_id = 1
        self.resets = 0
        self.pages = 0

    def receive(self, count: int = 1, text: str = "") -> list[IncomingSms]:
        """Store count new SMS (texts unique across resets); return them."""
        new = [
            sms(sms_id, f"{text or 'sms'} {sms_id} after {self.resets} resets")
            for sms_id in range(self.next_id, self.next_id + count)
        ]
        self.inbox += new
        self.next_id += count
        return new

    def reset(self) -> None:
        """Empty the database: ids start again from 1."""
        self.inbox = []
        self.next_id = 1
        self.resets += 1

    def page(self, after: int) -> list[IncomingSms]:
        """Return the SMS after an id, oldest first, one page of them."""
        self.pages += 1
        return [sms for sms in self.inbox if sms.id > after][:PAGE]


def page_through(
    search: IncomingSmsBearings | IncomingSmsDatabaseCheck, gateway: Gateway
) -> None:
    """Give a search the pages it asks for until it is done."""
    while search.read(gateway.page(search.after)):
        pass


def take_bearings(gateway: Gateway) -> IncomingSmsCursor:
    """Return a cursor that took its bearings on the gateway."""
    cursor = IncomingSmsCursor()
    page_through(bearings := IncomingSmsBearings(), gateway)
    cursor.take_bearings(bearings)
    return cursor


def poll(cursor: IncomingSmsCursor, gateway: Gateway) -> list[IncomingSms]:
    """Read what is new as a client does; return what to deliver."""
    page = gateway.page(cursor.first_after())
    if not cursor.anchor_in(page):
        page_through(check := cursor.database_check(), gateway)
        cursor.settle_database(check)
        page = gateway.page(cursor.mark)
    delivered: list[IncomingSms] = []
    while new := cursor.new_in(page):
        delivered += cursor.take_polled(new)
        page = gateway.page(cursor.mark)
    return delivered


def ids(messages: list[IncomingSms]) -> list[int]:
    """Return the ids of messages, in order."""
    return [message.id for message in messages]


# The fingerprint and valid ids.


def test_fingerprint_tells_content_apart() -> None:
    """Port, sender, time stamp and text each change the fingerprint; the id does not."""
    first = sms(1, "hello")
    assert sms_fingerprint(first) == sms_fingerprint(sms(7, "hello"))
    others = [
        sms(1, "hello", port=1),
        IncomingSms(**{**_fields(first), "number": "+4917000000000"}),
        IncomingSms(**{**_fields(first), "timestamp": None}),
        sms(1, "hello!"),
    ]
    assert sms_fingerprint(first) not in {sms_fingerprint(other) for other in others}


def test_fingerprint_keeps_no_text() -> None:
    """A fingerprint is 16 hex digits: no number or text can be read from it."""
    fingerprint = sms_fingerprint(sms(1, "secret 1234"))
    assert len(fingerprint) == 16
    int(fingerprint, 16)


@pytest.mark.parametrize(
    ("sms_id", "valid"),
    [
        (-1, False),
        (0, False),
        (1, True),
        (MAX_INCOMING_SMS_ID, True),
        (MAX_INCOMING_SMS_ID + 1, False),
        (2**40, False),
    ],
)
def test_valid_ids(sms_id: int, valid: bool) -> None:
    """A gateway gives ids from 1 to 2**31 - 1."""
    assert valid_sms_id(sms_id) is valid


# Bearings and polls.


def test_bearings_deliver_nothing_old() -> None:
    """The first look pages through the whole inbox; only what comes after is new."""
    gateway = Gateway()
    gateway.receive(25)
    cursor = take_bearings(gateway)
    assert (cursor.mark, cursor.anchor_id, cursor.flagged_read) == (25, 25, 25)
    assert cursor.has_bearings
    assert poll(cursor, gateway) == []

    new = gateway.receive()
    assert poll(cursor, gateway) == new
    assert poll(cursor, gateway) == []


def test_bearings_on_an_empty_inbox() -> None:
    """With no SMS yet, reading starts after id 0 and there is no anchor to check."""
    gateway = Gateway()
    cursor = take_bearings(gateway)
    assert (cursor.mark, cursor.anchor_id, cursor.first_after()) == (0, None, 0)
    assert cursor.anchor_in([])

    new = gateway.receive(2)
    assert poll(cursor, gateway) == new


def test_bearings_stop_where_ids_stop_going_forward() -> None:
    """A reply whose newest id is not past the one asked after ends the bearings."""
    bearings = IncomingSmsBearings()
    assert bearings.read([sms(3), sms(5)])
    assert not bearings.read([sms(4), sms(5)])
    assert bearings.after == 5


def test_the_newest_are_remembered() -> None:
    """RECENT_SMS of the newest messages are kept, the newest being the anchor."""
    gateway = Gateway()
    gateway.receive(50)
    state = take_bearings(gateway).as_state()
    assert [sms_id for sms_id, _ in state["recent"]] == list(range(19, 51))
    assert len(state["recent"]) == RECENT_SMS


def test_a_poll_starts_at_the_anchor() -> None:
    """A poll asks from just before the anchor, so the reply shows whether it is there."""
    gateway = Gateway()
    gateway.receive(3)
    cursor = take_bearings(gateway)
    assert cursor.first_after() == 2
    assert cursor.anchor_in(gateway.page(2))
    assert not cursor.anchor_in([sms(3, "another")])


def test_a_backlog_comes_in_order_once() -> None:
    """Many pages of new SMS come in one poll, oldest first, and never again."""
    gateway = Gateway()
    cursor = take_bearings(gateway)
    new = gateway.receive(95)
    assert poll(cursor, gateway) == new
    assert poll(cursor, gateway) == []
    assert cursor.mark == 95


# Ids going backwards.


def test_ids_going_backwards() -> None:
    """After the ids restart, what arrived since comes once, also past the old mark."""
    gateway = Gateway()
    gateway.receive(8)
    cursor = take_bearings(gateway)
    gateway.reset()
    after_reset = gateway.receive(2)
    assert poll(cursor, gateway) == after_reset
    assert (cursor.mark, cursor.flagged_read) == (2, 0)

    later = gateway.receive(12)
    assert poll(cursor, gateway) == later


def test_a_changed_anchor_is_a_new_database() -> None:
    """The anchor's id holding another SMS means the ids restarted."""
    gateway = Gateway()
    gateway.receive(3, "before")
    cursor = take_bearings(gateway)
    gateway.reset()
    after_reset = gateway.receive(3, "after")
    assert poll(cursor, gateway) == after_reset


def test_an_emptied_inbox_waits_for_the_next_sms() -> None:
    """An inbox emptied without new SMS delivers nothing, then the next one."""
    gateway = Gateway()
    gateway.receive()
    cursor = take_bearings(gateway)
    gateway.reset()
    assert poll(cursor, gateway) == []
    assert (cursor.mark, cursor.anchor_id) == (0, None)

    new = gateway.receive()
    assert poll(cursor, gateway) == new


def test_deleted_newest_sms_are_not_a_reset() -> None:
    """Deleting the newest SMS replays none of the older ones (found pages back)."""
    gateway = Gateway()
    gateway.receive(40)
    cursor = take_bearings(gateway)
    del gateway.inbox[-2:]
    gateway.pages = 0
    assert poll(cursor, gateway) == []
    # The remembered SMS span more than three pages.
    assert gateway.pages > 4
    assert (cursor.mark, cursor.anchor_id) == (40, 38)

    new = gateway.receive()
    assert poll(cursor, gateway) == new
    assert cursor.anchor_id == new[0].id


def test_the_database_check_stops_where_ids_stop_going_forward() -> None:
    """A reply of old rows whose newest id is not past the one asked after ends the check."""
    gateway = Gateway()
    gateway.receive(5)
    cursor = take_bearings(gateway)
    check = cursor.database_check()
    assert check.after == 0
    assert check.read(gateway.inbox[:2])
    assert not check.read(gateway.inbox[:2])
    assert not cursor.settle_database(check)
    assert cursor.anchor_id == 2


# Pushes.


def test_a_pushed_sms_is_delivered_once() -> None:
    """A push delivers at once; the same push again, and the poll, deliver nothing."""
    gateway = Gateway()
    cursor = take_bearings(gateway)
    new = gateway.receive(2)
    assert cursor.take_pushed(reversed(new), PORTS) == PushedSms(
        deliver=new, poll_now=False
    )
    assert cursor.pushed_not_yet_polled == 2
    assert cursor.take_pushed(new, PORTS) == PushedSms(deliver=[], poll_now=False)

    missed = gateway.receive()
    assert poll(cursor, gateway) == missed
    assert cursor.pushed_not_yet_polled == 0


def test_a_late_push_of_a_polled_sms() -> None:
    """A push of an SMS a poll delivered delivers nothing and asks for nothing."""
    gateway = Gateway()
    cursor = take_bearings(gateway)
    polled = gateway.receive()
    assert poll(cursor, gateway) == polled
    assert cursor.take_pushed(polled, PORTS) == PushedSms(deliver=[], poll_now=False)


def test_an_unknown_sms_at_or_below_the_mark_asks_for_a_poll() -> None:
    """A pushed id the cursor is past, with content it does not know: ids went back."""
    gateway = Gateway()
    gateway.receive(3)
    cursor = take_bearings(gateway)
    assert cursor.take_pushed([sms(2, "after a reset")], PORTS) == PushedSms(
        deliver=[], poll_now=True
    )


def test_a_push_on_a_port_the_gateway_lacks_asks_for_a_poll() -> None:
    """Only a poll may tell whether an SMS on an unknown port is real."""
    cursor = take_bearings(Gateway())
    assert cursor.take_pushed([sms(1, port=9)], PORTS) == PushedSms(
        deliver=[], poll_now=True
    )
    assert cursor.pushed_not_yet_polled == 0


def test_a_forged_push_does_not_suppress_the_real_sms() -> None:
    """A push with the next id but other content; the real SMS comes by poll all the same."""
    gateway = Gateway()
    cursor = take_bearings(gateway)
    forged = sms(1, "forged")
    assert cursor.take_pushed([forged], PORTS).deliver == [forged]
    real = gateway.receive()
    assert poll(cursor, gateway) == real


def test_a_forged_push_under_a_pushed_id_does_not_repeat_the_real_sms() -> None:
    """Other content under a pushed id is delivered and asks for a poll; the poll repeats nothing."""
    gateway = Gateway()
    cursor = take_bearings(gateway)
    real = gateway.receive()
    assert cursor.take_pushed(real, PORTS).deliver == real
    forged = sms(1, "forged")
    assert cursor.take_pushed([forged], PORTS) == PushedSms(
        deliver=[forged], poll_now=True
    )
    assert cursor.take_pushed([forged, *real], PORTS).deliver == []
    assert poll(cursor, gateway) == []


def test_pushes_cannot_grow_the_state_without_end() -> None:
    """Past MAX_PUSHED_SMS pushed SMS ahead of the polls, pushes ask for a poll instead."""
    gateway = Gateway()
    cursor = take_bearings(gateway)
    forged = [sms(10**6 + n) for n in range(MAX_PUSHED_SMS)]
    assert cursor.take_pushed(forged, PORTS).deliver == forged
    real = gateway.receive(2)
    assert cursor.take_pushed(real, PORTS) == PushedSms(deliver=[], poll_now=True)
    assert len(cursor.as_state()["pushed"]) == MAX_PUSHED_SMS

    assert poll(cursor, gateway) == real
    assert cursor.pushed_not_yet_polled == MAX_PUSHED_SMS


def test_pushes_wait_while_a_new_database_is_read() -> None:
    """Pushes during the poll that reads a new database follow it, in order, once."""
    gateway = Gateway()
    gateway.receive(3)
    cursor = take_bearings(gateway)
    gateway.reset()
    older = gateway.receive(PAGE + 2)
    page = gateway.page(cursor.first_after())
    assert not cursor.anchor_in(page)
    page_through(check := cursor.database_check(), gateway)
    assert cursor.settle_database(check)

    # Pushed while the poll reads: the newest, then one more.
    pushed = [older[-1], *gateway.receive()]
    assert cursor.take_pushed(pushed, PORTS) == PushedSms(deliver=[], poll_now=False)
    delivered: list[IncomingSms] = []
    while new := cursor.new_in(gateway.page(cursor.mark)):
        delivered += cursor.take_polled(new)
    assert cursor.release_held() == pushed
    assert cursor.release_held() == []
    delivered += cursor.take_pushed(pushed, PORTS).deliver
    assert delivered == gateway.inbox


def test_pushed_before_a_reset_are_not_delivered_again() -> None:
    """SMS a push delivered before the poll noticed a reset are matched by content."""
    gateway = Gateway()
    gateway.receive(3)
    cursor = take_bearings(gateway)
    gateway.reset()
    new = gateway.receive(5)
    # Ids at or below the mark ask for a poll, which sorts them out; the rest come.
    assert cursor.take_pushed(new, PORTS) == PushedSms(deliver=new[3:], poll_now=True)
    assert poll(cursor, gateway) == new[:3]


def test_pushed_above_the_mark_before_a_reset_hide_nothing() -> None:
    """A pushed id the new database gives another SMS does not hide it."""
    gateway = Gateway()
    gateway.receive(3)
    cursor = take_bearings(gateway)
    pushed = gateway.receive()
    assert cursor.take_pushed(pushed, PORTS).deliver == pushed
    gateway.reset()
    new = gateway.receive(5)
    assert poll(cursor, gateway) == new


# The saved state.


def test_the_state_survives_json() -> None:
    """A cursor resumed from its saved state (through JSON) decides as it would have."""
    gateway = Gateway()
    gateway.receive(3)
    cursor = take_bearings(gateway)
    pushed = gateway.receive(2)
    cursor.take_pushed([pushed[1]], PORTS)
    cursor.take_pushed([sms(9, "forged")], PORTS)
    state = json.loads(json.dumps(cursor.as_state()))
    resumed = IncomingSmsCursor.from_state(state)
    assert json.loads(json.dumps(resumed.as_state())) == state
    assert (resumed.mark, resumed.flagged_read, resumed.has_bearings) == (3, 3, True)
    assert resumed.pushed_not_yet_polled == 2

    assert poll(resumed, gateway) == pushed[:1]


def test_pushed_pairs_of_older_states_load() -> None:
    """States saved with a third item per pushed SMS load as before."""
    real = sms(4)
    state = {
        "mark": 3,
        "recent": [[3, sms_fingerprint(sms(3))]],
        "pushed": [[4, sms_fingerprint(real), False], [5, "forged", True]],
    }
    cursor = IncomingSmsCursor.from_state(state)
    assert cursor.as_state()["pushed"] == [(4, sms_fingerprint(real)), (5, "forged")]
    assert cursor.take_pushed([real], PORTS).deliver == []


@pytest.mark.parametrize(
    ("recent", "mark", "has_bearings"),
    [
        # The newest valid id remembered is where reading goes on.
        ([1, 2**40], 1, True),
        # Nothing valid is left: bearings are taken anew.
        ([2**40], 0, False),
    ],
)
def test_a_mark_past_any_valid_id_is_repaired(
    recent: list[int], mark: int, has_bearings: bool
) -> None:
    """A state saved before rows were checked for valid ids no longer skips every SMS."""
    state = {
        "mark": 2**40,
        "recent": [[sms_id, "fp"] for sms_id in recent],
        "pushed": [[0, "fp"], [2**40 + 1, "fp", False]],
    }
    cursor = IncomingSmsCursor.from_state(state)
    assert (cursor.mark, cursor.flagged_read, cursor.has_bearings) == (
        mark,
        mark,
        has_bearings,
    )
    assert [sms_id for sms_id, _ in cursor.as_state()["recent"]] == recent[:1] * (
        mark > 0
    )
    assert cursor.pushed_not_yet_polled == 0


def _fields(message: IncomingSms) -> dict[str, object]:
    return {
        "id": message.id,
        "port": message.port,
        "number": message.number,
        "smsc": message.smsc,
        "timestamp": message.timestamp,
        "text": message.text,
    }
