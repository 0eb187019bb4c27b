"""The send_sms, get_sms_status and stop_sms_task actions against the simulator."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.dinstar.const import (
    CONF_DEFAULT_ENCODING,
    CONF_DEFAULT_PORTS,
    CONF_DELIVERY_REPORTS,
    CONF_URL,
    DOMAIN,
    PORT_SCAN_INTERVAL,
)
from custom_components.dinstar.pydinstar import (
    FIRST_POLL_DELAY,
    MAX_RECIPIENTS,
    POLL_INTERVAL_SENDING,
    DinstarValidationError,
)
from dinstar_simulator import Simulator, SimulatorConfig
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr

from .conftest import PASSWORD, SERIAL, USERNAME
from .sending import (
    NUMBER,
    assert_error,
    async_advance,
    async_call,
    async_send,
    async_status,
    sms_requests,
)

pytestmark = pytest.mark.usefixtures("init_integration")

NUMBERS = [f"+49170{index:07d}" for index in range(300)]


def _port_2_and_gateway(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry
) -> tuple[dr.DeviceEntry, dr.DeviceEntry]:
    """Return the device of port 2 (API port 1) and the gateway's own device."""
    port_2 = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"{SERIAL}-port-1"), entry.entry_id
    )
    gateway = device_registry.async_get_device_by_identifier(
        (DOMAIN, SERIAL), entry.entry_id
    )
    assert port_2 is not None
    assert gateway is not None
    return port_2, gateway


async def test_send_one(hass: HomeAssistant, simulator: Simulator) -> None:
    """The gateway gets one request; the response tells how to track the message."""
    response = await async_send(hass)

    assert sms_requests(simulator) == 1
    [sent] = simulator.sent
    assert (sent.number, sent.text, sent.encoding) == (NUMBER, "Hello", "gsm-7bit")
    assert sent.request_status_report is True
    [message] = response["messages"]
    assert message == {
        "recipient": NUMBER,
        "tracking_id": sent.user_id,
        "task_id": sent.task_id,
    }
    assert response["task_ids"] == [sent.task_id]
    assert response["segments"] == 1
    assert response["encoding"] == "gsm-7bit"


async def test_send_300_in_3_requests(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """More than 128 recipients go out in requests of at most 128, each number once."""
    response = await async_send(hass, recipients=[*NUMBERS, NUMBERS[0]])

    assert sms_requests(simulator) == 3
    assert [sms.number for sms in simulator.sent] == NUMBERS
    assert [sms.task_id for sms in simulator.sent] == [1] * 128 + [2] * 128 + [3] * 44
    assert response["task_ids"] == [1, 2, 3]
    tracking_ids = [message["tracking_id"] for message in response["messages"]]
    assert tracking_ids == [sms.user_id for sms in simulator.sent]
    assert len(set(tracking_ids)) == 300


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("Hello", "gsm-7bit", 1),
        ("Grüße, 5 € für {alle}", "gsm-7bit", 1),
        ("x" * 160, "gsm-7bit", 1),
        ("x" * 161, "gsm-7bit", 2),
        ("Привет", "unicode", 1),
        ("ok 👍", "unicode", 1),
        ("я" * 70, "unicode", 1),
        ("я" * 71, "unicode", 2),
        ("я" * 670, "unicode", 10),
    ],
)
async def test_auto_encoding(
    hass: HomeAssistant,
    simulator: Simulator,
    text: str,
    encoding: str,
    segments: int,
) -> None:
    """Automatic encoding sends GSM 7-bit when the text fits its alphabet."""
    response = await async_send(hass, message=text)

    [sent] = simulator.sent
    assert (sent.encoding, sent.segments, sent.text) == (encoding, segments, text)
    assert (response["encoding"], response["segments"]) == (encoding, segments)


async def test_unicode_on_request(hass: HomeAssistant, simulator: Simulator) -> None:
    """An explicit encoding is used even when GSM 7-bit would fit."""
    response = await async_send(hass, message="x" * 71, encoding="unicode")

    [sent] = simulator.sent
    assert (sent.encoding, sent.segments) == ("unicode", 2)
    assert response["segments"] == 2


