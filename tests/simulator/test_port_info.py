"""get_port_info: fields, filters, SIM profiles, firmware generations and deterministic identities."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig

from .gateway_client import GatewayClient

SERIAL = "da00-0030-1901-2817"
ALL_TYPES = "type%2Cimei%2Cimsi%2Ciccid%2Csmsc%2Cnumber%2Creg%2Csignal%2Cgprs%2Cslot%2Ccallstate%2Cremain_credit"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


async def test_registered_port(client: GatewayClient, simulator: Simulator) -> None:
    """A registered port reports a plausible identity and every extended field."""
    row = (await client.get("get_port_info", f"port=0&info_type={ALL_TYPES}"))["info"][
        0
    ]

    assert list(row) == [
        "port",
        "type",
        "imei",
        "imsi",
        "iccid",
        "smsc",
        "number",
        "reg",
        "signal",
        "gprs",
        "slot",
        "callstate",
        "remain_credit",
    ]
    assert (row["port"], row["type"], row["reg"]) == (0, "LTE", "REGISTER_OK")
    assert len(row["imei"]) == 15 and _luhn_ok(row["imei"])
    assert len(row["imsi"]) == 15 and row["imsi"].startswith("262")
    assert (
        len(row["iccid"]) == 20
        and row["iccid"].startswith("8949")
        and _luhn_ok(row["iccid"])
    )
    assert row["number"].startswith("+49") and row["smsc"].startswith("+49")
    assert 14 <= row["signal"] <= 31
    assert (row["gprs"], row["slot"], row["callstate"], row["remain_credit"]) == (
        "attached",
        0,
        "Idle",
        "",
    )
    port = simulator.ports[0]
    assert (row["imei"], row["imsi"], row["iccid"]) == (
        port.imei,
        port.sim.imsi,
        port.sim.iccid,
    )


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (SimProfile.REGISTERED, ("REGISTER_OK", True, True, "LTE")),
        (SimProfile.NO_SIM, ("NO_SIM", False, False, "LTE")),
        (SimProfile.PIN_REQUIRED, ("PIN_REQUIRE", False, False, "LTE")),
        (SimProfile.PUK_REQUIRED, ("PUK_REQUIRE", False, False, "LTE")),
        (SimProfile.SEARCHING, ("SEARCHING_NETWORK", True, False, "LTE")),
        (SimProfile.UNREGISTERED, ("UNREGISTER", True, True, "LTE")),
        (SimProfile.POWER_OFF, ("POWER_OFF", False, False, "UNKNOWN")),
    ],
)
async def test_profiles(
    client: GatewayClient,
    simulator: Simulator,
    profile: SimProfile,
    expected: tuple[str, bool, bool, str],
) -> None:
    """What each SIM state shows: locked, missing or unpowered SIMs have no readable files."""
    reg, sim_readable, signal_known, type_ = expected
    simulator.set_profile(1, profile)
    row = (await client.get("get_port_info", f"port=1&info_type={ALL_TYPES}"))["info"][
        0
    ]

    assert (row["reg"], row["type"]) == (reg, type_)
    sim = simulator.ports[1].sim
    expected_sim = (
        [sim.imsi, sim.iccid, sim.smsc, sim.number] if sim_readable else [""] * 4
    )
    assert [row["imsi"], row["iccid"], row["smsc"], row["number"]] == expected_sim
    assert (row["signal"] != 99) is signal_known
    assert row["gprs"] == (
        "attached" if profile is SimProfile.REGISTERED else "detached"
    )
    assert row["imei"] == simulator.ports[1].imei


async def test_only_requested_fields_and_ports(client: GatewayClient) -> None:
    """Rows carry port plus the requested fields once, in the order asked; no port = all ports."""
    reply = await client.get("get_port_info", "info_type=reg%2Cimei%2Creg")
    assert [list(row) for row in reply["info"]] == [["port", "reg", "imei"]] * 4

    reply = await client.get("get_port_info", "port=3%2C1%2C9&info_type=reg")
    assert [row["port"] for row in reply["info"]] == [3, 1]


async def test_vendor_example_with_trailing_commas(
    client: GatewayClient, simulator: Simulator
) -> None:
    """The vendor document's `", }` closes each row when the quirk is on."""
    simulator.set_profile(1, SimProfile.NO_SIM)
    simulator.quirks.trailing_commas = True
    reply = await client.request(
        "GET", "/api/get_port_info?port=1&info_type=reg%2Cnumber"
    )
    assert reply.text == (
        f'{{"error_code":200,"sn":"{SERIAL}","info":[{{"port":1,"reg":"NO_SIM","number":"", }}]}}'
    )


