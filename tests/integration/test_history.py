"""The message history through Home Assistant's websocket API."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from copy import deepcopy
from datetime import timedelta
from typing import Any

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
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.dinstar.const import (
    CONF_HISTORY_MAX_DAYS,
    CONF_HISTORY_MAX_MESSAGES,
    DOMAIN,
)
from custom_components.dinstar.history import SAVE_DELAY
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED
from custom_components.dinstar.outbox import EVENT_SMS_STATUS
from dinstar_simulator import Simulator, SimulatorConfig
from homeassistant.config_entries import ConfigEntryDisabler
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .conftest import PASSWORD, USERNAME, earlier_home_assistant, entry_for
from .sending import NUMBER, async_enable_push, async_send
from .sms_delivery import advance, message_ids, saved, setup_entry

ALICE = "+4915112345678"
BOB = "+4915187654321"


def _same_entry(entry: MockConfigEntry, **options: object) -> MockConfigEntry:
    """Return the entry as the next Home Assistant run loads it from disk."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        entry_id=entry.entry_id,
        data=dict(entry.data),
        options={**entry.options, **options},
    )


# Events a command's handler sent before its result, by client.
_early_events: dict[int, list[dict[str, Any]]] = {}


async def _reply(client: MockHAClientWebSocket, msg: dict[str, Any]) -> Any:
    """Send a command and return its reply, keeping events sent before it."""
    await client.send_json_auto_id(msg)
    while (reply := await client.receive_json())["type"] == "event":
        _early_events.setdefault(id(client), []).append(reply)
    return reply


async def _event(client: MockHAClientWebSocket) -> Any:
    """Return the next event of a subscription."""
    if early := _early_events.get(id(client)):
        return early.pop(0)
    return await client.receive_json()


async def _command(client: MockHAClientWebSocket, **msg: Any) -> Any:
    """Send a command and return its result, asserting success."""
    reply = await _reply(client, msg)
    assert reply["success"], reply
    return reply["result"]


async def _error(client: MockHAClientWebSocket, **msg: Any) -> dict[str, Any]:
    reply = await _reply(client, msg)
    assert not reply["success"]
    return dict(reply["error"])