async def test_ports_and_report_option(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Ports are panel labels; delivery reports can be turned off per call."""
    await async_send(hass, ports=[2], delivery_report=False)

    [sent] = simulator.sent
    assert sent.port == 1
    assert sent.request_status_report is False


async def test_options_are_the_defaults(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """Without arguments the options decide."""
    hass.config_entries.async_update_entry(
        init_integration,
        options={
            CONF_DEFAULT_PORTS: ["1"],
            CONF_DEFAULT_ENCODING: "unicode",
            CONF_DELIVERY_REPORTS: False,
        },
    )
    await hass.async_block_till_done()

    await async_send(hass)
    await async_send(hass, encoding="auto", delivery_report=True, ports=[1])

    first, second = simulator.sent
    assert (first.port, first.encoding, first.request_status_report) == (
        1,
        "unicode",
        False,
    )
    assert (second.port, second.encoding, second.request_status_report) == (
        0,
        "gsm-7bit",
        True,
    )


async def test_default_port_gone(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A default port the gateway no longer has is refused, not skipped for any port."""
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_DEFAULT_PORTS: ["1", "9"]}
    )
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await async_send(hass)

    assert_error(err.value, "default_port_gone")
    assert err.value.translation_placeholders == {"port": "10", "ports": "1, 2, 3, 4"}
    assert sms_requests(simulator) == 0
    await async_send(hass, ports=[3, 2])
    [sent] = simulator.sent
    assert sent.port == 1


@pytest.mark.parametrize(
    ("recipients", "sent_to"),
    [
        ([NUMBER, NUMBER[1:], f" {NUMBER} "], [NUMBER]),
        ([NUMBER[1:], NUMBER, "+33612345678"], [NUMBER[1:], "+33612345678"]),
    ],
)
async def test_same_number_with_and_without_plus(
    hass: HomeAssistant, simulator: Simulator, recipients: list[str], sent_to: list[str]
) -> None:
    """A number with and without its leading + is one phone: it gets one SMS."""
    response = await async_send(hass, recipients=recipients)

    assert [sms.number for sms in simulator.sent] == sent_to
    assert [message["recipient"] for message in response["messages"]] == sent_to


async def test_target_devices(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A port device sends through that port, the gateway device through any."""
    port_2, gateway = _port_2_and_gateway(device_registry, init_integration)

    await async_send(hass, device_id=port_2.id)
    await async_send(
        hass, device_id=gateway.id, config_entry_id=init_integration.entry_id
    )

    assert [sms.port for sms in simulator.sent] == [1, 0]


async def test_ports_and_port_devices(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Ports come from the ports field or from port devices, never both."""
    port_2, gateway = _port_2_and_gateway(device_registry, init_integration)

    with pytest.raises(ServiceValidationError) as err:
        await async_send(hass, device_id=port_2.id, ports=[1])
    assert_error(err.value, "ports_and_port_devices")
    with pytest.raises(ServiceValidationError) as err:
        await async_call(
            hass, "send_ussd", {"device_id": port_2.id, "port": 1, "code": "*100#"}
        )
    assert_error(err.value, "ports_and_port_devices")
    assert sms_requests(simulator) == 0
    assert not any(record.path == "/api/send_ussd" for record in simulator.requests)

    await async_send(hass, device_id=gateway.id, ports=[1])
    assert [sms.port for sms in simulator.sent] == [0]


async def test_port_device_gone(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A port device of a port the gateway no longer reports is refused."""
    stale = device_registry.async_get_or_create(
        config_entry_id=init_integration.entry_id,
        identifiers={(DOMAIN, f"{SERIAL}-port-7")},
    )

    with pytest.raises(ServiceValidationError) as err:
        await async_send(hass, device_id=stale.id)
    assert_error(err.value, "invalid_port")
    assert err.value.translation_placeholders == {"port": "8", "ports": "1, 2, 3, 4"}
    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "send_ussd", {"device_id": stale.id, "code": "*100#"})
    assert_error(err.value, "invalid_port")
    assert sms_requests(simulator) == 0
    assert not any(record.path == "/api/send_ussd" for record in simulator.requests)


async def test_unknown_devices(
    hass: HomeAssistant,
    simulator: Simulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A device that is not a gateway's is refused."""
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    foreign = device_registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "thing")}
    )

    for device_id in ("no-such-device", foreign.id):
        with pytest.raises(ServiceValidationError) as err:
            await async_send(hass, device_id=device_id)
        assert_error(err.value, "unknown_device")
        assert err.value.translation_placeholders == {"device_id": device_id}
    assert sms_requests(simulator) == 0


