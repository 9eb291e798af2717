"""Engines, sessions and migrations.

SQLite is tuned for several processes sharing one file: WAL, ``busy_timeout``,
``synchronous=NORMAL``, and ``BEGIN IMMEDIATE`` for write transactions (a deferred transaction
that reads then writes fails at once with "database is locked").  Read-only work uses
``read_engine()``, whose transactions stay deferred so a long export never blocks a crawl.

A batch of articles decides what is a copy from what is stored, then writes: two writers that
read at once would each miss the other's story.  SQLite's ``BEGIN IMMEDIATE`` makes them take
turns; on PostgreSQL :func:`serialise_article_writes` does (a transaction-level advisory lock).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

DEFAULT_DB_URL = "sqlite:///data/akhbar.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseUnavailable(Exception):
    """The database URL is malformed or the server cannot be reached."""


class SchemaMismatch(DatabaseUnavailable):
    """The database has no akhbar schema, an older one than this code needs (run ``akhbar db
    upgrade``), or a newer one than this code knows (refuse to write)."""


def resolve_db_url(url: str | None = None) -> str:
    """The URL to use: the explicit one, then ``AKHBAR_DB_URL``, then the embedded default."""
    return url or os.environ.get("AKHBAR_DB_URL") or DEFAULT_DB_URL


def mask_url(url: str) -> str:
    """The URL with any password hidden, for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # let the "begin" event below emit BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    _set_wal(cursor)
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _set_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, waiting like busy_timeout: on a new file, switching the mode
    needs the file to itself, and SQLite answers "database is locked" at once (its busy handler is
    not consulted) while another process that opened it at the same time is creating the schema.
    Once the file is in WAL mode (it stays so), the pragma is a no-op."""
    import sqlite3

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _on_sqlite_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _on_sqlite_begin(conn: Any) -> None:
    mode = "DEFERRED" if conn.get_execution_options().get("akhbar_read_only") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


# pg_advisory_xact_lock key of the article writers ("akhbar" + 1; migrations use "akhbar").
ARTICLE_WRITE_LOCK_KEY = 0x616B68626173


def serialise_article_writes(session: Session) -> None:
    """Make this transaction the only one writing articles until it ends (PostgreSQL; SQLite's
    write transactions take turns already): its copy checks then see every story committed
    before it, so two crawls storing one story at once link the second to the first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ARTICLE_WRITE_LOCK_KEY})


def sqlite_path(url: str | None) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    try:
        parsed = make_url(resolve_db_url(url))
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.database.startswith("file:"):
        return None
    return Path(parsed.database).expanduser()


