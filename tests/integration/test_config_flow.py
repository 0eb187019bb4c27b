"""Tests of the config flow: user, DHCP discovery, reauth, reconfigure and options.

Every error ends by recovering: the input fixed, the flow reaches its entry or its
successful end. The recipient subentry flow is tested in test_notify.py.
"""

from __future__ import annotations

from collections.abc import Generator
import re
import socket
from unittest.mock import patch

from aiohttp.abc import AbstractResolver, ResolveResult
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.dinstar.const import (
    CONF_DEFAULT_ENCODING,
    CONF_DEFAULT_PORTS,
    CONF_DELIVERY_REPORTS,
    CONF_HISTORY_MAX_DAYS,
    CONF_HISTORY_MAX_MESSAGES,
    CONF_MAC,
    CONF_MARK_READ,
    CONF_RECOVERY_MINUTES,
    CONF_TIMEZONE,
    CONF_URL,
    DOMAIN,
)
from custom_components.dinstar.pydinstar import GatewayPorts
from dinstar_simulator import Simulator, SimulatorConfig
from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo

from .conftest import PASSWORD, SERIAL, USERNAME, set_up_offline, try_setup

MAC = "f8:a0:3d:48:e5:19"
OTHER_SERIAL = "dd45-1014-8440-0030"


class _LocalhostResolver(AbstractResolver):
    """Resolve every name to 127.0.0.1, where the simulator listens."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host="127.0.0.1",
                port=port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        """Nothing to release."""

    real_close = close


@pytest.fixture
def gateway_by_name() -> Generator[None]:
    """Let the flows reach the simulator by a host name.

    The harness's shared resolver belongs to another event loop, so names do not
    resolve in tests otherwise.
    """
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=_LocalhostResolver(),
    ):
        yield


def _user_input(simulator: Simulator, **changes: object) -> dict[str, object]:
    return {
        CONF_HOST: simulator.url,
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
        CONF_VERIFY_SSL: False,
        **changes,
    }


def _entry_gateway() -> Simulator:
    """Return the gateway of the entries _add_as_other_gateway makes, to start."""
    return Simulator(
        SimulatorConfig(username=USERNAME, password="new-pa55", serial=OTHER_SERIAL)
    )


def _add_as_other_gateway(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add the entry as one made for another gateway, not the simulator's."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, unique_id=OTHER_SERIAL)


async def test_user_flow(hass: HomeAssistant, simulator: Simulator) -> None:
    """A reachable gateway with the right credentials becomes an entry named by its serial."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator, **{CONF_HOST: f"{simulator.url}/"})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"Dinstar {SERIAL}"
    assert result["result"].unique_id == SERIAL
    webhook_id = result["data"][CONF_WEBHOOK_ID]
    assert result["data"] == {
        CONF_URL: simulator.url,
        CONF_USERNAME: USERNAME,
        CONF_PASSWORD: PASSWORD,
        CONF_VERIFY_SSL: False,
        # The secret of the push URL is made with the entry, before any setup.
        CONF_WEBHOOK_ID: webhook_id,
    }
    assert re.fullmatch("[0-9a-f]{64}", webhook_id)
    assert result["result"].minor_version == 2


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1:{port}", "http://127.0.0.1:{port}"),
        ("http://127.0.0.1:{port}/some/path?x=1", "http://127.0.0.1:{port}"),
    ],
)
async def test_user_flow_normalizes_host(
    hass: HomeAssistant, simulator: Simulator, host: str, expected: str
) -> None:
    """A host:port or a URL with a path is stored as a base URL."""
    port = simulator.url.rsplit(":", 1)[1]
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator, **{CONF_HOST: host.format(port=port)})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_URL] == expected.format(port=port)


