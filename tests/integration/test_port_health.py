"""Gateway health (get_status), port sensors of the extended fields, recovery, module resets."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.const import (
    CONF_RECOVERY_MINUTES,
    DOMAIN,
    STATUS_SCAN_INTERVAL,
)
from custom_components.dinstar.port_control import EVENT_MODULE_RESET
from dinstar_simulator import SimProfile, Simulator
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .conftest import entry_for, next_port_poll, try_setup
from .sms_delivery import connect_push, pushes_done

CPU = "sensor.dinstar_da00_0030_1901_2817_cpu_usage"
MEMORY = "sensor.dinstar_da00_0030_1901_2817_memory_usage"
FLASH = "sensor.dinstar_da00_0030_1901_2817_flash_usage"


@pytest.mark.usefixtures("init_integration")
async def test_health_sensors(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """CPU, memory and flash use are diagnostic percentages, polled every 5 minutes."""
    assert (
        hass.states.get(CPU).state,
        hass.states.get(MEMORY).state,
        hass.states.get(FLASH).state,
    ) == ("39", "46.2", "63.0")
    entry = er.async_get(hass).async_get(CPU)
    assert entry is not None
    assert entry.entity_category is er.EntityCategory.DIAGNOSTIC

    simulator.set_performance(cpu_used="87")
    freezer.tick(STATUS_SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(CPU).state == "87"

    # Firmware that stops offering get_status (downgraded) leaves the values unknown.
    simulator.quirks.no_get_status = True
    freezer.tick(STATUS_SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(CPU).state == STATE_UNKNOWN


async def test_no_get_status(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """A gateway without get_status sets up without health sensors."""
    simulator.quirks.no_get_status = True
    await try_setup(hass, config_entry)
    assert hass.states.get(CPU) is None
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    assert diagnostics["status"] is None


async def test_status_failure_at_setup(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A get_status that fails otherwise makes the setup retry."""
    simulator.faults.error_codes["get_status"] = 500
    await try_setup(hass, config_entry)
    assert config_entry.state is not None
    assert config_entry.state.recoverable


@pytest.mark.usefixtures("init_integration")
async def test_gprs_and_call_state(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """GPRS and the call state follow the gateway."""
    assert hass.states.get("sensor.port_1_gprs").state == "attached"
    assert hass.states.get("sensor.port_3_gprs").state == "detached"
    assert hass.states.get("sensor.port_1_call_state").state == "idle"
    simulator.set_call_state(0, "Ringing")
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_call_state").state == "ringing"


async def test_billing_sensors(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Billing counters exist only where a limit is set, disabled by default."""
    simulator.set_billing(0, "remain_monthly_credit", "120.50")
    await try_setup(hass, config_entry)
    registry = er.async_get(hass)
    entry = registry.async_get("sensor.port_1_remaining_monthly_credit")
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert registry.async_get("sensor.port_1_remaining_credit") is None
    assert registry.async_get("sensor.port_2_remaining_monthly_credit") is None

    registry.async_update_entity(entry.entity_id, disabled_by=None)
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(entry.entity_id).state == "120.50"


async def test_old_firmware_has_no_extended_sensors(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Firmware without the extended fields gets no GPRS, call state or slot entities."""
    simulator.config.extended_port_info = False
    await try_setup(hass, entry_for(simulator))
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"
    assert hass.states.get("sensor.port_1_gprs") is None
    assert hass.states.get("sensor.port_1_call_state") is None
    assert hass.states.get("select.port_1_sim_slot") is None


async def _setup_with_recovery(
    hass: HomeAssistant, config_entry: MockConfigEntry, minutes: int
) -> None:
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_RECOVERY_MINUTES: minutes}
    )
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()


def _resets(simulator: Simulator) -> list[str]:
    return [
        r.query_string
        for r in simulator.requests
        if r.path == "/api/set_port_info" and r.authenticated
    ]


