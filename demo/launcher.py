"""Run the demo: a simulated 4-port gateway and Home Assistant with the integration set up.

`scripts/demo` calls this after it made the virtualenv. It starts the simulator (ports 1 and 2
registered, 3 without SIM, 4 waiting for its PIN), then Home Assistant on the config directory
demo/config, onboards it and adds the gateway through Home Assistant's HTTP API, points the
simulator's push at the integration's webhook, prints the URL and runs until Ctrl-C.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
import contextlib
from dataclasses import dataclass
import fcntl
import hashlib
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from types import FrameType
from typing import TextIO

from demo.home_assistant import (
    OWNER_PASSWORD,
    OWNER_USERNAME,
    HomeAssistantSetup,
    SetupError,
    http_request,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = REPO_ROOT / "demo" / "config"
BLUEPRINTS_DIR = REPO_ROOT / "blueprints"
DASHBOARD_PATH = "dinstar-demo"
# What Home Assistant and the demo write into a config directory: deleted at every start (the
# simulated gateway starts afresh too), left out when the template is copied.
GENERATED = (
    ".storage",
    ".HA_VERSION",
    ".ha_run.lock",
    "deps",
    "tts",
    "blueprints/automation/homeassistant",
    "blueprints/script",
)
GENERATED_GLOBS = ("*.db", "*.db-*", "*.log", "*.log.*")
MARKER = ".dinstar-demo"
GATEWAY_USER = "admin"
GATEWAY_PASSWORD = "admin"  # noqa: S105 - the simulator's, on 127.0.0.1.
GATEWAY_SERIAL = "da00-0030-1901-2817"
# API port numbers (0-based): the front panel's ports 3 and 4.
SIM_PROFILES = ("2=no_sim", "3=pin_required")
HA_START_TIMEOUT = 240.0
# The version of Home Assistant's onboarding store (homeassistant.components.onboarding).
ONBOARDING_STORAGE_VERSION = 4
# The first SMS, so that the dashboard has one to show from the start (port 0 is panel port 1).
WELCOME_SMS = {
    "port": 0,
    "number": "+4915112345678",
    "text": "Welcome! This SMS reached the simulated gateway and came to Home Assistant by push.",
}
STOP_TIMEOUT = 60.0


class StopRequested(Exception):  # noqa: N818 - a signal, not an error
    """SIGINT or SIGTERM arrived."""


@dataclass
class Child:
    """A process the demo started, with the log its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def tail(self, lines: int = 30) -> str:
        """Return the end of the process's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser."""
    parser = argparse.ArgumentParser(
        prog="scripts/demo",
        description="Run Home Assistant with the Dinstar integration set up against a simulated gateway.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8123,
        help="Home Assistant's port on 127.0.0.1 (default 8123, 0 = any free port)",
    )
    parser.add_argument(
        "--simulator-port",
        type=int,
        default=0,
        help="the simulated gateway's port (default 0 = any free port)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=TEMPLATE_DIR,
        help="Home Assistant config directory (default demo/config; another one is made from it)",
    )
    parser.add_argument(
        "--incoming-every",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="an SMS arrives about this often, the first at once (default 60, 0 = never)",
    )
    parser.add_argument(
        "--clock-speed",
        type=float,
        default=2.0,
        help="how much faster than a real gateway the simulator sends and reports (default 2)",
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        help="write the URLs as JSON to this file once everything is ready (for tests)",
    )
    return parser


