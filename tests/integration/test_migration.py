"""Migration of config entries made by older versions of the integration."""

from __future__ import annotations

import re

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.dinstar.const import CONF_LEGACY_NOTIFY_SERVICE, DOMAIN
from dinstar_simulator import Simulator
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .conftest import entry_for, try_setup


def _entry(
    simulator: Simulator, *, version: int, minor_version: int, **data: object
) -> MockConfigEntry:
    """Return the simulator's entry as a given version stored it (without a webhook id)."""
    current = entry_for(simulator)
    stored = {k: v for k, v in current.data.items() if k != CONF_WEBHOOK_ID}
    return MockConfigEntry(
        domain=DOMAIN,
        title=current.title,
        unique_id=current.unique_id,
        version=version,
        minor_version=minor_version,
        data=stored | data,
    )


async def test_entry_made_before_push_gets_a_webhook_id(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A 1.1 entry that was never set up with push gets its webhook id, once."""
    entry = _entry(simulator, version=1, minor_version=1)
    await try_setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 2
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    assert re.fullmatch("[0-9a-f]{64}", webhook_id)
    assert entry.runtime_data.webhook.webhook_id == webhook_id
    # Its title gives notify.<name> the stable name anyway: no second name is kept.
    assert CONF_LEGACY_NOTIFY_SERVICE not in entry.data

    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.data[CONF_WEBHOOK_ID] == webhook_id


async def test_webhook_id_made_at_setup_is_kept(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A 1.1 entry got its id at setup, and the gateway pushes to it: it stays the same."""
    webhook_id = webhook.async_generate_id()
    entry = _entry(
        simulator, version=1, minor_version=1, **{CONF_WEBHOOK_ID: webhook_id}
    )
    await try_setup(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.minor_version, entry.data[CONF_WEBHOOK_ID]) == (2, webhook_id)


async def test_entry_of_a_newer_version_is_left_alone(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """An entry a newer version made (before a downgrade) is not guessed at, nor set up."""
    entry = _entry(simulator, version=2, minor_version=1)
    await try_setup(hass, entry)

    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert CONF_WEBHOOK_ID not in entry.data
    assert simulator.requests == []
