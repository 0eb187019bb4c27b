"""Diagnostics of a Dinstar gateway, with identities and secrets redacted."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_MAC
from .coordinator import DinstarConfigEntry
from .pydinstar import PortInfo

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_MAC,
    "number",
    "imei",
    "imsi",
    "iccid",
    "smsc",
    "text",
    "sender",
    "webhook_id",
}


def _port_row(info: PortInfo) -> dict[str, Any]:
    """Return a port's state as JSON can hold it (billing decimals as strings)."""
    return {
        key: str(value) if isinstance(value, Decimal) else value
        for key, value in asdict(info).items()
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: DinstarConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug a gateway, without anything personal."""
    gateway = entry.runtime_data.port_coordinator
    return async_redact_data(
        {
            "entry": {
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "gateway": {
                "last_update_success": gateway.last_update_success,
                "sms_in_queue": gateway.data.sms_in_queue,
                "ports": [
                    _port_row(info) for _, info in sorted(gateway.data.ports.items())
                ],
            },
            "status": None
            if (status := entry.runtime_data.status_coordinator.data) is None
            else asdict(status),
            "inbox": entry.runtime_data.inbox_coordinator.as_diagnostics(),
            "push": entry.runtime_data.webhook.as_diagnostics(),
            "outbox": entry.runtime_data.outbox.as_diagnostics(),
            "history": entry.runtime_data.history.as_diagnostics(),
        },
        TO_REDACT,
    )
