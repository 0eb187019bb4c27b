"""Switches a test flips at any time: firmware quirks and injected faults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Quirks:
    """Firmware habits; the defaults are what real gateways do."""

    # send_ussd answers with the key "result:" instead of "result".
    ussd_result_colon: bool = True
    # The vendor document's `},]` and `", }` in incoming SMS and port info replies.
    trailing_commas: bool = False
    # "<NULL>" instead of "" for a missing iccid/imsi in register pushes.
    null_strings: bool = True
    # Content-Type of API replies and pushes.
    content_type: str = "text/html"
    # Firmware 04240302: a raw "," in the last query parameter fails Digest even with the right password.
    raw_comma_breaks_digest: bool = True
    # Unknown get_port_info info_type names: False = left out of the rows, True = error_code 400.
    unknown_info_type_error: bool = False
    # Old firmware (2017): USSD rows number ports by their place in the request (0, 1, ...), not as asked.
    ussd_rows_by_position: bool = False
    # set_port_info actions this firmware does not know: error_code 400 (e.g. {"lock", "unlock"}).
    unsupported_port_actions: frozenset[str] = frozenset()
    # Firmware without get_status: the endpoint answers HTTP 404 like any unknown one.
    no_get_status: bool = False


@dataclass
class Faults:
    """Failures to inject; all off by default.

    `offline` is a property: setting it True closes the listening socket at once (connections are
    refused, requests on kept-alive connections are dropped); setting it back listens again on the
    same port before the assignment returns.
    """

    # Seconds added before every API reply; real seconds, not scaled by the clock.
    latency: float = 0.0
    http_500: bool = False
    malformed_body: bool = False
    drop_connection: bool = False
    # Endpoint name (e.g. "send_sms") -> error_code answered in an HTTP 200 body instead of working.
    error_codes: dict[str, int] = field(default_factory=dict)
    lose_pushes: bool = False
    # The device's API switch is off ("Disable"): /api/ answers HTTP 404 after authentication.
    api_disabled: bool = False
    # Endpoint -> a body answered instead of the reply, after the endpoint did its work (e.g. deeply
    # nested JSON in the reply to a send that was queued).
    reply_bodies: dict[str, str] = field(default_factory=dict)
    # Endpoints answered, after doing their work, with a body that never ends.
    endless_replies: set[str] = field(default_factory=set)
    # Rows added to every query_incoming_sms reply, as they are (ids 0 or 2**40, rows of nothing).
    extra_incoming_rows: list[dict[str, Any]] = field(default_factory=list)
    # Every query_incoming_sms row listed twice.
    duplicate_rows: bool = False
    _offline: bool = field(default=False, init=False, repr=False)
    _offline_listener: Callable[[bool], None] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def offline(self) -> bool:
        """Whether the gateway refuses connections."""
        return self._offline

    @offline.setter
    def offline(self, value: bool) -> None:
        if value == self._offline:
            return
        self._offline = value
        if self._offline_listener is not None:
            self._offline_listener(value)

    def on_offline_change(self, listener: Callable[[bool], None] | None) -> None:
        """Register the server's hook that opens and closes the listening socket."""
        self._offline_listener = listener
