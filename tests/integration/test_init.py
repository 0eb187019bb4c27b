"""Tests of setting a gateway up, unloading it, and its life while it runs."""

from __future__ import annotations

import logging
from unittest.mock import patch

from aiohttp import ClientSession, DigestAuthMiddleware
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED
from custom_components.dinstar.pydinstar import DinstarValidationError
from dinstar_simulator import SimProfile, Simulator
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigEntryDisabler,
    ConfigEntryState,
)
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)

from .conftest import (
    PASSWORD,
    SERIAL,
    USERNAME,
    next_port_poll,
    set_up_offline,
    try_setup,
)
from .sending import async_send, sms_requests


def _port_4_sim_issue(entry: MockConfigEntry) -> str:
    """Return the id of the repair issue of port 4, whose SIM waits for its PIN."""
    return f"sim_locked_{entry.entry_id}_3"


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A reachable gateway loads, unloads and reloads."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED


async def test_setup_retried_while_offline(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A gateway that is off at start-up is retried later."""
    await set_up_offline(hass, simulator, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_auth_failed_starts_reauth(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Refused credentials stop the setup and ask the user for new ones."""
    simulator.config.password = "changed-on-the-device"
    await try_setup(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_devices(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One device for the gateway and one per port, linked to it, named by the panel."""
    gateway = device_registry.async_get_device_by_identifier(
        (DOMAIN, SERIAL), init_integration.entry_id
    )
    assert gateway is not None
    assert gateway.manufacturer == "Dinstar"
    assert gateway.serial_number == SERIAL
    assert gateway.configuration_url == init_integration.data["url"] + "/"
    ports = [
        device
        for device in dr.async_entries_for_config_entry(
            device_registry, init_integration.entry_id
        )
        if device.id != gateway.id
    ]
    assert sorted(device.name for device in ports) == [
        "Port 1",
        "Port 2",
        "Port 3",
        "Port 4",
    ]
    assert {device.via_device_id for device in ports} == {gateway.id}


async def test_unavailable_and_recovery(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable while the gateway is off, logged once, and come back."""
    caplog.set_level(logging.INFO)
    await simulator.set_offline(True)
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE
    assert caplog.text.count("ports data: Cannot reach the gateway") == 1

    await simulator.set_offline(False)
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"
    assert caplog.text.count("ports data recovered") == 1


async def test_auth_failure_while_running_starts_reauth(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A password changed on the gateway starts a reauth flow."""
    simulator.config.password = "changed-on-the-device"
    await simulator.reboot()
    await next_port_poll(hass, freezer)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_sim_pin_repair_issue(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A SIM waiting for its PIN or PUK raises an issue, removed once it registers."""
    issue_id = _port_4_sim_issue(init_integration)
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "sim_pin_required"
    assert issue.translation_placeholders == {
        "port": "4",
        "gateway": f"Dinstar {SERIAL}",
    }

    simulator.set_profile(3, SimProfile.PUK_REQUIRED)
    await next_port_poll(hass, freezer)
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "sim_puk_required"

    simulator.set_profile(3, SimProfile.REGISTERED)
    await next_port_poll(hass, freezer)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_issues_removed_while_disabled(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A disabled gateway does not keep its repair issues; enabling raises them again."""
    issue_id = _port_4_sim_issue(init_integration)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    await hass.config_entries.async_set_disabled_by(
        init_integration.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    await hass.config_entries.async_set_disabled_by(init_integration.entry_id, None)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def test_lockout_issue_of_a_failed_setup_removed_while_disabled(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A gateway that banned us at setup, then disabled, does not keep the issue."""
    # A ban that outlasts the test: the default one ends after 60 ms of real time (the
    # gateway's clock runs 1000 times faster), which a slow setup may not reach in.
    simulator.config.lockout_seconds = 3600.0 * simulator.config.clock_speed
    await _ban_loopback(simulator)
    await try_setup(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    issue_id = f"locked_out_{config_entry.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    await hass.config_entries.async_set_disabled_by(
        config_entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_issues_removed_with_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Removing a gateway removes its repair issues."""
    issue_id = _port_4_sim_issue(init_integration)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def _ban_loopback(simulator: Simulator) -> None:
    """Fail logins from 127.0.0.1 until the gateway bans the address, until end_bans()."""
    # The default 60 device seconds are 60 ms at the tests' clock speed: shorter than a
    # loaded machine may take between two requests.
    simulator.config.lockout_seconds = 1e9
    async with ClientSession(
        middlewares=(DigestAuthMiddleware(USERNAME, "wrong"),)
    ) as session:
        for _ in range(simulator.config.lockout_after):
            async with session.get(f"{simulator.url}/api/query_sms_in_queue") as resp:
                await resp.read()
        async with session.get(f"{simulator.url}/api/query_sms_in_queue") as resp:
            assert resp.status == 403


async def test_lockout_stops_polling_and_raises_issue(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A ban stops every request, tells the user, and reauth brings it back."""
    await _ban_loopback(simulator)
    await next_port_poll(hass, freezer)

    issue_id = f"locked_out_{init_integration.entry_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "locked_out"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE

    requests = len(simulator.requests)
    await next_port_poll(hass, freezer)
    await next_port_poll(hass, freezer)
    assert len(simulator.requests) == requests

    simulator.end_bans()  # the ban's time is over
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"


async def test_gateway_error_makes_entities_unavailable(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A malformed or failing reply is an update failure, not a crash."""
    simulator.faults.malformed_body = True
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE

    simulator.faults.malformed_body = False
    simulator.faults.error_codes = {"query_sms_in_queue": 500}
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE

    simulator.faults.error_codes = {}
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"


async def test_a_local_check_is_not_a_gateway_error(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A request the library refuses before sending is not reported as the gateway's error.

    No request of the polls can fail a local check today (the ids and ports
    they ask for are checked where they are read), hence the patch.
    """
    with patch.object(
        init_integration.runtime_data.client,
        "query_sms_in_queue",
        side_effect=DinstarValidationError("a local check"),
    ):
        await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE
    assert "Not sent: the request is not valid for the gateway: a local check" in (
        caplog.text
    )
    assert "The gateway answered with an error" not in caplog.text

    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"


async def test_another_gateway_at_the_address(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Replies of another gateway (its address changed hands) are refused, and said so."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    simulator.config.serial = "da00-0030-1901-9999"
    simulator.deliver_sms(0, "+4915112345678", "for the other gateway")
    await next_port_poll(hass, freezer)

    assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE
    assert "Another gateway answers at this gateway's address" in caplog.text
    assert "da00-0030-1901-9999 answered, not" in caplog.text
    assert events == []

    simulator.config.serial = SERIAL
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"


async def test_another_gateway_at_setup(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Set up against another gateway, the entry waits for its own."""
    simulator.config.serial = "da00-0030-1901-9999"
    await try_setup(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_ports_appear_and_disappear(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A port that appears gets its device and sensors; one that vanishes loses them."""
    simulator.set_port_count(6)
    await next_port_poll(hass, freezer)
    port_6 = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-5"), init_integration.entry_id
    )
    assert port_6 is not None
    assert port_6.name == "Port 6"
    assert hass.states.get("sensor.port_6_registration").state == "register_ok"

    simulator.set_port_count(3)
    await next_port_poll(hass, freezer)
    for port in (3, 4, 5):
        assert (
            device_registry.async_get_device_by_identifier(
                (DOMAIN, f"{SERIAL}-port-{port}"), init_integration.entry_id
            )
            is None
        )
    assert entity_registry.async_get("sensor.port_6_registration") is None
    assert hass.states.get("sensor.port_3_registration").state == "no_sim"


async def test_actions_refuse_a_gateway_that_is_not_loaded(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """The actions come with the integration, not the entry: they say why they cannot act."""
    await set_up_offline(hass, simulator, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert hass.services.has_service(DOMAIN, "send_sms")

    with pytest.raises(ServiceValidationError) as err:
        await async_send(hass, config_entry_id=config_entry.entry_id)
    assert err.value.translation_key == "service_config_entry_not_loaded"
    await simulator.set_offline(False)
    assert sms_requests(simulator) == 0