async def _history_saved(hass: HomeAssistant) -> None:
    """Let the history's delayed write happen."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=SAVE_DELAY))
    await hass.async_block_till_done()


async def _conversations(client: MockHAClientWebSocket, **msg: Any) -> Any:
    return await _command(client, type="dinstar/history/conversations", **msg)


async def _messages(
    client: MockHAClientWebSocket, entry: MockConfigEntry, number: str, **msg: Any
) -> Any:
    return await _command(
        client,
        type="dinstar/history/messages",
        entry_id=entry.entry_id,
        number=number,
        **msg,
    )


def _texts(page: dict[str, Any]) -> list[str]:
    return [message["text"] for message in page["messages"]]


@pytest.fixture
async def client(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> MockHAClientWebSocket:
    """Return a websocket client of an administrator."""
    return await hass_ws_client(hass)


async def test_conversations_and_pages(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
) -> None:
    """Conversations by phone, newest first; a conversation page by page."""
    for n in range(5):
        simulator.deliver_sms(n % 2, ALICE, f"alice {n}")
    await advance(hass, None)
    simulator.deliver_sms(1, BOB, "bob")
    await advance(hass, None)
    # The same phone without + is the same conversation.
    simulator.deliver_sms(0, ALICE.removeprefix("+"), "alice 5")
    await advance(hass, None)

    result = await _conversations(client)
    assert [c["number"] for c in result["conversations"]] == [
        ALICE.removeprefix("+"),
        BOB,
    ]
    assert [c["unread"] for c in result["conversations"]] == [6, 1]
    assert result["total"] == 2
    assert result["unread"] == 7
    alice = result["conversations"][0]
    assert alice["entry_id"] == init_integration.entry_id
    assert alice["last"] == {
        "id": 7,
        "direction": "in",
        "number": ALICE.removeprefix("+"),
        "port": 1,
        "text": "alice 5",
        "time": alice["last"]["time"],
        "status": None,
        "tracking_id": None,
    }
    # Paged: never the whole list.
    result = await _conversations(client, offset=1, limit=1)
    assert [c["number"] for c in result["conversations"]] == [BOB]

    first = await _messages(client, init_integration, ALICE, limit=4)
    assert _texts(first) == ["alice 5", "alice 4", "alice 3", "alice 2"]
    assert first["has_more"]
    rest = await _messages(
        client, init_integration, ALICE, limit=4, before=first["messages"][-1]["id"]
    )
    assert _texts(rest) == ["alice 1", "alice 0"]
    assert not rest["has_more"]
    assert [m["port"] for m in rest["messages"]] == [2, 1]


async def test_sent_messages_and_their_status(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
) -> None:
    """A sent SMS is in its conversation with its status as it changes, told live."""
    await async_enable_push(hass_client_no_auth, simulator, init_integration)
    await client.send_json_auto_id({"type": "dinstar/history/subscribe"})
    subscription = (await client.receive_json())["id"]
    # A delivery report saying "still trying" changes no status.
    simulator.set_delivery_outcome(NUMBER, status_codes=(33, 0))

    status_events = async_capture_events(hass, EVENT_SMS_STATUS)
    response = await async_send(hass, message="Gate is open")
    tracking_id = response["messages"][0]["tracking_id"]
    event = await _event(client)
    assert event["id"] == subscription
    assert event["event"]["type"] == "message"
    assert event["event"]["entry_id"] == init_integration.entry_id
    sent = event["event"]["message"]
    assert sent["direction"] == "out"
    assert sent["text"] == "Gate is open"
    assert sent["status"] == "sending"
    assert sent["tracking_id"] == tracking_id

    await simulator.wait_idle()
    await hass.async_block_till_done()
    assert [event.data["tp_status"] for event in status_events] == [None, 33, 0]
    statuses = []
    while len(statuses) < 2:
        event = await _event(client)
        assert event["event"]["type"] == "status"
        assert event["event"]["message"]["id"] == sent["id"]
        statuses.append(event["event"]["message"]["status"])
    assert statuses == ["sent", "delivered"]

    page = await _messages(client, init_integration, NUMBER)
    [message] = page["messages"]
    assert message["status"] == "delivered"
    assert message["port"] == 1
    # Sent messages are never unread.
    [conversation] = (await _conversations(client))["conversations"]
    assert conversation["unread"] == 0


async def test_read_state(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
) -> None:
    """Marking read, up to a message or all, is kept and told to subscribers."""
    for n in range(3):
        simulator.deliver_sms(0, ALICE, f"alice {n}")
    await advance(hass, None)
    page = await _messages(client, init_integration, ALICE)
    oldest = page["messages"][-1]["id"]

    await client.send_json_auto_id(
        {"type": "dinstar/history/subscribe", "entry_id": init_integration.entry_id}
    )
    await _event(client)
    result = await _command(
        client,
        type="dinstar/history/mark_read",
        entry_id=init_integration.entry_id,
        number=ALICE,
        up_to=oldest,
    )
    assert result == {"unread": 2}
    event = await _event(client)
    assert event["event"] == {
        "entry_id": init_integration.entry_id,
        "type": "read",
        "number": ALICE,
        "key": ALICE.removeprefix("+"),
        "unread": 2,
    }
    # Marking read is never undone by an older mark.
    result = await _command(
        client,
        type="dinstar/history/mark_read",
        entry_id=init_integration.entry_id,
        number=ALICE,
        up_to=1,
    )
    assert result == {"unread": 2}
    await _event(client)
    result = await _command(
        client,
        type="dinstar/history/mark_read",
        entry_id=init_integration.entry_id,
        number=ALICE.removeprefix("+"),
    )
    assert result == {"unread": 0}
    await _event(client)

    simulator.deliver_sms(0, ALICE, "alice 3")
    await advance(hass, None)
    [conversation] = (await _conversations(client))["conversations"]
    assert conversation["unread"] == 1


async def test_history_across_a_restart(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Messages and read state are kept across restarts and reloads."""
    async with earlier_home_assistant(hass) as first:
        await setup_entry(first, _same_entry(config_entry))
        simulator.deliver_sms(0, ALICE, "before the restart")
        simulator.deliver_sms(0, BOB, "also before")
        await advance(first, None)
        await first.async_stop()

    await setup_entry(hass, _same_entry(config_entry))
    client = await hass_ws_client(hass)
    result = await _conversations(client)
    assert [(c["number"], c["unread"]) for c in result["conversations"]] == [
        (BOB, 1),
        (ALICE, 1),
    ]
    await _command(
        client,
        type="dinstar/history/mark_read",
        entry_id=config_entry.entry_id,
        number=BOB,
    )
    simulator.deliver_sms(0, ALICE, "after the restart")
    await advance(hass, None)
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    result = await _conversations(client)
    assert [(c["number"], c["unread"]) for c in result["conversations"]] == [
        (ALICE, 2),
        (BOB, 0),
    ]
    page = await _messages(client, config_entry, ALICE)
    assert _texts(page) == ["after the restart", "before the restart"]
    assert [m["id"] for m in page["messages"]] == [3, 1]


