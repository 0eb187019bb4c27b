"""send_ussd and query_ussd_reply: statuses, scripted and built-in answers, sessions, quirks."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig

from .gateway_client import GatewayClient

SERIAL = "da00-0030-1901-2817"
BALANCE = "Your balance is 12.50 EUR. Valid until 2027-01-31."


async def _send(
    client: GatewayClient, text: str, *ports: int, **fields: Any
) -> list[Any]:
    reply = await client.post(
        "send_ussd", {"text": text, "port": list(ports), **fields}
    )
    assert reply["error_code"] == 202
    result: list[Any] = reply["result:"]
    return result


async def _replies(client: GatewayClient, ports: str) -> list[Any]:
    reply = await client.get("query_ussd_reply", f"port={ports.replace(',', '%2C')}")
    assert reply["error_code"] == 200
    rows: list[Any] = reply["reply"]
    return rows


async def test_balance_with_the_firmware_quirk(
    client: GatewayClient, simulator: Simulator
) -> None:
    """send_ussd answers `"result:"`; the reply is "" until it arrives, then stays readable."""
    reply = await client.request(
        "POST",
        "/api/send_ussd",
        body=json.dumps({"text": "*100#", "port": [1]}).encode(),
    )
    assert reply.text == (
        f'{{"error_code":202,"sn":"{SERIAL}","result:":[{{"port":1,"status":200}}]}}'
    )
    await simulator.wait_idle()
    assert await _replies(client, "1") == [{"port": 1, "text": BALANCE}]

    # Port 2's network never answers: its reply stays "" however long one waits
    # (asking right after sending would race the simulator's 3 ms answer).
    simulator.script_ussd(2, "*100#", None)
    await _send(client, "*100#", 2)
    assert await _replies(client, "1%2C2") == [
        {"port": 1, "text": BALANCE},
        {"port": 2, "text": ""},
    ]


async def test_result_key_without_quirk(
    client: GatewayClient, simulator: Simulator
) -> None:
    """With the quirk off the key is the documented `result`."""
    simulator.quirks.ussd_result_colon = False
    reply = await client.post("send_ussd", {"text": "*100#", "port": [0]})
    assert reply["result"] == [{"port": 0, "status": 200}]


async def test_old_firmware_numbers_rows_by_position(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Old firmware: the rows for ports 1, 2 and 3 say ports 0, 1 and 2."""
    simulator.quirks.ussd_result_colon = False
    simulator.quirks.ussd_rows_by_position = True
    reply = await client.post("send_ussd", {"text": "*100#", "port": [1, 2, 3]})
    assert [row["port"] for row in reply["result"]] == [0, 1, 2]
    reply = await client.get("query_ussd_reply", "port=3")
    assert [row["port"] for row in reply["reply"]] == [0]


@pytest.mark.parametrize(
    "simulator_config",
    [
        SimulatorConfig(
            clock_speed=1000.0,
            send_seconds=60_000.0,
            profiles={3: SimProfile.PIN_REQUIRED},
        )
    ],
)
async def test_busy_and_unavailable(client: GatewayClient) -> None:
    """486 while the port sends SMS or already waits for an answer; 503 when not registered."""
    await client.post(
        "send_sms", {"text": "x", "param": [{"number": "1"}], "port": [0]}
    )
    statuses = await _send(client, "*100#", 0, 1, 1, 3, 7, 31)
    assert statuses == [
        {"port": 0, "status": 486},
        {"port": 1, "status": 200},
        {"port": 1, "status": 486},
        {"port": 3, "status": 503},
        {"port": 7, "status": 503},
        {"port": 31, "status": 503},
    ]


async def test_scripts(client: GatewayClient, simulator: Simulator) -> None:
    """A port's own script beats an every-port script, which beats the built-in answers."""
    simulator.script_ussd(None, "*100#", "All ports: 1 EUR")
    simulator.script_ussd(2, "*100#", "Port 2: 2 EUR\nThanks", delay=10.0)
    await _send(client, "*100#", 0, 2)
    await simulator.wait_idle()

    assert await _replies(client, "0,2") == [
        {"port": 0, "text": "All ports: 1 EUR"},
        {"port": 2, "text": "Port 2: 2 EUR\nThanks"},
    ]
    with pytest.raises(ValueError, match="ports 0-3"):
        simulator.script_ussd(9, "*1#", "x")


