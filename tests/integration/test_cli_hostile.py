"""Every command of the README against hostile arguments: missing, empty, corrupt, foreign,
older-schema, newer-schema, read-only and locked databases; unknown sources; bad times,
cursors, formats, ports and time zones; empty and binary files; Arabic and RTL-control
characters; very long values.  Each case asserts: no traceback, an exit code from the README's
table, no file created where none should be, nothing already stored changed."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.cli import main
from crawler.cli.writers import write_export
from storage.db import make_engine, upgrade
from tests.conftest import FAST_CRAWL, REPO, child_env, run_akhbar
from tests.localserver import LocalServer, Route
from tests.world import build_world

DOCUMENTED_EXITS = {0, 1, 2, 3, 4, 5, 70, 130}  # README "Exit codes"
READ_COMMANDS = {  # command → extra arguments it needs
    "articles": [],
    "stats": [],
    "runs": [],
    "export": [],
    "search": ["معرض"],
    "show": ["1"],
}
TABLES = ("sources", "feeds", "articles", "article_urls", "crawl_runs", "lsh_buckets")
RTL = "\u202eevil\u202c"


@pytest.fixture(scope="module")
def stored_db(tmp_path_factory) -> Path:
    """A real SQLite database filled by a real crawl (copied for each case)."""
    folder = tmp_path_factory.mktemp("stored")
    with LocalServer() as server:
        world = build_world(server, per_source=2)
        (folder / "sources.yaml").write_text(world.sources_yaml, encoding="utf-8")
        result = run_akhbar(
            "crawl", "--sources", str(folder / "sources.yaml"), "--db", f"sqlite:///{folder / 'akhbar.db'}", *FAST_CRAWL
        )
        assert result.returncode == 0, result.stderr[-2000:]
    checkpoint(folder / "akhbar.db")
    return folder / "akhbar.db"


def checkpoint(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def digest(path: Path) -> str:
    """What is stored, row by row, in every table that holds data."""
    h = hashlib.sha256()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        for table in TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                h.update(repr(row).encode())
    return h.hexdigest()


def make_state(state: str, stored: Path, folder: Path) -> Path:
    """A database file in one of the hostile states, inside ``folder``."""
    path = folder / "db.sqlite"
    if state == "missing":
        return path
    if state == "empty":
        path.write_bytes(b"")
    elif state == "corrupt":
        path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    elif state == "foreign":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute("INSERT INTO recipes (name) VALUES ('كبسة')")
    elif state == "older":
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine, "0006")
        engine.dispose()
    else:
        shutil.copy(stored, path)
        if state == "newer":
            with sqlite3.connect(path) as conn:
                conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        elif state == "read-only":
            path.chmod(0o444)
    return path


def files_in(folder: Path) -> set[str]:
    # SQLite's own -wal/-shm files appear beside an existing database when anyone reads it.
    return {p.name for p in folder.rglob("*") if not p.name.endswith(("-wal", "-shm"))}


def invoke(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the command in-process (no reactor needed) from an empty working directory beside
    ``cwd``; (exit code, stderr).  Nothing may be left in that directory."""
    here = cwd.parent / f"{cwd.name}-cwd"
    here.mkdir(exist_ok=True)
    previous = os.getcwd()
    os.chdir(here)
    try:
        result = CliRunner().invoke(main, args, env={"AKHBAR_DB_URL": None})
    finally:
        os.chdir(previous)
    leftovers = {p.name for p in here.iterdir()}
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {type(result.exception).__name__}: {result.exception}"
    )
    assert not leftovers, f"{args} created {leftovers} in the working directory"
    return result.exit_code, result.stderr


def assert_clean(code: int, stderr: str, args: list[str]) -> None:
    assert code in DOCUMENTED_EXITS, (args, code, stderr)
    assert "Traceback" not in stderr, (args, stderr)
    if code not in (0, 4):
        assert stderr.strip(), (args, "an error exit says why")
        assert len([line for line in stderr.splitlines() if line.startswith("akhbar: ")]) <= 1, (args, stderr)


STATES = ["missing", "empty", "corrupt", "foreign", "older", "newer", "read-only", "ok"]
READ_EXPECTED = {"missing": 3, "empty": 3, "corrupt": 3, "foreign": 3, "older": 3, "newer": 0, "read-only": 0, "ok": 0}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    engine = make_engine("sqlite://")
    try:
        return str(ScriptDirectory.from_config(alembic_config(engine)).get_current_head())
    finally:
        engine.dispose()


