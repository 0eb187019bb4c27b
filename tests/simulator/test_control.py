"""The /control/ routes: no auth, JSON in and out, 400 on bad input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import json
from typing import Any

from aiohttp import ClientConnectorError, ClientSession
import pytest

from dinstar_simulator import SimProfile, Simulator, SmsStatus

from .gateway_client import GatewayClient
from .push_receiver import PushReceiver


class ControlClient:
    """POSTs and GETs /control/ routes without credentials."""

    def __init__(self, session: ClientSession, base: str) -> None:
        """Use session against base."""
        self._session = session
        self._base = base

    async def post(self, route: str, body: Any, *, status: int = 200) -> Any:
        """POST body (JSON unless bytes) and return the JSON reply, checking its status."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        async with self._session.post(
            f"{self._base}/control/{route}", data=data
        ) as response:
            assert response.status == status, await response.text()
            return await response.json()

    async def state(self) -> Any:
        """GET /control/state."""
        async with self._session.get(f"{self._base}/control/state") as response:
            assert response.status == 200
            return await response.json()


@pytest.fixture
async def control(simulator: Simulator) -> AsyncGenerator[ControlClient]:
    """Return a client of the control routes."""
    async with ClientSession() as session:
        yield ControlClient(session, simulator.url)


async def test_incoming_sms(control: ControlClient, client: GatewayClient) -> None:
    """POST /control/sms delivers an SMS the API then returns."""
    reply = await control.post(
        "sms", {"port": 1, "number": "+491", "text": "hi", "smsc": "+49"}
    )
    assert reply == {"incoming_sms_id": 1}
    row = (await client.get("query_incoming_sms"))["sms"][0]
    assert (row["port"], row["number"], row["text"], row["smsc"]) == (
        1,
        "+491",
        "hi",
        "+49",
    )


@pytest.mark.parametrize(
    "body",
    [
        {"port": 1, "number": "+491"},
        {"port": "1", "number": "+491", "text": "x"},
        {"port": True, "number": "+491", "text": "x"},
        {"port": 9, "number": "+491", "text": "x"},
        [1],
        b"{not json",
    ],
)
async def test_incoming_sms_errors(control: ControlClient, body: Any) -> None:
    """Missing or mistyped fields and unknown ports are 400 with a reason."""
    reply = await control.post("sms", body, status=400)
    assert reply["error"]


async def test_sim_signal_and_state(
    control: ControlClient, simulator: Simulator
) -> None:
    """SIM profiles and signal change over HTTP and show in /control/state."""
    assert await control.post("sim", {"port": 2, "profile": "no_sim"}) == {}
    assert await control.post("signal", {"port": 0, "signal": 5}) == {}
    await control.post("sim", {"port": 2, "profile": "lost"}, status=400)
    await control.post("sim", {"port": 7, "profile": "no_sim"}, status=400)
    await control.post("signal", {"port": 0, "signal": 40}, status=400)

    state = await control.state()
    assert state["url"] == simulator.url
    assert state["serial"] == "da00-0030-1901-2817"
    assert [p["reg"] for p in state["ports"]] == [
        "REGISTER_OK",
        "REGISTER_OK",
        "NO_SIM",
        "REGISTER_OK",
    ]
    assert state["ports"][2]["imsi"] == ""
    assert state["ports"][0]["signal"] == 5
    assert state["ports"][0]["imsi"] == simulator.ports[0].sim.imsi
    assert simulator.ports[2].profile is SimProfile.NO_SIM


async def test_reboot(control: ControlClient, simulator: Simulator) -> None:
    """POST /control/reboot with reset_ids empties the inbox and restarts ids."""
    simulator.deliver_sms(0, "1", "x")
    assert await control.post("reboot", {}) == {}
    assert len(simulator.inbox) == 1
    assert await control.post("reboot", {"reset_ids": True}) == {}
    assert simulator.inbox == []
    await control.post("reboot", {"reset_ids": "yes"}, status=400)


async def test_ussd_script(
    control: ControlClient, client: GatewayClient, simulator: Simulator
) -> None:
    """POST /control/ussd scripts answers for one port or all."""
    await control.post(
        "ussd", {"port": None, "code": "*1#", "reply": "all", "delay": 1}
    )
    await control.post("ussd", {"port": 1, "code": "*1#", "reply": "one"})
    await control.post("ussd", {"port": 2, "code": "*1#", "reply": None})
    await control.post("ussd", {"port": 9, "code": "*1#", "reply": "x"}, status=400)
    await control.post("ussd", {"code": "*1#"}, status=400)

    await client.post("send_ussd", {"text": "*1#", "port": [0, 1, 2]})
    await simulator.wait_idle()
    replies = (await client.get("query_ussd_reply", "port=0%2C1%2C2"))["reply"]
    assert [r["text"] for r in replies] == ["all", "one", ""]


