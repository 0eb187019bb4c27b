"""The benchmark's verdicts against the targets of issue 6, the machine, a summary.

Issue 16 made the comparisons fair: the tracking target is judged on the worst
poll round (the average of the rounds is kept beside it), the idle figure with
push comes with the one before the first pushed SMS, and the scale scenario
(--scale) is judged on its push latency.
"""

from __future__ import annotations

from importlib import metadata
import os
from pathlib import Path
import platform
import subprocess
from typing import Any

# Issue 6's targets.
PUSH_P95 = 0.1
POLL_INTERVAL = 10.0
POLL_SLACK = 0.2
IDLE_PUSH_PER_MINUTE = 2.0
BULK_OVER_IDEAL = 1.05
TRACKING_PER_32 = 1.0


def _first_line(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, check=True, timeout=10
        )
    except OSError, subprocess.SubprocessError:
        return None
    return done.stdout.strip()


def machine() -> dict[str, Any]:
    """Describe the machine and the software the figures come from."""
    memory = _first_line("/proc/meminfo", "MemTotal")
    changed = _git(
        "status", "--porcelain", "--", "custom_components", "dinstar_simulator"
    )
    return {
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes_in_measured_code": None
        if changed is None
        else bool(changed),
        "platform": platform.platform(),
        "processor": _first_line("/proc/cpuinfo", "model name") or platform.machine(),
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "load_average_1_5_15_min_at_end": [round(v, 2) for v in os.getloadavg()],
        "homeassistant": metadata.version("homeassistant"),
        "aiohttp": metadata.version("aiohttp"),
    }


def _get(results: dict[str, Any], *path: str) -> Any:
    value: Any = results
    for key in path:
        value = value[key]
    return value


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def verdicts(results: dict[str, Any]) -> dict[str, Any]:
    """Compare the figures with the targets and with what users do today."""
    push_p95 = _get(results, "push_latency", "latency_seconds", "p95")
    poll_p95 = _get(results, "polling_latency", "integration", "latency_seconds", "p95")
    rest_sensors = results["polling_latency"]["rest_sensors"]
    idle = results["idle_load"]
    targets: dict[str, Any] = {
        "latency_p95_push": {
            "value": push_p95,
            "limit": PUSH_P95,
            "met": push_p95 <= PUSH_P95,
        },
        "latency_p95_polling": {
            "value": poll_p95,
            "limit": POLL_INTERVAL + POLL_SLACK,
            "met": poll_p95 <= POLL_INTERVAL + POLL_SLACK,
        },
        "idle_requests_per_minute_push": {
            "value": idle["push"]["requests_per_minute"],
            "limit": IDLE_PUSH_PER_MINUTE,
            "met": idle["push"]["requests_per_minute"] <= IDLE_PUSH_PER_MINUTE,
            # Before it, a fresh setup polls for SMS every 10 s until a push shows
            # that pushes arrive: reported (idle_load.push_before_first_sms), not
            # judged, as issue 6's target is for a gateway whose pushes work.
            "note": "after the first pushed SMS",
            "before_first_sms": idle["push_before_first_sms"]["requests_per_minute"],
        },
    }
    for name in ("bulk_send_push", "bulk_send_polling"):
        bulk = results[name]
        ratio = bulk["ratio_to_ideal"]
        targets[f"{name}_ratio_to_ideal"] = {
            "value": ratio,
            "limit": BULK_OVER_IDEAL,
            "met": ratio is not None and ratio <= BULK_OVER_IDEAL,
        }
        # Judged on the worst round, not on the average of the rounds.
        worst = bulk["requests_per_32_in_flight_worst_round"]
        targets[f"{name}_tracking_requests_per_32_worst_round"] = {
            "value": worst,
            "average_of_rounds": bulk["requests_per_32_in_flight_overall"],
            "limit": TRACKING_PER_32,
            "met": worst <= TRACKING_PER_32,
        }
    lost = (
        results["push_latency"]["lost"]
        + results["push_latency"]["repeated"]
        + results["polling_latency"]["integration"]["lost"]
        + results["polling_latency"]["integration"]["repeated"]
        + sum(
            results[name]["recipients"] - results[name]["messages_final"]
            for name in ("bulk_send_push", "bulk_send_polling")
        )
    )
    if "scale" in results:
        scale = results["scale"]
        scale_p95 = scale["sms_on_the_last_port_to_an_automation_with_push"][
            "latency_seconds"
        ]["p95"]
        targets["scale_latency_p95_push_to_automation"] = {
            "value": scale_p95,
            "limit": PUSH_P95,
            "met": scale_p95 <= PUSH_P95,
        }
        scale_lost = (
            scale["sms_on_the_last_port_to_an_automation_with_push"]["lost"]
            + scale["sms_on_the_last_port_to_an_automation_with_push"]["repeated"]
        )
        lost += scale_lost
    targets["lost_or_repeated_messages"] = {"value": lost, "limit": 0, "met": lost == 0}
    cpu = results["setup_and_cpu"]
    rest_bulk = results["rest_command_bulk"]
    batched = next(key for key in rest_bulk if key.endswith("_per_request"))
    comparisons = {
        "idle_requests_rest_sensor_over_push": _ratio(
            idle["rest_sensor"]["requests_per_minute"],
            idle["push"]["requests_per_minute"],
        ),
        "idle_requests_rest_sensor_over_push_before_first_sms": _ratio(
            idle["rest_sensor"]["requests_per_minute"],
            idle["push_before_first_sms"]["requests_per_minute"],
        ),
        "idle_requests_rest_sensor_over_polling": _ratio(
            idle["rest_sensor"]["requests_per_minute"],
            idle["polling"]["requests_per_minute"],
        ),
    }
    for name, sensor in rest_sensors.items():
        rest_p95 = sensor["latency_seconds"]["p95"]
        comparisons[f"latency_p95_rest_sensor_{name}_over_polling"] = _ratio(
            rest_p95, poll_p95
        )
        comparisons[f"latency_p95_rest_sensor_{name}_over_push"] = _ratio(
            rest_p95, push_p95
        )
    for variant in ("one_per_recipient", batched):
        comparisons[f"bulk_send_requests_rest_command_{variant}_over_integration"] = (
            _ratio(
                rest_bulk[variant]["send_requests"],
                results["bulk_send_push"]["send_requests"],
            )
        )
        comparisons[
            f"bulk_all_requests_rest_command_{variant}_over_integration_push"
        ] = _ratio(
            rest_bulk[variant]["requests"], results["bulk_send_push"]["requests"]
        )
    comparisons["poll_cpu_rest_sensor_over_inbox"] = _ratio(
        cpu["rest_sensor_poll"]["cpu_ms"], cpu["inbox_poll"]["cpu_ms"]
    )
    return {"targets": targets, "compared_with_rest": comparisons}


def summary(document: dict[str, Any]) -> str:
    """Return the targets and comparisons as text lines."""
    lines = [
        "",
        "target                                                   value    limit   met",
    ]
    for name, verdict in document["targets"]["targets"].items():
        lines.append(
            f"{name:<52} {verdict['value']!s:>8} {verdict['limit']!s:>8}   "
            f"{'yes' if verdict['met'] else 'NO'}"
        )
    lines.append("")
    lines.append("compared with the rest sensor / rest_command (x times ours)")
    for name, ratio in document["targets"]["compared_with_rest"].items():
        lines.append(f"{name:<72} {ratio!s:>8}")
    return "\n".join(lines) + "\n"
