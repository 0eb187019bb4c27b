"""Tests of the push receiver: delivery at once, de-duplication, refusals, dispatch."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.dinstar.const import CONF_URL, DOMAIN
from custom_components.dinstar.inbox import (
    EVENT_SMS_RECEIVED,
    POLL_INTERVAL,
    PUSH_POLL_INTERVAL,
)
from custom_components.dinstar.webhook import MAX_PUSH_BYTES
from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from homeassistant.components import webhook
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    EVENT_HOMEASSISTANT_STARTED,
)
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.setup import async_setup_component

from .conftest import PASSWORD, SERIAL, USERNAME
from .sms_delivery import (
    advance,
    connect_push,
    message_ids,
    pushes_done,
    saved,
    setup_entry,
)

SENDER = "+4915112345678"


async def _push_ready(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Set the gateway up and let it push to Home Assistant."""
    await setup_entry(hass, config_entry)
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)


async def test_webhook_registered_local_post_only(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """The entry's webhook takes local POSTs, under the id the config flow made."""
    webhook_id = config_entry.data[CONF_WEBHOOK_ID]
    await setup_entry(hass, config_entry)

    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "webhook/list"})
    response = await client.receive_json()
    assert {
        "webhook_id": webhook_id,
        "domain": DOMAIN,
        "name": config_entry.title,
        "local_only": True,
        "allowed_methods": ["POST"],
    } in response["result"]

    # A reload keeps the id the gateway was given.
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.data[CONF_WEBHOOK_ID] == webhook_id


