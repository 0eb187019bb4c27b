"""What the forms of the config, options and recipient flows share: address, credentials, ports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import probatio
from yarl import URL

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.helpers.selector import (
    SelectOptionDict,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .const import port_label
from .coordinator import DinstarConfigEntry


class InvalidHost(ValueError):
    """The host field is not a host, an http(s) URL or host:port."""


def normalize_url(host: str) -> str:
    """Turn "192.168.11.1", "gw:8080" or "https://gw:8443/" into a base URL."""
    text = host.strip()
    if "://" not in text:
        text = f"http://{text}"
    try:
        url = URL(text)
        port = url.explicit_port
    except ValueError as err:
        raise InvalidHost(host) from err
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidHost(host)
    return str(URL.build(scheme=url.scheme, host=url.host, port=port))


_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


def gateway_schema(defaults: Mapping[str, Any]) -> probatio.Schema:
    """Return the form of a gateway's address and credentials, filled with defaults."""
    return probatio.Schema(
        {
            probatio.Required(
                CONF_HOST, default=defaults.get(CONF_HOST, probatio.UNDEFINED)
            ): str,
            probatio.Required(
                CONF_USERNAME, default=defaults.get(CONF_USERNAME, probatio.UNDEFINED)
            ): str,
            probatio.Required(CONF_PASSWORD): _PASSWORD,
            probatio.Required(
                CONF_VERIFY_SSL, default=defaults.get(CONF_VERIFY_SSL, False)
            ): bool,
        }
    )


CREDENTIALS_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_USERNAME): str,
        probatio.Required(CONF_PASSWORD): _PASSWORD,
    }
)


def port_choices(entry: DinstarConfigEntry) -> list[SelectOptionDict]:
    """Return the gateway's ports by their panel labels; none while it is not loaded."""
    if entry.state is not ConfigEntryState.LOADED:
        return []
    return [
        SelectOptionDict(value=str(port), label=port_label(port))
        for port in sorted(entry.runtime_data.port_coordinator.data.ports)
    ]
