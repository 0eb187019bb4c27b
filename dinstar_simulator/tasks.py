"""Bookkeeping for the simulator's asyncio tasks, so that tests can wait for quiet and stop() leaves none."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class TaskTracker:
    """Holds the tasks of one component; `work` tasks count for wait_idle, `background` ones do not."""

    def __init__(self) -> None:
        """Start with no tasks."""
        self._work: set[asyncio.Task[None]] = set()
        self._background: set[asyncio.Task[None]] = set()

    def spawn(
        self, coro: Coroutine[Any, Any, None], *, background: bool = False
    ) -> asyncio.Task[None]:
        """Run coro as a task that is forgotten once done."""
        task = asyncio.get_running_loop().create_task(coro)
        tasks = self._background if background else self._work
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    @property
    def busy(self) -> bool:
        """Whether any work task is still running."""
        return bool(self._work)

    async def wait_idle(self) -> None:
        """Wait until no work task runs, including work started meanwhile."""
        while self._work:
            await asyncio.wait(set(self._work))

    async def cancel_all(self) -> None:
        """Cancel every task (work and background) and wait until they are gone."""
        current = asyncio.current_task()
        tasks = (self._work | self._background) - {current}
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
