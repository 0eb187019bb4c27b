"""The SMS sent from Home Assistant: sending, the store and announcing what becomes of them.

The library's SmsTracker decides; DinstarSentSmsCoordinator polls the gateway
for it. This module keeps what is Home Assistant's: the store, the bus event,
the port's event entity and the dispatcher signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, port_label
from .coordinator import DinstarConfigEntry, DinstarSentSmsCoordinator
from .port_events import async_announce_on_port
from .pydinstar import (
    DinstarClient,
    DinstarError,
    DinstarSendIncompleteError,
    PortCounters,
    SendSmsResult,
    SmsEncoding,
    SmsRecipient,
    SmsTracker,
    SmsTrackerState,
    TrackedSms,
)

EVENT_SMS_STATUS: Final = "dinstar_sms_status"

STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 5.0


@dataclass(frozen=True, kw_only=True)
class SmsRequest:
    """A validated request to send one text to one or more numbers."""

    text: str
    numbers: tuple[str, ...]
    ports: tuple[int, ...] | None
    encoding: SmsEncoding
    segments: int
    delivery_report: bool


def outbox_updated_signal(entry_id: str) -> str:
    """Return the signal sent when a tracked message or a counter changed."""
    return f"{DOMAIN}_{entry_id}_outbox_updated"


def sms_tracked_signal(entry_id: str) -> str:
    """Return the signal sent with (message, text) when a message is tracked.

    text is the message's once its send request ended (the gateway may have it),
    None when its status or port changed.
    """
    return f"{DOMAIN}_{entry_id}_sms_tracked"


def outbox_store(hass: HomeAssistant, entry_id: str) -> Store[SmsTrackerState]:
    """Return the store of a gateway's tracked messages and counters."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.outbox")


class DinstarOutbox:
    """Send SMS, keep their tracking, and announce each change of their status."""

    def __init__(
        self, hass: HomeAssistant, entry: DinstarConfigEntry, client: DinstarClient
    ) -> None:
        """Prepare the outbox of entry's gateway; call async_load before use."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._store = outbox_store(hass, entry.entry_id)
        self._tracker = SmsTracker(now=dt_util.utcnow())
        self.coordinator = DinstarSentSmsCoordinator(hass, entry, client, self._tracker)

    async def async_load(self) -> None:
        """Read what the store kept and resume tracking."""
        if (stored := await self._store.async_load()) is not None:
            self._tracker.restore(stored)
        self._entry.async_on_unload(
            self.coordinator.async_add_listener(self._async_announce_update)
        )
        # The first round also expires what ran out while Home Assistant was
        # stopped, once automations have had time to start listening.
        self.coordinator.async_start()

    async def async_stop(self) -> None:
        """Write what changed (the coordinator stops with the entry)."""
        await self._store.async_save(self._tracker.as_dict())

    @property
    def messages(self) -> list[TrackedSms]:
        """Return the messages tracked or recently finished, oldest first."""
        return self._tracker.messages

    def get(self, tracking_id: int) -> TrackedSms | None:
        """Return a tracked message by its tracking id."""
        return self._tracker.get(tracking_id)

    def counters(self, port: int) -> PortCounters:
        """Return how many messages a port sent and how many failed."""
        return self._tracker.counters(port)

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the tracking state, without the recipients' numbers."""
        return {
            "polling": self.coordinator.polling,
            "results_pushed": self._tracker.results_pushed,
            "counters": {
                port_label(port): counters
                for port, counters in self._tracker.counters_by_port.items()
            },
            "messages": [
                {
                    key: value
                    for key, value in message.as_status().items()
                    if key != "recipient"
                }
                for message in self.messages
            ],
        }

    async def async_send(self, request: SmsRequest) -> list[SendSmsResult]:
        """Send a request once (never retried) and track every accepted message.

        Raises the client's errors; DinstarSendIncompleteError after tracking
        what the gateway accepted, and what it may have (whose reply was lost:
        the results settle those).
        """
        tracked = self._tracker.track(
            request.numbers,
            segments=request.segments,
            delivery_report=request.delivery_report,
            now=dt_util.utcnow(),
        )
        ids = [message.tracking_id for message in tracked]
        self.coordinator.async_start()
        try:
            # Tracked and saved before sending: whatever becomes of this run
            # (Home Assistant stops or crashes while the reply is out), the saved
            # state follows every message the gateway may take, and its ids are
            # not reused.
            await self._store.async_save(self._tracker.as_dict())
            results = await self._client.send_sms(
                request.text,
                [
                    SmsRecipient(number=message.number, user_id=message.tracking_id)
                    for message in tracked
                ],
                ports=request.ports,
                encoding=request.encoding,
                request_status_report=request.delivery_report,
            )
        except DinstarSendIncompleteError as err:
            self._tracker.send_incomplete(ids, err)
            raise
        except DinstarError:
            self._tracker.send_refused(ids)
            raise
        else:
            self._tracker.send_accepted(results)
        finally:
            # A cancelled send (a restarted automation, a stop) stays tracked:
            # the gateway may have taken it, the results will tell. Only now is
            # a message told: one the gateway never got is not.
            for message in self._tracker.send_ended(ids):
                async_dispatcher_send(
                    self._hass,
                    sms_tracked_signal(self._entry.entry_id),
                    message,
                    request.text,
                )
            self._async_schedule_save()
        return results

    @callback
    def _async_announce_update(self) -> None:
        """Tell the bus, the port's event entity and sensors each change; save.

        The changes are those of the coordinator's last step, each message as
        that change left it.
        """
        update = self.coordinator.data
        for message in update.changes:
            status = message.as_status()
            # A message the gateway never reported on has no port (and no device).
            if message.port is None:
                self._hass.bus.async_fire(
                    EVENT_SMS_STATUS,
                    {
                        "config_entry_id": self._entry.entry_id,
                        "device_id": None,
                        **status,
                    },
                )
            else:
                del status["port"]
                async_announce_on_port(
                    self._hass,
                    self._entry,
                    message.port,
                    bus_event=EVENT_SMS_STATUS,
                    event_type="sms_status",
                    data=status,
                )
            async_dispatcher_send(
                self._hass, outbox_updated_signal(self._entry.entry_id)
            )
            async_dispatcher_send(
                self._hass, sms_tracked_signal(self._entry.entry_id), message, None
            )
        if update.changes or update.forgotten:
            self._async_schedule_save()

    @callback
    def _async_schedule_save(self) -> None:
        self._store.async_delay_save(self._tracker.as_dict, SAVE_DELAY)
