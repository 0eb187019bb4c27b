"""The gateway's login check: Digest (MD5, qop=auth) as the firmware does it, old-firmware Basic, and the ban.

Choices where real firmware is unknown:
- A failed login is a request whose credentials are wrong (a raw comma in the last query parameter
  included, since the device cannot tell); no credentials, or the right answer to a nonce the device
  no longer knows (after a reboot), earn a fresh challenge without counting.
- The ban is per client address, starts after `lockout_after` failures in a row, lasts
  `lockout_seconds / clock_speed` and is not extended by requests during it; a success resets the count.
- nc is not checked for replays: clients reusing a nonce concurrently may send nc out of order.
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto
import hashlib
import hmac
import random
import re
import time

from .config import SimulatorConfig
from .switches import Quirks

REALM = "Web Server"
OPAQUE = "5ccc069c403ebaf9f0171e9517f40e41"
FORBIDDEN_BODY = "forbid to try again"
# The firmware keeps only so many nonces; older ones fall out and their clients get a fresh challenge.
MAX_NONCES = 512

_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))')
_ESCAPE = re.compile(r"\\(.)")


class AuthOutcome(Enum):
    """What a request's credentials earn it."""

    ACCEPTED = auto()
    # 401 without counting a failure: no credentials, or the right answer to a nonce we no longer know.
    CHALLENGE = auto()
    # 401 and one more failed attempt towards the ban.
    REJECTED = auto()
    # 403 "forbid to try again".
    LOCKED_OUT = auto()


@dataclass
class _Attempts:
    failures: int = 0
    locked_until: float = 0.0


def challenge_header(nonce: str) -> str:
    """Return the WWW-Authenticate value, irregular spacing and all."""
    return (
        f'Digest realm="{REALM}", domain="",qop="auth", nonce="{nonce}", '
        f'opaque="{OPAQUE}",algorithm="MD5", stale="FALSE"'
    )


def parse_digest_params(header: str) -> dict[str, str]:
    """Return the key/value pairs of a Digest Authorization header (after the scheme)."""
    params: dict[str, str] = {}
    for match in _PARAM.finditer(header):
        key, quoted, bare = match.groups()
        params[key.lower()] = _ESCAPE.sub(r"\1", quoted) if quoted is not None else bare
    return params


def last_query_value_has_raw_comma(target: str) -> bool:
    """Whether the value of the request target's last query parameter holds an unencoded comma."""
    _, _, query = target.partition("?")
    if not query:
        return False
    _, _, value = query.rsplit("&", 1)[-1].partition("=")
    return "," in value


def _same(left: str, right: str) -> bool:
    """Constant-time comparison that also copes with non-ASCII input."""
    return hmac.compare_digest(left.encode(), right.encode())


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 2617 Digest is MD5


class GatewayAuth:
    """Verifies credentials and bans clients (by address) that fail too often.

    Credentials and ban settings are read from the config at every request, so a test can change the
    password "on the device" while the simulator runs.
    """

    def __init__(
        self,
        config: SimulatorConfig,
        quirks: Quirks,
        *,
        nonce_rng: random.Random,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Check against config's credentials."""
        self._config = config
        self._quirks = quirks
        self._nonce_rng = nonce_rng
        self._monotonic = monotonic
        self._nonces: OrderedDict[str, None] = OrderedDict()
        self._attempts: dict[str, _Attempts] = {}

    def challenge(self) -> str:
        """Return a WWW-Authenticate header with a fresh nonce, which stays valid until reboot."""
        nonce = f"{self._nonce_rng.getrandbits(128):032x}"
        self._nonces[nonce] = None
        while len(self._nonces) > MAX_NONCES:
            self._nonces.popitem(last=False)
        return challenge_header(nonce)

    def end_bans(self) -> None:
        """End every ban now, as if its time were over; the failure counts start afresh."""
        self._attempts.clear()

    def forget_nonces(self) -> None:
        """Reboot: every nonce handed out so far becomes unknown."""
        self._nonces.clear()

    def check(
        self, *, method: str, target: str, authorization: str | None, client: str
    ) -> AuthOutcome:
        """Judge one request; target is the raw request target (path and raw query)."""
        attempts = self._attempts.setdefault(client, _Attempts())
        now = self._monotonic()
        # Requests during a ban are answered 403 and do not extend it.
        if attempts.locked_until > now:
            return AuthOutcome.LOCKED_OUT
        if not authorization:
            return AuthOutcome.CHALLENGE
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() == "digest":
            outcome = self._check_digest(method, target, credentials)
        elif scheme.lower() == "basic" and self._config.accept_basic:
            outcome = self._check_basic(credentials)
        else:
            outcome = AuthOutcome.REJECTED
        if outcome is AuthOutcome.ACCEPTED:
            attempts.failures = 0
        elif outcome is AuthOutcome.REJECTED:
            attempts.failures += 1
            if attempts.failures >= self._config.lockout_after:
                attempts.failures = 0
                attempts.locked_until = now + (
                    self._config.lockout_seconds / self._config.clock_speed
                )
        return outcome

    def _check_basic(self, credentials: str) -> AuthOutcome:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return AuthOutcome.REJECTED
        username, _, password = decoded.partition(":")
        if _same(username, self._config.username) and _same(
            password, self._config.password
        ):
            return AuthOutcome.ACCEPTED
        return AuthOutcome.REJECTED

    def _check_digest(self, method: str, target: str, credentials: str) -> AuthOutcome:
        params = parse_digest_params(credentials)
        nonce = params.get("nonce", "")
        qop = params.get("qop")
        if (
            params.get("username") != self._config.username
            or params.get("realm") != REALM
            or params.get("uri") != target
            or params.get("algorithm", "MD5").upper() != "MD5"
            or params.get("opaque", OPAQUE) != OPAQUE
            or qop not in (None, "auth")
            or not nonce
            or (
                self._quirks.raw_comma_breaks_digest
                and last_query_value_has_raw_comma(target)
            )
        ):
            return AuthOutcome.REJECTED
        ha1 = _md5(f"{self._config.username}:{REALM}:{self._config.password}")
        ha2 = _md5(f"{method}:{target}")
        if qop is None:
            expected = _md5(f"{ha1}:{nonce}:{ha2}")
        else:
            expected = _md5(
                f"{ha1}:{nonce}:{params.get('nc', '')}:{params.get('cnonce', '')}:auth:{ha2}"
            )
        if not _same(expected, params.get("response", "")):
            return AuthOutcome.REJECTED
        if nonce not in self._nonces:
            return AuthOutcome.CHALLENGE
        return AuthOutcome.ACCEPTED
