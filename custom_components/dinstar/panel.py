"""The cards and the SMS panel: served, loaded in every browser, in the sidebar.

The module in frontend/ is built from the repository's frontend/ folder (see
the README's Development section); Home Assistant loads it on every page, so
the cards are in the card picker without adding a resource by hand.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.components.panel_custom import async_register_panel
from homeassistant.core import HomeAssistant

from .const import DOMAIN

FRONTEND_DIR: Final = Path(__file__).parent / "frontend"
MODULE: Final = "dinstar.js"
STATIC_URL: Final = f"/{DOMAIN}_static"
PANEL_URL_PATH: Final = "dinstar-sms"
PANEL_ELEMENT: Final = "dinstar-sms-panel"


def _module_version() -> str:
    """Return a short hash of the module, so browsers load a new one at once."""
    return hashlib.blake2b(
        (FRONTEND_DIR / MODULE).read_bytes(), digest_size=6
    ).hexdigest()


async def async_register_frontend(hass: HomeAssistant) -> None:
    """Serve the module, load it on every page and add the SMS panel."""
    if "frontend" not in hass.config.components:
        # A configuration without the frontend (only the API): nothing to show.
        return
    version = await hass.async_add_executor_job(_module_version)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(STATIC_URL, str(FRONTEND_DIR), cache_headers=True)]
    )
    url = f"{STATIC_URL}/{MODULE}?v={version}"
    add_extra_js_url(hass, url)
    await async_register_panel(
        hass,
        frontend_url_path=PANEL_URL_PATH,
        webcomponent_name=PANEL_ELEMENT,
        sidebar_title="SMS",
        sidebar_icon="mdi:message-text",
        module_url=url,
        require_admin=False,
    )
