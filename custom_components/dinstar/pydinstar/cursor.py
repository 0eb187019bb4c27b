"""Where reading a gateway's incoming SMS stands: what is new, a duplicate, a reset.

A gateway keeps the SMS it received in a database with growing ids, and may
also push each one as it arrives (at most once: a lost push is never retried).
`IncomingSmsCursor` turns polled pages and pushes into each SMS delivered
exactly once. It does no I/O: the caller asks the gateway what the cursor says
to ask, hands it the replies and delivers what it returns. Delivering what one
call returns and saving `as_state()` right after is one step for the caller.

The state (`as_state()`, JSON-serialisable):
- `mark`, the high-water mark: every message with an id up to it was delivered,
  or was already on the gateway when we first looked.
- `recent`: the ids and fingerprints (a hash of port, sender, time stamp and
  text; never the text) of the newest messages up to the mark; the newest one
  is the anchor the next poll checks.
- `pushed`: messages above the mark that a push delivered before a poll got
  there, so that the poll does not deliver them again.

Reading. Polling `query_incoming_sms` with `flag=all` is the source of truth.
On the first look the whole inbox is paged through to take bearings at the
newest id (`IncomingSmsBearings`), and nothing is delivered: old messages are
not news.
Each poll then asks for ids after `anchor - 1` (`first_after()`), so the reply
starts with the anchor. If the anchor is there and unchanged, every row above
the mark is new (`new_in()`): it is delivered unless `pushed` has it
(`take_polled()`), the mark moves, and the next page is asked for from the new
mark until a page brings nothing new (a reply holds at most one page). With
`flag=unread` the gateway flags what it returns read; reading never uses it,
since a crash between the gateway flagging a message and its delivery would
lose that message for good (`flagged_read` says up to where that is due).

Ids going backwards. A factory reset, a firmware flash or a cleared database
restarts ids at 1, and "after the mark" would skip every new message until ids
pass the old mark. The anchor notices: when it is missing or changed, the
`recent` messages are looked for (`IncomingSmsDatabaseCheck`).
- One is still there unchanged: same database, someone deleted the newest
  messages on the gateway. Only ids above the mark are new; the newest
  survivor becomes the anchor.
- None is: a new database, whose every message arrived after the reset (or the
  emptying), so all of it is new. The mark goes back to 0 and every message is
  delivered oldest first, except those a push already delivered. Deleting by
  hand all of the newest messages while keeping older ones looks the same, and
  only then would those older ones be delivered a second time. Until that poll
  read the new database, pushes are held back (a push would overtake its older
  messages) and handed back by `release_held()` to be taken as pushes again.

Pushes (`take_pushed()`).
- A pushed message is matched to a polled one by id and fingerprint: an id
  alone may name another message (after a reset, or in a forged push), and
  must not keep the real one from being delivered. Every fingerprint pushed
  under an id is kept, so that a forged push under the id of a real pushed SMS
  cannot make the poll deliver the real one again either.
- At most MAX_PUSHED_SMS pushed messages wait for a poll; past that, pushes ask
  for a poll instead of delivering, so that pushes (forged ones with ids far
  ahead included) cannot grow the state, and the work of saving it, without
  end.
- A push never delivers an id at or below the mark: either it is a message we
  know (a late push of something a poll delivered) or the ids went backwards,
  and then it asks for a poll at once, which sorts it out as above. Neither
  does it deliver again a message it already delivered; another message under
  a pushed id means the ids went backwards, and also asks for a poll. Nor does
  it deliver a message on a port the gateway does not have: only a poll may
  tell it is real.

Ids run from 1 to MAX_INCOMING_SMS_ID: a state saved before replies were
checked for that may hold others, and loading it repairs them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
import hashlib
from typing import Any, Final, TypedDict

from .models import MAX_INCOMING_SMS_ID, IncomingSms

# How many of the newest messages are remembered to tell a reset from deletions.
RECENT_SMS: Final = 32
# How many pushed SMS above the mark are remembered until a poll gets there.
MAX_PUSHED_SMS: Final = 1000


def sms_fingerprint(sms: IncomingSms) -> str:
    """Return a short hash that tells one stored SMS from another with the same id."""
    stamp = "" if sms.timestamp is None else sms.timestamp.isoformat()
    text = "\x1f".join((str(sms.port), sms.number, stamp, sms.text))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def valid_sms_id(sms_id: int) -> bool:
    """Return whether a gateway may give an incoming SMS this id."""
    return 1 <= sms_id <= MAX_INCOMING_SMS_ID


class IncomingSmsCursorState(TypedDict):
    """The saved state of a cursor: see the module docstring."""

    mark: int
    # (id, fingerprint), oldest first.
    recent: list[tuple[int, str]]
    # (id, fingerprint); older states add a third item, no longer used.
    pushed: list[tuple[int, str]]


@dataclass(frozen=True, slots=True)
class SeenSms:
    """An SMS as the cursor remembers it: by id and content, never the content."""

    id: int
    fingerprint: str

    @classmethod
    def of(cls, sms: IncomingSms) -> SeenSms:
        """Return how the cursor remembers sms."""
        return cls(sms.id, sms_fingerprint(sms))


class IncomingSmsBearings:
    """Paging through the whole inbox to note the newest message, delivering none."""

    def __init__(self) -> None:
        """Start before the first id."""
        self.after = 0
        # The newest messages seen so far, oldest first.
        self.recent: list[SeenSms] = []

    def read(self, messages: Sequence[IncomingSms]) -> bool:
        """Note a page of the ids after `after`; return whether to ask for the next."""
        if not messages or (newest := messages[-1].id) <= self.after:
            return False
        self.recent = [*self.recent, *map(SeenSms.of, messages)][-RECENT_SMS:]
        self.after = newest
        return True


class IncomingSmsDatabaseCheck:
    """Looking for the remembered messages after the anchor went missing."""

    def __init__(self, recent: Sequence[SeenSms], mark: int) -> None:
        """Look from the oldest remembered message up to the mark."""
        self._known = frozenset(recent)
        self._mark = mark
        self.after = min(seen.id for seen in recent) - 1
        # The remembered messages found unchanged, oldest first.
        self.survivors: list[SeenSms] = []

    def read(self, messages: Sequence[IncomingSms]) -> bool:
        """Note a page of the ids after `after`; return whether to ask for the next."""
        old = [sms for sms in messages if sms.id <= self._mark]
        self.survivors.extend(s for s in map(SeenSms.of, old) if s in self._known)
        if not old or len(old) < len(messages) or old[-1].id <= self.after:
            return False
        self.after = old[-1].id
        return True


class IncomingSmsCursor:
    """Decide which incoming SMS are new, from polled pages and pushes."""

    def __init__(self) -> None:
        """Start without bearings: the first poll takes them."""
        self.has_bearings = False
        self.mark = 0
        # Up to where the gateway flagged the delivered messages read.
        self.flagged_read = 0
        self._recent: list[SeenSms] = []
        # The fingerprints of the messages a push delivered above the mark, by
        # id, and how many they are.
        self._pushed: dict[int, set[str]] = {}
        self._pushed_count = 0
        # Pushes held back while a poll reads a new database from its start.
        self._held: list[IncomingSms] | None = None

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> IncomingSmsCursor:
        """Resume from a saved state, leaving out and repairing ids no gateway gives."""
        cursor = cls()
        cursor._recent = [
            SeenSms(int(id_), str(fp))
            for id_, fp in state["recent"]
            if valid_sms_id(int(id_))
        ]
        for id_, fp, *_ in state["pushed"]:
            if valid_sms_id(int(id_)):
                cursor._pushed.setdefault(int(id_), set()).add(str(fp))
        cursor._pushed_count = sum(map(len, cursor._pushed.values()))
        mark = int(state["mark"])
        # A mark past any valid id came from such a row: back to the newest
        # valid one, or bearings are taken anew.
        cursor.has_bearings = mark <= MAX_INCOMING_SMS_ID or bool(cursor._recent)
        if mark > MAX_INCOMING_SMS_ID:
            mark = cursor._recent[-1].id if cursor._recent else 0
        cursor.mark = cursor.flagged_read = mark
        return cursor

    def as_state(self) -> IncomingSmsCursorState:
        """Return the state to save, which from_state resumes from."""
        return IncomingSmsCursorState(
            mark=self.mark,
            recent=[(seen.id, seen.fingerprint) for seen in self._recent],
            pushed=[
                (id_, fp)
                for id_, fps in sorted(self._pushed.items())
                for fp in sorted(fps)
            ],
        )

    @property
    def anchor_id(self) -> int | None:
        """Return the id of the newest remembered message, None if none is."""
        return self._recent[-1].id if self._recent else None

    @property
    def pushed_not_yet_polled(self) -> int:
        """Return how many pushed messages wait for a poll to reach them."""
        return self._pushed_count

    def take_bearings(self, bearings: IncomingSmsBearings) -> None:
        """Read on after the newest message bearings found."""
        self.mark = self.flagged_read = bearings.after
        self._recent = list(bearings.recent)
        self.has_bearings = True

    def first_after(self) -> int:
        """Return the id after which a poll asks first: the anchor leads the reply."""
        return self.mark if not self._recent else self._recent[-1].id - 1

    def anchor_in(self, messages: Iterable[IncomingSms]) -> bool:
        """Return whether the anchor is among messages, unchanged (or there is none)."""
        return not self._recent or self._recent[-1] in map(SeenSms.of, messages)

    def database_check(self) -> IncomingSmsDatabaseCheck:
        """Return the search that tells deletions from a new database."""
        return IncomingSmsDatabaseCheck(self._recent, self.mark)

    def settle_database(self, check: IncomingSmsDatabaseCheck) -> bool:
        """Go on after a database check; return whether the database is new.

        A new database is read from its start, and pushes are held back until
        release_held().
        """
        if check.survivors:
            self._recent = list(check.survivors)
            return False
        self.mark = self.flagged_read = 0
        self._recent = []
        self._held = []
        return True

    def release_held(self) -> list[IncomingSms]:
        """Return the pushes held back while a new database was read, to take again."""
        held, self._held = self._held, None
        return held or []

    def new_in(self, messages: Iterable[IncomingSms]) -> list[IncomingSms]:
        """Return the messages of a polled page above the mark, oldest first."""
        return [sms for sms in messages if sms.id > self.mark]

    def take_polled(self, messages: Iterable[IncomingSms]) -> list[IncomingSms]:
        """Move the mark past polled new messages; return those no push delivered."""
        missed: list[IncomingSms] = []
        for sms in messages:
            seen = SeenSms.of(sms)
            # Only the same content makes a polled SMS one a push delivered: a
            # forged push must not suppress the real SMS that later has its id.
            if seen.fingerprint not in self._pushed.pop(sms.id, ()):
                missed.append(sms)
            self.mark = sms.id
            self._recent.append(seen)
        del self._recent[:-RECENT_SMS]
        # Pushed messages the gateway no longer holds (deleted, or reset away).
        self._pushed = {
            id_: fps for id_, fps in self._pushed.items() if id_ > self.mark
        }
        self._pushed_count = sum(map(len, self._pushed.values()))
        return missed

    def take_pushed(
        self, messages: Iterable[IncomingSms], ports: Container[int]
    ) -> PushedSms:
        """Decide which pushed messages to deliver now, and whether to poll at once.

        ports are the gateway's ports: a message on another one is not delivered.
        """
        if self._held is not None:
            self._held.extend(messages)
            return PushedSms(deliver=[], poll_now=False)
        deliver: list[IncomingSms] = []
        poll_now = False
        for sms in sorted(messages, key=lambda sms: sms.id):
            if sms.port not in ports:
                poll_now = True
                continue
            seen = SeenSms.of(sms)
            if sms.id <= self.mark:
                # A late push of a polled message, or the ids went backwards.
                poll_now |= seen not in self._recent
                continue
            if seen.fingerprint in (pushed := self._pushed.get(sms.id, set())):
                continue
            if self._pushed_count >= MAX_PUSHED_SMS:
                poll_now = True
                continue
            # Another message under a pushed id: the ids went backwards (or a
            # push was forged).
            poll_now |= bool(pushed)
            self._pushed[sms.id] = {*pushed, seen.fingerprint}
            self._pushed_count += 1
            deliver.append(sms)
        return PushedSms(deliver=deliver, poll_now=poll_now)


@dataclass(frozen=True, slots=True, kw_only=True)
class PushedSms:
    """What to do with a push: the messages to deliver, and whether to poll at once."""

    deliver: list[IncomingSms]
    poll_now: bool
