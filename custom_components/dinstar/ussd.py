"""USSD exchanges: one per port at a time, the reply by push or by polling."""

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
    UssdReply,
    UssdSendResult,
    UssdStatus,
    row_for_port,
)

EVENT_USSD_REPLY: Final = "dinstar_ussd_reply"
# Networks answer in 2-15 s; the device keeps only the last reply per port.
USSD_POLL_INTERVAL: Final = 2.0
DEFAULT_USSD_TIMEOUT: Final = 30.0

_STATUS_ERRORS: dict[int, str] = {
    UssdStatus.BUSY: "ussd_busy",
    UssdStatus.UNAVAILABLE: "ussd_unavailable",
}


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

    Replies carry no correlation id, so each port runs one exchange at a time.
    """

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Prepare the exchanges of entry's gateway."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._waiting: dict[int, asyncio.Future[str]] = {}
        self._last: dict[int, UssdExchange] = {}

    def last_exchange(self, port: int) -> UssdExchange | None:
        """Return the last completed exchange of a port."""
        return self._last.get(port)

    async def async_send(self, port: int, code: str, timeout: float) -> UssdExchange:
        """Send a code on a port and wait for the reply.

        The session is cancelled when no reply comes in time, or reading it fails.
        """
        async with self._locks[port]:
            reply = self._hass.loop.create_future()
            self._waiting[port] = reply
            try:
                self._raise_for_status(port, await self._client.send_ussd([port], code))
                try:
                    async with asyncio.timeout(timeout):
                        text = await self._async_wait_reply(port, reply)
                except (TimeoutError, DinstarError) as err:
                    # Leave the port free for the next exchange.
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
                del self._waiting[port]
        exchange = UssdExchange(port=port, code=code, reply=text)
        self._last[port] = exchange
        self._async_announce(exchange)
        return exchange

    async def async_cancel(self, port: int) -> None:
        """Tear down the port's USSD session and end the exchange waiting on it."""
        self._raise_for_status(
            port, await self._client.send_ussd([port], "", cancel=True)
        )
        if (reply := self._waiting.get(port)) is not None and not reply.done():
            reply.set_exception(
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
        for pushed in replies:
            reply = self._waiting.get(pushed.port)
            if pushed.text is not None and reply is not None and not reply.done():
                reply.set_result(pushed.text)

    async def _async_wait_reply(self, port: int, reply: asyncio.Future[str]) -> str:
        """Wait for a pushed reply, reading the port's reply between waits."""
        while True:
            await asyncio.wait([reply], timeout=USSD_POLL_INTERVAL)
            if reply.done():
                return reply.result()
            answer = _row(port, await self._client.query_ussd_reply([port]))
            if answer is not None and answer.text is not None:
                return answer.text

    @staticmethod
    def _raise_for_status(port: int, results: list[UssdSendResult]) -> None:
        """Raise the translated error of a port the gateway did not send on."""
        result = _row(port, results)
        status = 0 if result is None else result.status
        if status == UssdStatus.SENT:
            return
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=_STATUS_ERRORS.get(status, "ussd_failed"),
            translation_placeholders={"port": port_label(port), "status": str(status)},
        )

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


def _row[R: (UssdReply, UssdSendResult)](port: int, rows: list[R]) -> R | None:
    """Return the gateway's row about port, also as old firmware numbers it."""
    row = row_for_port(port, rows)
    if row is not None and row.port != port:
        LOGGER.debug(
            "The gateway answered about port %s with a row for port %s "
            "(old firmware numbers USSD rows by their place): taken as port %s",
            port_label(port),
            port_label(row.port),
            port_label(port),
        )
    return row
