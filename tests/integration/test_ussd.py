"""The send_ussd action: replies by push and by polling, errors, cancel, one exchange per port."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import logging
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.ussd import EVENT_USSD_REPLY, USSD_POLL_INTERVAL
from dinstar_simulator import Simulator, SimulatorConfig
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util

from .conftest import SERIAL
from .sending import assert_error, async_call, async_enable_push, async_send

pytestmark = pytest.mark.usefixtures("init_integration")

BALANCE = "Your balance is 12.50 EUR. Valid until 2027-01-31."


@pytest.fixture
def simulator_config(
    request: pytest.FixtureRequest, simulator_config: SimulatorConfig
) -> SimulatorConfig:
    """Return a gateway whose network keeps an unanswered session open for long.

    A test may set the clock speed (indirect parameter).
    """
    simulator_config.ussd_timeout_seconds = 1e6
    simulator_config.clock_speed = getattr(
        request, "param", simulator_config.clock_speed
    )
    return simulator_config


@pytest.fixture
async def push(
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Make the gateway push its USSD replies to Home Assistant."""
    await async_enable_push(hass_client_no_auth, simulator, init_integration)


async def _ussd(
    hass: HomeAssistant, *, seconds: float = USSD_POLL_INTERVAL, **data: Any
) -> ServiceResponse:
    """Call send_ussd on port 1 (unless told otherwise), letting time pass meanwhile."""
    payload = {key: value for key, value in ({"port": 1} | data).items() if value}
    call = asyncio.ensure_future(async_call(hass, "send_ussd", payload))
    # Bounded by the condition, not a number of turns: a slow machine takes more of them.
    async with asyncio.timeout(30):
        while not call.done():
            async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
            await asyncio.sleep(0.01)
    return await call


def _requests(simulator: Simulator, endpoint: str) -> int:
    return sum(record.path == f"/api/{endpoint}" for record in simulator.requests)


