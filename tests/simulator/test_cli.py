"""The command line: argument parsing, configuration, and a run that stops on a signal."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import re
import signal
import sys

from aiohttp import ClientSession
import pytest

from dinstar_simulator import SimProfile, SimulatorConfig
from dinstar_simulator.__main__ import build_parser, config_from_args, serve

ROOT = Path(__file__).parents[2]


def test_defaults() -> None:
    """Without arguments: 127.0.0.1:8080, a 4-port gateway like SimulatorConfig's defaults."""
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.incoming_every) == ("127.0.0.1", 8080, None)
    config = config_from_args(args)
    assert config == SimulatorConfig(serial=config.serial)
    # A serial of its own at every start: a second simulator is another gateway.
    assert config.serial != config_from_args(args).serial


def test_every_option() -> None:
    """Every option lands in the configuration."""
    args = build_parser().parse_args(
        [
            "--host", "::1",
            "--port", "0",
            "--ports", "16",
            "--username", "root",
            "--password", "pw",
            "--profile", "2=no_sim",
            "--profile", "15=pin_required",
            "--serial", "dd45-1014-8440-0030",
            "--clock-speed", "50",
            "--push-url", "http://127.0.0.1:8123/api/webhook/x",
            "--basic",
            "--incoming-every", "30",
            "--timezone", "Europe/Berlin",
            "--seed", "7",
        ]
    )  # fmt: skip
    assert (args.host, args.port, args.incoming_every) == ("::1", 0, 30.0)
    assert config_from_args(args) == SimulatorConfig(
        ports=16,
        username="root",
        password="pw",
        serial="dd45-1014-8440-0030",
        profiles={2: SimProfile.NO_SIM, 15: SimProfile.PIN_REQUIRED},
        clock_speed=50.0,
        push_url="http://127.0.0.1:8123/api/webhook/x",
        accept_basic=True,
        timezone="Europe/Berlin",
        seed=7,
    )
    assert config_from_args(build_parser().parse_args(["--no-serial"])).serial is None


@pytest.mark.parametrize(
    "argv",
    [
        ["--ports", "5"],
        ["--profile", "2"],
        ["--profile", "x=no_sim"],
        ["--profile", "2=broken"],
        ["--serial", "a", "--no-serial"],
    ],
)
def test_bad_arguments(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid arguments exit with a usage error."""
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


async def test_serve_until_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    """serve() prints the URL, delivers the odd incoming SMS and stops when told."""
    args = build_parser().parse_args(["--port", "0", "--incoming-every", "0.01"])
    stop = asyncio.Event()
    running = asyncio.create_task(serve(args, stop))
    async with asyncio.timeout(5):
        while not (match := re.search(r"on (http://\S+)", capsys.readouterr().out)):
            await asyncio.sleep(0.01)
    url = match[1]

    async with ClientSession() as session, asyncio.timeout(5):
        inbox: list[object] = []
        while not inbox:
            async with session.get(f"{url}/control/state") as response:
                inbox = (await response.json())["inbox"]
            await asyncio.sleep(0.01)
    stop.set()
    await running
    assert "Stopped." in capsys.readouterr().out


async def test_python_dash_m_stops_on_sigint() -> None:
    """`python -m dinstar_simulator` serves until SIGINT, then exits cleanly."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "dinstar_simulator",
        "--port",
        "0",
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(20):
            first = (await process.stdout.readline()).decode()
        assert re.search(r"on http://127\.0\.0\.1:\d+ ", first), first
        process.send_signal(signal.SIGINT)
        async with asyncio.timeout(20):
            rest, errors = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, errors.decode()
    assert rest.decode().strip() == "Stopped."
