"""How every failure of the gateway or the network reaches the caller."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import time

import pytest

from dinstar_simulator import Simulator
from pydinstar import (
    DinstarApiDisabledError,
    DinstarApiError,
    DinstarClient,
    DinstarConnectionError,
    DinstarError,
    DinstarLockedOutError,
    DinstarResponseError,
    DinstarSendIncompleteError,
    DinstarTimeoutError,
    DinstarUnreadableReplyError,
    DinstarWrongGatewayError,
)

from .conftest import PASSWORD, USERNAME, RecordedGateway

type Call = Callable[[DinstarClient], Awaitable[object]]

# One call per endpoint, each with the endpoint's name as the simulator knows it.
CALLS: list[tuple[str, Call]] = [
    ("get_port_info", lambda client: client.get_port_info()),
    ("send_sms", lambda client: client.send_sms("Hi", ["+4915112345678"])),
    ("query_sms_result", lambda client: client.query_sms_result(user_ids=[1])),
    ("query_sms_deliver_status", lambda client: client.query_sms_deliver_status()),
    ("query_sms_in_queue", lambda client: client.query_sms_in_queue()),
    ("query_incoming_sms", lambda client: client.query_incoming_sms()),
    ("send_ussd", lambda client: client.send_ussd([0], "*100#")),
    ("query_ussd_reply", lambda client: client.query_ussd_reply([0])),
    ("stop_sms", lambda client: client.stop_sms(1)),
]
ENDPOINTS = [endpoint for endpoint, _ in CALLS]


@pytest.mark.parametrize(("endpoint", "call"), CALLS, ids=ENDPOINTS)
@pytest.mark.parametrize("error_code", [400, 413, 500, 550])
async def test_error_code_in_http_200_body(
    simulator: Simulator,
    client: DinstarClient,
    endpoint: str,
    call: Call,
    error_code: int,
) -> None:
    """HTTP 200 with an error_code other than 200/202 raises DinstarApiError."""
    simulator.faults.error_codes[endpoint] = error_code
    with pytest.raises(DinstarApiError) as err:
        await call(client)
    assert err.value.error_code == error_code
    assert err.value.endpoint == endpoint
    assert str(error_code) in str(err.value)
    assert simulator.requests[-1].status == 200


@pytest.mark.parametrize(("endpoint", "call"), CALLS, ids=ENDPOINTS)
async def test_http_500(
    simulator: Simulator, client: DinstarClient, endpoint: str, call: Call
) -> None:
    """An HTTP error status is a response error naming the status."""
    simulator.faults.http_500 = True
    with pytest.raises(DinstarResponseError, match=f"{endpoint}: HTTP 500"):
        await call(client)


QUERIES = [(endpoint, call) for endpoint, call in CALLS if endpoint != "send_sms"]


@pytest.mark.parametrize(
    ("endpoint", "call"), QUERIES, ids=[endpoint for endpoint, _ in QUERIES]
)
async def test_malformed_body(
    simulator: Simulator, client: DinstarClient, endpoint: str, call: Call
) -> None:
    """A body cut off mid-way is a response error, not a crash."""
    simulator.faults.malformed_body = True
    with pytest.raises(DinstarUnreadableReplyError, match=f"{endpoint}: .*not JSON"):
        await call(client)


SEND_FAULTS = pytest.mark.parametrize(
    ("fault", "cause"),
    [
        ("malformed_body", DinstarUnreadableReplyError),
        ("drop_connection", DinstarConnectionError),
        ("latency", DinstarTimeoutError),
    ],
)


@SEND_FAULTS
async def test_send_with_its_reply_lost(
    simulator: Simulator, fault: str, cause: type[DinstarError]
) -> None:
    """A send whose reply is lost or unreadable may have been queued: it says so."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD, request_timeout=0.2
    ) as client:
        await client.query_sms_in_queue()  # the Digest challenge, once
        setattr(simulator.faults, fault, 0.5 if fault == "latency" else True)
        with pytest.raises(DinstarSendIncompleteError) as err:
            await client.send_sms("Hi", ["+4915112345678", "+4915112345679"])
    assert err.value.accepted == []
    assert [r.number for r in err.value.unconfirmed] == [
        "+4915112345678",
        "+4915112345679",
    ]
    assert err.value.pending_recipients == 0
    assert "2 recipient(s) unconfirmed" in str(err.value)
    assert isinstance(err.value.__cause__, cause)


async def test_send_never_connected() -> None:
    """A send that never reached the gateway is a plain connection error."""
    async with Simulator() as simulator:
        url = simulator.url
    async with DinstarClient(url, username=USERNAME, password=PASSWORD) as client:
        with pytest.raises(DinstarConnectionError) as err:
            await client.send_sms("Hi", ["+4915112345678"])
    assert not isinstance(err.value, DinstarSendIncompleteError)


async def test_api_disabled(simulator: Simulator, client: DinstarClient) -> None:
    """HTTP 404 on /api/ means the API is not enabled on the device."""
    simulator.faults.api_disabled = True
    with pytest.raises(DinstarApiDisabledError, match="API enabled"):
        await client.get_port_info()
    simulator.faults.api_disabled = False
    assert (await client.get_port_info()).ports


