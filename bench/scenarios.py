"""What the benchmark measures, one scenario at a time, in one Home Assistant run.

Device time: every duration reported is in the gateway's (and Home Assistant's)
accelerated time, converted back from real time with the scenario's speed.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import math
import random
import time
from typing import Any, cast

from custom_components.dinstar.const import DOMAIN
from custom_components.dinstar.coordinator import DinstarRuntimeData
from custom_components.dinstar.inbox import EVENT_SMS_RECEIVED
from custom_components.dinstar.outbox import EVENT_SMS_STATUS
from dinstar_simulator import RequestRecord, SimulatorConfig
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback

from .clock import Scale
from .gateway import GatewayThread
from .home_assistant import Instance

USERNAME = "admin"
PASSWORD = "bench-secret"
SENDER = "+4915112345678"
TRACKING_PATHS = frozenset({"/api/query_sms_result", "/api/query_sms_deliver_status"})
FINAL_STATES = frozenset({"delivered", "failed", "expired"})
# Tracking polls of one round go out back to back; rounds are 15 s or more apart.
ROUND_GAP = 5.0
QUERY_BATCH = 32

type Figures = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Settings:
    """How big and how fast each scenario runs."""

    seed: int = 1
    setups: int = 5
    cpu_cycles: int = 200
    push_messages: int = 200
    poll_messages: int = 100
    poll_speed: float = 10.0
    poll_window: float = 600.0
    idle_speed: float = 60.0
    idle_minutes: float = 60.0
    bulk_speed: float = 10.0
    bulk_recipients: int = 1000
    bulk_ports: int = 8
    send_seconds: float = 6.0
    report_seconds: float = 4.0
    history_speed: float = 20.0
    history_messages: int = 1000


class Serials:
    """Hands out a new gateway serial number for each simulated gateway."""

    def __init__(self) -> None:
        """Start at the first serial."""
        self._next = 0

    def take(self) -> str:
        """Return a serial number no other gateway of this run has."""
        self._next += 1
        return f"da00-0030-1901-{self._next:04d}"


def gateway_config(serial: str, speed: float, **options: Any) -> SimulatorConfig:
    """Return a gateway with every SIM registered, running at speed."""
    return SimulatorConfig(
        username=USERNAME,
        password=PASSWORD,
        serial=serial,
        clock_speed=speed,
        **options,
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile of values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def distribution(values: Sequence[float]) -> Figures:
    """Return p50, p95 and max (seconds), rounded to the millisecond."""
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "p50": round(percentile(values, 0.50), 3),
        "p95": round(percentile(values, 0.95), 3),
        "max": round(max(values), 3),
    }


def by_path(records: Iterable[RequestRecord]) -> dict[str, int]:
    """Count requests per API endpoint."""
    return dict(sorted(Counter(record.path for record in records).items()))


def runtime(hass: HomeAssistant, entry_id: str) -> DinstarRuntimeData:
    """Return what a loaded entry runs (the benchmark drives its polls directly)."""
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    data: DinstarRuntimeData = entry.runtime_data
    return data


def rest_sensor(name: str, gateway: GatewayThread) -> dict[str, Any]:
    """Return the `rest` resource users set up today to read a gateway's new SMS.

    Its sensor polls query_incoming_sms with Digest auth every 30 s, the default
    of `sensor: - platform: rest` (a top-level `rest:` entry would poll every
    15 s); the default flag, unread, makes the gateway mark what it returns as
    read. The sensor's state is how many came, its `sms` attribute the messages.
    """
    return {
        "resource": f"{gateway.url}/api/query_incoming_sms",
        "scan_interval": 30,
        "authentication": "digest",
        "username": USERNAME,
        "password": PASSWORD,
        "sensor": [
            {
                "name": name,
                "value_template": "{{ value_json.sms | count }}",
                "json_attributes": ["sms"],
            }
        ],
    }


class ReceivedLog:
    """When each incoming SMS reached Home Assistant, per gateway and id."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Listen to the integration's bus event."""
        self.times: dict[tuple[str, int], list[float]] = defaultdict(list)
        hass.bus.async_listen(EVENT_SMS_RECEIVED, self._on_event)

    @callback
    def _on_event(self, event: Event[dict[str, Any]]) -> None:
        key = (event.data["config_entry_id"], event.data["message_id"])
        self.times[key].append(time.monotonic())


