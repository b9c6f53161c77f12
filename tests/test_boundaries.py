"""Keep the boundary honest: nothing outside ``components/ui`` and ``app.py`` imports Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components.config import PROJECT_ROOT

PURE_MODULES = sorted(
    path for path in (PROJECT_ROOT / "components").rglob("*.py") if "ui" not in path.relative_to(PROJECT_ROOT).parts
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_there_are_pure_modules_to_check() -> None:
    assert {"render.py", "annotations.py", "pipeline.py"} <= {path.name for path in PURE_MODULES}


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda path: str(path.relative_to(PROJECT_ROOT)))
def test_pure_module_does_not_import_streamlit(path: Path) -> None:
    assert "streamlit" not in imported_modules(path)
