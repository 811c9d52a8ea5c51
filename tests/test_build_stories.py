"""Stories after a real rebuild and update: files read by the real readers, fingerprinted in the
workers, grouped by the build, searched by copies. Each kind of copy an outlet makes joins its
original's story; each kind of look-alike stays apart; update keeps story ids."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from indexer.build import rebuild, update
from indexer.engines import open_engine
from indexer.model import SearchRequest
from tests.story_texts import (DIVIDEND_BODY, FURNITURE_BOTTOM, FURNITURE_TOP, HARBOUR, HARBOUR_OTHER,
                               REPORT_WEEK_1, REPORT_WEEK_2, VACCINE, edited)

DATE = "2020-03-03"
HEADLINE = "Kelmora to deepen its harbour"


def as_html(title: str, paragraphs: list[str], date: str = DATE) -> str:
    """A saved web page: the site's menus, share bar, related links and footer around the article."""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<html><head><title>{html.escape(title)} | Harbour Daily</title>"
            f'<meta property="article:published_time" content="{date}T08:00:00Z"></head><body>'
            "<nav><ul><li>Home</li><li>World</li><li>Business</li><li>Sport</li></ul></nav>"
            "<div class='share'>Share on Facebook · Share on Twitter · Email</div>"
            f"<article><h1>{html.escape(title)}</h1>{paras}</article>"
            "<aside><h2>Related stories</h2><ul><li>Fishermen protest at dredging plans</li>"
            "<li>Council backs new rail link</li></ul></aside>"
            "<footer>© 2020 Harbour Daily. All rights reserved. Privacy policy · Cookies</footer></body></html>")


def as_json(title: str, paragraphs: list[str], date: str = DATE, **extra) -> str:
    return json.dumps({"title": title, "date": date, "body": "\n\n".join(paragraphs), **extra})


def as_text(title: str, paragraphs: list[str], date: str = DATE) -> str:
    return f"{title} - {date}\n\n" + "\n\n".join(paragraphs) + "\n"


def outlet(paragraphs: list[str], dateline: str = "KELMORA (Harbour Daily) - ") -> list[str]:
    """What an outlet wraps a wire story in: a byline, a dateline lead, credits and a copyright line."""
    first, *rest = paragraphs
    return FURNITURE_TOP + [dateline + first] + rest + FURNITURE_BOTTOM


ORIGINAL = ("original.json", as_json(HEADLINE, HARBOUR))
LIBRARY = [   # another story from the same site, in the same page furniture
    "The central library of Kelmora reopened on Saturday, eighteen months after a flood destroyed its "
    "ground floor and more than 40,000 books in the oldest part of the building.",
    "Volunteers queued from early morning to carry the first crates of donated books back onto the shelves, "
    "and the mayor cut a ribbon at the restored reading room at ten o'clock.",
    "The repairs cost 6.2 million euros, two thirds of it paid by the insurer, and added a raised floor and "
    "pumps that the city engineer said would keep out a flood twice as high.",
    "Librarians said the children's section would open last, in June, because its furniture was still being "
    "built by a workshop in the old town.",
]
COPIES = {   # file → its content: each a copy of ORIGINAL as outlets make them
    "other-headline-dateline-byline-footer.html": as_html("Port city votes to dredge its channel", outlet(HARBOUR)),
    "page-furniture.html": as_html(HEADLINE, HARBOUR),
    "truncated.txt": as_text("Kelmora harbour plan approved", HARBOUR[:4]),
    "small-edits.json": as_json(HEADLINE, edited(HARBOUR)),
    "update-adds-paragraphs.json": as_json("UPDATE 1-Kelmora to deepen its harbour", HARBOUR + [
        "Late on Tuesday the regional court said it would hear the fishermen's challenge in May, and that "
        "dredging could not start before it had ruled on the spawning grounds.",
        "The authority said it expected to win the case and kept its timetable for the first contracts."]),
    "as-text.txt": as_text(HEADLINE, HARBOUR),
    "exact-copy-elsewhere.json": ORIGINAL[1],
}
LOOK_ALIKES = {   # file → content: each a story of its own, though it resembles another
    "same-subject.json": as_json("Kelmora dockworkers walk out", HARBOUR_OTHER),
    "same-headline-other-story.json": as_json(HEADLINE, VACCINE),
    "same-furniture-other-story.html": as_html("Kelmora library reopens after flood", LIBRARY),
    "report-week-1.json": as_json("Kelmora grain shipments", REPORT_WEEK_1, "2020-03-06"),
    "report-week-2.json": as_json("Kelmora grain shipments", REPORT_WEEK_2, "2020-03-13"),
    "dividend-acme.txt": as_text("ACME CORP SETS QUARTERLY DIVIDEND", DIVIDEND_BODY.split("\n")),
    "dividend-globex.txt": as_text("GLOBEX INC SETS QUARTERLY DIVIDEND", DIVIDEND_BODY.split("\n")),
}


