"""Port control through Home Assistant: restart button, power switch, SIM slot, port actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aiohttp import ClientSession, DigestAuthMiddleware
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.const import (
    CONF_RECOVERY_MINUTES,
    DOMAIN,
    PORT_SCAN_INTERVAL,
)
from custom_components.dinstar.port_control import RESTART_BOUND
from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_PASSWORD,
    CONF_USERNAME,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .conftest import PASSWORD, SERIAL, USERNAME, next_port_poll
from .sms_delivery import connect_push, pushes_done

RESTART = "button.port_1_restart_module"
POWER = "switch.port_2_power"
SLOT = "select.port_1_sim_slot"


def _port_actions(simulator: Simulator) -> list[str]:
    return [
        r.query_string
        for r in simulator.requests
        if r.path == "/api/set_port_info" and r.authenticated
    ]


async def settle(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """Let the modules finish restarting (their device time passes), then poll the ports."""
    freezer.tick(timedelta(seconds=1))
    await simulator.wait_idle()
    await next_port_poll(hass, freezer)


async def _press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        "button", SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


@pytest.mark.usefixtures("init_integration")
async def test_restart_module(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """The button restarts the module; the port shows searching, then registered again."""
    entry = er.async_get(hass).async_get(RESTART)
    assert entry is not None
    assert entry.entity_category is not None
    # A long restart, so that the state in between can be seen.
    simulator.config.module_restart_seconds = 1e9
    await _press(hass, RESTART)
    assert _port_actions(simulator) == ["port=0&action=reset&param=1"]
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "searching_network"

    # The module registers (as the simulator's restart would have ended).
    simulator.set_profile(0, SimProfile.REGISTERED)
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"


@pytest.mark.usefixtures("init_integration")
async def test_restart_comes_back(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """After a real restart the module registers again by itself."""
    await _press(hass, RESTART)
    await settle(hass, simulator, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"
    assert simulator.ports[0].restart_target is None


@pytest.mark.usefixtures("init_integration")
async def test_control_errors(hass: HomeAssistant, simulator: Simulator) -> None:
    """Refusals and failures are translated errors; nothing is retried."""
    simulator.quirks.unsupported_port_actions = frozenset({"reset"})
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, RESTART)
    assert err.value.translation_key == "action_not_supported"
    assert err.value.translation_placeholders == {
        "action": "reset",
        "port": "1",
        "gateway": f"Dinstar {SERIAL}",
    }
    simulator.quirks.unsupported_port_actions = frozenset()

    # A reset of a module that is powered off: error_code 500.
    await hass.services.async_call(
        "switch",
        SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: "switch.port_1_power"},
        blocking=True,
    )
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, RESTART)
    assert err.value.translation_key == "action_refused"
    assert err.value.translation_placeholders["code"] == "500"

    simulator.faults.http_500 = True
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, RESTART)
    assert err.value.translation_key == "gateway_error"
    simulator.faults.http_500 = False

    await simulator.set_offline(True)
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, RESTART)
    assert err.value.translation_key == "cannot_connect"
    await simulator.set_offline(False)
    # Each press went out once; the one refused by the firmware too.
    assert _port_actions(simulator) == [
        "port=0&action=reset&param=1",
        "port=0&action=power&param=off",
        "port=0&action=reset&param=1",
        "port=0&action=reset&param=1",
    ]


@pytest.mark.usefixtures("init_integration")
async def test_power_switch(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """Power off shows as off and "powered off"; power on registers again."""
    assert hass.states.get(POWER).state == STATE_ON
    await hass.services.async_call(
        "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: POWER}, blocking=True
    )
    await next_port_poll(hass, freezer)
    assert hass.states.get(POWER).state == STATE_OFF
    assert hass.states.get("sensor.port_2_registration").state == "power_off"

    await hass.services.async_call(
        "switch", SERVICE_TURN_ON, {ATTR_ENTITY_ID: POWER}, blocking=True
    )
    await settle(hass, simulator, freezer)
    assert hass.states.get(POWER).state == STATE_ON
    assert hass.states.get("sensor.port_2_registration").state == "register_ok"
    assert _port_actions(simulator) == [
        "port=1&action=power&param=off",
        "port=1&action=power&param=on",
    ]


@pytest.mark.usefixtures("init_integration")
async def test_power_unknown_without_registration(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """A port that stops reporting its registration and GPRS has them unknown."""
    simulator.quirks.unknown_info_type_error = False
    original = simulator.ports[1].info

    def no_reg(name: str, network_type: str) -> str | int:
        return "" if name in ("reg", "gprs") else original(name, network_type)

    simulator.ports[1].info = no_reg  # type: ignore[method-assign]
    await next_port_poll(hass, freezer)
    assert hass.states.get(POWER).state == STATE_UNKNOWN
    assert hass.states.get("sensor.port_2_gprs").state == STATE_UNKNOWN


@pytest.mark.usefixtures("init_integration")
async def test_sim_slot(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """The select switches the SIM bank slot and restarts the module on the new SIM."""
    state = hass.states.get(SLOT)
    assert state.state == "slot_1"
    assert state.attributes["options"] == ["slot_1", "slot_2", "slot_3", "slot_4"]
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: SLOT, ATTR_OPTION: "slot_3"},
        blocking=True,
    )
    assert _port_actions(simulator) == ["port=0&action=slot&param=2"]
    await settle(hass, simulator, freezer)
    assert hass.states.get(SLOT).state == "slot_3"
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"

    # A gateway that stops reporting slots (another firmware) leaves it unknown.
    simulator.quirks.unknown_info_type_error = False
    simulator.ports[0].slot = 255
    await next_port_poll(hass, freezer)
    assert hass.states.get(SLOT).state == STATE_UNKNOWN


@pytest.mark.parametrize(
    "simulator_config",
    [
        replace(
            SimulatorConfig(clock_speed=1000.0),
            username="admin",
            password="s3cret-pa55",
            serial=SERIAL,
            sim_bank=False,
        )
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_no_sim_bank(hass: HomeAssistant) -> None:
    """Ports without a SIM bank (slot 255) have no SIM slot select."""
    assert hass.states.get(SLOT) is None
    assert hass.states.get(RESTART) is not None


async def _port_action(hass: HomeAssistant, **data: object) -> None:
    await hass.services.async_call(DOMAIN, "port_action", data, blocking=True)


async def test_port_action(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """port_action locks, unlocks, blocks and unblocks, by port device or port number."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-2"), init_integration.entry_id
    )
    assert device is not None
    await _port_action(hass, device_id=device.id, action="lock")
    await _port_action(hass, port=3, action="block")
    await _port_action(
        hass, config_entry_id=init_integration.entry_id, port=3, action="unblock"
    )
    await _port_action(hass, device_id=device.id, action="unlock")
    assert _port_actions(simulator) == [
        "port=2&action=lock",
        "port=2&action=block",
        "port=2&action=unblock",
        "port=2&action=unlock",
    ]

    simulator.quirks.unsupported_port_actions = frozenset({"lock"})
    with pytest.raises(HomeAssistantError) as err:
        await _port_action(hass, port=3, action="lock")
    assert err.value.translation_key == "action_not_supported"
    assert not simulator.ports[2].locked


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"port": 3, "action": "reset"}, "invalid_port_action"),
        ({"port": 3, "action": "imei"}, "invalid_port_action"),
        ({"action": "lock"}, "port_action_one_port"),
        ({"port": 9, "action": "lock"}, "invalid_port"),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_port_action_refused_before_sending(
    hass: HomeAssistant, simulator: Simulator, data: dict[str, object], key: str
) -> None:
    """Bad input is refused with a translated error before anything is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await _port_action(hass, **data)
    assert err.value.translation_key == key
    assert _port_actions(simulator) == []


async def test_lockout_starts_reauth(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A ban met by a control fails it and asks for the credentials; reauth brings it back."""
    # A ban that lasts until end_bans(): the default 60 device seconds are 60 ms here.
    simulator.config.lockout_seconds = 1e9
    async with ClientSession(
        middlewares=(DigestAuthMiddleware(USERNAME, "wrong"),)
    ) as session:
        for _ in range(simulator.config.lockout_after + 1):
            async with session.get(f"{simulator.url}/api/query_sms_in_queue") as resp:
                await resp.read()
        assert resp.status == 403

    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, RESTART)
    await hass.async_block_till_done()

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "action_locked_out"
    assert err.value.translation_placeholders == {"gateway": f"Dinstar {SERIAL}"}
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH
    assert _port_actions(simulator) == []

    simulator.end_bans()  # the ban's time is over
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    await _press(hass, RESTART)
    assert _port_actions(simulator) == ["port=0&action=reset&param=1"]


