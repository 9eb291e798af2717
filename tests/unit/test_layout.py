"""The house rules of docs/architecture.md, checked on every import of every module (function-level
imports too): the floors (no import runs up a floor), no cycle, the pure packages free of
frameworks, storage free of crawler code, spiders free of storage, ``pipelines/`` holding item
pipelines only, one de-duplication package, and no source module past 450 lines."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("crawler", "spiders", "pipelines", "storage")
MAX_LINES = 450

# The floors, lowest first.  A module may import its own floor and the ones below, never above.
# The longest matching prefix decides a module's floor.
FLOORS: dict[str, int] = {
    # 0: the ground floor: text utilities and the plain data types
    "crawler": 0,
    "crawler.text": 0,
    "crawler.items": 0,
    "crawler.netguard": 0,
    "crawler.logmask": 0,
    # 1: the rules, pure (bytes and strings in, values out), and storage (rows in, rows out)
    "crawler.extraction": 1,
    "crawler.feedparse": 1,
    "crawler.dedup": 1,
    "crawler.sources": 1,
    "crawler.stories": 1,
    "storage": 1,
    # 2: services without Scrapy: the write path, the extraction processes, monitoring
    "crawler.writing": 2,
    "crawler.extraction_pool": 2,
    "crawler.monitoring": 2,
    # 3: the Scrapy project: settings, components, the cluster, item pipelines, spiders
    "crawler.settings": 3,
    "crawler.middlewares": 3,
    "crawler.resolver": 3,
    "crawler.components": 3,
    "crawler.cluster": 3,
    "pipelines": 3,
    "spiders": 3,
    # 4: the commands
    "crawler.cli": 4,
    "scheduler": 4,
}
PURE_PACKAGES = (
    "crawler/text",
    "crawler/extraction",
    "crawler/feedparse",
    "crawler/dedup",
    "crawler/sources",
    "crawler/stories",
)
PURE_FORBIDDEN = (
    "scrapy",
    "twisted",
    "sqlalchemy",
    "alembic",
    "itemadapter",
    "storage",
    "pipelines",
    "spiders",
    "crawler.cli",
    "crawler.settings",
    "crawler.middlewares",
    "crawler.resolver",
    "crawler.extraction_pool",
    "crawler.writing",
    "crawler.cluster",
    "crawler.components",
)
STORAGE_FORBIDDEN = ("scrapy", "twisted", "itemadapter", "crawler", "pipelines", "spiders")
SPIDERS_FORBIDDEN = ("storage", "sqlalchemy", "crawler.writing", "crawler.cluster")
WRITING_FORBIDDEN = ("scrapy", "twisted", "pipelines", "spiders")
# What de-duplication computes and decides; defined in crawler/dedup only.
DEDUP_NAMES = re.compile(
    r"shingle|minhash|signature|band_keys|lsh_keys|^fingerprints$|link_copy|known_article"
    r"|^classify$|^compare$|^profile$|TextProfile|CopyLink|CopyLookup"
)


def modules_under(folder: str) -> list[Path]:
    return sorted(p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)


def project_modules() -> dict[str, Path]:
    """Every module of the product (migrations apart: each is frozen in its own time)."""
    found = {"scheduler": REPO / "scheduler.py"}
    for folder in SOURCE_DIRS:
        for path in modules_under(folder):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


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


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported name lands in (``crawler.text.urls.url_key`` → ``crawler.text.urls``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def floor_of(module: str) -> int:
    best = max((prefix for prefix in FLOORS if module == prefix or module.startswith(prefix + ".")), key=len)
    return FLOORS[best]


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = {resolve(name, modules) for name in imported_names(path)}
        # A module naming itself (a package __init__ importing its own name) is no edge.
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def violations(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in paths:
        for name in sorted(imported_names(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path} imports {name}")
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{m} (floor {floor_of(m)}) imports {t} (floor {floor_of(t)})"
        for m, targets in graph.items()
        for t in targets
        if floor_of(t) > floor_of(m)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_floor():
    assert [m for m in project_modules() if not any(m == p or m.startswith(p + ".") for p in FLOORS)] == []


def test_no_import_runs_up_a_floor():
    assert upward_imports(import_graph(project_modules())) == []


def test_no_import_cycle():
    assert cycles(import_graph(project_modules())) == []


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_framework(package):
    assert violations(modules_under(package), PURE_FORBIDDEN) == []


def test_storage_does_not_know_scrapy_or_text_rules():
    assert violations(modules_under("storage"), STORAGE_FORBIDDEN) == []


def test_spiders_import_no_storage():
    assert violations(modules_under("spiders"), SPIDERS_FORBIDDEN) == []


def test_the_write_path_has_no_scrapy():
    assert violations(modules_under("crawler/writing"), WRITING_FORBIDDEN) == []


def test_every_module_in_pipelines_is_an_item_pipeline():
    """Each module defines a class with ``process_item`` (what Scrapy calls an item pipeline)."""
    not_pipelines = []
    for path in modules_under("pipelines"):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(
            isinstance(node, ast.ClassDef)
            and any(
                isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name == "process_item" for f in node.body
            )
            for node in tree.body
        ):
            not_pipelines.append(path.name)
    assert not_pipelines == []


def test_one_deduplication_package():
    """Shingles, MinHash/LSH, fingerprints, the comparison and the verdict are defined in crawler/dedup only."""
    elsewhere = []
    for module, path in project_modules().items():
        if module.startswith("crawler.dedup"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and DEDUP_NAMES.search(
                node.name
            ):
                elsewhere.append(f"{module}.{node.name}")
    assert elsewhere == []


def test_pure_packages_load_no_framework_at_run_time():
    """The static check above, once more at run time: importing every pure module (and what
    they import in turn) loads neither Scrapy, Twisted nor SQLAlchemy."""
    modules = [
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for package in PURE_PACKAGES
        for p in modules_under(package)
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('scrapy', 'twisted', 'sqlalchemy', 'storage', 'alembic'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_checks_catch_what_they_claim(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from scrapy.http import Request\n    import sqlalchemy.orm\n", encoding="utf-8")
    assert imported_names(bad) >= {"scrapy.http", "sqlalchemy.orm"}
    assert violations([bad], PURE_FORBIDDEN) == [
        f"{bad} imports scrapy.http",
        f"{bad} imports scrapy.http.Request",
        f"{bad} imports sqlalchemy.orm",
    ]
    fine = tmp_path / "fine.py"
    fine.write_text("import re\nfrom crawler.text.urls import url_key\n", encoding="utf-8")
    assert violations([fine], PURE_FORBIDDEN) == []
    # An upward import and a loop through a function-level import.
    graph = {"crawler.text.urls": {"crawler.dedup.neardup"}, "crawler.dedup.neardup": {"crawler.text.urls"}}
    assert upward_imports(graph) == ["crawler.text.urls (floor 0) imports crawler.dedup.neardup (floor 1)"]
    assert cycles(graph) == [["crawler.dedup.neardup", "crawler.text.urls"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert resolve("crawler.text.urls.url_key", {"crawler.text.urls": Path()}) == "crawler.text.urls"


@pytest.mark.parametrize("folder", SOURCE_DIRS)
def test_no_source_module_over_450_lines(folder):
    long = {
        str(p.relative_to(REPO)): n
        for p in modules_under(folder)
        if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_tests_are_laid_out_by_package():
    loose = sorted(path.name for path in (REPO / "tests").glob("test_*.py"))
    assert loose == [], f"put these in tests/unit/<package>/ or tests/integration/: {loose}"
    known = {path.name for folder in SOURCE_DIRS for path in (REPO / folder).iterdir() if path.is_dir()}
    known |= set(SOURCE_DIRS)
    unit_dirs = {
        path.name for path in (REPO / "tests" / "unit").iterdir() if path.is_dir() and path.name != "__pycache__"
    }
    assert unit_dirs <= known, f"tests/unit/ folders that name no package: {sorted(unit_dirs - known)}"


def test_every_rule_cache_is_emptied_between_unit_tests():
    """A cache that outlives a test hides what the code does now (and hides mutants): every
    functools cache in the source is listed in tests/unit/conftest.py's CACHED."""
    from tests.unit.conftest import CACHED

    cached = set()
    for folder in SOURCE_DIRS:
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            cached |= set(re.findall(r"@(?:functools\.)?(?:lru_cache|cache)\b[^\n]*\ndef (\w+)", text))
    assert cached == {function.__wrapped__.__name__ for function in CACHED}
