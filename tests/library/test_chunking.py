"""Requests split at the gateway's limits: 128 recipients per send, 32 filter items per query."""

from __future__ import annotations

from collections import Counter

from aiohttp import (
    ClientHandlerType,
    ClientMiddlewareType,
    ClientRequest,
    ClientResponse,
    ClientSession,
)
import pytest

from dinstar_simulator import Simulator
from pydinstar import (
    MAX_NUMBERS_PER_QUERY,
    MAX_RECIPIENTS_PER_REQUEST,
    DinstarApiError,
    DinstarClient,
    DinstarConnectionError,
    DinstarSendIncompleteError,
    SmsRecipient,
    auth_middleware,
)

from .conftest import PASSWORD, USERNAME, api_calls


def numbers(count: int) -> list[str]:
    """Return count distinct phone numbers."""
    return [f"+49151{index:08d}" for index in range(count)]


def recipients_per_task(simulator: Simulator) -> list[int]:
    """Return how many SMS the gateway queued for each task, in task order."""
    counts = Counter(sms.task_id for sms in simulator.sent)
    return [counts[task_id] for task_id in sorted(counts)]


@pytest.mark.parametrize(
    ("recipients", "requests"),
    [(1, [1]), (128, [128]), (129, [128, 1]), (300, [128, 128, 44])],
)
async def test_send_splits_at_128_recipients(
    simulator: Simulator, client: DinstarClient, recipients: int, requests: list[int]
) -> None:
    """Each request carries at most 128 recipients, in order, one task each."""
    assert MAX_RECIPIENTS_PER_REQUEST == 128
    wanted = [
        SmsRecipient(number=number, user_id=index)
        for index, number in enumerate(numbers(recipients))
    ]
    results = await client.send_sms("Hi", wanted)
    assert [len(result.recipients) for result in results] == requests
    assert [result.task_id for result in results] == list(range(1, len(requests) + 1))
    assert [r for result in results for r in result.recipients] == wanted
    sends = [r for r in api_calls(simulator, "send_sms") if r.authenticated]
    assert len(sends) == len(requests)
    assert recipients_per_task(simulator) == requests
    assert [(sms.number, sms.user_id) for sms in simulator.sent] == [
        (r.number, r.user_id) for r in wanted
    ]


def fail_sends_after(
    simulator: Simulator, accepted: int, error_code: int
) -> ClientMiddlewareType:
    """Return a middleware that makes the gateway refuse sends once `accepted` passed."""
    passed = 0

    async def middleware(
        request: ClientRequest, handler: ClientHandlerType
    ) -> ClientResponse:
        nonlocal passed
        response = await handler(request)
        if request.url.path == "/api/send_sms" and response.status == 200:
            passed += 1
            if passed == accepted:
                simulator.faults.error_codes["send_sms"] = error_code
        return response

    return middleware


async def test_later_chunk_fails(simulator: Simulator) -> None:
    """Accepted chunks are reported, not retried, when a later one is refused."""
    async with ClientSession(
        middlewares=(
            auth_middleware(USERNAME, PASSWORD),
            fail_sends_after(simulator, accepted=2, error_code=413),
        )
    ) as session:
        client = DinstarClient(simulator.url, session=session)
        with pytest.raises(DinstarSendIncompleteError) as err:
            await client.send_sms("Hi", numbers(300))
    assert [result.task_id for result in err.value.accepted] == [1, 2]
    assert err.value.pending_recipients == 44
    assert "2 request(s) accepted, 44 recipient(s) not sent" in str(err.value)
    assert isinstance(err.value.__cause__, DinstarApiError)
    assert err.value.__cause__.error_code == 413
    assert len(simulator.sent) == 256
    # Exactly one refused request: nothing was sent again.
    assert [r.status for r in api_calls(simulator, "send_sms")] == [401] + [200] * 3


async def test_later_chunk_connection_lost(simulator: Simulator) -> None:
    """A connection lost after the first chunk leaves the second unconfirmed."""

    async def drop_after_first(
        request: ClientRequest, handler: ClientHandlerType
    ) -> ClientResponse:
        response = await handler(request)
        if response.status == 200:
            simulator.faults.drop_connection = True
        return response

    async with ClientSession(
        middlewares=(auth_middleware(USERNAME, PASSWORD), drop_after_first)
    ) as session:
        client = DinstarClient(simulator.url, session=session)
        with pytest.raises(DinstarSendIncompleteError) as err:
            await client.send_sms("Hi", numbers(129))
    # The gateway may have queued the second request before the connection went.
    assert err.value.pending_recipients == 0
    assert [r.number for r in err.value.unconfirmed] == numbers(129)[128:]
    assert isinstance(err.value.__cause__, DinstarConnectionError)


async def test_first_chunk_fails(simulator: Simulator, client: DinstarClient) -> None:
    """When nothing was accepted the device's error comes through as it is."""
    simulator.faults.error_codes["send_sms"] = 500
    with pytest.raises(DinstarApiError) as err:
        await client.send_sms("Hi", numbers(300))
    assert not isinstance(err.value, DinstarSendIncompleteError)
    assert [r.status for r in api_calls(simulator, "send_sms")] == [401, 200]


async def test_result_query_splits_numbers_and_user_ids(
    simulator: Simulator, client: DinstarClient
) -> None:
    """70 numbers x 40 user ids: 3 x 2 requests, every row once."""
    assert MAX_NUMBERS_PER_QUERY == 32
    wanted = [
        SmsRecipient(number=number, user_id=index)
        for index, number in enumerate(numbers(70))
    ]
    await client.send_sms("Hi", wanted, request_status_report=False)
    await simulator.wait_idle()
    queries_before = len(api_calls(simulator, "query_sms_result"))

    results = await client.query_sms_result(
        numbers=[r.number for r in wanted], user_ids=list(range(40))
    )
    assert sorted(r.user_id or 0 for r in results) == list(range(40))
    assert len(api_calls(simulator, "query_sms_result")) - queries_before == 6

    by_number = await client.query_sms_result(numbers=[r.number for r in wanted])
    assert len(by_number) == 70
    by_id = await client.query_sms_result(user_ids=list(range(70)))
    assert len(by_id) == 70
    assert len(api_calls(simulator, "query_sms_result")) - queries_before == 6 + 3 + 3


async def test_delivery_query_splits_numbers(
    simulator: Simulator, client: DinstarClient
) -> None:
    """33 numbers: two delivery status queries, one of 32 and one of 1."""
    await client.send_sms("Hi", numbers(33))
    await simulator.wait_idle()
    reports = await client.query_sms_deliver_status(numbers=numbers(33))
    assert sorted(r.number for r in reports) == numbers(33)
    assert len(api_calls(simulator, "query_sms_deliver_status")) == 2


async def test_empty_filters_send_nothing(
    simulator: Simulator, client: DinstarClient
) -> None:
    """An empty list of numbers or user ids matches nothing, without asking."""
    assert await client.query_sms_result(numbers=[]) == []
    assert await client.query_sms_result(user_ids=[]) == []
    assert await client.query_sms_result(numbers=["+1"], user_ids=[]) == []
    assert await client.query_sms_deliver_status(numbers=[]) == []
    assert simulator.requests == []
