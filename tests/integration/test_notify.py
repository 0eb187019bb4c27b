"""SMS notifications: the legacy notify.<gateway> service and recipient entities."""

from __future__ import annotations

from collections.abc import Generator
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.dinstar.const import CONF_LEGACY_NOTIFY_SERVICE, DOMAIN
from dinstar_simulator import Simulator
from homeassistant.components.notify import (
    ATTR_MESSAGE,
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryDataWithId
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component

from .conftest import SERIAL, entry_for
from .sending import NUMBER, assert_error, sms_requests
from .sms_delivery import setup_entry

LEGACY_SERVICE = "dinstar_da00_0030_1901_2817"
ALICE = "+4915112345678"


@pytest.fixture
def config_entry(config_entry: MockConfigEntry) -> MockConfigEntry:
    """Return the gateway's entry with one recipient, Alice, reached through port 2."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=config_entry.title,
        unique_id=config_entry.unique_id,
        version=config_entry.version,
        minor_version=config_entry.minor_version,
        data=dict(config_entry.data),
        subentries_data=[
            ConfigSubentryDataWithId(
                data={"number": ALICE, "port": "1"},
                subentry_id="01JRECIP1ENTA11CE000000000",
                subentry_type="recipient",
                title="Alice",
                unique_id=ALICE,
            )
        ],
    )


@pytest.fixture
def notify_only() -> Generator[None]:
    """Set up the notify platform only."""
    with patch("custom_components.dinstar.PLATFORMS", [Platform.NOTIFY]):
        yield


async def _notify(hass: HomeAssistant, **data: object) -> None:
    await hass.services.async_call(
        NOTIFY_DOMAIN, LEGACY_SERVICE, {ATTR_MESSAGE: "Hello"} | data, blocking=True
    )


async def _send_message(hass: HomeAssistant, entity_id: str, message: str) -> None:
    await hass.services.async_call(
        NOTIFY_DOMAIN,
        SERVICE_SEND_MESSAGE,
        {ATTR_ENTITY_ID: entity_id, ATTR_MESSAGE: message},
        blocking=True,
    )


@pytest.mark.usefixtures("notify_only", "init_integration")
async def test_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Each recipient has a notify entity on a device of its own, via the gateway."""
    [entity] = er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    )
    assert entity == snapshot(name="entity")
    assert hass.states.get(entity.entity_id) == snapshot(name="state")
    assert entity.device_id is not None
    device = device_registry.async_get(entity.device_id)
    assert device == snapshot(name="device")
    assert device is not None
    gateway = device_registry.async_get_device_by_identifier(
        (DOMAIN, SERIAL), init_integration.entry_id
    )
    assert gateway is not None
    assert device.via_device_id == gateway.id