async def test_nothing_recorded_twice(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """An SMS the inbox delivers again after a crash is in the history once."""
    async with earlier_home_assistant(hass) as first:
        await setup_entry(first, _same_entry(config_entry))
        await saved(first)
        inbox_key = f"{DOMAIN}.{config_entry.entry_id}.inbox"
        before = deepcopy(hass_storage[inbox_key])
        simulator.deliver_sms(0, ALICE, "once")
        await advance(first, None)
        await first.async_stop()
    # A power cut after the history's write and before the inbox's.
    hass_storage[inbox_key] = before

    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await setup_entry(hass, _same_entry(config_entry))
    await advance(hass, None)
    assert len(message_ids(events)) == 1
    client = await hass_ws_client(hass)
    page = await _messages(client, config_entry, ALICE)
    assert _texts(page) == ["once"]


async def test_retention(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """The history keeps as many messages and days as the options say."""
    entry = _same_entry(
        config_entry, **{CONF_HISTORY_MAX_MESSAGES: 10, CONF_HISTORY_MAX_DAYS: 7}
    )
    await setup_entry(hass, entry)
    client = await hass_ws_client(hass)
    simulator.deliver_sms(0, BOB, "old")
    await advance(hass, freezer)
    await async_send(hass, message="old too")
    freezer.tick(timedelta(days=6))
    for n in range(11):
        simulator.deliver_sms(0, ALICE, f"alice {n}")
    await advance(hass, freezer)
    # Bob's only message and the sent one went, and with them their conversations.
    result = await _conversations(client)
    assert [c["number"] for c in result["conversations"]] == [ALICE]
    page = await _messages(client, entry, ALICE)
    assert len(page["messages"]) == 10
    assert page["messages"][-1]["text"] == "alice 1"

    # Older than a week: gone at the next start, too.
    await hass.config_entries.async_unload(entry.entry_id)
    freezer.tick(timedelta(days=8))
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    result = await _conversations(client)
    assert result == {"conversations": [], "total": 0, "unread": 0}
    freezer.tick(timedelta(seconds=SAVE_DELAY))
    await saved(hass)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.history"]["data"]
    assert stored["messages"] == []
    assert stored["read"] == {}


async def test_non_admin_user(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Like the logbook, the history is for every user, not only administrators."""
    simulator.deliver_sms(0, ALICE, "hello")
    await advance(hass, None)
    client = await hass_ws_client(hass, hass_read_only_access_token)
    [conversation] = (await _conversations(client))["conversations"]
    assert conversation["last"]["text"] == "hello"
    page = await _messages(client, init_integration, ALICE)
    assert _texts(page) == ["hello"]
    result = await _command(
        client,
        type="dinstar/history/mark_read",
        entry_id=init_integration.entry_id,
        number=ALICE,
    )
    assert result == {"unread": 0}


async def test_removed_with_the_entry(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
    hass_storage: dict[str, Any],
) -> None:
    """A removed gateway's history is gone; asking for it is a clear error."""
    simulator.deliver_sms(0, ALICE, "hello")
    await advance(hass, None)
    await _history_saved(hass)
    key = f"{DOMAIN}.{init_integration.entry_id}.history"
    assert len(hass_storage[key]["data"]["messages"]) == 1

    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
    entry_id = init_integration.entry_id
    for command in (
        {"type": "dinstar/history/conversations", "entry_id": entry_id},
        {"type": "dinstar/history/messages", "entry_id": entry_id, "number": ALICE},
        {"type": "dinstar/history/mark_read", "entry_id": entry_id, "number": ALICE},
        {"type": "dinstar/history/subscribe", "entry_id": entry_id},
    ):
        error = await _error(client, **command)
        assert error["code"] == "home_assistant_error"
        assert error["translation_key"] == "history_gateway_not_loaded"
        assert init_integration.entry_id in error["message"]
    result = await _conversations(client)
    assert result == {"conversations": [], "total": 0, "unread": 0}


@pytest.fixture
async def second_simulator() -> AsyncGenerator[Simulator]:
    """Run a second gateway."""
    sim = Simulator(
        SimulatorConfig(
            ports=4,
            username=USERNAME,
            password=PASSWORD,
            serial="da00-0030-1901-9999",
            clock_speed=1000.0,
        )
    )
    await sim.start()
    yield sim
    await sim.stop()


async def test_several_gateways(
    hass: HomeAssistant,
    simulator: Simulator,
    second_simulator: Simulator,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
) -> None:
    """Without a gateway the commands cover all; with one, only it."""
    second = MockConfigEntry(
        domain=DOMAIN,
        title="Second",
        unique_id=second_simulator.config.serial,
        data=dict(entry_for(second_simulator).data),
    )
    await setup_entry(hass, second)
    await client.send_json_auto_id(
        {"type": "dinstar/history/subscribe", "entry_id": second.entry_id}
    )
    await _event(client)

    simulator.deliver_sms(0, ALICE, "first gateway")
    await advance(hass, None)
    second_simulator.deliver_sms(0, ALICE, "second gateway")
    await advance(hass, None)

    # Only the second gateway's message was told to the subscription.
    event = await _event(client)
    assert event["event"]["entry_id"] == second.entry_id
    assert event["event"]["message"]["text"] == "second gateway"
    result = await _conversations(client)
    assert [(c["gateway"], c["last"]["text"]) for c in result["conversations"]] == [
        ("Second", "second gateway"),
        (init_integration.title, "first gateway"),
    ]
    result = await _conversations(client, entry_id=init_integration.entry_id)
    assert [c["last"]["text"] for c in result["conversations"]] == ["first gateway"]


async def test_gateways_for_the_cards(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
) -> None:
    """The SIM status card learns each port's device and entities."""
    [gateway] = (await _command(client, type="dinstar/gateways"))["gateways"]
    assert gateway["entry_id"] == init_integration.entry_id
    assert gateway["title"] == init_integration.title
    assert gateway["push_works"] is False
    assert gateway["sms_queue"] == "sensor.dinstar_da00_0030_1901_2817_sms_queue"
    assert [port["port"] for port in gateway["ports"]] == [1, 2, 3, 4]
    first = gateway["ports"][0]
    assert first["device_id"] is not None
    assert first["entities"] == {
        "registration": "sensor.port_1_registration",
        "network_type": "sensor.port_1_network_type",
        "signal_strength": "sensor.port_1_signal_strength",
        "phone_number": "sensor.port_1_phone_number",
        "last_sms": "sensor.port_1_last_sms_received",
    }
    result = await _command(
        client, type="dinstar/gateways", entry_id=init_integration.entry_id
    )
    assert result["gateways"] == [gateway]


async def test_diagnostics_count_only(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Diagnostics count the history's messages, and show nothing of them."""
    simulator.deliver_sms(0, ALICE, "alice")
    simulator.deliver_sms(1, BOB, "bob")
    await advance(hass, None)
    await async_send(hass, message="hello")
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    assert diagnostics["history"] == {
        "messages": 3,
        "received": 2,
        "sent": 1,
        "conversations": 3,
        "unread": 2,
        "max_messages": 1000,
        "max_days": 90,
    }
    text = str(diagnostics)
    for secret in ("alice", "bob", "hello", ALICE, BOB):
        assert secret not in text


async def test_a_send_the_gateway_refused_is_not_in_the_history(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
) -> None:
    """An SMS whose send request failed was never sent: no conversation shows it."""
    simulator.faults.error_codes = {"send_sms": 500}
    with pytest.raises(HomeAssistantError):
        await async_send(hass, message="never left")
    simulator.faults.error_codes = {}
    await async_send(hass, message="this one did")

    page = await _messages(client, init_integration, NUMBER)
    assert _texts(page) == ["this one did"]


async def test_history_of_a_gateway_not_running(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    client: MockHAClientWebSocket,
) -> None:
    """A set-up gateway that is not running has no history to show: its state, not bad input."""
    entry_id = init_integration.entry_id
    await hass.config_entries.async_set_disabled_by(entry_id, ConfigEntryDisabler.USER)
    await hass.async_block_till_done()

    error = await _error(
        client, type="dinstar/history/conversations", entry_id=entry_id
    )
    assert error["translation_key"] == "history_gateway_not_running"
    assert init_integration.title in error["message"]

    await hass.config_entries.async_set_disabled_by(entry_id, None)
    await hass.async_block_till_done()
    result = await _conversations(client, entry_id=entry_id)
    assert result == {"conversations": [], "total": 0, "unread": 0}
