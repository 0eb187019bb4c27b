"""Parsing the events a gateway pushes to its configured URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from .exceptions import DinstarResponseError
from .models import DeliveryReport, IncomingSms, SmsResult, UssdReply, valid_incoming
from .wire import optional_int, optional_str, parse_body, required_int, rows


class DinstarPushError(DinstarResponseError):
    """A pushed body is not a gateway event this client understands."""


class DinstarUnknownPushError(DinstarPushError):
    """A pushed JSON object carries none of the events this client knows."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationChange:
    """A port's SIM registration went up or down (`register` push)."""

    port: int
    status: str | None
    number: str | None
    imsi: str | None
    iccid: str | None
    slot: int | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from one row of a `register` list."""
        return cls(
            port=required_int(row, "port"),
            status=optional_str(row.get("status")),
            number=optional_str(row.get("number")),
            imsi=optional_str(row.get("imsi")),
            iccid=optional_str(row.get("iccid")),
            slot=optional_int(row.get("slot")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PortException:
    """The gateway acted on a port's module by itself (`exception_info` push), e.g. reset it."""

    port: int
    type: str | None
    action: str | None

    @classmethod
    def from_object(cls, value: dict[str, Any]) -> Self:
        """Build from the `exception_info` object."""
        return cls(
            port=required_int(value, "port"),
            type=optional_str(value.get("type")),
            action=optional_str(value.get("action")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceChange:
    """The gateway itself changed state (`device` push), e.g. power on."""

    status: str | None
    port_count: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Push:
    """One pushed body: the gateway's serial and the events it carries."""

    serial: str | None
    sms: tuple[IncomingSms, ...] = ()
    sms_results: tuple[SmsResult, ...] = ()
    delivery_reports: tuple[DeliveryReport, ...] = ()
    ussd_replies: tuple[UssdReply, ...] = ()
    registrations: tuple[RegistrationChange, ...] = ()
    device: DeviceChange | None = None
    port_exception: PortException | None = None


_LIST_EVENTS = ("sms", "sms_result", "sms_deliver_status", "ussd", "register")
_OBJECT_EVENTS = ("device", "exception_info")


def parse_push(body: bytes) -> Push:
    """Parse a pushed body; raise DinstarPushError for anything else."""
    try:
        data = parse_body(body)
        return _push_from_body(data)
    except DinstarPushError:
        raise
    except DinstarResponseError as err:
        raise DinstarPushError(str(err)) from err


def _push_from_body(data: dict[str, Any]) -> Push:
    """Build a Push from a parsed body that must hold one known event."""
    known = [key for key in (*_LIST_EVENTS, *_OBJECT_EVENTS) if key in data]
    if not known:
        raise DinstarUnknownPushError(
            f"No known event in the pushed body: {sorted(data)}"
        )
    if any(not isinstance(data[key], list) for key in _LIST_EVENTS if key in data):
        raise DinstarPushError("A pushed event list is not a list")
    if any(not isinstance(data[key], dict) for key in _OBJECT_EVENTS if key in data):
        raise DinstarPushError("A pushed event object is not an object")
    device = data.get("device")
    return Push(
        serial=optional_str(data.get("sn")),
        sms=valid_incoming(IncomingSms.from_row(row) for row in rows(data, "sms")),
        sms_results=tuple(SmsResult.from_row(row) for row in rows(data, "sms_result")),
        delivery_reports=tuple(
            DeliveryReport.from_row(row) for row in rows(data, "sms_deliver_status")
        ),
        ussd_replies=tuple(UssdReply.from_row(row) for row in rows(data, "ussd")),
        registrations=tuple(
            RegistrationChange.from_row(row) for row in rows(data, "register")
        ),
        device=None
        if device is None
        else DeviceChange(
            status=optional_str(device.get("status")),
            port_count=optional_int(device.get("port_number")),
        ),
        port_exception=None
        if (exception := data.get("exception_info")) is None
        else PortException.from_object(exception),
    )
