"""The nonce table of the firmware's Digest check is bounded."""

from __future__ import annotations

import random

from dinstar_simulator import Quirks, SimulatorConfig
from dinstar_simulator.auth import MAX_NONCES, AuthOutcome, GatewayAuth

from .digest_auth import CHALLENGE, digest


def test_oldest_nonces_fall_out() -> None:
    """After MAX_NONCES newer challenges the first nonce is unknown: a fresh challenge, no failure."""
    auth = GatewayAuth(
        SimulatorConfig(lockout_after=1), Quirks(), nonce_rng=random.Random(0)
    )
    nonces = []
    for _ in range(MAX_NONCES + 1):
        match = CHALLENGE.fullmatch(auth.challenge())
        assert match is not None
        nonces.append(match["nonce"])

    def check(nonce: str) -> AuthOutcome:
        return auth.check(
            method="GET",
            target="/api/query_sms_in_queue",
            authorization=digest("GET", "/api/query_sms_in_queue", nonce),
            client="127.0.0.1",
        )

    assert check(nonces[0]) is AuthOutcome.CHALLENGE
    assert check(nonces[1]) is AuthOutcome.ACCEPTED
