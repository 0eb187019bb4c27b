"""Typed models of the gateway's replies and push events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import IntEnum, StrEnum
from typing import Any, Self

from .wire import optional_int, optional_str, parse_time, required_int, rows


class NetworkType(StrEnum):
    """The radio a port's module uses."""

    GSM = "GSM"
    CDMA = "CDMA"
    WCDMA = "WCDMA"
    LTE = "LTE"
    UNKNOWN = "UNKNOWN"


class Registration(StrEnum):
    """The registration state of a port (`reg`)."""

    POWER_OFF = "POWER_OFF"
    NO_SIM = "NO_SIM"
    PIN_REQUIRE = "PIN_REQUIRE"
    PUK_REQUIRE = "PUK_REQUIRE"
    UNREGISTER = "UNREGISTER"
    SEARCHING_NETWORK = "SEARCHING_NETWORK"
    REGISTER_OK = "REGISTER_OK"
    UNKNOWN = "UNKNOWN"


class PortInfoType(StrEnum):
    """The fields get_port_info can report (`info_type`)."""

    TYPE = "type"
    IMEI = "imei"
    IMSI = "imsi"
    ICCID = "iccid"
    SMSC = "smsc"
    NUMBER = "number"
    REG = "reg"
    SIGNAL = "signal"
    GPRS = "gprs"
    SLOT = "slot"
    CALLSTATE = "callstate"
    REMAIN_CREDIT = "remain_credit"
    REMAIN_MONTHLY_CREDIT = "remain_monthly_credit"
    REMAIN_DAILY_CREDIT = "remain_daily_credit"


class CallState(StrEnum):
    """What a port's module is doing with voice calls (`callstate`)."""

    IDLE = "Idle"
    PROCESSING = "Processing"
    RINGING = "Ringing"
    ACTIVE = "Active"
    ALERTING = "Alerting"
    CALL_WAITING = "Call Waiting"
    CALL_HOLDING = "Call holding"
    UNKNOWN = "Unknown"


class PortAction(StrEnum):
    """What set_port_info can do to a port's module (`action`)."""

    RESET = "reset"
    POWER = "power"
    SLOT = "slot"
    LOCK = "lock"
    UNLOCK = "unlock"
    BLOCK = "block"
    UNBLOCK = "unblock"


class SmsStatus(StrEnum):
    """The status of a sent SMS in query_sms_result and sms_result pushes."""

    SENDING = "SENDING"
    SENT_OK = "SENT_OK"
    FAILED = "FAILED"
    DELIVERED = "DELIVERED"


class IncomingSmsFlag(StrEnum):
    """Which incoming SMS to read; `unread` marks what it returns as read."""

    UNREAD = "unread"
    READ = "read"
    ALL = "all"


class UssdStatus(IntEnum):
    """The per-port answer to send_ussd."""

    SENT = 200
    BUSY = 486
    UNAVAILABLE = 503


SIGNAL_UNKNOWN = 99
# The API numbers ports from 0; the largest gateways have 32.
MAX_PORT = 31
# The gateway's database numbers incoming SMS from 1, in a signed 32-bit integer.
MAX_INCOMING_SMS_ID = 2**31 - 1
# get_port_info's slot of a port without a SIM bank.
NO_SIM_BANK = 255
SIM_SLOTS = 4


