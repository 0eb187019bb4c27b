"""Tests of the diagnostics download."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from homeassistant.core import HomeAssistant

from .conftest import PASSWORD, USERNAME


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics match the snapshot and carry no credentials or identities."""
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    assert diagnostics == snapshot(exclude=lambda prop, path: prop == "url")
    text = str(diagnostics)
    assert PASSWORD not in text
    assert USERNAME not in text
    for port in diagnostics["gateway"]["ports"]:
        for key in ("imei", "imsi", "iccid", "number", "smsc"):
            assert port[key] in (None, "**REDACTED**")
