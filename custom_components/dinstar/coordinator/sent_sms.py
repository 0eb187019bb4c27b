"""The coordinator of the SMS sent from Home Assistant: their results and delivery reports."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from custom_components.dinstar.const import LOGGER
from custom_components.dinstar.pydinstar import (
    FIRST_POLL_DELAY,
    DinstarAuthenticationError,
    DinstarClient,
    DinstarError,
    DinstarLockedOutError,
    Push,
    SmsTracker,
    TrackedSms,
)
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .base import DinstarCoordinator

if TYPE_CHECKING:
    from . import DinstarConfigEntry


# How many polled result rows or delivery reports are applied in one step before
# the event loop runs other work: a reply with many rows must not hold it up.
TRACKING_SLICE: Final = 1000


@dataclass(frozen=True, kw_only=True)
class SentSmsUpdate:
    """What a step of tracking changed: each message as a change left it, in order.

    forgotten: finished messages were forgotten (what is saved changed too).
    """

    changes: tuple[TrackedSms, ...] = ()
    forgotten: bool = False


class DinstarSentSmsCoordinator(DinstarCoordinator[SentSmsUpdate]):
    """Poll the results and delivery reports of SMS sent from Home Assistant.

    Rounds run only while a message is in flight, at the pace the tracker sets
    (update_interval is None otherwise); a send starts them again. Pushed
    results and reports are fed in between rounds and leave that pace alone:
    pushes may be lost, polls are the source of truth. Listeners get every
    step's changes: each slice of a reply, each push, each round's end.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DinstarConfigEntry,
        client: DinstarClient,
        tracker: SmsTracker,
    ) -> None:
        """Poll entry's gateway through client about the messages tracker follows."""
        super().__init__(
            hass,
            entry,
            client,
            what="sent SMS",
            update_interval=timedelta(seconds=FIRST_POLL_DELAY),
        )
        # Nothing is planned until async_start: it knows whether anything is in flight.
        self.update_interval = None
        # Every step's changes are new, even when equal to the last step's.
        self.always_update = True
        self.tracker = tracker
        self._stopped = False
        # Home Assistant does not unload entries when it stops: stop polling then too.
        entry.async_on_unload(
            hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, self._async_stop_polling)
        )

    @callback
    def async_start(self) -> None:
        """Plan the first round after a start or a send, unless one is planned or running.

        A planned or running round has an update_interval; each round sets the
        next one (None once nothing is in flight).
        """
        if self._stopped or self.update_interval is not None:
            return
        self.update_interval = _seconds(self.tracker.first_round_delay())
        self._schedule_refresh()

    @callback
    def _async_stop_polling(self, _event: Event | None = None) -> None:
        """Plan no more rounds (until the entry is set up again)."""
        self._stopped = True
        self.update_interval = None
        self._unschedule_refresh()

    @property
    def polling(self) -> bool:
        """Return whether a round is planned or running."""
        return self.update_interval is not None

    @callback
    def async_handle_push(self, push: Push) -> None:
        """Take the results and delivery reports the gateway pushed."""
        now = dt_util.utcnow()
        self._async_tell(
            [
                *self.tracker.apply_results(push.sms_results, now, pushed=True),
                *self.tracker.apply_reports(push.delivery_reports, now),
            ]
        )

    @callback
    def _async_tell(self, changes: list[TrackedSms]) -> None:
        """Hand changes to the listeners now, without moving the next round."""
        if changes:
            self.data = SentSmsUpdate(changes=tuple(changes))
            self.async_update_listeners()

    async def _async_update_data(self) -> SentSmsUpdate:
        """Ask for results, reports or both, as the tracker's turn says; then expire."""
        tracker = self.tracker
        moved: list[int] = []
        try:
            if not tracker.results_pushed:
                moved = await self._async_poll_results()
                if tracker.reports_due():
                    await self._async_poll_reports()
            elif tracker.reports_due():
                await self._async_poll_reports()
            else:
                moved = await self._async_poll_results()
        except DinstarAuthenticationError, DinstarLockedOutError:
            # More attempts would lead to a ban. The other coordinators start
            # the reauthentication; it reloads the entry.
            self._async_stop_polling()
            return SentSmsUpdate()
        except DinstarError as err:
            LOGGER.debug("Polling the status of sent SMS failed: %s", err)
        now = dt_util.utcnow()
        expired = tracker.expire(now)
        forgotten = tracker.forget_finished(now)
        self.update_interval = _seconds(tracker.next_round_delay(moved))
        return SentSmsUpdate(changes=tuple(expired), forgotten=forgotten > 0)

    async def _async_poll_results(self) -> list[int]:
        """Read the results of the messages still sending; return those that moved."""
        tracker = self.tracker
        if not (user_ids := tracker.start_results_round()):
            return []
        results = await self.client.query_sms_result(user_ids=user_ids)
        moved: list[int] = []
        for start in range(0, len(results), TRACKING_SLICE):
            if start:
                await asyncio.sleep(0)
            changes = tracker.apply_results(
                results[start : start + TRACKING_SLICE], dt_util.utcnow(), pushed=False
            )
            moved.extend(message.tracking_id for message in changes)
            self._async_tell(changes)
        given_up, queue_needed = tracker.finish_results_round(dt_util.utcnow())
        self._async_tell(given_up)
        if queue_needed:
            tracker.queue_length(await self.client.query_sms_in_queue())
        return moved

    async def _async_poll_reports(self) -> None:
        """Read the delivery reports of the messages that wait for one."""
        if (query := self.tracker.delivery_report_query()) is None:
            return
        reports = await self.client.query_sms_deliver_status(
            numbers=query.numbers, ports=query.ports, time_after=query.time_after
        )
        for start in range(0, len(reports), TRACKING_SLICE):
            if start:
                await asyncio.sleep(0)
            self._async_tell(
                self.tracker.apply_reports(
                    reports[start : start + TRACKING_SLICE], dt_util.utcnow()
                )
            )


def _seconds(delay: float | None) -> timedelta | None:
    """Return a delay in seconds as an update interval (None: no more rounds)."""
    return None if delay is None else timedelta(seconds=delay)