def _enum[E: StrEnum](kind: type[E], value: Any) -> E | None:
    """Return the enum member for a device string, None when empty or unknown."""
    if (text := optional_str(value)) is None:
        return None
    try:
        return kind(text.upper())
    except ValueError:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class PortInfo:
    """What get_port_info reports of one port; None where the device did not say."""

    port: int
    type: NetworkType | None = None
    imei: str | None = None
    imsi: str | None = None
    iccid: str | None = None
    smsc: str | None = None
    number: str | None = None
    registration: Registration | None = None
    signal: int | None = None
    gprs_attached: bool | None = None
    slot: int | None = None
    call_state: CallState | None = None
    # Billing limits set on the box; None where none is set (the device sends "").
    remain_credit: Decimal | None = None
    remain_monthly_credit: Decimal | None = None
    remain_daily_credit: Decimal | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from one row of the `info` list."""
        gprs = optional_str(row.get("gprs"))
        return cls(
            port=required_int(row, "port"),
            type=_enum(NetworkType, row.get("type")),
            imei=optional_str(row.get("imei")),
            imsi=optional_str(row.get("imsi")),
            iccid=optional_str(row.get("iccid")),
            smsc=optional_str(row.get("smsc")),
            number=optional_str(row.get("number")),
            registration=_enum(Registration, row.get("reg")),
            signal=optional_int(row.get("signal")),
            gprs_attached=None if gprs is None else gprs.lower() == "attached",
            slot=optional_int(row.get("slot")),
            call_state=_call_state(row.get("callstate")),
            remain_credit=_decimal(row.get("remain_credit")),
            remain_monthly_credit=_decimal(row.get("remain_monthly_credit")),
            remain_daily_credit=_decimal(row.get("remain_daily_credit")),
        )

    @property
    def sim_slot(self) -> int | None:
        """Return the SIM bank slot in use (0-3), None without a SIM bank."""
        if self.slot is None or not 0 <= self.slot < SIM_SLOTS:
            return None
        return self.slot

    @property
    def signal_dbm(self) -> int | None:
        """Return the signal as dBm (3GPP TS 27.007 +CSQ: -113 + 2 * rssi)."""
        if self.signal is None or not 0 <= self.signal <= 31:
            return None
        return -113 + 2 * self.signal


def _call_state(value: Any) -> CallState | None:
    """Return the call state whatever its case ("Call Waiting", "call waiting")."""
    if (text := optional_str(value)) is None:
        return None
    return next(
        (state for state in CallState if state.lower() == text.lower()),
        CallState.UNKNOWN,
    )


def _decimal(value: Any) -> Decimal | None:
    """Return a decimal string as a Decimal, None when empty or not a finite number."""
    if (text := optional_str(value)) is None:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayPorts:
    """The reply of get_port_info: every port asked for, and the serial if sent."""

    serial: str | None
    ports: tuple[PortInfo, ...]

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Self:
        """Build from a get_port_info reply."""
        listed = (PortInfo.from_row(row) for row in rows(body, "info"))
        return cls(
            serial=optional_str(body.get("sn")),
            # A port no gateway has (-1, 2**40) is no port.
            ports=tuple(port for port in listed if 0 <= port.port <= MAX_PORT),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsRecipient:
    """One recipient of send_sms: a number, an optional tracking id and #param# values."""

    number: str
    user_id: int | None = None
    text_params: tuple[str, ...] = ()

    def as_param(self) -> dict[str, Any]:
        """Return the element of the `param` list for this recipient."""
        param: dict[str, Any] = {"number": self.number}
        if self.text_params:
            param["text_param"] = list(self.text_params)
        if self.user_id is not None:
            param["user_id"] = self.user_id
        return param


def phone_key(number: str) -> str:
    """Return what identifies a phone: +4917… and 4917… are the same one.

    The gateway reports numbers with or without the leading +, as the network
    gave them.
    """
    return number.strip().removeprefix("+")


