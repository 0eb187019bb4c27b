"""Switches a test flips at any time: firmware quirks and injected faults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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
