"""USSD exchanges: which reply answers which request, and what a send status means.

A USSD reply carries no correlation id: the gateway keeps the last reply of each
port. So a port runs one exchange at a time, and a reply, read or pushed, is the
answer of the exchange waiting on its port; a reply that comes while none waits
(late, after a timeout or a cancel) answers nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .exceptions import DinstarError
from .models import UssdReply, UssdSendResult, UssdStatus


class DinstarUssdError(DinstarError):
    """The gateway did not send the USSD code on the port.

    status is send_ussd's status for the port, 0 when its reply named no port.
    """

    def __init__(self, port: int, status: int) -> None:
        """Keep the API port number and the gateway's status for it."""
        super().__init__(f"send_ussd on port {port} answered status {status}")
        self.port = port
        self.status = status


class DinstarUssdBusyError(DinstarUssdError):
    """The port is busy: it is sending SMS, or another USSD session is open (486)."""


class DinstarUssdUnavailableError(DinstarUssdError):
    """The port cannot send USSD: its SIM is not registered (503)."""


class _PortRow(Protocol):
    """A reply row about one port."""

    @property
    def port(self) -> int:
        """Return the API port number the row names."""
        ...


def row_for_port[R: _PortRow](port: int, rows: Sequence[R]) -> R | None:
    """Return the row about port, from a reply to a request for that one port.

    Old firmware (2017) numbers USSD rows by their place in the request, not
    as asked: when the one row there is names another port, it is still the
    answer for the only port asked.
    """
    for row in rows:
        if row.port == port:
            return row
    return rows[0] if len(rows) == 1 else None


def check_ussd_sent(port: int, results: Sequence[UssdSendResult]) -> UssdSendResult:
    """Return the row saying the gateway sent on port, or raise what its status means."""
    result = row_for_port(port, results)
    if result is not None and result.sent:
        return result
    status = 0 if result is None else result.status
    if status == UssdStatus.BUSY:
        raise DinstarUssdBusyError(port, status)
    if status == UssdStatus.UNAVAILABLE:
        raise DinstarUssdUnavailableError(port, status)
    raise DinstarUssdError(port, status)


@dataclass(frozen=True, slots=True, kw_only=True)
class UssdAnswer:
    """The network's reply that ends the exchange of a port.

    row_port is the port the gateway's row named: another one where old
    firmware numbers rows by their place in the request.
    """

    port: int
    text: str
    row_port: int


class UssdExchanges:
    """The USSD exchanges of a gateway's ports that wait for a reply, one per port."""

    def __init__(self) -> None:
        """Start with no port waiting."""
        self._codes: dict[int, str] = {}

    def waiting(self, port: int) -> str | None:
        """Return the code whose reply port waits for, None when it waits for none."""
        return self._codes.get(port)

    def begin(self, port: int, code: str) -> None:
        """Wait on port for the reply to code; a port already waiting is busy."""
        if port in self._codes:
            raise DinstarUssdBusyError(port, UssdStatus.BUSY)
        self._codes[port] = code

    def end(self, port: int) -> None:
        """Stop waiting on port (answered, timed out, cancelled or failed)."""
        self._codes.pop(port, None)

    def sent(self, port: int, results: Sequence[UssdSendResult]) -> UssdSendResult:
        """Return the gateway's row about sending port's code; a refusal ends the exchange."""
        try:
            return check_ussd_sent(port, results)
        except DinstarUssdError:
            self.end(port)
            raise

    def read(self, port: int, replies: Sequence[UssdReply]) -> UssdAnswer | None:
        """Return the answer ending port's exchange, from a query_ussd_reply reply.

        None while the network has not answered, or when port waits for nothing.
        """
        reply = row_for_port(port, replies)
        if port not in self._codes or reply is None or reply.text is None:
            return None
        self.end(port)
        return UssdAnswer(port=port, text=reply.text, row_port=reply.port)

    def pushed(self, replies: Iterable[UssdReply]) -> list[UssdAnswer]:
        """Return the answers of pushed replies that end waiting exchanges, ending them.

        A push names its port: a reply for a port that waits for nothing is
        dropped, and so is a second reply for the same port.
        """
        answers: list[UssdAnswer] = []
        for reply in replies:
            if reply.text is not None and reply.port in self._codes:
                self.end(reply.port)
                answers.append(
                    UssdAnswer(port=reply.port, text=reply.text, row_port=reply.port)
                )
        return answers
