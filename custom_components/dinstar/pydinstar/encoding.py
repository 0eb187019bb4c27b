"""SMS alphabets and segment counting (3GPP TS 23.038 and TS 23.040)."""

from __future__ import annotations

from enum import StrEnum

# The GSM 03.38 default alphabet; each character takes one septet.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table; each character takes two septets (escape + code).
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE_SEGMENT = 160
GSM7_CONCATENATED_SEGMENT = 153
UCS2_SINGLE_SEGMENT = 70
UCS2_CONCATENATED_SEGMENT = 67
MAX_SEGMENTS = 10


class SmsEncoding(StrEnum):
    """How the gateway encodes a message; it never switches by itself."""

    UNICODE = "unicode"
    GSM7 = "gsm-7bit"


def fits_gsm7(text: str) -> bool:
    """Return whether every character of text exists in the GSM 7-bit alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def best_encoding(text: str) -> SmsEncoding:
    """Return GSM 7-bit when the text fits its alphabet, else unicode (UCS-2)."""
    return SmsEncoding.GSM7 if fits_gsm7(text) else SmsEncoding.UNICODE


def _units(text: str, encoding: SmsEncoding) -> list[int]:
    """Return the size of each character: septets, or UTF-16 code units."""
    if encoding is SmsEncoding.GSM7:
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def count_segments(text: str, encoding: SmsEncoding) -> int:
    """Return how many SMS segments text takes in the given encoding.

    A character is never split across two segments (an escaped GSM character
    or a UTF-16 surrogate pair stays whole), as phones and gateways do.
    """
    units = _units(text, encoding)
    single, part = (
        (GSM7_SINGLE_SEGMENT, GSM7_CONCATENATED_SEGMENT)
        if encoding is SmsEncoding.GSM7
        else (UCS2_SINGLE_SEGMENT, UCS2_CONCATENATED_SEGMENT)
    )
    if sum(units) <= single:
        return 1
    segments, used = 1, 0
    for size in units:
        if used + size > part:
            segments += 1
            used = 0
        used += size
    return segments