@pytest.mark.parametrize("host", ["ftp://192.168.11.1", "http://", "http://[::1"])
async def test_user_flow_invalid_host(
    hass: HomeAssistant, simulator: Simulator, host: str
) -> None:
    """Something that is no host is refused before anything is sent."""
    before = len(simulator.requests)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator, **{CONF_HOST: host})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    assert len(simulator.requests) == before

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_invalid_auth(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Wrong credentials are named as such, and the user can correct them."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator, **{CONF_PASSWORD: "wrong"})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    "simulator_config",
    [
        SimulatorConfig(
            username=USERNAME,
            password=PASSWORD,
            lockout_after=1,
            # A ban that outlasts the test: only end_bans() ends it.
            lockout_seconds=1e9,
            clock_speed=1000.0,
        )
    ],
)
async def test_user_flow_locked_out(hass: HomeAssistant, simulator: Simulator) -> None:
    """A gateway that bans us after failed logins tells the user to wait."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator, **{CONF_PASSWORD: "wrong"})
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "locked_out"}

    simulator.end_bans()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_cannot_connect(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A gateway that is off is reported as unreachable."""
    await simulator.set_offline(True)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    await simulator.set_offline(False)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_api_disabled(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A gateway whose HTTP API is off tells the user where to switch it on."""
    simulator.faults.api_disabled = True
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "api_disabled"}
    assert "New Version" in result["description_placeholders"]["api_path"]

    simulator.faults.api_disabled = False
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_not_dinstar(hass: HomeAssistant, simulator: Simulator) -> None:
    """A device that does not answer with the gateway's JSON is not taken for one."""
    simulator.faults.malformed_body = True
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_dinstar"}

    simulator.faults.malformed_body = False
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unknown_error(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """An unexpected error is logged and shown as unknown (no simulator switch can raise one)."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    with patch(
        "custom_components.dinstar.config_flow.DinstarClient.get_port_info",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _user_input(simulator)
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    "simulator_config",
    [
        SimulatorConfig(
            username=USERNAME, password=PASSWORD, serial=None, clock_speed=1000.0
        )
    ],
)
async def test_user_flow_without_serial(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Old firmware sends no serial: the first module's IMEI identifies the gateway."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    unique_id = result["result"].unique_id
    assert unique_id.startswith("imei-")
    assert unique_id.removeprefix("imei-").isdigit()
    assert result["title"] == "Dinstar 127.0.0.1"


async def test_user_flow_already_configured(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """The same gateway cannot be added twice; the dialog names the entry that has it."""
    config_entry.add_to_hass(hass)
    data = dict(config_entry.data)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "gateway_already_configured"
    assert result["description_placeholders"] == {"title": config_entry.title}
    assert config_entry.data == data


async def test_user_flow_same_serial_elsewhere_changes_nothing(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A gateway at another address with a configured serial does not move the entry.

    The entry keeps its address, stays loaded and keeps reading its own gateway:
    only Reconfigure moves a gateway.
    """
    data = dict(init_integration.data)
    async with Simulator(
        SimulatorConfig(username=USERNAME, password=PASSWORD, serial=SERIAL)
    ) as twin:
        result = await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _user_input(twin)
        )
        await hass.async_block_till_done()

        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "gateway_already_configured"
        assert result["description_placeholders"] == {"title": init_integration.title}
        assert init_integration.data == data
        assert init_integration.state is ConfigEntryState.LOADED
        assert len(hass.config_entries.async_entries(DOMAIN)) == 1


def _dhcp(ip: str = "127.0.0.1", mac: str = MAC) -> DhcpServiceInfo:
    return DhcpServiceInfo(ip=ip, hostname="dwg2000", macaddress=mac.replace(":", ""))


async def test_dhcp_new_gateway(hass: HomeAssistant, simulator: Simulator) -> None:
    """A discovered gateway is offered with its address filled in, and keeps its MAC."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp()
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    schema_defaults = {
        str(key): key.default()
        for key in result["data_schema"].schema
        if callable(key.default)
    }
    assert schema_defaults[CONF_HOST] == "127.0.0.1"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == SERIAL
    assert result["data"][CONF_MAC] == MAC


async def test_dhcp_other_address_typed(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A user who types another address than the discovered one gets no discovered MAC."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.2")
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_MAC not in result["data"]


async def test_dhcp_twice_in_progress(hass: HomeAssistant) -> None:
    """A second discovery of the same gateway while the first is open is dropped."""
    first = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp()
    )
    assert first["type"] is FlowResultType.FORM
    second = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp()
    )
    assert second["type"] is FlowResultType.ABORT
    assert second["reason"] == "already_in_progress"


async def test_dhcp_known_mac_follows_new_address(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A known gateway seen at a new address gets its entry updated and reloaded."""
    port = simulator.url.rsplit(":", 1)[1]
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry,
        data={**config_entry.data, CONF_URL: f"http://127.0.0.2:{port}", CONF_MAC: MAC},
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert config_entry.data[CONF_URL] == simulator.url
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED


async def test_dhcp_known_host_learns_mac(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A gateway set up by hand learns its MAC from discovery at the same address."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert init_integration.data[CONF_MAC] == MAC


async def test_dhcp_other_gateway_not_matched(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Discovery of another gateway leaves existing entries alone."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=_dhcp(ip="127.0.0.3", mac="f8:a0:3d:00:00:01"),
    )
    assert result["type"] is FlowResultType.FORM
    assert CONF_MAC not in init_integration.data


@pytest.mark.parametrize(
    ("stored_host", "kept"),
    [("localhost", True), ("127.0.0.2", False)],
    ids=["host_name_kept", "old_ip_replaced"],
)
async def test_dhcp_confirmed_known_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    stored_host: str,
    kept: bool,
) -> None:
    """Confirming a discovery of a configured gateway stores its MAC.

    The stored address changes only from an IP address: a host name may be what
    the certificate names, and it follows the gateway by itself.
    """
    port = simulator.url.rsplit(":", 1)[1]
    stored_url = f"http://{stored_host}:{port}"
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_URL: stored_url}
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["type"] is FlowResultType.FORM

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert config_entry.data[CONF_MAC] == MAC
    assert config_entry.data[CONF_URL] == (stored_url if kept else simulator.url)


