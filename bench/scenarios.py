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
from custom_components.dinstar.pydinstar import MAX_RECIPIENTS
from dinstar_simulator import RequestRecord, SimulatorConfig
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

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
    rest_batch: int = 128
    scale_gateways: int = 16
    scale_ports: int = 32
    scale_idle_minutes: float = 30.0
    scale_messages: int = 100


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


# The `rest` resource's own default interval (a top-level `rest:` entry), in seconds.
REST_DEFAULT_INTERVAL = 15.0
# The intervals the `rest` sensor is measured at: its default, the 30 s of
# `sensor: - platform: rest`, and the 10 s the integration polls at.
REST_INTERVALS = {"default_15s": None, "30s": 30.0, "10s": 10.0}


def rest_sensor(
    name: str, gateway: GatewayThread, interval: float | None = 30.0
) -> dict[str, Any]:
    """Return the `rest` resource users set up today to read a gateway's new SMS.

    Its sensor polls query_incoming_sms with Digest auth every interval seconds;
    None leaves the resource at its own default (15 s for a top-level `rest:`
    entry). The default flag, unread, makes the gateway mark what it returns as
    read. The sensor's state is how many came, its `sms` attribute the messages.
    """
    interval_option = {} if interval is None else {"scan_interval": interval}
    return interval_option | {
        "resource": f"{gateway.url}/api/query_incoming_sms",
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

    async def setup_times(gateway: GatewayThread) -> tuple[list[float], list[float]]:
        """Set the gateway up and remove it settings.setups times: wall and CPU."""
        setups: list[float] = []
        setup_cpu: list[float] = []
        for _ in range(settings.setups):
            wall, cpu = time.perf_counter(), time.thread_time()
            entry = await instance.add_gateway(gateway, push=False)
            setups.append(time.perf_counter() - wall)
            setup_cpu.append(time.thread_time() - cpu)
            await hass.config_entries.async_remove(entry.entry_id)
            await hass.async_block_till_done()
        return setups, setup_cpu

    # The first setup of the process is the cold one: it imports the integration
    # and its platforms, as the first start after an installation or update does.
    gateway = GatewayThread(gateway_config(serials.take(), 1.0))
    await gateway.start()
    setups, setup_cpu = await setup_times(gateway)
    large = GatewayThread(gateway_config(serials.take(), 1.0, ports=32))
    await large.start()
    large_setups, large_cpu = await setup_times(large)
    await large.stop()
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

    def setup_figures(wall: list[float], cpu: list[float], ports: int) -> Figures:
        warm, warm_cpu = wall[1:] or wall, cpu[1:] or cpu
        return {
            "ports": ports,
            "first_run": round(wall[0], 3),
            "first_run_cpu": round(cpu[0], 3),
            "median": round(sorted(warm)[len(warm) // 2], 3),
            "max": round(max(warm), 3),
            "cpu_median": round(sorted(warm_cpu)[len(warm_cpu) // 2], 3),
            "runs": len(wall),
            "note": "median, max and cpu_median are of the runs after the first",
        }

    figures = {
        "config_entry_setup_seconds": setup_figures(setups, setup_cpu, 4),
        "config_entry_setup_seconds_32_ports": setup_figures(
            large_setups, large_cpu, 32
        ),
        "inbox_poll": await cycle_cost(data.inbox_coordinator.async_refresh, cycles),
        "port_poll": await cycle_cost(data.port_coordinator.async_refresh, cycles),
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
    theirs = {
        name: GatewayThread(gateway_config(serials.take(), speed))
        for name in REST_INTERVALS
    }
    await ours.start()
    for gateway in theirs.values():
        await gateway.start()
    entry = await instance.add_gateway(ours, push=False)
    log = ReceivedLog(hass)
    rest_logs = {
        name: RestSensorLog(hass, f"sensor.dinstar_rest_inbox_{name}")
        for name in REST_INTERVALS
    }
    await instance.set_rest_resources(
        [
            rest_sensor(f"dinstar_rest_inbox_{name}", theirs[name], interval)
            for name, interval in REST_INTERVALS.items()
        ]
    )
    offsets = sorted(
        rng.uniform(0, settings.poll_window) for _ in range(settings.poll_messages)
    )
    start = scale.now()
    sent_ours: list[tuple[int, float]] = []
    sent_theirs: dict[str, list[tuple[int, float]]] = {name: [] for name in theirs}
    for number, offset in enumerate(offsets):
        await asyncio.sleep(max(0.0, start + offset - scale.now()))
        port = number % 4
        sent_ours.append(await ours.deliver_sms(port, SENDER, f"poll {number}"))
        for name, gateway in theirs.items():
            sent_theirs[name].append(
                await gateway.deliver_sms(port, SENDER, f"poll {number}")
            )
    await asyncio.sleep(45)
    values, lost, repeated = latencies(
        sent_ours, log.times, lambda id_: (entry.entry_id, id_)
    )
    ours_latency = distribution([v * speed for v in values])
    rest_sensors: Figures = {}
    for name, interval in REST_INTERVALS.items():
        rest_values, rest_lost, rest_repeated = latencies(
            sent_theirs[name], rest_logs[name].times, lambda id_: id_
        )
        rest_latency = distribution([v * speed for v in rest_values])
        rest_sensors[name] = {
            "poll_interval_seconds": interval or REST_DEFAULT_INTERVAL,
            "interval_is_the_default": interval is None,
            "latency_seconds": rest_latency,
            "p95_over_integration_polling": round(
                rest_latency["p95"] / ours_latency["p95"], 2
            ),
            "lost": rest_lost,
            "repeated": rest_repeated,
            "most_sms_in_one_update": rest_logs[name].largest_update,
        }
    await instance.remove(entry)
    await instance.set_rest_resources([])
    await ours.stop()
    for gateway in theirs.values():
        await gateway.stop()
    scale.set_speed(1.0)
    return {
        "speed": speed,
        "note": (
            "device seconds; the processing part is measured at this speed, so it "
            "reads this many times longer than it is"
        ),
        "integration": {
            "poll_interval_seconds": 10.0,
            "latency_seconds": ours_latency,
            "lost": lost,
            "repeated": repeated,
        },
        "rest_sensors": rest_sensors,
    }


async def idle_load(
    instance: Instance, scale: Scale, serials: Serials, settings: Settings
) -> Figures:
    """Count requests to an idle gateway: with push, without, and the rest sensor."""
    speed = settings.idle_speed
    scale.set_speed(speed)
    gateways = {
        name: GatewayThread(gateway_config(serials.take(), speed))
        for name in ("push", "push_before_first_sms", "polling", "rest_sensor")
    }
    for gateway in gateways.values():
        await gateway.start()
    entries = [
        await instance.add_gateway(gateways["push"], push=True),
        await instance.add_gateway(gateways["push_before_first_sms"], push=True),
        await instance.add_gateway(gateways["polling"], push=False),
    ]
    await instance.set_rest_resources(
        [rest_sensor("dinstar_rest_idle", gateways["rest_sensor"])]
    )
    # One SMS each first, except to the fresh setup that stays quiet: the inbox
    # learns that pushes arrive only from a push, and polls every 10 s until then.
    for name, gateway in gateways.items():
        if name != "push_before_first_sms":
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
    tracking_ids: set[int] = set()
    # One action takes at most MAX_RECIPIENTS numbers: a bulk send is a few actions.
    for first in range(0, len(numbers), MAX_RECIPIENTS):
        response = await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": entry.entry_id,
                "recipients": numbers[first : first + MAX_RECIPIENTS],
                "message": "Bulk",
            },
            blocking=True,
            return_response=True,
        )
        assert response is not None
        messages = cast(
            "list[dict[str, Any]]", cast("dict[str, Any]", response)["messages"]
        )
        tracking_ids |= {int(message["tracking_id"]) for message in messages}
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


ONE_PER_REQUEST = '{"text": "{{ message }}", "param": [{"number": "{{ number }}"}]}'
MANY_PER_REQUEST = (
    '{"text": "{{ message }}", "param": [{% for number in numbers %}'
    '{"number": "{{ number }}"}{{ "," if not loop.last }}{% endfor %}]}'
)


async def rest_command_bulk(
    instance: Instance, serials: Serials, settings: Settings
) -> Figures:
    """Send as users do today: a script loop calling a `rest_command`.

    Two ways: one request per recipient (the common recipe), and the careful one,
    up to settings.rest_batch numbers (128, the gateway's limit) in one request.
    """
    hass = instance.hass
    gateways = {
        name: GatewayThread(
            gateway_config(serials.take(), 1.0, ports=settings.bulk_ports)
        )
        for name in ("one_per_recipient", "batched")
    }
    for gateway in gateways.values():
        await gateway.start()

    def command(gateway: GatewayThread, payload: str) -> dict[str, Any]:
        return {
            "url": f"{gateway.url}/api/send_sms",
            "method": "post",
            "authentication": "digest",
            "username": USERNAME,
            "password": PASSWORD,
            "content_type": "application/json",
            "payload": payload,
        }

    await instance.setup(
        "rest_command",
        {
            "rest_command": {
                "dinstar_send_sms": command(
                    gateways["one_per_recipient"], ONE_PER_REQUEST
                ),
                "dinstar_send_sms_batch": command(
                    gateways["batched"], MANY_PER_REQUEST
                ),
            }
        },
    )

    def loop(items: str, action: str, data: dict[str, str]) -> dict[str, Any]:
        return {
            "sequence": [
                {
                    "repeat": {
                        "for_each": items,
                        "sequence": [{"action": action, "data": data}],
                    }
                }
            ]
        }

    await instance.setup(
        "script",
        {
            "script": {
                "bulk_sms": loop(
                    "{{ numbers }}",
                    "rest_command.dinstar_send_sms",
                    {"number": "{{ repeat.item }}", "message": "{{ message }}"},
                ),
                "bulk_sms_batch": loop(
                    f"{{{{ numbers | batch({settings.rest_batch}) | list }}}}",
                    "rest_command.dinstar_send_sms_batch",
                    {"numbers": "{{ repeat.item }}", "message": "{{ message }}"},
                ),
            }
        },
    )
    numbers = [f"+4917{n:08d}" for n in range(settings.bulk_recipients)]

    async def send(script: str, gateway: GatewayThread) -> Figures:
        wall, cpu = time.perf_counter(), time.thread_time()
        await hass.services.async_call(
            "script", script, {"numbers": numbers, "message": "Bulk"}, blocking=True
        )
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        window = gateway.requests()
        accepted = sum(
            r.path == "/api/send_sms" and r.authenticated and r.status == 200
            for r in window
        )
        taken = await gateway.call(lambda: len(gateway.simulator.sent))
        return {
            "requests": len(window),
            "send_requests": sum(r.path == "/api/send_sms" for r in window),
            "accepted": accepted,
            "refused_unauthenticated": sum(not r.authenticated for r in window),
            "messages_taken": taken,
            "seconds_to_hand_over": round(wall, 3),
            "home_assistant_cpu_seconds": round(cpu, 3),
        }

    figures: Figures = {
        "speed": 1.0,
        "recipients": settings.bulk_recipients,
        "tracking": "none: no status is known for any message",
        "one_per_recipient": await send("bulk_sms", gateways["one_per_recipient"]),
        f"{settings.rest_batch}_per_request": await send(
            "bulk_sms_batch", gateways["batched"]
        ),
    }
    for gateway in gateways.values():
        await gateway.stop()
    return figures


AUTOMATION_RAN = "bench_automation_ran"


async def scale_scenario(
    instance: Instance, scale: Scale, serials: Serials, settings: Settings
) -> Figures:
    """Many big gateways: setup, entities, idle processor time, push to an automation.

    settings.scale_gateways gateways of settings.scale_ports ports each (16 x 32:
    512 SIMs) are set up at once, as Home Assistant does at its start (speed 1).
    Idle processor time is measured at the idle speed, first polling only, then
    with push once every gateway pushed its first SMS. Then SMS arrive on the last
    port of the last gateway (the 512th), and an automation triggered by them
    fires an event: the latency is from the SMS reaching the gateway to that
    event (speed 1; the gateways' own clocks keep the idle speed, which only
    shifts their time stamps).
    """
    hass = instance.hass
    speed = settings.idle_speed
    ports = settings.scale_ports
    gateways = [
        GatewayThread(gateway_config(serials.take(), speed, ports=ports))
        for _ in range(settings.scale_gateways)
    ]
    for gateway in gateways:
        await gateway.start()
    entries = [instance.new_entry(gateway) for gateway in gateways]
    wall, cpu = time.perf_counter(), time.thread_time()
    results = await asyncio.gather(
        *(hass.config_entries.async_setup(entry.entry_id) for entry in entries)
    )
    await hass.async_block_till_done()
    setup_seconds, setup_cpu = time.perf_counter() - wall, time.thread_time() - cpu
    if not all(results):
        raise RuntimeError("a gateway of the scale scenario could not be set up")
    entity_registry = er.async_get(hass)
    device_registry = dr.async_get(hass)
    entities = sum(
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        for entry in entries
    )
    devices = sum(
        len(dr.async_entries_for_config_entry(device_registry, entry.entry_id))
        for entry in entries
    )

    async def idle_cpu() -> Figures:
        """Processor time and requests while nothing happens, per device hour."""
        before = sum(len(gateway.requests()) for gateway in gateways)
        cpu = time.thread_time()
        await asyncio.sleep(settings.scale_idle_minutes * 60)
        cpu = time.thread_time() - cpu
        requests = sum(len(gateway.requests()) for gateway in gateways) - before
        device_seconds = settings.scale_idle_minutes * 60
        return {
            "home_assistant_cpu_percent_of_a_core": round(
                cpu / device_seconds * 100, 3
            ),
            "home_assistant_cpu_seconds_per_device_hour": round(
                cpu / device_seconds * 3600, 3
            ),
            "requests_per_minute_all_gateways": round(
                requests / settings.scale_idle_minutes, 2
            ),
        }

    scale.set_speed(speed)
    await asyncio.sleep(60)
    polling_only = await idle_cpu()
    log = ReceivedLog(hass)
    firsts: list[tuple[str, int]] = []
    for gateway, entry in zip(gateways, entries, strict=True):
        instance.point_pushes(gateway, entry)
        message_id, _ = await gateway.deliver_sms(0, SENDER, "first push")
        firsts.append((entry.entry_id, message_id))
    await asyncio.sleep(60)
    first_pushes = sum(bool(log.times.get(key)) for key in firsts)
    with_push = await idle_cpu()
    scale.set_speed(1.0)

    last_gateway, last_entry = gateways[-1], entries[-1]
    await instance.setup(
        "automation",
        {
            "automation": [
                {
                    "id": "bench_sms_on_the_last_port",
                    "alias": "SMS on the last port",
                    "triggers": [
                        {
                            "trigger": "event",
                            "event_type": EVENT_SMS_RECEIVED,
                            "event_data": {
                                "config_entry_id": last_entry.entry_id,
                                "port": ports,
                            },
                        }
                    ],
                    "actions": [
                        {
                            "event": AUTOMATION_RAN,
                            "event_data": {
                                "message_id": "{{ trigger.event.data.message_id }}"
                            },
                        }
                    ],
                }
            ]
        },
    )
    ran: dict[int, list[float]] = defaultdict(list)

    @callback
    def on_ran(event: Event[dict[str, Any]]) -> None:
        ran[int(event.data["message_id"])].append(time.monotonic())

    unlisten = hass.bus.async_listen(AUTOMATION_RAN, on_ran)
    rng = random.Random(settings.seed)
    sent: list[tuple[int, float]] = []
    for number in range(settings.scale_messages):
        await asyncio.sleep(rng.uniform(0, 0.1))
        sent.append(await last_gateway.deliver_sms(ports - 1, SENDER, f"n {number}"))
    await asyncio.sleep(1)
    values, lost, repeated = latencies(sent, ran, lambda id_: id_)
    unlisten()
    for entry in entries:
        await instance.remove(entry)
    for gateway in gateways:
        await gateway.stop()
    return {
        "gateways": settings.scale_gateways,
        "ports_per_gateway": ports,
        "sims": settings.scale_gateways * ports,
        "entities": entities,
        "devices": devices,
        "setup_all_at_once_seconds": round(setup_seconds, 3),
        "setup_cpu_seconds": round(setup_cpu, 3),
        "idle_speed": speed,
        "idle_device_minutes": settings.scale_idle_minutes,
        "idle_polling_only": polling_only,
        "idle_with_push": with_push | {"first_sms_received": first_pushes},
        "sms_on_the_last_port_to_an_automation_with_push": {
            "speed": 1.0,
            "latency_seconds": distribution(values),
            "lost": lost,
            "repeated": repeated,
        },
    }
