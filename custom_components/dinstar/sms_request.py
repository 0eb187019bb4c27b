"""Checking an SMS request and sending it once: what send_sms and notify share.

Every check runs before anything reaches the gateway; ports are named by their
front panel labels, as users see them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import probatio

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .const import (
    CONF_DEFAULT_ENCODING,
    CONF_DEFAULT_PORTS,
    CONF_DELIVERY_REPORTS,
    DEFAULT_DELIVERY_REPORTS,
    DOMAIN,
    ENCODING_AUTO,
    port_label,
)
from .coordinator import DinstarConfigEntry
from .errors import send_error
from .outbox import SmsRequest
from .pydinstar import (
    MAX_RECIPIENTS,
    MAX_SEGMENTS,
    MAX_TEXT_BYTES,
    DinstarError,
    DinstarValidationError,
    SmsEncoding,
    best_encoding,
    count_segments,
    fits_gsm7,
    phone_key,
    validate_number,
)

ATTR_PORTS: Final = "ports"
ATTR_ENCODING: Final = "encoding"
ATTR_DELIVERY_REPORT: Final = "delivery_report"

ENCODINGS: Final = (ENCODING_AUTO, *(str(encoding) for encoding in SmsEncoding))
# What the data of notify.<gateway> takes: the options of send_sms.
NOTIFY_DATA_KEYS: Final = (ATTR_PORTS, ATTR_ENCODING, ATTR_DELIVERY_REPORT)


def invalid_input(key: str, **placeholders: object) -> ServiceValidationError:
    """Return the translated error of input an action or notify refuses."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            name: str(value) for name, value in placeholders.items()
        },
    )


def require_available(entry: DinstarConfigEntry) -> DinstarConfigEntry:
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
            raise invalid_input("invalid_port", port=label, ports=_labels(known))
        ports.append(port)
    return ports


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
    require_available(entry)
    options = entry.options
    cleaned: dict[str, str] = {}
    for number in numbers:
        normalized = number.strip()
        try:
            validate_number(normalized)
        except DinstarValidationError as err:
            raise invalid_input("invalid_number", number=number) from err
        # Send once to each phone, to the number first given for it.
        cleaned.setdefault(phone_key(normalized), normalized)
    if not cleaned:
        raise invalid_input("no_recipients")
    if len(cleaned) > MAX_RECIPIENTS:
        raise invalid_input(
            "too_many_recipients", count=len(cleaned), max=MAX_RECIPIENTS
        )
    if not text.strip():
        raise invalid_input("empty_message")
    if (size := len(text.encode())) > MAX_TEXT_BYTES:
        raise invalid_input("message_too_long", size=size, max=MAX_TEXT_BYTES)
    choice = (
        options.get(CONF_DEFAULT_ENCODING, ENCODING_AUTO)
        if encoding is None
        else encoding
    )
    if choice not in ENCODINGS:
        raise invalid_input(
            "invalid_encoding", encoding=choice, encodings=", ".join(ENCODINGS)
        )
    sms_encoding = (
        best_encoding(text) if choice == ENCODING_AUTO else SmsEncoding(choice)
    )
    if not fits_gsm7(text) and sms_encoding is SmsEncoding.GSM7:
        raise invalid_input("not_gsm7")
    if (segments := count_segments(text, sms_encoding)) > MAX_SEGMENTS:
        raise invalid_input(
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
                raise invalid_input(
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
        raise invalid_input(
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
            raise invalid_input("invalid_delivery_report", value=report) from err
    return prepare_sms(
        entry,
        text=text,
        numbers=numbers,
        ports=None if labels is None else api_ports(entry, cv.ensure_list(labels)),
        encoding=data.get(ATTR_ENCODING),
        delivery_report=report,
    )


async def async_send_sms(
    hass: HomeAssistant, entry: DinstarConfigEntry, request: SmsRequest
) -> dict[str, Any]:
    """Send a prepared SMS once and return how to follow each message."""
    try:
        results = await entry.runtime_data.outbox.async_send(request)
    except DinstarError as err:
        raise send_error(hass, entry, err) from err
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
