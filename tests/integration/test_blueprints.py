"""The blueprints of blueprints/automation/dinstar: they load, and automations made of them act.

Home Assistant reads them from a config directory of the test's own, as it reads a user's
imported blueprints. The SMS ones are driven by dinstar_sms_received events (two also by an
SMS the simulator really receives), the balance check by the integration's send_ussd against
the simulator and by a mocked action at its daily time. Assist is a mocked
conversation.process: its real agent needs libraries the tests do not install.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED
from dinstar_simulator import Simulator
from homeassistant.components.automation.const import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.const import ATTR_ENTITY_ID, STATE_ON
from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .sending import async_enable_push
from .sms_delivery import pushes_done

BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints" / "automation" / DOMAIN
FORWARD = f"{DOMAIN}/forward_sms.yaml"
COMMAND = f"{DOMAIN}/sms_command.yaml"
BALANCE = f"{DOMAIN}/balance_check.yaml"
ASSIST = f"{DOMAIN}/sms_to_assist.yaml"
OWNER = "+4917012345678"
ENTRY_ID = "01JDINSTARGATEWAY0000000000"


@pytest.fixture(autouse=True)
def blueprint_folder(hass: HomeAssistant, tmp_path: Path) -> Path:
    """Give Home Assistant a config directory holding the repository's blueprints."""
    hass.config.config_dir = str(tmp_path)
    folder = tmp_path / "blueprints" / AUTOMATION_DOMAIN / DOMAIN
    shutil.copytree(BLUEPRINTS, folder)
    return folder


