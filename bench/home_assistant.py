"""Home Assistant for the benchmark: the test harness's instance, with a real HTTP server.

`async_test_home_assistant` builds a complete Home Assistant core with its real
registries and storage (written to a temporary config directory), without
bootstrapping a whole installation: the benchmark sets up exactly the
integrations it compares (dinstar, and the `rest` sensor and `rest_command`
users set up today), in one process whose clock can be accelerated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
import json
from pathlib import Path
import socket
from typing import Any

from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.dinstar.const import CONF_URL, DOMAIN
from homeassistant import loader
from homeassistant.components.http.config import async_get_and_load_store
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    EVENT_HOMEASSISTANT_START,
)
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from .gateway import GatewayThread


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Instance:
    """A running Home Assistant and the port its HTTP server listens on."""

    hass: HomeAssistant
    http_port: int

    async def add_gateway(self, gateway: GatewayThread, *, push: bool) -> ConfigEntry:
        """Set a gateway up as a config entry; with push, point its pushes at us."""
        entry = self.new_entry(gateway)
        if not await self.hass.config_entries.async_setup(entry.entry_id):
            raise RuntimeError(f"could not set up {entry.title}")
        await self.hass.async_block_till_done()
        if push:
            self.point_pushes(gateway, entry)
        return entry

    def point_pushes(self, gateway: GatewayThread, entry: ConfigEntry) -> None:
        """Point a gateway's pushes at its entry's webhook, as its owner would."""
        webhook_id = entry.data[CONF_WEBHOOK_ID]
        gateway.config.push_url = (
            f"http://127.0.0.1:{self.http_port}/api/webhook/{webhook_id}"
        )

    def new_entry(self, gateway: GatewayThread) -> ConfigEntry:
        """Add a config entry for a gateway, not yet set up."""
        config = gateway.config
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=f"Dinstar {config.serial}",
            unique_id=config.serial,
            data={
                CONF_URL: gateway.url,
                CONF_USERNAME: config.username,
                CONF_PASSWORD: config.password,
                CONF_VERIFY_SSL: False,
            },
        )
        entry.add_to_hass(self.hass)
        return entry  # type: ignore[no-any-return]

    async def remove(self, entry: ConfigEntry) -> None:
        """Remove a gateway's config entry."""
        await self.hass.config_entries.async_remove(entry.entry_id)
        await self.hass.async_block_till_done()

    async def set_rest_resources(self, resources: list[dict[str, Any]]) -> None:
        """Replace the `rest` integration's resources, as a user editing YAML would.

        The first call sets `rest` up; later ones write configuration.yaml (JSON is
        YAML) and reload it, which replaces the sensors of the previous call.
        """
        config = {"rest": resources}
        path = Path(self.hass.config.path("configuration.yaml"))
        await self.hass.async_add_executor_job(path.write_text, json.dumps(config))
        if "rest" not in self.hass.config.components:
            await self.setup("rest", config)
            return
        await self.hass.services.async_call("rest", "reload", blocking=True)
        await self.hass.async_block_till_done()

    async def setup(self, domain: str, config: dict[str, Any]) -> None:
        """Set up one of Home Assistant's own integrations from YAML-like config."""
        if not await async_setup_component(self.hass, domain, config):
            raise RuntimeError(f"could not set up {domain}")
        await self.hass.async_block_till_done()


@asynccontextmanager
async def home_assistant(config_dir: str) -> AsyncIterator[Instance]:
    """Run Home Assistant with custom integrations and an HTTP server on 127.0.0.1."""
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        # The harness hides custom integrations; the benchmark loads ours.
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        instance = Instance(hass, free_port())
        await instance.setup(
            "http",
            {
                "http": {
                    "server_host": ["127.0.0.1"],
                    "server_port": instance.http_port,
                }
            },
        )
        # The configuration given is tried as "pending" and reverted (with a restart)
        # after five minutes unless confirmed: confirm it, as a user would.
        store = await async_get_and_load_store(hass)
        if store.pending is not None:
            await store.async_promote_pending()
        # The server starts with Home Assistant (the harness's is already running).
        hass.bus.async_fire(EVENT_HOMEASSISTANT_START)
        await hass.async_block_till_done()
        try:
            yield instance
        finally:
            await hass.async_stop(force=True)
