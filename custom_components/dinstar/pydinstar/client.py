"""Async client of the Dinstar gateway HTTP API ("New Version" API)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import partial
import itertools
import json
import re
from typing import Any, Self
from urllib.parse import quote

from aiohttp import (
    ClientConnectorError,
    ClientError,
    ClientHandlerType,
    ClientMiddlewareType,
    ClientRequest,
    ClientResponse,
    ClientSession,
    DigestAuthMiddleware,
    encode_basic_auth,
    hdrs,
)
from yarl import URL

from .encoding import SmsEncoding, fits_gsm7
from .exceptions import (
    DinstarApiDisabledError,
    DinstarApiError,
    DinstarAuthenticationError,
    DinstarConnectionError,
    DinstarError,
    DinstarLockedOutError,
    DinstarReplyTooLargeError,
    DinstarResponseError,
    DinstarSendIncompleteError,
    DinstarTimeoutError,
    DinstarUnreadableReplyError,
    DinstarUnsupportedError,
    DinstarValidationError,
    DinstarWrongGatewayError,
)
from .models import (
    MAX_PORT,
    SIM_SLOTS,
    DeliveryReport,
    GatewayPorts,
    GatewayStatus,
    IncomingSmsFlag,
    IncomingSmsPage,
    PortAction,
    PortInfoType,
    SendSmsResult,
    SmsRecipient,
    SmsResult,
    UssdReply,
    UssdSendResult,
)
from .wire import format_time, optional_int, optional_str, parse_body, read_capped, rows

MAX_RECIPIENTS_PER_REQUEST = 128
# One send goes out in at most this many requests: the fewer, the smaller the
# part a failure half-way leaves unsent, and a caller can follow every message.
MAX_RECIPIENTS = 4 * MAX_RECIPIENTS_PER_REQUEST
MAX_NUMBERS_PER_QUERY = 32
MAX_TEXT_BYTES = 1500
MAX_NUMBER_BYTES = 24
MAX_USSD_BYTES = 60
# Task ids are the gateway's signed 32-bit integers.
MAX_TASK_ID = 2**31 - 1
DEFAULT_TIMEOUT = 15.0
# The largest real reply (32 ports' info, a page of SMS) is a few hundred KB;
# reading stops well past it, so that an endless body cannot fill the memory.
MAX_REPLY_BYTES = 8 * 1024 * 1024
# Past these, a reply is parsed, and its rows made into models, in a worker
# thread: on the event loop a reply near MAX_REPLY_BYTES would hold up everything
# else for a fraction of a second.
_LARGE_REPLY_BYTES = 256 * 1024
_LARGE_ROW_COUNT = 1000

# Firmware 1102+ answers these codes when a request succeeded.
_OK_CODES = frozenset({200, 202})
_NUMBER = re.compile(r"\+?[0-9]+")
_LOCKOUT_BODY = "forbid to try again"


def auth_middleware(
    username: str, password: str, *, basic: bool = False
) -> ClientMiddlewareType:
    """Return the middleware that authenticates requests to a gateway.

    Digest (preemptive, so each request after the first is sent once) is what
    current firmware speaks; old firmware also accepted Basic.
    """
    if not basic:
        return DigestAuthMiddleware(username, password, preemptive=True)
    header = encode_basic_auth(username, password)

    async def basic_auth(
        request: ClientRequest, handler: ClientHandlerType
    ) -> ClientResponse:
        request.headers[hdrs.AUTHORIZATION] = header
        return await handler(request)

    return basic_auth


async def _in_thread_if[T](large: bool, work: Callable[[], T]) -> T:
    """Return what work makes: in a worker thread when large, the event loop staying free."""
    if not large:
        return work()
    return await asyncio.get_running_loop().run_in_executor(None, work)


def _chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Yield consecutive slices of at most size items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _validate_ports(ports: Iterable[int] | None) -> list[int] | None:
    """Return the ports as a list, refusing anything outside 0-31."""
    if ports is None:
        return None
    checked = list(ports)
    for port in checked:
        if isinstance(port, bool) or not isinstance(port, int):
            raise DinstarValidationError(f"Port {port!r} is not an integer")
        if not 0 <= port <= MAX_PORT:
            raise DinstarValidationError(f"Port {port} is outside 0-{MAX_PORT}")
    return checked


def validate_number(number: str) -> None:
    """Refuse a phone number the gateway cannot take (digits, optional +, 24 bytes)."""
    if not _NUMBER.fullmatch(number):
        raise DinstarValidationError(
            f"{number!r} is not a phone number (digits with an optional leading +)"
        )
    if len(number.encode()) > MAX_NUMBER_BYTES:
        raise DinstarValidationError(
            f"{number!r} is longer than {MAX_NUMBER_BYTES} characters"
        )


def validate_sms_text(text: str) -> None:
    """Refuse an empty text or one over the gateway's 1500 bytes."""
    if not text:
        raise DinstarValidationError("The message text is empty")
    if (size := len(text.encode())) > MAX_TEXT_BYTES:
        raise DinstarValidationError(
            f"The message text takes {size} bytes, more than {MAX_TEXT_BYTES}"
        )


