"""The /api/ endpoints: input validation, calls into the device model, reply bodies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import json
import re
from typing import Any

from .clock import parse_device_time
from .config import SimulatorConfig
from .gateway import (
    BASIC_INFO_TYPES,
    EXTENDED_INFO_TYPES,
    Gateway,
    NoUsablePort,
    PortActionRefused,
    Recipient,
    RecordFilter,
    SendRequest,
)
from .sms_encoding import SmsEncoding
from .switches import Faults, Quirks
from .wire import TrailingCommaList, TrailingCommaObject

ENDPOINT_METHODS: dict[str, str] = {
    "send_sms": "POST",
    "query_sms_result": "POST",
    "query_sms_deliver_status": "POST",
    "query_sms_in_queue": "GET",
    "query_incoming_sms": "GET",
    "send_ussd": "POST",
    "query_ussd_reply": "GET",
    "stop_sms": "GET",
    "get_port_info": "GET",
    "set_port_info": "GET",
    "get_status": "POST",
}
MAX_TEXT_BYTES = 1500
MAX_RECIPIENTS = 128
MAX_NUMBER_BYTES = 24
MAX_FILTER_ITEMS = 32
MAX_USSD_BYTES = 60
MAX_API_PORT = 31
_NUMBER = re.compile(r"\+?[0-9]+")

type Query = Mapping[str, str]
type Reply = dict[str, Any]


class ApiError(Exception):
    """A request the device answers with this error_code (in an HTTP 200 body)."""

    def __init__(self, code: int) -> None:
        """Carry the error_code."""
        super().__init__(code)
        self.code = code


def _is_decimal(text: str) -> bool:
    """Whether text is a plain ASCII non-negative integer."""
    return text.isascii() and text.isdigit()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_object(body: bytes) -> dict[str, Any]:
    """Return the request body as a JSON object; an empty body counts as {}."""
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        raise ApiError(400) from None
    if not isinstance(parsed, dict):
        raise ApiError(400)
    return parsed


def _port_list(value: Any) -> tuple[int, ...] | None:
    """Return a JSON `port` array; None when absent or empty."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        _is_int(port) and 0 <= port <= MAX_API_PORT for port in value
    ):
        raise ApiError(400)
    return tuple(value) or None


def _query_list(query: Query, name: str, *, required: bool = False) -> list[str] | None:
    """Return a comma list from the query string (commas raw or %2C)."""
    if name not in query:
        if required:
            raise ApiError(400)
        return None
    items = [item.strip() for item in query[name].split(",")]
    if not all(items):
        raise ApiError(400)
    return items


def _query_ports(query: Query, *, required: bool = False) -> list[int] | None:
    items = _query_list(query, "port", required=required)
    if items is None:
        return None
    if not all(_is_decimal(item) and int(item) <= MAX_API_PORT for item in items):
        raise ApiError(400)
    return [int(item) for item in items]


def _record_filter(body: dict[str, Any], *, with_user_id: bool) -> RecordFilter:
    """Return the shared filters of query_sms_result and query_sms_deliver_status."""
    numbers = body.get("number")
    if numbers is not None:
        if not isinstance(numbers, list):
            raise ApiError(400)
        if len(numbers) > MAX_FILTER_ITEMS:
            raise ApiError(413)
        if not all(
            isinstance(n, str) and len(n.encode()) <= MAX_NUMBER_BYTES for n in numbers
        ):
            raise ApiError(400)
    user_ids = body.get("user_id") if with_user_id else None
    if user_ids is not None:
        if not isinstance(user_ids, list) or not all(_is_int(u) for u in user_ids):
            raise ApiError(400)
        if len(user_ids) > MAX_FILTER_ITEMS:
            raise ApiError(413)
    bounds: list[str | None] = []
    for key in ("time_after", "time_before"):
        bound = body.get(key)
        if bound is not None:
            if not isinstance(bound, str):
                raise ApiError(400)
            try:
                parse_device_time(bound)
            except ValueError:
                raise ApiError(400) from None
        bounds.append(bound)
    ports = _port_list(body.get("port"))
    return RecordFilter(
        numbers=None if numbers is None else frozenset(numbers),
        ports=None if ports is None else frozenset(ports),
        time_after=bounds[0],
        time_before=bounds[1],
        user_ids=None if user_ids is None else frozenset(user_ids),
    )