@pytest.mark.parametrize(
    "simulator_config",
    [SimulatorConfig(clock_speed=1000.0, ussd_timeout_seconds=1000.0)],
)
async def test_silence_cancel_and_timeout(
    client: GatewayClient, simulator: Simulator
) -> None:
    """An unanswered exchange keeps the port busy until cancelled or until the network gives up."""
    simulator.script_ussd(None, "*999#", None)
    assert await _send(client, "*999#", 0, 1) == [
        {"port": 0, "status": 200},
        {"port": 1, "status": 200},
    ]
    assert await _send(client, "*100#", 0) == [{"port": 0, "status": 486}]

    cancel = await client.post(
        "send_ussd", {"text": "", "port": [0, 3], "command": "cancel"}
    )
    assert cancel["result:"] == [{"port": 0, "status": 200}, {"port": 3, "status": 200}]
    assert await _send(client, "*100#", 0) == [{"port": 0, "status": 200}]

    # Port 1 frees itself after ussd_timeout_seconds (1 s here).
    statuses: list[int] = []
    async with asyncio.timeout(5):
        while not statuses or statuses[-1] != 200:
            await asyncio.sleep(0.02)
            statuses.append((await _send(client, "*100#", 1))[0]["status"])
    assert len(statuses) > 1
    assert set(statuses[:-1]) == {486}
    await simulator.wait_idle()
    assert await _replies(client, "0,1") == [
        {"port": 0, "text": BALANCE},
        {"port": 1, "text": BALANCE},
    ]


async def test_cancel_discards_a_pending_answer(
    client: GatewayClient, simulator: Simulator
) -> None:
    """After a cancel the network's late answer never shows; the last reply stays."""
    await _send(client, "*100#", 0)
    await simulator.wait_idle()
    simulator.script_ussd(0, "*5#", "late")
    await _send(client, "*5#", 0)
    await client.post("send_ussd", {"text": "", "port": [0], "command": "cancel"})
    await simulator.wait_idle()

    assert await _replies(client, "0") == [{"port": 0, "text": ""}]


async def test_menu_session(client: GatewayClient, simulator: Simulator) -> None:
    """The built-in *123# menu takes its choices as further send_ussd on the same port."""
    own_number = simulator.ports[0].sim.number
    conversation = [
        ("*123#", "Main menu\n1. Balance\n2. My number\n0. Exit"),
        ("7", "Invalid choice.\nMain menu\n1. Balance\n2. My number\n0. Exit"),
        ("2", f"Your number is {own_number}."),
        ("2", "Unknown service code."),
        ("*123#", "Main menu\n1. Balance\n2. My number\n0. Exit"),
        ("1", BALANCE),
        ("*123#", "Main menu\n1. Balance\n2. My number\n0. Exit"),
        ("0", "Goodbye."),
        ("*135#", f"Your number is {own_number}."),
    ]
    for sent, answer in conversation:
        assert await _send(client, sent, 0) == [{"port": 0, "status": 200}]
        await simulator.wait_idle()
        assert await _replies(client, "0") == [{"port": 0, "text": answer}], sent


async def test_cancel_on_unregistered_port(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Cancelling on a port without network is 503 like sending."""
    simulator.set_profile(1, SimProfile.NO_SIM)
    reply = await client.post(
        "send_ussd", {"text": "", "port": [1, 9], "command": "cancel"}
    )
    assert reply["result:"] == [{"port": 1, "status": 503}, {"port": 9, "status": 503}]


async def test_reboot_drops_sessions(
    client: GatewayClient, simulator: Simulator
) -> None:
    """A reboot forgets USSD exchanges and replies."""
    await _send(client, "*100#", 0)
    await simulator.wait_idle()
    simulator.script_ussd(1, "*1#", None)
    await _send(client, "*1#", 1)
    await simulator.reboot()

    assert await _replies(client, "0,1") == [
        {"port": 0, "text": ""},
        {"port": 1, "text": ""},
    ]
    assert await _send(client, "*100#", 1) == [{"port": 1, "status": 200}]


@pytest.mark.parametrize(
    "body",
    [
        {"text": "*100#"},
        {"text": "*100#", "port": []},
        {"text": "*100#", "port": [32]},
        {"text": "", "port": [0]},
        {"text": "", "port": [0], "command": "send"},
        {"text": "1" * 61, "port": [0]},
        {"text": "é" * 31, "port": [0]},
        {"text": 100, "port": [0]},
        {"text": "*100#", "port": [0], "command": "stop"},
        {"port": [0]},
    ],
)
async def test_bad_send_ussd(client: GatewayClient, body: dict[str, Any]) -> None:
    """Missing ports, empty text for send, over 60 bytes and unknown commands are 400."""
    assert await client.post("send_ussd", body) == {"error_code": 400, "sn": SERIAL}


async def test_sixty_bytes_pass(client: GatewayClient) -> None:
    """Exactly 60 bytes is allowed."""
    assert await _send(client, "é" * 30, 0) == [{"port": 0, "status": 200}]


@pytest.mark.parametrize("query", ["", "port=", "port=a", "port=1%2Cx"])
async def test_bad_query_ussd_reply(client: GatewayClient, query: str) -> None:
    """query_ussd_reply needs a port list."""
    reply = await client.get("query_ussd_reply", query)
    assert reply == {"error_code": 400, "sn": SERIAL}


async def test_vendor_example_ports(client: GatewayClient) -> None:
    """?port=1,2,3 lists the three ports; ports the gateway lacks are left out."""
    rows = await _replies(client, "1,2,3,9")
    assert rows == [{"port": p, "text": ""} for p in (1, 2, 3)]
