"""Actions of the Dinstar integration: SMS with delivery tracking, task stop, USSD, port actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import probatio

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.service import async_get_config_entry
from homeassistant.util.json import JsonValueType

from .const import (
    CONF_DEFAULT_ENCODING,
    CONF_DEFAULT_PORTS,
    CONF_DELIVERY_REPORTS,
    DEFAULT_DELIVERY_REPORTS,
    DOMAIN,
    ENCODING_AUTO,
    phone_key,
    port_label,
)
from .coordinator import DinstarConfigEntry
from .devices import device_port
from .errors import action_error
from .outbox import SmsRequest
from .port_control import async_control_port
from .pydinstar import (
    MAX_RECIPIENTS,
    MAX_SEGMENTS,
    MAX_TASK_ID,
    MAX_TEXT_BYTES,
    MAX_USSD_BYTES,
    DinstarApiError,
    DinstarError,
    DinstarSendIncompleteError,
    DinstarValidationError,
    PortAction,
    SmsEncoding,
    best_encoding,
    count_segments,
    fits_gsm7,
    validate_number,
    validate_ussd_code,
)
from .ussd import DEFAULT_USSD_TIMEOUT

SERVICE_SEND_SMS = "send_sms"
SERVICE_GET_SMS_STATUS = "get_sms_status"
SERVICE_STOP_SMS_TASK = "stop_sms_task"
SERVICE_SEND_USSD = "send_ussd"
SERVICE_PORT_ACTION = "port_action"

ATTR_RECIPIENTS = "recipients"
ATTR_MESSAGE = "message"
ATTR_PORTS = "ports"
ATTR_ENCODING = "encoding"
ATTR_DELIVERY_REPORT = "delivery_report"
ATTR_TRACKING_IDS = "tracking_ids"
ATTR_TASK_ID = "task_id"
ATTR_PORT = "port"
ATTR_CODE = "code"
ATTR_CANCEL = "cancel"
ATTR_TIMEOUT = "timeout"
ATTR_ACTION = "action"

# The port actions without an entity of their own (restart, power and slot have one).
PORT_ACTIONS: Final = (
    PortAction.LOCK,
    PortAction.UNLOCK,
    PortAction.BLOCK,
    PortAction.UNBLOCK,
)
ENCODINGS = (ENCODING_AUTO, *(str(encoding) for encoding in SmsEncoding))
# What the data of notify.<gateway> takes: the options of send_sms.
NOTIFY_DATA_KEYS: Final = (ATTR_PORTS, ATTR_ENCODING, ATTR_DELIVERY_REPORT)
_NO_GATEWAY_ERROR = 550

_GATEWAY_SCHEMA = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional(ATTR_DEVICE_ID): probatio.All(cv.ensure_list, [cv.string]),
    }
)
SEND_SMS_SCHEMA = _GATEWAY_SCHEMA.extend(
    {
        probatio.Required(ATTR_RECIPIENTS): probatio.All(cv.ensure_list, [cv.string]),
        probatio.Required(ATTR_MESSAGE): cv.string,
        probatio.Optional(ATTR_PORTS): probatio.All(cv.ensure_list, [cv.positive_int]),
        probatio.Optional(ATTR_ENCODING): cv.string,
        probatio.Optional(ATTR_DELIVERY_REPORT): cv.boolean,
    }
)
GET_SMS_STATUS_SCHEMA = _GATEWAY_SCHEMA.extend(
    {
        probatio.Optional(ATTR_TRACKING_IDS): probatio.All(
            cv.ensure_list, [cv.positive_int]
        ),
    }
)
# Checked in the action, with a clear message: cv.positive_int turns 1.5 into 1.
STOP_SMS_TASK_SCHEMA = _GATEWAY_SCHEMA.extend(
    {probatio.Required(ATTR_TASK_ID): probatio.Any(int, float, str)}
)
SEND_USSD_SCHEMA = _GATEWAY_SCHEMA.extend(
    {
        probatio.Optional(ATTR_PORT): cv.positive_int,
        probatio.Optional(ATTR_CODE, default=""): cv.string,
        probatio.Optional(ATTR_CANCEL, default=False): cv.boolean,
        probatio.Optional(ATTR_TIMEOUT, default=DEFAULT_USSD_TIMEOUT): probatio.All(
            probatio.Coerce(float), probatio.Range(min=1, max=300)
        ),
    }
)

PORT_ACTION_SCHEMA = _GATEWAY_SCHEMA.extend(
    {
        probatio.Optional(ATTR_PORT): cv.positive_int,
        probatio.Required(ATTR_ACTION): cv.string,
    }
)


def _invalid(key: str, **placeholders: object) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            name: str(value) for name, value in placeholders.items()
        },
    )


def _resolve_target(
    hass: HomeAssistant, call: ServiceCall
) -> tuple[DinstarConfigEntry, list[int]]:
    """Return the gateway an action targets and the ports of targeted port devices."""
    entry_id: str | None = call.data.get(ATTR_CONFIG_ENTRY_ID)
    registry = dr.async_get(hass)
    gateways = {entry.entry_id for entry in hass.config_entries.async_entries(DOMAIN)}
    devices: list[dr.DeviceEntry] = []
    for device_id in call.data.get(ATTR_DEVICE_ID, []):
        device = registry.async_get(device_id, include_child_devices=False)
        owner = None if device is None else device.config_entry_id
        if device is None or owner not in gateways:
            raise _invalid("unknown_device", device_id=device_id)
        if entry_id not in (None, owner):
            raise _invalid("several_gateways")
        entry_id = owner
        devices.append(device)
    if entry_id is None and (
        len(
            hass.config_entries.async_entries(
                DOMAIN, include_ignore=False, include_disabled=False
            )
        )
        > 1
    ):
        # Home Assistant's "Found multiple config entries" does not say how to choose.
        raise _invalid("choose_gateway")
    entry: DinstarConfigEntry = async_get_config_entry(hass, DOMAIN, entry_id)
    ports = [
        port for device in devices if (port := device_port(entry, device)) is not None
    ]
    return entry, ports


def _available(entry: DinstarConfigEntry) -> DinstarConfigEntry:
    """Return the entry, refusing a gateway that does not answer."""
    if not entry.runtime_data.port_coordinator.last_update_success:
        # The gateway's state, not the caller's input: not a ServiceValidationError.
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="gateway_unavailable",
            translation_placeholders={"gateway": entry.title},
        )
    return entry


def _labels(ports: Iterable[int]) -> str:
    """Return the front panel labels of API port numbers, for an error message."""
    return ", ".join(port_label(port) for port in sorted(ports))


def api_ports(entry: DinstarConfigEntry, labels: Iterable[str | int]) -> list[int]:
    """Return the API numbers of front panel labels, refusing ports the gateway lacks."""
    known = entry.runtime_data.port_coordinator.data.ports
    ports: list[int] = []
    for label in labels:
        text = str(label).strip()
        if not text.isdecimal() or (port := int(text) - 1) not in known:
            raise _invalid("invalid_port", port=label, ports=_labels(known))
        ports.append(port)
    return ports


def _chosen_ports(
    entry: DinstarConfigEntry,
    labels: Iterable[str | int] | None,
    device_ports: Sequence[int],
) -> list[int]:
    """Return the ports of the ports field or of targeted port devices, not both.

    Port devices outlive a port for a moment (until the next port scan removes
    them): their ports are checked against the gateway's like labels are.
    """
    if labels is None:
        return api_ports(entry, [port_label(port) for port in device_ports])
    if device_ports:
        raise _invalid("ports_and_port_devices")
    return api_ports(entry, labels)


def prepare_sms(
    entry: DinstarConfigEntry,
    *,
    text: str,
    numbers: Sequence[str],
    ports: Sequence[int] | None = None,
    encoding: str | None = None,
    delivery_report: bool | None = None,
) -> SmsRequest:
    """Check everything about an SMS before anything is sent.

    Ports, encoding and delivery reports default to the gateway's options.
    """
    _available(entry)
    options = entry.options
    cleaned: dict[str, str] = {}
    for number in numbers:
        normalized = number.strip()
        try:
            validate_number(normalized)
        except DinstarValidationError as err:
            raise _invalid("invalid_number", number=number) from err
        # Send once to each phone, to the number first given for it.
        cleaned.setdefault(phone_key(normalized), normalized)
    if not cleaned:
        raise _invalid("no_recipients")
    if len(cleaned) > MAX_RECIPIENTS:
        raise _invalid("too_many_recipients", count=len(cleaned), max=MAX_RECIPIENTS)
    if not text.strip():
        raise _invalid("empty_message")
    if (size := len(text.encode())) > MAX_TEXT_BYTES:
        raise _invalid("message_too_long", size=size, max=MAX_TEXT_BYTES)
    choice = (
        options.get(CONF_DEFAULT_ENCODING, ENCODING_AUTO)
        if encoding is None
        else encoding
    )
    if choice not in ENCODINGS:
        raise _invalid(
            "invalid_encoding", encoding=choice, encodings=", ".join(ENCODINGS)
        )
    sms_encoding = (
        best_encoding(text) if choice == ENCODING_AUTO else SmsEncoding(choice)
    )
    if not fits_gsm7(text) and sms_encoding is SmsEncoding.GSM7:
        raise _invalid("not_gsm7")
    if (segments := count_segments(text, sms_encoding)) > MAX_SEGMENTS:
        raise _invalid(
            "too_many_segments",
            segments=segments,
            max=MAX_SEGMENTS,
            encoding=sms_encoding,
        )
    if not ports:
        known = entry.runtime_data.port_coordinator.data.ports
        ports = [int(port) for port in options.get(CONF_DEFAULT_PORTS, [])]
        for port in ports:
            # Skipping it would send through any port, maybe a SIM not wanted.
            if port not in known:
                raise _invalid(
                    "default_port_gone", port=port_label(port), ports=_labels(known)
                )
    return SmsRequest(
        text=text,
        numbers=tuple(cleaned.values()),
        ports=tuple(ports) or None,
        encoding=sms_encoding,
        segments=segments,
        delivery_report=options.get(CONF_DELIVERY_REPORTS, DEFAULT_DELIVERY_REPORTS)
        if delivery_report is None
        else delivery_report,
    )


def prepare_notify_sms(
    entry: DinstarConfigEntry,
    *,
    text: str,
    numbers: Sequence[str],
    data: Mapping[str, Any],
) -> SmsRequest:
    """Check an SMS of notify.<gateway>, whose data takes send_sms's options."""
    if unknown := [str(key) for key in data if key not in NOTIFY_DATA_KEYS]:
        raise _invalid(
            "unknown_notify_data",
            keys=", ".join(unknown),
            allowed=", ".join(NOTIFY_DATA_KEYS),
        )
    labels = data.get(ATTR_PORTS)
    report = data.get(ATTR_DELIVERY_REPORT)
    if report is not None:
        try:
            report = cv.boolean(report)
        except probatio.Invalid as err:
            raise _invalid("invalid_delivery_report", value=report) from err
    return prepare_sms(
        entry,
        text=text,
        numbers=numbers,
        ports=None if labels is None else api_ports(entry, cv.ensure_list(labels)),
        encoding=data.get(ATTR_ENCODING),
        delivery_report=report,
    )


