"""The gateway's and the ports' devices show what the gateway tells of itself."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.dinstar.const import DOMAIN
from dinstar_simulator import SimProfile, Simulator
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .conftest import SERIAL, next_port_poll, try_setup


def _models(device_registry: dr.DeviceRegistry, entry: MockConfigEntry) -> list[str]:
    """Return the models of the gateway's device and of its ports' (API 0-3)."""
    identifiers = [SERIAL, *(f"{SERIAL}-port-{port}" for port in range(4))]
    devices = [
        device_registry.async_get_device_by_identifier(
            (DOMAIN, identifier), entry.entry_id
        )
        for identifier in identifiers
    ]
    return [str(device.model) if device else "-" for device in devices]


async def test_devices(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The gateway tells its port count and modules; each port its module's radio."""
    devices = sorted(
        dr.async_entries_for_config_entry(device_registry, init_integration.entry_id),
        key=lambda device: sorted(device.identifiers),
    )
    # The simulator listens on a port of the OS's choosing.
    assert devices == snapshot(exclude=props("configuration_url"))
    assert _models(device_registry, init_integration) == [
        "4-port SMS gateway (LTE)",
        *["LTE module"] * 4,
    ]


async def test_models_follow_the_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A module that says nothing of its radio is a SIM port; a bare reply changes nothing."""
    for port in range(4):
        simulator.set_profile(port, SimProfile.POWER_OFF)
    await next_port_poll(hass, freezer)
    assert _models(device_registry, init_integration) == [
        "4-port SMS gateway",
        *["SIM port"] * 4,
    ]

    simulator.set_profile(0, SimProfile.REGISTERED)
    simulator.set_profile(1, SimProfile.REGISTERED)
    fitted = list(simulator.ports)
    simulator.ports[:] = []
    await next_port_poll(hass, freezer)
    assert _models(device_registry, init_integration)[0] == "4-port SMS gateway"

    # A row left out keeps its port's model until the port is reported again.
    simulator.ports[:] = [port for port in fitted if port.number != 1]
    await next_port_poll(hass, freezer)
    assert _models(device_registry, init_integration) == [
        "4-port SMS gateway (LTE)",
        "LTE module",
        *["SIM port"] * 3,
    ]


async def test_gateway_without_rows_at_setup(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A first reply without ports still names the device something true."""
    simulator.ports[:] = []
    await try_setup(hass, config_entry)
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, SERIAL), config_entry.entry_id
    )
    assert device is not None
    assert device.model == "SMS gateway"
