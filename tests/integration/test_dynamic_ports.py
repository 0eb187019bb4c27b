"""Tests of ports that come and go: a pulled port loses its device, a returning one gets it back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.dinstar.const import DOMAIN
from dinstar_simulator import Simulator
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component

from .conftest import SERIAL, next_port_poll


def _port_device(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, port: int
) -> dr.DeviceEntry | None:
    """Return the device of an API port number, if registered."""
    return device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-{port}"), entry.entry_id
    )


def _unique_ids(entity_registry: er.EntityRegistry, device: dr.DeviceEntry) -> set[str]:
    """Return the unique ids of every entity of a device, disabled ones included."""
    return {
        entity.unique_id
        for entity in er.async_entries_for_device(
            entity_registry, device.id, include_disabled_entities=True
        )
    }


@contextmanager
def _rows_left_out(simulator: Simulator, *ports: int) -> Iterator[None]:
    """Let the gateway leave these ports' rows out of its get_port_info replies."""
    fitted = list(simulator.ports)
    simulator.ports[:] = [port for port in fitted if port.number not in ports]
    try:
        yield
    finally:
        simulator.ports[:] = fitted


async def test_port_that_returns_gets_its_entities_back(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """4 ports, then 3, then 4: port 4 loses its device and entities, then gets them all back."""
    device = _port_device(device_registry, init_integration, 3)
    assert device is not None
    unique_ids = _unique_ids(entity_registry, device)
    assert f"{SERIAL}-3-registration" in unique_ids

    simulator.set_port_count(3)
    await next_port_poll(hass, freezer)
    assert _port_device(device_registry, init_integration, 3) is None
    assert entity_registry.async_get("sensor.port_4_registration") is None
    assert hass.states.get("sensor.port_4_registration") is None

    simulator.set_port_count(4)
    await next_port_poll(hass, freezer)
    device = _port_device(device_registry, init_integration, 3)
    assert device is not None
    assert device.name == "Port 4"
    assert _unique_ids(entity_registry, device) == unique_ids
    state = hass.states.get("sensor.port_4_registration")
    assert state is not None
    assert state.state not in (STATE_UNAVAILABLE, "unknown")


async def test_missing_row_keeps_the_port(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A row left out below the highest port is no pulled module: device and settings stay."""
    device = _port_device(device_registry, init_integration, 1)
    assert device is not None
    device_registry.async_update_device(device.id, name_by_user="Office SIM")
    entity_registry.async_update_entity(
        "sensor.port_2_registration", new_entity_id="sensor.office_registration"
    )

    with _rows_left_out(simulator, 1):
        await next_port_poll(hass, freezer)
        kept = _port_device(device_registry, init_integration, 1)
        assert kept is not None
        assert kept.id == device.id
        assert kept.name_by_user == "Office SIM"
        assert entity_registry.async_get("sensor.office_registration") is not None
        assert hass.states.get("sensor.office_registration").state == STATE_UNAVAILABLE
        assert hass.states.get("sensor.port_1_registration").state == "register_ok"

    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.office_registration").state == "register_ok"
    assert hass.states.get("sensor.port_2_registration") is None


async def test_reply_without_rows_keeps_every_port(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reply with no port at all says nothing of the port count: every device stays."""
    with _rows_left_out(simulator, 0, 1, 2, 3):
        await next_port_poll(hass, freezer)
        for port in range(4):
            assert _port_device(device_registry, init_integration, port) is not None
        assert hass.states.get("sensor.port_1_registration").state == STATE_UNAVAILABLE

    await next_port_poll(hass, freezer)
    assert hass.states.get("sensor.port_1_registration").state == "register_ok"


async def test_user_deletes_a_port_the_gateway_lost(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A port no longer reported can be deleted by hand; reported ones and the gateway not.

    If the port is reported again, it gets its device and entities back.
    """
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)

    async def remove(device: dr.DeviceEntry | None) -> bool:
        """Ask to delete a device; True if done, False if the integration refused."""
        assert device is not None
        await client.send_json_auto_id(
            {"type": "config/device_registry/remove", "device_id": device.id}
        )
        response = await client.receive_json()
        if not response["success"]:
            # Refused by the integration, not an error in it.
            assert response["error"]["code"] == "home_assistant_error"
        return bool(response["success"])

    gateway = device_registry.async_get_device_by_identifier(
        (DOMAIN, SERIAL), init_integration.entry_id
    )
    assert not await remove(gateway)
    assert not await remove(_port_device(device_registry, init_integration, 1))

    with _rows_left_out(simulator, 1):
        await next_port_poll(hass, freezer)
        assert await remove(_port_device(device_registry, init_integration, 1))
        await hass.async_block_till_done()
        assert _port_device(device_registry, init_integration, 1) is None
        assert entity_registry.async_get("sensor.port_2_registration") is None

    await next_port_poll(hass, freezer)
    assert _port_device(device_registry, init_integration, 1) is not None
    assert hass.states.get("sensor.port_2_registration").state == "register_ok"

    # Unloaded, what the gateway reports is not known: nothing can be deleted.
    with _rows_left_out(simulator, 1):
        await next_port_poll(hass, freezer)
        assert await hass.config_entries.async_unload(init_integration.entry_id)
        client = await hass_ws_client(hass)
        assert not await remove(_port_device(device_registry, init_integration, 1))