@pytest.fixture(autouse=True)
async def turn_automations_off(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Stop the automations at the end: a time trigger stays scheduled until turned off."""
    yield
    if hass.services.has_service(AUTOMATION_DOMAIN, "turn_off"):
        await hass.services.async_call(
            AUTOMATION_DOMAIN, "turn_off", {ATTR_ENTITY_ID: "all"}, blocking=True
        )


async def _automation(hass: HomeAssistant, path: str, inputs: dict[str, Any]) -> None:
    """Set up one automation made of the blueprint at path, and check that it is on."""
    assert await async_setup_component(
        hass,
        AUTOMATION_DOMAIN,
        {
            AUTOMATION_DOMAIN: {
                "id": "under_test",
                "alias": "Under test",
                "use_blueprint": {"path": path, "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get("automation.under_test")
    assert state is not None
    assert state.state == STATE_ON


def _sms(
    text: str, sender: str = OWNER, port: int = 1, entry_id: str = ENTRY_ID
) -> dict[str, Any]:
    """Return the data of a dinstar_sms_received event."""
    return {
        "config_entry_id": entry_id,
        "device_id": None,
        "port": port,
        "sender": sender,
        "text": text,
        "time": "2026-11-24T09:30:00+00:00",
        "smsc": "+491760000443",
        "message_id": 7,
    }


async def _receive(hass: HomeAssistant, data: dict[str, Any]) -> None:
    hass.bus.async_fire(EVENT_SMS_RECEIVED, data)
    await hass.async_block_till_done()


async def test_every_blueprint_loads(
    hass: HomeAssistant, blueprint_folder: Path
) -> None:
    """Home Assistant reads each file as a valid automation blueprint with a name."""
    assert await async_setup_component(hass, "blueprint", {})
    blueprints = await async_get_blueprints(hass).async_get_blueprints()

    expected = {f"{DOMAIN}/{path.name}" for path in blueprint_folder.glob("*.yaml")}
    assert expected == {FORWARD, COMMAND, BALANCE, ASSIST}
    assert set(blueprints) == expected
    for path, blueprint in blueprints.items():
        assert isinstance(blueprint, Blueprint), f"{path}: {blueprint}"
        assert blueprint.domain == AUTOMATION_DOMAIN
        assert blueprint.name
        assert blueprint.metadata["source_url"].endswith(path)


async def test_forward_to_entities_and_an_action(hass: HomeAssistant) -> None:
    """Each SMS goes to the notify entities and the notify action, sender kept intact."""
    to_entities = async_mock_service(hass, "notify", "send_message")
    to_action = async_mock_service(hass, "notify", "my_phone")
    await _automation(
        hass,
        FORWARD,
        {"notify_entities": ["notify.alice"], "notify_service": "notify.my_phone"},
    )

    await _receive(hass, _sms("Gate opened", port=2))

    [entities_call] = to_entities
    assert entities_call.data == {
        ATTR_ENTITY_ID: ["notify.alice"],
        "title": f"SMS from {OWNER} (port 2)",
        "message": "Gate opened",
    }
    [action_call] = to_action
    assert action_call.data == {
        "title": f"SMS from {OWNER} (port 2)",
        "message": "Gate opened",
    }


async def test_forward_filters(hass: HomeAssistant) -> None:
    """Gateway, port and sender filters let only matching SMS through; templates apply."""
    calls = async_mock_service(hass, "notify", "my_phone")
    await _automation(
        hass,
        FORWARD,
        {
            "notify_service": "notify.my_phone",
            "gateway": ENTRY_ID,
            "ports": ["1", "3"],
            "senders": ["+49 170 1234 5678", "Bank"],
            "title": "From {{ sms.sender }}",
            "message": "{{ sms.port }}: {{ sms.text }}",
        },
    )

    await _receive(hass, _sms("wrong port", port=2))
    await _receive(hass, _sms("unknown sender", sender="+491601234567"))
    await _receive(hass, _sms("other gateway", entry_id="01JOTHERGATEWAY000000000000"))
    assert not calls

    await _receive(hass, _sms("Your code is 1234", sender="Bank", port=3))
    await _receive(hass, _sms("on port 1"))

    assert [call.data for call in calls] == [
        {"title": "From Bank", "message": "3: Your code is 1234"},
        {"title": f"From {OWNER}", "message": "1: on port 1"},
    ]


async def test_forward_an_sms_the_gateway_received(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """An SMS that reaches the simulated gateway is forwarded once, by push."""
    calls = async_mock_service(hass, "notify", "my_phone")
    await _automation(hass, FORWARD, {"notify_service": "notify.my_phone"})
    await async_enable_push(hass_client_no_auth, simulator, init_integration)

    simulator.deliver_sms(1, "+4915112345678", "Your parcel arrives today.")
    await pushes_done(hass, simulator)

    assert [call.data for call in calls] == [
        {
            "title": "SMS from +4915112345678 (port 2)",
            "message": "Your parcel arrives today.",
        }
    ]


async def test_command_runs_actions_and_replies(hass: HomeAssistant) -> None:
    """The command from an allowed sender runs the actions and answers through its port."""
    opened = async_mock_service(hass, "test", "open_garage")
    replies = async_mock_service(hass, DOMAIN, "send_sms")
    await _automation(
        hass,
        COMMAND,
        {
            "command": "Open garage",
            "allowed_senders": [OWNER],
            "actions": [{"action": "test.open_garage"}],
            "reply": "Done: {{ sms.text | trim }}",
        },
    )

    await _receive(hass, _sms("  open GARAGE ", port=2))

    assert len(opened) == 1
    [reply] = replies
    assert reply.data == {
        "config_entry_id": ENTRY_ID,
        "recipients": [OWNER],
        "ports": [2],
        "message": "Done: open GARAGE",
    }


@pytest.mark.parametrize(
    ("sender", "text"),
    [
        ("+4917099999999", "open garage"),  # not allowed
        (OWNER, "open garage now"),  # more than the command
        (OWNER, "close garage"),
        (OWNER, "1234"),  # a number, not text, once templated
    ],
)
async def test_command_ignores_other_sms(
    hass: HomeAssistant, sender: str, text: str
) -> None:
    """Other senders and other texts run nothing and get no reply."""
    opened = async_mock_service(hass, "test", "open_garage")
    replies = async_mock_service(hass, DOMAIN, "send_sms")
    await _automation(
        hass,
        COMMAND,
        {
            "command": "open garage",
            "allowed_senders": [OWNER],
            "actions": [{"action": "test.open_garage"}],
            "reply": "Done",
        },
    )

    await _receive(hass, _sms(text, sender=sender))

    assert not opened
    assert not replies


async def test_command_with_arguments(hass: HomeAssistant) -> None:
    """With "starts with", the rest of the SMS reaches the actions; no reply by default."""
    heating = async_mock_service(hass, "test", "set_heating")
    replies = async_mock_service(hass, DOMAIN, "send_sms")
    await _automation(
        hass,
        COMMAND,
        {
            "command": "heating",
            "allowed_senders": ["+49 170 1234 5678"],
            "match": "starts_with",
            "actions": [
                {
                    "action": "test.set_heating",
                    "data": {"temperature": "{{ arguments }}"},
                }
            ],
        },
    )

    await _receive(hass, _sms("Heating 21.5"))
    await _receive(hass, _sms("heatingoff"))

    assert [call.data for call in heating] == [{"temperature": 21.5}]
    assert not replies


async def _balance_automation(
    hass: HomeAssistant, entry_id: str, **inputs: Any
) -> list[ServiceCall]:
    """Set up a balance check of port 1 that alerts notify.my_phone; return its calls."""
    alerts: list[ServiceCall] = async_mock_service(hass, "notify", "my_phone")
    await _automation(
        hass,
        BALANCE,
        {
            "gateway": entry_id,
            "port": 1,
            "notify_service": "notify.my_phone",
            **inputs,
        },
    )
    return alerts


async def _run_now(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        AUTOMATION_DOMAIN,
        "trigger",
        {ATTR_ENTITY_ID: "automation.under_test"},
        blocking=True,
    )
    await hass.async_block_till_done()


async def test_balance_below_threshold_alerts(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The gateway's *100# reply of 12.50 EUR is below 20: one alert with the reply."""
    await async_enable_push(hass_client_no_auth, simulator, init_integration)
    alerts = await _balance_automation(hass, init_integration.entry_id, threshold=20)

    await _run_now(hass)

    [alert] = alerts
    assert alert.data == {
        "title": "SIM balance, port 1",
        "message": "The balance of the SIM in port 1 is 12.5, below 20. The network"
        " replied: Your balance is 12.50 EUR. Valid until 2027-01-31.",
    }
    state = hass.states.get("sensor.port_1_last_ussd_reply")
    assert state is not None
    assert state.state.startswith("Your balance is 12.50 EUR")


async def test_balance_above_threshold_is_quiet(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """12.50 EUR is not below 5: no alert."""
    await async_enable_push(hass_client_no_auth, simulator, init_integration)
    alerts = await _balance_automation(hass, init_integration.entry_id)

    await _run_now(hass)

    assert not alerts


async def test_balance_reply_without_a_number(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A reply without a balance is a failed check: alerted unless told otherwise."""
    await async_enable_push(hass_client_no_auth, simulator, init_integration)
    simulator.script_ussd(None, "*100#", "Service unavailable.", delay=0.1)
    alerts = await _balance_automation(hass, init_integration.entry_id)

    await _run_now(hass)

    [alert] = alerts
    assert alert.data["message"] == (
        "The balance check on port 1 (*100#) failed. The network replied:"
        " Service unavailable."
    )


async def test_balance_check_failing_action(hass: HomeAssistant) -> None:
    """An error of send_ussd (port not registered, no reply) is reported as a failed check."""
    entry = MockConfigEntry(domain=DOMAIN, entry_id=ENTRY_ID)
    entry.add_to_hass(hass)
    ussd = async_mock_service(
        hass,
        DOMAIN,
        "send_ussd",
        response={},
        raise_exception=HomeAssistantError("no reply"),
    )
    alerts = await _balance_automation(hass, ENTRY_ID, notify_on_failure=True)

    await _run_now(hass)

    assert len(ussd) == 1
    [alert] = alerts
    assert alert.data["message"] == (
        "The balance check on port 1 (*100#) failed. The network gave no reply."
    )


async def test_balance_check_runs_daily_at_its_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """At the chosen time the code is sent; a comma balance below the threshold alerts."""
    freezer.move_to(datetime(2026, 11, 24, 6, 59, 59, tzinfo=dt_util.UTC))
    await hass.config.async_set_time_zone("UTC")
    entry = MockConfigEntry(domain=DOMAIN, entry_id=ENTRY_ID)
    entry.add_to_hass(hass)
    ussd = async_mock_service(
        hass,
        DOMAIN,
        "send_ussd",
        response={"port": 2, "code": "*101#", "reply": "Guthaben: 3,20 EUR"},
    )
    alerts = await _balance_automation(
        hass,
        ENTRY_ID,
        port=2,
        code="*101#",
        time="07:00:00",
        threshold=4.5,
        notify_on_failure=False,
    )

    freezer.move_to(datetime(2026, 11, 24, 7, 0, 0, tzinfo=dt_util.UTC))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    [call] = ussd
    assert call.data == {"config_entry_id": ENTRY_ID, "port": 2, "code": "*101#"}
    [alert] = alerts
    assert alert.data["message"].startswith(
        "The balance of the SIM in port 2 is 3.2, below 4.5."
    )


def _assist(hass: HomeAssistant, speech: str) -> list[ServiceCall]:
    """Let conversation.process answer every request with speech; return its calls."""
    return async_mock_service(
        hass,
        "conversation",
        "process",
        response={
            "response": {
                "speech": {"plain": {"speech": speech, "extra_data": None}},
                "language": "en",
                "response_type": "action_done",
                "data": {"targets": [], "success": [], "failed": []},
            },
            "conversation_id": None,
            "continue_conversation": False,
        },
        supports_response=SupportsResponse.OPTIONAL,
    )


async def test_assist_answers_an_sms_the_gateway_received(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """An allowed sender's SMS goes to Assist; its answer goes back on the same port."""
    requests = _assist(hass, "Turned on the heating")
    sender = "+4915112345678"
    await _automation(hass, ASSIST, {"allowed_senders": [sender]})
    await async_enable_push(hass_client_no_auth, simulator, init_integration)

    simulator.deliver_sms(1, sender, " Turn on the heating ")
    await pushes_done(hass, simulator)
    await simulator.wait_idle()

    assert [call.data for call in requests] == [
        {"agent_id": "conversation.home_assistant", "text": "Turn on the heating"}
    ]
    [answer] = simulator.sent
    assert (answer.number, answer.port, answer.text) == (
        sender,
        1,
        "Turned on the heating",
    )


async def test_assist_with_prefix_agent_and_long_answer(hass: HomeAssistant) -> None:
    """The prefix is taken off before Assist hears the SMS; a long answer is cut."""
    requests = _assist(hass, "x" * 500)
    replies = async_mock_service(hass, DOMAIN, "send_sms")
    await _automation(
        hass,
        ASSIST,
        {
            "allowed_senders": ["+49 170 1234 5678"],
            "prefix": "HA",
            "agent": "conversation.my_llm",
            "max_length": 160,
            "gateway": ENTRY_ID,
        },
    )

    await _receive(hass, _sms("ha  Is the garage open?", port=3))

    assert [call.data for call in requests] == [
        {"agent_id": "conversation.my_llm", "text": "Is the garage open?"}
    ]
    [reply] = replies
    assert reply.data == {
        "config_entry_id": ENTRY_ID,
        "recipients": [OWNER],
        "ports": [3],
        "message": "x" * 159 + "…",
    }


@pytest.mark.parametrize(
    ("sender", "text", "entry_id"),
    [
        ("+4917099999999", "HA open the gate", ENTRY_ID),  # not allowed
        (OWNER, "open the gate", ENTRY_ID),  # without the prefix
        (OWNER, "HA ", ENTRY_ID),  # nothing to ask
        (OWNER, "HA open the gate", "01JOTHERGATEWAY000000000000"),
    ],
)
async def test_assist_ignores_other_sms(
    hass: HomeAssistant, sender: str, text: str, entry_id: str
) -> None:
    """Other senders, other gateways and SMS without the prefix reach nobody."""
    requests = _assist(hass, "Done")
    replies = async_mock_service(hass, DOMAIN, "send_sms")
    await _automation(
        hass,
        ASSIST,
        {"allowed_senders": [OWNER], "prefix": "HA", "gateway": ENTRY_ID},
    )

    await _receive(hass, _sms(text, sender=sender, entry_id=entry_id))

    assert not requests
    assert not replies


async def test_assist_without_an_answer_sends_nothing(hass: HomeAssistant) -> None:
    """An agent that says nothing gets no SMS sent."""
    requests = _assist(hass, "")
    replies = async_mock_service(hass, DOMAIN, "send_sms")
    await _automation(hass, ASSIST, {"allowed_senders": [OWNER]})

    await _receive(hass, _sms("Hello?"))

    assert len(requests) == 1
    assert not replies
