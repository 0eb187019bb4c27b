"""How the library's errors read in Home Assistant: for coordinators, actions and entities.

The one place that maps them; callers only say what they were doing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN, port_label
from .pydinstar import (
    DinstarApiError,
    DinstarAuthenticationError,
    DinstarConnectionError,
    DinstarError,
    DinstarLockedOutError,
    DinstarSendIncompleteError,
    DinstarUnsupportedError,
    DinstarUssdBusyError,
    DinstarUssdError,
    DinstarUssdUnavailableError,
    DinstarValidationError,
    DinstarWrongGatewayError,
)

# send_sms's error_code when no port it may use has a registered SIM.
_NO_USABLE_PORT = 550
# stop_sms's error_code for a task the gateway does not have.
_UNKNOWN_TASK = 404
# What an action or entity tells of an error: its most specific class listed here.
_ACTION_ERRORS: dict[type[DinstarError], str] = {
    DinstarAuthenticationError: "action_invalid_auth",
    DinstarLockedOutError: "action_locked_out",
    DinstarUssdBusyError: "ussd_busy",
    DinstarUssdUnavailableError: "ussd_unavailable",
    DinstarUssdError: "ussd_failed",
    DinstarConnectionError: "cannot_connect",
    # A check of the library's that this integration's own checks let through.
    DinstarValidationError: "invalid_request",
    DinstarError: "gateway_error",
}


# What a failed poll tells of an error: its most specific class listed here.
_UPDATE_ERRORS: dict[type[DinstarError], str] = {
    DinstarConnectionError: "cannot_connect",
    DinstarWrongGatewayError: "wrong_gateway",
    # Not the gateway's doing: a request this integration should not have made.
    DinstarValidationError: "invalid_request",
    DinstarError: "gateway_error",
}


def _error_key(err: DinstarError, keys: dict[type[DinstarError], str]) -> str:
    """Return the key of err's most specific class in keys (DinstarError is in each)."""
    return next(keys[kind] for kind in type(err).__mro__ if kind in keys)


@contextmanager
def update_errors() -> Iterator[None]:
    """Raise the client's errors of a coordinator's update as Home Assistant's.

    Refused credentials and a ban raise ConfigEntryAuthFailed (reauthentication:
    another attempt would extend a ban), anything else UpdateFailed.
    """
    try:
        yield
    except DinstarAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except DinstarLockedOutError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="locked_out"
        ) from err
    except DinstarError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=_error_key(err, _UPDATE_ERRORS),
            translation_placeholders={"error": str(err)},
        ) from err


def action_error(
    hass: HomeAssistant, entry: ConfigEntry, err: DinstarError
) -> HomeAssistantError:
    """Return the translated error of a gateway request an action or entity made.

    Refused credentials and a ban start reauthentication, as a failed poll does:
    the user need not wait for the next poll to be asked for the password.
    """
    key = _error_key(err, _ACTION_ERRORS)
    placeholders = {"error": str(err)}
    if _start_reauth_if_refused(hass, entry, err):
        placeholders = {"gateway": entry.title}
    elif isinstance(err, DinstarUssdError):
        placeholders = {"port": port_label(err.port), "status": str(err.status)}
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _start_reauth_if_refused(
    hass: HomeAssistant, entry: ConfigEntry, err: BaseException | None
) -> bool:
    """Start reauthentication if the gateway refused the credentials or banned us."""
    if not isinstance(err, DinstarAuthenticationError | DinstarLockedOutError):
        return False
    entry.async_start_reauth(hass)
    return True


def send_error(
    hass: HomeAssistant, entry: ConfigEntry, err: DinstarError
) -> HomeAssistantError:
    """Return the translated error of an SMS send: what was queued, or why nothing was."""
    if isinstance(err, DinstarApiError) and err.error_code == _NO_USABLE_PORT:
        return HomeAssistantError(
            translation_domain=DOMAIN, translation_key="no_usable_port"
        )
    if not isinstance(err, DinstarSendIncompleteError):
        return action_error(hass, entry, err)
    # Credentials refused part-way: what was queued is told, and reauthentication starts.
    _start_reauth_if_refused(hass, entry, err.__cause__)
    placeholders = {
        "queued": str(sum(len(result.recipients) for result in err.accepted)),
        "not_sent": str(err.pending_recipients),
    }
    if err.unconfirmed:
        placeholders |= {
            "unconfirmed": str(len(err.unconfirmed)),
            "error": str(err.__cause__),
        }
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="send_unconfirmed" if err.unconfirmed else "send_incomplete",
        translation_placeholders=placeholders,
    )


def stop_task_error(
    hass: HomeAssistant, entry: ConfigEntry, err: DinstarError, task_id: int
) -> HomeAssistantError:
    """Return the translated error of stopping a send task; an unknown task is bad input."""
    if isinstance(err, DinstarApiError) and err.error_code == _UNKNOWN_TASK:
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_task",
            translation_placeholders={"task_id": str(task_id)},
        )
    return action_error(hass, entry, err)


def port_action_error(
    hass: HomeAssistant,
    entry: ConfigEntry,
    err: DinstarError,
    *,
    action: str,
    port: int,
) -> HomeAssistantError:
    """Return the translated error of an action on a port's module (restart, power...)."""
    placeholders = {"action": action, "port": port_label(port), "gateway": entry.title}
    if isinstance(err, DinstarUnsupportedError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_not_supported",
            translation_placeholders=placeholders,
        )
    if isinstance(err, DinstarApiError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_refused",
            translation_placeholders=placeholders | {"code": str(err.error_code)},
        )
    return action_error(hass, entry, err)
