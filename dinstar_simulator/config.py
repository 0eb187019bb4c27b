"""How a simulated gateway is built: model size, credentials, firmware generation, timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
import secrets

PUSH_EVENT_KINDS: frozenset[str] = frozenset(
    {
        "sms",
        "sms_result",
        "sms_deliver_status",
        "ussd",
        "register",
        "device",
        "exception_info",
    }
)
PORT_COUNTS: tuple[int, ...] = (4, 8, 16, 32)
# The serial number of the vendor document's examples, which the demo keeps.
DEMO_SERIAL = "da00-0030-1901-2817"


def new_serial() -> str:
    """Return a serial number of its own, four groups of four hex digits like real ones."""
    digits = secrets.token_hex(8)
    return "-".join(digits[start : start + 4] for start in range(0, 16, 4))


class SimProfile(StrEnum):
    """What sits in a port's SIM slot and how far it got with the network."""

    REGISTERED = "registered"
    NO_SIM = "no_sim"
    PIN_REQUIRED = "pin_required"
    PUK_REQUIRED = "puk_required"
    SEARCHING = "searching"
    UNREGISTERED = "unregistered"
    POWER_OFF = "power_off"


@dataclass
class SimulatorConfig:
    """Everything fixed when the simulated gateway is built (delays are device seconds)."""

    ports: int = 4
    username: str = "admin"
    password: str = "admin"
    # Each gateway has its own unless one is given; None imitates 2017 firmware,
    # which sends no "sn" anywhere.
    serial: str | None = field(default_factory=new_serial)
    # API port number -> profile; ports not listed are REGISTERED.
    profiles: dict[int, SimProfile] = field(default_factory=dict)
    network_type: str = "LTE"
    # 100.0 makes every device delay 100 times shorter; latency faults are not scaled.
    clock_speed: float = 1.0
    send_seconds: float = 6.0
    report_seconds: float = 4.0
    accept_basic: bool = False
    lockout_after: int = 5
    lockout_seconds: float = 60.0
    timezone: str = "UTC"
    push_url: str | None = None
    push_events: frozenset[str] = PUSH_EVENT_KINDS
    # False = only the vendor document's port info fields (type, imei, imsi, iccid, smsc, number, reg).
    extended_port_info: bool = True
    max_incoming_rows: int | None = 100
    mac: str = "F8:A0:3D:48:E5:19"
    seed: int = 0
    # Device seconds an unanswered USSD exchange keeps the port busy before the network gives up.
    ussd_timeout_seconds: float = 60.0
    # Device seconds the API stays unreachable while reboot() runs.
    reboot_seconds: float = 0.0
    # Device seconds a module takes to register again after a reset, a power-on or a slot change.
    module_restart_seconds: float = 15.0
    # False = one SIM per port, no SIM bank: get_port_info reports slot 255 and `slot` is refused.
    sim_bank: bool = True

    def __post_init__(self) -> None:
        """Reject configurations no real gateway has."""
        if self.ports not in PORT_COUNTS:
            raise ValueError(f"ports must be one of {PORT_COUNTS}, not {self.ports}")
        if self.clock_speed <= 0:
            raise ValueError("clock_speed must be positive")
        if unknown_ports := [p for p in self.profiles if not 0 <= p < self.ports]:
            raise ValueError(f"profiles name ports the gateway lacks: {unknown_ports}")
        if unknown_events := self.push_events - PUSH_EVENT_KINDS:
            raise ValueError(f"unknown push events: {sorted(unknown_events)}")
        if self.lockout_after < 1:
            raise ValueError("lockout_after must be at least 1")
        if self.max_incoming_rows is not None and self.max_incoming_rows < 1:
            raise ValueError("max_incoming_rows must be at least 1 or None")

    def profile_of(self, port: int) -> SimProfile:
        """Return the profile a port starts with."""
        return self.profiles.get(port, SimProfile.REGISTERED)
