"""The installed distribution: what the package imports is what it declares, and no Home Assistant."""

from __future__ import annotations

import ast
from importlib.metadata import requires
from pathlib import Path
import re
import sys

import pydinstar

PACKAGE = Path(pydinstar.__file__).parent


def _imported_top_levels() -> set[str]:
    """Return the top-level names of every absolute import in the package's modules."""
    names: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.partition(".")[0])
    return names


def test_imports_only_the_standard_library_and_its_dependencies() -> None:
    """Every third-party import is a declared dependency; Home Assistant is none of them."""
    declared = {
        re.split(r"[ ;<>=!~\[]", requirement, maxsplit=1)[0].lower()
        for requirement in requires("pydinstar") or []
    }
    third_party = _imported_top_levels() - set(sys.stdlib_module_names) - {"__future__"}
    assert third_party == declared == {"aiohttp", "yarl"}


def test_typed() -> None:
    """The package tells type checkers that it is typed."""
    assert (PACKAGE / "py.typed").is_file()