def say(*values: object, file: TextIO | None = None) -> None:
    """Tell the person at the terminal (a command-line program prints)."""
    print(*values, file=file or sys.stdout, flush=True)  # noqa: T201


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    """Return whether something accepts connections on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def reset_config_dir(config_dir: Path) -> None:
    """Delete what Home Assistant and the demo generated in config_dir."""
    for name in GENERATED:
        _remove(config_dir / name)
    for pattern in GENERATED_GLOBS:
        for path in config_dir.glob(pattern):
            _remove(path)


def skip_onboarding_suggestions(config_dir: Path) -> None:
    """Mark onboarding's core_config step done before Home Assistant starts.

    Finishing that step starts config flows of weather (met), radio (radio_browser),
    text-to-speech (google_translate) and a shopping list: they need the internet or
    libraries the demo does not install, and fill the log with tracebacks. The step only
    confirms settings that configuration.yaml already holds.
    """
    storage = config_dir / ".storage"
    storage.mkdir(exist_ok=True)
    (storage / "onboarding").write_text(
        json.dumps(
            {
                "version": ONBOARDING_STORAGE_VERSION,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": ["core_config"]},
            }
        ),
        encoding="utf-8",
    )


def _link(link: Path, target: Path) -> None:
    """Make link a relative symlink to target, replacing whatever is there."""
    relative = Path(os.path.relpath(target, link.parent))
    if link.is_symlink() and link.readlink() == relative:
        return
    _remove(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(relative)


def prepare_config_dir(config_dir: Path) -> None:
    """Make config_dir a fresh demo: template files, links to the integration and blueprints.

    Another directory than the template is filled from it, and only if it is empty or was
    made by the demo: the demo deletes Home Assistant's state in it.
    """
    if config_dir != TEMPLATE_DIR:
        marker = config_dir / MARKER
        if config_dir.exists() and any(config_dir.iterdir()) and not marker.exists():
            raise SetupError(
                f"{config_dir} is not empty and was not made by the demo; choose another --config"
            )
        shutil.copytree(
            TEMPLATE_DIR,
            config_dir,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(
                *GENERATED, *GENERATED_GLOBS, "custom_components", "blueprints"
            ),
        )
        marker.touch()
    reset_config_dir(config_dir)
    skip_onboarding_suggestions(config_dir)
    _link(config_dir / "custom_components", REPO_ROOT / "custom_components")
    # One link per file: Home Assistant's blueprint list does not descend into linked folders.
    for blueprint in sorted((BLUEPRINTS_DIR / "automation" / "dinstar").glob("*.yaml")):
        _link(
            config_dir / "blueprints" / "automation" / "dinstar" / blueprint.name,
            blueprint,
        )


@contextlib.contextmanager
def config_dir_lock(config_dir: Path) -> Iterator[None]:
    """Hold a lock so that two demos never share one config directory."""
    digest = hashlib.sha256(str(config_dir).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"dinstar-demo-{digest}.lock"
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SetupError(
                f"another demo runs on {config_dir}; stop it, or pass --config with another directory"
            ) from None
        yield


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise StopRequested


def start_simulator(
    args: argparse.Namespace, config_dir: Path, children: list[Child]
) -> str:
    """Start the simulated gateway; return its URL once it listens."""
    log_path = config_dir / "simulator.log"
    command = [
        sys.executable,
        "-u",
        "-m",
        "dinstar_simulator",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.simulator_port),
        "--ports",
        "4",
        "--username",
        GATEWAY_USER,
        "--password",
        GATEWAY_PASSWORD,
        "--clock-speed",
        str(args.clock_speed),
        "--seed",
        "2026",
        # A fixed serial: the README's and the dashboard's entity ids carry it.
        "--serial",
        GATEWAY_SERIAL,
    ]
    for profile in SIM_PROFILES:
        command += ["--profile", profile]
    if args.incoming_every > 0:
        command += ["--incoming-every", str(args.incoming_every)]
    child = _spawn("simulator", command, REPO_ROOT, log_path, os.environ.copy())
    children.append(child)
    found: list[str] = []

    def listening() -> bool:
        if child.process.poll() is not None:
            raise SetupError(f"the simulator exited:\n{child.tail()}")
        for line in child.tail(5).splitlines():
            if line.startswith("Dinstar gateway simulator on "):
                found.append(line.split(" on ", 1)[1].split()[0])
                return True
        return False

    wait_until("the simulator", listening, timeout=30.0, interval=0.1)
    return found[0]


def start_home_assistant(config_dir: Path, port: int, children: list[Child]) -> Child:
    """Start Home Assistant on config_dir, listening on 127.0.0.1:port."""
    env = os.environ.copy()
    env["DINSTAR_DEMO_PORT"] = str(port)
    env["DINSTAR_DEMO_URL"] = f"http://127.0.0.1:{port}"
    env.setdefault("DINSTAR_DEMO_TIME_ZONE", "UTC")
    # Every requirement is installed by scripts/demo: Home Assistant must not pip-install
    # into the project's virtualenv (nor try the internet for what onboarding suggests).
    command = [
        sys.executable,
        "-m",
        "homeassistant",
        "--config",
        str(config_dir),
        "--skip-pip",
    ]
    child = _spawn(
        "Home Assistant",
        command,
        config_dir,
        config_dir / "home-assistant.console.log",
        env,
    )
    children.append(child)
    return child


def _spawn(
    name: str, command: list[str], cwd: Path, log_path: Path, env: dict[str, str]
) -> Child:
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Child(name, process, log_path)


def stop_children(children: list[Child]) -> None:
    """Ask every child to stop (Home Assistant first), then wait; kill what hangs."""
    for child in reversed(children):
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in reversed(children):
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop in time; killing it", file=sys.stderr)
            child.process.kill()
            child.process.wait()


def _check_alive(children: list[Child]) -> None:
    for child in children:
        if (code := child.process.poll()) is not None:
            raise SetupError(
                f"{child.name} exited with status {code}; the end of {child.log_path}:\n{child.tail()}"
            )


@dataclass(frozen=True)
class DemoUrls:
    """Where the running demo can be reached."""

    home_assistant: str
    dashboard: str
    simulator: str
    entry_id: str


def set_up(
    args: argparse.Namespace, config_dir: Path, children: list[Child]
) -> DemoUrls:
    """Start both processes and set Home Assistant up; return the URLs."""
    port = args.port or free_port()
    if port_in_use(port):
        raise SetupError(
            f"port {port} is in use (another Home Assistant?); pass --port with a free port, or 0"
        )
    simulator_url = start_simulator(args, config_dir, children)
    say(f"Simulated gateway on {simulator_url}")
    start_home_assistant(config_dir, port, children)
    base_url = f"http://127.0.0.1:{port}"
    say(f"Starting Home Assistant on {base_url} ...")

    ha = HomeAssistantSetup(base_url)

    def answers() -> bool:
        _check_alive(children)
        return ha.answers()

    wait_until("Home Assistant's HTTP server", answers, timeout=HA_START_TIMEOUT)
    ha.onboard_and_log_in()
    ha.confirm_http_config()
    ha.wait_until_running(HA_START_TIMEOUT)
    ha.show_dashboard_first(DASHBOARD_PATH)
    entry_id = ha.set_up_gateway(
        {
            "host": simulator_url,
            "username": GATEWAY_USER,
            "password": GATEWAY_PASSWORD,
            "verify_ssl": False,
        }
    )
    ha.wait_until_loaded(entry_id, timeout=60.0)
    push_url = base_url + ha.webhook_path(entry_id)
    reply = http_request(
        "POST", f"{simulator_url}/control/push", json_body={"url": push_url}
    )
    if reply.status != 200:
        raise SetupError(f"the simulator refused the push URL: {reply.body!r}")
    if args.incoming_every > 0:
        reply = http_request(
            "POST", f"{simulator_url}/control/sms", json_body=WELCOME_SMS
        )
        if reply.status != 200:
            raise SetupError(f"the simulator refused the welcome SMS: {reply.body!r}")
    return DemoUrls(
        home_assistant=base_url,
        dashboard=f"{base_url}/{DASHBOARD_PATH}/gateway",
        simulator=simulator_url,
        entry_id=entry_id,
    )


def write_ready_file(path: Path, urls: DemoUrls, seconds: float) -> None:
    """Write the URLs as JSON, all at once: a test may be waiting for the file to appear."""
    partial = path.with_name(f"{path.name}.partial")
    partial.write_text(
        json.dumps(
            {
                "home_assistant": urls.home_assistant,
                "dashboard": urls.dashboard,
                "simulator": urls.simulator,
                "entry_id": urls.entry_id,
                "seconds": round(seconds, 1),
            }
        )
    )
    partial.replace(path)


def _banner(urls: DemoUrls, config_dir: Path, seconds: float) -> str:
    shown = (
        config_dir.relative_to(REPO_ROOT)
        if config_dir.is_relative_to(REPO_ROOT)
        else config_dir
    )
    return f"""
