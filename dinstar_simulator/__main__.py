"""Command line: run a simulated gateway until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
import random
import signal

from .config import PORT_COUNTS, SimProfile, SimulatorConfig
from .simulator import Simulator

_SENDERS = ("+4915112345678", "+4917698765432", "10086", "Bank", "+491601234567")
_TEXTS = (
    "Your parcel arrives today between 10:00 and 12:00.",
    "Code 482913 is your login code.",
    "Reminder: the dentist tomorrow at 9:30.",
    "Wir haben Ihre Zahlung erhalten. Vielen Dank!",
    "Hello from the simulator 👋",
)


def _profile(text: str) -> tuple[int, SimProfile]:
    port, _, name = text.partition("=")
    if port.isascii() and port.isdigit() and name in SimProfile:
        return int(port), SimProfile(name)
    choices = ", ".join(profile.value for profile in SimProfile)
    raise argparse.ArgumentTypeError(
        f"{text!r} is not PORT=PROFILE with PROFILE one of {choices}"
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser."""
    parser = argparse.ArgumentParser(
        prog="dinstar-simulator",
        description="Run a simulated Dinstar SMS gateway (HTTP API under /api/, control under /control/).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="TCP port (default 8080, 0 = any free)"
    )
    parser.add_argument(
        "--ports",
        type=int,
        choices=PORT_COUNTS,
        default=4,
        help="GSM ports of the gateway",
    )
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--profile",
        type=_profile,
        action="append",
        default=[],
        metavar="PORT=PROFILE",
        help="SIM profile of an API port (0-based), e.g. 2=no_sim; repeatable",
    )
    serial = parser.add_mutually_exclusive_group()
    serial.add_argument(
        "--serial", default=SimulatorConfig.serial, help="serial number reported as sn"
    )
    serial.add_argument(
        "--no-serial", action="store_true", help="old firmware: no sn anywhere"
    )
    parser.add_argument(
        "--clock-speed",
        type=float,
        default=1.0,
        help="100 makes every device delay 100x shorter",
    )
    parser.add_argument("--push-url", help="URL the gateway POSTs events to")
    parser.add_argument(
        "--basic", action="store_true", help="old firmware: also accept Basic auth"
    )
    parser.add_argument(
        "--incoming-every",
        type=float,
        metavar="SECONDS",
        help="deliver a random incoming SMS about this often (real seconds)",
    )
    parser.add_argument(
        "--timezone", default="UTC", help="device local time zone, e.g. Europe/Berlin"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of identities and timing"
    )
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """Return the SimulatorConfig the parsed arguments describe."""
    return SimulatorConfig(
        ports=args.ports,
        username=args.username,
        password=args.password,
        serial=None if args.no_serial else args.serial,
        profiles=dict(args.profile),
        clock_speed=args.clock_speed,
        push_url=args.push_url,
        accept_basic=args.basic,
        timezone=args.timezone,
        seed=args.seed,
    )


async def _incoming_traffic(
    simulator: Simulator, every: float, rng: random.Random
) -> None:
    """Now and then an SMS arrives on a random registered port."""
    while True:
        await asyncio.sleep(rng.uniform(0.5, 1.5) * every)
        ports = [port.number for port in simulator.ports if port.registered]
        if ports:
            simulator.deliver_sms(
                rng.choice(ports), rng.choice(_SENDERS), rng.choice(_TEXTS)
            )


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> None:
    """Run the simulator until stop is set (or SIGINT/SIGTERM arrives)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    # Handlers first: the printed URL tells scripts the simulator is ready, and may be stopped.
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    simulator = Simulator(config_from_args(args))
    traffic = None
    try:
        await simulator.start(args.host, args.port)
        print(
            f"Dinstar gateway simulator on {simulator.url} (API under /api/)",
            flush=True,
        )
        if args.incoming_every:
            traffic = loop.create_task(
                _incoming_traffic(
                    simulator, args.incoming_every, random.Random(args.seed)
                )
            )
        await stop.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        if traffic is not None:
            traffic.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await traffic
        await simulator.stop()
        print("Stopped.", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dinstar-simulator` command and `python -m dinstar_simulator`."""
    asyncio.run(serve(build_parser().parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