@pytest.mark.parametrize(
    "simulator_config",
    [SimulatorConfig(clock_speed=1000.0, extended_port_info=False, serial=SERIAL)],
)
async def test_old_firmware_fields(client: GatewayClient, simulator: Simulator) -> None:
    """Without extended info, unknown names are left out, or are 400 with the strict quirk."""
    reply = await client.get("get_port_info", "port=0&info_type=reg%2Csignal%2Cbogus")
    assert list(reply["info"][0]) == ["port", "reg"]

    simulator.quirks.unknown_info_type_error = True
    reply = await client.get("get_port_info", "port=0&info_type=reg%2Csignal")
    assert reply == {"error_code": 400, "sn": SERIAL}


@pytest.mark.parametrize(
    "query",
    ["", "port=0", "info_type=", "info_type=reg&port=x", "info_type=reg&port=32"],
)
async def test_bad_queries(client: GatewayClient, query: str) -> None:
    """info_type is required; ports must be 0-31."""
    assert await client.get("get_port_info", query) == {"error_code": 400, "sn": SERIAL}


async def test_signal_credit_and_network_type(
    simulator_config: SimulatorConfig,
) -> None:
    """set_signal and set_remain_credit show up; the module type is configurable."""
    config = replace(simulator_config, network_type="GSM", ports=32)
    async with Simulator(config) as simulator:
        simulator.set_signal(5, 7)
        simulator.set_signal(6, 99)
        simulator.set_remain_credit(5, "12.50")
        for bad in (-1, 32, 98):
            with pytest.raises(ValueError, match="0-31 or 99"):
                simulator.set_signal(5, bad)
        port = simulator.ports[5]
        assert (port.info("signal", "GSM"), port.info("remain_credit", "GSM")) == (
            7,
            "12.50",
        )
        assert simulator.ports[6].info("signal", "GSM") == 99
        assert simulator.ports[5].info("type", "GSM") == "GSM"
        with pytest.raises(KeyError):
            port.info("bogus", "GSM")
        assert len(simulator.ports) == 32


def test_identities_follow_the_seed() -> None:
    """The same seed gives the same identities; another seed different ones."""

    def identities(seed: int) -> list[tuple[str, str, str, int]]:
        simulator = Simulator(SimulatorConfig(seed=seed))
        return [(p.imei, p.sim.imsi, p.sim.number, p.signal) for p in simulator.ports]

    assert identities(1) == identities(1)
    assert identities(1) != identities(2)
    assert len({imei for imei, *_ in identities(3)}) == 4


async def test_port_count_changes(client: GatewayClient, simulator: Simulator) -> None:
    """Modules fitted or pulled change which ports get_port_info reports."""
    first_imei = (await client.get("get_port_info", "info_type=imei"))["info"][0][
        "imei"
    ]

    simulator.set_port_count(6)
    rows = (await client.get("get_port_info", "info_type=imei"))["info"]
    assert [row["port"] for row in rows] == [0, 1, 2, 3, 4, 5]
    assert rows[0]["imei"] == first_imei
    assert len({row["imei"] for row in rows}) == 6

    simulator.set_port_count(2)
    rows = (await client.get("get_port_info", "info_type=imei"))["info"]
    assert [row["port"] for row in rows] == [0, 1]

    for count in (0, 33):
        with pytest.raises(ValueError, match="1-32 ports"):
            simulator.set_port_count(count)