class RestSensorLog:
    """When each SMS id first showed in a `rest` sensor's attributes."""

    def __init__(self, hass: HomeAssistant, entity_id: str) -> None:
        """Listen to the sensor's state changes."""
        self.entity_id = entity_id
        self.times: dict[int, list[float]] = defaultdict(list)
        self.largest_update = 0
        hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_event)

    @callback
    def _on_event(self, event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] != self.entity_id:
            return
        state = event.data["new_state"]
        rows = [] if state is None else state.attributes.get("sms") or []
        self.largest_update = max(self.largest_update, len(rows))
        now = time.monotonic()
        for row in rows:
            self.times[int(row["incoming_sms_id"])].append(now)


def latencies(
    sent: Sequence[tuple[int, float]], received: dict[Any, list[float]], key: Any
) -> tuple[list[float], int, int]:
    """Return the real-time latencies, and how many were lost and repeated."""
    values: list[float] = []
    lost = repeated = 0
    for message_id, arrived in sent:
        seen = received.get(key(message_id), [])
        if not seen:
            lost += 1
            continue
        repeated += len(seen) - 1
        values.append(seen[0] - arrived)
    return values, lost, repeated


async def wait_until(
    predicate: Any, scale: Scale, *, device_seconds: float, step: float = 0.5
) -> bool:
    """Wait (device time) until predicate() holds; False if it never did."""
    deadline = scale.now() + device_seconds
    while not predicate():
        if scale.now() > deadline:
            return False
        await asyncio.sleep(step)
    return True


