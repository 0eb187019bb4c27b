"""The shipped English translation: strings.json with its references resolved.

Home Assistant resolves `[%key:...%]` references only when it builds core; a custom
integration's translations/*.json are served as they are. So translations/en.json holds
strings.json with every reference replaced by the text it names, taken from the installed
Home Assistant: its own strings.json (`common::...`) and the resolved translations/en.json
of its components (`component::<domain>::...`), the way core's script/translations/develop.py
flattens and substitutes them.
"""

from __future__ import annotations

from functools import cache
import json
from pathlib import Path
import re
from typing import Any

import homeassistant

REPO = Path(__file__).parents[1]
INTEGRATION = REPO / "custom_components" / "dinstar"
TRANSLATIONS = INTEGRATION / "translations"

_HA = Path(homeassistant.__file__).parent
_REFERENCE = re.compile(r"\[%key:([a-z0-9_]+(?:::[a-z0-9_-]+)+)%\]")


def _flatten(tree: dict[str, Any], prefix: str) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}::")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@cache
def _component_strings(domain: str) -> dict[str, str]:
    path = _HA / "components" / domain / "translations" / "en.json"
    return _flatten(
        json.loads(path.read_text(encoding="utf-8")), f"component::{domain}::"
    )


@cache
def _common_strings() -> dict[str, str]:
    return _flatten(json.loads((_HA / "strings.json").read_text(encoding="utf-8")), "")


def _lookup(key: str) -> str:
    if key.startswith("component::"):
        text = _component_strings(key.split("::")[1]).get(key)
    else:
        text = _common_strings().get(key)
    if text is None:
        raise KeyError(f"Home Assistant has no string {key}")
    return _resolve_text(text)


def _resolve_text(text: str) -> str:
    return _REFERENCE.sub(lambda match: _lookup(match[1]), text)


def resolve(tree: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a strings tree with every reference replaced by its text."""
    return {
        key: resolve(value) if isinstance(value, dict) else _resolve_text(value)
        for key, value in tree.items()
    }


def english() -> dict[str, Any]:
    """Return what translations/en.json must hold."""
    return resolve(
        json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
    )


if __name__ == "__main__":
    # scripts/translations: write translations/en.json from strings.json.
    (TRANSLATIONS / "en.json").write_text(
        json.dumps(english(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