async def test_delivery_outcome(
    control: ControlClient, client: GatewayClient, simulator: Simulator
) -> None:
    """POST /control/delivery sets what the network does with SMS to a number."""
    await control.post("delivery", {"number": "1", "send_fails": True})
    await control.post("delivery", {"number": "2", "status_codes": None})
    await control.post("delivery", {"number": "3", "status_codes": [32, 0]})
    await control.post("delivery", {"number": "4", "status_codes": ["0"]}, status=400)
    await control.post("delivery", {"number": "4", "status_codes": [300]}, status=400)

    await client.post(
        "send_sms", {"text": "x", "param": [{"number": n} for n in "123"]}
    )
    await simulator.wait_idle()
    assert [s.status for s in simulator.sent] == [
        SmsStatus.FAILED,
        SmsStatus.SENT_OK,
        SmsStatus.DELIVERED,
    ]


async def test_faults(control: ControlClient, simulator: Simulator) -> None:
    """POST /control/faults sets faults and returns all of them."""
    reply = await control.post(
        "faults",
        {
            "latency": 0,
            "http_500": True,
            "error_codes": {"send_sms": 500},
            "api_disabled": False,
        },
    )
    assert reply == {
        "latency": 0.0,
        "http_500": True,
        "malformed_body": False,
        "drop_connection": False,
        "error_codes": {"send_sms": 500},
        "lose_pushes": False,
        "api_disabled": False,
        "duplicate_rows": False,
        "offline": False,
    }
    assert simulator.faults.http_500
    for bad in (
        {"latency": -1},
        {"latency": "1"},
        {"http_500": 1},
        {"error_codes": {"send_sms": "500"}},
        {"offline_seconds": 0},
    ):
        await control.post("faults", bad, status=400)
    assert simulator.faults.error_codes == {"send_sms": 500}


async def test_going_offline_over_http(
    control: ControlClient, simulator: Simulator
) -> None:
    """offline_seconds answers first, refuses connections, and is back by itself afterwards."""
    reply = await control.post("faults", {"offline_seconds": 0.5})
    assert reply["offline"] is True
    async with ClientSession() as session:
        with pytest.raises(ClientConnectorError):
            async with session.get(f"{simulator.url}/control/state"):
                pass
        async with asyncio.timeout(5):
            while simulator.faults.offline:
                await asyncio.sleep(0.01)
        await simulator.set_offline(False)
        async with session.get(f"{simulator.url}/control/state") as response:
            assert response.status == 200


async def test_quirks(control: ControlClient, simulator: Simulator) -> None:
    """POST /control/quirks sets quirks and returns all of them."""
    reply = await control.post(
        "quirks", {"trailing_commas": True, "content_type": "application/json"}
    )
    assert reply["trailing_commas"] is True
    assert reply["content_type"] == "application/json"
    assert reply["ussd_result_colon"] is True
    assert simulator.quirks.trailing_commas
    await control.post("quirks", {"null_strings": "no"}, status=400)
    reply = await control.post("quirks", {"null_strings": False})
    assert (reply["null_strings"], reply["content_type"]) == (False, "application/json")


async def test_push_settings(
    control: ControlClient, simulator: Simulator, receiver: PushReceiver
) -> None:
    """POST /control/push points pushes somewhere and picks the kinds."""
    reply = await control.post("push", {"url": receiver.url, "events": ["sms"]})
    assert reply == {"url": receiver.url, "events": ["sms"]}
    simulator.deliver_sms(0, "1", "x")
    simulator.set_profile(0, SimProfile.NO_SIM)
    await simulator.wait_idle()
    assert [next(iter(set(e) - {"sn"})) for e in receiver.events()] == ["sms"]

    reply = await control.post("push", {"url": None})
    assert reply == {"url": None, "events": ["sms"]}
    await control.post("push", {"url": None, "events": ["calls"]}, status=400)
    await control.post("push", {"url": None, "events": [1]}, status=400)


async def test_state_lists_traffic(
    control: ControlClient, client: GatewayClient, simulator: Simulator
) -> None:
    """GET /control/state shows sent SMS, the inbox and the request count."""
    simulator.deliver_sms(3, "+49", "in")
    await client.post("send_sms", {"text": "out", "param": [{"number": "+1"}]})
    await simulator.wait_idle()

    state = await control.state()
    assert [(s["number"], s["text"], s["status"]) for s in state["sent"]] == [
        ("+1", "out", "DELIVERED")
    ]
    assert len(state["sent"][0]["reports"]) == 1
    assert [(m["port"], m["text"], m["read"]) for m in state["inbox"]] == [
        (3, "in", False)
    ]
    assert state["requests"] == len(simulator.requests) == 2
    assert state["push"] == {
        "url": None,
        "events": sorted(simulator.config.push_events),
    }
    assert state["faults"]["offline"] is False
    assert state["quirks"]["content_type"] == "text/html"
