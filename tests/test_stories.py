"""Grouping articles into stories (indexer.stories): copies group, look-alikes stay apart, ids last."""
import datetime as dt

import pytest

from indexer.ingest.fingerprint import fingerprint
from indexer.ingest.pipeline import content_hash
from indexer.stories import StoryIndex, StoryState, story_id_for
from tests.story_texts import (DIVIDEND_BODY, HARBOUR, HARBOUR_OTHER, REPORT_WEEK_1, REPORT_WEEK_2, VACCINE,
                               body, edited, outlet_copy)

DAY = dt.date(2020, 3, 3)


class Archive:
    """A StoryIndex fed like a build: article id, content hash, fingerprint and date per article."""

    def __init__(self, index=None):
        self.index = index or StoryIndex()

    def add(self, article_id: str, text: str, title: str = "Kelmora harbour to be deepened", date=DAY) -> str:
        return self.index.add(article_id, content_hash(title, date, text), fingerprint(title, text), date)


@pytest.fixture
def archive():
    archive = Archive()
    archive.add("original", body(HARBOUR))
    archive.add("vaccine", body(VACCINE), "Measles vaccination starts in schools")
    return archive


# ---------------------------------------------------------------- copies group

@pytest.mark.parametrize("copy", [
    pytest.param(lambda: outlet_copy(HARBOUR), id="headline-dateline-byline-footer"),
    pytest.param(lambda: body(HARBOUR[:4]), id="first-half"),
    pytest.param(lambda: body(edited(HARBOUR)), id="small-edits"),
    pytest.param(lambda: body(HARBOUR + VACCINE[4:6]), id="update-adds-paragraphs"),
    pytest.param(lambda: outlet_copy(edited(HARBOUR)[:5], dateline="LONDON, March 3 - "), id="cut-edited-outlet"),
])
def test_each_kind_of_copy_joins_the_story(archive, copy):
    story = archive.index.story("original")
    assert archive.add("copy", copy(), title="Port city votes to dredge its channel") == story
    assert archive.index.members(story) == ["original", "copy"]


def test_an_exact_copy_in_another_file_joins_the_story(archive):
    assert archive.add("elsewhere", body(HARBOUR)) == archive.index.story("original")


def test_an_exact_copy_of_an_unfingerprinted_flash_joins_only_its_copy():
    archive = Archive()
    first = archive.add("flash-1", "Port closed.", title="KELMORA PORT CLOSED")
    assert archive.add("flash-2", "Port closed.", title="KELMORA PORT CLOSED") == first
    assert archive.add("flash-3", "Port closed.", title="RIVAL PORT CLOSED") != first


def test_a_copy_days_later_still_joins_when_it_is_the_same_text(archive):
    later = DAY + dt.timedelta(days=9)
    assert archive.add("reprint", outlet_copy(HARBOUR), date=later) == archive.index.story("original")


def test_the_same_article_added_twice_is_one_article(archive):
    story = archive.index.story("original")
    assert archive.add("original", body(HARBOUR)) == story
    assert archive.index.members(story) == ["original"]


# ---------------------------------------------------------------- look-alikes stay apart

def test_another_story_on_the_same_subject_is_apart(archive):
    assert archive.add("strike", body(HARBOUR_OTHER)) != archive.index.story("original")


def test_the_same_headline_does_not_make_a_story(archive):
    assert archive.add("other", body(VACCINE), title="Kelmora harbour to be deepened") == archive.index.story("vaccine")
    assert archive.index.story("other") != archive.index.story("original")


def test_the_same_site_furniture_does_not_make_a_story():
    archive = Archive()
    harbour = archive.add("a", outlet_copy(HARBOUR[:3]))
    assert archive.add("b", outlet_copy(VACCINE[:3]), title="Measles vaccination starts") != harbour


