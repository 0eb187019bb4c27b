"""Inputs the gateway cannot take are refused before anything is sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from dinstar_simulator import Simulator
from pydinstar import (
    MAX_PORT,
    MAX_TEXT_BYTES,
    MAX_USSD_BYTES,
    DinstarClient,
    DinstarValidationError,
    SmsRecipient,
    validate_number,
    validate_sms_text,
)

type Call = Callable[[DinstarClient], Awaitable[object]]

GOOD = "+4915112345678"

INVALID: dict[str, Call] = {
    "empty text": lambda c: c.send_sms("", [GOOD]),
    "text over 1500 bytes": lambda c: c.send_sms("ж" * 751, [GOOD]),
    "no recipient": lambda c: c.send_sms("Hi", []),
    "letters in number": lambda c: c.send_sms("Hi", ["+49 151 1234"]),
    "plus only": lambda c: c.send_sms("Hi", ["+"]),
    "empty number": lambda c: c.send_sms("Hi", [""]),
    "number over 24 bytes": lambda c: c.send_sms("Hi", ["+" + "1" * 24]),
    "one bad number of many": lambda c: c.send_sms("Hi", [GOOD] * 200 + ["x"]),
    "negative user_id": lambda c: c.send_sms(
        "Hi", [SmsRecipient(number=GOOD, user_id=-1)]
    ),
    "send port 32": lambda c: c.send_sms("Hi", [GOOD], ports=[32]),
    "send port -1": lambda c: c.send_sms("Hi", [GOOD], ports=[-1]),
    "port as text": lambda c: c.get_port_info(ports=["1"]),  # type: ignore[list-item]
    "port as bool": lambda c: c.get_port_info(ports=[True]),
    "port info port 99": lambda c: c.get_port_info(ports=[0, 99]),
    "result number": lambda c: c.query_sms_result(numbers=["abc"]),
    "result user_id": lambda c: c.query_sms_result(user_ids=[1, -2]),
    "result port": lambda c: c.query_sms_result(ports=[MAX_PORT + 1]),
    "report number": lambda c: c.query_sms_deliver_status(numbers=["1" * 25]),
    "report port": lambda c: c.query_sms_deliver_status(ports=[-5]),
    "incoming after_id": lambda c: c.query_incoming_sms(after_id=-1),
    "incoming port": lambda c: c.query_incoming_sms(ports=[40]),
    "ussd no port": lambda c: c.send_ussd([], "*100#"),
    "ussd port 32": lambda c: c.send_ussd([32], "*100#"),
    "ussd empty code": lambda c: c.send_ussd([0], ""),
    "ussd blank code": lambda c: c.send_ussd([0], "  "),
    "ussd over 60 bytes": lambda c: c.send_ussd([0], "*" * 61),
    "ussd cancel over 60 bytes": lambda c: c.send_ussd([0], "ж" * 31, cancel=True),
    "ussd reply no port": lambda c: c.query_ussd_reply([]),
    "ussd reply port 32": lambda c: c.query_ussd_reply([32]),
    "negative task id": lambda c: c.stop_sms(-1),
}


@pytest.mark.parametrize("call", INVALID.values(), ids=INVALID.keys())
async def test_refused_before_sending(
    simulator: Simulator, client: DinstarClient, call: Call
) -> None:
    """DinstarValidationError (a ValueError) and not a single request."""
    with pytest.raises(DinstarValidationError) as err:
        await call(client)
    assert isinstance(err.value, ValueError)
    assert simulator.requests == []


async def test_limits_themselves_are_accepted(
    simulator: Simulator, client: DinstarClient
) -> None:
    """1500 bytes of text, 24-byte numbers, port 31 and 60-byte USSD codes go out."""
    longest = "+" + "1" * 23
    await client.send_sms("ж" * 750, [longest, "1" * 24], ports=[0, MAX_PORT])
    assert [sms.number for sms in simulator.sent] == [longest, "1" * 24]
    await client.send_ussd([0], "*" * MAX_USSD_BYTES)
    await client.send_ussd([0], "", cancel=True)
    await client.query_sms_result(user_ids=[0], numbers=[longest])
    assert all(r.status in (200, 401) for r in simulator.requests)


@pytest.mark.parametrize("number", ["+4915112345678", "10086", "1" * 24])
def test_valid_numbers(number: str) -> None:
    """Digits with an optional leading + up to 24 bytes pass."""
    validate_number(number)


@pytest.mark.parametrize("number", ["", "+", "++1", "1+", "12 34", "١٢٣", "1" * 25])
def test_invalid_numbers(number: str) -> None:
    """Anything else is refused, non-ASCII digits included."""
    with pytest.raises(DinstarValidationError):
        validate_number(number)


def test_text_limits() -> None:
    """Text must be non-empty and at most 1500 UTF-8 bytes."""
    validate_sms_text("a" * MAX_TEXT_BYTES)
    validate_sms_text("😀" * (MAX_TEXT_BYTES // 4))
    with pytest.raises(DinstarValidationError, match="1504 bytes"):
        validate_sms_text("😀" * (MAX_TEXT_BYTES // 4 + 1))
    with pytest.raises(DinstarValidationError, match="empty"):
        validate_sms_text("")