def _recipient(entry: Any) -> Recipient:
    if not isinstance(entry, dict):
        raise ApiError(400)
    number = entry.get("number")
    if (
        not isinstance(number, str)
        or not _NUMBER.fullmatch(number)
        or len(number.encode()) > MAX_NUMBER_BYTES
    ):
        raise ApiError(400)
    text_params = entry.get("text_param", [])
    if not isinstance(text_params, list) or not all(
        isinstance(p, str) for p in text_params
    ):
        raise ApiError(400)
    user_id = entry.get("user_id")
    if user_id is not None and not (_is_int(user_id) and user_id >= 0):
        raise ApiError(400)
    return Recipient(number, tuple(text_params), user_id)


class GatewayApi:
    """Turns an authenticated /api/ request into the device's JSON reply."""

    def __init__(
        self, gateway: Gateway, config: SimulatorConfig, quirks: Quirks, faults: Faults
    ) -> None:
        """Serve gateway's state with the firmware's quirks and the injected faults."""
        self._gateway = gateway
        self._config = config
        self._quirks = quirks
        self._faults = faults
        self._handlers: dict[str, Callable[[Query, bytes], Reply]] = {
            "send_sms": self._send_sms,
            "query_sms_result": self._query_sms_result,
            "query_sms_deliver_status": self._query_sms_deliver_status,
            "query_sms_in_queue": self._query_sms_in_queue,
            "query_incoming_sms": self._query_incoming_sms,
            "send_ussd": self._send_ussd,
            "query_ussd_reply": self._query_ussd_reply,
            "stop_sms": self._stop_sms,
            "get_port_info": self._get_port_info,
            "set_port_info": self._set_port_info,
            "get_status": self._get_status,
        }

    def serves(self, endpoint: str) -> bool:
        """Whether this firmware has endpoint (get_status is missing on some)."""
        return not (endpoint == "get_status" and self._quirks.no_get_status)

    def reply(self, error_code: int, **fields: Any) -> Reply:
        """Build a reply: error_code, then sn (unless the firmware is too old), then fields."""
        body: Reply = {"error_code": error_code}
        if self._config.serial is not None:
            body["sn"] = self._config.serial
        body.update(fields)
        return body

    def call(self, endpoint: str, query: Query, body: bytes) -> Reply:
        """Run endpoint (one of ENDPOINT_METHODS) and build its reply."""
        if (forced := self._faults.error_codes.get(endpoint)) is not None:
            return self.reply(forced)
        try:
            return self._handlers[endpoint](query, body)
        except ApiError as err:
            return self.reply(err.code)

    def _send_sms(self, query: Query, raw: bytes) -> Reply:
        body = _json_object(raw)
        text = body.get("text")
        if not isinstance(text, str):
            raise ApiError(400)
        if len(text.encode()) > MAX_TEXT_BYTES:
            raise ApiError(413)
        params = body.get("param")
        if not isinstance(params, list) or not params:
            raise ApiError(400)
        if len(params) > MAX_RECIPIENTS:
            raise ApiError(413)
        recipients = tuple(_recipient(entry) for entry in params)
        try:
            encoding = SmsEncoding(body.get("encoding", SmsEncoding.UNICODE.value))
        except ValueError:
            raise ApiError(400) from None
        status_report = body.get("request_status_report", True)
        if not isinstance(status_report, bool):
            raise ApiError(400)
        request = SendRequest(
            text=text,
            recipients=recipients,
            ports=_port_list(body.get("port")),
            encoding=encoding,
            request_status_report=status_report,
        )
        try:
            in_queue, task_id = self._gateway.submit(request)
        except NoUsablePort:
            raise ApiError(550) from None
        return self.reply(202, sms_in_queue=in_queue, task_id=task_id)

    def _query_sms_result(self, query: Query, raw: bytes) -> Reply:
        record_filter = _record_filter(_json_object(raw), with_user_id=True)
        rows = [sms.as_row() for sms in self._gateway.results(record_filter)]
        return self.reply(200, result=rows)

    def _query_sms_deliver_status(self, query: Query, raw: bytes) -> Reply:
        record_filter = _record_filter(_json_object(raw), with_user_id=False)
        rows = [report.as_row() for report in self._gateway.reports(record_filter)]
        return self.reply(200, result=rows)

    def _query_sms_in_queue(self, query: Query, raw: bytes) -> Reply:
        return self.reply(200, in_queue=self._gateway.in_queue())

    def _query_incoming_sms(self, query: Query, raw: bytes) -> Reply:
        after = query.get("incoming_sms_id", "0")
        flag = query.get("flag", "unread")
        if not _is_decimal(after) or flag not in ("unread", "read", "all"):
            raise ApiError(400)
        rows, read, unread = self._gateway.read_incoming(
            after=int(after),
            flag=flag,
            ports=_query_ports(query),
            limit=self._config.max_incoming_rows,
        )
        listed: list[dict[str, Any]] = []
        for sms in rows:
            listed.extend([sms.as_row()] * (2 if self._faults.duplicate_rows else 1))
        listed.extend(dict(row) for row in self._faults.extra_incoming_rows)
        return self.reply(200, sms=TrailingCommaList(listed), read=read, unread=unread)

    def _send_ussd(self, query: Query, raw: bytes) -> Reply:
        body = _json_object(raw)
        command = body.get("command", "send")
        text = body.get("text", "")
        ports = _port_list(body.get("port"))
        if (
            command not in ("send", "cancel")
            or not isinstance(text, str)
            or len(text.encode()) > MAX_USSD_BYTES
            or (command == "send" and not text)
            or ports is None
        ):
            raise ApiError(400)
        if command == "send":
            statuses = self._gateway.send_ussd(ports, text)
        else:
            statuses = self._gateway.cancel_ussd(ports)
        key = "result:" if self._quirks.ussd_result_colon else "result"
        rows = [{"port": p, "status": s} for p, s in self._ussd_ports(statuses)]
        return self.reply(202, **{key: rows})

    def _query_ussd_reply(self, query: Query, raw: bytes) -> Reply:
        replies = self._gateway.ussd_replies(_query_ports(query, required=True) or ())
        rows = [{"port": p, "text": text} for p, text in self._ussd_ports(replies)]
        return self.reply(200, reply=rows)

    def _ussd_ports[T](self, rows: list[tuple[int, T]]) -> list[tuple[int, T]]:
        """Return USSD rows numbered as the firmware does: old firmware by their place."""
        if not self._quirks.ussd_rows_by_position:
            return rows
        return [(index, value) for index, (_, value) in enumerate(rows)]

    def _stop_sms(self, query: Query, raw: bytes) -> Reply:
        task_id = query.get("task_id", "")
        if not _is_decimal(task_id):
            raise ApiError(400)
        return self.reply(200 if self._gateway.stop_task(int(task_id)) else 404)

    def _get_port_info(self, query: Query, raw: bytes) -> Reply:
        requested = list(
            dict.fromkeys(_query_list(query, "info_type", required=True) or ())
        )
        known = BASIC_INFO_TYPES + (
            EXTENDED_INFO_TYPES if self._config.extended_port_info else ()
        )
        if self._quirks.unknown_info_type_error and any(
            n not in known for n in requested
        ):
            raise ApiError(400)
        names = [name for name in requested if name in known]
        network_type = self._config.network_type
        rows = [
            TrailingCommaObject(
                {"port": port.number}
                | {name: port.info(name, network_type) for name in names}
            )
            for port in self._gateway.select_ports(_query_ports(query))
        ]
        return self.reply(200, info=rows)

    def _set_port_info(self, query: Query, raw: bytes) -> Reply:
        port = query.get("port", "")
        action = query.get("action", "")
        if not _is_decimal(port) or action in self._quirks.unsupported_port_actions:
            raise ApiError(400)
        try:
            self._gateway.port_action(int(port), action, query.get("param"))
        except PortActionRefused as err:
            raise ApiError(err.code) from None
        return self.reply(200)

    def _get_status(self, query: Query, raw: bytes) -> Reply:
        """Answer without error_code and sn (the one such reply); the body is a bare array."""
        try:
            sections = json.loads(raw)
        except ValueError:
            raise ApiError(400) from None
        if not isinstance(sections, list) or not all(
            isinstance(section, str) for section in sections
        ):
            raise ApiError(400)
        status: Reply = {}
        if "performance" in sections:
            status["performance"] = dict(self._gateway.performance)
        return status
