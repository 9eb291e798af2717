"""The README and docs/ are the manual: every ``akhbar …`` command they show exists, every link
between them leads to a page and a heading that exist, and the README stays a five-minute read."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from crawler.cli import main

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.S)
COMMAND = re.compile(r"(?:^|[\s/`(])akhbar((?: [a-z][a-z-]*){1,2})")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def shown_commands(text: str) -> set[str]:
    """``akhbar WORD [WORD]`` inside code blocks and code spans."""
    found = set()
    for span in CODE.findall(text):
        for line in span.splitlines():
            found.update(match.strip() for match in COMMAND.findall(line))
    return found


def command_exists(words: str) -> bool:
    command: click.Command = main
    for word in words.split():
        if not isinstance(command, click.Group):
            return True  # the rest are the command's arguments
        sub = command.commands.get(word)
        if sub is None:
            return False
        command = sub
    return True


def slug(heading: str) -> str:
    """GitHub's anchor of a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = CODE.sub("", page.read_text(encoding="utf-8"))
    return {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_shown_exists(page):
    commands = shown_commands(page.read_text(encoding="utf-8"))
    assert [c for c in sorted(commands) if not command_exists(c)] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_leads_somewhere(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        if not destination.exists() or (anchor and destination.suffix == ".md" and anchor not in anchors(destination)):
            broken.append(target)
    assert broken == []


def test_the_readme_is_a_five_minute_read():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    linked = {Path(t.partition("#")[0]).name for t in LINK.findall(readme) if t.startswith("docs/")}
    assert linked >= {p.name for p in (REPO / "docs").glob("*.md")}  # every topic page is reachable


def test_the_checks_can_fail():
    assert shown_commands("run `akhbar storeys --since 24h` then\n```\n.venv/bin/akhbar sources frobnicate\n```") == {
        "storeys",
        "sources frobnicate",
    }
    assert not command_exists("storeys") and not command_exists("sources frobnicate")
    assert command_exists("sources discover") and command_exists("show 42")
    assert slug("Safety and failure handling") == "safety-and-failure-handling"
    assert slug("How it works, in one paragraph") == "how-it-works-in-one-paragraph"


def test_every_setting_is_documented():
    settings = re.findall(
        r"^(AKHBAR_[A-Z_]+)\s*=", (REPO / "crawler" / "settings.py").read_text(encoding="utf-8"), re.MULTILINE
    )
    manual = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    assert len(settings) > 20
    assert [name for name in settings if f"`{name}`" not in manual] == []


def test_the_code_points_to_pages_that_exist():
    """Docstrings, comments and --help texts send readers to docs/ pages: those pages exist, and
    no text points to a README section (the README is short; the manual is in docs/)."""
    missing, to_readme = [], []
    for folder in ("crawler", "spiders", "pipelines", "storage"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            missing += [
                f"{path.name}: {m}" for m in re.findall(r"docs/([\w-]+\.md)", text) if not (REPO / "docs" / m).exists()
            ]
            to_readme += [path.name for line in text.splitlines() if re.search(r"\bREADME\b(?!\.md)", line)]
    assert missing == [] and to_readme == []
