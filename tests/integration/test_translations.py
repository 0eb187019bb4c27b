"""Every translation key the code uses exists; the shipped translations are complete.

translations/en.json is strings.json with its references resolved (tests/translations.py,
written by scripts/translations); every other language has exactly its keys and placeholders.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
import json
import re
from typing import Any

import pytest

from tests.translations import INTEGRATION, TRANSLATIONS, english

STRINGS = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))

# Which strings.json section a translation key belongs to, by what receives it.
_EXCEPTIONS = frozenset(
    {
        "ConfigEntryAuthFailed",
        "ConfigEntryError",
        "ConfigEntryNotReady",
        "HomeAssistantError",
        "ServiceValidationError",
        "UpdateFailed",
    }
)


def _sections() -> dict[str, set[str]]:
    """Return the keys strings.json defines, per kind of use."""
    flows = (
        STRINGS["config"],
        STRINGS["options"],
        *STRINGS.get("config_subentries", {}).values(),
    )
    return {
        "exceptions": set(STRINGS["exceptions"]),
        "issues": set(STRINGS["issues"]),
        "entity": {key for keys in STRINGS["entity"].values() for key in keys},
        "selector": set(STRINGS["selector"]),
        "device": set(STRINGS["device"]),
        "error": {key for flow in flows for key in flow.get("error", {})},
        "abort": {key for flow in flows for key in flow.get("abort", {})},
    }


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _section_of_call(name: str) -> str | None:
    if name in _EXCEPTIONS or name.startswith(("_invalid", "invalid_")):
        return "exceptions"
    if name.endswith("create_issue"):
        return "issues"
    if name.endswith("Description"):
        return "entity"
    if name.endswith("SelectorConfig"):
        return "selector"
    if name == "DeviceInfo":
        return "device"
    return None


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _used_keys() -> Iterator[tuple[str, str, str]]:
    """Yield (module, section, key) for every literal translation key in the code."""
    for path in sorted(INTEGRATION.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = str(path.relative_to(INTEGRATION))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                section = _section_of_call(_callee(node))
                for keyword in node.keywords:
                    if keyword.arg == "reason" and (key := _string(keyword.value)):
                        yield module, "abort", key
                    if keyword.arg != "translation_key" or section is None:
                        continue
                    if key := _string(keyword.value):
                        yield module, section, key
                    elif isinstance(keyword.value, ast.Call):
                        # A lookup with a default: _ERRORS.get(status, "failed").
                        for arg in keyword.value.args[1:]:
                            if key := _string(arg):
                                yield module, section, key
                if (
                    section == "exceptions"
                    and node.args
                    and (key := _string(node.args[0]))
                ):
                    yield module, section, key
            elif isinstance(node, ast.Assign):
                target = node.targets[0]
                # errors["base"] = "cannot_connect" in the flows
                if (
                    isinstance(target, ast.Subscript)
                    and getattr(target.value, "id", "") == "errors"
                    and (key := _string(node.value))
                ):
                    yield module, "error", key
                # Module-level tables of keys: _SIM_LOCKED_KEYS, _STATUS_ERRORS.
                name = getattr(target, "id", "")
                if isinstance(node.value, ast.Dict) and name.endswith(
                    ("_KEYS", "_ERRORS")
                ):
                    section = "issues" if name.endswith("_KEYS") else "exceptions"
                    for value in node.value.values:
                        if key := _string(value):
                            yield module, section, key
            elif isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Dict):
                name = getattr(node.target, "id", "")
                if name.endswith("_ERRORS"):
                    for value in node.value.values:
                        if key := _string(value):
                            yield module, "exceptions", key


USED = sorted(set(_used_keys()))


# The languages the integration ships (issue #11); more may come, none may go.
LANGUAGES = frozenset(
    {
        "de",
        "en",
        "es",
        "fr",
        "it",
        "nl",
        "pl",
        "pt",
        "pt-BR",
        "ru",
        "tr",
        "uk",
        "zh-Hans",
    }
)
SHIPPED = sorted(path.stem for path in TRANSLATIONS.glob("*.json"))
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _load(language: str) -> dict[str, Any]:
    text = (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    tree: dict[str, Any] = json.loads(text)
    return tree


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Return {"config.step.user.title": text, ...} for every string of a tree."""
    leaves: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            leaves |= _leaves(value, f"{prefix}{key}.")
        else:
            leaves[f"{prefix}{key}"] = value
    return leaves


def test_english_translation_is_strings_resolved() -> None:
    """translations/en.json is strings.json with Home Assistant's references resolved.

    Run scripts/translations to write it after changing strings.json.
    """
    assert _load("en") == english()


def test_the_languages_of_issue_11_ship() -> None:
    """Every language the integration promises has its file.

    Before the branches of both translators are merged, this fails naming the missing ones.
    """
    assert sorted(LANGUAGES - set(SHIPPED)) == []


@pytest.mark.parametrize("language", SHIPPED)
def test_translation_has_no_references(language: str) -> None:
    """Home Assistant serves a custom integration's translations as they are."""
    text = (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    assert "[%key:" not in text


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_translation_matches_english(language: str) -> None:
    """A language has exactly en.json's keys, and each text its placeholders."""
    reference = _leaves(_load("en"))
    translated = _leaves(_load(language))
    assert sorted(reference.keys() - translated.keys()) == [], "missing keys"
    assert sorted(translated.keys() - reference.keys()) == [], "keys not in en.json"
    wrong = {
        key: (
            sorted(set(_PLACEHOLDER.findall(text))),
            sorted(set(_PLACEHOLDER.findall(reference[key]))),
        )
        for key, text in translated.items()
        if set(_PLACEHOLDER.findall(text)) != set(_PLACEHOLDER.findall(reference[key]))
    }
    assert wrong == {}, "placeholders differ (translated, English)"
    assert [key for key, text in translated.items() if not text.strip()] == []


def test_the_scan_finds_keys_of_every_kind() -> None:
    """The scan below sees every kind of use, so it cannot pass by seeing nothing."""
    assert {section for _, section, _ in USED} == {
        "exceptions",
        "issues",
        "entity",
        "selector",
        "device",
        "error",
        "abort",
    }


@pytest.mark.parametrize(("module", "section", "key"), USED)
def test_translation_key_exists(module: str, section: str, key: str) -> None:
    """Every key the code passes has its text in strings.json."""
    sections: dict[str, Any] = _sections()
    assert key in sections[section], f"{module}: {section} key {key!r} missing"
