"""get_port_info: every field, every registration state, old firmware and recorded replies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from pydinstar import (
    SIGNAL_UNKNOWN,
    CallState,
    DinstarApiError,
    DinstarClient,
    DinstarResponseError,
    GatewayPorts,
    NetworkType,
    PortInfo,
    PortInfoType,
    Registration,
)

from .conftest import SERIAL, RecordedGateway, api_calls, load_fixture

PROFILES = {
    1: SimProfile.NO_SIM,
    2: SimProfile.PIN_REQUIRED,
    3: SimProfile.SEARCHING,
    4: SimProfile.PUK_REQUIRED,
    5: SimProfile.UNREGISTERED,
    6: SimProfile.POWER_OFF,
}


@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(ports=8, clock_speed=1000.0, profiles=PROFILES, serial=SERIAL)],
)
async def test_every_field_of_every_port(
    simulator: Simulator, client: DinstarClient
) -> None:
    """By default every info type of every port is asked for and parsed."""
    gateway = await client.get_port_info()
    query = api_calls(simulator, "get_port_info")[-1].query_string
    assert query == (
        "info_type=type%2Cimei%2Cimsi%2Ciccid%2Csmsc%2Cnumber%2Creg"
        "%2Csignal%2Cgprs%2Cslot%2Ccallstate%2Cremain_credit%2Cremain_monthly_credit"
        "%2Cremain_daily_credit"
    )
    assert gateway.serial == "da00-0030-1901-2817"
    assert [port.port for port in gateway.ports] == list(range(8))

    registered = gateway.ports[0]
    device = simulator.ports[0]
    assert registered == PortInfo(
        port=0,
        type=NetworkType.LTE,
        imei=device.imei,
        imsi=device.sim.imsi,
        iccid=device.sim.iccid,
        smsc=device.sim.smsc,
        number=device.sim.number,
        registration=Registration.REGISTER_OK,
        signal=device.signal,
        gprs_attached=True,
        slot=0,
        call_state=CallState.IDLE,
    )
    assert registered.signal is not None
    assert registered.signal_dbm == -113 + 2 * registered.signal

    # Without a SIM the device sends empty strings: they read as None.
    no_sim = gateway.ports[1]
    assert no_sim.registration is Registration.NO_SIM
    assert no_sim.imei == simulator.ports[1].imei
    assert (no_sim.imsi, no_sim.iccid, no_sim.smsc, no_sim.number) == (None,) * 4
    assert no_sim.signal == SIGNAL_UNKNOWN
    assert no_sim.signal_dbm is None
    assert no_sim.gprs_attached is False

    assert [port.registration for port in gateway.ports] == [
        Registration.REGISTER_OK,
        Registration.NO_SIM,
        Registration.PIN_REQUIRE,
        Registration.SEARCHING_NETWORK,
        Registration.PUK_REQUIRE,
        Registration.UNREGISTER,
        Registration.POWER_OFF,
        Registration.REGISTER_OK,
    ]
    assert gateway.ports[6].type is NetworkType.UNKNOWN
    assert gateway.ports[3].signal_dbm is None


async def test_some_types_of_some_ports(
    simulator: Simulator, client: DinstarClient
) -> None:
    """Rows hold the port and only the fields asked for."""
    simulator.set_signal(2, 0)
    gateway = await client.get_port_info([PortInfoType.SIGNAL], ports=(2, 1))
    assert api_calls(simulator, "get_port_info")[-1].query_string == (
        "info_type=signal&port=2%2C1"
    )
    assert gateway.ports[0] == PortInfo(port=2, signal=0)
    assert gateway.ports[0].signal_dbm == -113
    assert [port.port for port in gateway.ports] == [2, 1]


async def test_signal_range(simulator: Simulator, client: DinstarClient) -> None:
    """Signal 31 is -51 dBm; 99 is unknown."""
    simulator.set_signal(0, 31)
    simulator.set_signal(1, 99)
    gateway = await client.get_port_info([PortInfoType.SIGNAL], ports=[0, 1])
    assert [port.signal_dbm for port in gateway.ports] == [-51, None]


async def test_profile_change_is_seen(
    simulator: Simulator, client: DinstarClient
) -> None:
    """A SIM pulled out shows on the next read."""
    simulator.set_profile(0, SimProfile.NO_SIM)
    gateway = await client.get_port_info(
        [PortInfoType.REG, PortInfoType.IMSI], ports=[0]
    )
    assert gateway.ports == (
        PortInfo(port=0, registration=Registration.NO_SIM, imsi=None),
    )


@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(clock_speed=1000.0, serial=None, extended_port_info=False)],
)
async def test_old_firmware(simulator: Simulator, client: DinstarClient) -> None:
    """2017 firmware: no sn, and only the vendor document's fields; the rest stays None."""
    gateway = await client.get_port_info()
    assert gateway.serial is None
    port = gateway.ports[0]
    assert port.registration is Registration.REGISTER_OK
    assert port.imei is not None
    assert (port.signal, port.gprs_attached, port.slot, port.call_state) == (None,) * 4
    assert port.signal_dbm is None

    simulator.quirks.unknown_info_type_error = True
    with pytest.raises(DinstarApiError) as err:
        await client.get_port_info()
    assert err.value.error_code == 400
    only_basic = await client.get_port_info([PortInfoType.REG])
    assert only_basic.ports[0].registration is Registration.REGISTER_OK


