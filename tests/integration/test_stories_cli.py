"""`akhbar stories`, `show` and `export` on a database holding the labelled stories, and
`akhbar stories rebuild` deciding the same stories for rows stored without them."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crawler.cli import main
from storage.db import make_engine
from storage.models import Article, Story, StoryTerm
from tests.story_cases import in_time_order, score
from tests.unit.writing.test_stories_written import write_reports


def stories_by_url(db_url: str) -> dict[str, int | None]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        found: dict[str, int | None] = dict(session.execute(select(Article.url, Article.story_id)).all())
    engine.dispose()
    return found


def test_stories_show_and_export(tmp_path, stats):
    db_url = f"sqlite:///{tmp_path / 'akhbar.db'}"
    write_reports(db_url, stats)
    runner = CliRunner()
    listed = runner.invoke(main, ["stories", "--db", db_url, "--min-sources", "3", "--json", "--limit", "100"])
    assert listed.exit_code == 0, listed.output
    stories = [json.loads(line) for line in listed.stdout.splitlines()]
    assert stories and all(s["sources"] >= 3 for s in stories)
    quake = next(s for s in stories if s["title"] == "زلزال بقوة 6.1 درجات يضرب ولاية ملاطية التركية")
    assert quake["first_source"] == "masry.example.eg" and quake["sources"] == 5
    assert quake["reports"][0]["source"] == "masry.example.eg"
    single = runner.invoke(main, ["stories", "--db", db_url, "--source", "alkhaleej.example.ae", "--json"])
    assert [json.loads(line)["sources"] for line in single.stdout.splitlines()] == [1]
    late = runner.invoke(main, ["stories", "--db", db_url, "--since", "2025-03-17", "--json"])
    assert [json.loads(line)["title"] for line in late.stdout.splitlines()] == [
        "الحكم بسجن الوزير الأسبق عمار بن يوسف 10 سنوات"
    ]  # only the verdict was reported that late
    text = runner.invoke(main, ["stories", "--db", db_url, "--min-sources", "4"])
    assert "story " in text.stdout and "5 outlets" in text.stdout
    shown = json.loads(runner.invoke(main, ["show", str(quake["story_id"]), "--db", db_url, "--json"]).stdout)
    assert {a["source"] for a in shown["story"]} == {r["source"] for r in quake["reports"]} - {"masry.example.eg"}
    exported = [json.loads(line) for line in runner.invoke(main, ["export", "--db", db_url]).stdout.splitlines()]
    assert len(exported) == len(in_time_order()) and all(row["story_id"] for row in exported)


def test_rebuild_decides_the_stories_of_rows_stored_without_them(tmp_path, stats):
    db_url = f"sqlite:///{tmp_path / 'akhbar.db'}"
    write_reports(db_url, stats)
    before = stories_by_url(db_url)
    engine = make_engine(db_url)
    with Session(engine) as session, session.begin():  # as a database from before stories
        session.execute(update(Article).values(story_id=None))
        session.execute(delete(StoryTerm))
        session.execute(delete(Story))
    engine.dispose()
    result = CliRunner().invoke(main, ["stories", "rebuild", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert f"stories decided for {len(before)} articles" in result.stderr
    after = stories_by_url(db_url)
    reports = in_time_order()
    assert score(reports, after) == score(reports, before)
    assert CliRunner().invoke(main, ["stories", "rebuild", "--db", db_url, "--since", "2025-03-12"]).exit_code == 0
    assert score(reports, stories_by_url(db_url)) == score(reports, before)
