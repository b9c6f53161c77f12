"""The layout keeps the design: each package of ``components/`` imports only what its docstring allows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components.config import PROJECT_ROOT

COMPONENTS = PROJECT_ROOT / "components"

# package -> the packages of ours it may import (besides itself and ``components.config``)
ALLOWED: dict[str, set[str]] = {
    "nlp": set(),
    "access": set(),
    "annotations": {"nlp", "access"},
    "views": {"nlp", "annotations"},
    "corpus": {"nlp", "annotations", "views", "access"},
    "ui": {"nlp", "annotations", "views", "corpus", "access"},
    "cli": {"nlp", "annotations", "corpus", "access"},
    "config": set(),
}
# Third-party packages only the page may use.
PAGE_ONLY = {"streamlit"}


def package_of(path: Path) -> str:
    """Return the package a module of ``components/`` belongs to (``cli``, ``config`` for the top-level ones)."""
    relative = path.relative_to(COMPONENTS)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_modules(path: Path) -> set[str]:
    """Return every module a source file imports, at the top or inside functions, as dotted names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # ``from components import nlp`` names packages in its aliases
            if node.module == "components":
                found.update(f"components.{alias.name}" for alias in node.names)
    return found


MODULES = sorted(p for p in COMPONENTS.rglob("*.py") if p.name != "__init__.py" or p.parent != COMPONENTS)


def test_every_package_says_what_it_holds_and_may_import() -> None:
    for package in (p for p in COMPONENTS.iterdir() if p.is_dir() and not p.name.startswith("__")):
        init = package / "__init__.py"
        assert init.is_file(), f"{package.name}/ has no __init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and "import" in docstring, (
            f"{package.name}/__init__.py does not say what it may import"
        )
        assert package.name in ALLOWED, f"{package.name}/ has no import rule in this test"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(COMPONENTS)))
def test_a_module_imports_only_what_its_package_allows(path: Path) -> None:
    package = package_of(path)
    allowed = ALLOWED[package] | {package, "config"}
    for module in imported_modules(path):
        top = module.split(".")[0]
        if top in PAGE_ONLY:
            assert package == "ui", (
                f"{path.relative_to(PROJECT_ROOT)} imports {module}: only components/ui/ may"
            )
        if top == "components" and module != "components":
            ours = module.split(".")[1]
            assert ours in allowed, f"{path.relative_to(PROJECT_ROOT)} ({package}) imports {module}"


def test_the_rules_see_what_they_forbid(tmp_path: Path) -> None:
    """The checker itself finds imports inside functions and package aliases (so the test can fail)."""
    source = tmp_path / "sample.py"
    source.write_text("def f():\n    import streamlit as st\n    from components import annotations\n")
    assert imported_modules(source) == {"streamlit", "components", "components.annotations"}


# --- sizes: every module readable in one sitting ----------------------------------------------------

MAX_MODULE_LINES = 450
MAX_CLASS_LINES = 200
# Pure data modules (tables of names and codes, read as data rather than logic) are named *_data.py.
DATA_MODULE_SUFFIX = "_data.py"
# Modules whose split is under way in another task when this test was written; each entry goes when
# that split lands. Nothing else may pass the limits.
SPLITS_UNDER_WAY: dict[str, str] = {}  # module -> the split it waits for; empty now


def oversized(path: Path) -> list[str]:
    """Return what in a source file passes the size limits: the module's lines, and each class's."""
    source = path.read_text(encoding="utf-8")
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{lines} lines (at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
            found.append(
                f"class {node.name}: {node.end_lineno - node.lineno + 1} lines (at most {MAX_CLASS_LINES})"
            )
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(COMPONENTS)))
def test_no_module_passes_450_lines_and_no_class_200(path: Path) -> None:
    name = path.relative_to(COMPONENTS).as_posix()
    if path.name.endswith(DATA_MODULE_SUFFIX) or name in SPLITS_UNDER_WAY:
        return
    assert not oversized(path), f"{name}: {'; '.join(oversized(path))}: split it along a real seam"


def test_the_size_rule_sees_what_it_forbids(tmp_path: Path) -> None:
    """The checker counts a module's lines and each class's, nested classes too (so the test can fail)."""
    source = tmp_path / "sample.py"
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_CLASS_LINES))
    source.write_text(f"class Outer:\n    class Inner:\n    {body.replace(chr(10), chr(10) + '    ')}\n")
    assert [problem.split(":")[0] for problem in oversized(source)] == ["class Outer", "class Inner"]
    source.write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert oversized(source) == [f"{MAX_MODULE_LINES + 1} lines (at most {MAX_MODULE_LINES})"]
