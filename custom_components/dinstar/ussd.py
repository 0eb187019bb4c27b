"""USSD exchanges in Home Assistant: waiting for the reply (pushed or read), the timeout, announcing it."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
import contextlib
from dataclasses import dataclass
from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .const import DOMAIN, LOGGER, port_label
from .coordinator import DinstarConfigEntry
from .port_events import async_announce_on_port
from .pydinstar import (
    DinstarClient,
    DinstarError,
    UssdExchanges,
    UssdReply,
    check_ussd_sent,
)

EVENT_USSD_REPLY: Final = "dinstar_ussd_reply"
# Networks answer in 2-15 s; the device keeps only the last reply per port.
USSD_POLL_INTERVAL: Final = 2.0
DEFAULT_USSD_TIMEOUT: Final = 30.0


def ussd_updated_signal(entry_id: str) -> str:
    """Return the signal sent when a port got a new USSD reply."""
    return f"{DOMAIN}_{entry_id}_ussd_updated"


@dataclass(frozen=True, kw_only=True)
class UssdExchange:
    """A USSD code sent from Home Assistant and the network's reply."""

    port: int
    code: str
    reply: str


class DinstarUssd:
    """Run USSD exchanges on a gateway's ports and remember each port's last reply.

    Which reply ends which exchange is the library's UssdExchanges; this keeps
    the waiting: a lock per port, the reply's future, polling and the timeout.
    """

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Prepare the exchanges of entry's gateway."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._exchanges = UssdExchanges()
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._replies: dict[int, asyncio.Future[str]] = {}
        self._last: dict[int, UssdExchange] = {}

    def last_exchange(self, port: int) -> UssdExchange | None:
        """Return the last completed exchange of a port."""
        return self._last.get(port)

    async def async_send(self, port: int, code: str, timeout: float) -> UssdExchange:
        """Send a code on a port and wait for the reply.

        The session is cancelled when no reply comes in time, or reading it fails.
        """
        async with self._locks[port]:
            self._exchanges.begin(port, code)
            reply = self._hass.loop.create_future()
            self._replies[port] = reply
            try:
                sent = self._exchanges.sent(
                    port, await self._client.send_ussd([port], code)
                )
                _note_renumbered(port, sent.port)
                try:
                    async with asyncio.timeout(timeout):
                        text = await self._async_wait_reply(port, reply)
                except (TimeoutError, DinstarError) as err:
                    # Leave the port free for the next exchange; nothing waits meanwhile.
                    self._exchanges.end(port)
                    with contextlib.suppress(DinstarError):
                        await self._client.send_ussd([port], "", cancel=True)
                    if isinstance(err, DinstarError):
                        raise
                    raise HomeAssistantError(
                        translation_domain=DOMAIN,
                        translation_key="ussd_timeout",
                        translation_placeholders={
                            "port": port_label(port),
                            "timeout": f"{timeout:g}",
                        },
                    ) from err
            finally:
                self._exchanges.end(port)
                del self._replies[port]
        exchange = UssdExchange(port=port, code=code, reply=text)
        self._last[port] = exchange
        self._async_announce(exchange)
        return exchange

    async def async_cancel(self, port: int) -> None:
        """Tear down the port's USSD session and end the exchange waiting on it."""
        check_ussd_sent(port, await self._client.send_ussd([port], "", cancel=True))
        if self._exchanges.waiting(port) is not None:
            self._exchanges.end(port)
            self._replies[port].set_exception(
                HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="ussd_cancelled",
                    translation_placeholders={"port": port_label(port)},
                )
            )

    @callback
    def async_handle_replies(self, replies: Iterable[UssdReply]) -> None:
        """Hand pushed replies to the exchanges waiting for them.

        A reply nobody waits for (late, after a timeout or cancel) is dropped:
        its exchange already ended.
        """
        for answer in self._exchanges.pushed(replies):
            self._replies[answer.port].set_result(answer.text)

    async def _async_wait_reply(self, port: int, reply: asyncio.Future[str]) -> str:
        """Wait for a pushed reply, reading the port's reply between waits."""
        while True:
            await asyncio.wait([reply], timeout=USSD_POLL_INTERVAL)
            if reply.done():
                return reply.result()
            answer = self._exchanges.read(
                port, await self._client.query_ussd_reply([port])
            )
            if answer is not None:
                _note_renumbered(port, answer.row_port)
                return answer.text

    @callback
    def _async_announce(self, exchange: UssdExchange) -> None:
        """Fire the reply on the bus and the port's event entity, update the sensor."""
        async_announce_on_port(
            self._hass,
            self._entry,
            exchange.port,
            bus_event=EVENT_USSD_REPLY,
            event_type="ussd_reply",
            data={"code": exchange.code, "reply": exchange.reply},
        )
        async_dispatcher_send(self._hass, ussd_updated_signal(self._entry.entry_id))


def _note_renumbered(port: int, row_port: int) -> None:
    """Say at debug level when old firmware's row about port named another port."""
    if row_port != port:
        LOGGER.debug(
            "The gateway answered about port %s with a row for port %s "
            "(old firmware numbers USSD rows by their place): taken as port %s",
            port_label(port),
            port_label(row_port),
            port_label(port),
        )