async def async_send_sms(
    entry: DinstarConfigEntry, request: SmsRequest
) -> dict[str, Any]:
    """Send a prepared SMS once and return how to follow each message."""
    try:
        results = await entry.runtime_data.outbox.async_send(request)
    except DinstarSendIncompleteError as err:
        placeholders = {
            "queued": str(sum(len(result.recipients) for result in err.accepted)),
            "not_sent": str(err.pending_recipients),
        }
        if err.unconfirmed:
            placeholders |= {
                "unconfirmed": str(len(err.unconfirmed)),
                "error": str(err.__cause__),
            }
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="send_unconfirmed"
            if err.unconfirmed
            else "send_incomplete",
            translation_placeholders=placeholders,
        ) from err
    except DinstarApiError as err:
        if err.error_code == _NO_GATEWAY_ERROR:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="no_usable_port"
            ) from err
        raise action_error(err) from err
    except DinstarError as err:
        raise action_error(err) from err
    return {
        "messages": [
            {
                "recipient": recipient.number,
                "tracking_id": recipient.user_id,
                "task_id": result.task_id,
            }
            for result in results
            for recipient in result.recipients
        ],
        "task_ids": [result.task_id for result in results],
        "segments": request.segments,
        "encoding": str(request.encoding),
    }


async def _async_send_sms(call: ServiceCall) -> ServiceResponse:
    """Send an SMS to one or more numbers and start tracking each message."""
    entry, device_ports = _resolve_target(call.hass, call)
    request = prepare_sms(
        entry,
        text=call.data[ATTR_MESSAGE],
        numbers=call.data[ATTR_RECIPIENTS],
        ports=_chosen_ports(entry, call.data.get(ATTR_PORTS), device_ports),
        encoding=call.data.get(ATTR_ENCODING),
        delivery_report=call.data.get(ATTR_DELIVERY_REPORT),
    )
    return await async_send_sms(entry, request)


