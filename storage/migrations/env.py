"""Alembic environment: runs against the engine handed over by ``storage.db.upgrade``."""

from alembic import context
from sqlalchemy import text

from storage.models import Base

config = context.config
MIGRATION_LOCK_KEY = 0x616B68626172  # "akhbar"
target_metadata = Base.metadata


def include_object(obj, name, kind, reflected, compare_to):
    """Autogenerate must not touch the search machinery created in raw DDL (0005)."""
    return not (name or "").startswith(("articles_fts", "search_vector", "ix_articles_search_vector"))


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from storage.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Two processes migrating a new database at once (cron and the scheduler) take
                # turns; the second then finds the schema current.  (SQLite: BEGIN IMMEDIATE.)
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            context.run_migrations()
        connection.commit()


run_migrations()
