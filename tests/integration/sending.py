"""Steps the sending tests share: calling actions, letting polls run, pushing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.const import DOMAIN
from dinstar_simulator import Simulator
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

NUMBER = "+4917012345678"


async def async_call(
    hass: HomeAssistant, service: str, data: dict[str, Any]
) -> ServiceResponse:
    """Call a dinstar action and return its response (stop_sms_task has none)."""
    return await hass.services.async_call(
        DOMAIN,
        service,
        data,
        blocking=True,
        return_response=service != "stop_sms_task",
    )


async def async_send(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Send an SMS to NUMBER (unless recipients are given) and return the response."""
    response = await async_call(
        hass, "send_sms", {"recipients": [NUMBER], "message": "Hello"} | data
    )
    assert response is not None
    return response


async def async_status(hass: HomeAssistant, tracking_id: int) -> str:
    """Return the tracked status of one message."""
    response = await async_call(hass, "get_sms_status", {"tracking_ids": [tracking_id]})
    assert response is not None
    return str(response["messages"][0]["status"])  # type: ignore[index,call-overload]


async def async_advance(hass: HomeAssistant, seconds: float) -> None:
    """Let seconds pass for Home Assistant's timers and wait for what they started."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)


def sms_requests(simulator: Simulator) -> int:
    """Return how many send_sms requests reached the gateway."""
    return sum(record.path == "/api/send_sms" for record in simulator.requests)


async def async_enable_push(
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    entry: MockConfigEntry,
) -> None:
    """Make the gateway push to the entry's webhook over real HTTP."""
    client = await hass_client_no_auth()
    path = f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"
    simulator.config.push_url = str(client.make_url(path))


def assert_error(err: HomeAssistantError, key: str) -> None:
    """Assert that err is the translated error key, with every placeholder filled."""
    assert err.translation_domain == DOMAIN
    assert err.translation_key == key
    message = str(err)
    assert message != key
    assert "{" not in message
