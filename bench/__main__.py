"""Run the benchmark and write its figures as JSON: python -m bench [--out PATH]."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Coroutine
import dataclasses
from datetime import UTC, datetime
import json
from pathlib import Path
import sys
import tempfile
from typing import Any

from .clock import Scale, ScaledEventLoop
from .history import history_cost
from .home_assistant import home_assistant
from .report import machine, summary, verdicts
from .scenarios import (
    Figures,
    Serials,
    Settings,
    bulk_send,
    idle_load,
    polling_latency,
    push_latency,
    rest_command_bulk,
    scale_scenario,
    setup_and_cpu,
)

DEFAULT_DIR = Path("bench-results")
QUICK: dict[str, Any] = {
    "setups": 2,
    "cpu_cycles": 20,
    "push_messages": 20,
    "poll_messages": 10,
    "poll_window": 60.0,
    "idle_minutes": 5.0,
    "bulk_recipients": 80,
    "history_messages": 100,
    "scale_gateways": 2,
    "scale_ports": 8,
    "scale_idle_minutes": 5.0,
    "scale_messages": 20,
}


async def run(
    scale: Scale, settings: Settings, *, with_scale: bool, only: str | None
) -> dict[str, object]:
    """Run the scenarios in one Home Assistant and return the figures."""
    serials = Serials()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="dinstar-bench-") as config_dir:
        async with home_assistant(config_dir) as instance:
            steps: list[tuple[str, Coroutine[Any, Any, Figures]]] = [
                ("setup_and_cpu", setup_and_cpu(instance, serials, settings)),
                ("push_latency", push_latency(instance, serials, settings)),
                (
                    "polling_latency",
                    polling_latency(instance, scale, serials, settings),
                ),
                ("idle_load", idle_load(instance, scale, serials, settings)),
                (
                    "bulk_send_push",
                    bulk_send(instance, scale, serials, settings, push=True),
                ),
                (
                    "bulk_send_polling",
                    bulk_send(instance, scale, serials, settings, push=False),
                ),
                ("rest_command_bulk", rest_command_bulk(instance, serials, settings)),
                ("history", history_cost(instance, scale, serials, settings)),
            ]
            if with_scale:
                steps.append(
                    ("scale", scale_scenario(instance, scale, serials, settings))
                )
            for name, step in steps:
                if only is not None and name != only:
                    step.close()
                    continue
                sys.stdout.write(f"==> {name}\n")
                sys.stdout.flush()
                results[name] = await step
    return results


def main() -> None:
    """Parse the command line, run, write the JSON and print a summary."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the JSON (default: bench-results/bench-<time>.json)",
    )
    parser.add_argument("--seed", type=int, default=Settings.seed)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, to try changes quickly"
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="also set up 16 gateways of 32 ports (512 SIMs) and measure them",
    )
    parser.add_argument(
        "--note",
        help="a remark stored with the figures, e.g. that the machine was shared",
    )
    parser.add_argument(
        "--only",
        metavar="SCENARIO",
        help="run one scenario (e.g. scale, with --scale), to try changes",
    )
    args = parser.parse_args()
    settings = Settings(seed=args.seed)
    if args.quick:
        settings = dataclasses.replace(settings, **QUICK)
    scale = Scale()
    started = datetime.now(UTC)
    results = asyncio.run(
        run(scale, settings, with_scale=args.scale, only=args.only),
        loop_factory=lambda: ScaledEventLoop(scale),
    )
    document = {
        "generated": started.isoformat(timespec="seconds"),
        "command": " ".join(["scripts/bench", *sys.argv[1:]]),
        "note": args.note,
        "machine": machine(),
        "settings": settings.__dict__,
        "results": results,
        "targets": verdicts(results) if args.only is None else None,
    }
    out = args.out or DEFAULT_DIR / f"bench-{started:%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2) + "\n")
    if document["targets"] is not None:
        sys.stdout.write(summary(document))
    sys.stdout.write(f"\nfigures written to {out}\n")


if __name__ == "__main__":
    main()
