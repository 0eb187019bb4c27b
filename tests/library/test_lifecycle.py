"""The client object: construction, its URL, repr, and who closes the session."""

from __future__ import annotations

import asyncio
import itertools

from aiohttp import ClientSession
import pytest
from yarl import URL

from dinstar_simulator import Simulator
from pydinstar import (
    DinstarClient,
    DinstarTimeoutError,
    DinstarValidationError,
    auth_middleware,
)

from .conftest import PASSWORD, USERNAME


@pytest.fixture
def closed_sessions(monkeypatch: pytest.MonkeyPatch) -> list[ClientSession]:
    """Record every ClientSession that gets closed."""
    closed: list[ClientSession] = []
    close = ClientSession.close

    async def recording_close(self: ClientSession) -> None:
        closed.append(self)
        await close(self)

    monkeypatch.setattr(ClientSession, "close", recording_close)
    return closed


@pytest.mark.parametrize(
    "url", ["192.168.11.1", "/api/", "ftp://192.168.11.1/", "gateway:8080"]
)
def test_url_must_be_http(url: str) -> None:
    """Only absolute http(s) URLs are taken."""
    with pytest.raises(DinstarValidationError, match="not an http"):
        DinstarClient(url, username=USERNAME, password=PASSWORD)


@pytest.mark.parametrize("url", ["http://[::1", "http://gateway:99999"])
def test_unparsable_url(url: str) -> None:
    """An URL yarl cannot parse is a validation error like any other bad URL."""
    with pytest.raises(DinstarValidationError):
        DinstarClient(url, username=USERNAME, password=PASSWORD)


@pytest.mark.parametrize(
    ("username", "password"), [(None, PASSWORD), (USERNAME, None), (None, None)]
)
def test_credentials_needed_without_session(
    username: str | None, password: str | None
) -> None:
    """Without a session the client needs both username and password."""
    with pytest.raises(DinstarValidationError, match="Credentials"):
        DinstarClient("http://192.168.11.1", username=username, password=password)


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("http://192.168.11.1", "http://192.168.11.1/"),
        (
            "https://192.168.11.1:8443/api/send_sms?x=1#top",
            "https://192.168.11.1:8443/",
        ),
        (URL("http://gateway.local:8080/path/"), "http://gateway.local:8080/"),
    ],
)
def test_base_url(url: str | URL, base: str) -> None:
    """The base URL keeps scheme, host and port only."""
    client = DinstarClient(url, username=USERNAME, password=PASSWORD)
    assert client.url == URL(base)
    assert repr(client) == f"DinstarClient({base!r})"


def test_repr_has_no_credentials() -> None:
    """The repr names the gateway, never the credentials."""
    client = DinstarClient(
        "http://192.168.11.1:8080", username="operator", password="s3cret-pw"
    )
    assert "operator" not in repr(client)
    assert "s3cret-pw" not in repr(client)


def test_repr_hides_credentials_in_the_url() -> None:
    """Credentials written into the URL do not show in repr either."""
    client = DinstarClient(
        "http://operator:s3cret-pw@192.168.11.1/", username=USERNAME, password=PASSWORD
    )
    assert "s3cret-pw" not in repr(client)


async def test_async_with_closes_the_own_session(
    simulator: Simulator, closed_sessions: list[ClientSession]
) -> None:
    """The session the client created is closed when the context ends."""
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD
    ) as client:
        await client.query_sms_in_queue()
        await client.query_sms_in_queue()
        assert closed_sessions == []
    assert len(closed_sessions) == 1
    assert closed_sessions[0].closed
    await client.close()
    assert len(closed_sessions) == 1


async def test_close_before_use(closed_sessions: list[ClientSession]) -> None:
    """Closing a client that never sent anything has no session to close."""
    client = DinstarClient("http://192.168.11.1", username=USERNAME, password=PASSWORD)
    await client.close()
    assert closed_sessions == []


async def test_client_usable_after_close(simulator: Simulator) -> None:
    """A closed client opens a new session on the next call."""
    client = DinstarClient(simulator.url, username=USERNAME, password=PASSWORD)
    await client.query_sms_in_queue()
    await client.close()
    assert await client.query_sms_in_queue() == 0
    await client.close()


async def test_injected_session_stays_open(
    simulator: Simulator, closed_sessions: list[ClientSession]
) -> None:
    """A session passed in belongs to the caller: the client never closes it."""
    async with ClientSession(
        middlewares=(auth_middleware(USERNAME, PASSWORD),)
    ) as session:
        async with DinstarClient(simulator.url, session=session) as client:
            assert await client.query_sms_in_queue() == 0
        assert closed_sessions == []
        assert not session.closed
        async with session.get(f"{simulator.url}/api/query_sms_in_queue") as response:
            assert response.status == 200
    assert closed_sessions == [session]


async def test_request_timeout_is_adjustable(simulator: Simulator) -> None:
    """The request timeout can be changed between calls."""
    simulator.faults.latency = 0.2
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD, request_timeout=5
    ) as client:
        assert client.request_timeout == 5
        assert await client.query_sms_in_queue() == 0
        client.request_timeout = 0.05
        with pytest.raises(DinstarTimeoutError):
            await client.query_sms_in_queue()


async def test_requests_go_one_at_a_time(
    simulator: Simulator, client: DinstarClient
) -> None:
    """Concurrent calls reach the gateway one after the other, never overlapping."""
    await client.query_sms_in_queue()  # the Digest challenge, once
    simulator.faults.latency = 0.05
    before = len(simulator.requests)

    await asyncio.gather(*(client.query_sms_in_queue() for _ in range(4)))

    arrivals = [record.time for record in simulator.requests[before:]]
    assert len(arrivals) == 4
    # Each arrived only after the previous one's answer (delayed by the latency).
    assert all(
        later - earlier >= 0.045 for earlier, later in itertools.pairwise(arrivals)
    )
