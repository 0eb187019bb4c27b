"""The demo in a real browser: headless Chromium drives Home Assistant's frontend.

On the demo's dashboard (see conftest.py for how the demo and the page are set up): the
simulator's SIM cards, "Send test SMS" reaching the simulator, an SMS the simulator delivers
appearing and the balance check showing the USSD reply, then the screenshot the README shows
(docs/images/dashboard.png). The tests run in order and share one page.
"""

from __future__ import annotations

from pathlib import Path
import time
from typing import Any

from playwright.sync_api import Locator, Page, expect

from .browser import Demo, save_screenshot

# The number demo/config/scripts.yaml sends its test SMS to.
TEST_RECIPIENT = "+4917012345678"
TEST_TEXT = "Test SMS from the Home Assistant demo"
BALANCE_REPLY = "Your balance is 12.50 EUR"
# What a signal quality (0-31) of the simulator reads as in dBm (3GPP TS 27.007).
DBM_AT_ZERO = -113


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


def test_screenshot_for_the_readme(page: Page, screenshots: Path) -> None:
    """Save the dashboard as the README shows it (docs/images/dashboard.png)."""
    save_screenshot(page, screenshots / "dashboard.png")