HEAD = head_revision()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("command", sorted(READ_COMMANDS))
def test_read_commands_on_every_database_state(command, state, stored_db, tmp_path):
    path = make_state(state, stored_db, tmp_path)
    before_files = files_in(tmp_path)
    before = digest(path) if state in ("ok", "newer", "read-only") else None
    args = [command, *READ_COMMANDS[command], "--db", f"sqlite:///{path}"]
    code, stderr = invoke(args, tmp_path)
    assert_clean(code, stderr, args)
    assert code == READ_EXPECTED[state], (args, code, stderr)
    assert files_in(tmp_path) == before_files, "a read command created a file"
    if state == "missing":
        assert f"no database at {path} (run akhbar crawl or akhbar db upgrade to create one)" in stderr
    if state == "older":
        assert "revision 0006" in stderr and f"needs {HEAD}" in stderr and "akhbar db upgrade" in stderr
    if state in ("empty", "foreign"):
        assert "no akhbar schema" in stderr
    if before is not None:
        assert digest(path) == before


@pytest.mark.parametrize("state", ["missing", "empty", "corrupt", "foreign", "older", "newer", "ok"])
def test_db_upgrade_and_browse_on_every_state(state, stored_db, tmp_path):
    path = make_state(state, stored_db, tmp_path)
    before = digest(path) if state in ("ok", "newer") else None
    code, stderr = invoke(["db", "upgrade", "--db", f"sqlite:///{path}"], tmp_path)
    assert_clean(code, stderr, ["db upgrade", state])
    expected = {"missing": 0, "empty": 0, "older": 0, "ok": 0, "corrupt": 3, "foreign": 3, "newer": 3}[state]
    assert code == expected, stderr
    if state == "newer":
        assert "newer than this akhbar" in stderr and "refusing to write" in stderr
        assert digest(path) == before
    if state == "foreign":
        with sqlite3.connect(path) as conn:  # another application's file is left as it was
            assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["recipes"]
    if state in ("corrupt", "foreign"):  # browse reads: the same states fail before Datasette starts
        (tmp_path / "b").mkdir()
        browse_path = make_state(state, stored_db, tmp_path / "b")
        code, stderr = invoke(["browse", "--db", f"sqlite:///{browse_path}"], tmp_path)
        assert_clean(code, stderr, ["browse", state])
        assert code == 3 and not list((tmp_path / "b").glob("*.datasette.json"))


def test_browse_on_a_missing_database_creates_nothing(tmp_path):
    code, stderr = invoke(["browse", "--db", f"sqlite:///{tmp_path / 'typo.db'}"], tmp_path)
    assert code == 3 and "no database at" in stderr
    assert list(tmp_path.iterdir()) == []


def test_reads_while_another_process_holds_the_write_lock(stored_db, tmp_path):
    path = make_state("ok", stored_db, tmp_path)
    before = digest(path)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE sources SET homepage = 'x' WHERE id = 1")
    try:
        for command, extra in READ_COMMANDS.items():
            args = [command, *extra, "--db", f"sqlite:///{path}"]
            code, stderr = invoke(args, tmp_path)
            assert_clean(code, stderr, args)
            assert code == 0, (args, stderr)
        code, stderr = invoke(["db", "upgrade", "--db", f"sqlite:///{path}"], tmp_path)
        assert code == 0, stderr
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert digest(path) == before


@pytest.mark.parametrize(
    "args, expected",
    [
        (["articles", "--source", "nosuch"], 2),
        (["export", "--source", "غير-موجود"], 2),
        (["stats", "--source", RTL], 2),
        (["runs", "--source", "x" * 5000], 2),
        (["search", "معرض", "--source", "nile-newz"], 2),
        (["articles", "--since", "yesterday-ish"], 2),
        (["export", "--since", "2024-13-45"], 2),
        (["export", "--after", "not-a-cursor"], 2),
        (["export", "--after", "id:-5"], 2),
        (["export", "--format", "xml"], 2),
        (["export", "--format", "parquet"], 2),
        (["search", ""], 0),
        (["search", "x" * 20000], 0),
        (["search", RTL + " مَعْرِض"], 0),
        (["show", "999999"], 4),
        (["show", "9" * 40], 4),
        (["show", "https://nowhere.example/ا"], 4),
        (["articles", "--limit", "0"], 2),
        (["runs", "--limit", "-1"], 2),
        (["browse", "--port", "70000"], 2),
        (["browse", "--port", "http"], 2),
    ],
)
def test_bad_arguments(args, expected, stored_db, tmp_path):
    path = make_state("ok", stored_db, tmp_path)
    before = digest(path)
    full = [*args, "--db", f"sqlite:///{path}"]
    code, stderr = invoke(full, tmp_path)
    assert_clean(code, stderr, full)
    assert code == expected, (full, stderr)
    assert digest(path) == before


