"""Set up a fresh Home Assistant through its own HTTP API: onboarding, login, config flows.

Nothing here writes Home Assistant's storage files: every change goes through the endpoints
the frontend uses, so the demo keeps working when their private formats change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
import json
import time
from typing import Any, cast
import urllib.error
import urllib.parse
import urllib.request

import aiohttp

OWNER_NAME = "Demo"
OWNER_USERNAME = "demo"
OWNER_PASSWORD = "demo"  # noqa: S105 - Home Assistant listens on 127.0.0.1 only.
DOMAIN = "dinstar"
# Sidebar panels of default integrations that have nothing to show in the demo.
UNUSED_PANELS = ("map", "media-browser", "todo", "energy")

type Json = dict[str, Any]


class SetupError(RuntimeError):
    """Home Assistant did not answer as expected while the demo set it up."""


@dataclass(frozen=True)
class HttpReply:
    """Status and decoded JSON body (None when empty or not JSON) of one request."""

    status: int
    body: Any


def http_request(
    method: str,
    url: str,
    *,
    json_body: object = None,
    form: dict[str, str] | None = None,
    token: str | None = None,
    timeout: float = 30.0,
) -> HttpReply:
    """Send one request to a server on this machine; HTTP errors are replies, not exceptions."""
    headers = {"Accept": "application/json"}
    data: bytes | None = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - URLs are built here, http on loopback
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return HttpReply(response.status, _decode(response.read()))
    except urllib.error.HTTPError as err:
        return HttpReply(err.code, _decode(err.read()))


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return raw.decode(errors="replace")


def wait_until(
    what: str, check: Callable[[], bool], *, timeout: float, interval: float = 0.5
) -> None:
    """Call check until it returns True; SetupError after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except OSError:
            pass  # Not listening yet, or the connection was reset while starting.
        if time.monotonic() > deadline:
            raise SetupError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class HomeAssistantSetup:
    """The steps that take a Home Assistant from first start to a gateway set up."""

    def __init__(self, base_url: str) -> None:
        """Talk to the Home Assistant at base_url (http://127.0.0.1:port)."""
        self.base_url = base_url.rstrip("/")
        # Home Assistant's auth (IndieAuth) takes a URL on its own host as client id.
        self.client_id = f"{self.base_url}/"
        self._token: str | None = None

    def _call(
        self, method: str, path: str, json_body: object = None, *, expect: int = 200
    ) -> Any:
        reply = http_request(
            method, self.base_url + path, json_body=json_body, token=self._token
        )
        if reply.status != expect:
            raise SetupError(
                f"{method} {path} answered {reply.status}: {reply.body!r:.500}"
            )
        return reply.body

    def answers(self) -> bool:
        """Return whether Home Assistant's HTTP server answers (OSError while it cannot)."""
        return http_request("GET", f"{self.base_url}/api/onboarding").status == 200

    def onboard_and_log_in(self) -> None:
        """Create the owner and finish onboarding if needed; log in as the owner."""
        steps: list[Json] = self._call("GET", "/api/onboarding")
        done = {step["step"] for step in steps if step["done"]}
        if "user" in done:
            self._log_in()
        else:
            reply: Json = self._call(
                "POST",
                "/api/onboarding/users",
                {
                    "client_id": self.client_id,
                    "name": OWNER_NAME,
                    "username": OWNER_USERNAME,
                    "password": OWNER_PASSWORD,
                    "language": "en",
                },
            )
            self._token = self._exchange_code(reply["auth_code"])
        for step in ("core_config", "analytics"):
            if step not in done:
                self._call("POST", f"/api/onboarding/{step}", {})
        if "integration" not in done:
            self._call(
                "POST",
                "/api/onboarding/integration",
                {"client_id": self.client_id, "redirect_uri": self.client_id},
            )

    def _log_in(self) -> None:
        """Log in as the owner through the login flow of the homeassistant provider."""
        flow: Json = self._call(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        result: Json = self._call(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {
                "client_id": self.client_id,
                "username": OWNER_USERNAME,
                "password": OWNER_PASSWORD,
            },
        )
        if result.get("type") != "create_entry":
            raise SetupError(f"logging in as {OWNER_USERNAME} failed: {result!r:.300}")
        self._token = self._exchange_code(result["result"])

    def _exchange_code(self, code: str) -> str:
        reply = http_request(
            "POST",
            f"{self.base_url}/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        )
        if reply.status != 200:
            raise SetupError(f"/auth/token answered {reply.status}: {reply.body!r}")
        return cast("str", reply.body["access_token"])

    def websocket(self, *commands: Json) -> list[Any]:
        """Send commands over the websocket API, one after the other; return their results."""
        return asyncio.run(self._websocket(commands))

    async def _websocket(self, commands: tuple[Json, ...]) -> list[Any]:
        url = "ws" + self.base_url.removeprefix("http") + "/api/websocket"
        results: list[Any] = []
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=10)) as ws,
        ):
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self._token})
            if (auth := await ws.receive_json(timeout=30))["type"] != "auth_ok":
                raise SetupError(f"the websocket API refused the token: {auth!r}")
            for number, command in enumerate(commands, start=1):
                await ws.send_json({"id": number, **command})
                reply: Json = {}
                while reply.get("id") != number or reply.get("type") != "result":
                    reply = await ws.receive_json(timeout=30)
                if not reply["success"]:
                    raise SetupError(f"{command['type']} failed: {reply['error']!r}")
                results.append(reply.get("result"))
        return results

    def confirm_http_config(self) -> None:
        """Keep the HTTP settings of configuration.yaml (127.0.0.1 and the demo's port).

        Home Assistant imports them into its storage on the first start and applies them as a
        trial that it reverts, with a restart, unless they are confirmed within five minutes.
        The repair that asks to remove them from configuration.yaml is ignored: the demo
        needs them there to start on 127.0.0.1 from the first moment.
        """
        (config,) = self.websocket({"type": "http/config"})
        if config["active_config_type"] != "pending":
            return
        self.websocket(
            {"type": "http/config/promote"},
            {
                "type": "repairs/ignore_issue",
                "domain": "http",
                "issue_id": "deprecated_yaml",
                "ignore": True,
            },
        )

    def show_dashboard_first(self, dashboard: str) -> None:
        """Open dashboard by default; hide the panels of things the demo does not have."""
        (panels,) = self.websocket({"type": "get_panels"})
        self.websocket(
            *(
                {
                    "type": "frontend/update_panel",
                    "url_path": panel,
                    "show_in_sidebar": False,
                }
                for panel in UNUSED_PANELS
                if panel in panels
            ),
            {
                "type": "frontend/set_system_data",
                "key": "core",
                "value": {"default_panel": dashboard},
            },
        )

    def wait_until_running(self, timeout: float) -> None:
        """Wait until Home Assistant has finished starting."""
        wait_until(
            "Home Assistant to finish starting",
            lambda: self._call("GET", "/api/config").get("state") == "RUNNING",
            timeout=timeout,
        )

    def gateway_entries(self) -> list[Json]:
        """Return the integration's config entries."""
        entries: list[Json] = self._call(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        return entries

    def set_up_gateway(self, gateway_fields: Json) -> str:
        """Add the gateway, or point the existing entry at it; return the entry id."""
        entries = self.gateway_entries()
        start: Json = {"handler": DOMAIN}
        if entries:
            # The simulator may listen on another port than last time.
            start["entry_id"] = entries[0]["entry_id"]
        form: Json = self._call("POST", "/api/config/config_entries/flow", start)
        if form.get("type") != "form":
            raise SetupError(f"the config flow did not show its form: {form!r:.300}")
        result: Json = self._call(
            "POST", f"/api/config/config_entries/flow/{form['flow_id']}", gateway_fields
        )
        match result.get("type"):
            case "create_entry":
                return cast("str", result["result"]["entry_id"])
            case "abort" if (
                entries and result.get("reason") == "reconfigure_successful"
            ):
                return cast("str", entries[0]["entry_id"])
        raise SetupError(
            f"the config flow did not accept the simulator: {result!r:.500}"
        )

    def wait_until_loaded(self, entry_id: str, timeout: float) -> None:
        """Wait until the config entry is set up."""

        def loaded() -> bool:
            states = {
                entry["entry_id"]: entry["state"] for entry in self.gateway_entries()
            }
            if states.get(entry_id) in ("setup_error", "migration_error"):
                raise SetupError(f"the gateway's entry failed: {states[entry_id]}")
            return states.get(entry_id) == "loaded"

        wait_until("the gateway's entry to load", loaded, timeout=timeout)

    def webhook_path(self, entry_id: str) -> str:
        """Return the path of the gateway's push webhook, as its options form shows it."""
        form: Json = self._call(
            "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        self._call(
            "DELETE", f"/api/config/config_entries/options/flow/{form['flow_id']}"
        )
        url = (form.get("description_placeholders") or {}).get("webhook_url")
        if not isinstance(url, str) or "/api/webhook/" not in url:
            raise SetupError(f"the options form shows no webhook URL: {form!r:.300}")
        return urllib.parse.urlsplit(url).path

    def state(self, entity_id: str) -> Json | None:
        """Return an entity's state object, None while it does not exist."""
        reply = http_request(
            "GET", f"{self.base_url}/api/states/{entity_id}", token=self._token
        )
        return cast("Json", reply.body) if reply.status == 200 else None