async def test_several_gateways(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """An action targets one gateway; without a target it needs the only one."""
    async with Simulator(
        SimulatorConfig(
            username=USERNAME,
            password=PASSWORD,
            serial="beef-0000-0000-0002",
            clock_speed=1000,
        )
    ) as other_sim:
        other = MockConfigEntry(
            domain=DOMAIN,
            title="Dinstar beef",
            unique_id="beef-0000-0000-0002",
            data={
                CONF_URL: other_sim.url,
                CONF_USERNAME: USERNAME,
                CONF_PASSWORD: PASSWORD,
                CONF_VERIFY_SSL: False,
            },
        )
        other.add_to_hass(hass)
        await hass.config_entries.async_setup(other.entry_id)
        await hass.async_block_till_done()
        ours = device_registry.async_get_device_by_identifier(
            (DOMAIN, SERIAL), init_integration.entry_id
        )
        theirs = device_registry.async_get_device_by_identifier(
            (DOMAIN, "beef-0000-0000-0002"), other.entry_id
        )
        assert ours is not None
        assert theirs is not None

        with pytest.raises(ServiceValidationError) as err:
            await async_send(hass, device_id=[ours.id, theirs.id])
        assert_error(err.value, "several_gateways")
        with pytest.raises(ServiceValidationError) as err:
            await async_send(
                hass, device_id=theirs.id, config_entry_id=init_integration.entry_id
            )
        assert_error(err.value, "several_gateways")
        with pytest.raises(ServiceValidationError) as err:
            await async_send(hass)
        assert_error(err.value, "choose_gateway")
        assert "gateway" in str(err.value)
        assert "port devices" in str(err.value)

        await async_send(hass, device_id=theirs.id)
        assert len(other_sim.sent) == 1
        assert sms_requests(simulator) == 0
        await hass.config_entries.async_unload(other.entry_id)


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"recipients": ["0170 1234"]}, "invalid_number", {"number": "0170 1234"}),
        ({"recipients": [NUMBER, "call me"]}, "invalid_number", {"number": "call me"}),
        (
            {"recipients": ["+" + "1" * 24]},
            "invalid_number",
            {"number": "+" + "1" * 24},
        ),
        ({"recipients": []}, "no_recipients", {}),
        (
            {"recipients": [f"+49170{n:07}" for n in range(MAX_RECIPIENTS + 1)]},
            "too_many_recipients",
            {"count": str(MAX_RECIPIENTS + 1), "max": str(MAX_RECIPIENTS)},
        ),
        ({"message": " \n "}, "empty_message", {}),
        ({"message": "x" * 1501}, "message_too_long", {"size": "1501", "max": "1500"}),
        (
            {"encoding": "utf-8"},
            "invalid_encoding",
            {"encoding": "utf-8", "encodings": "auto, unicode, gsm-7bit"},
        ),
        ({"message": "Привет", "encoding": "gsm-7bit"}, "not_gsm7", {}),
        (
            {"message": "я" * 671},
            "too_many_segments",
            {"segments": "11", "max": "10", "encoding": "unicode"},
        ),
        (
            {"message": "x" * 1500, "encoding": "unicode"},
            "too_many_segments",
            {"segments": "23", "max": "10", "encoding": "unicode"},
        ),
        ({"ports": [0]}, "invalid_port", {"port": "0", "ports": "1, 2, 3, 4"}),
        ({"ports": [1, 5]}, "invalid_port", {"port": "5", "ports": "1, 2, 3, 4"}),
    ],
)
async def test_invalid_input(
    hass: HomeAssistant,
    simulator: Simulator,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Every bad input is refused with a translated error before anything is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await async_send(hass, **data)

    assert_error(err.value, key)
    assert err.value.translation_placeholders == placeholders
    assert sms_requests(simulator) == 0


async def test_gateway_unavailable(hass: HomeAssistant, simulator: Simulator) -> None:
    """Nothing is sent to a gateway that stopped answering, until it answers again."""
    simulator.faults.offline = True
    await async_advance(hass, PORT_SCAN_INTERVAL.total_seconds())
    simulator.faults.offline = False

    with pytest.raises(HomeAssistantError) as err:
        await async_send(hass)
    # Not the caller's mistake: no ServiceValidationError (that class is for bad input).
    assert not isinstance(err.value, ServiceValidationError)
    assert_error(err.value, "gateway_unavailable")
    assert sms_requests(simulator) == 0

    await async_advance(hass, PORT_SCAN_INTERVAL.total_seconds())
    await async_send(hass)
    assert sms_requests(simulator) == 1


async def test_no_registered_port(hass: HomeAssistant, simulator: Simulator) -> None:
    """Ports without a registered SIM: the gateway refuses, nothing is tracked."""
    with pytest.raises(HomeAssistantError) as err:
        await async_send(hass, ports=[3, 4])

    assert_error(err.value, "no_usable_port")
    assert sms_requests(simulator) == 1
    response = await async_call(hass, "get_sms_status", {})
    assert response == {"messages": []}


@pytest.mark.parametrize(
    "fault", [{"error_codes": {"send_sms": 500}}, {"http_500": True}], ids=str
)
async def test_send_fails_once(
    hass: HomeAssistant, simulator: Simulator, fault: dict[str, Any]
) -> None:
    """A refused send is reported and never retried (a retry is a duplicate SMS)."""
    for name, value in fault.items():
        setattr(simulator.faults, name, value)

    with pytest.raises(HomeAssistantError) as err:
        await async_send(hass)

    assert_error(err.value, "gateway_error")
    assert sms_requests(simulator) == 1
    assert simulator.sent == []
    assert await async_call(hass, "get_sms_status", {}) == {"messages": []}


@pytest.mark.parametrize(
    ("fault", "queued", "status"),
    [("malformed_body", True, "delivered"), ("drop_connection", False, "failed")],
)
async def test_send_with_its_answer_lost(
    hass: HomeAssistant,
    simulator: Simulator,
    fault: str,
    queued: bool,
    status: str,
) -> None:
    """A send whose answer is lost may have been queued: told so, tracked, never retried."""
    setattr(simulator.faults, fault, True)

    with pytest.raises(HomeAssistantError) as err:
        await async_send(hass)

    assert_error(err.value, "send_unconfirmed")
    assert err.value.translation_placeholders["unconfirmed"] == "1"
    assert err.value.translation_placeholders["queued"] == "0"
    assert sms_requests(simulator) == 1
    assert len(simulator.sent) == int(queued)
    response = await async_call(hass, "get_sms_status", {})
    [message] = response["messages"]  # type: ignore[index]
    assert (message["status"], message["task_id"]) == ("sending", None)

    # The results settle what the gateway did: with its queue empty, a message
    # without a result row in two rounds was never taken.
    setattr(simulator.faults, fault, False)
    await simulator.wait_idle()
    await async_advance(hass, FIRST_POLL_DELAY)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    response = await async_call(hass, "get_sms_status", {})
    assert response["messages"][0]["status"] == status  # type: ignore[index]


async def test_cancelled_send_is_tracked(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A send cancelled while its request is out (a restarted automation) is tracked."""
    simulator.stall_replies("send_sms")
    call = asyncio.ensure_future(async_send(hass))
    await simulator.wait_stalled()  # the gateway took it, its reply is held back
    assert not call.done()
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    response = await async_call(hass, "get_sms_status", {})
    [message] = response["messages"]  # type: ignore[index]
    assert (message["status"], message["task_id"]) == ("sending", None)

    # The gateway took the request: the results settle the message.
    simulator.release_replies()
    await simulator.wait_idle()
    await async_advance(hass, FIRST_POLL_DELAY)
    await async_advance(hass, POLL_INTERVAL_SENDING)
    status = await async_status(hass, message["tracking_id"])
    assert status == "delivered"
    assert sms_requests(simulator) == 1


async def test_unconfirmed_waits_for_the_queue(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """An unconfirmed message is only given up once the gateway's queue is empty."""
    simulator.config.send_seconds = 10**6  # the first message stays in the queue
    await async_send(hass, ports=[1])
    simulator.faults.drop_connection = True
    with pytest.raises(HomeAssistantError):
        await async_send(hass, recipients=["+33612345678"])
    simulator.faults.drop_connection = False
    tracking_ids = [
        message["tracking_id"]
        for message in (await async_call(hass, "get_sms_status", {}))["messages"]  # type: ignore[union-attr]
    ]

    await async_advance(hass, FIRST_POLL_DELAY)
    assert [await async_status(hass, id_) for id_ in tracking_ids] == [
        "sending",
        "sending",
    ]

    await simulator.reboot()  # fails what it had queued: the queue is empty
    await async_advance(hass, POLL_INTERVAL_SENDING)
    # Missing once with the queue empty could be an SMS between two rows.
    assert [await async_status(hass, id_) for id_ in tracking_ids] == [
        "failed",
        "sending",
    ]
    await async_advance(hass, POLL_INTERVAL_SENDING)
    assert [await async_status(hass, id_) for id_ in tracking_ids] == [
        "failed",
        "failed",
    ]


async def test_send_incomplete(hass: HomeAssistant, simulator: Simulator) -> None:
    """When a later request fails, what was queued is tracked and the rest never sent."""
    simulator.faults.latency = 0.1
    call = asyncio.ensure_future(async_send(hass, recipients=NUMBERS))
    while len(simulator.sent) < 128:
        await asyncio.sleep(0.005)
    simulator.faults.error_codes["send_sms"] = 500

    with pytest.raises(HomeAssistantError) as err:
        await call

    assert_error(err.value, "send_incomplete")
    assert err.value.translation_placeholders == {"queued": "128", "not_sent": "172"}
    assert sms_requests(simulator) == 2
    assert len(simulator.sent) == 128
    response = await async_call(hass, "get_sms_status", {})
    assert response is not None
    tracked = response["messages"]
    assert [message["recipient"] for message in tracked] == NUMBERS[:128]  # type: ignore[union-attr]


async def test_get_sms_status(hass: HomeAssistant, simulator: Simulator) -> None:
    """The status of messages by tracking id, or of all; unknown ids are refused."""
    first = await async_send(hass, message="x" * 200)
    second = await async_send(hass, recipients=["+33612345678"])
    first_id = first["messages"][0]["tracking_id"]
    second_id = second["messages"][0]["tracking_id"]

    response = await async_call(hass, "get_sms_status", {"tracking_ids": [second_id]})
    assert response == {
        "messages": [
            {
                "tracking_id": second_id,
                "recipient": "+33612345678",
                "status": "sending",
                "port": None,
                "segments": 1,
                "task_id": 2,
                "ref_id": None,
                "tp_status": None,
                "tp_status_meaning": None,
                "sent_at": response["messages"][0]["sent_at"],  # type: ignore[index]
                "updated_at": response["messages"][0]["updated_at"],  # type: ignore[index]
            }
        ]
    }
    everything = await async_call(hass, "get_sms_status", {})
    assert everything is not None
    assert [message["tracking_id"] for message in everything["messages"]] == [  # type: ignore[union-attr]
        first_id,
        second_id,
    ]
    assert everything["messages"][0]["segments"] == 2  # type: ignore[index]

    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "get_sms_status", {"tracking_ids": [second_id + 1]})
    assert_error(err.value, "unknown_tracking_id")


@pytest.fixture
def simulator_config(
    request: pytest.FixtureRequest, simulator_config: SimulatorConfig
) -> SimulatorConfig:
    """Return the gateway; a test may set its clock speed (indirect parameter)."""
    simulator_config.clock_speed = getattr(
        request, "param", simulator_config.clock_speed
    )
    return simulator_config


@pytest.mark.parametrize("simulator_config", [1.0], indirect=True)
async def test_stop_sms_task(hass: HomeAssistant, simulator: Simulator) -> None:
    """Stopping a task fails its messages still queued; an unknown task is refused."""
    response = await async_send(hass, recipients=NUMBERS[:3], ports=[1])
    task_id = response["task_ids"][0]
    queued = [message["tracking_id"] for message in response["messages"][1:]]

    await async_call(hass, "stop_sms_task", {"task_id": task_id})
    await async_advance(hass, FIRST_POLL_DELAY)

    assert [sms.status for sms in simulator.sent[1:]] == ["FAILED", "FAILED"]
    assert [await async_status(hass, tracking_id) for tracking_id in queued] == [
        "failed",
        "failed",
    ]
    assert sms_requests(simulator) == 1

    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "stop_sms_task", {"task_id": task_id + 1})
    assert_error(err.value, "unknown_task")
    assert err.value.translation_placeholders == {"task_id": str(task_id + 1)}


