"""Runtime data and the coordinators that poll the gateway."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    CONF_MARK_READ,
    CONF_TIMEZONE,
    DEFAULT_MARK_READ,
    DOMAIN,
    LOGGER,
    PORT_SCAN_INTERVAL,
    STATUS_SCAN_INTERVAL,
    port_label,
)
from .errors import call_gateway
from .inbox import (
    DELIVERY_SLICE,
    POLL_INTERVAL,
    PUSH_POLL_INTERVAL,
    InboxData,
    StoredInbox,
    async_announce_sms,
    inbox_store,
    restored_data,
    stored_ports,
)
from .issues import async_set_lockout_issue
from .pydinstar import (
    FIRST_POLL_DELAY,
    DinstarAuthenticationError,
    DinstarClient,
    DinstarError,
    DinstarLockedOutError,
    DinstarUnsupportedError,
    GatewayStatus,
    IncomingSms,
    IncomingSmsBearings,
    IncomingSmsCursor,
    IncomingSmsDatabaseCheck,
    IncomingSmsFlag,
    IncomingSmsPage,
    PortInfo,
    Push,
    SmsTracker,
    TrackedSms,
)

if TYPE_CHECKING:
    from .history import DinstarHistory
    from .outbox import DinstarOutbox
    from .port_control import DinstarRestartingPorts
    from .recovery import DinstarPortRecovery
    from .ussd import DinstarUssd
    from .webhook import DinstarWebhook


@dataclass(kw_only=True)
class DinstarRuntimeData:
    """What a loaded config entry holds while it runs."""

    client: DinstarClient
    port_coordinator: DinstarPortCoordinator
    gateway_device_id: str
    outbox: DinstarOutbox
    ussd: DinstarUssd
    inbox_coordinator: DinstarIncomingSmsCoordinator
    webhook: DinstarWebhook
    history: DinstarHistory
    status_coordinator: DinstarStatusCoordinator
    sent_sms_coordinator: DinstarSentSmsCoordinator
    restarting_ports: DinstarRestartingPorts
    recovery: DinstarPortRecovery | None = None


type DinstarConfigEntry = ConfigEntry[DinstarRuntimeData]


@dataclass(frozen=True, kw_only=True)
class GatewayData:
    """One poll of the gateway: every port's state and the send queue length."""

    ports: Mapping[int, PortInfo]
    sms_in_queue: int | None


class DinstarCoordinator[T](DataUpdateCoordinator[T]):
    """Poll one part of a gateway's state through its client."""

    config_entry: DinstarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DinstarConfigEntry,
        client: DinstarClient,
        *,
        what: str,
        update_interval: timedelta,
    ) -> None:
        """Poll what (for the logs: ports, status, inbox) of entry's gateway."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title} {what}",
            update_interval=update_interval,
            always_update=False,
        )
        self.client = client


class DinstarPortCoordinator(DinstarCoordinator[GatewayData]):
    """Poll every port's registration, identity and signal, and the send queue."""

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Poll the gateway of entry through client."""
        super().__init__(
            hass, entry, client, what="ports", update_interval=PORT_SCAN_INTERVAL
        )

    async def _async_update_data(self) -> GatewayData:
        """Read all ports in one request, then the queue length."""
        try:
            gateway = await call_gateway(self.client.get_port_info)
            in_queue = await call_gateway(self.client.query_sms_in_queue)
        except ConfigEntryAuthFailed as err:
            async_set_lockout_issue(
                self.hass,
                self.config_entry,
                locked_out=isinstance(err.__cause__, DinstarLockedOutError),
            )
            raise
        async_set_lockout_issue(self.hass, self.config_entry, locked_out=False)
        return GatewayData(
            ports={port.port: port for port in gateway.ports}, sms_in_queue=in_queue
        )


class DinstarStatusCoordinator(DinstarCoordinator[GatewayStatus | None]):
    """Poll the gateway's CPU, memory and flash use (get_status).

    None is firmware without get_status: it is not asked again.
    """

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Poll the health of entry's gateway through client."""
        super().__init__(
            hass, entry, client, what="status", update_interval=STATUS_SCAN_INTERVAL
        )

    async def _async_update_data(self) -> GatewayStatus | None:
        """Read the performance section, or learn that the firmware has none."""
        try:
            return await call_gateway(self.client.get_status)
        except UpdateFailed as err:
            if not isinstance(err.__cause__, DinstarUnsupportedError):
                raise
        LOGGER.debug("%s has no get_status: no health sensors", self.config_entry.title)
        self.update_interval = None
        return None