async def _async_get_sms_status(call: ServiceCall) -> ServiceResponse:
    """Return the current status of messages sent from Home Assistant."""
    entry, _ = _resolve_target(call.hass, call)
    outbox = entry.runtime_data.outbox
    tracking_ids = call.data.get(ATTR_TRACKING_IDS)
    if tracking_ids is None:
        tracking_ids = [message.tracking_id for message in outbox.messages]
    messages: list[JsonValueType] = []
    for tracking_id in tracking_ids:
        if (message := outbox.get(tracking_id)) is None:
            raise _invalid("unknown_tracking_id", tracking_id=tracking_id)
        messages.append(message.as_status())
    return {"messages": messages}


def _task_id(value: float | str) -> int:
    """Return a task id given as a whole number, refusing 1.5, true or 10**30."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdecimal() or int(text) > MAX_TASK_ID:
        raise _invalid("invalid_task_id", task_id=value, max=MAX_TASK_ID)
    return int(text)


async def _async_stop_sms_task(call: ServiceCall) -> None:
    """Stop the messages of a send task that are still waiting in the gateway."""
    entry = _available(_resolve_target(call.hass, call)[0])
    task_id = _task_id(call.data[ATTR_TASK_ID])
    try:
        await entry.runtime_data.client.stop_sms(task_id)
    except DinstarApiError as err:
        if err.error_code == 404:
            raise _invalid("unknown_task", task_id=task_id) from err
        raise action_error(err) from err
    except DinstarError as err:
        raise action_error(err) from err


async def _async_send_ussd(call: ServiceCall) -> ServiceResponse:
    """Send a USSD code on a port and return the network's reply, or cancel the session."""
    entry, device_ports = _resolve_target(call.hass, call)
    _available(entry)
    label = call.data.get(ATTR_PORT)
    ports = _chosen_ports(entry, None if label is None else [label], device_ports)
    if len(ports) != 1:
        raise _invalid("ussd_one_port")
    port = ports[0]
    ussd = entry.runtime_data.ussd
    code: str = call.data[ATTR_CODE].strip()
    if not call.data[ATTR_CANCEL]:
        if not code:
            raise _invalid("ussd_code_required")
        if (size := len(code.encode())) > MAX_USSD_BYTES:
            raise _invalid("ussd_too_long", size=size, max=MAX_USSD_BYTES)
        try:
            validate_ussd_code(code)
        except DinstarValidationError as err:
            raise _invalid("invalid_ussd_code") from err
    try:
        if call.data[ATTR_CANCEL]:
            await ussd.async_cancel(port)
            return {"port": int(port_label(port)), "cancelled": True}
        exchange = await ussd.async_send(port, code, call.data[ATTR_TIMEOUT])
    except DinstarError as err:
        raise action_error(err) from err
    return {"port": int(port_label(port)), "code": code, "reply": exchange.reply}


async def _async_port_action(call: ServiceCall) -> None:
    """Run a port action that has no entity: lock, unlock, block or unblock."""
    entry, device_ports = _resolve_target(call.hass, call)
    _available(entry)
    label = call.data.get(ATTR_PORT)
    ports = _chosen_ports(entry, None if label is None else [label], device_ports)
    if len(ports) != 1:
        raise _invalid("port_action_one_port")
    action: str = call.data[ATTR_ACTION]
    if action not in PORT_ACTIONS:
        raise _invalid(
            "invalid_port_action",
            action=action,
            actions=", ".join(str(known) for known in PORT_ACTIONS),
        )
    port = ports[0]
    client = entry.runtime_data.client
    await async_control_port(
        entry, port, action, lambda: client.set_port_info(port, PortAction(action))
    )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_SMS,
        _async_send_sms,
        schema=SEND_SMS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_SMS_STATUS,
        _async_get_sms_status,
        schema=GET_SMS_STATUS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_STOP_SMS_TASK,
        _async_stop_sms_task,
        schema=STOP_SMS_TASK_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_USSD,
        _async_send_ussd,
        schema=SEND_USSD_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_PORT_ACTION,
        _async_port_action,
        schema=PORT_ACTION_SCHEMA,
    )
