"""Runtime data and the coordinators that poll the gateway, one module per thing polled.

- gateway: the ports (registration, identity, signal) with the send queue, and the health.
- incoming_sms: the SMS the gateway received, each delivered once.
- sent_sms: the results and delivery reports of SMS sent from Home Assistant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from custom_components.dinstar.pydinstar import DinstarClient
from homeassistant.config_entries import ConfigEntry

from .base import DinstarCoordinator
from .gateway import DinstarPortCoordinator, DinstarStatusCoordinator, GatewayData
from .incoming_sms import DinstarIncomingSmsCoordinator
from .sent_sms import DinstarSentSmsCoordinator, SentSmsUpdate

if TYPE_CHECKING:
    from custom_components.dinstar.history import DinstarHistory
    from custom_components.dinstar.outbox import DinstarOutbox
    from custom_components.dinstar.port_control import DinstarRestartingPorts
    from custom_components.dinstar.recovery import DinstarPortRecovery
    from custom_components.dinstar.ussd import DinstarUssd
    from custom_components.dinstar.webhook import DinstarWebhook

__all__ = [
    "DinstarConfigEntry",
    "DinstarCoordinator",
    "DinstarIncomingSmsCoordinator",
    "DinstarPortCoordinator",
    "DinstarRuntimeData",
    "DinstarSentSmsCoordinator",
    "DinstarStatusCoordinator",
    "GatewayData",
    "SentSmsUpdate",
]


@dataclass(kw_only=True)
class DinstarRuntimeData:
    """What a loaded config entry holds while it runs."""

    client: DinstarClient
    port_coordinator: DinstarPortCoordinator
    gateway_device_id: str
    outbox: DinstarOutbox
    ussd: DinstarUssd
    inbox_coordinator: DinstarIncomingSmsCoordinator
    webhook: DinstarWebhook
    history: DinstarHistory
    status_coordinator: DinstarStatusCoordinator
    sent_sms_coordinator: DinstarSentSmsCoordinator
    restarting_ports: DinstarRestartingPorts
    recovery: DinstarPortRecovery | None = None


type DinstarConfigEntry = ConfigEntry[DinstarRuntimeData]
