"""Fixtures shared by every test: loopback sockets and Home Assistant's snapshots."""

from __future__ import annotations

import pytest
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)
from syrupy.assertion import SnapshotAssertion
from syrupy.types import SerializableData

from homeassistant.helpers import entity_registry as er


class _SnapshotSerializer(HomeAssistantSnapshotSerializer):
    """Home Assistant's serializer, the same on every release the suite runs on.

    Home Assistant 2026.11 adds `compat_name` to entity registry entries: a former name kept
    after a renaming, which the integration never makes (it is None here). An entry whose
    `compat_name` is None is serialized without the field, as on 2026.10; one with a value
    keeps it, so a snapshot would show it.
    """

    @classmethod
    def _serializable_entity_registry_entry(
        cls, data: er.RegistryEntry
    ) -> SerializableData:
        serialized = super()._serializable_entity_registry_entry(data)
        if isinstance(serialized, dict) and serialized.get("compat_name", "") is None:
            del serialized["compat_name"]
        return serialized


class _SnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's snapshot extension with the serializer above."""

    serializer_class = _SnapshotSerializer


@pytest.fixture(autouse=True)
def _allow_loopback_sockets(socket_enabled: None) -> None:
    """Let tests talk to the gateway simulator over real HTTP on 127.0.0.1."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialize states, registry entries and flows the way Home Assistant core does."""
    return snapshot.use_extension(_SnapshotExtension)
