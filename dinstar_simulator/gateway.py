"""The stateful device model: ports and SIMs, send queues, reports, inbox and USSD sessions (no HTTP).

Choices where real firmware is unknown:
- A send_sms recipient goes to the least busy usable port among those requested (ties: the first listed).
- ref_ids are reserved when an SMS is queued; an SMS's `time` is when it was queued, then when sending began.
- An SMS that would need more than 10 parts is accepted and then FAILED with succ_count 0.
- Delivery reports: every part gets the configured TP-Status sequence, one report per code, report_seconds
  apart. The result becomes DELIVERED once every part has reported 0; a permanent error (64-255) leaves it
  SENT_OK, with the code in the report.
- stop_sms fails the task's SMS still waiting in a queue; the one on air finishes.
- Reboot fails every SMS still queued, cancels pending reports and USSD exchanges; the inbox and the result
  and report tables survive unless ids are reset, which empties all three.
- set_port_info: a reset, a power-on or a slot change ends the port's USSD exchange and takes the module
  through SEARCHING_NETWORK for module_restart_seconds; it then registers again (a SIM that was registered,
  searching or unregistered), or comes back as it was (no SIM, PIN, PUK), unless a test set the outcome.
  A reset of a powered-off module answers 500; lock/unlock/block/unblock only set flags.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
import random
from typing import Any

from .clock import DeviceClock
from .config import SimProfile, SimulatorConfig
from .identities import SimIdentity, make_imei, make_sim
from .records import DeliveryReport, IncomingSms, SentSms, SmsStatus
from .sms_encoding import MAX_PARTS, SmsEncoding, count_segments, to_gsm7
from .switches import Quirks
from .tasks import TaskTracker
from .ussd import UssdNetwork

PARAM_MARK = "#param#"
# The SMS centre of the vendor's push example, for incoming SMS that name none.
DEFAULT_SMSC = "+8613800757511"
NULL_STRING = "<NULL>"
SIGNAL_UNKNOWN = 99
BASIC_INFO_TYPES = ("type", "imei", "imsi", "iccid", "smsc", "number", "reg")
EXTENDED_INFO_TYPES = (
    "signal",
    "gprs",
    "slot",
    "callstate",
    "remain_credit",
    "remain_monthly_credit",
    "remain_daily_credit",
)
BILLING_INFO_TYPES = ("remain_credit", "remain_monthly_credit", "remain_daily_credit")
PORT_ACTIONS = ("reset", "power", "slot", "lock", "unlock", "block", "unblock")
NO_SIM_BANK = 255
SIM_SLOTS = 4
# The performance of get_status as the reseller's manual shows it: strings, memory and flash in KB.
DEFAULT_PERFORMANCE = {
    "cpu_used": "39",
    "flash_total": "27648",
    "flash_used": "17428",
    "memory_total": "109448",
    "memory_cached": "34192",
    "memory_buffers": "0",
    "memory_free": "58928",
    "memory_used": "50520",
}

REG_STATES = {
    SimProfile.REGISTERED: "REGISTER_OK",
    SimProfile.NO_SIM: "NO_SIM",
    SimProfile.PIN_REQUIRED: "PIN_REQUIRE",
    SimProfile.PUK_REQUIRED: "PUK_REQUIRE",
    SimProfile.SEARCHING: "SEARCHING_NETWORK",
    SimProfile.UNREGISTERED: "UNREGISTER",
    SimProfile.POWER_OFF: "POWER_OFF",
}
# A locked SIM hides its files; without SIM or power there is nothing to read.
_SIM_READABLE = frozenset(
    {SimProfile.REGISTERED, SimProfile.SEARCHING, SimProfile.UNREGISTERED}
)
# Only a module camped on a network has a signal to report.
_SIGNAL_KNOWN = frozenset({SimProfile.REGISTERED, SimProfile.UNREGISTERED})

type EventSink = Callable[[str, dict[str, Any]], None]


class NoUsablePort(Exception):
    """None of the requested ports is registered (error_code 550)."""


class PortActionRefused(Exception):
    """set_port_info cannot do this here (error_code 400 bad input, 500 other)."""

    def __init__(self, code: int) -> None:
        """Carry the error_code."""
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Recipient:
    """One element of send_sms `param`."""

    number: str
    text_params: tuple[str, ...] = ()
    user_id: int | None = None


@dataclass(frozen=True)
class SendRequest:
    """A validated send_sms request."""

    text: str
    recipients: tuple[Recipient, ...]
    ports: tuple[int, ...] | None = None
    encoding: SmsEncoding = SmsEncoding.UNICODE
    request_status_report: bool = True


@dataclass(frozen=True)
class RecordFilter:
    """The filters of query_sms_result and query_sms_deliver_status; None = no filter."""

    numbers: frozenset[str] | None = None
    ports: frozenset[int] | None = None
    time_after: str | None = None
    time_before: str | None = None
    user_ids: frozenset[int] | None = None

    def matches(
        self, port: int, number: str, time: str, user_id: int | None = None
    ) -> bool:
        """Whether a record passes; time bounds are inclusive (stamps have one-second resolution)."""
        return (
            (self.numbers is None or number in self.numbers)
            and (self.ports is None or port in self.ports)
            and (self.time_after is None or time >= self.time_after)
            and (self.time_before is None or time <= self.time_before)
            and (self.user_ids is None or user_id in self.user_ids)
        )


@dataclass(frozen=True)
class DeliveryOutcome:
    """What the network does with SMS to one destination."""

    send_fails: bool = False
    status_codes: tuple[int, ...] | None = (0,)


@dataclass
class _Job:
    """A queued SMS with its delays planned at acceptance, so timing depends only on the seed."""

    sms: SentSms
    send_delays: list[float]
    report_delays: list[float]
    outcome: DeliveryOutcome


@dataclass
class Port:
    """One GSM/LTE module with its SIM slot."""

    number: int
    profile: SimProfile
    imei: str
    sim: SimIdentity
    signal: int
    slot: int = 0
    remain_credit: str = ""
    remain_monthly_credit: str = ""
    remain_daily_credit: str = ""
    call_state: str = "Idle"
    locked: bool = False
    blocked: bool = False
    # The SIMs of a SIM bank by slot (the one in use is `sim`).
    bank: dict[int, SimIdentity] = field(default_factory=dict)
    # A module restarting (reset, power-on, slot change) and the profile it settles in.
    restart: asyncio.Task[None] | None = None
    restart_target: SimProfile | None = None
    # What a restart ends in, set by a test; None = what the SIM allows (see the module docstring).
    restart_outcome: SimProfile | None = None
    # The profile before the user powered the module off.
    powered_off_from: SimProfile | None = None
    next_ref_id: int = 0
    queue: deque[_Job] = field(default_factory=deque)
    on_air: _Job | None = None
    sender: asyncio.Task[None] | None = None
    ussd_text: str = ""
    # The exchange waiting for the network's answer (or its silence), if any.
    ussd_exchange: asyncio.Task[None] | None = None
    ussd_menu_open: bool = False

    @property
    def registered(self) -> bool:
        """Whether the port can send SMS and USSD."""
        return self.profile is SimProfile.REGISTERED

    def end_restart(self) -> None:
        """Forget a restart in progress (its module will not settle by itself)."""
        if self.restart is not None:
            self.restart.cancel()
            self.restart = None
        self.restart_target = None

    def end_ussd_exchange(self) -> None:
        """Forget the exchange in progress (cancel, reboot); its answer will never show."""
        if self.ussd_exchange is not None:
            self.ussd_exchange.cancel()
            self.ussd_exchange = None
        self.ussd_menu_open = False

    @property
    def load(self) -> int:
        """SMS this port still has to send, the one on air included."""
        return len(self.queue) + (self.on_air is not None)

    def sim_value(self, name: str) -> str:
        """imsi, iccid, number or smsc as the module can read them now ("" when unreadable)."""
        if self.profile not in _SIM_READABLE:
            return ""
        return str(getattr(self.sim, name))

    def info(self, name: str, network_type: str) -> str | int:
        """One get_port_info field."""
        match name:
            case "type":
                return (
                    "UNKNOWN" if self.profile is SimProfile.POWER_OFF else network_type
                )
            case "imei":
                return self.imei
            case "imsi" | "iccid" | "smsc" | "number":
                return self.sim_value(name)
            case "reg":
                return REG_STATES[self.profile]
            case "signal":
                return self.signal if self.profile in _SIGNAL_KNOWN else SIGNAL_UNKNOWN
            case "gprs":
                return "attached" if self.registered else "detached"
            case "slot":
                return self.slot
            case "callstate":
                return self.call_state
            case "remain_credit" | "remain_monthly_credit" | "remain_daily_credit":
                return str(getattr(self, name))
        raise KeyError(name)


def substitute_params(text: str, params: Sequence[str]) -> str:
    """Replace each #param# with the next parameter; placeholders without one stay as they are."""
    pieces = text.split(PARAM_MARK)
    result = pieces[0]
    for index, piece in enumerate(pieces[1:]):
        result += (params[index] if index < len(params) else PARAM_MARK) + piece
    return result


