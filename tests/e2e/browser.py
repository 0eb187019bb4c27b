"""The browser tests' shared parts: the demo they drive, the browser's settings, screenshots."""

from __future__ import annotations

from dataclasses import dataclass
import json
import os
from pathlib import Path
from typing import Any
import urllib.request

from playwright.sync_api import Page, ViewportSize

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless on a machine without a display, a sandbox or a way to the internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT: ViewportSize = {"width": 1400, "height": 950}
DEMO_START_TIMEOUT = 240.0
UI_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Demo:
    """The running demo."""

    home_assistant: str
    dashboard: str
    simulator: str
    config_dir: Path

    def simulator_state(self) -> dict[str, Any]:
        """Return GET /control/state of the simulator."""
        with urllib.request.urlopen(
            f"{self.simulator}/control/state", timeout=10
        ) as reply:
            state: dict[str, Any] = json.load(reply)
        return state

    def deliver_sms(self, port: int, number: str, text: str) -> None:
        """Let an SMS arrive on the simulator's API port (0 is the panel's port 1)."""
        request = urllib.request.Request(
            f"{self.simulator}/control/sms",
            data=json.dumps({"port": port, "number": number, "text": text}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert reply.status == 200


def report(text: str) -> None:
    """Write to the test's captured output, which pytest shows when a test failed."""
    print(text)  # noqa: T201


def tail(path: Path, lines: int = 40) -> str:
    """Return the last lines of a log file (or say that it is missing)."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"({path} is missing)"


def save_screenshot(page: Page, path: Path) -> None:
    """Save the page as a README shows it: no hover highlight, last state changes rendered."""
    page.mouse.move(0, VIEWPORT["height"] - 1)
    page.wait_for_timeout(1000)
    page.screenshot(path=path)
    assert path.stat().st_size > 10_000