@pytest.mark.usefixtures("init_integration")
async def test_legacy_service(hass: HomeAssistant, simulator: Simulator) -> None:
    """notify.<gateway> sends to every target; data chooses ports and encoding."""
    await _notify(
        hass,
        target=[NUMBER, "+33612345678"],
        data={"ports": 2, "encoding": "unicode", "delivery_report": False},
    )
    await _notify(hass, target=NUMBER, title="Ignored")

    assert [(sms.number, sms.port, sms.encoding) for sms in simulator.sent] == [
        (NUMBER, 1, "unicode"),
        ("+33612345678", 1, "unicode"),
        (NUMBER, 0, "gsm-7bit"),
    ]
    assert [sms.request_status_report for sms in simulator.sent] == [False, False, True]
    assert simulator.sent[2].text == "Hello"


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({}, "no_recipients"),
        ({"target": ["12 34"]}, "invalid_number"),
        ({"target": [NUMBER], "data": {"ports": [9]}}, "invalid_port"),
        ({"target": [NUMBER], "data": {"encoding": "ascii"}}, "invalid_encoding"),
        ({"target": [NUMBER], "data": {"encoding": ""}}, "invalid_encoding"),
        ({"target": [NUMBER], "data": {"encoding": 0}}, "invalid_encoding"),
        (
            {"target": [NUMBER], "data": {"delivery_report": "maybe"}},
            "invalid_delivery_report",
        ),
        (
            {"target": [NUMBER], "data": {"delivery_report": [True]}},
            "invalid_delivery_report",
        ),
        ({"target": [NUMBER], "data": {"port": 2}}, "unknown_notify_data"),
        (
            {"target": [NUMBER], "data": {"ports": 2, "priority": "high"}},
            "unknown_notify_data",
        ),
    ],
)
async def test_legacy_service_refuses(
    hass: HomeAssistant, simulator: Simulator, data: dict[str, object], key: str
) -> None:
    """Bad input to notify.<gateway> is refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await _notify(hass, **data)

    assert_error(err.value, key)
    assert sms_requests(simulator) == 0


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("report", ["false", "off", 0, False])
async def test_legacy_service_reads_data_like_send_sms(
    hass: HomeAssistant, simulator: Simulator, report: object
) -> None:
    """Its data reads like send_sms: a delivery report may be "false" or 0."""
    await _notify(hass, target=NUMBER, data={"ports": "2", "delivery_report": report})

    [sent] = simulator.sent
    assert (sent.port, sent.request_status_report) == (1, False)


@pytest.mark.usefixtures("init_integration")
async def test_legacy_service_names_unknown_data(hass: HomeAssistant) -> None:
    """An unknown key in data is named, with the keys data takes."""
    with pytest.raises(ServiceValidationError) as err:
        await _notify(hass, target=NUMBER, data={"unicode": True, "ports": 1})

    assert err.value.translation_placeholders == {
        "keys": "unicode",
        "allowed": "ports, encoding, delivery_report",
    }


async def test_legacy_service_follows_the_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The service goes with an unloaded entry and comes back with a reloaded one."""
    assert hass.services.has_service(NOTIFY_DOMAIN, LEGACY_SERVICE)

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not hass.services.has_service(NOTIFY_DOMAIN, LEGACY_SERVICE)

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.services.has_service(NOTIFY_DOMAIN, LEGACY_SERVICE)