def test_unknown_source_names_close_matches(stored_db, tmp_path):
    path = make_state("ok", stored_db, tmp_path)
    code, stderr = invoke(["articles", "--source", "nile-newz", "--db", f"sqlite:///{path}"], tmp_path)
    assert code == 2
    line = stderr.strip()
    assert line.startswith("akhbar: error: unknown source 'nile-newz' (did you mean nile-news?); known: ")
    assert "gulf-daily" in line and "\n" not in line


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\xff" * 100,
        "sources:\n  - name: ‮x\n".encode(),
        b"sources: [",
        "مصادر: نعم".encode(),
        b"sources:\n  - {}\n",
    ],
)
@pytest.mark.parametrize(
    "command", [["crawl"], ["schedule"], ["sources", "check"], ["backfill", "x", "--since", "2024-01-01"]]
)
def test_bad_sources_files(command, content, tmp_path):
    sources = tmp_path / "s.yaml"
    sources.write_bytes(content)
    db = tmp_path / "never.db"
    args = [*command, "--sources", str(sources)]
    if command[0] != "sources":
        args += ["--db", f"sqlite:///{db}"]
    code, stderr = invoke(args, tmp_path)
    assert_clean(code, stderr, args)
    assert code == 2, (args, stderr)
    assert not db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "{empty}"],
        ["extract", "{binary}"],
        ["extract", "{page}", "--timezone", "Mars/Olympus"],
        ["extract", "{page}", "--url", "javascript:alert(1)"],
        ["extract", "{page}", "--url", RTL],
        ["extract", "{missing}"],
        ["crawl", "--sources", "{missing}"],
        ["crawl", "-s", "NOEQUALS"],
        ["backfill", "nile-news", "--since", "not-a-date", "--sources", "{sources}"],
        ["backfill", "nosuch", "--since", "2024-01-01", "--sources", "{sources}"],
        ["sources", "discover", "file:///etc/passwd"],
        ["sources", "discover", "not a url"],
        ["sources", "check", "--source", "nosuch", "--sources", "{sources}"],
        ["schedule", "--grace", "-1"],
        ["schedule", "--time-limit", "0"],
    ],
)
def test_bad_files_and_values(args, stored_db, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>عنوان</h1><p>نص</p></body></html>", encoding="utf-8")
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 40)
    sources = tmp_path / "sources.yaml"
    sources.write_text('sources:\n  - name: nile-news\n    feeds: ["http://127.0.0.1:9/feed"]\n', encoding="utf-8")
    names = {
        "empty": tmp_path / "empty.html",
        "binary": tmp_path / "binary.html",
        "page": page,
        "missing": tmp_path / "nothing.html",
        "sources": sources,
    }
    full = [a.format(**names) for a in args] + (
        ["--db", f"sqlite:///{tmp_path / 'x.db'}"] if args[0] in ("crawl", "backfill", "schedule") else []
    )
    before = files_in(tmp_path)
    code, stderr = invoke(full, tmp_path)
    assert_clean(code, stderr, full)
    assert code == 2, (full, stderr)
    assert files_in(tmp_path) == before


def test_extract_without_url_invents_none(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html lang="ar"><head><title>خبر</title><link rel="canonical" href="/news/2024/05/01/x">'
        '<meta property="og:image" content="/img/a.jpg"></head><body><article><h1>افتتاح معرض الكتاب في الرباط</h1>'
        + "<p>افتتح وزير الثقافة صباح اليوم معرض الكتاب الدولي بمشاركة مئات الناشرين من العالم العربي.</p>" * 6
        + "</article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    import json

    record = json.loads(result.stdout)
    assert record["url"] is None and record["canonical_url"] is None and record["image_url"] is None
    assert record["url_keys"] == [] and "localhost" not in result.stdout
    with_url = json.loads(CliRunner().invoke(main, ["extract", str(page), "--url", "https://ma.example/a"]).stdout)
    assert with_url["canonical_url"] == "https://ma.example/news/2024/05/01/x"


# --- free text, generated --------------------------------------------------------------------------

FREE_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300) | st.sampled_from(
    [
        "",
        " ",
        "--",
        "-1",
        "0",
        "١٢٣",
        "x" * 3000,
        RTL,
        "مَعْرِض\u0640\u0640",
        "'; DROP TABLE articles; --",
        "%s%n",
        "id:",
        "id:٥",
        "2024-02-30",
        "7d",
        "-7d",
        "99999999999d",
    ]
)


