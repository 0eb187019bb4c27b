"""What the simulated gateway stores and what it saw: SMS sent and received, reports, requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SmsStatus(StrEnum):
    """The `status` of a query_sms_result row."""

    SENDING = "SENDING"
    SENT_OK = "SENT_OK"
    FAILED = "FAILED"
    DELIVERED = "DELIVERED"


@dataclass
class DeliveryReport:
    """One SMS-STATUS-REPORT the network returned for one part of a sent SMS."""

    port: int
    number: str
    time: str
    ref_id: int
    status_code: int
    imsi: str

    def as_row(self) -> dict[str, object]:
        """Return the query_sms_deliver_status row and sms_deliver_status push element."""
        return {
            "port": self.port,
            "number": self.number,
            "time": self.time,
            "ref_id": self.ref_id,
            "status_code": self.status_code,
            "imsi": self.imsi,
        }


@dataclass
class SentSms:
    """One SMS (one recipient of a send_sms request) and how far it got."""

    port: int
    number: str
    # After #param# substitution, and with "?" for characters gsm-7bit cannot carry.
    text: str
    encoding: str
    user_id: int | None
    task_id: int
    segments: int
    # First message reference; the parts use ref_id, ref_id + 1, ... modulo 256.
    ref_id: int
    request_status_report: bool
    imsi: str
    time: str
    status: SmsStatus = SmsStatus.SENDING
    succ_count: int = 0
    reports: list[DeliveryReport] = field(default_factory=list)

    @property
    def part_ref_ids(self) -> list[int]:
        """The message reference of every part."""
        return [(self.ref_id + part) % 256 for part in range(self.segments)]

    def as_row(self) -> dict[str, object]:
        """Return the query_sms_result row and sms_result push element."""
        row: dict[str, object] = {
            "port": self.port,
            "number": self.number,
            "time": self.time,
            "status": self.status.value,
            "count": self.segments,
            "succ_count": self.succ_count,
            "ref_id": self.ref_id,
            "imsi": self.imsi,
        }
        # The device includes user_id only when the request carried one.
        if self.user_id is not None:
            row["user_id"] = self.user_id
        return row


@dataclass
class IncomingSms:
    """A received SMS stored on the gateway (long SMS arrive joined)."""

    incoming_sms_id: int
    port: int
    number: str
    smsc: str
    timestamp: str
    text: str
    read: bool = False

    @property
    def id(self) -> int:
        """The incoming_sms_id."""
        return self.incoming_sms_id

    def as_row(self) -> dict[str, object]:
        """Return the query_incoming_sms row and sms push element."""
        return {
            "incoming_sms_id": self.incoming_sms_id,
            "port": self.port,
            "number": self.number,
            "smsc": self.smsc,
            "timestamp": self.timestamp,
            "text": self.text,
        }


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP request seen on /api/; status 0 means the connection was closed unanswered."""

    method: str
    path: str
    query_string: str
    status: int
    # time.monotonic() when the request arrived.
    time: float
    client: str
    authenticated: bool
