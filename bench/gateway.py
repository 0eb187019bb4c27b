"""A simulated gateway in a thread of its own, like a box on the network.

The simulator runs on its own event loop (real time, its `clock_speed` matching
Home Assistant's accelerated clock), so that Home Assistant's processor time can
be measured apart (`time.thread_time()` in Home Assistant's thread) and the
gateway's own work does not run on Home Assistant's loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
import threading
import time
from typing import Any

from dinstar_simulator import RequestRecord, Simulator, SimulatorConfig


class GatewayThread:
    """One simulated gateway served from a background thread."""

    def __init__(self, config: SimulatorConfig) -> None:
        """Build the gateway; its device clock stamps run at config.clock_speed."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name=f"gateway {config.serial}", daemon=True
        )
        real_origin = time.monotonic()
        wall_origin = datetime.now(UTC)
        speed = config.clock_speed

        def device_now() -> datetime:
            """Wall-clock time as the accelerated device sees it."""
            return wall_origin + timedelta(
                seconds=(time.monotonic() - real_origin) * speed
            )

        self.simulator = Simulator(config, now=device_now)
        self.config = config

    async def start(self) -> None:
        """Start the thread and listen on a free port of 127.0.0.1."""
        self._thread.start()
        await self.run(self.simulator.start())

    async def stop(self) -> None:
        """Stop the gateway and its thread."""
        await self.run(self.simulator.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join)
        self._loop.close()

    async def run[T](self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the gateway's loop and return its result."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return await asyncio.wrap_future(future)

    async def call[T](self, function: Callable[[], T]) -> T:
        """Run a function on the gateway's loop and return its result."""

        async def wrapper() -> T:
            return function()

        return await self.run(wrapper())

    async def deliver_sms(self, port: int, number: str, text: str) -> tuple[int, float]:
        """Let an SMS arrive; return its id and when (time.monotonic()) it arrived."""

        def receive() -> tuple[int, float]:
            arrived = time.monotonic()
            return self.simulator.deliver_sms(port, number, text), arrived

        return await self.call(receive)

    def requests(self) -> list[RequestRecord]:
        """Return a copy of every API request the gateway answered so far."""
        return list(self.simulator.requests)

    @property
    def url(self) -> str:
        """The gateway's base URL."""
        return self.simulator.url
