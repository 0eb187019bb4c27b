"""Starting and stopping: URLs, taken ports, IPv6, and switches used without a running simulator."""

from __future__ import annotations

import pytest

from dinstar_simulator import Faults, Simulator, SimulatorConfig


async def test_url_needs_a_running_simulator() -> None:
    """The URL exists once listening; stopping a simulator that never started is harmless."""
    simulator = Simulator()
    with pytest.raises(RuntimeError, match="not running"):
        _ = simulator.url
    await simulator.stop()


async def test_taken_port(simulator: Simulator) -> None:
    """Starting on a port in use raises OSError and leaves nothing behind."""
    port = int(simulator.url.rsplit(":", 1)[1])
    second = Simulator(SimulatorConfig(clock_speed=1000.0))
    with pytest.raises(OSError, match="in use"):
        await second.start(port=port)


async def test_ipv6_url() -> None:
    """An IPv6 listening address is bracketed in the URL."""
    simulator = Simulator()
    await simulator.start("::1")
    try:
        assert simulator.url.startswith("http://[::1]:")
    finally:
        await simulator.stop()


def test_faults_without_a_simulator() -> None:
    """Faults is a plain switchboard until a simulator listens to it."""
    faults = Faults()
    faults.offline = True
    faults.offline = True
    assert faults.offline
