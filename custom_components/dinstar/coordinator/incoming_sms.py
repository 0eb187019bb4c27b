"""The coordinator of the SMS the gateway received: polled and pushed, each delivered once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from custom_components.dinstar.const import (
    CONF_MARK_READ,
    CONF_TIMEZONE,
    DEFAULT_MARK_READ,
    LOGGER,
    port_label,
)
from custom_components.dinstar.errors import update_errors
from custom_components.dinstar.inbox import (
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
from custom_components.dinstar.pydinstar import (
    DinstarClient,
    IncomingSms,
    IncomingSmsBearings,
    IncomingSmsCursor,
    IncomingSmsDatabaseCheck,
    IncomingSmsFlag,
    IncomingSmsPage,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util

from .base import DinstarCoordinator

if TYPE_CHECKING:
    from . import DinstarConfigEntry


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
        with update_errors():
            if not self._cursor.has_bearings:
                await self._async_take_bearings()
            elif self._reading:
                await self._async_read_new()
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
