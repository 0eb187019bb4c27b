"""How the library's errors read in Home Assistant: for coordinators, actions and entities."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN
from .pydinstar import (
    DinstarAuthenticationError,
    DinstarConnectionError,
    DinstarError,
    DinstarLockedOutError,
    DinstarValidationError,
    DinstarWrongGatewayError,
)


async def call_gateway[T](request: Callable[[], Awaitable[T]]) -> T:
    """Run a gateway request and map the client's errors to Home Assistant's."""
    try:
        return await request()
    except DinstarAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except DinstarLockedOutError as err:
        # Another attempt would extend the ban: stop, like for refused credentials.
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="locked_out"
        ) from err
    except DinstarConnectionError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    except DinstarWrongGatewayError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="wrong_gateway",
            translation_placeholders={"error": str(err)},
        ) from err
    except DinstarValidationError as err:
        # Not the gateway's doing: a request this integration should not have made.
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="invalid_request",
            translation_placeholders={"error": str(err)},
        ) from err
    except DinstarError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="gateway_error",
            translation_placeholders={"error": str(err)},
        ) from err


def action_error(err: DinstarError) -> HomeAssistantError:
    """Return the translated error of a gateway request an action or entity made."""
    if isinstance(err, DinstarConnectionError):
        key = "cannot_connect"
    elif isinstance(err, DinstarValidationError):
        # A check of the library's that this integration's own checks let through.
        key = "invalid_request"
    else:
        key = "gateway_error"
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": str(err)},
    )