@pytest.mark.parametrize(
    "task_id", [1.5, -1, "1.0", "one", True, 2**31, 10**30, 1e30, "10**30"]
)
async def test_stop_sms_task_refuses_what_is_no_task_id(
    hass: HomeAssistant, simulator: Simulator, task_id: object
) -> None:
    """A task id that is not a whole number in range is refused, never rounded."""
    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "stop_sms_task", {"task_id": task_id})
    assert_error(err.value, "invalid_task_id")
    assert not [r for r in simulator.requests if r.path == "/api/stop_sms"]


@pytest.mark.parametrize(("task_id", "sent"), [(7.0, "7"), (" 7", "7"), ("0", "0")])
async def test_stop_sms_task_takes_whole_numbers(
    hass: HomeAssistant, simulator: Simulator, task_id: object, sent: str
) -> None:
    """A whole number, also as 7.0 or text, is the task id asked for."""
    with pytest.raises(ServiceValidationError) as err:
        await async_call(hass, "stop_sms_task", {"task_id": task_id})
    assert_error(err.value, "unknown_task")
    [stop] = [r for r in simulator.requests if r.path == "/api/stop_sms"]
    assert stop.query_string == f"task_id={sent}"


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        ({"error_codes": {"stop_sms": 500}}, "gateway_error"),
        ({"drop_connection": True}, "cannot_connect"),
    ],
)
async def test_stop_sms_task_fails(
    hass: HomeAssistant, simulator: Simulator, fault: dict[str, Any], key: str
) -> None:
    """A gateway error while stopping a task is reported as such."""
    for name, value in fault.items():
        setattr(simulator.faults, name, value)

    with pytest.raises(HomeAssistantError) as err:
        await async_call(hass, "stop_sms_task", {"task_id": 1})
    assert_error(err.value, key)


