"""Waiting for the simulator without sleeping blindly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll condition every few milliseconds until it holds; fail after timeout."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)