def test_issues_of_a_recurring_report_are_apart():
    archive = Archive()
    first = archive.add("week-1", body(REPORT_WEEK_1), "Kelmora grain shipments", DAY)
    assert archive.add("week-2", body(REPORT_WEEK_2), "Kelmora grain shipments", DAY + dt.timedelta(days=7)) != first
    undated = Archive()
    first = undated.add("week-1", body(REPORT_WEEK_1), "Kelmora grain shipments", None)
    assert undated.add("week-2", body(REPORT_WEEK_2), "Kelmora grain shipments", None) != first


def test_a_template_filled_for_another_company_is_apart():
    archive = Archive()
    first = archive.add("a", DIVIDEND_BODY, "NORTHWIND SHIPPING CORP SETS QUARTERLY DIVIDEND")
    assert archive.add("b", DIVIDEND_BODY, "KELMORA HARBOUR BANK SETS QUARTERLY PAYOUT") != first
    assert archive.add("c", DIVIDEND_BODY, "NORTHWIND SHIPPING CORP SETS QUARTERLY DIVIDEND",
                       DAY + dt.timedelta(days=1)) == first      # the same item again, next day


# ---------------------------------------------------------------- ids: incremental, removal, merges

def test_update_keeps_ids_through_a_saved_state(archive):
    story = archive.index.story("original")
    loaded = Archive(StoryIndex.from_state(StoryState.from_bytes(archive.index.state().to_bytes())))
    assert loaded.index.story("original") == story and loaded.index.story("vaccine") == archive.index.story("vaccine")
    assert loaded.add("copy", body(HARBOUR[:4])) == story
    assert loaded.add("strike", body(HARBOUR_OTHER)) not in {story, archive.index.story("vaccine")}


def test_a_rebuild_of_the_same_files_gives_the_same_ids(archive):
    again = Archive()
    again.add("original", body(HARBOUR))
    again.add("vaccine", body(VACCINE), "Measles vaccination starts in schools")
    assert dict(again.index.items()) == dict(archive.index.items())


def test_removing_the_original_keeps_the_story_of_its_copies(archive):
    story = archive.index.story("original")
    archive.add("copy-1", outlet_copy(HARBOUR))
    archive.add("copy-2", body(HARBOUR[:4]))
    assert archive.index.remove("original") == story
    assert archive.index.members(story) == ["copy-1", "copy-2"]
    assert archive.add("copy-3", body(edited(HARBOUR))) == story        # still findable without the original
    for member in ("copy-1", "copy-2", "copy-3"):
        archive.index.remove(member)
    assert archive.index.members(story) == []
    reborn = archive.add("original", body(HARBOUR))
    assert reborn == story_id_for(content_hash("Kelmora harbour to be deepened", DAY, body(HARBOUR)))


def test_a_new_story_never_takes_a_live_id(archive):
    story = archive.index.story("original")
    archive.add("copy", outlet_copy(HARBOUR))
    archive.index.remove("original")
    changed = body(HARBOUR_OTHER)                  # the first member's id comes back with another text
    index = archive.index
    assert index.add("original", content_hash("Kelmora harbour to be deepened", DAY, body(HARBOUR)),
                     fingerprint("t", changed), DAY) != story
    assert index.story("copy") == story


def test_an_article_matching_two_stories_merges_them():
    archive = Archive()
    cut = archive.add("cut", body(HARBOUR[:3]))
    update = archive.add("update", body(HARBOUR[4:] + VACCINE[3:4]))     # a later part and a new paragraph
    assert cut != update
    merged = archive.add("original", body(HARBOUR))
    assert archive.index.story("cut") == archive.index.story("update") == merged
    relabelled = archive.index.take_relabelled()
    assert len(relabelled) == 1 and set(relabelled.values()) == {merged}
    assert archive.index.take_relabelled() == {}
    assert len(archive.index.take_merged()) == 1


def test_state_from_other_fingerprint_settings_is_refused(archive, monkeypatch):
    from indexer import stories
    data = archive.index.state().to_bytes()
    monkeypatch.setattr(stories, "NUM_PERM", 64)
    with pytest.raises(ValueError, match="rebuild"):
        StoryState.from_bytes(data)
