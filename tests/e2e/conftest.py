"""What every browser test shares: the running demo, a headless Chromium page, screenshots.

scripts/e2e runs the modules named *_e2e.py in this folder (their names keep them out of the
normal test run). One demo (python -m demo on free ports, in a temporary config directory,
without random SMS) serves the whole run; each module gets its own page, opened on the
dashboard through the trusted-networks login.

Screenshots go to $DINSTAR_E2E_SCREENSHOTS when it is set (``DINSTAR_E2E_SCREENSHOTS=docs/images
scripts/e2e`` refreshes the README's images), else to the test's temporary folder, so a test run
leaves the working tree as it found it.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
import os
from pathlib import Path
import signal
import subprocess
import sys
import time

from playwright.sync_api import Page, expect, sync_playwright
import pytest

from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_START_TIMEOUT,
    REPO_ROOT,
    UI_TIMEOUT_MS,
    VIEWPORT,
    Demo,
    report,
    tail,
)


@pytest.fixture(scope="session")
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
                pytest.fail(f"the demo exited:\n{tail(output)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the demo was not ready in time:\n{tail(output)}")
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
        report(f"--- demo output\n{tail(output)}")
        report(f"--- home-assistant.log\n{tail(config_dir / 'home-assistant.log')}")


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
        # The trusted-networks login ends by sending the browser back to the URL it came
        # for: a test that navigates elsewhere before that would be sent back here.
        expect(page.locator("hui-entities-card").first).to_be_visible()
        yield page
        browser.close()
        report(f"errors in the page: {errors}")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder screenshots are saved in ($DINSTAR_E2E_SCREENSHOTS or a temporary one)."""
    folder = os.environ.get("DINSTAR_E2E_SCREENSHOTS")
    if not folder:
        return tmp_path_factory.mktemp("screenshots")
    path = Path(folder)
    if not path.is_absolute():
        path = REPO_ROOT / path
    path.mkdir(parents=True, exist_ok=True)
    return path
