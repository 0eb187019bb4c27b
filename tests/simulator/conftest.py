"""Fixtures: a fast simulated gateway and a Digest-authenticating client for it."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from aiohttp import ClientSession, DigestAuthMiddleware
import pytest

from dinstar_simulator import Simulator, SimulatorConfig

from .gateway_client import GatewayClient
from .push_receiver import PushReceiver

# The vendor document's serial, which the tests of its examples expect.
SERIAL = "da00-0030-1901-2817"


@pytest.fixture
def simulator_config() -> SimulatorConfig:
    """Return a 4-port gateway whose device time runs 1000 times faster."""
    return SimulatorConfig(clock_speed=1000.0, serial=SERIAL)


@pytest.fixture
async def simulator(simulator_config: SimulatorConfig) -> AsyncGenerator[Simulator]:
    """Run the simulated gateway on 127.0.0.1 for the test."""
    async with Simulator(simulator_config) as sim:
        yield sim


@pytest.fixture
async def client(simulator: Simulator) -> AsyncGenerator[GatewayClient]:
    """Return a client that authenticates like aiohttp's preemptive Digest middleware."""
    config = simulator.config
    middleware = DigestAuthMiddleware(config.username, config.password, preemptive=True)
    async with ClientSession(middlewares=(middleware,)) as session:
        yield GatewayClient(session, simulator.url)


@pytest.fixture
async def anonymous(simulator: Simulator) -> AsyncGenerator[GatewayClient]:
    """Return a client without credentials."""
    async with ClientSession() as session:
        yield GatewayClient(session, simulator.url)


@pytest.fixture
async def receiver() -> AsyncGenerator[PushReceiver]:
    """Run a push receiver for the test."""
    push_receiver = PushReceiver()
    await push_receiver.start()
    yield push_receiver
    await push_receiver.stop()