async def setup_and_cpu(
    instance: Instance, serials: Serials, settings: Settings
) -> Figures:
    """Time a config entry's setup, and the processor time of a poll cycle (speed 1)."""
    hass = instance.hass
    gateway = GatewayThread(gateway_config(serials.take(), 1.0))
    await gateway.start()
    setups: list[float] = []
    setup_cpu: list[float] = []
    for _ in range(settings.setups):
        wall, cpu = time.perf_counter(), time.thread_time()
        entry = await instance.add_gateway(gateway, push=False)
        setups.append(time.perf_counter() - wall)
        setup_cpu.append(time.thread_time() - cpu)
        await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()
    entry = await instance.add_gateway(gateway, push=False)
    data = runtime(hass, entry.entry_id)

    async def cycle_cost(refresh: Any, cycles: int) -> Figures:
        before = len(gateway.requests())
        wall, cpu = time.perf_counter(), time.thread_time()
        for _ in range(cycles):
            await refresh()
        return {
            "cpu_ms": round((time.thread_time() - cpu) / cycles * 1000, 3),
            "wall_ms": round((time.perf_counter() - wall) / cycles * 1000, 3),
            "requests": (len(gateway.requests()) - before) / cycles,
        }

    async def rest_sensor_cost(cycles: int) -> Figures:
        """Let a `rest` sensor poll every 50 ms; the inbox's 10 s polls hardly count."""
        resource = rest_sensor("dinstar_rest_cpu", gateway) | {"scan_interval": 0.05}
        await instance.set_rest_resources([resource])
        await asyncio.sleep(0.5)
        requests = gateway.requests()
        before = len(requests)
        cpu = time.thread_time()
        while len(requests) - before < cycles:
            await asyncio.sleep(0.05)
            requests = gateway.requests()
        polls = sum(r.authenticated for r in requests[before:])
        figures = {
            "cpu_ms": round((time.thread_time() - cpu) / polls * 1000, 3),
            "requests": round((len(requests) - before) / polls, 3),
        }
        await instance.set_rest_resources([])
        return figures

    cycles = settings.cpu_cycles
    figures = {
        "config_entry_setup_seconds": {
            "median": round(sorted(setups)[len(setups) // 2], 3),
            "max": round(max(setups), 3),
            "cpu_median": round(sorted(setup_cpu)[len(setup_cpu) // 2], 3),
            "runs": len(setups),
        },
        "inbox_poll": await cycle_cost(data.inbox.async_refresh, cycles),
        "port_poll": await cycle_cost(data.gateway.async_refresh, cycles),
        "rest_sensor_poll": await rest_sensor_cost(cycles),
    }
    await instance.remove(entry)
    await gateway.stop()
    return figures


async def push_latency(
    instance: Instance, serials: Serials, settings: Settings
) -> Figures:
    """Incoming SMS latency with push, in real time (speed 1)."""
    hass = instance.hass
    rng = random.Random(settings.seed)
    gateway = GatewayThread(gateway_config(serials.take(), 1.0))
    await gateway.start()
    entry = await instance.add_gateway(gateway, push=True)
    log = ReceivedLog(hass)
    # The first push tells the inbox that pushes arrive.
    first, _ = await gateway.deliver_sms(0, SENDER, "warm-up")
    await asyncio.sleep(1)
    assert log.times[(entry.entry_id, first)]
    sent: list[tuple[int, float]] = []
    for number in range(settings.push_messages):
        await asyncio.sleep(rng.uniform(0, 0.1))
        sent.append(await gateway.deliver_sms(number % 4, SENDER, f"push {number}"))
    await asyncio.sleep(1)
    values, lost, repeated = latencies(
        sent, log.times, lambda id_: (entry.entry_id, id_)
    )
    await instance.remove(entry)
    await gateway.stop()
    return {
        "speed": 1.0,
        "latency_seconds": distribution(values),
        "lost": lost,
        "repeated": repeated,
    }


async def polling_latency(
    instance: Instance, scale: Scale, serials: Serials, settings: Settings
) -> Figures:
    """Incoming SMS latency without push: the integration and the `rest` sensor."""
    hass = instance.hass
    speed = settings.poll_speed
    scale.set_speed(speed)
    rng = random.Random(settings.seed)
    ours = GatewayThread(gateway_config(serials.take(), speed))
    theirs = GatewayThread(gateway_config(serials.take(), speed))
    await ours.start()
    await theirs.start()
    entry = await instance.add_gateway(ours, push=False)
    log = ReceivedLog(hass)
    rest_log = RestSensorLog(hass, "sensor.dinstar_rest_inbox")
    await instance.set_rest_resources([rest_sensor("dinstar_rest_inbox", theirs)])
    offsets = sorted(
        rng.uniform(0, settings.poll_window) for _ in range(settings.poll_messages)
    )
    start = scale.now()
    sent_ours: list[tuple[int, float]] = []
    sent_theirs: list[tuple[int, float]] = []
    for number, offset in enumerate(offsets):
        await asyncio.sleep(max(0.0, start + offset - scale.now()))
        port = number % 4
        sent_ours.append(await ours.deliver_sms(port, SENDER, f"poll {number}"))
        sent_theirs.append(await theirs.deliver_sms(port, SENDER, f"poll {number}"))
    await asyncio.sleep(45)
    values, lost, repeated = latencies(
        sent_ours, log.times, lambda id_: (entry.entry_id, id_)
    )
    rest_values, rest_lost, rest_repeated = latencies(
        sent_theirs, rest_log.times, lambda id_: id_
    )
    await instance.remove(entry)
    await instance.set_rest_resources([])
    await ours.stop()
    await theirs.stop()
    scale.set_speed(1.0)
    return {
        "speed": speed,
        "note": (
            "device seconds; the processing part is measured at this speed, so it "
            "reads this many times longer than it is"
        ),
        "integration": {
            "poll_interval_seconds": 10.0,
            "latency_seconds": distribution([v * speed for v in values]),
            "lost": lost,
            "repeated": repeated,
        },
        "rest_sensor": {
            "poll_interval_seconds": 30.0,
            "latency_seconds": distribution([v * speed for v in rest_values]),
            "lost": rest_lost,
            "repeated": rest_repeated,
            "most_sms_in_one_update": rest_log.largest_update,
        },
    }


async def idle_load(
    instance: Instance, scale: Scale, serials: Serials, settings: Settings
) -> Figures:
    """Count requests to an idle gateway: with push, without, and the rest sensor."""
    speed = settings.idle_speed
    scale.set_speed(speed)
    gateways = {
        name: GatewayThread(gateway_config(serials.take(), speed))
        for name in ("push", "polling", "rest_sensor")
    }
    for gateway in gateways.values():
        await gateway.start()
    entries = [
        await instance.add_gateway(gateways["push"], push=True),
        await instance.add_gateway(gateways["polling"], push=False),
    ]
    await instance.set_rest_resources(
        [rest_sensor("dinstar_rest_idle", gateways["rest_sensor"])]
    )
    # One SMS each first: the inbox learns that pushes arrive only from a push.
    for gateway in gateways.values():
        await gateway.deliver_sms(0, SENDER, "hello")
    await asyncio.sleep(60)
    before = {name: len(gateway.requests()) for name, gateway in gateways.items()}
    cpu = time.thread_time()
    await asyncio.sleep(settings.idle_minutes * 60)
    cpu = time.thread_time() - cpu
    figures: Figures = {
        "speed": speed,
        "device_minutes": settings.idle_minutes,
        "home_assistant_cpu_seconds_per_device_hour": round(
            cpu / settings.idle_minutes * 60, 3
        ),
    }
    for name, gateway in gateways.items():
        window = gateway.requests()[before[name] :]
        figures[name] = {
            "requests_per_minute": round(len(window) / settings.idle_minutes, 3),
            "refused_unauthenticated": sum(not r.authenticated for r in window),
            "by_endpoint": by_path(window),
        }
    for entry in entries:
        await instance.remove(entry)
    await instance.set_rest_resources([])
    for gateway in gateways.values():
        await gateway.stop()
    scale.set_speed(1.0)
    return figures


def tracking_rounds(
    records: Sequence[RequestRecord],
    start: float,
    speed: float,
    final_at: dict[int, float],
) -> Figures:
    """Group tracking requests into poll rounds; compare each with what was in flight."""
    times = sorted(
        (r.time - start) * speed for r in records if r.path in TRACKING_PATHS
    )
    rounds: list[list[float]] = []
    for moment in times:
        if rounds and moment - rounds[-1][-1] <= ROUND_GAP:
            rounds[-1].append(moment)
        else:
            rounds.append([moment])
    worst = 0.0
    requests = allowance = 0
    for round_times in rounds:
        in_flight = sum(1 for done in final_at.values() if done > round_times[0])
        allowed = max(1, math.ceil(in_flight / QUERY_BATCH))
        worst = max(worst, len(round_times) / allowed)
        requests += len(round_times)
        allowance += allowed
    return {
        "rounds": len(rounds),
        "tracking_requests": requests,
        "requests_per_32_in_flight_worst_round": round(worst, 3),
        "requests_per_32_in_flight_overall": round(requests / max(1, allowance), 3),
    }


async def bulk_send(
    instance: Instance,
    scale: Scale,
    serials: Serials,
    settings: Settings,
    *,
    push: bool,
) -> Figures:
    """Send to 1,000 recipients on an 8-port gateway and follow every message."""
    hass = instance.hass
    speed = settings.bulk_speed
    scale.set_speed(speed)
    gateway = GatewayThread(
        gateway_config(
            serials.take(),
            speed,
            ports=settings.bulk_ports,
            send_seconds=settings.send_seconds,
            report_seconds=settings.report_seconds,
        )
    )
    await gateway.start()
    entry = await instance.add_gateway(gateway, push=push)
    final_at: dict[int, float] = {}
    statuses: Counter[str] = Counter()
    start = time.monotonic()

    @callback
    def on_status(event: Event[dict[str, Any]]) -> None:
        if event.data["config_entry_id"] != entry.entry_id:
            return
        statuses[event.data["status"]] += 1
        if event.data["status"] in FINAL_STATES:
            final_at.setdefault(
                event.data["tracking_id"], (time.monotonic() - start) * speed
            )

    hass.bus.async_listen(EVENT_SMS_STATUS, on_status)
    before = len(gateway.requests())
    numbers = [f"+4917{n:08d}" for n in range(settings.bulk_recipients)]
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": entry.entry_id, "recipients": numbers, "message": "Bulk"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    messages = cast(
        "list[dict[str, Any]]", cast("dict[str, Any]", response)["messages"]
    )
    tracking_ids = {int(message["tracking_id"]) for message in messages}
    ideal = settings.bulk_recipients / settings.bulk_ports * settings.send_seconds
    # The gateway is done once it sent everything and the last report came.
    await gateway.run(gateway.simulator.wait_idle())
    gateway_seconds = (time.monotonic() - start) * speed
    done = await wait_until(
        lambda: tracking_ids <= final_at.keys(), scale, device_seconds=ideal
    )
    final_seconds = max(final_at.values()) if done else None
    window = gateway.requests()[before:]
    rounds = tracking_rounds(
        window, start, speed, {id_: final_at.get(id_, math.inf) for id_ in tracking_ids}
    )
    await instance.remove(entry)
    await gateway.stop()
    scale.set_speed(1.0)
    return {
        "speed": speed,
        "push": push,
        "recipients": settings.bulk_recipients,
        "ports": settings.bulk_ports,
        "seconds_per_sms": settings.send_seconds,
        "delivery_reports": True,
        "ideal_seconds": ideal,
        "gateway_done_seconds": round(gateway_seconds, 1),
        "all_final_seconds": None if final_seconds is None else round(final_seconds, 1),
        "ratio_to_ideal": None
        if final_seconds is None
        else round(final_seconds / ideal, 4),
        "gateway_ratio_to_ideal": round(gateway_seconds / ideal, 4),
        "final_statuses": dict(statuses),
        "messages_final": len(tracking_ids & final_at.keys()),
        "requests": len(window),
        "send_requests": sum(r.path == "/api/send_sms" for r in window),
        "by_endpoint": by_path(window),
        **rounds,
    }


async def rest_command_bulk(
    instance: Instance, serials: Serials, settings: Settings
) -> Figures:
    """Send as users do today: a script loop calling a `rest_command` per recipient."""
    hass = instance.hass
    gateway = GatewayThread(
        gateway_config(serials.take(), 1.0, ports=settings.bulk_ports)
    )
    await gateway.start()
    payload = '{"text": "{{ message }}", "param": [{"number": "{{ number }}"}]}'
    await instance.setup(
        "rest_command",
        {
            "rest_command": {
                "dinstar_send_sms": {
                    "url": f"{gateway.url}/api/send_sms",
                    "method": "post",
                    "authentication": "digest",
                    "username": USERNAME,
                    "password": PASSWORD,
                    "content_type": "application/json",
                    "payload": payload,
                }
            }
        },
    )
    await instance.setup(
        "script",
        {
            "script": {
                "bulk_sms": {
                    "sequence": [
                        {
                            "repeat": {
                                "for_each": "{{ numbers }}",
                                "sequence": [
                                    {
                                        "action": "rest_command.dinstar_send_sms",
                                        "data": {
                                            "number": "{{ repeat.item }}",
                                            "message": "{{ message }}",
                                        },
                                    }
                                ],
                            }
                        }
                    ]
                }
            }
        },
    )
    numbers = [f"+4917{n:08d}" for n in range(settings.bulk_recipients)]
    wall, cpu = time.perf_counter(), time.thread_time()
    await hass.services.async_call(
        "script", "bulk_sms", {"numbers": numbers, "message": "Bulk"}, blocking=True
    )
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    window = gateway.requests()
    accepted = sum(
        r.path == "/api/send_sms" and r.authenticated and r.status == 200
        for r in window
    )
    await gateway.stop()
    return {
        "speed": 1.0,
        "recipients": settings.bulk_recipients,
        "requests": len(window),
        "send_requests": sum(r.path == "/api/send_sms" for r in window),
        "accepted": accepted,
        "refused_unauthenticated": sum(not r.authenticated for r in window),
        "seconds_to_hand_over": round(wall, 3),
        "home_assistant_cpu_seconds": round(cpu, 3),
        "tracking": "none: no status is known for any message",
    }
