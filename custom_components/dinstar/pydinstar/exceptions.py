"""Errors raised by the Dinstar gateway client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .models import SendSmsResult, SmsRecipient


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


class DinstarUnreadableReplyError(DinstarResponseError):
    """The gateway answered HTTP 200 with a body that is not the API's reply.

    It handled the request, but what it did cannot be read.
    """


class DinstarReplyTooLargeError(DinstarUnreadableReplyError):
    """The gateway's reply grew past what any real reply takes; reading stopped.

    Like any unreadable reply, what the gateway did cannot be known.
    """


class DinstarWrongGatewayError(DinstarResponseError):
    """Another gateway answered: its reply carries another serial number.

    It handled the request (a send may have been queued by that gateway).
    """


class DinstarApiDisabledError(DinstarResponseError):
    """The gateway answers, but its HTTP API is not enabled (HTTP 404 on /api/)."""


class DinstarApiError(DinstarError):
    """The gateway answered the request with an error code in the body."""

    def __init__(self, endpoint: str, error_code: int) -> None:
        """Keep the endpoint and the device's error code."""
        super().__init__(f"{endpoint} failed with error code {error_code}")
        self.endpoint = endpoint
        self.error_code = error_code


class DinstarUnsupportedError(DinstarApiError):
    """The gateway's firmware does not offer this call or action.

    set_port_info answers error_code 400 to an action it does not know; firmware
    without get_status answers HTTP 404 (error_code holds that status).
    """


class DinstarValidationError(DinstarError, ValueError):
    """A request was refused before it was sent because an input is invalid."""


class DinstarSendIncompleteError(DinstarError):
    """A send failed part-way, or without the gateway saying what it queued.

    Nothing is retried (a retried send is a duplicate SMS). `accepted` holds
    the tasks the gateway confirmed; `unconfirmed` the recipients of a request
    whose reply was lost or unreadable, which the gateway may have queued;
    `pending_recipients` counts those never sent.
    """

    def __init__(
        self,
        accepted: list[SendSmsResult],
        pending_recipients: int,
        unconfirmed: Sequence[SmsRecipient] = (),
    ) -> None:
        """Keep what the gateway accepted, may have accepted, and did not get."""
        message = f"{len(accepted)} request(s) accepted, {pending_recipients} recipient(s) not sent"
        if unconfirmed:
            message += f", {len(unconfirmed)} recipient(s) unconfirmed"
        super().__init__(message)
        self.accepted = accepted
        self.pending_recipients = pending_recipients
        self.unconfirmed = list(unconfirmed)
