"""Fixtures: a simulated gateway on 127.0.0.1 and a config entry pointing at it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from contextlib import asynccontextmanager
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components import dinstar
from custom_components.dinstar.const import CONF_URL, DOMAIN, PORT_SCAN_INTERVAL
from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from homeassistant import loader
from homeassistant.components import webhook
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, UrlManager
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame

SERIAL = "da00-0030-1901-2817"
USERNAME = "admin"
PASSWORD = "s3cret-pa55"


@pytest.fixture(autouse=True)
def _enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components.dinstar."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, also those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def simulator_config() -> SimulatorConfig:
    """Return a 4-port gateway: two registered SIMs, no SIM, a SIM waiting for its PIN."""
    return SimulatorConfig(
        ports=4,
        username=USERNAME,
        password=PASSWORD,
        serial=SERIAL,
        profiles={2: SimProfile.NO_SIM, 3: SimProfile.PIN_REQUIRED},
        clock_speed=1000.0,
    )


@pytest.fixture
async def simulator(simulator_config: SimulatorConfig) -> AsyncGenerator[Simulator]:
    """Run the simulated gateway on 127.0.0.1 for the test."""
    sim = Simulator(simulator_config)
    await sim.start()
    yield sim
    await sim.stop()


def entry_for(simulator: Simulator) -> MockConfigEntry:
    """Return a config entry for a simulated gateway, as the config flow makes it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Dinstar {SERIAL}",
        unique_id=SERIAL,
        version=1,
        minor_version=2,
        data={
            CONF_URL: simulator.url,
            CONF_USERNAME: USERNAME,
            CONF_PASSWORD: PASSWORD,
            CONF_VERIFY_SSL: False,
            CONF_WEBHOOK_ID: webhook.async_generate_id(),
        },
    )


@pytest.fixture
def config_entry(simulator: Simulator) -> MockConfigEntry:
    """Return a config entry for the simulated gateway."""
    return entry_for(simulator)


@pytest.fixture
def platforms() -> list[Platform] | None:
    """Return the platforms to set up (None: all); override to snapshot one platform."""
    return None


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, config_entry: MockConfigEntry, platforms: list[Platform] | None
) -> MockConfigEntry:
    """Set the integration up against the simulated gateway."""
    config_entry.add_to_hass(hass)
    with patch("custom_components.dinstar.PLATFORMS", platforms or dinstar.PLATFORMS):
        await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
    return config_entry


async def try_setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add an entry and set it up, whether or not that succeeds."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def set_up_offline(
    hass: HomeAssistant, simulator: Simulator, entry: MockConfigEntry
) -> None:
    """Set an entry up while its gateway does not answer."""
    await simulator.set_offline(True)
    await try_setup(hass, entry)


async def next_port_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let one port poll happen."""
    freezer.tick(PORT_SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def pretend_frontend_loaded(hass: HomeAssistant) -> UrlManager:
    """Leave what the frontend's setup leaves (its package is not installed in tests)."""
    hass.config.components.add("frontend")
    urls = hass.data[DATA_EXTRA_MODULE_URL] = UrlManager(lambda _change, _url: None, [])
    return urls


@asynccontextmanager
async def earlier_home_assistant(hass: HomeAssistant) -> AsyncGenerator[HomeAssistant]:
    """Run another Home Assistant on hass's configuration, as before a restart into hass.

    It loads the integration afresh and, as a started Home Assistant does, reports code
    usage through its own frame helper (the test's hass gets it back afterwards).
    """
    async with async_test_home_assistant(config_dir=hass.config.config_dir) as other:
        other.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        frame.async_setup(other)
        try:
            yield other
        finally:
            frame.async_setup(hass)
