"""Actions of the Dinstar integration: SMS with delivery tracking, task stop, USSD, port actions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import probatio

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.service import async_get_config_entry
from homeassistant.util.json import JsonValueType

from .const import DOMAIN, port_label
from .coordinator import DinstarConfigEntry
from .devices import device_port
from .errors import action_error, stop_task_error
from .port_control import async_control_port
from .pydinstar import (
    MAX_TASK_ID,
    MAX_USSD_BYTES,
    DinstarError,
    DinstarValidationError,
    PortAction,
    validate_ussd_code,
)
from .sms_request import (
    ATTR_DELIVERY_REPORT,
    ATTR_ENCODING,
    ATTR_PORTS,
    api_ports,
    async_send_sms,
    invalid_input,
    prepare_sms,
    require_available,
)
from .ussd import DEFAULT_USSD_TIMEOUT

SERVICE_SEND_SMS = "send_sms"
SERVICE_GET_SMS_STATUS = "get_sms_status"
SERVICE_STOP_SMS_TASK = "stop_sms_task"
SERVICE_SEND_USSD = "send_ussd"
SERVICE_PORT_ACTION = "port_action"
# The error of an action on one port that names none or several.
_ONE_PORT_ERRORS = {
    SERVICE_SEND_USSD: "ussd_one_port",
    SERVICE_PORT_ACTION: "port_action_one_port",
}

ATTR_RECIPIENTS = "recipients"
ATTR_MESSAGE = "message"
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
            raise invalid_input("unknown_device", device_id=device_id)
        if entry_id not in (None, owner):
            raise invalid_input("several_gateways")
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
        raise invalid_input("choose_gateway")
    entry: DinstarConfigEntry = async_get_config_entry(hass, DOMAIN, entry_id)
    ports = [
        port for device in devices if (port := device_port(entry, device)) is not None
    ]
    return entry, ports


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
        raise invalid_input("ports_and_port_devices")
    return api_ports(entry, labels)


def _one_port(call: ServiceCall) -> tuple[DinstarConfigEntry, int]:
    """Return the available gateway and the one port an action targets (port or device)."""
    entry, device_ports = _resolve_target(call.hass, call)
    require_available(entry)
    label = call.data.get(ATTR_PORT)
    ports = _chosen_ports(entry, None if label is None else [label], device_ports)
    if len(ports) != 1:
        raise invalid_input(_ONE_PORT_ERRORS[call.service])
    return entry, ports[0]


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
    return await async_send_sms(call.hass, entry, request)


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
            raise invalid_input("unknown_tracking_id", tracking_id=tracking_id)
        messages.append(message.as_status())
    return {"messages": messages}


def _task_id(value: float | str) -> int:
    """Return a task id given as a whole number, refusing 1.5, true or 10**30."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdecimal() or int(text) > MAX_TASK_ID:
        raise invalid_input("invalid_task_id", task_id=value, max=MAX_TASK_ID)
    return int(text)


async def _async_stop_sms_task(call: ServiceCall) -> None:
    """Stop the messages of a send task that are still waiting in the gateway."""
    entry = require_available(_resolve_target(call.hass, call)[0])
    task_id = _task_id(call.data[ATTR_TASK_ID])
    try:
        await entry.runtime_data.client.stop_sms(task_id)
    except DinstarError as err:
        raise stop_task_error(call.hass, entry, err, task_id) from err


async def _async_send_ussd(call: ServiceCall) -> ServiceResponse:
    """Send a USSD code on a port and return the network's reply, or cancel the session."""
    entry, port = _one_port(call)
    ussd = entry.runtime_data.ussd
    code: str = call.data[ATTR_CODE].strip()
    if not call.data[ATTR_CANCEL]:
        if not code:
            raise invalid_input("ussd_code_required")
        if (size := len(code.encode())) > MAX_USSD_BYTES:
            raise invalid_input("ussd_too_long", size=size, max=MAX_USSD_BYTES)
        try:
            validate_ussd_code(code)
        except DinstarValidationError as err:
            raise invalid_input("invalid_ussd_code") from err
    try:
        if call.data[ATTR_CANCEL]:
            await ussd.async_cancel(port)
            return {"port": int(port_label(port)), "cancelled": True}
        exchange = await ussd.async_send(port, code, call.data[ATTR_TIMEOUT])
    except DinstarError as err:
        raise action_error(call.hass, entry, err) from err
    return {"port": int(port_label(port)), "code": code, "reply": exchange.reply}


async def _async_port_action(call: ServiceCall) -> None:
    """Run a port action that has no entity: lock, unlock, block or unblock."""
    entry, port = _one_port(call)
    action: str = call.data[ATTR_ACTION]
    if action not in PORT_ACTIONS:
        raise invalid_input(
            "invalid_port_action",
            action=action,
            actions=", ".join(str(known) for known in PORT_ACTIONS),
        )
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