class DinstarIncomingSmsCoordinator(DinstarCoordinator[InboxData]):
    """Poll the SMS the gateway received, take pushed ones, deliver each once.

    The library's IncomingSmsCursor decides what is new. Its state is saved in
    the step that fires the events (a stop mid-burst cancels the poll before it
    fires anything more); nothing is delivered before Home Assistant started.
    """

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
        self._cursor = IncomingSmsCursor()
        self._reading = self._stopped = False
        self.push_works = False
        self.delivered_by_push = self.delivered_by_poll = 0
        self.data = InboxData()

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the reading position and counts, without any message."""
        return {
            "last_update_success": self.last_update_success,
            "high_water_mark": self._cursor.mark,
            "anchor_id": self._cursor.anchor_id,
            "pushed_not_yet_polled": self._cursor.pushed_not_yet_polled,
            "push_works": self.push_works,
            "poll_interval_seconds": (
                self.update_interval or POLL_INTERVAL
            ).total_seconds(),
            "delivered_by_push": self.delivered_by_push,
            "delivered_by_poll": self.delivered_by_poll,
            "received_per_port": {
                port_label(port): inbox.received
                for port, inbox in sorted(self.data.ports.items())
            },
        }

    async def _async_setup(self) -> None:
        """Resolve the gateway's time zone; resume from the saved state, if there is one."""
        self._zone = (
            await dt_util.async_get_time_zone(self._zone_name)
            or dt_util.get_default_time_zone()
        )
        if (stored := await self._store.async_load()) is not None:
            self._cursor = IncomingSmsCursor.from_state(stored)
            self.data = restored_data(stored["ports"])
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
        if self._cursor.has_bearings:
            await self._store.async_save(self._data_to_save())

    async def _async_update_data(self) -> InboxData:
        """Take bearings on the first setup, then read what is new."""
        if not self._cursor.has_bearings:
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

    async def _async_page_through(
        self, search: IncomingSmsBearings | IncomingSmsDatabaseCheck
    ) -> None:
        """Fetch the pages a search asks for, until it found what it looks for."""
        while search.read((await self._async_fetch(search.after)).messages):
            pass

    async def _async_take_bearings(self) -> None:
        """Note the newest message on the gateway, and deliver nothing."""
        await self._async_page_through(bearings := IncomingSmsBearings())
        self._cursor.take_bearings(bearings)
        LOGGER.debug("%s: took bearings at SMS id %s", self.name, bearings.after)
        self._async_schedule_save()

    async def _async_read_new(self) -> None:
        """Deliver every message above the mark, page by page."""
        page = await self._async_fetch(self._cursor.first_after())
        if not self._cursor.anchor_in(page.messages):
            await self._async_page_through(check := self._cursor.database_check())
            if self._cursor.settle_database(check):
                LOGGER.warning(
                    "The SMS ids of %s went backwards (reset, new firmware or "
                    "emptied inbox); delivering the SMS it holds now",
                    self.config_entry.title,
                )
            else:
                LOGGER.debug("%s: the newest SMS were deleted on it", self.name)
            self._async_schedule_save()
            page = await self._async_fetch(self._cursor.mark)
        try:
            while not self._stopped and (new := self._cursor.new_in(page.messages)):
                await self._async_take_polled_in_slices(new)
                page = await self._async_fetch(self._cursor.mark)
        finally:
            if held := self._cursor.release_held():
                self.async_handle_push(held)
        if self._mark_read and self._cursor.mark > self._cursor.flagged_read:
            await self._async_flag_read()

    async def _async_take_polled_in_slices(self, messages: list[IncomingSms]) -> None:
        """Deliver polled messages no push delivered, letting the loop run between slices.

        A reply of many rows then never holds up the event loop for long.
        """
        start = 0
        while not self._stopped and start < len(messages):
            missed = self._cursor.take_polled(messages[start : start + DELIVERY_SLICE])
            start += DELIVERY_SLICE
            self.delivered_by_poll += len(missed)
            if missed and self.push_works:
                LOGGER.debug(
                    "%s: an SMS arrived without a push; polling faster", self.name
                )
                self._async_set_push_works(False)
            self._async_deliver(missed)
            await asyncio.sleep(0)

    async def _async_flag_read(self) -> None:
        """Let the gateway flag the messages up to the mark as read (opt-in)."""
        after, until = self._cursor.flagged_read, self._cursor.mark
        while True:
            page = await self.client.query_incoming_sms(
                after_id=after, flag=IncomingSmsFlag.UNREAD
            )
            if not page.messages or (after := page.messages[-1].id) >= until:
                break
        self._cursor.flagged_read = until

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
        ports = self.config_entry.runtime_data.port_coordinator.data.ports
        pushed = self._cursor.take_pushed(messages, ports)
        if pushed.deliver:
            self._async_deliver(pushed.deliver)
            self.delivered_by_push += len(pushed.deliver)
        if pushed.poll_now:
            self._async_poll_now()

    @callback
    def _async_set_push_works(self, push_works: bool) -> None:
        """Poll rarely while pushes bring the SMS, often otherwise."""
        self.push_works = push_works
        self.update_interval = PUSH_POLL_INTERVAL if push_works else POLL_INTERVAL

    @callback
    def _async_deliver(self, messages: Sequence[IncomingSms]) -> None:
        """Fire the events of new messages, count them, save the state reached."""
        data = self.data
        for sms in messages:
            # Never the sender: users share debug logs.
            LOGGER.debug(
                "%s: SMS %s on port %s", self.name, sms.id, port_label(sms.port)
            )
            received = async_announce_sms(self.hass, self.config_entry, sms, self._zone)
            data = data.counted(sms.port, received)
        self.data = data
        self.async_update_listeners()
        self._async_schedule_save()

    @callback
    def _async_schedule_save(self) -> None:
        self._store.async_delay_save(self._data_to_save)

    @callback
    def _data_to_save(self) -> StoredInbox:
        return StoredInbox(
            **self._cursor.as_state(),
            ports=stored_ports(self.data),
            push_works=self.push_works,
        )


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