SIGNAL = "sensor.port_1_signal_strength"
REGISTRATION = "sensor.port_1_registration"


def _available(hass: HomeAssistant, *entity_ids: str) -> list[bool]:
    return [
        hass.states.get(entity_id).state != STATE_UNAVAILABLE
        for entity_id in entity_ids
    ]


async def _bound_passes(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(RESTART_BOUND)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.usefixtures("init_integration")
async def test_restart_readings_unavailable_until_back(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """While the module restarts its readings are unavailable, until it is back.

    The controls, the registration (it shows the restart), the messages and the
    counts stay available.
    """
    simulator.config.module_restart_seconds = 1e9
    await _press(hass, RESTART)
    assert _available(hass, SIGNAL, "sensor.port_1_network_type") == [False, False]
    assert (
        _available(
            hass,
            REGISTRATION,
            RESTART,
            "switch.port_1_power",
            SLOT,
            "event.port_1_messages",
            "sensor.port_1_sms_sent",
            "sensor.port_1_last_sms_received",
            "sensor.port_2_signal_strength",
        )
        == [True] * 8
    )
    await next_port_poll(hass, freezer)
    assert hass.states.get(REGISTRATION).state == "searching_network"
    assert _available(hass, SIGNAL) == [False]

    # The module registers: its next poll brings the readings back.
    simulator.set_profile(0, SimProfile.REGISTERED)
    await next_port_poll(hass, freezer)
    assert _available(hass, SIGNAL, "sensor.port_1_network_type") == [True, True]
    assert hass.states.get(REGISTRATION).state == "register_ok"
    await _bound_passes(hass, freezer)
    assert _available(hass, SIGNAL) == [True]


@pytest.mark.usefixtures("init_integration")
async def test_power_on_readings_unavailable_until_back(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """Powered off, the port reads "powered off"; powered on, its readings wait for the module."""
    signal = "sensor.port_2_signal_strength"
    simulator.config.module_restart_seconds = 1e9
    await hass.services.async_call(
        "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: POWER}, blocking=True
    )
    await next_port_poll(hass, freezer)
    assert _available(hass, signal) == [True]
    assert hass.states.get("sensor.port_2_registration").state == "power_off"

    await hass.services.async_call(
        "switch", SERVICE_TURN_ON, {ATTR_ENTITY_ID: POWER}, blocking=True
    )
    assert _available(hass, signal, POWER) == [False, True]
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_2_registration").state == "searching_network"
    simulator.set_profile(1, SimProfile.REGISTERED)
    await next_port_poll(hass, freezer)
    assert _available(hass, signal) == [True]


@pytest.mark.usefixtures("init_integration")
async def test_sim_slot_readings_unavailable_until_back(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """Another SIM restarts the module: its readings (the new SIM's) wait for it."""
    simulator.config.module_restart_seconds = 1e9
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: SLOT, ATTR_OPTION: "slot_2"},
        blocking=True,
    )
    assert _available(hass, SIGNAL, "sensor.port_1_phone_number", SLOT) == [
        False,
        False,
        True,
    ]
    await next_port_poll(hass, freezer)
    assert hass.states.get(REGISTRATION).state == "searching_network"
    simulator.set_profile(0, SimProfile.REGISTERED)
    await next_port_poll(hass, freezer)
    assert _available(hass, SIGNAL) == [True]


async def _reset_pushed(hass: HomeAssistant, simulator: Simulator, port: int) -> None:
    """Push that the gateway reset a module, which the simulator's module never sees."""
    await simulator.push({"sn": SERIAL, "exception_info": {"port": port}})
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_gateway_reset_waits_within_a_bound(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A module the gateway reset by itself (exception_info) is waited for like a pressed one.

    One that no poll shows down (a restart quicker than the polls) is back after the
    bound; another reset meanwhile starts the wait again.
    """
    await connect_push(hass, hass_client_no_auth, simulator, init_integration)
    simulator.config.module_restart_seconds = 1e9
    simulator.module_exception(0, "call_fail")
    # Registered again before Home Assistant hears of the reset.
    simulator.set_profile(0, SimProfile.REGISTERED)
    await pushes_done(hass, simulator)
    assert _available(hass, SIGNAL, REGISTRATION) == [False, True]
    assert hass.states.get(REGISTRATION).state == "register_ok"
    await next_port_poll(hass, freezer)
    assert _available(hass, SIGNAL) == [False]

    await _reset_pushed(hass, simulator, 0)
    freezer.tick(RESTART_BOUND - PORT_SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _available(hass, SIGNAL) == [False]
    await _bound_passes(hass, freezer)
    assert _available(hass, SIGNAL) == [True]


async def test_restarting_port_missing_from_a_poll(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A restarting port that a poll leaves out counts as down: back in a poll, it is back."""
    signal = "sensor.port_4_signal_strength"
    await connect_push(hass, hass_client_no_auth, simulator, init_integration)
    await _reset_pushed(hass, simulator, 3)
    assert _available(hass, signal) == [False]
    simulator.set_port_count(3)
    await next_port_poll(hass, freezer)
    simulator.set_port_count(4)
    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_4_registration").state == "pin_require"
    assert _available(hass, signal) == [True]


async def test_recovery_restart_readings_unavailable_until_back(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A module the automatic recovery restarts is waited for like a pressed one."""
    simulator.config.module_restart_seconds = 1e9
    simulator.set_profile(0, SimProfile.UNREGISTERED)
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_RECOVERY_MINUTES: 2}
    )
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _available(hass, SIGNAL) == [True]

    await next_port_poll(hass, freezer)
    assert _port_actions(simulator) == ["port=0&action=reset&param=1"]
    assert _available(hass, SIGNAL) == [False]
    simulator.set_profile(0, SimProfile.REGISTERED)
    await next_port_poll(hass, freezer)
    assert _available(hass, SIGNAL) == [True]
