"""``akhbar browse``: Datasette on the SQLite database, with table and column descriptions and
canned queries for the questions operators and analysts ask first."""

from __future__ import annotations

from typing import Any

COLUMNS = {
    "articles": {
        "url": "URL the article was first fetched from (tracking parameters removed)",
        "canonical_url": "the page's rel=canonical/og:url, only when on the same site",
        "title": "headline as the page shows it (site name removed)",
        "text": "body text, paragraphs separated by a blank line, without share/related/copyright boilerplate",
        "author": "byline as displayed (people only; NULL when none)",
        "authors": "JSON list of the people in the byline",
        "published_at": "publication time, UTC (NULL when the page gives none)",
        "published_has_time": "false when the page gave only the day (published_at is local midnight)",
        "published_from": "where published_at came from: jsonld:…, meta:…, feed, visible, htmldate",
        "modified_at": "last modification time, UTC ('آخر تحديث')",
        "fetched_at": "when akhbar fetched the page, UTC",
        "language": "language detected from the body (ISO 639-1)",
        "duplicate_of": "id of the first-seen original this article copies (syndication), else NULL",
        "similarity": "similarity to duplicate_of (1.0: same normalised body)",
        "content_hash": "SHA-256 of the Arabic-normalised body",
        "search_text": "Arabic-normalised title and body, for full-text search",
        "story_id": "the story (stories.id): the reports of one event share it, a copy its original's",
    },
    "stories": {
        "id": "the id of the article that started the story (articles.story_id)",
        "first_reported_at": "the earliest publication (else fetch) time of its articles, UTC",
        "first_source_id": "the outlet that reported it first",
        "articles": "articles in the story, copies included",
        "sources": "outlets that reported it",
        "title": "the first article's headline",
    },
    "crawl_runs": {
        "status": "running, ok, partial (some pages or feeds failed), failed, interrupted (process died)",
        "pages_failed": "article pages that could not be fetched or read",
    },
    "feeds": {"status": "last fetch: ok, ill-formed, not modified, HTTP 404, timeout, parse error, forbidden address…"},
}
TABLES = {
    "articles": "One row per stored article (times in UTC).",
    "article_urls": "Every URL (by normalised key) known to lead to an article: the alias table.",
    "sources": "Outlets from the sources file.",
    "feeds": "Feed and sitemap URLs with the outcome of their last fetch.",
    "crawl_runs": "One row per source per crawl.",
    "lsh_buckets": "Near-duplicate index (MinHash LSH bands).",
    "stories": "One row per story: the reports of one event across outlets (articles.story_id).",
    "articles_unique": "Articles without the syndicated copies linked to an original.",
    "source_health": "Per source: last run, last success, articles in 24 h and 7 days, failing feeds.",
}
QUERIES = {
    "latest_per_source": {
        "title": "Latest article per source",
        "sql": "SELECT s.name AS source, a.id, a.title, a.published_at, a.fetched_at FROM sources s "
        "JOIN articles a ON a.id = (SELECT a2.id FROM articles a2 WHERE a2.source_id = s.id "
        "ORDER BY coalesce(a2.published_at, a2.fetched_at) DESC, a2.id DESC LIMIT 1) ORDER BY s.name",
    },
    "todays_syndicated_stories": {
        "title": "Today's syndicated stories (copies linked to their original)",
        "sql": "SELECT o.id AS original_id, o.title AS original_title, so.name AS original_source, "
        "count(c.id) AS copies, group_concat(sc.name, ', ') AS copied_by FROM articles c "
        "JOIN articles o ON o.id = c.duplicate_of JOIN sources so ON so.id = o.source_id "
        "JOIN sources sc ON sc.id = c.source_id WHERE c.fetched_at >= datetime('now', '-1 day') "
        "GROUP BY o.id ORDER BY copies DESC",
    },
    "stories_of_the_day": {
        "title": "Today's stories reported by two outlets or more",
        "sql": "SELECT st.id AS story_id, st.sources AS outlets, st.articles, st.title, s.name AS first_by, "
        "st.first_reported_at FROM stories st LEFT JOIN sources s ON s.id = st.first_source_id "
        "WHERE st.last_reported_at >= datetime('now', '-1 day') AND st.sources >= 2 ORDER BY st.sources DESC",
    },
    "sources_failing": {
        "title": "Sources failing",
        "sql": "SELECT * FROM source_health WHERE feeds_failing > 0 "
        "OR last_run_status IN ('failed', 'interrupted') ORDER BY source",
    },
}


HIDDEN_TABLES = (
    "lsh_buckets",
    "text_fingerprints",
    "story_terms",
    "alembic_version",
    "feed_events",
    "source_locks",
    "backfill_done",
)


# The operators' dashboard (datasette-dashboards, at /-/dashboards/akhbar).  The same panels as
# PostgreSQL SQL for Grafana: docs/grafana-dashboard.json.
def _chart(mark: str, x: tuple[str, str], y: tuple[str, str], color: str | None = None, **style: Any) -> dict[str, Any]:
    """A vega-lite display: ``mark`` with (field, type) axes and an optional nominal colour."""
    encoding: dict[str, Any] = {"x": {"field": x[0], "type": x[1]}, "y": {"field": y[0], "type": y[1]}}
    if color:
        encoding["color"] = {"field": color, "type": "nominal"}
    return {"mark": {"type": mark, "tooltip": True, **style}, "encoding": encoding}


