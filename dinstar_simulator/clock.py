"""The gateway's sense of time: local wall-clock stamps and device delays scaled by the clock speed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
import random
from zoneinfo import ZoneInfo

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Real devices take 5-8 s for a 6 s nominal send; every planned delay varies this much either way.
JITTER = 0.15


def parse_device_time(text: str) -> datetime:
    """Parse a `YYYY-MM-DD HH:MM:SS` device time stamp (naive, device local); ValueError if malformed."""
    return datetime.strptime(text, TIME_FORMAT)  # noqa: DTZ007 - the device's stamps carry no zone


class DeviceClock:
    """Time stamps in the device's zone without offset, and delays shortened by `speed`."""

    def __init__(
        self,
        *,
        timezone: str,
        speed: float,
        rng: random.Random,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """Build the clock; `now` (aware) replaces the wall clock, for tests."""
        self._zone = ZoneInfo(timezone)
        self._speed = speed
        self._rng = rng
        self._now = now or (lambda: datetime.now(UTC))

    def stamp(self, moment: datetime | None = None) -> str:
        """Return the device time stamp of `moment` (aware; naive = already device local) or now."""
        moment = moment or self._now()
        if moment.tzinfo is not None:
            moment = moment.astimezone(self._zone)
        return moment.strftime(TIME_FORMAT)

    def jittered(self, device_seconds: float) -> float:
        """Plan a delay: device_seconds give or take JITTER, drawn from the seeded generator."""
        return device_seconds * self._rng.uniform(1 - JITTER, 1 + JITTER)

    def real_seconds(self, device_seconds: float) -> float:
        """How long device_seconds last at this clock speed."""
        return device_seconds / self._speed

    async def sleep(self, device_seconds: float) -> None:
        """Wait device_seconds of device time."""
        await asyncio.sleep(self.real_seconds(device_seconds))
