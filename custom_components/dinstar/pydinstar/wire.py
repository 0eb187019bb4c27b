"""Reading the gateway's JSON, including the malformed JSON real firmware sends."""

from __future__ import annotations

from datetime import datetime
import json
import re
from typing import Any, Final

from aiohttp import StreamReader

from .exceptions import DinstarResponseError

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


async def read_capped(content: StreamReader, limit: int) -> bytes | None:
    """Return a body read from content, or None once it grows past limit bytes.

    For replies and pushes alike: an endless body must not fill the memory.
    """
    body = bytearray()
    while chunk := await content.read(limit + 1 - len(body)):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


# The API's replies and pushes nest three levels (reply, list, row); far deeper
# JSON is not the gateway's, and would exhaust the stack of recursive code.
MAX_DEPTH = 16
_NULL_STRINGS = frozenset({"", "<NULL>"})
# A string (kept as it is) or a comma before a closing bracket (dropped).
_STRING_OR_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*")|,\s*(?=[\]}])')


def _drop_trailing_commas(text: str) -> str:
    """Remove commas that stand right before a closing bracket, outside strings."""
    return _STRING_OR_TRAILING_COMMA.sub(lambda match: match.group(1) or "", text)


def too_deep(value: dict[str, Any] | list[Any], limit: int = MAX_DEPTH) -> bool:
    """Return whether JSON arrays and objects nest deeper than limit (no recursion)."""
    pending: list[tuple[dict[str, Any] | list[Any], int]] = [(value, 1)]
    while pending:
        container, depth = pending.pop()
        children = container.values() if isinstance(container, dict) else container
        for child in children:
            if isinstance(child, (dict, list)):
                if depth == limit:
                    return True
                pending.append((child, depth + 1))
    return False


def _strip_key_colons(value: Any) -> Any:
    """Turn keys such as "result:" (seen in send_ussd replies) into "result"."""
    if isinstance(value, dict):
        return {
            key.rstrip(":").strip(): _strip_key_colons(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_strip_key_colons(item) for item in value]
    return value


def parse_body(body: bytes) -> dict[str, Any]:
    """Parse a reply or push body as a JSON object, whatever its Content-Type."""
    text = body.decode("utf-8", errors="replace").strip()
    value = _loads(text)
    if value is _NOT_JSON:
        value = _loads(_drop_trailing_commas(text))
    if value is _NOT_JSON:
        # Never the body itself: it may hold numbers and message texts. Raised
        # outside the parser's error, which holds the whole body: an error kept
        # (a coordinator's last one) must not keep the body with it.
        raise DinstarResponseError(
            f"The gateway sent a body that is not JSON ({len(body)} bytes)"
        )
    if not isinstance(value, dict):
        raise DinstarResponseError("The gateway sent JSON that is not an object")
    if too_deep(value):
        raise DinstarResponseError(
            f"The gateway sent JSON nested deeper than {MAX_DEPTH} levels"
        )
    return _strip_key_colons(value)  # type: ignore[no-any-return]


# What _loads returns for a text that is not JSON.
_NOT_JSON: Final = object()


def _loads(text: str) -> Any:
    """Parse JSON; _NOT_JSON if it is not (nested too deep for the parser included)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def optional_str(value: Any) -> str | None:
    """Return a string field, None for the device's empty and "<NULL>" values."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text in _NULL_STRINGS else text


def optional_int(value: Any) -> int | None:
    """Return an integer field, None when it is missing or not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def required_int(row: dict[str, Any], key: str) -> int:
    """Return an integer field the API always sends, or fail clearly."""
    if (value := optional_int(row.get(key))) is None:
        raise DinstarResponseError(f"The gateway sent a row with no valid {key!r}")
    return value


def parse_time(value: Any) -> datetime | None:
    """Parse the device's local time ("YYYY-MM-DD HH:MM:SS", no offset)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), TIME_FORMAT)  # noqa: DTZ007
    except ValueError:
        return None


def format_time(value: datetime) -> str:
    """Format a time the way the device expects it in query filters."""
    return value.strftime(TIME_FORMAT)


def rows(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Return the list of objects under key, ignoring anything that is not one."""
    value = body.get(key)
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, dict)]