CHARTS: dict[str, dict[str, Any]] = {
    "articles-per-hour": {
        "title": "Articles stored per hour and source (7 days)",
        "library": "vega-lite",
        "query": "SELECT strftime('%Y-%m-%dT%H:00:00Z', a.fetched_at) AS hour, s.name AS source, count(*) AS articles "
        "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.fetched_at >= datetime('now', '-7 days') "
        "GROUP BY hour, source ORDER BY hour",
        "display": _chart("line", ("hour", "temporal"), ("articles", "quantitative"), "source"),
    },
    "failures-by-reason": {
        "title": "Failed pages by reason (7 days)",
        "library": "vega-lite",
        "query": "SELECT s.name AS source, j.key AS reason, sum(j.value) AS pages FROM crawl_runs r "
        "JOIN sources s ON s.id = r.source_id, json_each(r.failure_reasons) j "
        "WHERE r.started_at >= datetime('now', '-7 days') GROUP BY source, reason ORDER BY pages DESC",
        "display": _chart("bar", ("pages", "quantitative"), ("source", "nominal"), "reason"),
    },
    "ingest-delay": {
        "title": "Publication → storage delay, hours (daily mean, 7 days)",
        "library": "vega-lite",
        "query": "SELECT date(a.fetched_at) AS day, s.name AS source, "
        "round(avg((julianday(a.fetched_at) - julianday(a.published_at)) * 24), 2) AS hours "
        "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.published_has_time = 1 "
        "AND a.fetched_at >= a.published_at AND a.fetched_at >= datetime('now', '-7 days') "
        "GROUP BY day, source ORDER BY day",
        "display": _chart("line", ("day", "temporal"), ("hours", "quantitative"), "source", point=True),
    },
    "coverage": {
        "title": "Extraction coverage per source (last 24 h / the 14 days before)",
        "library": "table",
        "query": "SELECT s.name AS source, "
        + ", ".join(
            f"{aggregate}(CASE WHEN a.fetched_at {side} datetime('now', '-1 day') THEN {expression} END){cast} "
            f"AS {name}_{window}"
            for name, expression, aggregate, cast in (
                ("time", "a.published_has_time = 1", "round(avg", ", 2)"),
                ("byline", "a.author IS NOT NULL", "round(avg", ", 2)"),
                ("language", "a.language = s.language", "round(avg", ", 2)"),
                ("body_chars", "length(a.text)", "CAST(avg", " AS INTEGER)"),
            )
            for side, window in ((">=", "24h"), ("<", "14d"))
        )
        + " FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE a.fetched_at >= datetime('now', '-15 days') GROUP BY s.name ORDER BY s.name",
    },
    "copies-per-day": {
        "title": "Syndicated copies linked per day (30 days)",
        "library": "vega-lite",
        "query": "SELECT date(fetched_at) AS day, count(*) AS copies FROM articles WHERE duplicate_of IS NOT NULL "
        "AND fetched_at >= datetime('now', '-30 days') GROUP BY day ORDER BY day",
        "display": _chart("bar", ("day", "temporal"), ("copies", "quantitative")),
    },
    "stories-by-outlets": {
        "title": "Stories of the last 7 days by number of outlets that reported them",
        "library": "vega-lite",
        "query": "SELECT sources AS outlets, count(*) AS stories FROM stories "
        "WHERE last_reported_at >= datetime('now', '-7 days') GROUP BY sources ORDER BY sources",
        "display": _chart("bar", ("outlets", "ordinal"), ("stories", "quantitative")),
    },
}


def dashboards(database: str) -> dict[str, Any]:
    return {
        "akhbar": {
            "title": "akhbar — operations",
            "description": "Ingestion, failures, delay, extraction coverage and syndication. "
            "`akhbar stats` marks coverage drift (layout changed?).",
            "layout": [
                ["articles-per-hour", "articles-per-hour"],
                ["failures-by-reason", "ingest-delay"],
                ["coverage", "coverage"],
                ["copies-per-day", "stories-by-outlets"],
            ],
            "charts": {name: {"db": database, **chart} for name, chart in CHARTS.items()},
        }
    }


def datasette_metadata(database: str) -> dict[str, Any]:
    tables: dict[str, Any] = {
        name: {"description": description, "columns": COLUMNS.get(name, {})} for name, description in TABLES.items()
    }
    for name in HIDDEN_TABLES:
        tables.setdefault(name, {})["hidden"] = True
    tables["articles"]["facets"] = ["source_id", "language", {"date": "fetched_at"}]
    tables["sources"] = {**tables["sources"], "label_column": "name"}
    tables["stories"]["facets"] = ["sources", "first_source_id", {"date": "first_reported_at"}]
    return {
        "title": "akhbar — Arabic news",
        "description": "Articles crawled by akhbar. Schema: docs/schema.md in the akhbar repository. "
        "Dashboards: /-/dashboards/akhbar",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
        "plugins": {"datasette-dashboards": dashboards(database)},
    }