async def _minutes(
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    minutes: int,
) -> None:
    """Let minutes pass, one port poll (2 minutes) at a time, modules restarting meanwhile."""
    for _ in range(minutes // 2):
        await next_port_poll(hass, freezer)
        # The device's restart delays pass in the device's (frozen) time too.
        freezer.tick(timedelta(seconds=1))
        await simulator.wait_idle()


async def test_recovery_brings_a_port_back(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A port off the network for N minutes gets one restart and comes back."""
    simulator.set_profile(1, SimProfile.UNREGISTERED)
    await _setup_with_recovery(hass, config_entry, 5)
    # A port back on the network by itself in time is left alone.
    simulator.set_profile(0, SimProfile.SEARCHING)
    await _minutes(hass, simulator, freezer, 2)
    simulator.set_profile(0, SimProfile.REGISTERED)
    await _minutes(hass, simulator, freezer, 2)
    assert _resets(simulator) == []
    await _minutes(hass, simulator, freezer, 2)
    assert _resets(simulator) == ["port=1&action=reset&param=1"]
    await _minutes(hass, simulator, freezer, 2)
    assert hass.states.get("sensor.port_2_registration").state == "register_ok"
    await _minutes(hass, simulator, freezer, 20)
    assert _resets(simulator) == ["port=1&action=reset&param=1"]
    assert not [
        issue
        for (domain, issue) in ir.async_get(hass).issues
        if domain == DOMAIN and issue.startswith("port_not_recovered")
    ]


async def test_recovery_of_a_port_that_never_comes_back(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One restart only; then a repair issue, gone once the port registers."""
    simulator.set_profile(0, SimProfile.UNREGISTERED)
    simulator.set_restart_outcome(0, SimProfile.UNREGISTERED)
    await _setup_with_recovery(hass, config_entry, 4)
    issue_id = f"port_not_recovered_{config_entry.entry_id}_0"
    registry = ir.async_get(hass)
    await _minutes(hass, simulator, freezer, 4)
    assert _resets(simulator) == ["port=0&action=reset&param=1"]
    assert registry.async_get_issue(DOMAIN, issue_id) is None
    await _minutes(hass, simulator, freezer, 4)
    issue = registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "port": "1",
        "gateway": config_entry.title,
    }
    await _minutes(hass, simulator, freezer, 20)
    assert _resets(simulator) == ["port=0&action=reset&param=1"]

    # While the gateway does not answer nothing is decided.
    await simulator.set_offline(True)
    await _minutes(hass, simulator, freezer, 2)
    await simulator.set_offline(False)
    assert registry.async_get_issue(DOMAIN, issue_id) is not None

    simulator.set_profile(0, SimProfile.REGISTERED)
    await _minutes(hass, simulator, freezer, 2)
    assert registry.async_get_issue(DOMAIN, issue_id) is None

    # Removing the gateway forgets its issues.
    simulator.set_profile(0, SimProfile.UNREGISTERED)
    await _minutes(hass, simulator, freezer, 10)
    assert registry.async_get_issue(DOMAIN, issue_id) is not None
    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert registry.async_get_issue(DOMAIN, issue_id) is None


async def test_recovery_restart_that_fails(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A restart the gateway refuses is logged and not repeated; a port that vanishes is forgotten."""
    simulator.set_profile(3, SimProfile.SEARCHING)
    simulator.quirks.unsupported_port_actions = frozenset({"reset"})
    await _setup_with_recovery(hass, config_entry, 2)
    await _minutes(hass, simulator, freezer, 6)
    assert _resets(simulator) == ["port=3&action=reset&param=1"]
    simulator.set_port_count(2)
    await _minutes(hass, simulator, freezer, 4)
    assert _resets(simulator) == ["port=3&action=reset&param=1"]


async def test_module_reset_push(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The box resetting a module fires dinstar_module_reset and the port's event."""
    await connect_push(hass, hass_client_no_auth, simulator, init_integration)
    events = async_capture_events(hass, EVENT_MODULE_RESET)
    simulator.module_exception(1, "call_fail")
    await pushes_done(hass, simulator)
    assert len(events) == 1
    assert events[0].data["port"] == 2
    assert (events[0].data["type"], events[0].data["action"]) == ("call_fail", "reset")
    assert events[0].data["device_id"] is not None
    state = hass.states.get("event.port_2_messages")
    assert state.attributes["event_type"] == "module_reset"
    assert state.attributes["type"] == "call_fail"
    status = await simulator.push(
        {"sn": init_integration.unique_id, "exception_info": {"port": 7}}
    )
    assert status == HTTPStatus.OK
    await hass.async_block_till_done()
    # The gateway has no port 8: nothing to tell about it.
    assert len(events) == 1