class Gateway:
    """The device: everything the API and the pushes expose, driven by a scaled clock."""

    def __init__(
        self,
        config: SimulatorConfig,
        quirks: Quirks,
        clock: DeviceClock,
        emit: EventSink,
        identity_rng: random.Random,
    ) -> None:
        """Build the ports with seed-determined identities; emit receives push events."""
        self._config = config
        self._quirks = quirks
        self._clock = clock
        self._emit = emit
        self._tasks = TaskTracker()
        self.ussd_network = UssdNetwork()
        self._identity_rng = identity_rng
        self.ports: list[Port] = []
        self.set_port_count(config.ports)
        self.sent: list[SentSms] = []
        self.inbox: list[IncomingSms] = []
        self.delivery_reports: list[DeliveryReport] = []
        # Where the device's result table starts in `sent` (an id reset empties the table, not the log).
        self._results_start = 0
        self._tasks_sms: dict[int, list[_Job]] = {}
        self._next_task_id = 1
        self._next_incoming_id = 1
        self._register_sequence = 0
        self._outcomes: dict[str, DeliveryOutcome] = {}
        self.performance: dict[str, str] = dict(DEFAULT_PERFORMANCE)

    # -- ports ---------------------------------------------------------------------------------

    def set_port_count(self, count: int) -> None:
        """Fit or pull GSM modules: ports beyond count vanish, new ones get fresh identities."""
        if not 1 <= count <= 32:
            raise ValueError(f"a gateway has 1-32 ports, not {count}")
        del self.ports[count:]
        self.ports.extend(
            Port(
                number=number,
                profile=self._config.profile_of(number),
                imei=make_imei(self._identity_rng),
                sim=make_sim(self._identity_rng),
                signal=self._identity_rng.randint(14, 31),
                slot=0 if self._config.sim_bank else NO_SIM_BANK,
            )
            for number in range(len(self.ports), count)
        )

    def port(self, number: int) -> Port:
        """Return the port with this API number; ValueError if the gateway has none."""
        if not 0 <= number < len(self.ports):
            raise ValueError(
                f"the gateway has ports 0-{len(self.ports) - 1}, not {number}"
            )
        return self.ports[number]

    def select_ports(self, numbers: Iterable[int] | None) -> list[Port]:
        """Return the existing ports among numbers (all when None), in order, without repeats."""
        if numbers is None:
            return list(self.ports)
        chosen = dict.fromkeys(n for n in numbers if 0 <= n < len(self.ports))
        return [self.ports[n] for n in chosen]

    def set_profile(self, number: int, profile: SimProfile) -> None:
        """Swap or change the SIM state of a port and push a register event."""
        port = self.port(number)
        port.end_restart()
        port.powered_off_from = None
        self._push_profile(port, SimProfile(profile))

    def _push_profile(self, port: Port, profile: SimProfile) -> None:
        port.profile = profile
        self._register_sequence += 1
        null = NULL_STRING if self._quirks.null_strings else ""
        self._emit(
            "register",
            {
                "register": [
                    {
                        "port": port.number,
                        "iccid": port.sim_value("iccid") or null,
                        "imsi": port.sim_value("imsi") or null,
                        "number": port.sim_value("number"),
                        "status": "up" if port.registered else "down",
                        "sequence": self._register_sequence,
                        "slot": port.slot,
                    }
                ]
            },
        )

    def set_signal(self, number: int, signal: int) -> None:
        """Set a port's signal quality (0-31, or 99 unknown)."""
        if not (0 <= signal <= 31 or signal == SIGNAL_UNKNOWN):
            raise ValueError(f"signal must be 0-31 or 99, not {signal}")
        self.port(number).signal = signal

    def set_remain_credit(self, number: int, credit: str) -> None:
        """Set the remain_credit string a port reports."""
        self.port(number).remain_credit = credit

    def set_billing(self, number: int, name: str, value: str) -> None:
        """Set one of the billing strings (BILLING_INFO_TYPES) a port reports."""
        if name not in BILLING_INFO_TYPES:
            raise ValueError(f"{name} is not one of {BILLING_INFO_TYPES}")
        setattr(self.port(number), name, value)

    def set_call_state(self, number: int, call_state: str) -> None:
        """Set the callstate string a port reports (Idle, Ringing, Active...)."""
        self.port(number).call_state = call_state

    def set_restart_outcome(self, number: int, profile: SimProfile | None) -> None:
        """Decide what the port's module settles in after its next restarts (None = as the SIM allows)."""
        self.port(number).restart_outcome = (
            None if profile is None else SimProfile(profile)
        )

    # -- port control (set_port_info) -----------------------------------------------------------

    def port_action(self, number: int, action: str, param: str | None) -> None:
        """Run a set_port_info action; PortActionRefused with the error_code otherwise."""
        if action not in PORT_ACTIONS or not 0 <= number < len(self.ports):
            raise PortActionRefused(400)
        port = self.ports[number]
        match action:
            case "reset":
                if port.powered_off_from is not None:
                    raise PortActionRefused(500)
                self._restart_module(port)
            case "power":
                if param not in ("on", "off"):
                    raise PortActionRefused(400)
                self._power(port, on=param == "on")
            case "slot":
                if (
                    port.slot == NO_SIM_BANK
                    or param is None
                    or param not in {str(slot) for slot in range(SIM_SLOTS)}
                ):
                    raise PortActionRefused(400)
                self._change_slot(port, int(param))
            case "lock" | "unlock":
                port.locked = action == "lock"
            case _:
                port.blocked = action == "block"

    def module_exception(self, number: int, kind: str) -> None:
        """Reset a module as the box does by itself after a fault of kind (pushes exception_info)."""
        port = self.port(number)
        self._emit(
            "exception_info",
            {"exception_info": {"port": port.number, "type": kind, "action": "reset"}},
        )
        if port.powered_off_from is None:
            self._restart_module(port)

    def _settles_as(self, port: Port) -> SimProfile:
        if port.restart_outcome is not None:
            return port.restart_outcome
        before = port.powered_off_from or port.restart_target or port.profile
        return SimProfile.REGISTERED if before in _SIM_READABLE else before

    def _power(self, port: Port, *, on: bool) -> None:
        if on:
            if port.powered_off_from is not None:
                self._restart_module(port)
            return
        if port.powered_off_from is not None:
            return
        target = port.restart_target
        port.end_restart()
        port.end_ussd_exchange()
        port.powered_off_from = target or port.profile
        self._push_profile(port, SimProfile.POWER_OFF)

    def _change_slot(self, port: Port, slot: int) -> None:
        if slot not in port.bank:
            port.bank[slot] = make_sim(
                random.Random(f"{self._config.seed}:{port.number}:{slot}")
            )
        port.bank.setdefault(port.slot, port.sim)
        port.slot = slot
        port.sim = port.bank[slot]
        if port.powered_off_from is None:
            self._restart_module(port)

    def _restart_module(self, port: Port) -> None:
        target = self._settles_as(port)
        port.end_restart()
        port.end_ussd_exchange()
        port.powered_off_from = None
        port.restart_target = target
        self._push_profile(port, SimProfile.SEARCHING)
        port.restart = self._tasks.spawn(self._settle(port, target))

    async def _settle(self, port: Port, target: SimProfile) -> None:
        await self._clock.sleep(self._config.module_restart_seconds)
        port.restart = None
        port.restart_target = None
        self._push_profile(port, target)

    # -- gateway status (get_status) ---------------------------------------------------------------

    def set_performance(self, **values: str) -> None:
        """Change get_status' performance strings (cpu_used, memory_used, ...)."""
        if unknown := set(values) - set(DEFAULT_PERFORMANCE):
            raise ValueError(f"unknown performance values: {sorted(unknown)}")
        self.performance.update(values)

    # -- sending -------------------------------------------------------------------------------

    def set_delivery_outcome(self, number: str, outcome: DeliveryOutcome) -> None:
        """Decide what happens to SMS sent to number from now on."""
        if outcome.status_codes is not None and any(
            not 0 <= code <= 255 for code in outcome.status_codes
        ):
            raise ValueError("TP-Status codes are 0-255")
        self._outcomes[number] = outcome

    def submit(self, request: SendRequest) -> tuple[int, int]:
        """Queue one SMS per recipient; returns (SMS in queue, task id). NoUsablePort if none fits."""
        usable = [port for port in self.select_ports(request.ports) if port.registered]
        if not usable:
            raise NoUsablePort
        task_id = self._next_task_id
        self._next_task_id += 1
        jobs: list[_Job] = []
        for recipient in request.recipients:
            port = min(usable, key=lambda candidate: candidate.load)
            text = substitute_params(request.text, recipient.text_params)
            if request.encoding is SmsEncoding.GSM7:
                text = to_gsm7(text)
            segments = count_segments(text, request.encoding)
            sms = SentSms(
                port=port.number,
                number=recipient.number,
                text=text,
                encoding=request.encoding.value,
                user_id=recipient.user_id,
                task_id=task_id,
                segments=segments,
                ref_id=port.next_ref_id,
                request_status_report=request.request_status_report,
                imsi=port.sim.imsi,
                time=self._clock.stamp(),
            )
            port.next_ref_id = (port.next_ref_id + segments) % 256
            outcome = self._outcomes.get(recipient.number, DeliveryOutcome())
            job = _Job(
                sms=sms,
                send_delays=[
                    self._clock.jittered(self._config.send_seconds)
                    for _ in range(segments)
                ],
                report_delays=[
                    self._clock.jittered(self._config.report_seconds)
                    for _ in outcome.status_codes or ()
                ],
                outcome=outcome,
            )
            self.sent.append(sms)
            jobs.append(job)
            port.queue.append(job)
            if port.sender is None:
                port.sender = self._tasks.spawn(self._send_queue(port))
        self._tasks_sms[task_id] = jobs
        return self.in_queue(), task_id

    def in_queue(self) -> int:
        """SMS accepted but not yet sent."""
        return sum(port.load for port in self.ports)

    def stop_task(self, task_id: int) -> bool:
        """Fail the task's SMS still waiting; False if the task is unknown."""
        jobs = self._tasks_sms.get(task_id)
        if jobs is None:
            return False
        for job in jobs:
            port = self.ports[job.sms.port]
            if job in port.queue:
                port.queue.remove(job)
                self._finish(job.sms, SmsStatus.FAILED)
        return True

    def results(self, record_filter: RecordFilter) -> list[SentSms]:
        """query_sms_result rows, oldest first."""
        return [
            sms
            for sms in self.sent[self._results_start :]
            if record_filter.matches(sms.port, sms.number, sms.time, sms.user_id)
        ]

    def reports(self, record_filter: RecordFilter) -> list[DeliveryReport]:
        """query_sms_deliver_status rows, in arrival order."""
        return [
            report
            for report in self.delivery_reports
            if record_filter.matches(report.port, report.number, report.time)
        ]

    async def _send_queue(self, port: Port) -> None:
        try:
            while port.queue:
                job = port.on_air = port.queue.popleft()
                await self._transmit(port, job)
                port.on_air = None
        finally:
            port.sender = None

    async def _transmit(self, port: Port, job: _Job) -> None:
        sms = job.sms
        sms.time = self._clock.stamp()
        if not port.registered:
            self._finish(sms, SmsStatus.FAILED)
            return
        if job.outcome.send_fails or sms.segments > MAX_PARTS:
            await self._clock.sleep(job.send_delays[0])
            self._finish(sms, SmsStatus.FAILED)
            return
        for delay in job.send_delays:
            await self._clock.sleep(delay)
            sms.succ_count += 1
        self._finish(sms, SmsStatus.SENT_OK)
        if sms.request_status_report and job.report_delays:
            self._tasks.spawn(self._report_delivery(job))

    async def _report_delivery(self, job: _Job) -> None:
        sms = job.sms
        for code, delay in zip(
            job.outcome.status_codes or (), job.report_delays, strict=True
        ):
            await self._clock.sleep(delay)
            stamp = self._clock.stamp()
            reports = [
                DeliveryReport(sms.port, sms.number, stamp, ref_id, code, sms.imsi)
                for ref_id in sms.part_ref_ids
            ]
            sms.reports.extend(reports)
            self.delivery_reports.extend(reports)
            self._emit(
                "sms_deliver_status",
                {"sms_deliver_status": [r.as_row() for r in reports]},
            )
            # TP-Status 0-31: the transaction completed (3GPP TS 23.040 9.2.3.15).
            if sms.status is SmsStatus.SENT_OK and code < 32:
                self._finish(sms, SmsStatus.DELIVERED)

    def _finish(self, sms: SentSms, status: SmsStatus) -> None:
        sms.status = status
        if status is SmsStatus.FAILED:
            sms.succ_count = 0
        self._emit("sms_result", {"sms_result": [sms.as_row()]})

    # -- receiving -----------------------------------------------------------------------------

    def receive(
        self, number: int, sender: str, text: str, smsc: str, timestamp: str
    ) -> IncomingSms:
        """Store an SMS that arrived on a port and push it."""
        port = self.port(number)
        sms = IncomingSms(
            self._next_incoming_id, port.number, sender, smsc, timestamp, text
        )
        self._next_incoming_id += 1
        self.inbox.append(sms)
        self._emit("sms", {"sms": [sms.as_row()]})
        return sms

    def read_incoming(
        self, *, after: int, flag: str, ports: Iterable[int] | None, limit: int | None
    ) -> tuple[list[IncomingSms], int, int]:
        """query_incoming_sms: rows oldest first, then the device-wide read and unread counts.

        Reading with flag "unread" marks the returned rows read.
        """
        wanted_ports = None if ports is None else frozenset(ports)
        rows = [
            sms
            for sms in self.inbox
            if sms.incoming_sms_id > after
            and (wanted_ports is None or sms.port in wanted_ports)
            and (flag == "all" or sms.read == (flag == "read"))
        ][:limit]
        if flag == "unread":
            for sms in rows:
                sms.read = True
        read = sum(sms.read for sms in self.inbox)
        return rows, read, len(self.inbox) - read

    # -- USSD ----------------------------------------------------------------------------------

    def send_ussd(self, numbers: Sequence[int], text: str) -> list[tuple[int, int]]:
        """Start a USSD exchange on each port; per port 200 sent, 486 busy, 503 not available."""
        statuses: list[tuple[int, int]] = []
        for number in numbers:
            if not 0 <= number < len(self.ports) or not self.ports[number].registered:
                statuses.append((number, 503))
                continue
            port = self.ports[number]
            if port.load or port.ussd_exchange is not None:
                statuses.append((number, 486))
                continue
            answer = self.ussd_network.answer(
                number, text, menu_open=port.ussd_menu_open, own_number=port.sim.number
            )
            port.ussd_text = ""
            port.ussd_menu_open = answer.menu_open
            if answer.reply is None:
                port.ussd_exchange = self._tasks.spawn(
                    self._ussd_silence(port), background=True
                )
            else:
                delay = self._clock.jittered(answer.delay)
                port.ussd_exchange = self._tasks.spawn(
                    self._ussd_answer(port, answer.reply, delay)
                )
            statuses.append((number, 200))
        return statuses

    def cancel_ussd(self, numbers: Sequence[int]) -> list[tuple[int, int]]:
        """Tear down the USSD sessions of ports; the last reply stays readable."""
        statuses: list[tuple[int, int]] = []
        for number in numbers:
            if not 0 <= number < len(self.ports) or not self.ports[number].registered:
                statuses.append((number, 503))
                continue
            self.ports[number].end_ussd_exchange()
            statuses.append((number, 200))
        return statuses

    def ussd_replies(self, numbers: Iterable[int]) -> list[tuple[int, str]]:
        """query_ussd_reply: the last reply per existing port ("" until one arrives)."""
        return [(port.number, port.ussd_text) for port in self.select_ports(numbers)]

    async def _ussd_answer(self, port: Port, reply: str, delay: float) -> None:
        await self._clock.sleep(delay)
        port.ussd_exchange = None
        port.ussd_text = reply
        self._emit("ussd", {"ussd": [{"port": port.number, "text": reply}]})

    async def _ussd_silence(self, port: Port) -> None:
        await self._clock.sleep(self._config.ussd_timeout_seconds)
        port.ussd_exchange = None
        port.ussd_menu_open = False

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether sends, reports or USSD answers are still scheduled."""
        return self._tasks.busy

    async def wait_idle(self) -> None:
        """Wait until queues are empty and every scheduled report and answer is done."""
        await self._tasks.wait_idle()

    async def shutdown(self) -> None:
        """Cancel everything scheduled."""
        await self._tasks.cancel_all()

    async def reboot(self, *, reset_ids: bool) -> None:
        """Power-cycle: queues failed, exchanges dropped; reset_ids also empties the tables."""
        unsent = [
            job for port in self.ports for job in (port.on_air, *port.queue) if job
        ]
        await self._tasks.cancel_all()
        for job in unsent:
            job.sms.status = SmsStatus.FAILED
            job.sms.succ_count = 0
        for port in self.ports:
            if port.restart_target is not None:
                # The module finishes its restart while the box boots.
                port.profile = port.restart_target
                port.restart = port.restart_target = None
            port.queue.clear()
            port.on_air = None
            port.sender = None
            port.ussd_exchange = None
            port.ussd_menu_open = False
            port.ussd_text = ""
        self._tasks_sms.clear()
        if reset_ids:
            self.inbox.clear()
            self.delivery_reports.clear()
            self._results_start = len(self.sent)
            self._next_incoming_id = 1
            self._next_task_id = 1
