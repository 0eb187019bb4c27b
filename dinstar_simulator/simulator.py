"""The Simulator: one fake gateway on a real TCP port, with the control surface tests drive it by."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
import random
from types import TracebackType
from typing import Any, Self

from .api import GatewayApi
from .auth import GatewayAuth
from .clock import DeviceClock
from .config import SimProfile, SimulatorConfig
from .control import control_routes
from .gateway import DEFAULT_SMSC, DeliveryOutcome, Gateway, Port
from .push import PushSender
from .records import IncomingSms, RequestRecord, SentSms
from .server import ApiHandler, Listener, ReplyGate, build_app
from .switches import Faults, Quirks
from .tasks import TaskTracker
from .wire import render


class Simulator:
    """A stateful fake Dinstar gateway (see the package docstring for the HTTP control routes)."""

    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """Build the device; `now` (returning an aware datetime) replaces its wall clock."""
        self.config = config or SimulatorConfig()
        self.faults = Faults()
        self.quirks = Quirks()
        self.requests: list[RequestRecord] = []
        seed = self.config.seed
        self._clock = DeviceClock(
            timezone=self.config.timezone,
            speed=self.config.clock_speed,
            rng=random.Random(f"{seed}:timing"),
            now=now,
        )
        self._gateway = Gateway(
            self.config, self.quirks, self._clock, self._emit, random.Random(seed)
        )
        self._push = PushSender(quirks=self.quirks, faults=self.faults)
        self._auth = GatewayAuth(
            self.config, self.quirks, nonce_rng=random.Random(f"{seed}:nonces")
        )
        self._gate = ReplyGate()
        api_handler = ApiHandler(
            api=GatewayApi(self._gateway, self.config, self.quirks, self.faults),
            auth=self._auth,
            faults=self.faults,
            quirks=self.quirks,
            unreachable=lambda: self._listener.suspended,
            requests=self.requests,
            gate=self._gate,
        )
        self._listener = Listener(build_app(api_handler, control_routes(self)))
        self.faults.on_offline_change(self._offline_changed)
        self._timers = TaskTracker()
        self._running = False

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (0 = a free port)."""
        try:
            await self._listener.start(host, port)
        except OSError:
            await self._listener.stop()
            raise
        await self._push.start()
        self._running = True

    async def stop(self) -> None:
        """Stop listening and cancel everything scheduled."""
        self._running = False
        self._gate.release()
        await self._timers.cancel_all()
        await self._listener.stop()
        await self._gateway.shutdown()
        await self._push.close()

    async def __aenter__(self) -> Self:
        """Start on a free port of 127.0.0.1."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop."""
        await self.stop()

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:8080 (the API is under /api/)."""
        host, port = self._listener.address
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}"

    @property
    def sent(self) -> list[SentSms]:
        """Every SMS the gateway accepted, oldest first (kept across reboots)."""
        return self._gateway.sent

    @property
    def inbox(self) -> list[IncomingSms]:
        """The incoming SMS stored on the gateway, oldest first."""
        return self._gateway.inbox

    @property
    def ports(self) -> list[Port]:
        """The ports with their SIM identities and state."""
        return self._gateway.ports

    async def wait_idle(self) -> None:
        """Wait until queues are empty and every scheduled report, answer and push is done."""
        while self._gateway.busy or self._push.busy:
            await self._gateway.wait_idle()
            await self._push.wait_idle()

    # -- control surface -----------------------------------------------------------------------

    def deliver_sms(
        self,
        port: int,
        number: str,
        text: str,
        *,
        smsc: str = DEFAULT_SMSC,
        timestamp: datetime | None = None,
    ) -> int:
        """Let an SMS from number arrive on port; return its incoming_sms_id (pushes "sms")."""
        stamp = self._clock.stamp(timestamp)
        return self._gateway.receive(port, number, text, smsc, stamp).incoming_sms_id

    def stall_replies(self, *endpoints: str) -> None:
        """Hold the replies of endpoints (done on the device, not answered) until release_replies()."""
        self._gate.stall(frozenset(endpoints))

    async def wait_stalled(self, count: int = 1) -> None:
        """Wait until count replies are held."""
        await self._gate.wait_held(count)

    def release_replies(self) -> None:
        """Send the held replies and hold no more."""
        self._gate.release()

    def set_profile(self, port: int, profile: SimProfile) -> None:
        """Change what is in a port's SIM slot (pushes "register")."""
        self._gateway.set_profile(port, profile)

    def set_port_count(self, count: int) -> None:
        """Fit or pull GSM modules: get_port_info then reports ports 0 to count - 1."""
        self._gateway.set_port_count(count)

    def set_signal(self, port: int, signal: int) -> None:
        """Set a port's signal quality: 0-31, or 99 for unknown."""
        self._gateway.set_signal(port, signal)

    def set_remain_credit(self, port: int, credit: str) -> None:
        """Set the remain_credit string get_port_info reports for a port."""
        self._gateway.set_remain_credit(port, credit)

    def set_billing(self, port: int, name: str, value: str) -> None:
        """Set remain_credit, remain_monthly_credit or remain_daily_credit ("" = no limit set)."""
        self._gateway.set_billing(port, name, value)

    def set_call_state(self, port: int, call_state: str) -> None:
        """Set the callstate get_port_info reports (Idle, Ringing, Active...)."""
        self._gateway.set_call_state(port, call_state)

    def set_restart_outcome(self, port: int, profile: SimProfile | None) -> None:
        """Choose what the port's module settles in after a restart (None = as its SIM allows).

        E.g. UNREGISTERED: a SIM the network keeps refusing, that no restart brings back.
        """
        self._gateway.set_restart_outcome(port, profile)

    def set_performance(self, **values: str) -> None:
        """Change the strings get_status reports under "performance" (cpu_used, memory_used...)."""
        self._gateway.set_performance(**values)

    def module_exception(self, port: int, kind: str = "call_fail") -> None:
        """Reset the port's module as the box does by itself (pushes "exception_info")."""
        self._gateway.module_exception(port, kind)

    def script_ussd(
        self, port: int | None, code: str, reply: str | None, *, delay: float = 3.0
    ) -> None:
        """Answer code on port (None = every port) with reply (None = never) after delay device seconds."""
        if port is not None:
            self._gateway.port(port)
        self._gateway.ussd_network.script(port, code, reply, delay)

    def set_delivery_outcome(
        self,
        number: str,
        *,
        send_fails: bool = False,
        status_codes: Sequence[int] | None = (0,),
    ) -> None:
        """For SMS to number: sending FAILED, or the TP-Status codes reported per part (None = none)."""
        codes = None if status_codes is None else tuple(status_codes)
        self._gateway.set_delivery_outcome(number, DeliveryOutcome(send_fails, codes))

    async def reboot(self, *, reset_ids: bool = False) -> None:
        """Restart the device: queues, nonces and USSD sessions are lost; reset_ids also restarts ids.

        Pushes "device" with status power_off before and power_on after; with reboot_seconds the API is
        unreachable meanwhile.
        """
        self._emit_device("power_off")
        await self._gateway.reboot(reset_ids=reset_ids)
        self._auth.forget_nonces()
        if self.config.reboot_seconds > 0 and self._running:
            self._listener.suspend("reboot")
            try:
                await self._clock.sleep(self.config.reboot_seconds)
            finally:
                self._listener.resume("reboot")
        self._emit_device("power_on")

    def end_bans(self) -> None:
        """End every ban of a client address now, as if its time were over (no test waits for it)."""
        self._auth.end_bans()

    async def set_offline(self, offline: bool) -> None:
        """Refuse connections, or listen again on the same port (done when this returns)."""
        self.faults.offline = offline
        await self._listener.wait_listening()

    def offline_for(self, seconds: float) -> None:
        """Go offline now and come back after seconds (real seconds, not scaled)."""
        self.faults.offline = True
        self._timers.spawn(self._back_online(seconds), background=True)

    async def push(self, payload: dict[str, Any] | str | bytes) -> int:
        """POST payload as is to push_url and return the receiver's HTTP status."""
        if self.config.push_url is None:
            raise RuntimeError("no push_url configured")
        if isinstance(payload, dict):
            body = render(payload).encode()
        elif isinstance(payload, str):
            body = payload.encode()
        else:
            body = payload
        return await self._push.post(self.config.push_url, body)

    # -- internals -----------------------------------------------------------------------------

    def _emit(self, kind: str, event: dict[str, Any]) -> None:
        url = self.config.push_url
        if not self._running or url is None or kind not in self.config.push_events:
            return
        payload: dict[str, Any] = {}
        if self.config.serial is not None:
            payload["sn"] = self.config.serial
        payload.update(event)
        self._push.enqueue(url, render(payload).encode())

    def _emit_device(self, status: str) -> None:
        self._emit(
            "device",
            {
                "device": {
                    "port_number": self.config.ports,
                    "IP": self._listener.address[0] if self._running else "",
                    "MAC": self.config.mac.replace(":", "-"),
                    "status": status,
                }
            },
        )

    def _offline_changed(self, offline: bool) -> None:
        if offline:
            self._listener.suspend("offline")
        else:
            self._listener.resume("offline")

    async def _back_online(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self.faults.offline = False
