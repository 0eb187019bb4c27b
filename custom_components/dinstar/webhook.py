"""The receiver of the gateway's pushes: one webhook per gateway, one dispatch point.

The gateway POSTs its events, unauthenticated, to the one URL set in its Push
Event settings. The unguessable webhook id in that URL is the secret; the body's
serial number and the local network are checked on top. Whatever is not a push
of this gateway is answered with an error, changes nothing and is counted.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from enum import StrEnum
from http import HTTPStatus
from typing import Any, Final

from aiohttp.hdrs import METH_POST
from aiohttp.web import Request, Response

from homeassistant.components import webhook
from homeassistant.components.diagnostics import REDACTED
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, gateway_serial
from .coordinator import DinstarConfigEntry
from .port_control import async_fire_module_reset
from .pydinstar import (
    DinstarPushError,
    DinstarUnknownPushError,
    Push,
    parse_push,
    read_capped,
)

# A push holds one event of a few rows; far bigger bodies are not the gateway's.
MAX_PUSH_BYTES: Final = 64 * 1024
URL_PLACEHOLDER: Final = "http://<home-assistant-address>:8123"


class PushRejection(StrEnum):
    """Why a push was refused."""

    FOREIGN_SERIAL = "foreign_serial"
    MALFORMED = "malformed"
    UNKNOWN_EVENT = "unknown_event"
    OVERSIZED = "oversized"


_STATUS: Final = {
    PushRejection.FOREIGN_SERIAL: HTTPStatus.FORBIDDEN,
    PushRejection.MALFORMED: HTTPStatus.BAD_REQUEST,
    PushRejection.UNKNOWN_EVENT: HTTPStatus.BAD_REQUEST,
    PushRejection.OVERSIZED: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
}


def push_received_signal(entry_id: str) -> str:
    """Return the signal sent when the gateway's push was accepted."""
    return f"{DOMAIN}_{entry_id}_push_received"


@callback
def async_webhook_url(hass: HomeAssistant, webhook_id: str) -> str:
    """Return the URL to enter in the gateway's Push Event settings."""
    try:
        return webhook.async_generate_url(hass, webhook_id, prefer_external=False)
    except NoURLAvailableError:
        return f"{URL_PLACEHOLDER}{webhook.async_generate_path(webhook_id)}"


class DinstarWebhook:
    """Take the gateway's pushes and hand each event to the part that handles it."""

    def __init__(self, hass: HomeAssistant, entry: DinstarConfigEntry) -> None:
        """Prepare the webhook of entry's gateway; async_register opens it."""
        self._hass = hass
        self._entry = entry
        # Made by the config flow (or async_migrate_entry for entries made before 1.2).
        self.webhook_id: str = entry.data[CONF_WEBHOOK_ID]
        # Firmware too old to have a serial number sends pushes without one.
        self._serial = gateway_serial(entry.unique_id)
        self.accepted = 0
        self.rejected: Counter[PushRejection] = Counter()
        # When the last push of this gateway was accepted: push works.
        self.last_push: datetime | None = None

    @property
    def url(self) -> str:
        """Return the URL the gateway pushes to."""
        return async_webhook_url(self._hass, self.webhook_id)

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the push counters and the URL without its secret."""
        return {
            "url": self.url.replace(self.webhook_id, REDACTED),
            "accepted": self.accepted,
            "rejected": {
                reason.value: self.rejected[reason] for reason in PushRejection
            },
        }

    @callback
    def async_register(self) -> None:
        """Listen for pushes (local network, POST only) until the entry unloads."""
        webhook.async_register(
            self._hass,
            DOMAIN,
            self._entry.title,
            self.webhook_id,
            self._async_handle_request,
            local_only=True,
            allowed_methods=(METH_POST,),
        )
        self._entry.async_on_unload(self._async_unregister)

    @callback
    def _async_unregister(self) -> None:
        webhook.async_unregister(self._hass, self.webhook_id)

    async def _async_handle_request(
        self, hass: HomeAssistant, webhook_id: str, request: Request
    ) -> Response:
        """Check one pushed body and dispatch its events."""
        if (body := await read_capped(request.content, MAX_PUSH_BYTES)) is None:
            return self._reject(PushRejection.OVERSIZED)
        try:
            push = parse_push(body)
        except DinstarUnknownPushError:
            return self._reject(PushRejection.UNKNOWN_EVENT)
        except DinstarPushError:
            return self._reject(PushRejection.MALFORMED)
        if push.serial != self._serial:
            return self._reject(PushRejection.FOREIGN_SERIAL)
        self.accepted += 1
        self.last_push = dt_util.utcnow()
        async_dispatcher_send(hass, push_received_signal(self._entry.entry_id))
        self._async_dispatch(push)
        return Response(status=HTTPStatus.OK)

    @callback
    def _reject(self, reason: PushRejection) -> Response:
        if not self.rejected[reason]:
            LOGGER.warning(
                "%s: refused a push (%s); later ones are counted in diagnostics",
                self._entry.title,
                reason,
            )
        self.rejected[reason] += 1
        return Response(status=_STATUS[reason])

    @callback
    def _async_dispatch(self, push: Push) -> None:
        """Hand each event of a push to the part of the integration it concerns."""
        runtime = self._entry.runtime_data
        if push.sms:
            runtime.inbox_coordinator.async_handle_push(push.sms)
        if push.registrations or push.device or push.port_exception:
            self._entry.async_create_background_task(
                self._hass,
                runtime.port_coordinator.async_request_refresh(),
                f"{DOMAIN} {self._entry.title} port refresh after push",
            )
        if push.port_exception:
            async_fire_module_reset(self._hass, self._entry, push.port_exception)
        if push.sms_results or push.delivery_reports:
            runtime.sent_sms_coordinator.async_handle_push(push)
        if push.ussd_replies:
            runtime.ussd.async_handle_replies(push.ussd_replies)
