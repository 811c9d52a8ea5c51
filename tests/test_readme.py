"""The README and the docs it links stay true to the repository: every relative link reaches a file
(and its heading, when it names one), and every path the repository maps name exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [REPO / "README.md", *DOCS]
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
TOP_FOLDERS = ("indexer", "webui", "tests", "bench", "docs", "corpus", "opensearch-dev")


def prose(text: str) -> str:
    """The text outside fenced code blocks, where a `[x](y)` is not a link and `# x` not a heading."""
    return FENCE.sub("", text)


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces
    as hyphens, a repeated heading numbered."""
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", prose(path.read_text(encoding="utf-8")), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else f"{slug}-{n}")
    return found


def relative_links(path: Path) -> list[str]:
    """The links of a page that point inside the repository (no scheme, no mail address)."""
    return [t for t in LINK.findall(prose(path.read_text(encoding="utf-8")))
            if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I)]


def test_the_anchor_rule_follows_github():
    page = REPO / "README.md"
    assert {"quick-start", "command-line", "web-ui-and-json-api", "settings"} <= anchors(page)


def test_the_readme_links_the_docs():
    """Every topic file in docs/ is reachable from the front door."""
    linked = {(REPO / t.split("#")[0]).resolve() for t in relative_links(REPO / "README.md")}
    assert not [d.name for d in DOCS if d.resolve() not in linked]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_reaches_its_file_and_heading(page):
    broken = []
    for target in relative_links(page):
        file, _, anchor = target.partition("#")
        dest = (page.parent / file).resolve() if file else page
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no such heading in {dest.name}")
    assert not broken, f"{page.name}: {broken}"


def tree_paths(page: Path, section: str) -> list[str]:
    """The paths a map of the repository names: its first column, nested by two spaces a level
    (continuation lines start in the description column), and root paths quoted in descriptions."""
    text = page.read_text(encoding="utf-8")
    start = text.index(section)
    block = FENCE.search(text, start).group(0).splitlines()[1:-1]
    paths, stack = [], []
    for line in block:
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and indent < 20:
            name = line.split()[0]
            depth = indent // 2
            stack[depth:] = [name.rstrip("/")]
            paths.append("/".join(stack))
        paths += [p for p in re.findall(r"`([\w./-]+)`", line) if p.split("/")[0] in TOP_FOLDERS and "/" in p]
    return paths


MAPS = [("README.md", "## Repository"), ("docs/architecture.md", "## Every module")]


@pytest.mark.parametrize("page,section", MAPS)
def test_every_path_the_map_names_exists(page, section):
    paths = tree_paths(REPO / page, section)
    assert len(paths) > 20
    assert not [p for p in paths if not (REPO / p).exists()], f"{page} names paths that do not exist"


@pytest.mark.parametrize("page,section", MAPS)
def test_the_map_shows_every_top_folder(page, section):
    named = {p.split("/")[0] for p in tree_paths(REPO / page, section)}
    assert set(TOP_FOLDERS) <= named


def test_the_readme_says_what_make_run_and_make_test_do():
    """The Quick start's account of the two make targets matches the Makefile's recipes."""
    makefile = (REPO / "Makefile").read_text()
    recipe = {m.group(1): m.group(2) for m in re.finditer(r"^([\w-]+):[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.M)}
    prereqs = {m.group(1): m.group(2).split() for m in re.finditer(r"^([\w-]+):([^\n=]*)$", makefile, re.M)}
    readme = " ".join((REPO / "README.md").read_text().split())
    assert "serve --check" in recipe["run"] and "rebuild $(CORPUS)" in recipe["run"] and "serve --index" in recipe["run"]
    assert recipe["run"].index("--check") < recipe["run"].index("rebuild") < recipe["run"].index("serve --index")
    assert "`make run` first checks that the port is free" in readme and "then runs `newsfacet rebuild` and `newsfacet serve`" in readme
    assert {"install-test", "browser", "axe"} <= set(prereqs["test"]) and "prepare" in recipe["test"]
    assert "installs (plus Chromium and axe-core for the browser tests, and builds the OpenSearch" in readme
    assert 'not browser and not shared and not opensearch' in recipe["test-fast"]
    assert "`make test-fast` leaves out the browser, shared-corpus and OpenSearch tests" in readme
