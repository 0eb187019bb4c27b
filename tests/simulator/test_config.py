"""SimulatorConfig refuses gateways that do not exist."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dinstar_simulator import SimProfile, SimulatorConfig


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ports": 5}, "ports must be one of"),
        ({"clock_speed": 0}, "clock_speed"),
        ({"profiles": {4: SimProfile.NO_SIM}}, "ports the gateway lacks"),
        ({"push_events": frozenset({"sms", "calls"})}, "unknown push events"),
        ({"lockout_after": 0}, "lockout_after"),
        ({"max_incoming_rows": 0}, "max_incoming_rows"),
    ],
)
def test_invalid(changes: dict[str, Any], message: str) -> None:
    """Each impossible setting is a ValueError naming it."""
    with pytest.raises(ValueError, match=message):
        SimulatorConfig(**changes)


def test_profiles_default_to_registered() -> None:
    """Ports not named in profiles start registered."""
    config = SimulatorConfig(
        ports=8, profiles={7: SimProfile.POWER_OFF}, max_incoming_rows=None
    )
    assert [config.profile_of(p) for p in (0, 7)] == [
        SimProfile.REGISTERED,
        SimProfile.POWER_OFF,
    ]


def test_each_gateway_its_own_serial() -> None:
    """A serial like real ones, different for every gateway unless one is given."""
    first, second = SimulatorConfig(), SimulatorConfig()
    assert first.serial is not None
    assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", first.serial)
    assert first.serial != second.serial
    assert SimulatorConfig(serial="dd45-1014-8440-0030").serial == "dd45-1014-8440-0030"
    assert SimulatorConfig(serial=None).serial is None
