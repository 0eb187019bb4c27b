"""An asyncio event loop whose clock runs faster than the wall clock.

Every timer of Home Assistant (coordinators, `async_call_later`, request timeouts)
is scheduled on the loop's `time()`. Scaling that clock, and shortening the
selector's waits to match, makes an hour of Home Assistant's time pass in a minute
of real time while the code runs unchanged. What the code spends on the processor
is scaled too: at speed 60, 5 ms of work reads as 0.3 s. The benchmark keeps the
speed low where that matters, and says so.
"""

from __future__ import annotations

import asyncio
import selectors
import time


class Scale:
    """The loop's clock: real monotonic time times a speed that may change."""

    def __init__(self) -> None:
        """Start at speed 1, on the real clock."""
        self._speed = 1.0
        self._real_origin = time.monotonic()
        self._loop_origin = self._real_origin

    @property
    def speed(self) -> float:
        """How many loop seconds pass per real second."""
        return self._speed

    def now(self) -> float:
        """Return the loop's time."""
        return self._loop_origin + (time.monotonic() - self._real_origin) * self._speed

    def set_speed(self, speed: float) -> None:
        """Run at speed from now on; the clock never goes backwards."""
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._loop_origin = self.now()
        self._real_origin = time.monotonic()
        self._speed = speed


class _ScaledSelector(selectors.DefaultSelector):
    """Waits for I/O for the real time a loop-time timeout stands for."""

    def __init__(self, scale: Scale) -> None:
        super().__init__()
        self._scale = scale

    def select(
        self, timeout: float | None = None
    ) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is not None and timeout > 0:
            timeout /= self._scale.speed
        events: list[tuple[selectors.SelectorKey, int]] = super().select(timeout)
        return events


class ScaledEventLoop(asyncio.SelectorEventLoop):
    """A selector event loop on a Scale's clock."""

    def __init__(self, scale: Scale) -> None:
        """Run on scale."""
        super().__init__(_ScaledSelector(scale))
        self.scale = scale

    def time(self) -> float:
        """Return the scaled clock's time."""
        return self.scale.now()
