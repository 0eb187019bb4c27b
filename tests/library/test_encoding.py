"""Segment counting and alphabet choice (3GPP TS 23.038 / 23.040)."""

from __future__ import annotations

import pytest

from pydinstar import (
    MAX_SEGMENTS,
    SmsEncoding,
    best_encoding,
    count_segments,
    fits_gsm7,
)

GSM7 = SmsEncoding.GSM7
UCS2 = SmsEncoding.UNICODE


def test_encoding_values_are_the_wire_strings() -> None:
    """The enum values are what send_sms puts in `encoding`."""
    assert str(SmsEncoding.GSM7) == "gsm-7bit"
    assert str(SmsEncoding.UNICODE) == "unicode"
    assert MAX_SEGMENTS == 10


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 153 * 2, 2),
        ("a" * (153 * 2 + 1), 3),
        ("a" * 153 * 10, 10),
        ("a" * (153 * 10 + 1), 11),
    ],
)
def test_gsm7_boundaries(text: str, segments: int) -> None:
    """160 septets fit one SMS; concatenated parts carry 153."""
    assert count_segments(text, GSM7) == segments


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("€" * 80, 1),  # 160 septets
        ("€" * 80 + "a", 2),  # 161 septets
        ("[" * 81, 2),
        ("^{}\\[~]|\f€" * 8, 1),  # the whole extension table: 160 septets
        ("^{}\\[~]|\f€" * 8 + "a", 2),
    ],
    ids=["160", "161", "162", "table-160", "table-161"],
)
def test_gsm7_extension_characters_count_double(text: str, segments: int) -> None:
    """An extension character is an escape plus a code: two septets."""
    assert count_segments(text, GSM7) == segments


def test_gsm7_escape_is_never_split_across_parts() -> None:
    """152 + € would end part one at 154 septets, so € opens part two."""
    text = "a" * 152 + "€" + "a" * 152  # 306 septets: two parts if € could be split
    assert count_segments(text, GSM7) == 3
    assert count_segments("a" * 151 + "€" + "a" * 153, GSM7) == 2


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("ж" * 70, 1),
        ("ж" * 71, 2),
        ("ж" * 67 * 2, 2),
        ("ж" * (67 * 2 + 1), 3),
        ("ж" * 67 * 10, 10),
        ("a" * 71, 2),  # GSM text sent as UCS-2 counts UTF-16 units
    ],
)
def test_ucs2_boundaries(text: str, segments: int) -> None:
    """70 UTF-16 units fit one SMS; concatenated parts carry 67."""
    assert count_segments(text, UCS2) == segments


def test_emoji_are_surrogate_pairs_never_split() -> None:
    """An emoji outside the BMP takes two UTF-16 units and stays whole."""
    assert count_segments("😀" * 35, UCS2) == 1  # 70 units
    assert count_segments("😀" * 35 + "a", UCS2) == 2  # 71 units
    # 66 + 2 would end part one at 68 units, so the emoji opens part two.
    assert count_segments("a" * 66 + "😀" + "a" * 66, UCS2) == 3
    assert count_segments("a" * 65 + "😀" + "a" * 67, UCS2) == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello, world!",
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ",
        "¡¿ÄÖÑÜ§äöñüà",
        "^{}\\[~]|€\f",
    ],
)
def test_fits_gsm7(text: str) -> None:
    """Basic and extension table characters fit the GSM alphabet."""
    assert fits_gsm7(text)
    assert best_encoding(text) is SmsEncoding.GSM7


@pytest.mark.parametrize("text", ["Привет", "ç", "`", "\t", "😀", "Hello ✓", "中文"])
def test_does_not_fit_gsm7(text: str) -> None:
    """One character outside both tables is enough to need UCS-2."""
    assert not fits_gsm7(text)
    assert best_encoding(text) is SmsEncoding.UNICODE
