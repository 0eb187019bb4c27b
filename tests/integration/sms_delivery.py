"""What the incoming-SMS tests share: driving polls, wiring pushes, reading events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.inbox import POLL_INTERVAL
from dinstar_simulator import Simulator
from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory | None,
    interval: timedelta = POLL_INTERVAL,
) -> None:
    """Let interval pass, and whatever polls it brings finish.

    Without freezer the clock keeps running, for tests that need real waits
    (the simulator's latency fault sleeps in real time).
    """
    if freezer is None:
        async_fire_time_changed(hass, dt_util.utcnow() + interval)
    else:
        freezer.tick(interval)
        async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    await saved(hass)


async def saved(hass: HomeAssistant) -> None:
    """Let the writes the last events scheduled happen (frozen clocks stop timers)."""
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set a gateway up and let its first read finish."""
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


async def connect_push(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    entry: MockConfigEntry,
) -> TestClient:
    """Point the simulator's Push Event URL at the entry's webhook, over real HTTP."""
    client = await hass_client_no_auth()
    path = webhook.async_generate_path(entry.data[CONF_WEBHOOK_ID])
    simulator.config.push_url = str(client.make_url(path))
    return client


async def pushes_done(hass: HomeAssistant, simulator: Simulator) -> None:
    """Wait until the simulator sent every push and Home Assistant handled it."""
    await simulator.wait_idle()
    await hass.async_block_till_done(wait_background_tasks=True)


def message_ids(events: list[Event[dict[str, Any]]]) -> list[int]:
    """Return the gateway ids of the SMS events, in the order they fired."""
    return [event.data["message_id"] for event in events]
