"""The codebase keeps the shape a newcomer can live in: small modules, one name for one
job, one place where the ledger is built, and layers that import downwards only (that
projections know events by their classes: tests/projections/test_kinds_name_event_classes.py).

These read the source files (``ast``), never run them.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("domain", "projections", "api")
MAX_PRODUCT_LINES = 300
MAX_TEST_LINES = 600


def modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_product_module_is_longer_than_300_lines() -> None:
    long = {
        relative(p): n
        for p in modules(*PRODUCT)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_PRODUCT_LINES
    }
    assert long == {}


def test_no_test_module_is_longer_than_600_lines() -> None:
    long = {
        relative(p): n
        for p in modules("tests")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_TEST_LINES
    }
    assert long == {}


def test_no_two_product_modules_share_a_name() -> None:
    names = Counter(
        p.stem for p in modules(*PRODUCT) if p.stem not in ("__init__", "__main__", "main")
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_the_ledger_is_built_in_exactly_one_product_module() -> None:
    building = [
        relative(p)
        for p in modules(*PRODUCT)
        if any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Ledger"
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        )
    ]
    assert building == ["api/bootstrap.py"]


@pytest.mark.parametrize(
    ("layer", "never"),
    [
        ("domain", ("api", "projections", "sqlalchemy.orm", "starlette", "strawberry")),
        ("projections", ("api",)),
        ("api/runtime", ("api.graphql", "api.http", "api.cli")),
        ("api/graphql", ("api.http", "api.cli")),
        ("api/http", ("api.cli",)),
    ],
)
def test_each_layer_imports_only_the_layers_below_it(layer: str, never: tuple[str, ...]) -> None:
    upward = {
        relative(p): sorted(m for m in imported_modules(p) if m.startswith(never))
        for p in modules(layer)
    }
    assert {path: found for path, found in upward.items() if found} == {}
