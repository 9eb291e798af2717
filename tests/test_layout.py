"""The import rules of docs/architecture.md: the pure packages never import Scrapy, Twisted,
SQLAlchemy or storage; storage never imports Scrapy, Twisted or the crawler's text rules; no
source module grows past 450 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PURE_PACKAGES = ("crawler/extraction", "crawler/feeds", "crawler/keys", "crawler/sources")
PURE_FORBIDDEN = ("scrapy", "twisted", "sqlalchemy", "alembic", "itemadapter", "storage", "pipelines", "spiders",
                  "crawler.cli", "crawler.settings", "crawler.middlewares", "crawler.resolver", "crawler.extraction_pool")
STORAGE_FORBIDDEN = ("scrapy", "twisted", "itemadapter", "crawler", "pipelines", "spiders")
SOURCE_DIRS = ("crawler", "spiders", "pipelines", "storage")


def modules_under(folder: str) -> list[Path]:
    return sorted(p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (function-level imports too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def violations(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in paths:
        for name in sorted(imported_names(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path} imports {name}")
    return found


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_framework(package):
    assert violations(modules_under(package), PURE_FORBIDDEN) == []


def test_storage_does_not_know_scrapy_or_text_rules():
    assert violations(modules_under("storage"), STORAGE_FORBIDDEN) == []


def test_pure_packages_load_no_framework_at_run_time():
    """The static check above, once more at run time: importing every pure module (and what
    they import in turn) loads neither Scrapy, Twisted nor SQLAlchemy."""
    modules = [".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
               for package in PURE_PACKAGES for p in modules_under(package)]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('scrapy', 'twisted', 'sqlalchemy', 'storage', 'alembic'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_a_violation_is_caught(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from scrapy.http import Request\n    import sqlalchemy.orm\n", encoding="utf-8")
    assert imported_names(bad) >= {"scrapy.http", "sqlalchemy.orm"}
    assert violations([bad], PURE_FORBIDDEN) == [f"{bad} imports scrapy.http", f"{bad} imports scrapy.http.Request",
                                                 f"{bad} imports sqlalchemy.orm"]
    fine = tmp_path / "fine.py"
    fine.write_text("import re\nfrom crawler.keys.urls import url_key\n", encoding="utf-8")
    assert violations([fine], PURE_FORBIDDEN) == []


@pytest.mark.parametrize("folder", SOURCE_DIRS)
def test_no_source_module_over_450_lines(folder):
    long = {str(p.relative_to(REPO)): n for p in modules_under(folder)
            if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}