Dinstar demo ready in {seconds:.0f} s.

  Dashboard:       {urls.dashboard}
  Home Assistant:  {urls.home_assistant}  (logged in automatically from this machine;
                   elsewhere user {OWNER_USERNAME}, password {OWNER_PASSWORD})
  Simulated gateway: {urls.simulator}  (API user {GATEWAY_USER} / {GATEWAY_PASSWORD})
    deliver an SMS to port 1 (the API counts from 0):
      curl -X POST {urls.simulator}/control/sms \\
        -d '{{"port": 0, "number": "+4915112345678", "text": "Hello"}}'
    see its state:
      curl {urls.simulator}/control/state
  Config and logs: {shown}/ (home-assistant.log, simulator.log)

Press Ctrl-C to stop.
"""


def run(args: argparse.Namespace) -> int:
    """Run the demo until a signal arrives; return the exit status."""
    config_dir: Path = args.config.resolve()
    started = time.monotonic()
    children: list[Child] = []
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        with config_dir_lock(config_dir):
            prepare_config_dir(config_dir)
            urls = set_up(args, config_dir, children)
            seconds = time.monotonic() - started
            say(_banner(urls, config_dir, seconds))
            if args.ready_file is not None:
                write_ready_file(args.ready_file, urls, seconds)
            while True:
                _check_alive(children)
                time.sleep(1.0)
    except StopRequested:
        say("\nStopping ...")
        return 0
    except SetupError as err:
        say(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        # A second Ctrl-C while stopping must not leave the processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_children(children)
        if children:
            say("Stopped.")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m demo`."""
    return run(build_parser().parse_args(argv))
