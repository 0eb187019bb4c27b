"""A soak: 10,000 incoming SMS over push and poll, with random (seeded) faults.

Every message must be delivered exactly once, and in order per port, except that a
message whose push was lost comes with the next poll, after later pushed ones.
Forged pushes are mixed in (issue 12): ids ahead of the inbox, ids at or below
its mark, and other content under the id of a real SMS; none may cost a real SMS
or deliver one twice, and each forged one fires once at most. What
the integration keeps must not grow with the number of messages it handled: its
saved reading position, and the memory still held that its code allocated, are
measured once half the messages went through and again at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
import gc
from http import HTTPStatus
import json
import logging
import random
import tracemalloc
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.inbox import (
    EVENT_SMS_RECEIVED,
    POLL_INTERVAL,
    PUSH_POLL_INTERVAL,
)
from dinstar_simulator import Simulator
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.storage import Store

from .conftest import SERIAL
from .sms_delivery import advance, connect_push, pushes_done, setup_entry

# 10,000 SMS take 20-30 s on an idle machine and minutes on a busy one: scripts/test's 60 s
# limit is a guard against hung tests, not a speed target, so the soak gets a guard of its own.
pytestmark = pytest.mark.timeout(600)

SEED = 20261124
SENDER = "+4915112345678"
MESSAGES = 10_000
ROUNDS = 100
PORTS = 4
# What goes wrong with reading in a round (drawn per round); pushes get lost in runs.
READ_FAULTS = (
    None,
    None,
    None,
    "http_500",
    "malformed_body",
    "drop_connection",
    "offline",
    "error_code",
    # Hostile replies (issue 12): none may lose or repeat an SMS.
    "duplicate_rows",
    "odd_rows",
    "nested_json",
)
# Rows no gateway gives, added to every reply of an "odd_rows" round: ids 0, -1 and
# past 32 bits.
ODD_ROWS = [
    {"incoming_sms_id": 2**40, "port": 0, "number": SENDER, "text": "0:-1"},
    {"incoming_sms_id": 0, "port": 1, "number": SENDER, "text": "1:-1"},
    {"incoming_sms_id": -1, "port": 2, "number": SENDER, "text": "2:-1"},
]
# JSON nested far deeper than any reply (test_hostile.py has one no parser can
# follow). Kept small: a failed poll's error holds its reply until the next failure,
# and the memory measure would count that one reply.
NESTED = '{"error_code": 200, "sms": ' + "[" * 2_000 + "]" * 2_000 + "}"
# Per message: the chance that pushes start getting lost, and that they come back.
# About two thirds of the messages then come by poll: a push costs the test far
# more than its share of a polled page.
START_LOSING = 0.04
STOP_LOSING = 0.02
# The chance that a round has forged pushes, and per message of such a round that
# one is forged under its id and under an id at or below it.
FORGING = 0.3
FORGE_PER_MESSAGE = 0.05
# Forged ids ahead of the inbox per forging round, pushed before its messages
# arrive (within the round's ids, so that the real ones pass them).
FORGED_AHEAD = 3
# Rounds after which the gateway is reset (ids start again from 1), once all was read.
RESETS = frozenset({30, 65})
# What the integration's code may hold more at the end than at half-time: a page or
# two of replies, whose size does not depend on how many messages went through.
MEMORY_SLACK = 64 * 1024
INTEGRATION_FILES = "*/custom_components/dinstar/*"

type Message = tuple[int, int]  # (API port, sequence number)


@dataclass
class Ledger:
    """What the gateway received and what Home Assistant delivered.

    Only numbers are kept, never the integration's own objects: the memory
    measure must not count what the test holds on to.
    """

    sent: list[Message] = field(default_factory=list)
    # Messages whose push the gateway lost.
    unpushed: set[Message] = field(default_factory=set)
    delivered: list[Message] = field(default_factory=list)
    # The API port of each forged push sent, and the forged ones that fired.
    forged: list[int] = field(default_factory=list)
    forged_delivered: list[int] = field(default_factory=list)

    @callback
    def on_event(self, event: Event[dict[str, Any]]) -> None:
        """Note a delivered message by its text, "port:sequence" or "forged:number"."""
        port, sequence = event.data["text"].split(":")
        if port == "forged":
            self.forged_delivered.append(int(sequence))
        else:
            self.delivered.append((int(port), int(sequence)))

    async def forge(self, simulator: Simulator, sms_id: int, port: int) -> None:
        """Push an SMS the gateway never received, under sms_id."""
        row = {
            "incoming_sms_id": sms_id,
            "port": port,
            "number": SENDER,
            "text": f"forged:{len(self.forged)}",
        }
        self.forged.append(port)
        assert await simulator.push({"sn": SERIAL, "sms": [row]}) == HTTPStatus.OK


async def _set_read_fault(simulator: Simulator, fault: str | None) -> None:
    simulator.faults.http_500 = fault == "http_500"
    simulator.faults.malformed_body = fault == "malformed_body"
    simulator.faults.drop_connection = fault == "drop_connection"
    simulator.faults.error_codes = (
        {"query_incoming_sms": 500} if fault == "error_code" else {}
    )
    simulator.faults.duplicate_rows = fault == "duplicate_rows"
    simulator.faults.extra_incoming_rows = list(ODD_ROWS) if fault == "odd_rows" else []
    simulator.faults.reply_bodies = (
        {"query_incoming_sms": NESTED} if fault == "nested_json" else {}
    )
    await simulator.set_offline(fault == "offline")


def _retained() -> int:
    """Return the bytes still held that the integration's code allocated.

    The test harness's storage mock records every write it was given: forget those
    first, Home Assistant's real storage keeps none of them.
    """
    Store._async_write_data.reset_mock()  # type: ignore[attr-defined]  # noqa: SLF001
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(inclusive=True, filename_pattern=INTEGRATION_FILES)]
    )
    return sum(trace.size for trace in snapshot.traces)


def _out_of_order(delivered: list[Message], skip: set[Message]) -> list[Message]:
    """Return the messages delivered after a later one of their port, skip aside."""
    newest: defaultdict[int, int] = defaultdict(lambda: -1)
    late: list[Message] = []
    for port, sequence in delivered:
        if (port, sequence) in skip:
            continue
        if sequence < newest[port]:
            late.append((port, sequence))
        newest[port] = max(newest[port], sequence)
    return late


async def test_soak(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """10,000 SMS through push, poll, lost pushes, bad or hostile replies, outages and resets."""
    rng = random.Random(SEED)
    # asyncio's debug mode (on in the test harness) records a stack per task: the
    # soak would spend most of its time there.
    hass.loop.set_debug(False)
    # pytest keeps every log record, and with it the objects its arguments hold
    # (an error's traceback holds the frames of the failed request): at debug level
    # (the caplog fixture's), for aiohttp's access log (a line per push) and for the
    # outages logged here they would cost time and hold memory that is not the
    # integration's. test_faults.py checks what is logged.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.WARNING, logger="aiohttp.access")
    caplog.set_level(logging.CRITICAL, logger="custom_components.dinstar")
    await setup_entry(hass, config_entry)
    await connect_push(hass, hass_client_no_auth, simulator, config_entry)
    ledger = Ledger()
    hass.bus.async_listen(EVENT_SMS_RECEIVED, ledger.on_event)
    store_key = f"{DOMAIN}.{config_entry.entry_id}.inbox"
    saved_sizes: list[int] = []
    retained: list[int] = []

    async def drain() -> None:
        """Stop every fault and read all the gateway holds."""
        await _set_read_fault(simulator, None)
        simulator.faults.lose_pushes = False
        await pushes_done(hass, simulator)
        await advance(hass, None, PUSH_POLL_INTERVAL)
        await advance(hass, None, POLL_INTERVAL)
        assert len(ledger.delivered) == len(ledger.sent)

    try:
        for round_number in range(1, ROUNDS + 1):
            await _set_read_fault(simulator, rng.choice(READ_FAULTS))
            forging = rng.random() < FORGING
            if forging:
                next_id = (
                    simulator.inbox[-1].incoming_sms_id + 1 if simulator.inbox else 1
                )
                for ahead in rng.sample(range(MESSAGES // ROUNDS), FORGED_AHEAD):
                    await ledger.forge(simulator, next_id + ahead, rng.randrange(PORTS))
            for _ in range(MESSAGES // ROUNDS):
                losing = simulator.faults.lose_pushes
                if rng.random() < (STOP_LOSING if losing else START_LOSING):
                    simulator.faults.lose_pushes = not losing
                message = (rng.randrange(PORTS), len(ledger.sent))
                sms_id = simulator.deliver_sms(
                    message[0], SENDER, "{}:{}".format(*message)
                )
                ledger.sent.append(message)
                if simulator.faults.lose_pushes:
                    ledger.unpushed.add(message)
                if forging and rng.random() < FORGE_PER_MESSAGE:
                    await ledger.forge(simulator, sms_id, message[0])
                    await ledger.forge(simulator, rng.randint(1, sms_id), PORTS - 1)
            await pushes_done(hass, simulator)
            await advance(hass, None, rng.choice((POLL_INTERVAL, PUSH_POLL_INTERVAL)))
            if round_number in RESETS:
                await drain()
                await simulator.reboot(reset_ids=True)
            if round_number == ROUNDS // 5:
                tracemalloc.start()
            if round_number in (ROUNDS // 2, ROUNDS):
                await drain()
                saved_sizes.append(len(json.dumps(hass_storage[store_key]["data"])))
                retained.append(_retained())
    finally:
        tracemalloc.stop()

    # Exactly once: every message, none twice.
    assert len(ledger.sent) == MESSAGES
    assert sorted(ledger.delivered) == sorted(ledger.sent)
    # Forged pushes fire once at most; those ahead of the inbox do fire.
    forged = ledger.forged_delivered
    assert len(set(forged)) == len(forged) >= FORGED_AHEAD, forged
    # In order per port, but for the messages whose push was lost (some were).
    assert 0 < len(ledger.unpushed) < len(ledger.sent)
    assert _out_of_order(ledger.delivered, ledger.unpushed) == []
    assert hass.states.get("sensor.port_1_sms_received").state == str(
        sum(port == 0 for port, _ in ledger.sent)
        + sum(ledger.forged[number] == 0 for number in forged)
    )
    # Nothing grows with the number of messages handled.
    assert saved_sizes[1] <= saved_sizes[0] + 64, saved_sizes
    assert retained[1] <= retained[0] + MEMORY_SLACK, retained