async def test_push_delivers_at_once_and_poll_adds_nothing(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A pushed SMS fires before any poll, and the poll that sees it fires nothing."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    polls = len(simulator.requests)

    message_id = simulator.deliver_sms(1, SENDER, "pushed")
    await pushes_done(hass, simulator)
    assert message_ids(events) == [message_id]
    assert len(simulator.requests) == polls
    assert hass.states.get("event.port_2_messages").attributes["text"] == "pushed"
    assert hass.states.get("sensor.port_2_sms_received").state == "1"

    # The same push once more (a retrying gateway) fires nothing either.
    again = {"sn": SERIAL, "sms": [simulator.inbox[-1].as_row()]}
    assert await simulator.push(again) == HTTPStatus.OK
    await hass.async_block_till_done(wait_background_tasks=True)
    assert message_ids(events) == [message_id]

    await advance(hass, freezer)
    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    assert len(simulator.requests) > polls
    assert message_ids(events) == [message_id]
    assert hass.states.get("sensor.port_2_sms_received").state == "1"


async def test_late_push_of_a_polled_message(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A push that arrives after the poll delivered its SMS fires nothing."""
    await setup_entry(hass, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    message_id = simulator.deliver_sms(0, SENDER, "polled first")
    await advance(hass, freezer)
    assert message_ids(events) == [message_id]

    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    late = {"sn": SERIAL, "sms": [simulator.inbox[-1].as_row()]}
    assert await simulator.push(late) == HTTPStatus.OK
    await hass.async_block_till_done(wait_background_tasks=True)
    assert message_ids(events) == [message_id]


async def test_lost_push_recovered_by_polling(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """While pushes arrive polls are rare; a lost push is still delivered by one."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    first = simulator.deliver_sms(0, SENDER, "pushed")
    await pushes_done(hass, simulator)
    await advance(hass, freezer)

    simulator.faults.lose_pushes = True
    lost = simulator.deliver_sms(0, SENDER, "push lost")
    await advance(hass, freezer, POLL_INTERVAL)
    assert message_ids(events) == [first]
    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    assert message_ids(events) == [first, lost]

    # Pushes no longer seem to arrive: poll often again.
    also_lost = simulator.deliver_sms(0, SENDER, "push lost too")
    await advance(hass, freezer, POLL_INTERVAL)
    assert message_ids(events) == [first, lost, also_lost]


async def test_push_pace_survives_a_restart(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Once pushes brought SMS, a reloaded gateway keeps polling slowly from the start."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    simulator.deliver_sms(0, SENDER, "pushed")
    await pushes_done(hass, simulator)
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass_storage[f"{DOMAIN}.{config_entry.entry_id}.inbox"]["data"]["push_works"]

    def inbox_polls() -> int:
        return sum(r.path == "/api/query_incoming_sms" for r in simulator.requests)

    polls = inbox_polls()
    await advance(hass, freezer, POLL_INTERVAL)
    await advance(hass, freezer, POLL_INTERVAL)
    assert inbox_polls() == polls
    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    assert inbox_polls() == polls + 1


async def test_thousand_messages_at_once(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """1,000 SMS arriving together, pushed and polled at once, fire once each, in order."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)

    ids = [simulator.deliver_sms(n % 4, SENDER, f"burst {n}") for n in range(1000)]
    await advance(hass, freezer)
    await pushes_done(hass, simulator)
    await advance(hass, freezer, PUSH_POLL_INTERVAL)

    assert message_ids(events) == ids
    assert hass.states.get("sensor.port_1_sms_received").state == "250"


async def test_refused_pushes(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Foreign, malformed, unknown, oversized and non-POST pushes change nothing."""
    await setup_entry(hass, config_entry)
    # Diagnostics' HTTP view must exist before the test server starts.
    assert await async_setup_component(hass, "diagnostics", {})
    client = await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    row = {
        "incoming_sms_id": 1,
        "port": 0,
        "number": SENDER,
        "smsc": "+8613800757511",
        "timestamp": "2026-01-15 12:30:00",
        "text": "forged",
    }

    refused = {
        "foreign_serial": {"sn": "dd45-1014-8440-0030", "sms": [row]},
        "malformed": b'{"sn": "' + SERIAL.encode() + b'", "sms": [{',
        "unknown_event": {"sn": SERIAL, "missed_call": [{"port": 0}]},
        "oversized": {"sn": SERIAL, "sms": [{**row, "text": "x" * MAX_PUSH_BYTES}]},
    }
    for reason, payload in refused.items():
        status = await simulator.push(payload)
        assert status >= HTTPStatus.BAD_REQUEST, reason
    # Also malformed: valid JSON that is no push, and an SMS without its id.
    assert await simulator.push(b"[1, 2]") == HTTPStatus.BAD_REQUEST
    no_id = {
        "sn": SERIAL,
        "sms": [{k: v for k, v in row.items() if k != "incoming_sms_id"}],
    }
    assert await simulator.push(no_id) == HTTPStatus.BAD_REQUEST
    # A pushed body without the serial is not this gateway's either.
    assert await simulator.push({"sms": [row]}) == HTTPStatus.FORBIDDEN
    # Webhooks answer GET like any unsupported method.
    response = await client.get(
        webhook.async_generate_path(config_entry.data[CONF_WEBHOOK_ID])
    )
    assert response.status == HTTPStatus.METHOD_NOT_ALLOWED
    await hass.async_block_till_done(wait_background_tasks=True)
    assert events == []

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    assert diagnostics["push"]["accepted"] == 0
    assert diagnostics["push"]["rejected"] == {
        "foreign_serial": 2,
        "malformed": 3,
        "unknown_event": 1,
        "oversized": 1,
    }
    assert diagnostics["inbox"]["high_water_mark"] == 0

    # The gateway's own pushes still get through.
    message_id = simulator.deliver_sms(0, SENDER, "genuine")
    await pushes_done(hass, simulator)
    assert message_ids(events) == [message_id]


async def test_register_device_and_exception_pushes_refresh_ports(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """A SIM change, a reboot and a port exception update the ports right away."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)

    def port_polls() -> int:
        return sum(
            r.path == "/api/get_port_info" and r.status == HTTPStatus.OK
            for r in simulator.requests
        )

    before = port_polls()
    simulator.set_profile(0, SimProfile.NO_SIM)
    await pushes_done(hass, simulator)
    assert port_polls() == before + 1
    assert hass.states.get("sensor.port_1_registration").state == "no_sim"

    # The refresh after a push waits out the port poll's cooldown.
    await simulator.reboot()
    await pushes_done(hass, simulator)
    await advance(hass, None, timedelta(seconds=11))
    assert port_polls() == before + 2

    exception = {"sn": SERIAL, "exception_info": {"port": 0, "type": "call_fail"}}
    assert await simulator.push(exception) == HTTPStatus.OK
    await advance(hass, None, timedelta(seconds=11))
    assert port_polls() == before + 3


async def test_send_results_reach_the_outbox(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Pushed results of a sent SMS go to the sending side through the webhook."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    statuses = async_capture_events(hass, "dinstar_sms_status")
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "config_entry_id": config_entry.entry_id,
            "recipients": [SENDER],
            "message": "hi",
        },
        blocking=True,
        return_response=True,
    )
    results_before = sum(r.path == "/api/query_sms_result" for r in simulator.requests)
    await pushes_done(hass, simulator)

    assert "delivered" in [event.data["status"] for event in statuses]
    # Pushes told the outbox; it asked the gateway nothing.
    assert (
        sum(r.path == "/api/query_sms_result" for r in simulator.requests)
        == results_before
    )


async def test_ids_going_backwards_noticed_from_a_push(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A pushed id the reader is past, and does not know, makes it look at once."""
    for number in range(5):
        simulator.deliver_sms(0, SENDER, f"old {number}")
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await advance(hass, freezer)

    await simulator.reboot(reset_ids=True)
    first = simulator.deliver_sms(1, SENDER, "after the reset")
    # The push makes the reader poll now, not at its next turn.
    await pushes_done(hass, simulator)
    await saved(hass)
    assert first == 1
    assert message_ids(events) == [first]

    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    assert message_ids(events) == [first]


async def test_ids_going_backwards_before_any_poll(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Pushed ids reused by a reset before a poll confirmed them still deliver once."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    old = [simulator.deliver_sms(0, SENDER, f"old {n}") for n in range(3)]
    await pushes_done(hass, simulator)

    await simulator.reboot(reset_ids=True)
    simulator.faults.lose_pushes = True
    new = [simulator.deliver_sms(1, SENDER, f"new {n}") for n in range(2)]
    simulator.faults.lose_pushes = False
    assert new == old[:2]
    # The third new message reuses a pushed id too, and its push arrives.
    third = simulator.deliver_sms(1, SENDER, "new 2")
    await pushes_done(hass, simulator)
    await advance(hass, freezer, PUSH_POLL_INTERVAL)

    assert [event.data["text"] for event in events] == [
        "old 0",
        "old 1",
        "old 2",
        "new 2",
        "new 0",
        "new 1",
    ]
    assert message_ids(events)[3] == third
    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    assert len(events) == 6


async def test_reset_after_pushed_messages_above_the_mark(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Ids pushed before a reset the poll then notices never hide new messages."""
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    polled = [simulator.deliver_sms(0, SENDER, f"polled {n}") for n in range(3)]
    await pushes_done(hass, simulator)
    await advance(hass, freezer, POLL_INTERVAL)
    pushed = [simulator.deliver_sms(0, SENDER, f"pushed {n}") for n in range(2)]
    await pushes_done(hass, simulator)
    assert message_ids(events) == [*polled, *pushed]

    # The gateway resets; its new messages come without pushes, and reach
    # the ids pushed above the old mark.
    await simulator.reboot(reset_ids=True)
    simulator.faults.lose_pushes = True
    new = [simulator.deliver_sms(1, SENDER, f"new {n}") for n in range(7)]
    await advance(hass, freezer, PUSH_POLL_INTERVAL)
    assert message_ids(events) == [*polled, *pushed, *new]
    await advance(hass, freezer, POLL_INTERVAL)
    assert len(events) == 12


async def test_push_before_home_assistant_started(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """A push during start-up waits, like polls, for automations to listen."""
    hass.set_state(CoreState.starting)
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    message_id = simulator.deliver_sms(0, SENDER, "during start-up")
    await pushes_done(hass, simulator)
    assert events == []

    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert message_ids(events) == [message_id]


async def test_webhook_removed_on_unload(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """After unloading, nothing listens at the webhook and pushes change nothing."""
    await setup_entry(hass, config_entry)
    client = await hass_ws_client(hass)
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()

    await client.send_json_auto_id({"type": "webhook/list"})
    response = await client.receive_json()
    assert config_entry.data[CONF_WEBHOOK_ID] not in [
        hook["webhook_id"] for hook in response["result"]
    ]
    simulator.deliver_sms(0, SENDER, "nobody listens")
    await pushes_done(hass, simulator)
    await saved(hass)
    assert events == []


async def test_webhook_url_shown(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """The options dialog shows the URL to enter; diagnostics show it without the id."""
    await setup_entry(hass, config_entry)
    webhook_id = config_entry.data[CONF_WEBHOOK_ID]

    # Home Assistant knows no address of its own: the user fills it in.
    api, hass.config.api = hass.config.api, None
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["description_placeholders"] == {
        "webhook_url": f"http://<home-assistant-address>:8123/api/webhook/{webhook_id}"
    }
    hass.config.api = api

    await async_process_ha_core_config(
        hass, {"internal_url": "http://192.168.1.20:8123"}
    )
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["description_placeholders"] == {
        "webhook_url": f"http://192.168.1.20:8123/api/webhook/{webhook_id}"
    }
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    assert diagnostics["push"]["url"] == (
        "http://192.168.1.20:8123/api/webhook/**REDACTED**"
    )
    assert webhook_id not in str(diagnostics)


async def test_gateway_without_serial_number(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Firmware too old for a serial pushes without one, and is heard."""
    async with Simulator(
        SimulatorConfig(
            username=USERNAME, password=PASSWORD, serial=None, clock_speed=1000.0
        )
    ) as simulator:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="Dinstar 192.0.2.1",
            unique_id=f"imei-{simulator.ports[0].imei}",
            data={
                CONF_URL: simulator.url,
                CONF_USERNAME: USERNAME,
                CONF_PASSWORD: PASSWORD,
                CONF_VERIFY_SSL: False,
            },
        )
        await _push_ready(hass, hass_client_no_auth, simulator, entry)
        events = async_capture_events(hass, EVENT_SMS_RECEIVED)
        message_id = simulator.deliver_sms(0, SENDER, "from 2017")
        await pushes_done(hass, simulator)
        assert message_ids(events) == [message_id]
        assert await simulator.push({"sn": SERIAL, "sms": []}) == HTTPStatus.FORBIDDEN
        assert await hass.config_entries.async_unload(entry.entry_id)


async def test_last_push_sensor(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The gateway's Last push shows when a push got through; refused ones do not count."""
    freezer.move_to("2026-01-15T11:30:00+00:00")
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    entity_id = "sensor.dinstar_da00_0030_1901_2817_last_push"
    assert hass.states.get(entity_id).state == "unknown"

    assert await simulator.push({"sn": "dd45-1014-8440-0030", "ussd": []}) >= 400
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == "unknown"

    simulator.deliver_sms(1, SENDER, "pushed")
    await pushes_done(hass, simulator)
    assert hass.states.get(entity_id).state == "2026-01-15T11:30:00+00:00"


@pytest.mark.parametrize("pushed_before", [True, False])
async def test_last_push_sensor_after_a_restart(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    pushed_before: bool,
) -> None:
    """After a reload (or restart), Last push shows the last push before it, until the next."""
    freezer.move_to("2026-01-15T09:00:00+00:00")
    entity_id = "sensor.dinstar_da00_0030_1901_2817_last_push"
    await _push_ready(hass, hass_client_no_auth, simulator, config_entry)
    if pushed_before:
        simulator.deliver_sms(1, SENDER, "before")
        await pushes_done(hass, simulator)
    before = hass.states.get(entity_id).state
    assert before == ("2026-01-15T09:00:00+00:00" if pushed_before else "unknown")

    freezer.move_to("2026-01-15T11:30:00+00:00")
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == before

    simulator.deliver_sms(1, SENDER, "after")
    await pushes_done(hass, simulator)
    assert hass.states.get(entity_id).state == "2026-01-15T11:30:00+00:00"
