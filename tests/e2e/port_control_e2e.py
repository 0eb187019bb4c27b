"""Port control in a real browser: "Restart module" on the dashboard restarts port 1's module.

The simulator takes the module through SEARCHING_NETWORK for its module_restart_seconds and
registers it again; its register pushes bring Home Assistant along. The demo is left as found:
the port is registered again when the test ends.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from .browser import Demo

# The demo's clock runs 2x: the module's 15 device seconds of restart are about 8 s.
RESTART_SEEN_WITHIN = 30.0
BACK_WITHIN_MS = 90_000


def test_restart_module_comes_back(page: Page, demo: Demo) -> None:
    """Pressing "Restart module" restarts port 1's module; the card shows it registered again."""
    card = page.locator("hui-entities-card").filter(has_text="Port 1")
    expect(card).to_contain_text("Registered")
    row = card.locator("hui-button-entity-row")
    expect(row).to_contain_text("Restart module")
    row.get_by_role("button", name=re.compile("press", re.IGNORECASE)).click()

    deadline = time.monotonic() + RESTART_SEEN_WITHIN
    while not demo.simulator_state()["ports"][0]["restarting"]:
        assert time.monotonic() < deadline, "the simulator's module 1 never restarted"
        time.sleep(0.1)

    # The card follows the module: searching while it restarts (the "Registered" it
    # showed before the press must not pass for its return), then registered again.
    expect(card).to_contain_text("Searching network", timeout=BACK_WITHIN_MS)
    expect(card).to_contain_text("Registered", timeout=BACK_WITHIN_MS)
    port = demo.simulator_state()["ports"][0]
    assert (port["restarting"], port["profile"]) == (False, "registered")