@dataclass(frozen=True, slots=True, kw_only=True)
class SendSmsResult:
    """The gateway accepted a send_sms request (one task)."""

    task_id: int
    sms_in_queue: int
    recipients: tuple[SmsRecipient, ...] = field(default=())


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsResult:
    """The status of one sent SMS (query_sms_result row or sms_result push)."""

    port: int
    number: str
    user_id: int | None
    time: datetime | None
    status: SmsStatus | None
    count: int
    succ_count: int
    ref_id: int | None
    imsi: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from one row of a result list."""
        return cls(
            port=required_int(row, "port"),
            number=optional_str(row.get("number")) or "",
            user_id=optional_int(row.get("user_id")),
            time=parse_time(row.get("time")),
            status=_enum(SmsStatus, row.get("status")),
            count=optional_int(row.get("count")) or 1,
            succ_count=optional_int(row.get("succ_count")) or 0,
            ref_id=optional_int(row.get("ref_id")),
            imsi=optional_str(row.get("imsi")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryReport:
    """A delivery report of one SMS part, with its TP-Status (3GPP TS 23.040)."""

    port: int
    number: str
    time: datetime | None
    ref_id: int
    status_code: int
    imsi: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from one row of a delivery status list."""
        return cls(
            port=required_int(row, "port"),
            number=optional_str(row.get("number")) or "",
            time=parse_time(row.get("time")),
            ref_id=required_int(row, "ref_id"),
            status_code=required_int(row, "status_code"),
            imsi=optional_str(row.get("imsi")),
        )

    @property
    def delivered(self) -> bool:
        """Return whether the part's transaction completed (TP-Status 0-31).

        0 is received by the handset; 1 (forwarded, unconfirmed) and 2
        (replaced) also end the transaction without an error.
        """
        return self.status_code < 32

    @property
    def temporary_error(self) -> bool:
        """Return whether the network is still trying (TP-Status 32-63)."""
        return 32 <= self.status_code <= 63

    @property
    def permanent_error(self) -> bool:
        """Return whether the part will never be delivered (TP-Status 64-255)."""
        return self.status_code >= 64


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingSms:
    """An SMS the gateway received, with its id in the gateway's database."""

    id: int
    port: int
    number: str
    smsc: str | None
    timestamp: datetime | None
    text: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from one row of an `sms` list."""
        text = row.get("text")
        return cls(
            id=required_int(row, "incoming_sms_id"),
            port=required_int(row, "port"),
            number=optional_str(row.get("number")) or "",
            smsc=optional_str(row.get("smsc")),
            timestamp=parse_time(row.get("timestamp")),
            text=text if isinstance(text, str) else "",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingSmsPage:
    """The reply of query_incoming_sms: messages oldest first and the inbox counts."""

    messages: tuple[IncomingSms, ...]
    read: int | None
    unread: int | None

    # Rows left out: an id or port no gateway gives, or an id listed before.
    dropped: int = 0

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Self:
        """Build from a query_incoming_sms reply."""
        listed = [IncomingSms.from_row(row) for row in rows(body, "sms")]
        messages = valid_incoming(listed)
        return cls(
            messages=messages,
            read=optional_int(body.get("read")),
            unread=optional_int(body.get("unread")),
            dropped=len(listed) - len(messages),
        )


def valid_incoming(messages: Iterable[IncomingSms]) -> tuple[IncomingSms, ...]:
    """Return the messages oldest first, each id once, without what no gateway gives.

    Ids run from 1 to MAX_INCOMING_SMS_ID and ports from 0 to MAX_PORT; of
    rows listing the same id, the first is kept (a repeated row must not
    deliver its SMS twice).
    """
    unique: dict[int, IncomingSms] = {}
    for sms in messages:
        if 1 <= sms.id <= MAX_INCOMING_SMS_ID and 0 <= sms.port <= MAX_PORT:
            unique.setdefault(sms.id, sms)
    return tuple(sorted(unique.values(), key=lambda sms: sms.id))


@dataclass(frozen=True, slots=True, kw_only=True)
class UssdSendResult:
    """The per-port answer to send_ussd."""

    port: int
    status: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from one row of the `result` list."""
        return cls(port=required_int(row, "port"), status=required_int(row, "status"))

    @property
    def sent(self) -> bool:
        """Return whether the port sent the USSD request."""
        return self.status == UssdStatus.SENT


@dataclass(frozen=True, slots=True, kw_only=True)
class UssdReply:
    """The last USSD reply of a port; text is None while none has arrived."""

    port: int
    text: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from one row of a `reply` or `ussd` list."""
        text = row.get("text")
        has_text = isinstance(text, str) and text.strip()
        return cls(port=required_int(row, "port"), text=text if has_text else None)


def _percent(used: int | None, total: int | None) -> float | None:
    if used is None or not total or not 0 <= used <= total:
        return None
    return round(100 * used / total, 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayStatus:
    """The performance section of get_status; memory and flash in KB, None where not said."""

    cpu_used: int | None
    memory_total: int | None
    memory_used: int | None
    flash_total: int | None
    flash_used: int | None

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Self:
        """Build from a get_status reply (which has no error_code and no sn)."""
        performance = body.get("performance")
        if not isinstance(performance, dict):
            performance = {}
        cpu = optional_int(performance.get("cpu_used"))
        return cls(
            cpu_used=cpu if cpu is not None and 0 <= cpu <= 100 else None,
            memory_total=optional_int(performance.get("memory_total")),
            memory_used=optional_int(performance.get("memory_used")),
            flash_total=optional_int(performance.get("flash_total")),
            flash_used=optional_int(performance.get("flash_used")),
        )

    @property
    def memory_used_percent(self) -> float | None:
        """Return the memory in use as a percentage of the total."""
        return _percent(self.memory_used, self.memory_total)

    @property
    def flash_used_percent(self) -> float | None:
        """Return the flash in use as a percentage of the total."""
        return _percent(self.flash_used, self.flash_total)