def make_engine(url: str | None = None, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url`` (see :func:`resolve_db_url`).  For writing, the SQLite file's folder
    is created; ``read_only`` opens an existing SQLite file read-only and never creates one
    (:class:`DatabaseUnavailable` when it is missing)."""
    url = resolve_db_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"malformed database URL {mask_url(url)!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if read_only and path is not None:
            if not path.is_file():
                raise DatabaseUnavailable(
                    f"no database at {path} (run akhbar crawl or akhbar db upgrade to create one)"
                )
            parsed = parsed.set(
                database=f"file:{quote(str(path.resolve()))}?mode=ro", query={**parsed.query, "uri": "true"}
            )
        elif path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect_read_only if read_only else _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine.execution_options(akhbar_read_only=True) if read_only else engine
    kwargs.setdefault("pool_pre_ping", True)
    try:
        return create_engine(parsed, **kwargs)
    except ImportError as exc:
        raise DatabaseUnavailable(f"no driver for {mask_url(url)}: {exc}") from exc


def read_engine(engine: Engine) -> Engine:
    """The same engine for read-only work: SQLite transactions stay deferred."""
    return engine.execution_options(akhbar_read_only=True)


def check_connection(engine: Engine) -> None:
    """Raise :class:`DatabaseUnavailable` with one clear line when the database is unreachable."""
    try:
        with read_engine(engine).connect() as conn:  # a deferred transaction: a writer elsewhere is no obstacle
            conn.exec_driver_sql("SELECT 1")
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(f"cannot reach database {_label(engine)}: {reason}") from exc


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` by running the Alembic migrations."""
    from alembic import command

    check_connection(engine)
    command.upgrade(alembic_config(engine), revision)


def schema_revisions(engine: Engine) -> tuple[str | None, str, bool]:
    """(the database's Alembic revision or None, the newest this code knows, whether this code
    knows the database's revision)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine))
    head = script.get_current_head() or ""
    with read_engine(engine).connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    known = current is None or any(r.revision == current for r in script.walk_revisions())
    return current, head, known


def _label(engine: Engine) -> str:
    """How messages name a database: the SQLite file's path, else the URL without its password."""
    database = engine.url.database or ""
    if engine.url.get_backend_name() == "sqlite" and database.startswith("file:"):
        return unquote(database.removeprefix("file:").split("?", 1)[0])
    if engine.url.get_backend_name() == "sqlite" and database:
        return database
    return mask_url(engine.url.render_as_string(False))


def check_schema(engine: Engine) -> None:
    """For reading: raise :class:`SchemaMismatch` unless the database has this code's schema.
    A newer schema than this code knows is accepted for reading (columns are only added)."""
    check_connection(engine)
    current, head, known = schema_revisions(engine)
    if current is None:
        raise SchemaMismatch(
            f"database {_label(engine)} has no akhbar schema (revision none, this akhbar "
            f"needs {head}): run akhbar db upgrade, or check the --db path"
        )
    if known and current != head:
        raise SchemaMismatch(
            f"database {_label(engine)} is at schema revision {current}, this akhbar needs "
            f"{head}: run akhbar db upgrade"
        )


def ensure_schema(engine: Engine) -> None:
    """Migrate a database that is new or behind; cheap when it is current.  A database at a
    revision this code does not know (written by a newer akhbar) is refused: never written to."""
    check_connection(engine)
    current, head, known = schema_revisions(engine)
    if current is None and engine.url.get_backend_name() == "sqlite" and is_foreign(table_names(engine)):
        raise SchemaMismatch(
            f"database {_label(engine)} holds another application's tables and no akhbar "
            "schema: refusing to write into it (check the --db path)"
        )
    if not known:
        raise SchemaMismatch(
            f"database {_label(engine)} is at schema revision {current}, newer than this "
            f"akhbar knows ({head}): refusing to write; upgrade akhbar"
        )
    if current != head:
        upgrade(engine)


T = TypeVar("T")
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

# What a write error means, in an operator's words (SQLite's and PostgreSQL's messages).
_FAILURE_CAUSES = (
    ("disk full", ("disk is full", "no space left on device", "disk full", "diskfull")),
    ("read-only database", ("readonly database", "read-only file system", "read-only transaction")),
    ("permission denied", ("permission denied", "insufficient privilege", "access denied")),
    ("cannot open the database file", ("unable to open database file",)),
)


def storage_failure(exc: BaseException) -> str:
    """``disk full``, ``read-only database``, ``permission denied``, ``cannot open the database
    file``, else ``database unavailable`` (the server away, locked, a network error)."""
    text = str(exc).lower()
    for cause, signs in _FAILURE_CAUSES:
        if any(sign in text for sign in signs):
            return cause
    return "database unavailable"


def with_retries(work: Callable[[], T], retries: int = 3, delay: float = 0.5, log: logging.Logger | None = None) -> T:
    """Run a unit of database work, retrying it on connection-level errors (a lost server, a
    locked file) with exponential back-off; the last error is raised."""
    for attempt in range(retries + 1):
        try:
            return work()
        except TRANSIENT_ERRORS as exc:
            if attempt == retries:
                raise
            wait = delay * 2**attempt
            if log is not None:
                log.warning(
                    "database error (attempt %d of %d, retrying in %.1fs): %s",
                    attempt + 1,
                    retries + 1,
                    wait,
                    str(exc).splitlines()[0],
                )
            time.sleep(wait)
    raise AssertionError("unreachable")


AKHBAR_MARKER_TABLES = {"alembic_version", "sources", "articles", "feeds", "crawl_runs"}


def is_foreign(tables: list[str]) -> bool:
    """Tables, none of them akhbar's: another application's database.  (A database that another
    akhbar process is creating right now has some of akhbar's tables before its revision.)"""
    return bool(tables) and not (AKHBAR_MARKER_TABLES & set(tables))


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
