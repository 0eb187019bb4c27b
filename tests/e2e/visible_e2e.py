"""What a user sees around the engine: the Add-integration dialog's errors and the logbook.

A wrong password in the Add-integration dialog shows a sentence, not a translation key (a
custom integration's translation files are served as they are, so a `[%key:...%]` reference
would show raw); the logbook says who sent an incoming SMS. See conftest.py for the demo and
the page. The tests run in order and share one page.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .browser import Demo

# Home Assistant's common string, which translations/en.json holds resolved.
INVALID_AUTH = "Invalid authentication"
SENDER = "+4915199990000"
TEXT = "Is the logbook telling?"


def navigate(page: Page, path: str) -> None:
    """Go to a path inside the frontend, as its own links do (no reload, no new login)."""
    page.evaluate(
        """(path) => {
            history.pushState(null, "", path);
            window.dispatchEvent(new CustomEvent("location-changed"));
        }""",
        path,
    )


def test_wrong_password_shows_a_sentence(page: Page, demo: Demo) -> None:
    """Adding the gateway with a wrong password says so in words; closing adds nothing."""
    expect(page.locator("hui-entities-card").first).to_be_visible()
    navigate(page, "/config/integrations/dashboard/add?domain=dinstar")
    page.get_by_role("button", name="OK").click()  # "Do you want to set up ...?"
    dialog = page.locator("dialog-data-entry-flow")
    expect(dialog).to_contain_text("Connect to a Dinstar gateway")
    dialog.get_by_role("textbox", name="Host").fill(demo.simulator)
    dialog.get_by_role("textbox", name="Username").fill("admin")
    # One failed login: the simulator bans an address only after five in a row.
    dialog.get_by_role("textbox", name="Password").fill("not-the-password")
    dialog.get_by_role("button", name="Submit").click()

    expect(dialog.locator("ha-alert")).to_have_text(INVALID_AUTH)
    expect(dialog).not_to_contain_text("[%key:")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


def test_logbook_names_the_sender_of_an_sms(page: Page, demo: Demo) -> None:
    """An SMS the gateway receives shows in the logbook with its sender, port and text."""
    demo.deliver_sms(1, SENDER, TEXT)
    navigate(page, "/logbook")
    expect(page.locator("ha-logbook")).to_contain_text(
        f"received an SMS on port 2 from {SENDER}: {TEXT}"
    )
