"""The /control/ routes: drive the simulator over HTTP (no auth), for the demo and browser tests."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .config import PUSH_EVENT_KINDS, SimProfile
from .gateway import DEFAULT_SMSC, REG_STATES

if TYPE_CHECKING:
    from .simulator import Simulator

_FAULT_FLAGS = (
    "http_500",
    "malformed_body",
    "drop_connection",
    "lose_pushes",
    "api_disabled",
    "duplicate_rows",
)
_QUIRK_FLAGS = (
    "ussd_result_colon",
    "trailing_commas",
    "null_strings",
    "raw_comma_breaks_digest",
    "unknown_info_type_error",
    "ussd_rows_by_position",
    "no_get_status",
)


def _bad_request(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=json.dumps({"error": message}), content_type="application/json"
    )


async def _json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise _bad_request("the body is not JSON") from None
    if not isinstance(body, dict):
        raise _bad_request("the body must be a JSON object")
    return body


_REQUIRED: Any = object()


def _field(
    body: dict[str, Any],
    name: str,
    kinds: type | tuple[type, ...],
    default: Any = _REQUIRED,
) -> Any:
    """body[name] if it has one of kinds (a bool is no int here), else default; 400 if required."""
    if name not in body:
        if default is _REQUIRED:
            raise _bad_request(f"{name} is required")
        return default
    value = body[name]
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise _bad_request(f"{name} has the wrong type")
    return value


class ControlRoutes:
    """Handlers that call the simulator's Python control surface."""

    def __init__(self, simulator: Simulator) -> None:
        """Drive simulator."""
        self._sim = simulator

    def routes(self) -> list[web.RouteDef]:
        """Return the route table."""
        return [
            web.post("/control/sms", self.sms),
            web.post("/control/sim", self.sim),
            web.post("/control/signal", self.signal),
            web.post("/control/reboot", self.reboot),
            web.post("/control/ussd", self.ussd),
            web.post("/control/delivery", self.delivery),
            web.post("/control/faults", self.faults),
            web.post("/control/quirks", self.quirks),
            web.post("/control/push", self.push),
            web.post("/control/port", self.port),
            web.post("/control/performance", self.performance),
            web.post("/control/exception", self.exception),
            web.get("/control/state", self.state),
        ]

    async def sms(self, request: web.Request) -> web.Response:
        """Deliver an incoming SMS: {port, number, text, smsc?}."""
        body = await _json_body(request)
        try:
            sms_id = self._sim.deliver_sms(
                _field(body, "port", int),
                _field(body, "number", str),
                _field(body, "text", str),
                smsc=_field(body, "smsc", str, DEFAULT_SMSC),
            )
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({"incoming_sms_id": sms_id})

    async def sim(self, request: web.Request) -> web.Response:
        """Change a port's SIM profile: {port, profile}."""
        body = await _json_body(request)
        try:
            self._sim.set_profile(
                _field(body, "port", int), SimProfile(_field(body, "profile", str))
            )
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({})

    async def signal(self, request: web.Request) -> web.Response:
        """Set a port's signal: {port, signal}."""
        body = await _json_body(request)
        try:
            self._sim.set_signal(_field(body, "port", int), _field(body, "signal", int))
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({})

    async def reboot(self, request: web.Request) -> web.Response:
        """Reboot the gateway: {reset_ids?}."""
        body = await _json_body(request)
        await self._sim.reboot(reset_ids=_field(body, "reset_ids", bool, False))
        return web.json_response({})

    async def ussd(self, request: web.Request) -> web.Response:
        """Script a USSD answer: {port (null = all), code, reply (null = never), delay?}."""
        body = await _json_body(request)
        try:
            self._sim.script_ussd(
                _field(body, "port", (int, type(None)), None),
                _field(body, "code", str),
                _field(body, "reply", (str, type(None))),
                delay=float(_field(body, "delay", (int, float), 3.0)),
            )
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({})

    async def delivery(self, request: web.Request) -> web.Response:
        """Set what happens to SMS for a number: {number, send_fails?, status_codes? (null = none)}."""
        body = await _json_body(request)
        codes = _field(body, "status_codes", (list, type(None)), [0])
        if codes is not None and not all(
            isinstance(code, int) and not isinstance(code, bool) for code in codes
        ):
            raise _bad_request("status_codes must be integers")
        try:
            self._sim.set_delivery_outcome(
                _field(body, "number", str),
                send_fails=_field(body, "send_fails", bool, False),
                status_codes=codes,
            )
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({})

    async def faults(self, request: web.Request) -> web.Response:
        """Set faults: {latency?, http_500?, ..., error_codes?, offline_seconds?}; returns them all."""
        body = await _json_body(request)
        faults = self._sim.faults
        updates: dict[str, Any] = {
            flag: _field(body, flag, bool) for flag in _FAULT_FLAGS if flag in body
        }
        latency = float(_field(body, "latency", (int, float), faults.latency))
        error_codes = _field(body, "error_codes", dict, faults.error_codes)
        if latency < 0 or not all(
            isinstance(code, int) and not isinstance(code, bool)
            for code in error_codes.values()
        ):
            raise _bad_request(
                "latency must be >= 0 and error_codes must map to integers"
            )
        offline_seconds = _field(body, "offline_seconds", (int, float), None)
        if offline_seconds is not None and offline_seconds <= 0:
            raise _bad_request("offline_seconds must be positive")
        for flag, value in updates.items():
            setattr(faults, flag, value)
        faults.latency = latency
        faults.error_codes = dict(error_codes)
        if offline_seconds is not None:
            # The reply goes out on this connection; new connections are refused from now on.
            self._sim.offline_for(float(offline_seconds))
        return web.json_response(_faults_state(self._sim))

    async def quirks(self, request: web.Request) -> web.Response:
        """Set firmware quirks: {ussd_result_colon?, trailing_commas?, ..., content_type?}."""
        body = await _json_body(request)
        updates: dict[str, Any] = {
            flag: _field(body, flag, bool) for flag in _QUIRK_FLAGS if flag in body
        }
        if "content_type" in body:
            updates["content_type"] = _field(body, "content_type", str)
        if "unsupported_port_actions" in body:
            actions = _field(body, "unsupported_port_actions", list)
            if not all(isinstance(action, str) for action in actions):
                raise _bad_request("unsupported_port_actions must be strings")
            updates["unsupported_port_actions"] = frozenset(actions)
        for name, value in updates.items():
            setattr(self._sim.quirks, name, value)
        return web.json_response(_quirks_state(self._sim))

    async def port(self, request: web.Request) -> web.Response:
        """Set a port's module: {port, restart_outcome?, call_state?, remain_credit?, ...}.

        restart_outcome is a profile, null = as the SIM allows; the billing strings are
        remain_credit, remain_monthly_credit and remain_daily_credit.
        """
        body = await _json_body(request)
        port = _field(body, "port", int)
        billing = {
            name: _field(body, name, str)
            for name in (
                "remain_credit",
                "remain_monthly_credit",
                "remain_daily_credit",
            )
            if name in body
        }
        try:
            if "restart_outcome" in body:
                outcome = _field(body, "restart_outcome", (str, type(None)))
                self._sim.set_restart_outcome(
                    port, None if outcome is None else SimProfile(outcome)
                )
            if "call_state" in body:
                self._sim.set_call_state(port, _field(body, "call_state", str))
            for name, value in billing.items():
                self._sim.set_billing(port, name, value)
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({})

    async def performance(self, request: web.Request) -> web.Response:
        """Set get_status' performance strings: {cpu_used?, memory_used?, ...}."""
        body = await _json_body(request)
        if not all(isinstance(value, str) for value in body.values()):
            raise _bad_request("performance values are strings")
        try:
            self._sim.set_performance(**body)
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({})

    async def exception(self, request: web.Request) -> web.Response:
        """Let the box reset a module by itself: {port, type?}; pushes exception_info."""
        body = await _json_body(request)
        try:
            self._sim.module_exception(
                _field(body, "port", int), _field(body, "type", str, "call_fail")
            )
        except ValueError as err:
            raise _bad_request(str(err)) from None
        return web.json_response({})

    async def push(self, request: web.Request) -> web.Response:
        """Configure pushes: {url (null = off), events?}."""
        body = await _json_body(request)
        url = _field(body, "url", (str, type(None)))
        events = _field(body, "events", list, sorted(self._sim.config.push_events))
        if (
            not all(isinstance(event, str) for event in events)
            or set(events) - PUSH_EVENT_KINDS
        ):
            raise _bad_request(f"events must be among {sorted(PUSH_EVENT_KINDS)}")
        self._sim.config.push_url = url
        self._sim.config.push_events = frozenset(events)
        return web.json_response({"url": url, "events": sorted(events)})

    async def state(self, request: web.Request) -> web.Response:
        """Ports, sent SMS, inbox, faults, quirks and push settings as JSON."""
        sim = self._sim
        network_type = sim.config.network_type
        return web.json_response(
            {
                "url": sim.url,
                "serial": sim.config.serial,
                "ports": [
                    {
                        "port": port.number,
                        "profile": port.profile.value,
                        "reg": REG_STATES[port.profile],
                        "type": port.info("type", network_type),
                        "imei": port.imei,
                        "imsi": port.sim_value("imsi"),
                        "iccid": port.sim_value("iccid"),
                        "number": port.sim_value("number"),
                        "smsc": port.sim_value("smsc"),
                        "signal": port.info("signal", network_type),
                        "in_queue": port.load,
                        "ussd_text": port.ussd_text,
                        "slot": port.slot,
                        "call_state": port.call_state,
                        "restarting": port.restart_target is not None,
                        "powered_off": port.powered_off_from is not None,
                        "locked": port.locked,
                        "blocked": port.blocked,
                    }
                    for port in sim.ports
                ],
                "sent": [dataclasses.asdict(sms) for sms in sim.sent],
                "inbox": [dataclasses.asdict(sms) for sms in sim.inbox],
                "requests": len(sim.requests),
                "faults": _faults_state(sim),
                "quirks": _quirks_state(sim),
                "push": {
                    "url": sim.config.push_url,
                    "events": sorted(sim.config.push_events),
                },
            }
        )


def _quirks_state(sim: Simulator) -> dict[str, Any]:
    quirks = dataclasses.asdict(sim.quirks)
    quirks["unsupported_port_actions"] = sorted(sim.quirks.unsupported_port_actions)
    return quirks


def _faults_state(sim: Simulator) -> dict[str, Any]:
    faults = sim.faults
    return {
        "latency": faults.latency,
        "http_500": faults.http_500,
        "malformed_body": faults.malformed_body,
        "drop_connection": faults.drop_connection,
        "error_codes": faults.error_codes,
        "lose_pushes": faults.lose_pushes,
        "api_disabled": faults.api_disabled,
        "duplicate_rows": faults.duplicate_rows,
        "offline": faults.offline,
    }


def control_routes(simulator: Simulator) -> list[web.RouteDef]:
    """Return the /control/ route table for simulator."""
    return ControlRoutes(simulator).routes()
