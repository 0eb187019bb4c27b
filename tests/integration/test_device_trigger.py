"""Tests of the "SMS received" device trigger of each port."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.dinstar import device_trigger
from custom_components.dinstar.const import DOMAIN
from dinstar_simulator import Simulator
from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

from .conftest import SERIAL
from .sms_delivery import advance, setup_entry

SENDER = "+4915112345678"
OTHER = "+4917000000001"


def _port_device(hass: HomeAssistant, entry: MockConfigEntry, port: int) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-{port}"), entry.entry_id
    )
    assert device is not None
    return device.id


async def _own_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, object]]:
    """Return the device's triggers of this integration (not of its sensors)."""
    return [
        trigger
        for trigger in await async_get_device_automations(
            hass, DeviceAutomationType.TRIGGER, device_id
        )
        if trigger["domain"] == DOMAIN
    ]


def _sms_automation(
    device_id: str, action: str, sender: str | None = None
) -> dict[str, object]:
    """Return an automation calling test.<action> with the text of each SMS it fires for."""
    trigger: dict[str, object] = {
        "platform": "device",
        "domain": DOMAIN,
        "device_id": device_id,
        "type": "sms_received",
    }
    if sender is not None:
        trigger["sender"] = sender
    return {
        "triggers": trigger,
        "actions": {
            "action": f"test.{action}",
            "data": {"text": "{{ trigger.event.data.text }}"},
        },
    }


async def _set_up_automations(
    hass: HomeAssistant, automations: list[dict[str, object]]
) -> None:
    """Set the automation integration up with these automations."""
    assert await async_setup_component(
        hass, automation.DOMAIN, {automation.DOMAIN: automations}
    )


async def test_triggers_of_port_devices(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Each port device offers "SMS received"; the gateway device offers none."""
    assert await async_setup_component(hass, "device_automation", {})
    await setup_entry(hass, config_entry)
    device_id = _port_device(hass, config_entry, 1)

    triggers = await _own_triggers(hass, device_id)
    assert triggers == [
        {
            "platform": "device",
            "domain": DOMAIN,
            "device_id": device_id,
            "type": "sms_received",
            "metadata": {},
        }
    ]
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "device_automation/trigger/capabilities", "trigger": triggers[0]}
    )
    response = await client.receive_json()
    assert response["result"] == {
        "extra_fields": [
            {"name": "sender", "optional": True, "required": False, "type": "string"}
        ]
    }

    gateway = config_entry.runtime_data.gateway_device_id
    assert await _own_triggers(hass, gateway) == []


async def test_no_triggers_for_unknown_or_foreign_devices(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A device that is gone, or that none of the gateways has, offers no trigger."""
    await setup_entry(hass, config_entry)
    other_entry = MockConfigEntry(domain="other")
    other_entry.add_to_hass(hass)
    foreign = dr.async_get(hass).async_get_or_create(
        config_entry_id=other_entry.entry_id, identifiers={("other", "x")}
    )

    assert await device_trigger.async_get_triggers(hass, "no-such-device") == []
    assert await device_trigger.async_get_triggers(hass, foreign.id) == []


async def test_trigger_fires(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    service_calls: list[ServiceCall],
) -> None:
    """The trigger fires for SMS on its port, and from its sender when one is set."""
    await setup_entry(hass, config_entry)
    port_2 = _port_device(hass, config_entry, 1)
    await _set_up_automations(
        hass,
        [
            _sms_automation(port_2, "any_sender"),
            _sms_automation(port_2, "one_sender", SENDER),
        ],
    )

    simulator.deliver_sms(1, SENDER, "from the sender")
    simulator.deliver_sms(1, OTHER, "from someone else")
    simulator.deliver_sms(0, SENDER, "on another port")
    await advance(hass, freezer)

    fired = [(call.service, call.data["text"]) for call in service_calls]
    assert fired == [
        ("any_sender", "from the sender"),
        ("one_sender", "from the sender"),
        ("any_sender", "from someone else"),
    ]


async def test_sender_with_or_without_plus(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    service_calls: list[ServiceCall],
) -> None:
    """A sender matches whether the gateway or the user writes the leading + or not."""
    await setup_entry(hass, config_entry)
    port_2 = _port_device(hass, config_entry, 1)
    await _set_up_automations(
        hass,
        [
            _sms_automation(port_2, name, sender)
            for name, sender in (("with_plus", SENDER), ("without", SENDER[1:]))
        ],
    )

    simulator.deliver_sms(1, SENDER[1:], "reported without +")
    simulator.deliver_sms(1, SENDER, "reported with +")
    simulator.deliver_sms(1, OTHER[1:], "from someone else")
    await advance(hass, freezer)

    fired = sorted((call.service, call.data["text"]) for call in service_calls)
    assert fired == [
        ("with_plus", "reported with +"),
        ("with_plus", "reported without +"),
        ("without", "reported with +"),
        ("without", "reported without +"),
    ]


async def test_trigger_detaches(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    service_calls: list[ServiceCall],
) -> None:
    """An automation turned off no longer fires, for either spelling of its sender."""
    await setup_entry(hass, config_entry)
    port_2 = _port_device(hass, config_entry, 1)
    await _set_up_automations(
        hass,
        [
            _sms_automation(port_2, "one_sender", SENDER),
            _sms_automation(port_2, "any_sender"),
        ],
    )
    simulator.deliver_sms(1, SENDER, "before")
    await advance(hass, freezer)
    assert sorted(call.service for call in service_calls) == [
        "any_sender",
        "one_sender",
    ]

    await hass.services.async_call(
        automation.DOMAIN, "turn_off", {"entity_id": "all"}, blocking=True
    )
    simulator.deliver_sms(1, SENDER, "with +")
    simulator.deliver_sms(1, SENDER[1:], "without +")
    await advance(hass, freezer)

    assert [call.data["text"] for call in service_calls if call.domain == "test"] == [
        "before",
        "before",
    ]
