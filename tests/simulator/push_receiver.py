"""A push receiver: an aiohttp server on 127.0.0.1 that records what the gateway POSTs."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


class PushReceiver:
    """An aiohttp server on 127.0.0.1 that records what the gateway pushes."""

    def __init__(self) -> None:
        """Start with nothing received; answer 200 until told otherwise."""
        self.received: list[tuple[str, bytes]] = []
        self.status = 200
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        self.received.append((request.content_type, await request.read()))
        return web.Response(status=self.status)

    async def start(self) -> None:
        """Listen on a free port."""
        app = web.Application()
        app.router.add_post("/push/{secret}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/push/s3cret?x=1"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    def events(self) -> list[dict[str, Any]]:
        """Return the JSON payloads received, in order."""
        return [json.loads(body) for _, body in self.received]