def validate_ussd_code(code: str) -> None:
    """Refuse a USSD code the network cannot take: empty, over 60 bytes, not GSM 7-bit.

    Control characters (NUL, line breaks) and characters outside the GSM
    alphabet (emoji) are refused.
    """
    if not code.strip():
        raise DinstarValidationError("The USSD code is empty")
    if (size := len(code.encode())) > MAX_USSD_BYTES:
        raise DinstarValidationError(
            f"The USSD code takes {size} bytes, more than {MAX_USSD_BYTES}"
        )
    if not code.isprintable() or not fits_gsm7(code):
        raise DinstarValidationError(
            "The USSD code holds characters other than the GSM alphabet's"
        )


def _query_string(params: dict[str, str | int | Sequence[int | str]]) -> str:
    """Encode query parameters with lists as comma lists and commas as %2C.

    Firmware 04240302 fails Digest authentication when the last parameter
    holds a raw comma, so every reserved character is percent-encoded.
    """
    parts = []
    for key, value in params.items():
        text = (
            ",".join(str(item) for item in value)
            if isinstance(value, (list, tuple))
            else str(value)
        )
        parts.append(f"{quote(key, safe='')}={quote(text, safe='')}")
    return "&".join(parts)


async def _read_reply(response: ClientResponse) -> bytes | None:
    """Return the reply's body, or None once it is larger than MAX_REPLY_BYTES."""
    if (length := response.content_length) is not None and length > MAX_REPLY_BYTES:
        return None
    return await read_capped(response.content, MAX_REPLY_BYTES)


def _outcome_unknown(err: DinstarError) -> bool:
    """Return whether the gateway may have acted on a request that failed.

    Only a connection never made, or an answer saying no, tells that it did not.
    """
    if isinstance(err, DinstarConnectionError):
        return not isinstance(err.__cause__, ClientConnectorError)
    return isinstance(err, (DinstarUnreadableReplyError, DinstarWrongGatewayError))


