"""The logbook describes the integration's events: who texted what, on which port."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    MockHAClientWebSocket,
    RecorderInstanceContextManager,
    WebSocketGenerator,
)

from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED
from custom_components.dinstar.outbox import EVENT_SMS_STATUS
from custom_components.dinstar.port_control import EVENT_MODULE_RESET
from custom_components.dinstar.ussd import EVENT_USSD_REPLY
from dinstar_simulator import Simulator
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import SERIAL, pretend_frontend_loaded
from .sending import NUMBER, async_call, async_enable_push, async_send

SENDER = "+4915112345678"
BALANCE = "Your balance is 12.50 EUR. Valid until 2027-01-31."


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(
    async_test_recorder: RecorderInstanceContextManager,
) -> None:
    """Prepare the recorder's database before Home Assistant starts (as core does)."""


async def _set_up(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, entry: MockConfigEntry
) -> MockHAClientWebSocket:
    """Set up the logbook and the gateway; return a websocket client to read it."""
    # The logbook's panel needs the frontend, whose package the tests do not install.
    pretend_frontend_loaded(hass)
    assert await async_setup_component(hass, "logbook", {})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Before hass_client_no_auth starts the HTTP server, which then takes no routes.
    return await hass_ws_client()


async def _logbook(
    hass: HomeAssistant, client: MockHAClientWebSocket
) -> list[dict[str, Any]]:
    """Return the integration's logbook entries of the last hour, oldest first."""
    await async_wait_recording_done(hass)
    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": (dt_util.utcnow() - timedelta(hours=1)).isoformat(),
        }
    )
    response = await client.receive_json()
    assert response["success"]
    return [row for row in response["result"] if row.get("domain") == "dinstar"]


async def test_sms_status_and_ussd_in_the_logbook(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """An incoming SMS names its sender, text and port; sent SMS and USSD show too."""
    client = await _set_up(hass, hass_ws_client, config_entry)
    await async_enable_push(hass_client_no_auth, simulator, config_entry)

    simulator.deliver_sms(1, SENDER, "Gate code?")
    await simulator.wait_idle()
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_send(hass, ports=[2])
    await simulator.wait_idle()
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_call(hass, "send_ussd", {"port": 1, "code": "*100#"})
    await hass.async_block_till_done(wait_background_tasks=True)

    entries = await _logbook(hass, client)
    name = f"Dinstar {SERIAL}"
    assert [(row["name"], row["message"]) for row in entries] == [
        (name, f"received an SMS on port 2 from {SENDER}: Gate code?"),
        (name, f"SMS to {NUMBER} on port 2 is sent"),
        (name, f"SMS to {NUMBER} on port 2 is delivered"),
        (name, f"USSD reply to *100# on port 1: {BALANCE}"),
    ]


async def test_module_reset_in_the_logbook(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """A module the gateway reset by itself names its port and the reason."""
    client = await _set_up(hass, hass_ws_client, config_entry)
    await async_enable_push(hass_client_no_auth, simulator, config_entry)

    simulator.module_exception(1, "call_fail")
    await simulator.wait_idle()
    await hass.async_block_till_done(wait_background_tasks=True)

    entries = await _logbook(hass, client)
    assert [(row["name"], row["message"]) for row in entries] == [
        (f"Dinstar {SERIAL}", "reset the module on port 2 by itself (call_fail)"),
    ]


async def test_events_the_gateway_left_incomplete(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    config_entry: MockConfigEntry,
) -> None:
    """Events of a removed gateway, of an SMS never placed on a port, and long texts.

    Recorded events outlive their gateway, and a send the gateway never reported
    on has no port: fired here as they were recorded.
    """
    client = await _set_up(hass, hass_ws_client, config_entry)
    gone = {"config_entry_id": "removed", "device_id": None}
    hass.bus.async_fire(
        EVENT_SMS_RECEIVED, {**gone, "port": 3, "sender": SENDER, "text": "x" * 300}
    )
    hass.bus.async_fire(
        EVENT_SMS_STATUS,
        {**gone, "port": None, "recipient": NUMBER, "status": "expired"},
    )
    hass.bus.async_fire(
        EVENT_USSD_REPLY, {**gone, "port": 1, "code": "*100#", "reply": ""}
    )
    hass.bus.async_fire(
        EVENT_MODULE_RESET, {**gone, "port": 4, "type": None, "action": None}
    )
    hass.bus.async_fire(
        EVENT_MODULE_RESET, {**gone, "port": 1, "type": "y" * 300, "action": "lock"}
    )

    entries = await _logbook(hass, client)
    assert [(row["name"], row["message"]) for row in entries] == [
        ("Dinstar", f"received an SMS on port 3 from {SENDER}: {'x' * 254}…"),
        ("Dinstar", f"SMS to {NUMBER} is expired"),
        ("Dinstar", "USSD reply to *100# on port 1: "),
        ("Dinstar", "reset the module on port 4 by itself"),
        ("Dinstar", f"acted on the module on port 1 by itself: lock ({'y' * 254}…)"),
    ]
    assert [row["icon"] for row in entries] == [
        "mdi:message-arrow-left",
        "mdi:message-arrow-right",
        "mdi:dialpad",
        "mdi:restart-alert",
        "mdi:restart-alert",
    ]