def write(folder: Path, files: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def stories(index: Path) -> dict[str, str]:
    """File name → story of its article, from the search with every copy listed (as an export reads it)."""
    with open_engine("whoosh", index_dir=index).session() as session:
        result = session.search(SearchRequest(q="", copies="all", page_size=100))
    assert result.total == result.articles and len(result.hits) == result.total
    return {Path(h.source).name: h.facets["story"][0] for h in result.hits}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stories")
    corpus = write(tmp / "corpus", {ORIGINAL[0]: ORIGINAL[1], **COPIES, **LOOK_ALIKES})
    report = rebuild([corpus], tmp / "index", workers=2)
    return report, stories(tmp / "index"), tmp


@pytest.mark.parametrize("name", sorted(COPIES))
def test_each_kind_of_copy_groups_with_its_original(built, name):
    _, found, _ = built
    assert found[name] == found[ORIGINAL[0]]


@pytest.mark.parametrize("name", sorted(LOOK_ALIKES))
def test_each_look_alike_is_a_story_of_its_own(built, name):
    _, found, _ = built
    others = [story for file, story in found.items() if file != name]
    assert found[name] not in others


def test_the_summary_counts_stories_copies_and_exact_copies(built):
    report, found, _ = built
    assert report.indexed == 1 + len(COPIES) + len(LOOK_ALIKES) and not report.skipped
    assert report.stories == len(set(found.values())) == 1 + len(LOOK_ALIKES)
    # the same title, date and text as the original once read: the JSON copy, the text file and the
    # page whose furniture the reader dropped
    assert report.copies == len(COPIES) and report.exact_copies == 3


def test_grouped_search_shows_one_hit_per_story_with_its_copies(built):
    _, found, tmp = built
    with open_engine("whoosh", index_dir=tmp / "index").session() as session:
        result = session.search(SearchRequest(q="harbour channel dredging"))
    assert result.grouped and result.counted == "stories"
    assert (result.stories, result.articles) == (result.total, result.total + len(COPIES))
    top = result.hits[0]
    assert top.facets["story"] == [found[ORIGINAL[0]]] and top.copies_total == len(COPIES)
    assert len(top.copies) == min(len(COPIES), 5) and top.id not in {c.id for c in top.copies}
    assert [c.date for c in top.copies] == sorted(c.date for c in top.copies)


def test_the_same_file_under_two_roots_is_one_article(tmp_path):
    a = write(tmp_path / "a", {"story.json": ORIGINAL[1]})
    b = write(tmp_path / "b", {"story.json": ORIGINAL[1]})
    report = rebuild([a, b], tmp_path / "index", workers=1)
    assert report.indexed == 1 and report.skipped_by_reason() == {"duplicate": 1}
    assert report.exact_copies == 0


def test_update_adds_new_copies_to_existing_stories_and_keeps_ids(tmp_path):
    corpus = write(tmp_path / "corpus", {ORIGINAL[0]: ORIGINAL[1], **LOOK_ALIKES})
    rebuild([corpus], tmp_path / "index", workers=1)
    before = stories(tmp_path / "index")
    write(corpus, COPIES)
    report = update([corpus], tmp_path / "index", workers=1)
    after = stories(tmp_path / "index")
    assert {k: after[k] for k in before} == before                 # every story keeps its id
    assert {after[name] for name in COPIES} == {before[ORIGINAL[0]]}
    assert report.copies == len(COPIES) and report.stories == len(set(before.values()))
    again = update([corpus], tmp_path / "index", workers=1)       # nothing changed: nothing moves
    assert again.indexed == 0 and stories(tmp_path / "index") == after


def test_a_removed_original_does_not_orphan_its_copies(tmp_path):
    corpus = write(tmp_path / "corpus", {ORIGINAL[0]: ORIGINAL[1], "truncated.txt": COPIES["truncated.txt"],
                                         "page-furniture.html": COPIES["page-furniture.html"], **LOOK_ALIKES})
    rebuild([corpus], tmp_path / "index", workers=1)
    story = stories(tmp_path / "index")[ORIGINAL[0]]
    (corpus / ORIGINAL[0]).unlink()
    report = update([corpus], tmp_path / "index", workers=1)
    after = stories(tmp_path / "index")
    assert report.removed == 1 and ORIGINAL[0] not in after
    assert after["truncated.txt"] == after["page-furniture.html"] == story
    write(corpus, {"small-edits.json": COPIES["small-edits.json"]})    # a later copy still finds the story
    update([corpus], tmp_path / "index", workers=1)
    assert stories(tmp_path / "index")["small-edits.json"] == story


def test_an_exact_copy_is_deleted_alone(tmp_path):
    corpus = write(tmp_path / "corpus", {ORIGINAL[0]: ORIGINAL[1], "exact-copy.json": ORIGINAL[1]})
    rebuild([corpus], tmp_path / "index", workers=1)
    (corpus / "exact-copy.json").unlink()
    report = update([corpus], tmp_path / "index", workers=1)
    assert report.removed == 1 and list(stories(tmp_path / "index")) == [ORIGINAL[0]]


def test_merged_stories_are_relabelled_in_the_index(tmp_path):
    # a copy of the first paragraphs and one of the last share nothing; the whole original, read
    # last, matches both and makes them one story
    corpus = write(tmp_path / "corpus", {
        "a-head.json": as_json(HEADLINE, HARBOUR[:3]),
        "b-tail.json": as_json(HEADLINE, HARBOUR[4:]),
        "c-original.json": as_json(HEADLINE, HARBOUR)})
    report = rebuild([corpus], tmp_path / "index", workers=1)
    found = stories(tmp_path / "index")
    assert report.stories == 1 and report.relabelled >= 1 and len(set(found.values())) == 1
