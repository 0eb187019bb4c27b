"""Fixtures shared by every test: real sockets on the loopback interface."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _allow_loopback_sockets(socket_enabled: None) -> None:
    """Let tests talk to the gateway simulator over real HTTP on 127.0.0.1."""