async def test_trailing_commas(simulator: Simulator, client: DinstarClient) -> None:
    """The vendor document's `, }` and `},]` parse."""
    simulator.quirks.trailing_commas = True
    gateway = await client.get_port_info()
    assert len(gateway.ports) == 4
    assert gateway.ports[0].registration is Registration.REGISTER_OK


async def test_recorded_vendor_example(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """The vendor document's reply: trailing commas, no sn, empty strings."""
    recorded_gateway.reply("get_port_info", load_fixture("get_port_info_2014.json"))
    gateway = await recorded_client.get_port_info(
        [
            PortInfoType.IMEI,
            PortInfoType.IMSI,
            PortInfoType.ICCID,
            PortInfoType.SMSC,
            PortInfoType.TYPE,
            PortInfoType.NUMBER,
            PortInfoType.REG,
        ],
        ports=[1, 2, 3],
    )
    assert recorded_gateway.seen == [
        (
            "/api/get_port_info?info_type=imei%2Cimsi%2Ciccid%2Csmsc%2Ctype%2Cnumber"
            "%2Creg&port=1%2C2%2C3"
        )
    ]
    assert gateway == GatewayPorts(
        serial=None,
        ports=(
            PortInfo(
                port=1,
                type=NetworkType.WCDMA,
                imei="863070017005173",
                registration=Registration.NO_SIM,
            ),
            PortInfo(
                port=2,
                type=NetworkType.GSM,
                imei="358967042917201",
                imsi="460016529802215",
                iccid="89860114840400428150",
                smsc="+8613010868500",
                registration=Registration.REGISTER_OK,
            ),
            PortInfo(
                port=3,
                type=NetworkType.GSM,
                imei="358967042917201",
                registration=Registration.NO_SIM,
            ),
        ),
    )


async def test_unknown_and_odd_values(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """Unknown fields and rows are ignored; unknown enum values and <NULL> read as None."""
    recorded_gateway.reply(
        "get_port_info",
        {
            "error_code": 200,
            "sn": " da00-0030-1901-2817 ",
            "firmware": "04240302",
            "info": [
                {
                    "port": "0",
                    "type": "5G",
                    "reg": "register_ok",
                    "imsi": "<NULL>",
                    "iccid": " ",
                    "signal": "17",
                    "gprs": "Detached",
                    "slot": 255,
                    "callstate": "Active",
                    "remain_credit": "12.50",
                    "operator": "Vodafone",
                },
                "port 1 missing",
                7,
                {"port": 1, "type": "cdma", "reg": "ROAMING", "gprs": "ATTACHED"},
            ],
        },
    )
    gateway = await recorded_client.get_port_info()
    assert gateway == GatewayPorts(
        serial="da00-0030-1901-2817",
        ports=(
            PortInfo(
                port=0,
                type=None,
                registration=Registration.REGISTER_OK,
                signal=17,
                gprs_attached=False,
                slot=255,
                call_state=CallState.ACTIVE,
                remain_credit=Decimal("12.50"),
            ),
            PortInfo(port=1, type=NetworkType.CDMA, gprs_attached=True),
        ),
    )


@pytest.mark.parametrize("info", [None, {}, "ports", [None, 3]])
async def test_info_that_is_not_rows(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient, info: object
) -> None:
    """No info list of objects means no ports."""
    recorded_gateway.reply("get_port_info", {"error_code": 200, "info": info})
    assert (await recorded_client.get_port_info()).ports == ()


async def test_row_without_port(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """A row without a usable port number is a response error."""
    recorded_gateway.reply(
        "get_port_info", {"error_code": 200, "info": [{"port": "one", "imei": "1"}]}
    )
    with pytest.raises(DinstarResponseError, match="no valid 'port'") as err:
        await recorded_client.get_port_info()
    # The row itself (identities, numbers) stays out of the message, and so of logs.
    assert "imei" not in str(err.value)
