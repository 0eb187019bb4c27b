"""The cards' and the panel's strings exist in every language the integration ships.

frontend/src/translations/<language>.json hold them; each has exactly English's keys and
placeholders (the TypeScript build also fails on a missing key), and localize.ts bundles
every one of them.
"""

from __future__ import annotations

import json
from pathlib import Path
import re

import pytest

from tests.translations import REPO, TRANSLATIONS

FRONTEND = REPO / "frontend" / "src"
FRONTEND_TRANSLATIONS = FRONTEND / "translations"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _load(path: Path) -> dict[str, str]:
    strings: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return strings


ENGLISH = _load(FRONTEND_TRANSLATIONS / "en.json")
LANGUAGES = sorted(path.stem for path in TRANSLATIONS.glob("*.json"))


def test_same_languages_as_the_integration() -> None:
    """The frontend ships the integration's languages, no fewer and no more."""
    assert sorted(path.stem for path in FRONTEND_TRANSLATIONS.glob("*.json")) == (
        LANGUAGES
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_and_placeholder(language: str) -> None:
    """Every language has English's keys, each with English's placeholders."""
    strings = _load(FRONTEND_TRANSLATIONS / f"{language}.json")
    assert sorted(strings) == sorted(ENGLISH)
    for key, text in strings.items():
        assert isinstance(text, str)
        assert text.strip(), key
        assert sorted(_PLACEHOLDER.findall(text)) == sorted(
            _PLACEHOLDER.findall(ENGLISH[key])
        ), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_bundled(language: str) -> None:
    """localize.ts imports every language file, so the bundle carries it."""
    source = (FRONTEND / "localize.ts").read_text(encoding="utf-8")
    assert f'from "./translations/{language}.json";' in source
