"""The gateway calling out: events POSTed to the push URL, in order, fire-and-forget."""

from __future__ import annotations

from collections import deque
import logging

import aiohttp

from .switches import Faults, Quirks
from .tasks import TaskTracker

_LOGGER = logging.getLogger(__name__)
PUSH_TIMEOUT = aiohttp.ClientTimeout(total=10)


class PushSender:
    """POSTs push bodies one after another; failures are ignored and never retried."""

    def __init__(self, *, quirks: Quirks, faults: Faults) -> None:
        """Use the device's Content-Type quirk and honour the lose_pushes fault."""
        self._quirks = quirks
        self._faults = faults
        self._session: aiohttp.ClientSession | None = None
        self._pending: deque[tuple[str, bytes]] = deque()
        self._tasks = TaskTracker()
        self._draining = False

    async def start(self) -> None:
        """Open the HTTP session pushes go through."""
        self._session = aiohttp.ClientSession(timeout=PUSH_TIMEOUT)

    async def close(self) -> None:
        """Drop unsent pushes and close the session."""
        self._pending.clear()
        await self._tasks.cancel_all()
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def busy(self) -> bool:
        """Whether pushes are waiting or on their way."""
        return self._tasks.busy

    async def wait_idle(self) -> None:
        """Wait until every queued push was attempted."""
        await self._tasks.wait_idle()

    def enqueue(self, url: str, body: bytes) -> None:
        """Send body to url after the pushes already waiting (unless pushes are being lost)."""
        if self._faults.lose_pushes or self._session is None:
            return
        self._pending.append((url, body))
        if not self._draining:
            self._draining = True
            self._tasks.spawn(self._send_pending())

    async def post(self, url: str, body: bytes) -> int:
        """POST one body now and return the receiver's HTTP status (errors propagate)."""
        if self._session is None:
            raise RuntimeError("the simulator is not running")
        async with self._session.post(
            url, data=body, headers={"Content-Type": self._quirks.content_type}
        ) as response:
            await response.read()
            return response.status

    async def _send_pending(self) -> None:
        try:
            while self._pending:
                url, body = self._pending.popleft()
                try:
                    await self.post(url, body)
                except (aiohttp.ClientError, TimeoutError) as err:
                    _LOGGER.debug("Push to %s failed: %s", url, err)
        finally:
            self._draining = False
