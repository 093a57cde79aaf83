"""The layout's rules that a reader relies on: every import of the three packages is at the top
of its module, where the dependencies can be read at a glance (and the import graph drawn),
and no module is longer than a reader can hold (migrations aside)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("contactpoint", "workflows", "agencies")
LONGEST_MODULE = 300  # lines


def _modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _nested_imports(tree: ast.Module) -> list[int]:
    """Lines of imports inside a function or a class body."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.append(inner.lineno)
    return lines


def test_the_rule_sees_an_import_inside_a_function() -> None:
    tree = ast.parse("import os\n\ndef f():\n    import json\n    return json\n")
    assert _nested_imports(tree) == [4]


def test_no_import_inside_a_function() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules()
        for line in _nested_imports(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_no_module_is_longer_than_a_reader_can_hold() -> None:
    lines = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    found = {str(p.relative_to(ROOT)): n for p, n in lines.items() if n > LONGEST_MODULE}
    assert found == {}