async def test_a_local_check_is_not_a_gateway_error(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """A request the library refuses before sending reads as not sent, not as the gateway's error.

    The integration's own checks come first, so only a library that checks more
    than they do gets here: no simulator switch can make that, hence the patch.
    """
    client = init_integration.runtime_data.client
    with (
        patch.object(
            client, "stop_sms", side_effect=DinstarValidationError("a local check")
        ),
        pytest.raises(HomeAssistantError) as err,
    ):
        await async_call(hass, "stop_sms_task", {"task_id": 1})
    assert_error(err.value, "invalid_request")
    assert (
        str(err.value)
        == "Not sent: the request is not valid for the gateway: a local check"
    )
    assert [r for r in simulator.requests if r.path == "/api/stop_sms"] == []


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("send_sms", {"recipients": [NUMBER], "message": "Hello"}),
        ("stop_sms_task", {"task_id": 1}),
        ("send_ussd", {"port": 1, "code": "*100#"}),
        ("port_action", {"port": 1, "action": "lock"}),
    ],
)
async def test_refused_credentials_start_reauth(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    """A password changed on the gateway fails the action and asks for the new one at once."""
    simulator.config.password = "changed-on-the-device"

    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(DOMAIN, service, data, blocking=True)
    await hass.async_block_till_done()

    # The gateway's doing, not the caller's input.
    assert not isinstance(err.value, ServiceValidationError)
    assert_error(err.value, "action_invalid_auth")
    assert err.value.translation_placeholders == {"gateway": init_integration.title}
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"],
        {CONF_USERNAME: USERNAME, CONF_PASSWORD: "changed-on-the-device"},
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    sent = await async_send(hass)
    assert [message["recipient"] for message in sent["messages"]] == [NUMBER]


async def test_credentials_refused_part_way_start_reauth(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A send refused part-way tells what was queued, and asks for the new password."""
    simulator.faults.latency = 0.1
    call = asyncio.ensure_future(async_send(hass, recipients=NUMBERS))
    while len(simulator.sent) < 128:
        await asyncio.sleep(0.005)
    simulator.config.password = "changed-on-the-device"

    with pytest.raises(HomeAssistantError) as err:
        await call
    await hass.async_block_till_done()

    assert_error(err.value, "send_incomplete")
    assert err.value.translation_placeholders == {"queued": "128", "not_sent": "172"}
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