async def test_timeout(simulator: Simulator) -> None:
    """A gateway slower than request_timeout raises DinstarTimeoutError in time."""
    simulator.faults.latency = 0.5
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD, request_timeout=0.05
    ) as client:
        started = time.monotonic()
        with pytest.raises(DinstarTimeoutError, match="no answer within 0.05 s") as err:
            await client.query_sms_in_queue()
        assert time.monotonic() - started < 0.45
    assert isinstance(err.value, DinstarConnectionError)


async def test_dropped_connection(simulator: Simulator, client: DinstarClient) -> None:
    """A connection closed without an answer is a connection error, and passes."""
    await client.query_sms_in_queue()
    simulator.faults.drop_connection = True
    with pytest.raises(DinstarConnectionError) as err:
        await client.query_sms_in_queue()
    assert not isinstance(err.value, DinstarTimeoutError)
    simulator.faults.drop_connection = False
    assert await client.query_sms_in_queue() == 0


async def test_offline(simulator: Simulator, client: DinstarClient) -> None:
    """A refused connection is a connection error; the client recovers when it is back."""
    await client.query_sms_in_queue()
    await simulator.set_offline(True)
    for _ in range(2):  # a kept-alive connection first, then a refused one
        with pytest.raises(DinstarConnectionError, match="query_sms_in_queue"):
            await client.query_sms_in_queue()
    await simulator.set_offline(False)
    assert await client.query_sms_in_queue() == 0


async def test_nothing_listening() -> None:
    """Connection refused before any reply is a connection error."""
    async with Simulator() as simulator:
        url = simulator.url
    async with DinstarClient(url, username=USERNAME, password=PASSWORD) as client:
        with pytest.raises(DinstarConnectionError):
            await client.get_port_info()


@pytest.mark.parametrize(
    "content_type", ["text/html", "application/json", "text/plain", ""]
)
async def test_any_content_type(
    simulator: Simulator, client: DinstarClient, content_type: str
) -> None:
    """The body is read as JSON whatever the Content-Type says."""
    simulator.quirks.content_type = content_type
    assert await client.query_sms_in_queue() == 0


@pytest.mark.parametrize(
    ("reply", "error", "message"),
    [
        ((403, b""), DinstarResponseError, "HTTP 403"),
        ((403, b"Access denied"), DinstarResponseError, "HTTP 403"),
        ((403, b"Forbid to try again"), DinstarLockedOutError, "bans this client"),
        ((404, b"404 Not Found"), DinstarApiDisabledError, "HTTP 404"),
        ((500, b""), DinstarResponseError, "HTTP 500"),
        (
            (200, b'{"sn":"da00-0030-1901-2817"}'),
            DinstarUnreadableReplyError,
            "no error_code",
        ),
        ((200, b'{"error_code":"busy"}'), DinstarUnreadableReplyError, "no error_code"),
        ((200, b"[200]"), DinstarUnreadableReplyError, "not an object"),
        ((200, b"<html>Login</html>"), DinstarUnreadableReplyError, "not JSON"),
        ((200, b'{"error_code":400}'), DinstarApiError, "error code 400"),
    ],
)
async def test_replies_the_simulator_never_gives(
    recorded_gateway: RecordedGateway,
    recorded_client: DinstarClient,
    reply: tuple[int, bytes],
    error: type[DinstarError],
    message: str,
) -> None:
    """Odd statuses and bodies map to the matching error."""
    status, body = reply
    recorded_gateway.reply("query_sms_in_queue", body, status)
    with pytest.raises(error, match=message) as err:
        await recorded_client.query_sms_in_queue()
    assert type(err.value) is error


async def test_forbidden_is_not_a_lockout(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """A plain '403 Forbidden' (e.g. a wrong method) is no ban on the client."""
    recorded_gateway.reply("query_sms_in_queue", b"403 Forbidden", 403)
    with pytest.raises(DinstarResponseError, match="HTTP 403") as err:
        await recorded_client.query_sms_in_queue()
    assert not isinstance(err.value, DinstarLockedOutError)


async def test_error_code_as_a_string(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """An error_code sent as a string still counts."""
    recorded_gateway.reply("query_sms_in_queue", {"error_code": "200", "in_queue": "3"})
    assert await recorded_client.query_sms_in_queue() == 3
    # Without in_queue the queue length is unknown, not 0.
    recorded_gateway.reply("query_sms_in_queue", {"error_code": 200})
    assert await recorded_client.query_sms_in_queue() is None


async def test_wrong_gateway(simulator: Simulator) -> None:
    """With a serial, a reply from another gateway is refused; without one, any is read."""
    serial = simulator.config.serial
    assert serial is not None
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD, serial=serial
    ) as client:
        assert await client.query_sms_in_queue() == 0
        simulator.config.serial = "da00-0030-1901-9999"
        with pytest.raises(
            DinstarWrongGatewayError,
            match=f"da00-0030-1901-9999 answered, not {serial}",
        ):
            await client.query_sms_in_queue()
        # The other gateway may have queued a send: it is unconfirmed, not refused.
        with pytest.raises(DinstarSendIncompleteError) as err:
            await client.send_sms("Hi", ["+4915112345678"])
        assert len(err.value.unconfirmed) == 1
        assert isinstance(err.value.__cause__, DinstarWrongGatewayError)
        # Firmware without a serial in its replies cannot be told apart: it is read.
        simulator.config.serial = None
        assert (await client.get_port_info()).serial is None
