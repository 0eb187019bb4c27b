"""Fixtures of the client tests: a simulated gateway on 127.0.0.1 and clients talking to it.

Replies the simulator never gives (bodies from the vendor document, odd statuses) come from
`recorded_gateway`, a plain HTTP server that answers each endpoint with a fixed reply.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import json
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from dinstar_simulator import RequestRecord, Simulator, SimulatorConfig
from pydinstar import DinstarClient

FIXTURES = Path(__file__).parent / "fixtures"
USERNAME = "admin"
PASSWORD = "admin"


def load_fixture(name: str) -> bytes:
    """Return a recorded body from the fixtures folder."""
    return (FIXTURES / name).read_bytes()


def api_calls(simulator: Simulator, endpoint: str) -> list[RequestRecord]:
    """Return the requests the simulator saw on one endpoint, oldest first."""
    return [r for r in simulator.requests if r.path == f"/api/{endpoint}"]


@pytest.fixture
def sim_config() -> SimulatorConfig:
    """Return the simulated gateway's configuration; parametrize to change it."""
    return SimulatorConfig(ports=4, clock_speed=1000.0)


@pytest.fixture
async def simulator(sim_config: SimulatorConfig) -> AsyncIterator[Simulator]:
    """Run a simulated gateway on a free port of 127.0.0.1."""
    async with Simulator(sim_config) as simulator:
        yield simulator


@pytest.fixture
async def client(simulator: Simulator) -> AsyncIterator[DinstarClient]:
    """Return a client with its own session and the simulator's credentials."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD, request_timeout=5
    ) as client:
        yield client


@dataclass
class RecordedGateway:
    """Answers every /api/ endpoint with the reply set for it (200 {} by default)."""

    url: str = ""
    replies: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    def reply(
        self, endpoint: str, body: bytes | dict[str, Any], status: int = 200
    ) -> None:
        """Answer endpoint with body (bytes as they are, a dict as JSON)."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.replies[endpoint] = (status, raw)

    async def handle(self, request: web.Request) -> web.Response:
        """Answer with the recorded reply, as text/html like the device."""
        endpoint = request.match_info["endpoint"]
        self.seen.append(str(request.rel_url))
        self.bodies.append(await request.read())
        status, body = self.replies.get(endpoint, (200, b"{}"))
        return web.Response(status=status, body=body, content_type="text/html")


@pytest.fixture
async def recorded_gateway() -> AsyncIterator[RecordedGateway]:
    """Run a server that replays recorded replies on 127.0.0.1."""
    gateway = RecordedGateway()
    app = web.Application()
    app.router.add_route("*", "/api/{endpoint}", gateway.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    gateway.url = str(server.make_url("/"))
    try:
        yield gateway
    finally:
        await server.close()


@pytest.fixture
async def recorded_client(
    recorded_gateway: RecordedGateway,
) -> AsyncIterator[DinstarClient]:
    """Return a client of the recorded gateway."""
    async with DinstarClient(
        recorded_gateway.url, username=USERNAME, password=PASSWORD, request_timeout=5
    ) as client:
        yield client
