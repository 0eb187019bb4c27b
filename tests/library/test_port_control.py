"""Port control (set_port_info) and the gateway's health (get_status)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dinstar_simulator import SimProfile, Simulator
from pydinstar import (
    CallState,
    DinstarApiError,
    DinstarClient,
    DinstarUnreadableReplyError,
    DinstarUnsupportedError,
    DinstarValidationError,
    GatewayStatus,
    PortAction,
    PortInfo,
    PortInfoType,
    Registration,
)

from .conftest import RecordedGateway, api_calls


def _profile(simulator: Simulator, port: int) -> SimProfile:
    return simulator.ports[port].profile


async def test_restart_module(simulator: Simulator, client: DinstarClient) -> None:
    """A restart sends reset with param 1; the module registers again."""
    await client.restart_module(2)
    assert api_calls(simulator, "set_port_info")[-1].query_string == (
        "port=2&action=reset&param=1"
    )
    await simulator.wait_idle()
    info = await client.get_port_info([PortInfoType.REG], ports=[2])
    assert info.ports[0].registration is Registration.REGISTER_OK


async def test_power(simulator: Simulator, client: DinstarClient) -> None:
    """Power off and on; a reset of a powered-off module is refused (500)."""
    await client.set_port_power(1, on=False)
    assert _profile(simulator, 1) is SimProfile.POWER_OFF
    with pytest.raises(DinstarApiError) as err:
        await client.restart_module(1)
    assert not isinstance(err.value, DinstarUnsupportedError)
    assert err.value.error_code == 500
    await client.set_port_power(1, on=True)
    await simulator.wait_idle()
    assert _profile(simulator, 1) is SimProfile.REGISTERED
    calls = api_calls(simulator, "set_port_info")
    assert [r.query_string for r in calls if r.authenticated] == [
        "port=1&action=power&param=off",
        "port=1&action=reset&param=1",
        "port=1&action=power&param=on",
    ]


async def test_sim_slot(simulator: Simulator, client: DinstarClient) -> None:
    """select_sim_slot switches the SIM bank; bad slots are refused before sending."""
    await client.select_sim_slot(0, 3)
    info = await client.get_port_info([PortInfoType.SLOT], ports=[0])
    assert info.ports[0].sim_slot == 3
    for slot in (4, -1, True):
        with pytest.raises(DinstarValidationError):
            await client.select_sim_slot(0, slot)
    with pytest.raises(DinstarValidationError):
        await client.set_port_info(32, PortAction.LOCK)
    assert (
        len([r for r in api_calls(simulator, "set_port_info") if r.authenticated]) == 1
    )


async def test_unsupported_action(simulator: Simulator, client: DinstarClient) -> None:
    """An action the firmware does not know (400) raises DinstarUnsupportedError."""
    await client.set_port_info(3, PortAction.BLOCK)
    assert simulator.ports[3].blocked
    simulator.quirks.unsupported_port_actions = frozenset({"unblock"})
    with pytest.raises(DinstarUnsupportedError) as err:
        await client.set_port_info(3, PortAction.UNBLOCK)
    assert (err.value.endpoint, err.value.error_code) == ("set_port_info", 400)
    assert simulator.ports[3].blocked


async def test_get_status(simulator: Simulator, client: DinstarClient) -> None:
    """get_status posts a bare array and reads the reply without an envelope."""
    status = await client.get_status()
    assert status == GatewayStatus(
        cpu_used=39,
        memory_total=109448,
        memory_used=50520,
        flash_total=27648,
        flash_used=17428,
    )
    assert (status.memory_used_percent, status.flash_used_percent) == (46.2, 63.0)


async def test_get_status_missing(simulator: Simulator, client: DinstarClient) -> None:
    """Firmware without get_status (404) raises DinstarUnsupportedError."""
    simulator.quirks.no_get_status = True
    with pytest.raises(DinstarUnsupportedError) as err:
        await client.get_status()
    assert err.value.error_code == 404


async def test_get_status_error_code(
    simulator: Simulator, client: DinstarClient
) -> None:
    """An error in the usual envelope is an API error."""
    simulator.faults.error_codes["get_status"] = 500
    with pytest.raises(DinstarApiError) as err:
        await client.get_status()
    assert err.value.error_code == 500


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {},
            GatewayStatus(
                cpu_used=None,
                memory_total=None,
                memory_used=None,
                flash_total=None,
                flash_used=None,
            ),
        ),
        (
            {"performance": "busy"},
            GatewayStatus(
                cpu_used=None,
                memory_total=None,
                memory_used=None,
                flash_total=None,
                flash_used=None,
            ),
        ),
        (
            {
                "performance": {
                    "cpu_used": "150",
                    "memory_total": "0",
                    "memory_used": "5",
                    "flash_total": "10",
                    "flash_used": "11",
                }
            },
            GatewayStatus(
                cpu_used=None,
                memory_total=0,
                memory_used=5,
                flash_total=10,
                flash_used=11,
            ),
        ),
    ],
)
async def test_odd_status(
    recorded_gateway: RecordedGateway,
    recorded_client: DinstarClient,
    body: dict[str, object],
    expected: GatewayStatus,
) -> None:
    """Missing or impossible values read as None; so do percentages of them."""
    recorded_gateway.reply("get_status", body)
    status = await recorded_client.get_status()
    assert status == expected
    assert (status.memory_used_percent, status.flash_used_percent) == (None, None)
    assert recorded_gateway.bodies[-1] == b'["performance"]'


async def test_status_not_json(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """A body that is not JSON is unreadable, envelope or not."""
    recorded_gateway.reply("get_status", b"<html>")
    with pytest.raises(DinstarUnreadableReplyError):
        await recorded_client.get_status()


async def test_billing_and_call_states(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """Billing strings become decimals (empty or odd ones None); call states any case."""
    recorded_gateway.reply(
        "get_port_info",
        {
            "error_code": 200,
            "info": [
                {
                    "port": 0,
                    "callstate": "call waiting",
                    "remain_credit": "12.50",
                    "remain_monthly_credit": "",
                    "remain_daily_credit": "0",
                },
                {
                    "port": 1,
                    "callstate": "Dialing",
                    "remain_credit": "NaN",
                    "remain_monthly_credit": "lots",
                    "slot": 255,
                },
                {"port": 2, "slot": 1},
            ],
        },
    )
    ports = (await recorded_client.get_port_info()).ports
    assert ports[0] == PortInfo(
        port=0,
        call_state=CallState.CALL_WAITING,
        remain_credit=Decimal("12.50"),
        remain_daily_credit=Decimal(0),
    )
    assert ports[1] == PortInfo(port=1, call_state=CallState.UNKNOWN, slot=255)
    assert [port.sim_slot for port in ports] == [None, None, 1]
