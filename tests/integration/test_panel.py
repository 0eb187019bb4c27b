"""The cards' and the SMS panel's module: served, loaded on every page, in the sidebar."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.panel import FRONTEND_DIR, MODULE, PANEL_URL_PATH
from homeassistant.components.frontend import DATA_PANELS
from homeassistant.core import HomeAssistant

from .conftest import pretend_frontend_loaded
from .sms_delivery import setup_entry


async def test_module_and_panel(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    config_entry: MockConfigEntry,
) -> None:
    """Every page loads the module; the sidebar has the SMS panel from it."""
    urls = pretend_frontend_loaded(hass)
    await setup_entry(hass, config_entry)

    [url] = urls.urls
    assert url.startswith(f"/dinstar_static/{MODULE}?v=")
    panel = hass.data[DATA_PANELS][PANEL_URL_PATH]
    custom = panel.to_response()["config"]["_panel_custom"]
    assert custom["name"] == "dinstar-sms-panel"
    assert custom["module_url"] == url
    assert custom["embed_iframe"] is False
    assert panel.require_admin is False

    client = await hass_client()
    response = await client.get(url)
    assert response.status == 200
    assert await response.read() == (FRONTEND_DIR / MODULE).read_bytes()


async def test_without_frontend(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """A Home Assistant without its frontend gets no panel (and no error)."""
    await setup_entry(hass, config_entry)
    assert PANEL_URL_PATH not in hass.data.get(DATA_PANELS, {})
