"""The integration's own cards and SMS panel in a real browser.

On the demo dashboard's "SIM status" view: the SIM status card shows every port as the
simulator has it, and an SMS the simulator delivers appears live in the conversations card
and on its port; in the SMS panel it appears live too, and a reply typed there reaches the
simulator, its mark moving to delivered. Then the screenshots the README shows
(docs/images/sim-card.png, docs/images/sms-panel.png). The tests run in order and share one page.
"""

from __future__ import annotations

from pathlib import Path
import time
from typing import Any

from playwright.sync_api import Locator, Page, expect

from .browser import VIEWPORT, Demo, save_screenshot

SENDER = "+4915550123456"
FIRST_TEXT = "Is the gate open? The delivery van is waiting outside."
SECOND_TEXT = "Never mind, someone let us in."
REPLY_TEXT = "Thanks, I opened it from Home Assistant."
DBM_AT_ZERO = -113
# The registration the card shows for each of the simulator's SIM profiles.
REGISTRATION = {
    "registered": "Registered",
    "no_sim": "No SIM",
    "pin_required": "PIN required",
}


def _view(demo: Demo, path: str) -> str:
    """Return the URL of another view of the demo's dashboard."""
    return demo.dashboard.rstrip("/").rsplit("/", 1)[0] + f"/{path}"


def _port(page: Page, port: int) -> Locator:
    return page.locator(f"dinstar-sim-card button.port[data-port='{port}']")


def test_sim_card_shows_every_port(page: Page, demo: Demo) -> None:
    """Each port: registration, signal in dBm, network and number as the simulator has them."""
    page.goto(_view(demo, "sim-status"))
    ports = demo.simulator_state()["ports"]
    expect(page.locator("dinstar-sim-card button.port")).to_have_count(len(ports))
    for port in ports:
        card = _port(page, port["port"] + 1)
        expect(card).to_contain_text(REGISTRATION[port["profile"]])
        if port["profile"] == "registered":
            expect(card).to_contain_text(f"{DBM_AT_ZERO + 2 * int(port['signal'])} dBm")
            expect(card).to_contain_text(port["type"])
            expect(card).to_contain_text(port["number"])
        if port["profile"] == "pin_required":
            expect(card).to_contain_text("SIM needs its PIN")
            expect(card).to_have_class("port alert needs-code")


def test_incoming_sms_appears_in_the_cards(page: Page, demo: Demo) -> None:
    """An SMS the simulator delivers appears live in the conversations card and on its port."""
    demo.deliver_sms(1, SENDER, FIRST_TEXT)
    conversation = page.locator(
        f"dinstar-conversations-card button.conversation[data-number='{SENDER}']"
    )
    expect(conversation).to_contain_text(FIRST_TEXT)
    expect(conversation.locator(".badge")).to_have_text("1")
    expect(_port(page, 2)).to_contain_text(FIRST_TEXT)


def test_sim_card_screenshot(page: Page, screenshots: Path) -> None:
    """Save the SIM status view as the README shows it (docs/images/sim-card.png)."""
    save_screenshot(page, screenshots / "sim-card.png")


def test_incoming_sms_appears_in_the_panel(page: Page, demo: Demo) -> None:
    """The SMS panel lists the conversation; a new SMS appears without reloading."""
    page.goto(f"{demo.home_assistant.rstrip('/')}/dinstar-sms")
    conversation = page.locator(
        f"dinstar-sms-panel button.conversation[data-number='{SENDER}']"
    )
    expect(conversation).to_contain_text(FIRST_TEXT)
    demo.deliver_sms(1, SENDER, SECOND_TEXT)
    expect(conversation).to_contain_text(SECOND_TEXT)
    expect(conversation.locator(".badge")).to_have_text("2")
    conversation.click()
    thread = page.locator("dinstar-sms-panel ol.messages")
    expect(thread).to_contain_text(FIRST_TEXT)
    expect(thread).to_contain_text(SECOND_TEXT)
    # Opening the conversation reads it.
    expect(conversation.locator(".badge")).to_have_count(0)


def test_reply_from_the_panel_is_delivered(page: Page, demo: Demo) -> None:
    """A reply typed in the panel reaches the simulator from the conversation's port."""

    def sent() -> list[dict[str, Any]]:
        return [
            sms
            for sms in demo.simulator_state()["sent"]
            if sms["number"] == SENDER and sms["text"] == REPLY_TEXT
        ]

    panel = page.locator("dinstar-sms-panel")
    # The port chooser defaults to the port the conversation used (the panel's port 2).
    expect(panel.locator("select[name='port']")).to_have_value("2")
    panel.locator("textarea[name='message']").fill(REPLY_TEXT)
    panel.get_by_role("button", name="Send").click()
    deadline = time.monotonic() + 30
    while not sent():
        assert time.monotonic() < deadline, "the simulator received no reply"
        time.sleep(0.25)
    assert sent()[0]["port"] == 1
    reply = panel.locator("li.message.out").filter(has_text=REPLY_TEXT)
    expect(reply).to_have_attribute("data-status", "delivered", timeout=90_000)
    expect(reply.get_by_role("img", name="Delivered")).to_be_visible()


def test_sms_panel_screenshot(page: Page, screenshots: Path) -> None:
    """Save the SMS panel as the README shows it (docs/images/sms-panel.png)."""
    save_screenshot(page, screenshots / "sms-panel.png")


def test_sms_panel_on_a_phone(page: Page) -> None:
    """On a phone-sized screen the panel shows the list or one conversation, with a way back."""
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.reload()
        panel = page.locator("dinstar-sms-panel")
        conversation = panel.locator(f"button.conversation[data-number='{SENDER}']")
        expect(conversation).to_be_visible()
        conversation.click()
        expect(panel.locator("ol.messages")).to_contain_text(REPLY_TEXT)
        expect(conversation).to_be_hidden()
        panel.get_by_role("button", name="Back to the conversations").click()
        expect(conversation).to_be_visible()
    finally:
        page.set_viewport_size(VIEWPORT)


def test_conversations_card_editor(page: Page) -> None:
    """The conversations card's visual editor offers all gateways or one of them."""
    page.evaluate(
        """async () => {
            const card = customElements.get("dinstar-conversations-card");
            const editor = card.getConfigElement();
            editor.hass = document.querySelector("home-assistant").hass;
            editor.setConfig({ type: "custom:dinstar-conversations-card" });
            editor.id = "conversations-editor";
            window.dinstarEditorConfigs = [];
            editor.addEventListener("config-changed", (event) =>
                window.dinstarEditorConfigs.push(event.detail.config));
            document.body.append(editor);
        }"""
    )
    select = page.locator("#conversations-editor select")
    options = select.locator("option")
    expect(options.nth(1)).to_be_attached()
    expect(options.first).to_have_text("All gateways")
    expect(select).to_have_value("")
    gateway = options.nth(1).get_attribute("value")
    assert gateway
    select.select_option(gateway)
    select.select_option("")
    assert page.evaluate("window.dinstarEditorConfigs") == [
        {"type": "custom:dinstar-conversations-card", "entry_id": gateway},
        {"type": "custom:dinstar-conversations-card"},
    ]
    page.evaluate("document.getElementById('conversations-editor').remove()")
