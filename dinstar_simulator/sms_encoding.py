"""SMS alphabets and segment arithmetic (3GPP TS 23.038 / 23.040) as the gateway applies them."""

from __future__ import annotations

from enum import StrEnum

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table: an escape septet plus one, so they count double.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
MAX_PARTS = 10


class SmsEncoding(StrEnum):
    """The `encoding` values send_sms accepts."""

    UNICODE = "unicode"
    GSM7 = "gsm-7bit"


def to_gsm7(text: str) -> str:
    """Return what arrives when text is sent as gsm-7bit (the gateway never switches to UCS-2)."""
    return "".join(
        char if char in GSM7_BASIC or char in GSM7_EXTENSION else "?" for char in text
    )


def _units(text: str, encoding: SmsEncoding) -> list[int]:
    """Return the size of every character in the encoding's units (septets or UTF-16 code units)."""
    if encoding is SmsEncoding.GSM7:
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def count_segments(text: str, encoding: SmsEncoding) -> int:
    """Parts needed for text: 160/153 septets or 70/67 UTF-16 units; characters never split."""
    single, multi = (160, 153) if encoding is SmsEncoding.GSM7 else (70, 67)
    units = _units(text, encoding)
    if sum(units) <= single:
        return 1
    parts, used = 1, 0
    for size in units:
        if used + size > multi:
            parts, used = parts + 1, 0
        used += size
    return parts
