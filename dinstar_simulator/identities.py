"""Realistic, seed-determined hardware and SIM identities: IMEI, IMSI, ICCID, own number, SMSC."""

from __future__ import annotations

from dataclasses import dataclass
import random

# Type allocation codes of the GSM/LTE modules in the vendor document's examples.
MODULE_TACS = ("86307001", "35896704")


@dataclass(frozen=True)
class Operator:
    """A mobile network a simulated SIM belongs to."""

    mcc_mnc: str
    country_code: str
    iccid_issuer: str
    number_prefixes: tuple[str, ...]
    smsc: str


OPERATORS = (
    Operator("26201", "49", "01", ("151", "160", "170", "171", "175"), "+491710760000"),
    Operator("26202", "49", "02", ("152", "162", "172", "173", "174"), "+491722270333"),
    Operator("26203", "49", "03", ("157", "159", "163", "176", "177"), "+491760000443"),
)


@dataclass(frozen=True)
class SimIdentity:
    """What a SIM card tells the gateway about itself."""

    imsi: str
    iccid: str
    number: str
    smsc: str


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn check digit that IMEIs and ICCIDs end with."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def make_imei(rng: random.Random) -> str:
    """Make a 15-digit IMEI with a valid check digit."""
    body = rng.choice(MODULE_TACS) + _digits(rng, 6)
    return body + luhn_check_digit(body)


def make_sim(rng: random.Random) -> SimIdentity:
    """Make a SIM of one of the known operators, with consistent IMSI, ICCID, number and SMSC."""
    operator = rng.choice(OPERATORS)
    iccid_body = "89" + operator.country_code + operator.iccid_issuer + _digits(rng, 13)
    return SimIdentity(
        imsi=operator.mcc_mnc + _digits(rng, 10),
        iccid=iccid_body + luhn_check_digit(iccid_body),
        number=f"+{operator.country_code}{rng.choice(operator.number_prefixes)}{_digits(rng, 8)}",
        smsc=operator.smsc,
    )