@pytest.mark.parametrize("host", ["{url}", "localhost:{port}"], ids=["ip", "name"])
@pytest.mark.usefixtures("gateway_by_name")
async def test_user_flow_dismisses_discovery_of_same_gateway(
    hass: HomeAssistant, simulator: Simulator, host: str
) -> None:
    """A gateway added by hand no longer waits under Discovered; another one does."""
    port = simulator.url.rsplit(":", 1)[1]
    same = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    other = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=_dhcp(ip="127.0.0.3", mac="f8:a0:3d:00:00:01"),
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _user_input(
            simulator, **{CONF_HOST: host.format(url=simulator.url, port=port)}
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["flow_id"] for flow in flows] == [other["flow_id"]]
    assert same["flow_id"] != other["flow_id"]


@pytest.mark.usefixtures("gateway_by_name")
async def test_user_flow_host_name_not_resolved(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """When the name cannot be looked up again, the entry is made and discoveries stay.

    The name resolved for the check a moment earlier; only a second look-up can
    fail, so that one is mocked.
    """
    port = simulator.url.rsplit(":", 1)[1]
    discovery = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    with patch.object(
        hass.loop, "getaddrinfo", side_effect=OSError("name lookup failed")
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            _user_input(simulator, **{CONF_HOST: f"localhost:{port}"}),
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["flow_id"] for flow in flows] == [discovery["flow_id"]]


async def test_dhcp_known_host_other_gateway(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Another gateway now at an entry's address is offered, and the entry keeps no MAC."""
    _add_as_other_gateway(hass, config_entry)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert CONF_MAC not in config_entry.data

    # The gateway found there is added as a gateway of its own.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert (result["result"].unique_id, result["data"][CONF_MAC]) == (SERIAL, MAC)
    assert CONF_MAC not in config_entry.data


async def test_dhcp_known_host_with_refused_credentials(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """An entry waiting for new credentials is not checked: no more failed logins."""
    simulator.config.password = "changed-on-the-device"
    await try_setup(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    requests = len(simulator.requests)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(simulator.requests) == requests
    assert CONF_MAC not in config_entry.data

    # Once the new credentials are in, a discovery stores the MAC.
    [reauth] = config_entry.async_get_active_flows(hass, {SOURCE_REAUTH})
    result = await hass.config_entries.flow.async_configure(
        reauth["flow_id"],
        {CONF_USERNAME: USERNAME, CONF_PASSWORD: "changed-on-the-device"},
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["reason"] == "already_configured"
    assert config_entry.data[CONF_MAC] == MAC


async def test_dhcp_known_host_unreachable(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A gateway that cannot be read at an entry's address teaches the entry nothing.

    Seen again once it answers, it is recognized and its MAC is stored.
    """
    config_entry.add_to_hass(hass)
    await simulator.set_offline(True)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert CONF_MAC not in config_entry.data

    await simulator.set_offline(False)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ip="127.0.0.1")
    )
    assert result["type"] is FlowResultType.ABORT
    assert config_entry.data[CONF_MAC] == MAC


async def test_reauth(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """New credentials are checked against the same gateway and stored."""
    result = await init_integration.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: "wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


async def test_reauth_wrong_gateway(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Credentials that reach another gateway at the address are refused."""
    _add_as_other_gateway(hass, config_entry)
    result = await config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_gateway"
    assert config_entry.data[CONF_PASSWORD] == PASSWORD

    # With the entry's own gateway back at its address, the credentials are taken.
    async with _entry_gateway() as own:
        hass.config_entries.async_update_entry(
            config_entry, data={**config_entry.data, CONF_URL: own.url}
        )
        result = await config_entry.start_reauth_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: "new-pa55"}
        )
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reauth_successful"
        assert config_entry.data[CONF_PASSWORD] == "new-pa55"


async def test_reconfigure(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """The address of the same gateway can be changed."""
    port = simulator.url.rsplit(":", 1)[1]
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_URL: f"http://127.0.0.2:{port}"}
    )
    result = await config_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator, **{CONF_PASSWORD: "wrong"})
    )
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator, **{CONF_HOST: f"127.0.0.1:{port}"})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert config_entry.data[CONF_URL] == simulator.url
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED


async def test_reconfigure_wrong_gateway(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """Reconfiguring onto another gateway is refused."""
    _add_as_other_gateway(hass, config_entry)
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_gateway"
    assert config_entry.data[CONF_URL] == simulator.url

    # Pointed at the entry's own gateway, the address changes.
    async with _entry_gateway() as own:
        result = await config_entry.start_reconfigure_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _user_input(own, **{CONF_PASSWORD: "new-pa55"})
        )
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reconfigure_successful"
        assert config_entry.data[CONF_URL] == own.url


async def test_options(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Options are stored and the entry reloads with them."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    options = {
        CONF_DEFAULT_PORTS: ["0", "1"],
        CONF_DEFAULT_ENCODING: "gsm-7bit",
        CONF_DELIVERY_REPORTS: False,
        CONF_MARK_READ: True,
        CONF_TIMEZONE: "Europe/Berlin",
        CONF_HISTORY_MAX_MESSAGES: 500,
        CONF_HISTORY_MAX_DAYS: 30,
        CONF_RECOVERY_MINUTES: 30,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options == options
    assert init_integration.state is ConfigEntryState.LOADED


async def test_options_entry_not_loaded(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """The options wait for a gateway that is not set up; they need its ports."""
    await set_up_offline(hass, simulator, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY

    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_not_loaded"

    await simulator.set_offline(False)
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_DEFAULT_PORTS: ["1"], CONF_MARK_READ: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_DEFAULT_PORTS] == ["1"]


async def test_user_flow_no_identity(hass: HomeAssistant, simulator: Simulator) -> None:
    """A device that reports neither a serial nor any IMEI cannot be registered.

    No simulator switch makes a gateway without any module, so the reply is mocked.
    """
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    with patch(
        "custom_components.dinstar.config_flow.DinstarClient.get_port_info",
        return_value=GatewayPorts(serial=None, ports=()),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _user_input(simulator)
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_dinstar"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