@pytest.fixture(scope="module")
def free_text_db(stored_db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("free")
    return make_state("ok", stored_db, folder)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=FREE_TEXT,
    slot=st.sampled_from(
        [
            ["search", "{v}"],
            ["search", "x", "--since", "{v}"],
            ["articles", "--since", "{v}"],
            ["articles", "--source", "{v}"],
            ["export", "--after", "{v}"],
            ["export", "--since", "{v}"],
            ["show", "{v}"],
            ["stats", "--source", "{v}"],
            ["runs", "--source", "{v}"],
            ["search", "{v}", "--json"],
        ]
    ),
)
def test_free_text_arguments(value, slot, free_text_db, tmp_path):
    before = digest(free_text_db)
    args = [a.replace("{v}", value) for a in slot] + ["--db", f"sqlite:///{free_text_db}"]
    code, stderr = invoke(args, tmp_path)
    assert_clean(code, stderr, args)
    assert digest(free_text_db) == before


# --- interrupts ------------------------------------------------------------------------------------


def test_interrupted_export_leaves_no_file(stored_db, tmp_path, monkeypatch):
    path = make_state("ok", stored_db, tmp_path)
    output = tmp_path / "out.jsonl"
    output.write_text("an earlier, complete export\n", encoding="utf-8")

    def interrupted(records, *args, **kwargs):
        def rows():
            for n, record in enumerate(records):
                if n == 3:
                    raise KeyboardInterrupt  # Ctrl-C arrives between two rows
                yield record

        return write_export(rows(), *args, **kwargs)

    monkeypatch.setattr("crawler.cli.writers.write_export", interrupted)
    for fmt in ("jsonl", "csv", "parquet"):
        result = CliRunner().invoke(main, ["export", "--format", fmt, "-o", str(output), "--db", f"sqlite:///{path}"])
        assert result.exit_code == 130 and result.stderr.strip() == "akhbar: interrupted", result.output
        assert output.read_text(encoding="utf-8") == "an earlier, complete export\n"
        assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_interrupted_search_is_one_line(stored_db, tmp_path, monkeypatch):
    path = make_state("ok", stored_db, tmp_path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("storage.queries.search", interrupted)
    result = CliRunner().invoke(main, ["search", "معرض", "--db", f"sqlite:///{path}"])
    assert result.exit_code == 130 and result.stderr.strip() == "akhbar: interrupted"


def interrupt(args: list[str], server: LocalServer, tmp_path: Path, after_path: str) -> subprocess.CompletedProcess:
    """Start ``akhbar ARGS`` in a child process, send SIGINT once it has requested ``after_path``."""
    seen = server.count(after_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=tmp_path,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while server.count(after_path) == seen and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def test_ctrl_c_during_sources_check_and_backfill(tmp_path):
    with LocalServer() as server:
        server.add("/slow/feed", Route(b"<rss><channel></channel></rss>", delay=6))
        server.add("/slow/sitemap.xml", Route(b"<urlset></urlset>", delay=6))
        sources = tmp_path / "s.yaml"
        sources.write_text(
            f'sources:\n  - name: slow\n    feeds: ["{server.url("/slow/feed")}"]\n'
            f'    sitemaps: ["{server.url("/slow/sitemap.xml")}"]\n',
            encoding="utf-8",
        )
        check = interrupt(["sources", "check", "--sources", str(sources)], server, tmp_path, "/slow/feed")
        assert check.returncode == 130, check.stderr[-2000:]
        assert "Traceback" not in check.stderr and check.stderr.strip().splitlines()[-1] == "akhbar: interrupted"
        db = tmp_path / "b.db"
        backfill = interrupt(
            [
                "backfill",
                "slow",
                "--since",
                "2024-01-01",
                "--until",
                "2024-01-02",
                "--sources",
                str(sources),
                "--db",
                f"sqlite:///{db}",
            ],
            server,
            tmp_path,
            "/slow/sitemap.xml",
        )
        assert backfill.returncode == 130, backfill.stderr[-2000:]
        assert "Traceback" not in backfill.stderr
        assert "backfill interrupted: run the same command to continue" in backfill.stderr


def test_repo_readme_exit_table_matches():
    # The README's short table and the manual's full one (docs/operations.md) both list every code.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("Exit codes, for cron and scripts") : readme.index("## How it works")]
    documented = {int(code) for code in re.findall(r"^\| `(\d+)` \|", table, re.MULTILINE)}
    assert documented == DOCUMENTED_EXITS
    manual = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    table = manual[manual.index("### Exit codes") : manual.index("## Scheduling")]
    documented = {int(code) for code in re.findall(r"^\| `(\d+)` \|", table, re.MULTILINE)}
    assert documented == DOCUMENTED_EXITS
