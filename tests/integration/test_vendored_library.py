"""The integration ships the library's source and imports that copy, never an installed `pydinstar`."""

from __future__ import annotations

import ast
from pathlib import Path

INTEGRATION = Path(__file__).parents[2] / "custom_components" / "dinstar"


def test_integration_imports_its_own_copy() -> None:
    """An absolute `pydinstar` import would fail on a HACS install, which has no such package."""
    absolute = []
    for path in INTEGRATION.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            else:
                continue
            absolute += [
                f"{path.relative_to(INTEGRATION)}: {module}"
                for module in modules
                if module.partition(".")[0] == "pydinstar"
            ]
    assert absolute == []
