"""Errors raised by the Dinstar gateway client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import SendSmsResult


class DinstarError(Exception):
    """Base class of every error the client raises."""


class DinstarConnectionError(DinstarError):
    """The gateway could not be reached or closed the connection."""


class DinstarTimeoutError(DinstarConnectionError):
    """The gateway did not answer in time."""


class DinstarAuthenticationError(DinstarError):
    """The gateway refused the credentials (HTTP 401)."""


class DinstarLockedOutError(DinstarError):
    """The gateway bans this client after repeated failed logins (HTTP 403)."""


class DinstarResponseError(DinstarError):
    """The gateway sent a reply that is not the API's (wrong status or body)."""


class DinstarApiDisabledError(DinstarResponseError):
    """The gateway answers, but its HTTP API is not enabled (HTTP 404 on /api/)."""


class DinstarApiError(DinstarError):
    """The gateway answered the request with an error code in the body."""

    def __init__(self, endpoint: str, error_code: int) -> None:
        """Keep the endpoint and the device's error code."""
        super().__init__(f"{endpoint} failed with error code {error_code}")
        self.endpoint = endpoint
        self.error_code = error_code


class DinstarValidationError(DinstarError, ValueError):
    """A request was refused before it was sent because an input is invalid."""


class DinstarSendIncompleteError(DinstarError):
    """A send split into several requests failed after some were accepted.

    The accepted requests are not retried (a retried send is a duplicate SMS);
    `accepted` tells which tasks the gateway has queued.
    """

    def __init__(self, accepted: list[SendSmsResult], pending_recipients: int) -> None:
        """Keep what the gateway accepted and how many recipients were not sent."""
        super().__init__(
            f"{len(accepted)} request(s) accepted, {pending_recipients} recipient(s) not sent"
        )
        self.accepted = accepted
        self.pending_recipients = pending_recipients
