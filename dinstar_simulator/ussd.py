"""The mobile network's USSD side: scripted answers, built-in services and a small menu."""

from __future__ import annotations

from dataclasses import dataclass

BALANCE_REPLY = "Your balance is 12.50 EUR. Valid until 2027-01-31."
MENU_CODE = "*123#"
MENU_TEXT = "Main menu\n1. Balance\n2. My number\n0. Exit"
UNKNOWN_REPLY = "Unknown service code."
DEFAULT_DELAY = 3.0


@dataclass(frozen=True)
class UssdAnswer:
    """What the network will answer, after how many device seconds, and the menu left open."""

    reply: str | None
    delay: float
    menu_open: bool = False


@dataclass(frozen=True)
class _Script:
    reply: str | None
    delay: float


class UssdNetwork:
    """Answers USSD strings: scripts first (port-specific, then any port), then built-in services."""

    def __init__(self) -> None:
        """Start without scripts."""
        self._scripts: dict[tuple[int | None, str], _Script] = {}

    def script(
        self, port: int | None, code: str, reply: str | None, delay: float
    ) -> None:
        """Answer `code` on `port` (None = every port) with reply (None = never) after delay."""
        self._scripts[port, code] = _Script(reply, delay)

    def answer(
        self, port: int, text: str, *, menu_open: bool, own_number: str
    ) -> UssdAnswer:
        """Return the network's answer to text sent on port."""
        script = self._scripts.get((port, text)) or self._scripts.get((None, text))
        if script is not None:
            return UssdAnswer(script.reply, script.delay)
        if menu_open:
            return _menu_choice(text, own_number)
        if text == MENU_CODE:
            return UssdAnswer(MENU_TEXT, DEFAULT_DELAY, menu_open=True)
        if text == "*100#":
            return UssdAnswer(BALANCE_REPLY, DEFAULT_DELAY)
        if text == "*135#":
            return UssdAnswer(_number_reply(own_number), DEFAULT_DELAY)
        return UssdAnswer(UNKNOWN_REPLY, DEFAULT_DELAY)


def _number_reply(own_number: str) -> str:
    return f"Your number is {own_number}."


def _menu_choice(choice: str, own_number: str) -> UssdAnswer:
    match choice.strip():
        case "1":
            return UssdAnswer(BALANCE_REPLY, DEFAULT_DELAY)
        case "2":
            return UssdAnswer(_number_reply(own_number), DEFAULT_DELAY)
        case "0":
            return UssdAnswer("Goodbye.", DEFAULT_DELAY)
        case _:
            return UssdAnswer(
                "Invalid choice.\n" + MENU_TEXT, DEFAULT_DELAY, menu_open=True
            )
