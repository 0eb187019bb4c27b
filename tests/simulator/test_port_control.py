"""set_port_info (reset, power, slot, lock, block), get_status, module exceptions, their controls."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import json
from typing import Any

from aiohttp import ClientSession
import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig

from .gateway_client import GatewayClient
from .push_receiver import PushReceiver

SERIAL = "da00-0030-1901-2817"


async def _reg(client: GatewayClient, port: int) -> str:
    info = await client.get("get_port_info", f"port={port}&info_type=reg")
    reg: str = info["info"][0]["reg"]
    return reg


def _restart_outcome(simulator: Simulator, port: int) -> SimProfile | None:
    return simulator.ports[port].restart_outcome


async def test_reset_takes_the_module_through_searching(
    simulator: Simulator, client: GatewayClient, receiver: PushReceiver
) -> None:
    """A reset answers 200, searches for module_restart_seconds, then registers again."""
    simulator.config.push_url = receiver.url
    simulator.script_ussd(0, "*100#", None)
    assert (await client.post("send_ussd", {"text": "*100#", "port": [0]}))[
        "result:"
    ] == [{"port": 0, "status": 200}]

    reply = await client.get("set_port_info", "port=0&action=reset&param=1")
    assert reply == {"error_code": 200, "sn": SERIAL}
    # The USSD session died with the module.
    assert simulator.ports[0].ussd_exchange is None

    await simulator.wait_idle()
    assert await _reg(client, 0) == "REGISTER_OK"
    statuses = [
        event["register"][0]["status"]
        for event in receiver.events()
        if "register" in event
    ]
    assert statuses == ["down", "up"]


async def test_restart_outcomes(simulator: Simulator, client: GatewayClient) -> None:
    """A SIM the network refuses stays unregistered; no SIM stays no SIM; a test can choose."""
    simulator.set_profile(1, SimProfile.NO_SIM)
    simulator.set_profile(2, SimProfile.UNREGISTERED)
    simulator.set_restart_outcome(3, SimProfile.UNREGISTERED)
    for port in (1, 2, 3):
        await client.get("set_port_info", f"port={port}&action=reset")
    await simulator.wait_idle()
    assert [await _reg(client, port) for port in (1, 2, 3)] == [
        "NO_SIM",
        "REGISTER_OK",
        "UNREGISTER",
    ]
    simulator.set_restart_outcome(3, None)
    await client.get("set_port_info", "port=3&action=reset")
    # A second reset while the first one runs settles once, as the first would have.
    await client.get("set_port_info", "port=3&action=reset")
    await simulator.wait_idle()
    assert await _reg(client, 3) == "REGISTER_OK"


async def test_power_off_and_on(
    simulator: Simulator, client: GatewayClient, receiver: PushReceiver
) -> None:
    """Power off holds the module off (a reset then fails with 500) until power on."""
    simulator.config.push_url = receiver.url
    await client.get("set_port_info", "port=1&action=power&param=off")
    await client.get("set_port_info", "port=1&action=power&param=off")
    assert await _reg(client, 1) == "POWER_OFF"
    assert (await client.get("set_port_info", "port=1&action=reset"))[
        "error_code"
    ] == 500
    await simulator.wait_idle()
    assert await _reg(client, 1) == "POWER_OFF"

    await client.get("set_port_info", "port=1&action=power&param=on")
    await client.get("set_port_info", "port=1&action=power&param=on")
    await simulator.wait_idle()
    assert await _reg(client, 1) == "REGISTER_OK"
    assert [e["register"][0]["status"] for e in receiver.events()] == [
        "down",  # powered off
        "down",  # searching
        "up",
    ]


async def test_power_off_during_a_restart(
    simulator: Simulator, client: GatewayClient
) -> None:
    """Powering off a restarting module stops it; power on then registers as planned."""
    await client.get("set_port_info", "port=0&action=reset")
    await client.get("set_port_info", "port=0&action=power&param=off")
    await simulator.wait_idle()
    assert await _reg(client, 0) == "POWER_OFF"
    await client.get("set_port_info", "port=0&action=power&param=on")
    await simulator.wait_idle()
    assert await _reg(client, 0) == "REGISTER_OK"


async def test_reboot_finishes_a_restart(
    simulator: Simulator, client: GatewayClient
) -> None:
    """A gateway reboot while a module restarts leaves it where the restart was heading."""
    await client.get("set_port_info", "port=0&action=reset")
    await simulator.reboot()
    assert await _reg(client, 0) == "REGISTER_OK"


async def test_slot(simulator: Simulator, client: GatewayClient) -> None:
    """A slot change switches to another SIM of the bank (a new identity) and back."""
    first = simulator.ports[0].sim
    await client.get("set_port_info", "port=0&action=slot&param=2")
    await simulator.wait_idle()
    info = (await client.get("get_port_info", "port=0&info_type=slot%2Cimsi%2Creg"))[
        "info"
    ][0]
    assert (info["slot"], info["reg"]) == (2, "REGISTER_OK")
    assert info["imsi"] != first.imsi
    await client.get("set_port_info", "port=0&action=slot&param=0")
    assert simulator.ports[0].sim == first

    # A powered-off module takes the SIM without starting.
    await client.get("set_port_info", "port=0&action=power&param=off")
    await client.get("set_port_info", "port=0&action=slot&param=1")
    assert await _reg(client, 0) == "POWER_OFF"


@pytest.mark.parametrize(
    "simulator_config", [SimulatorConfig(clock_speed=1000.0, sim_bank=False)]
)
async def test_no_sim_bank(client: GatewayClient) -> None:
    """Without a SIM bank the slot is 255 and slot changes are refused."""
    info = await client.get("get_port_info", "port=0&info_type=slot")
    assert info["info"][0]["slot"] == 255
    reply = await client.get("set_port_info", "port=0&action=slot&param=1")
    assert reply["error_code"] == 400


@pytest.mark.parametrize(
    "query",
    [
        "port=0&action=explode",
        "port=9&action=reset",
        "port=x&action=reset",
        "action=reset",
        "port=0&action=power",
        "port=0&action=power&param=maybe",
        "port=0&action=slot",
        "port=0&action=slot&param=4",
    ],
)
async def test_bad_actions(client: GatewayClient, query: str) -> None:
    """Unknown actions, ports and parameters answer 400."""
    assert (await client.get("set_port_info", query))["error_code"] == 400


async def test_lock_and_block(simulator: Simulator, client: GatewayClient) -> None:
    """lock/unlock and block/unblock set flags; firmware without them answers 400."""
    await client.get("set_port_info", "port=2&action=lock")
    await client.get("set_port_info", "port=2&action=block")
    assert (simulator.ports[2].locked, simulator.ports[2].blocked) == (True, True)
    await client.get("set_port_info", "port=2&action=unlock")
    await client.get("set_port_info", "port=2&action=unblock")
    assert (simulator.ports[2].locked, simulator.ports[2].blocked) == (False, False)

    simulator.quirks.unsupported_port_actions = frozenset({"lock"})
    assert (await client.get("set_port_info", "port=2&action=lock"))[
        "error_code"
    ] == 400
    assert not simulator.ports[2].locked


async def test_get_status(simulator: Simulator, client: GatewayClient) -> None:
    """get_status takes a bare array and answers without error_code or sn."""
    reply = await client.post("get_status", ["performance"])
    assert reply == {
        "performance": {
            "cpu_used": "39",
            "flash_total": "27648",
            "flash_used": "17428",
            "memory_total": "109448",
            "memory_cached": "34192",
            "memory_buffers": "0",
            "memory_free": "58928",
            "memory_used": "50520",
        }
    }
    simulator.set_performance(cpu_used="87")
    assert (await client.post("get_status", ["performance"]))["performance"][
        "cpu_used"
    ] == "87"
    assert await client.post("get_status", ["network"]) == {}
    with pytest.raises(ValueError, match="unknown performance"):
        simulator.set_performance(gpu_used="1")


@pytest.mark.parametrize("body", [b"{}", b'{"performance": 1}', b"[1]", b"["])
async def test_get_status_bad_bodies(client: GatewayClient, body: bytes) -> None:
    """An object, a list of non-strings or no JSON answers 400 in the usual envelope."""
    reply = await client.request("POST", "/api/get_status", body=body)
    assert reply.json() == {"error_code": 400, "sn": SERIAL}


async def test_get_status_method_and_missing(
    simulator: Simulator, client: GatewayClient
) -> None:
    """A GET gets 403; firmware without get_status answers 404."""
    assert (await client.request("GET", "/api/get_status")).status == 403
    simulator.quirks.no_get_status = True
    reply = await client.request("POST", "/api/get_status", body=b'["performance"]')
    assert reply.status == 404


async def test_billing_and_call_state(
    simulator: Simulator, client: GatewayClient
) -> None:
    """Billing strings and the call state show in get_port_info."""
    simulator.set_billing(1, "remain_monthly_credit", "120.5")
    simulator.set_call_state(1, "Ringing")
    info = await client.get(
        "get_port_info",
        "port=1&info_type=callstate%2Cremain_credit%2Cremain_monthly_credit%2Cremain_daily_credit",
    )
    assert info["info"][0] == {
        "port": 1,
        "callstate": "Ringing",
        "remain_credit": "",
        "remain_monthly_credit": "120.5",
        "remain_daily_credit": "",
    }
    with pytest.raises(ValueError, match="not one of"):
        simulator.set_billing(1, "remain_hourly_calltime", "3")


async def test_module_exception(
    simulator: Simulator, client: GatewayClient, receiver: PushReceiver
) -> None:
    """The box resetting a module pushes exception_info, then the register events."""
    simulator.config.push_url = receiver.url
    simulator.module_exception(0)
    await client.get("set_port_info", "port=1&action=power&param=off")
    simulator.module_exception(1, "sim_fail")
    await simulator.wait_idle()
    events = receiver.events()
    assert [e["exception_info"] for e in events if "exception_info" in e] == [
        {"port": 0, "type": "call_fail", "action": "reset"},
        {"port": 1, "type": "sim_fail", "action": "reset"},
    ]
    assert await _reg(client, 0) == "REGISTER_OK"
    assert await _reg(client, 1) == "POWER_OFF"


class _Control:
    def __init__(self, session: ClientSession, base: str) -> None:
        self._session = session
        self._base = base

    async def post(self, route: str, body: Any, *, status: int = 200) -> Any:
        async with self._session.post(
            f"{self._base}/control/{route}", data=json.dumps(body).encode()
        ) as response:
            assert response.status == status, await response.text()
            return await response.json()

    async def state(self) -> Any:
        async with self._session.get(f"{self._base}/control/state") as response:
            return await response.json()


@pytest.fixture
async def control(simulator: Simulator) -> AsyncGenerator[_Control]:
    """Return a client of the control routes."""
    async with ClientSession() as session:
        yield _Control(session, simulator.url)


@pytest.mark.parametrize(
    "simulator_config",
    [SimulatorConfig(clock_speed=1000.0, module_restart_seconds=1e9)],
)
async def test_control_routes(
    simulator: Simulator, client: GatewayClient, control: _Control
) -> None:
    """/control/port, /control/performance, /control/exception and the quirks' new switches."""
    await control.post(
        "port",
        {
            "port": 0,
            "restart_outcome": "unregistered",
            "call_state": "Active",
            "remain_credit": "5.00",
        },
    )
    assert _restart_outcome(simulator, 0) is SimProfile.UNREGISTERED
    assert (simulator.ports[0].call_state, simulator.ports[0].remain_credit) == (
        "Active",
        "5.00",
    )
    await control.post("port", {"port": 0, "restart_outcome": None})
    assert _restart_outcome(simulator, 0) is None
    await control.post("port", {"port": 0, "restart_outcome": "sleeping"}, status=400)
    await control.post("port", {"port": 7, "call_state": "Idle"}, status=400)

    await control.post("performance", {"memory_used": "100"})
    assert simulator._gateway.performance["memory_used"] == "100"  # noqa: SLF001
    await control.post("performance", {"memory_used": 100}, status=400)
    await control.post("performance", {"gpu": "1"}, status=400)

    await control.post("exception", {"port": 2})
    await control.post("exception", {"port": 9}, status=400)
    state = await control.state()
    assert state["ports"][2]["restarting"] is True
    assert state["ports"][2]["powered_off"] is False

    reply = await control.post(
        "quirks", {"unsupported_port_actions": ["block", "lock"], "no_get_status": True}
    )
    assert (reply["unsupported_port_actions"], reply["no_get_status"]) == (
        ["block", "lock"],
        True,
    )
    assert simulator.quirks.unsupported_port_actions == {"block", "lock"}
    await control.post("quirks", {"unsupported_port_actions": [1]}, status=400)
    state = await control.state()
    assert state["quirks"]["unsupported_port_actions"] == ["block", "lock"]
    assert (state["ports"][0]["slot"], state["ports"][0]["locked"]) == (0, False)
