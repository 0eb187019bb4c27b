"""The demo in a real browser: headless Chromium drives Home Assistant's frontend.

scripts/e2e runs this module; its name keeps it out of the normal test run (not test_*.py).
It starts the demo (python -m demo) on free ports in a temporary config directory, opens the
dashboard (the trusted-networks login lets the browser in), checks that it shows the
simulator's SIM cards, that "Send test SMS" reaches the simulator, that an SMS the simulator
delivers appears and that the balance check shows the USSD reply, then saves the screenshot
the README shows (docs/images/dashboard.png). The tests run in order and share one page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import json
import os
from pathlib import Path
import signal
import subprocess
import sys
import time
from typing import Any
import urllib.request

from playwright.sync_api import Locator, Page, ViewportSize, expect, sync_playwright
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = Path(
    os.environ.get("DINSTAR_E2E_SCREENSHOT", REPO_ROOT / "docs/images/dashboard.png")
)
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
# The number demo/config/scripts.yaml sends its test SMS to.
TEST_RECIPIENT = "+4917012345678"
TEST_TEXT = "Test SMS from the Home Assistant demo"
BALANCE_REPLY = "Your balance is 12.50 EUR"
# What a signal quality (0-31) of the simulator reads as in dBm (3GPP TS 27.007).
DBM_AT_ZERO = -113


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


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"({path} is missing)"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """Run scripts/demo's program on free ports, without random SMS, until the tests end."""
    work = tmp_path_factory.mktemp("demo")
    config_dir = work / "config"
    ready_file = work / "ready.json"
    output = work / "demo.log"
    with output.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "demo",
                "--port",
                "0",
                "--config",
                str(config_dir),
                "--ready-file",
                str(ready_file),
                "--incoming-every",
                "0",
                "--clock-speed",
                "20",
            ],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + DEMO_START_TIMEOUT
        while not ready_file.exists():
            if process.poll() is not None:
                pytest.fail(f"the demo exited:\n{_tail(output)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the demo was not ready in time:\n{_tail(output)}")
            time.sleep(0.2)
        urls = json.loads(ready_file.read_text())
        report(f"demo ready in {urls['seconds']} s: {urls['dashboard']}")
        yield Demo(
            home_assistant=urls["home_assistant"],
            dashboard=urls["dashboard"],
            simulator=urls["simulator"],
            config_dir=config_dir,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        report(f"--- demo output\n{_tail(output)}")
        report(f"--- home-assistant.log\n{_tail(config_dir / 'home-assistant.log')}")


@pytest.fixture(scope="module")
def page(demo: Demo) -> Iterator[Page]:
    """Open the demo's dashboard in headless Chromium (a fresh profile)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport=VIEWPORT, locale="en-US", timezone_id="UTC"
        )
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        expect.set_options(timeout=UI_TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(demo.dashboard)
        yield page
        browser.close()
        report(f"errors in the page: {errors}")


def sim_card(page: Page, port: int) -> Locator:
    """Return the dashboard's card of a port (front panel number)."""
    return page.locator("hui-entities-card").filter(has_text=f"Port {port}")


def test_login_is_bypassed(page: Page, demo: Demo) -> None:
    """The browser on 127.0.0.1 lands on the dashboard without a login form."""
    expect(page.locator("hui-entities-card").first).to_be_visible()
    assert page.url.startswith(demo.dashboard)


def test_sim_cards_show_the_simulator_state(page: Page, demo: Demo) -> None:
    """Each SIM card shows registration, network, signal and number as the simulator has them."""
    ports = demo.simulator_state()["ports"]
    for port in ports[:2]:
        assert port["profile"] == "registered"
        card = sim_card(page, port["port"] + 1)
        expect(card).to_contain_text("Registered")
        expect(card).to_contain_text(port["type"])
        expect(card).to_contain_text(f"{DBM_AT_ZERO + 2 * int(port['signal'])} dBm")
        expect(card).to_contain_text(port["number"])
    expect(sim_card(page, 3)).to_contain_text("No SIM")
    expect(sim_card(page, 4)).to_contain_text("PIN required")


def test_send_test_sms_reaches_the_simulator(page: Page, demo: Demo) -> None:
    """Pressing "Send test SMS" makes the gateway send the script's SMS."""

    def sent() -> list[dict[str, Any]]:
        return [
            sms
            for sms in demo.simulator_state()["sent"]
            if sms["number"] == TEST_RECIPIENT and sms["text"].startswith(TEST_TEXT)
        ]

    assert not sent()
    page.locator("hui-button-card").filter(has_text="Send test SMS").click()
    deadline = time.monotonic() + 30
    while not sent():
        assert time.monotonic() < deadline, "the simulator received no test SMS"
        time.sleep(0.25)
    assert sent()[0]["port"] == 0  # the script sends through the panel's port 1
    expect(page.locator("hui-tile-card").filter(has_text="Sent")).to_contain_text(
        "1 SMS"
    )


def test_incoming_sms_appears_on_the_dashboard(page: Page, demo: Demo) -> None:
    """An SMS the simulator delivers shows up in the latest-SMS table, with its sender."""
    latest = page.locator("hui-markdown-card").filter(has_text="Message")
    demo.deliver_sms(
        0, "+4915112345678", "Your parcel arrives today between 10:00 and 12:00."
    )
    expect(latest).to_contain_text("Your parcel arrives today")
    # The simulator started afresh and delivers nothing by itself (--incoming-every 0).
    text = "Dinner at 8? Reply before 6."
    demo.deliver_sms(1, "+4917698765432", text)
    expect(latest).to_contain_text(text)
    expect(latest).to_contain_text("+4917698765432")


def test_balance_check_shows_the_ussd_reply(page: Page) -> None:
    """Pressing "Check balance" sends *100# and the reply appears."""
    page.locator("hui-button-card").filter(has_text="Check balance").click()
    expect(
        page.locator("hui-markdown-card").filter(has_text="Last reply")
    ).to_contain_text(BALANCE_REPLY)


def test_screenshot_for_the_readme(page: Page) -> None:
    """Save the dashboard as the README shows it."""
    page.mouse.move(0, VIEWPORT["height"] - 1)  # no hover highlight on a card
    page.wait_for_timeout(1000)  # let the last state changes render
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000