class DinstarClient:
    """Talk to one Dinstar gateway over its HTTP JSON API.

    Pass a session that carries the gateway's auth middleware (see
    `auth_middleware`), or credentials and the client creates and owns one.

    With `serial`, a reply from another gateway (another "sn": an address
    that now leads elsewhere) raises DinstarWrongGatewayError.

    Requests go one at a time: the gateway is a small embedded box. Once it
    refused the credentials or banned this client, the client sends nothing
    more (each request raises that error again): every further attempt would
    count towards a ban or extend it. Make a new client with new credentials.
    """

    def __init__(
        self,
        url: str | URL,
        *,
        session: ClientSession | None = None,
        username: str | None = None,
        password: str | None = None,
        basic_auth: bool = False,
        request_timeout: float = DEFAULT_TIMEOUT,
        serial: str | None = None,
    ) -> None:
        """Prepare a client; nothing is sent until a method is called."""
        try:
            base = URL(url)
            base.explicit_port  # noqa: B018 - yarl parses the port lazily
        except ValueError as err:
            raise DinstarValidationError(f"{url!s} is not a valid URL") from err
        if not base.is_absolute() or base.scheme not in ("http", "https"):
            raise DinstarValidationError(f"{url!s} is not an http(s) URL")
        if session is None and (username is None or password is None):
            raise DinstarValidationError("Credentials are needed without a session")
        # Credentials travel in the auth middleware only, never in the URL (or a repr).
        self._base = (
            base.with_user(None).with_path("/").with_query(None).with_fragment(None)
        )
        self._session = session
        self._owns_session = session is None
        self._credentials = (username or "", password or "", basic_auth)
        self.request_timeout = request_timeout
        self._serial = serial
        self._lock = asyncio.Lock()
        self._refusal: DinstarAuthenticationError | DinstarLockedOutError | None = None

    def __repr__(self) -> str:
        """Name the gateway, never the credentials."""
        return f"{type(self).__name__}({str(self._base)!r})"

    @property
    def url(self) -> URL:
        """Return the gateway's base URL."""
        return self._base

    async def close(self) -> None:
        """Close the session if the client created it."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        """Enter an async context that closes the client's own session."""
        return self

    async def __aexit__(self, *_exc_info: object) -> None:
        """Close the client's own session."""
        await self.close()

    def _get_session(self) -> ClientSession:
        """Return the session, creating the client's own on first use."""
        if self._session is None:
            username, password, basic = self._credentials
            self._session = ClientSession(
                middlewares=(auth_middleware(username, password, basic=basic),)
            )
        return self._session

    async def _request(
        self,
        endpoint: str,
        *,
        query: dict[str, str | int | Sequence[int | str]] | None = None,
        payload: dict[str, Any] | list[Any] | None = None,
        enveloped: bool = True,
    ) -> dict[str, Any]:
        """Send one request and return its JSON body once the device said OK.

        A reply not enveloped (get_status) has no error_code unless it failed.
        """
        target = f"/api/{endpoint}"
        if query:
            target = f"{target}?{_query_string(query)}"
        url = self._base.join(URL(target, encoded=True))
        method = hdrs.METH_GET if payload is None else hdrs.METH_POST
        data = None if payload is None else json.dumps(payload).encode()
        headers = None if payload is None else {"Content-Type": "application/json"}
        async with self._lock:
            if (refusal := self._refusal) is not None:
                raise type(refusal)(f"{endpoint}: not sent, {refusal}")
            try:
                async with asyncio.timeout(self.request_timeout):
                    response = await self._get_session().request(
                        method, url, data=data, headers=headers
                    )
                    async with response:
                        status = response.status
                        body = await _read_reply(response)
            except TimeoutError as err:
                raise DinstarTimeoutError(
                    f"{endpoint}: no answer within {self.request_timeout:g} s"
                ) from err
            except (ClientError, OSError) as err:
                raise DinstarConnectionError(f"{endpoint}: {err}") from err
            if body is None:
                raise DinstarReplyTooLargeError(
                    f"{endpoint}: the reply is larger than {MAX_REPLY_BYTES} bytes"
                )
            try:
                return await _in_thread_if(
                    len(body) > _LARGE_REPLY_BYTES,
                    partial(self._check, endpoint, status, body, enveloped=enveloped),
                )
            except (DinstarAuthenticationError, DinstarLockedOutError) as err:
                self._refusal = err
                raise

    def _check(
        self, endpoint: str, status: int, body: bytes, *, enveloped: bool = True
    ) -> dict[str, Any]:
        """Turn an HTTP reply into its JSON body or the matching error."""
        if status == 401:
            raise DinstarAuthenticationError(f"{endpoint}: credentials refused")
        if status == 403:
            if _LOCKOUT_BODY in body.decode(errors="replace").lower():
                raise DinstarLockedOutError(
                    f"{endpoint}: the gateway bans this client after failed logins"
                )
            raise DinstarResponseError(f"{endpoint}: HTTP 403")
        if status == 404:
            raise DinstarApiDisabledError(f"{endpoint}: HTTP 404, is the API enabled?")
        if status != 200:
            raise DinstarResponseError(f"{endpoint}: HTTP {status}")
        try:
            data = parse_body(body)
        except DinstarResponseError as err:
            raise DinstarUnreadableReplyError(f"{endpoint}: {err}") from err
        serial = optional_str(data.get("sn"))
        if self._serial is not None and serial is not None and serial != self._serial:
            raise DinstarWrongGatewayError(
                f"{endpoint}: gateway {serial} answered, not {self._serial}"
            )
        code = optional_int(data.get("error_code"))
        if code is None and not enveloped:
            return data
        if code is None:
            raise DinstarUnreadableReplyError(
                f"{endpoint}: the reply has no error_code"
            )
        if code not in _OK_CODES:
            raise DinstarApiError(endpoint, code)
        return data

    async def get_port_info(
        self,
        info_types: Iterable[PortInfoType] = tuple(PortInfoType),
        *,
        ports: Iterable[int] | None = None,
    ) -> GatewayPorts:
        """Return what the gateway reports of its ports (all of them by default)."""
        query: dict[str, str | int | Sequence[int | str]] = {
            "info_type": [str(info_type) for info_type in info_types]
        }
        if (port_list := _validate_ports(ports)) is not None:
            query["port"] = port_list
        return GatewayPorts.from_body(await self._request("get_port_info", query=query))

    async def send_sms(
        self,
        text: str,
        recipients: Sequence[SmsRecipient | str],
        *,
        ports: Iterable[int] | None = None,
        encoding: SmsEncoding | None = None,
        request_status_report: bool | None = None,
    ) -> list[SendSmsResult]:
        """Queue an SMS to every recipient, 128 recipients per request.

        Nothing is retried. DinstarSendIncompleteError tells which requests
        were accepted when a later one fails, and which recipients the gateway
        may have queued when a request's reply is lost or unreadable.
        """
        validate_sms_text(text)
        port_list = _validate_ports(ports)
        parsed = [
            SmsRecipient(number=item) if isinstance(item, str) else item
            for item in recipients
        ]
        if not parsed:
            raise DinstarValidationError("No recipient")
        if len(parsed) > MAX_RECIPIENTS:
            raise DinstarValidationError(
                f"{len(parsed)} recipients, more than {MAX_RECIPIENTS}"
            )
        for recipient in parsed:
            validate_number(recipient.number)
            if recipient.user_id is not None and recipient.user_id < 0:
                raise DinstarValidationError("A user_id must be 0 or more")
        results: list[SendSmsResult] = []
        for chunk in _chunks(parsed, MAX_RECIPIENTS_PER_REQUEST):
            payload: dict[str, Any] = {
                "text": text,
                "param": [recipient.as_param() for recipient in chunk],
            }
            if port_list is not None:
                payload["port"] = port_list
            if encoding is not None:
                payload["encoding"] = str(encoding)
            if request_status_report is not None:
                payload["request_status_report"] = request_status_report
            try:
                body = await self._request("send_sms", payload=payload)
            except DinstarError as err:
                unconfirmed = chunk if _outcome_unknown(err) else []
                if not results and not unconfirmed:
                    raise
                handed_over = sum(len(r.recipients) for r in results) + len(unconfirmed)
                raise DinstarSendIncompleteError(
                    results, len(parsed) - handed_over, unconfirmed
                ) from err
            results.append(
                SendSmsResult(
                    task_id=optional_int(body.get("task_id")) or 0,
                    sms_in_queue=optional_int(body.get("sms_in_queue")) or 0,
                    recipients=tuple(chunk),
                )
            )
        return results

    @staticmethod
    def _filters(
        numbers: Sequence[str] | None,
        ports: Iterable[int] | None,
        time_after: datetime | None,
        time_before: datetime | None,
    ) -> dict[str, Any]:
        """Return the filters shared by the result and delivery status queries."""
        for number in numbers or ():
            validate_number(number)
        filters: dict[str, Any] = {}
        if (port_list := _validate_ports(ports)) is not None:
            filters["port"] = port_list
        if time_after is not None:
            filters["time_after"] = format_time(time_after)
        if time_before is not None:
            filters["time_before"] = format_time(time_before)
        return filters

    async def _query_rows(
        self,
        endpoint: str,
        filters: dict[str, Any],
        numbers: Sequence[str] | None,
        user_ids: Sequence[int] | None = None,
    ) -> list[dict[str, Any]]:
        """Run a filtered query, 32 numbers and 32 user ids per request."""
        number_chunks: Iterable[Sequence[str] | None] = (
            [None] if numbers is None else _chunks(numbers, MAX_NUMBERS_PER_QUERY)
        )
        id_chunks: Iterable[Sequence[int] | None] = (
            [None] if user_ids is None else _chunks(user_ids, MAX_NUMBERS_PER_QUERY)
        )
        found: list[dict[str, Any]] = []
        for number_chunk, id_chunk in itertools.product(number_chunks, list(id_chunks)):
            payload = dict(filters)
            if number_chunk is not None:
                payload["number"] = list(number_chunk)
            if id_chunk is not None:
                payload["user_id"] = list(id_chunk)
            found.extend(rows(await self._request(endpoint, payload=payload), "result"))
        return found

    async def query_sms_result(
        self,
        *,
        numbers: Sequence[str] | None = None,
        ports: Iterable[int] | None = None,
        time_after: datetime | None = None,
        time_before: datetime | None = None,
        user_ids: Sequence[int] | None = None,
    ) -> list[SmsResult]:
        """Return the status of sent SMS matching every filter given."""
        filters = self._filters(numbers, ports, time_after, time_before)
        if user_ids is not None and any(user_id < 0 for user_id in user_ids):
            raise DinstarValidationError("A user_id must be 0 or more")
        if numbers == [] or user_ids == []:
            return []
        found = await self._query_rows("query_sms_result", filters, numbers, user_ids)
        return await _in_thread_if(
            len(found) > _LARGE_ROW_COUNT,
            lambda: [SmsResult.from_row(row) for row in found],
        )

    async def query_sms_deliver_status(
        self,
        *,
        numbers: Sequence[str] | None = None,
        ports: Iterable[int] | None = None,
        time_after: datetime | None = None,
        time_before: datetime | None = None,
    ) -> list[DeliveryReport]:
        """Return the delivery reports matching every filter given."""
        filters = self._filters(numbers, ports, time_after, time_before)
        if numbers == []:
            return []
        found = await self._query_rows("query_sms_deliver_status", filters, numbers)
        return await _in_thread_if(
            len(found) > _LARGE_ROW_COUNT,
            lambda: [DeliveryReport.from_row(row) for row in found],
        )

    async def query_sms_in_queue(self) -> int | None:
        """Return how many SMS wait in the gateway's send queue, None if it did not say."""
        body = await self._request("query_sms_in_queue")
        return optional_int(body.get("in_queue"))

    async def query_incoming_sms(
        self,
        *,
        after_id: int = 0,
        flag: IncomingSmsFlag = IncomingSmsFlag.ALL,
        ports: Iterable[int] | None = None,
    ) -> IncomingSmsPage:
        """Return received SMS with an id greater than after_id, oldest first.

        The default flag `all` leaves the gateway's read flags alone; `unread`
        marks every message it returns as read on the gateway.
        """
        if after_id < 0:
            raise DinstarValidationError("after_id must be 0 or more")
        query: dict[str, str | int | Sequence[int | str]] = {
            "incoming_sms_id": after_id,
            "flag": str(flag),
        }
        if (port_list := _validate_ports(ports)) is not None:
            query["port"] = port_list
        body = await self._request("query_incoming_sms", query=query)
        listed = body.get("sms")
        return await _in_thread_if(
            isinstance(listed, list) and len(listed) > _LARGE_ROW_COUNT,
            partial(IncomingSmsPage.from_body, body),
        )

    async def send_ussd(
        self, ports: Iterable[int], text: str, *, cancel: bool = False
    ) -> list[UssdSendResult]:
        """Send a USSD code (or tear the session down) on each port."""
        port_list = _validate_ports(ports) or []
        if not port_list:
            raise DinstarValidationError("No port to send the USSD code on")
        if not cancel:
            validate_ussd_code(text)
        elif (size := len(text.encode())) > MAX_USSD_BYTES:
            raise DinstarValidationError(
                f"The USSD code takes {size} bytes, more than {MAX_USSD_BYTES}"
            )
        payload = {
            "text": text,
            "port": port_list,
            "command": "cancel" if cancel else "send",
        }
        body = await self._request("send_ussd", payload=payload)
        return [UssdSendResult.from_row(row) for row in rows(body, "result")]

    async def query_ussd_reply(self, ports: Iterable[int]) -> list[UssdReply]:
        """Return the last USSD reply of each port (text None while none came)."""
        port_list = _validate_ports(ports) or []
        if not port_list:
            raise DinstarValidationError("No port to read a USSD reply from")
        body = await self._request("query_ussd_reply", query={"port": port_list})
        return [UssdReply.from_row(row) for row in rows(body, "reply")]

    async def stop_sms(self, task_id: int) -> None:
        """Stop a send task; DinstarApiError with error_code 404 if unknown."""
        if isinstance(task_id, bool) or not isinstance(task_id, int):
            raise DinstarValidationError(f"Task id {task_id!r} is not an integer")
        if not 0 <= task_id <= MAX_TASK_ID:
            raise DinstarValidationError(
                f"Task id {task_id} is outside 0-{MAX_TASK_ID}"
            )
        await self._request("stop_sms", query={"task_id": task_id})

    async def set_port_info(
        self, port: int, action: PortAction, param: str | None = None
    ) -> None:
        """Run a port action (see PortAction) with its parameter.

        DinstarUnsupportedError when the firmware does not know the action
        (error_code 400); other refusals raise DinstarApiError.
        """
        _validate_ports([port])
        query: dict[str, str | int | Sequence[int | str]] = {
            "port": port,
            "action": str(action),
        }
        if param is not None:
            query["param"] = param
        try:
            await self._request("set_port_info", query=query)
        except DinstarApiError as err:
            if err.error_code == 400:
                raise DinstarUnsupportedError(err.endpoint, 400) from err
            raise

    async def restart_module(self, port: int) -> None:
        """Soft-reset a port's module; it registers again after a while.

        Any SMS or USSD in flight on the port is lost. Firmware has been seen
        to ignore a reset without a parameter, hence param 1.
        """
        await self.set_port_info(port, PortAction.RESET, "1")

    async def set_port_power(self, port: int, *, on: bool) -> None:
        """Switch a port's module on or off (hard power; 10-30 s to register)."""
        await self.set_port_info(port, PortAction.POWER, "on" if on else "off")

    async def select_sim_slot(self, port: int, slot: int) -> None:
        """Make a SIM bank slot (0-3) the port's active SIM."""
        if (
            isinstance(slot, bool)
            or not isinstance(slot, int)
            or not 0 <= slot < SIM_SLOTS
        ):
            raise DinstarValidationError(
                f"SIM slot {slot!r} is outside 0-{SIM_SLOTS - 1}"
            )
        await self.set_port_info(port, PortAction.SLOT, str(slot))

    async def get_status(self) -> GatewayStatus:
        """Return the gateway's CPU, memory and flash use.

        DinstarUnsupportedError on firmware without get_status.
        """
        try:
            body = await self._request(
                "get_status", payload=["performance"], enveloped=False
            )
        except DinstarApiDisabledError as err:
            raise DinstarUnsupportedError("get_status", 404) from err
        return GatewayStatus.from_body(body)
