"""Runtime data, the coordinators that poll the gateway, and how its errors read in Home Assistant."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DOMAIN, LOGGER, PORT_SCAN_INTERVAL, STATUS_SCAN_INTERVAL
from .issues import async_set_lockout_issue
from .pydinstar import (
    DinstarAuthenticationError,
    DinstarClient,
    DinstarConnectionError,
    DinstarError,
    DinstarLockedOutError,
    DinstarUnsupportedError,
    DinstarValidationError,
    DinstarWrongGatewayError,
    GatewayStatus,
    PortInfo,
)

if TYPE_CHECKING:
    from .history import DinstarHistory
    from .inbox import DinstarInbox
    from .outbox import DinstarOutbox
    from .recovery import DinstarPortRecovery
    from .ussd import DinstarUssd
    from .webhook import DinstarWebhook


@dataclass(kw_only=True)
class DinstarRuntimeData:
    """What a loaded config entry holds while it runs."""

    client: DinstarClient
    gateway: DinstarGatewayCoordinator
    gateway_device_id: str
    outbox: DinstarOutbox
    ussd: DinstarUssd
    inbox: DinstarInbox
    webhook: DinstarWebhook
    history: DinstarHistory
    status: DinstarStatusCoordinator
    recovery: DinstarPortRecovery | None = None


type DinstarConfigEntry = ConfigEntry[DinstarRuntimeData]


@dataclass(frozen=True, kw_only=True)
class GatewayData:
    """One poll of the gateway: every port's state and the send queue length."""

    ports: Mapping[int, PortInfo]
    sms_in_queue: int | None


async def call_gateway[T](request: Callable[[], Awaitable[T]]) -> T:
    """Run a gateway request and map the client's errors to Home Assistant's."""
    try:
        return await request()
    except DinstarAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except DinstarLockedOutError as err:
        # Another attempt would extend the ban: stop, like for refused credentials.
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="locked_out"
        ) from err
    except DinstarConnectionError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    except DinstarWrongGatewayError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="wrong_gateway",
            translation_placeholders={"error": str(err)},
        ) from err
    except DinstarValidationError as err:
        # Not the gateway's doing: a request this integration should not have made.
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="invalid_request",
            translation_placeholders={"error": str(err)},
        ) from err
    except DinstarError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="gateway_error",
            translation_placeholders={"error": str(err)},
        ) from err


def action_error(err: DinstarError) -> HomeAssistantError:
    """Return the translated error of a gateway request an action or entity made."""
    if isinstance(err, DinstarConnectionError):
        key = "cannot_connect"
    elif isinstance(err, DinstarValidationError):
        # A check of the library's that this integration's own checks let through.
        key = "invalid_request"
    else:
        key = "gateway_error"
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": str(err)},
    )


class DinstarCoordinator[T](DataUpdateCoordinator[T]):
    """Poll one part of a gateway's state through its client."""

    config_entry: DinstarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DinstarConfigEntry,
        client: DinstarClient,
        *,
        what: str,
        update_interval: timedelta,
    ) -> None:
        """Poll what (for the logs: ports, status, inbox) of entry's gateway."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title} {what}",
            update_interval=update_interval,
            always_update=False,
        )
        self.client = client


class DinstarGatewayCoordinator(DinstarCoordinator[GatewayData]):
    """Poll every port's registration, identity and signal, and the send queue."""

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Poll the gateway of entry through client."""
        super().__init__(
            hass, entry, client, what="ports", update_interval=PORT_SCAN_INTERVAL
        )

    async def _async_update_data(self) -> GatewayData:
        """Read all ports in one request, then the queue length."""
        try:
            gateway = await call_gateway(self.client.get_port_info)
            in_queue = await call_gateway(self.client.query_sms_in_queue)
        except ConfigEntryAuthFailed as err:
            async_set_lockout_issue(
                self.hass,
                self.config_entry,
                locked_out=isinstance(err.__cause__, DinstarLockedOutError),
            )
            raise
        async_set_lockout_issue(self.hass, self.config_entry, locked_out=False)
        return GatewayData(
            ports={port.port: port for port in gateway.ports}, sms_in_queue=in_queue
        )


class DinstarStatusCoordinator(DinstarCoordinator[GatewayStatus | None]):
    """Poll the gateway's CPU, memory and flash use (get_status).

    None is firmware without get_status: it is not asked again.
    """

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Poll the health of entry's gateway through client."""
        super().__init__(
            hass, entry, client, what="status", update_interval=STATUS_SCAN_INTERVAL
        )

    async def _async_update_data(self) -> GatewayStatus | None:
        """Read the performance section, or learn that the firmware has none."""
        try:
            return await call_gateway(self.client.get_status)
        except UpdateFailed as err:
            if not isinstance(err.__cause__, DinstarUnsupportedError):
                raise
        LOGGER.debug("%s has no get_status: no health sensors", self.config_entry.title)
        self.update_interval = None
        return None
