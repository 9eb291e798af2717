"""New articles committed, told to whoever follows them: on PostgreSQL a NOTIFY on
``akhbar_articles`` in the writing transaction (delivered at its commit) and a LISTEN that wakes
the follower; on SQLite a short poll.  Either way the follower then reads what is new from its
cursor (``storage.queries.export_rows``): a notification only says "look", so none can be lost
or repeated."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

CHANNEL = "akhbar_articles"  # + the schema's name: databases that hold several akhbar schemas
SLICE = 0.25  # seconds: the longest a follower waits before looking at its stop flag


def announce_new_articles(session: Session) -> None:
    """In the transaction that stored articles: wake the followers when it commits (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel || '_' || current_schema(), '')"), {"channel": CHANNEL})


class NewArticles:
    """``wait(seconds)``: returns when new articles may have been committed, or after ``seconds``."""

    def __init__(self, engine: Engine) -> None:
        self.connection: Any = None
        if engine.dialect.name == "postgresql":
            import psycopg
            from psycopg import sql

            dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self.connection = psycopg.connect(dsn, autocommit=True)
            schema = self.connection.execute("SELECT current_schema()").fetchone()[0]
            self.connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(f"{CHANNEL}_{schema}")))

    def wait(self, seconds: float) -> bool:
        """True when told of a commit (PostgreSQL); False after ``seconds`` (at most SLICE)."""
        seconds = min(seconds, SLICE)
        if self.connection is None:
            time.sleep(seconds)
            return False
        return any(True for _ in self.connection.notifies(timeout=seconds, stop_after=1))

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
