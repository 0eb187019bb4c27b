"""Constants of the Dinstar SMS gateway integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "dinstar"
LOGGER = logging.getLogger(__package__)

MANUFACTURER: Final = "Dinstar"

CONF_URL: Final = "url"
CONF_MAC: Final = "mac"
# The name notify.<name> had when it followed the entry's title (entries before 1.2).
CONF_LEGACY_NOTIFY_SERVICE: Final = "legacy_notify_service"

# Options users tune.
CONF_DEFAULT_PORTS: Final = "default_ports"
CONF_DEFAULT_ENCODING: Final = "default_encoding"
CONF_DELIVERY_REPORTS: Final = "delivery_reports"
CONF_MARK_READ: Final = "mark_read"
CONF_TIMEZONE: Final = "timezone"
CONF_HISTORY_MAX_MESSAGES: Final = "history_max_messages"
CONF_HISTORY_MAX_DAYS: Final = "history_max_days"
# Minutes a port with a SIM may stay unregistered before its module is restarted; 0 = never.
CONF_RECOVERY_MINUTES: Final = "recovery_minutes"

ENCODING_AUTO: Final = "auto"
DEFAULT_DELIVERY_REPORTS: Final = True
DEFAULT_MARK_READ: Final = False
# The message history keeps this many messages per gateway, for this many days.
DEFAULT_HISTORY_MAX_MESSAGES: Final = 1000
DEFAULT_HISTORY_MAX_DAYS: Final = 90

# The gateway is a small embedded box: poll it modestly and never in parallel.
PORT_SCAN_INTERVAL: Final = timedelta(minutes=2)
STATUS_SCAN_INTERVAL: Final = timedelta(minutes=5)
DEFAULT_RECOVERY_MINUTES: Final = 0
MAX_RECOVERY_MINUTES: Final = 1440
REQUEST_TIMEOUT: Final = 20.0


# The unique id of a gateway whose firmware reports no serial number: its first IMEI.
IMEI_IDENTITY_PREFIX: Final = "imei-"


def gateway_serial(unique_id: str | None) -> str | None:
    """Return the serial number a gateway reports, None for firmware without one."""
    if unique_id is None or unique_id.startswith(IMEI_IDENTITY_PREFIX):
        return None
    return unique_id


def port_label(port: int) -> str:
    """Return the front panel's name of an API port number (port 0 is "1")."""
    return str(port + 1)