def _deprecation_issue(
    issue_registry: ir.IssueRegistry, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    """Return the issue telling that notify.<old name> was called, if there is one."""
    return issue_registry.async_get_issue(
        DOMAIN, f"deprecated_notify_service_{entry.entry_id}"
    )


async def test_legacy_service_keeps_its_name_when_the_entry_is_renamed(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """notify.<name> comes from the gateway's serial, not the entry's title."""
    hass.config_entries.async_update_entry(init_integration, title="Basement")
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert hass.services.has_service(NOTIFY_DOMAIN, LEGACY_SERVICE)
    assert not hass.services.has_service(NOTIFY_DOMAIN, "basement")
    await _notify(hass, target=NUMBER)
    assert sms_requests(simulator) == 1
    assert _deprecation_issue(issue_registry, init_integration) is None


async def test_legacy_service_of_a_renamed_entry_made_before_1_2(
    hass: HomeAssistant, simulator: Simulator, issue_registry: ir.IssueRegistry
) -> None:
    """An older entry's title-based name keeps working beside the stable one, with a hint."""
    current = entry_for(simulator)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Basement gateway",
        unique_id=current.unique_id,
        version=1,
        minor_version=1,
        data=dict(current.data),
    )
    await setup_entry(hass, entry)
    assert entry.data[CONF_LEGACY_NOTIFY_SERVICE] == "basement_gateway"

    await _notify(hass, target=NUMBER)
    assert _deprecation_issue(issue_registry, entry) is None

    await hass.services.async_call(
        NOTIFY_DOMAIN,
        "basement_gateway",
        {ATTR_MESSAGE: "Hello", "target": NUMBER},
        blocking=True,
    )
    assert sms_requests(simulator) == 2
    issue = _deprecation_issue(issue_registry, entry)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_placeholders == {
        "gateway": "Basement gateway",
        "old": "notify.basement_gateway",
        "new": f"notify.{LEGACY_SERVICE}",
    }

    # Renamed again, the entry keeps both names; unloaded, it offers neither.
    hass.config_entries.async_update_entry(entry, title="Cellar")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.services.has_service(NOTIFY_DOMAIN, "basement_gateway")
    assert hass.services.has_service(NOTIFY_DOMAIN, LEGACY_SERVICE)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert not hass.services.has_service(NOTIFY_DOMAIN, "basement_gateway")
    assert not hass.services.has_service(NOTIFY_DOMAIN, LEGACY_SERVICE)

    await hass.config_entries.async_remove(entry.entry_id)
    assert _deprecation_issue(issue_registry, entry) is None


@pytest.mark.usefixtures("init_integration")
async def test_send_to_recipient(hass: HomeAssistant, simulator: Simulator) -> None:
    """notify.send_message reaches the recipient's number through its port."""
    await _send_message(hass, "notify.alice", "Dinner is ready 🍝")

    [sent] = simulator.sent
    assert (sent.number, sent.port, sent.encoding) == (ALICE, 1, "unicode")
    assert sent.text == "Dinner is ready 🍝"
    state = hass.states.get("notify.alice")
    assert state is not None
    assert state.state != "unknown"


async def test_add_recipient(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A recipient added in the UI gets its entity at once, without a reload."""
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, "recipient"), context={"source": "user"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    port_selector = result["data_schema"].schema["port"]  # type: ignore[union-attr]
    assert [option["label"] for option in port_selector.config["options"]] == [
        "1",
        "2",
        "3",
        "4",
    ]

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Bob", "number": "0170 123"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"number": "invalid_number"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Bob", "number": " +4917099887766 ", "port": "3"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bob"
    assert result["data"] == {"number": "+4917099887766", "port": "3"}
    await hass.async_block_till_done()

    with pytest.raises(HomeAssistantError) as err:
        await _send_message(hass, "notify.bob", "Hi Bob")
    assert_error(err.value, "no_usable_port")
    assert simulator.sent == []
    assert init_integration.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("init_integration")
async def test_add_recipient_twice(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A number is one recipient."""
    result = await hass.config_entries.subentries.async_init(
        (init_integration.entry_id, "recipient"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Alice again", "number": ALICE}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_recipient(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A recipient's number, name and port can change; the entity follows."""
    [subentry_id] = init_integration.subentries
    result = await init_integration.start_subentry_reconfigure_flow(hass, subentry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    suggested = {
        str(key): key.description["suggested_value"]  # type: ignore[index]
        for key in result["data_schema"].schema  # type: ignore[union-attr]
    }
    assert suggested == {"name": "Alice", "number": ALICE, "port": "1"}

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Alice", "number": "alice"}
    )
    assert result["errors"] == {"number": "invalid_number"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Alice Work", "number": "+4930123456"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    assert init_integration.subentries[subentry_id].title == "Alice Work"
    await _send_message(hass, "notify.alice", "New number")
    [sent] = simulator.sent
    assert (sent.number, sent.port) == ("+4930123456", 0)


async def test_recipient_port_gone(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A recipient's port that the gateway no longer has is refused, not guessed."""
    [subentry] = init_integration.subentries.values()
    hass.config_entries.async_update_subentry(
        init_integration, subentry, data={"number": ALICE, "port": "7"}
    )

    with pytest.raises(ServiceValidationError) as err:
        await _send_message(hass, "notify.alice", "Hello")

    assert_error(err.value, "invalid_port")
    assert sms_requests(simulator) == 0


async def test_remove_recipient(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Removing a recipient removes its entity."""
    [subentry_id] = init_integration.subentries

    assert hass.config_entries.async_remove_subentry(init_integration, subentry_id)
    await hass.async_block_till_done()

    assert hass.states.get("notify.alice") is None
    assert entity_registry.async_get("notify.alice") is None


async def test_recipient_flow_of_unloaded_gateway(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A gateway that is not loaded offers no ports to choose from."""
    simulator.faults.offline = True
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY

    result = await hass.config_entries.subentries.async_init(
        (config_entry.entry_id, "recipient"), context={"source": "user"}
    )

    port_selector = result["data_schema"].schema["port"]  # type: ignore[union-attr]
    assert port_selector.config["options"] == []


async def test_no_yaml_configuration(hass: HomeAssistant) -> None:
    """The notify service comes from the UI only; a YAML platform sets up nothing."""
    assert await async_setup_component(
        hass, NOTIFY_DOMAIN, {NOTIFY_DOMAIN: [{"platform": DOMAIN}]}
    )
    await hass.async_block_till_done()

    assert not hass.services.has_service(NOTIFY_DOMAIN, DOMAIN)
