"""A test client for the simulator's /api/: requests go out exactly as written."""

from __future__ import annotations

from dataclasses import dataclass
import json
from typing import Any

from aiohttp import ClientSession
from yarl import URL


@dataclass
class Reply:
    """An HTTP reply of the simulator."""

    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        """Parse the body, whatever its Content-Type says."""
        return json.loads(self.text)


class GatewayClient:
    """Talks to the simulator's /api/ with one session; targets are sent exactly as written."""

    def __init__(self, session: ClientSession, base: str) -> None:
        """Use session against base."""
        self.session = session
        self.base = base

    async def request(
        self, method: str, target: str, *, body: bytes | None = None, **kwargs: Any
    ) -> Reply:
        """Send a request to target (path and raw query) and return the reply."""
        async with self.session.request(
            method, URL(self.base + target, encoded=True), data=body, **kwargs
        ) as response:
            return Reply(response.status, dict(response.headers), await response.text())

    async def get(self, endpoint: str, query: str = "") -> dict[str, Any]:
        """GET /api/endpoint?query and return the JSON body of the HTTP 200 reply."""
        target = f"/api/{endpoint}" + (f"?{query}" if query else "")
        reply = await self.request("GET", target)
        assert reply.status == 200, reply
        body: dict[str, Any] = reply.json()
        return body

    async def post(self, endpoint: str, payload: Any) -> dict[str, Any]:
        """POST a JSON payload to /api/endpoint and return the JSON body of the HTTP 200 reply."""
        reply = await self.request(
            "POST", f"/api/{endpoint}", body=json.dumps(payload).encode()
        )
        assert reply.status == 200, reply
        body: dict[str, Any] = reply.json()
        return body