async def test_reply_by_polling(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Without push the reply is read from the gateway; it is fired and shown."""
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    response = await _ussd(hass, code=" *100# ")

    assert response == {"port": 1, "code": "*100#", "reply": BALANCE}
    assert _requests(simulator, "query_ussd_reply") >= 1
    port_1 = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-0"), init_integration.entry_id
    )
    assert port_1 is not None
    [event] = events
    assert event.data == {
        "config_entry_id": init_integration.entry_id,
        "device_id": port_1.id,
        "port": 1,
        "code": "*100#",
        "reply": BALANCE,
    }
    port_event = hass.states.get("event.port_1_messages")
    assert port_event is not None
    assert port_event.attributes["event_type"] == "ussd_reply"
    assert port_event.attributes["reply"] == BALANCE
    state = hass.states.get("sensor.port_1_last_ussd_reply")
    assert state is not None
    assert state.state == BALANCE


@pytest.mark.usefixtures("push")
async def test_reply_by_push(hass: HomeAssistant, simulator: Simulator) -> None:
    """A pushed reply ends the wait at once; a long reply is cut for the sensor."""
    reply = "Menu\n" + "1. Option\n" * 40
    simulator.script_ussd(1, "*123#", reply)

    response = await async_call(hass, "send_ussd", {"port": 2, "code": "*123#"})

    assert response == {"port": 2, "code": "*123#", "reply": reply}
    assert _requests(simulator, "query_ussd_reply") == 0
    state = hass.states.get("sensor.port_2_last_ussd_reply")
    assert state is not None
    assert state.state == reply[:255]


@pytest.mark.usefixtures("push")
async def test_one_exchange_per_port(hass: HomeAssistant, simulator: Simulator) -> None:
    """Two codes for one port run one after the other, each getting its own reply."""
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    first, second = await asyncio.gather(
        async_call(hass, "send_ussd", {"port": 1, "code": "*100#"}),
        async_call(hass, "send_ussd", {"port": 1, "code": "*135#"}),
    )

    assert first == {"port": 1, "code": "*100#", "reply": BALANCE}
    number = simulator.ports[0].sim.number
    assert second == {"port": 1, "code": "*135#", "reply": f"Your number is {number}."}
    assert [event.data["code"] for event in events] == ["*100#", "*135#"]


@pytest.mark.usefixtures("push")
async def test_pushed_reply_without_exchange(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A reply nobody waits for (late, after a timeout) is not news."""
    events = async_capture_events(hass, EVENT_USSD_REPLY)

    assert (
        await simulator.push({"sn": SERIAL, "ussd": [{"port": 0, "text": "Late"}]})
        == 200
    )
    await hass.async_block_till_done()

    assert events == []
    state = hass.states.get("sensor.port_1_last_ussd_reply")
    assert state is not None
    assert state.state == "unknown"


@pytest.mark.parametrize("simulator_config", [1.0], indirect=True)
async def test_busy(hass: HomeAssistant, simulator: Simulator) -> None:
    """A port that is sending SMS answers busy."""
    await async_send(hass, ports=[1])

    with pytest.raises(HomeAssistantError) as err:
        await async_call(hass, "send_ussd", {"port": 1, "code": "*100#"})

    assert_error(err.value, "ussd_busy")
    assert err.value.translation_placeholders == {"port": "1", "status": "486"}


@pytest.mark.parametrize("cancel", [False, True])
async def test_unavailable(
    hass: HomeAssistant, simulator: Simulator, cancel: bool
) -> None:
    """A port without a registered SIM cannot send USSD, nor cancel a session."""
    with pytest.raises(HomeAssistantError) as err:
        await async_call(
            hass, "send_ussd", {"port": 3, "code": "*100#", "cancel": cancel}
        )

    assert_error(err.value, "ussd_unavailable")
    assert _requests(simulator, "send_ussd") == 1


async def test_timeout_ends_the_session(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Without a reply the exchange times out and the session is torn down."""
    events = async_capture_events(hass, EVENT_USSD_REPLY)
    simulator.script_ussd(0, "*999#", None)

    with pytest.raises(HomeAssistantError) as err:
        await _ussd(hass, code="*999#", timeout=5, seconds=5)

    assert_error(err.value, "ussd_timeout")
    assert err.value.translation_placeholders == {"port": "1", "timeout": "5"}
    assert simulator.ports[0].ussd_exchange is None
    assert _requests(simulator, "send_ussd") == 2
    assert events == []
    assert (await _ussd(hass, code="*100#"))["reply"] == BALANCE  # type: ignore[index]


async def test_cancel(hass: HomeAssistant, simulator: Simulator) -> None:
    """Cancel tears the session down and ends the exchange waiting on it."""
    simulator.script_ussd(0, "*123*9#", None)
    waiting = asyncio.ensure_future(
        async_call(hass, "send_ussd", {"port": 1, "code": "*123*9#"})
    )
    while simulator.ports[0].ussd_exchange is None:
        await asyncio.sleep(0.005)

    response = await async_call(hass, "send_ussd", {"port": 1, "cancel": True})

    assert response == {"port": 1, "cancelled": True}
    assert simulator.ports[0].ussd_exchange is None
    with pytest.raises(HomeAssistantError) as err:
        await waiting
    assert_error(err.value, "ussd_cancelled")
    assert (await _ussd(hass, code="*100#"))["reply"] == BALANCE  # type: ignore[index]


async def test_port_device_target(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A port device is the port; two of them are too many."""
    ports = [
        device_registry.async_get_device_by_identifier(
            (DOMAIN, f"{SERIAL}-port-{port}"), init_integration.entry_id
        )
        for port in (0, 1)
    ]
    device_ids = [device.id for device in ports if device is not None]

    response = await _ussd(hass, port=None, code="*100#", device_id=device_ids[1])
    assert response == {"port": 2, "code": "*100#", "reply": BALANCE}

    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "send_ussd", {"code": "*100#", "device_id": device_ids})
    assert_error(err.value, "ussd_one_port")


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"port": 1, "code": "*" * 61}, "ussd_too_long", {"size": "61", "max": "60"}),
        ({"port": 1, "code": "*#€" * 15}, "ussd_too_long", {"size": "75", "max": "60"}),
        ({"port": 1}, "ussd_code_required", {}),
        ({"port": 1, "code": "  "}, "ussd_code_required", {}),
        ({"port": 1, "code": "*100\x00#"}, "invalid_ussd_code", {}),
        ({"port": 1, "code": "*100#😀"}, "invalid_ussd_code", {}),
        ({"port": 1, "code": "*1\n00#"}, "invalid_ussd_code", {}),
        ({"code": "*100#"}, "ussd_one_port", {}),
        (
            {"port": 5, "code": "*100#"},
            "invalid_port",
            {"port": "5", "ports": "1, 2, 3, 4"},
        ),
    ],
)
async def test_invalid_input(
    hass: HomeAssistant,
    simulator: Simulator,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Bad input is refused before anything reaches the gateway."""
    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "send_ussd", data)

    assert_error(err.value, key)
    assert err.value.translation_placeholders == placeholders
    assert _requests(simulator, "send_ussd") == 0


async def test_gateway_error(hass: HomeAssistant, simulator: Simulator) -> None:
    """The gateway refusing the request is reported as a gateway error."""
    simulator.faults.error_codes["send_ussd"] = 500

    with pytest.raises(HomeAssistantError) as err:
        await async_call(hass, "send_ussd", {"port": 1, "code": "*100#"})

    assert_error(err.value, "gateway_error")


async def test_failed_reply_poll_ends_the_session(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Reading the reply failing is a gateway error, and the session is torn down."""
    simulator.script_ussd(0, "*999#", None)
    simulator.faults.error_codes["query_ussd_reply"] = 500

    with pytest.raises(HomeAssistantError) as err:
        await _ussd(hass, code="*999#")

    assert_error(err.value, "gateway_error")
    assert simulator.ports[0].ussd_exchange is None
    assert _requests(simulator, "send_ussd") == 2


async def test_reply_after_empty_polls(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Polls that find no reply yet keep waiting until one comes."""
    simulator.script_ussd(0, "*101#", "Slow answer", delay=3000)

    response = await _ussd(hass, code="*101#")

    assert response == {"port": 1, "code": "*101#", "reply": "Slow answer"}
    assert _requests(simulator, "query_ussd_reply") >= 2


async def test_cancel_without_exchange(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Cancel works on a port where nothing is waiting, e.g. a session left by a phone menu."""
    await _ussd(hass, code="*123#")

    response = await async_call(hass, "send_ussd", {"port": 1, "cancel": True})

    assert response == {"port": 1, "cancelled": True}
    assert simulator.ports[0].ussd_menu_open is False


async def test_reply_sensor(
    hass: HomeAssistant,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Each port shows its last USSD reply."""
    await _ussd(hass, code="*100#")

    entity_id = "sensor.port_1_last_ussd_reply"
    assert entity_registry.async_get(entity_id) == snapshot(name="entry")
    assert hass.states.get(entity_id) == snapshot(name="state")


async def test_old_firmware_port_numbering(
    hass: HomeAssistant, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Old firmware answers about port 3 with rows for port 1: still the reply."""
    caplog.set_level(logging.DEBUG, logger="custom_components.dinstar")
    simulator.quirks.ussd_rows_by_position = True

    response = await _ussd(hass, port=2, code="*100#")

    assert response == {"port": 2, "code": "*100#", "reply": BALANCE}
    assert "with a row for port 1" in caplog.text
