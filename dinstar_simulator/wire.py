"""JSON as the gateway writes it: compact, UTF-8, and with the vendor document's trailing commas on demand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import json
from typing import Any


class TrailingCommaList(list[Any]):
    """A list the firmware closes with `,]` (incoming SMS rows)."""


class TrailingCommaObject(dict[str, Any]):
    """An object the firmware closes with `, }` (port info rows)."""


def render(value: Any, *, trailing_commas: bool = False) -> str:
    """Serialize like the firmware; marked containers get their trailing comma when asked."""
    if isinstance(value, Mapping):
        members = ",".join(
            f"{json.dumps(key, ensure_ascii=False)}:{render(item, trailing_commas=trailing_commas)}"
            for key, item in value.items()
        )
        if trailing_commas and isinstance(value, TrailingCommaObject) and members:
            return "{" + members + ", }"
        return "{" + members + "}"
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        elements = ",".join(
            render(item, trailing_commas=trailing_commas) for item in value
        )
        if trailing_commas and isinstance(value, TrailingCommaList) and elements:
            return "[" + elements + ",]"
        return "[" + elements + "]"
    return json.dumps(value, ensure_ascii=False)


def truncate(body: str) -> str:
    """Cut a reply off mid-way, as when the device's writer gives up (the malformed_body fault)."""
    return body[: max(1, len(body) * 2 // 3)]
