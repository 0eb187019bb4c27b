"""The SMS the gateway received: their events, per-port counts and saved state.

`DinstarIncomingSmsCoordinator` (coordinator/incoming_sms.py) reads them from push and poll,
and the library's `IncomingSmsCursor` decides which are new (its module
docstring tells how each is delivered exactly once). Delivering one is a single
synchronous step: fire `dinstar_sms_received` on the bus and `sms_received` on
the port's event entity, tell the history, count it on the port's sensors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Final, NotRequired, TypedDict

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .port_events import async_announce_on_port
from .pydinstar import IncomingSms, IncomingSmsCursorState, sms_fingerprint

if TYPE_CHECKING:
    from .coordinator import DinstarConfigEntry

EVENT_SMS_RECEIVED: Final = "dinstar_sms_received"
# The event type on a port's event entity and the device trigger's type.
SMS_RECEIVED: Final = "sms_received"

ATTR_MESSAGE_ID: Final = "message_id"
ATTR_SENDER: Final = "sender"
ATTR_SMSC: Final = "smsc"
ATTR_TEXT: Final = "text"
ATTR_TIME: Final = "time"

# Without pushes, a new SMS waits at most this long; with them, a lost push.
POLL_INTERVAL: Final = timedelta(seconds=10)
PUSH_POLL_INTERVAL: Final = timedelta(minutes=5)
# How many polled SMS are delivered in one step before the event loop runs other
# work: a reply with many rows must not hold it up for seconds.
DELIVERY_SLICE: Final = 200
STORAGE_VERSION: Final = 1


def inbox_store(hass: HomeAssistant, entry_id: str) -> Store[StoredInbox]:
    """Return the store of a gateway's reading position and per-port counts."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.inbox")


def sms_received_signal(entry_id: str) -> str:
    """Return the signal sent with (port, ReceivedSms, fingerprint) for each delivered SMS."""
    return f"{DOMAIN}_{entry_id}_sms_received"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedSms:
    """A delivered SMS as the sensors show it; time is aware, None if unknown."""

    id: int
    sender: str
    smsc: str | None
    time: datetime | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PortInbox:
    """How many SMS a port received since the integration was set up, and the last."""

    received: int = 0
    last: ReceivedSms | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxData:
    """What the inbox delivered, per API port number."""

    ports: Mapping[int, PortInbox] = field(default_factory=dict)

    def port(self, port: int) -> PortInbox:
        """Return a port's inbox, empty until it received an SMS."""
        return self.ports.get(port, PortInbox())

    def counted(self, port: int, sms: ReceivedSms) -> InboxData:
        """Return the data with sms counted as port's last."""
        received = self.port(port).received + 1
        return InboxData(
            ports={**self.ports, port: PortInbox(received=received, last=sms)}
        )


class StoredSms(TypedDict):
    """The last SMS of a port as saved."""

    id: int
    sender: str
    smsc: str | None
    time: str | None
    text: str


class StoredPort(TypedDict):
    """A port's count and last SMS as saved."""

    received: int
    last: StoredSms | None


class StoredInbox(IncomingSmsCursorState):
    """The saved reading position (the cursor's state), counts and pace."""

    ports: dict[str, StoredPort]
    # Missing in stores written before it was saved: then polls start fast.
    push_works: NotRequired[bool]


def stored_ports(data: InboxData) -> dict[str, StoredPort]:
    """Return the per-port counts and last SMS to save."""
    return {
        str(port): StoredPort(
            received=inbox.received,
            last=None if (sms := inbox.last) is None else _stored(sms),
        )
        for port, inbox in sorted(data.ports.items())
    }


def restored_data(ports: Mapping[str, StoredPort]) -> InboxData:
    """Return the per-port counts and last SMS that were saved."""
    return InboxData(
        ports={
            int(port): PortInbox(
                received=saved["received"],
                last=None if (last := saved["last"]) is None else _restored(last),
            )
            for port, saved in ports.items()
        }
    )


@callback
def async_announce_sms(
    hass: HomeAssistant, entry: DinstarConfigEntry, sms: IncomingSms, zone: tzinfo
) -> ReceivedSms:
    """Fire the events of a new SMS, whose time stamp is in zone; return it as shown."""
    received = ReceivedSms(
        id=sms.id,
        sender=sms.number,
        smsc=sms.smsc,
        time=None if sms.timestamp is None else sms.timestamp.replace(tzinfo=zone),
        text=sms.text,
    )
    async_announce_on_port(
        hass,
        entry,
        sms.port,
        bus_event=EVENT_SMS_RECEIVED,
        event_type=SMS_RECEIVED,
        data={
            ATTR_SENDER: received.sender,
            ATTR_TEXT: received.text,
            ATTR_TIME: None if received.time is None else received.time.isoformat(),
            ATTR_SMSC: received.smsc,
            ATTR_MESSAGE_ID: received.id,
        },
    )
    async_dispatcher_send(
        hass,
        sms_received_signal(entry.entry_id),
        sms.port,
        received,
        sms_fingerprint(sms),
    )
    return received


def _stored(sms: ReceivedSms) -> StoredSms:
    return StoredSms(
        id=sms.id,
        sender=sms.sender,
        smsc=sms.smsc,
        time=None if sms.time is None else sms.time.isoformat(),
        text=sms.text,
    )


def _restored(saved: StoredSms) -> ReceivedSms:
    return ReceivedSms(
        id=saved["id"],
        sender=saved["sender"],
        smsc=saved["smsc"],
        time=None if saved["time"] is None else dt_util.parse_datetime(saved["time"]),
        text=saved["text"],
    )
