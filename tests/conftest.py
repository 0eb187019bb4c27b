"""Fixtures shared by every test: loopback sockets and Home Assistant's snapshots."""

from __future__ import annotations

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion


@pytest.fixture(autouse=True)
def _allow_loopback_sockets(socket_enabled: None) -> None:
    """Let tests talk to the gateway simulator over real HTTP on 127.0.0.1."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialize states, registry entries and flows the way Home Assistant core does."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
