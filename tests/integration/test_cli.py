import json

import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.conftest import FIXTURES, REPO, run_akhbar


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in all_commands(main)] + [()], ids=lambda p: " ".join(p) or "akhbar")
def test_every_command_has_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    command = main
    for part in path:
        command = command.commands[part]
    assert command.help or command.short_help


def test_readme_documents_every_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path, _ in all_commands(main):
        assert f"akhbar {' '.join(path)}" in readme


def test_extract_prints_json():
    result = CliRunner().invoke(
        main,
        [
            "extract",
            str(FIXTURES / "pages" / "seed_shape.html"),
            "--url",
            "https://sawt.example.jo/a/1",
            "--timezone",
            "Asia/Amman",
        ],
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["title"].startswith("الأردن يطلق منصة وطنية")
    assert record["published_at"] == "2025-11-11T09:47:00Z"
    assert record["author"] is None


def test_db_upgrade_and_export_on_new_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'a.db'}"
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["export", "--db", url])
    assert result.exit_code == 0 and result.stdout == ""


def test_bad_sources_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text('sources:\n  - name: ok\n    feeds: ["ftp://x/feed"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["crawl", "--sources", str(bad), "--db", f"sqlite:///{tmp_path}/a.db"])
    assert result.exit_code == 2
    assert "source #1 'ok': field 'feeds'" in result.output and len(result.output.strip().splitlines()) == 1
    missing = CliRunner().invoke(main, ["crawl", "--sources", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_unreachable_database_exit_3(tmp_path):
    result = run_akhbar("crawl", "--sources", "sources.yaml", "--db", "postgresql+psycopg://u:hunter2@127.0.0.1:1/x")
    assert result.returncode == 3
    assert "cannot reach database" in result.stderr and "hunter2" not in result.stderr


def test_shipped_sources_file_is_valid():
    from crawler.sources.config import load_sources

    sources = load_sources(REPO / "sources.yaml")
    assert len(sources) >= 15
    assert len({s.country for s in sources if s.country}) >= 5
    assert not any(s.verified for s in sources)


@pytest.mark.parametrize(
    "text, message",
    [
        ("sources: []", "empty"),
        ('sources:\n  - name: Bad Name\n    feeds: ["https://a/feed"]', "field 'name'"),
        ('sources:\n  - name: a\n    feeds: ["https://a/feed"]\n    timezone: Mars/Base', "field 'timezone'"),
        ('sources:\n  - name: a\n    feeds: ["https://a/feed"]\n    interval: soon', "field 'interval'"),
        ('sources:\n  - name: a\n    feeds: ["https://a/feed"]\n    colour: red', "field 'colour'"),
        ("sources:\n  - name: a\n", "field 'feeds'"),
        ('sources:\n  - name: a\n    feeds: ["https://a/f"]\n  - name: a\n    feeds: ["https://b/f"]', "duplicate"),
        ("sources: [", "not valid YAML"),
    ],
)
def test_sources_validation(text, message):
    from crawler.sources.config import SourcesError, parse_sources

    with pytest.raises(SourcesError, match=message):
        parse_sources(text)


def test_intervals():
    from crawler.sources.config import parse_interval

    assert [parse_interval(v) for v in ("30s", "15m", "2h", "1d", 90)] == [30, 900, 7200, 86400, 90]


def test_show_lists_aliases_and_copies(server, sqlite_url, tmp_path):
    from tests.conftest import FAST_CRAWL
    from tests.world import build_syndication_world

    world, wire, _reposts, _ = build_syndication_world(server)
    (tmp_path / "s.yaml").write_text(world.sources_yaml, encoding="utf-8")
    assert (
        run_akhbar(
            "crawl", "--sources", str(tmp_path / "s.yaml"), "--source", "wire", "--db", sqlite_url, *FAST_CRAWL
        ).returncode
        == 0
    )
    assert run_akhbar("crawl", "--sources", str(tmp_path / "s.yaml"), "--db", sqlite_url, *FAST_CRAWL).returncode == 0
    original = server.url(wire[0].path) + "?utm_source=newsletter"
    result = CliRunner().invoke(main, ["show", original, "--db", sqlite_url, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["title"] == wire[0].title and "utm_" not in record["url"]
    assert record["canonical_url"] == server.url(wire[0].path.replace("خبر", "%D8%AE%D8%A8%D8%B1"))
    assert record["aliases"] and record["crawl_run"]["status"] == "ok"
    assert [c["source"] for c in record["copies"]] == ["echo"]
    copy = CliRunner().invoke(main, ["show", str(record["copies"][0]["id"]), "--db", sqlite_url])
    assert copy.exit_code == 0 and f"duplicate_of: {record['id']}" in copy.output
    missing = CliRunner().invoke(main, ["show", "999999", "--db", sqlite_url])
    assert missing.exit_code == 4
