"""Stories on every engine (the engine contract, through the interface only): one result per story
by default with its other copies, totals and counts of stories, ``copies=all``, the story lookup,
paging, similar articles. Expected values come from the articles below, not from an engine."""
from __future__ import annotations

import pytest
from conftest import ENGINE_PARAMS, indexed_sessions, make_article

from indexer.model import SearchRequest
from tests.story_texts import HARBOUR, HARBOUR_OTHER, VACCINE, body, edited, outlet_copy

ARTICLES = [
    make_article(1, "Kelmora to deepen its harbour", body(HARBOUR), "2020-03-03", countries=["France"]),
    make_article(2, "Port city votes to dredge", outlet_copy(HARBOUR), "2020-03-04", countries=["France"]),
    make_article(3, "Harbour plan approved", body(edited(HARBOUR)[:5]), "2020-03-05", countries=["France", "Spain"]),
    make_article(4, "Measles vaccination starts", body(VACCINE), "2020-03-02", countries=["France"]),
    make_article(5, "Kelmora dockworkers walk out", body(HARBOUR_OTHER), "2019-11-20", countries=["Spain"]),
]
HARBOUR_IDS = ["art0001", "art0002", "art0003"]


@pytest.fixture(scope="module", params=ENGINE_PARAMS)
def session(request, tmp_path_factory):
    yield from indexed_sessions(request, tmp_path_factory, "stories", ARTICLES)


def _story(session, article_id: str) -> str:
    return session.article(article_id)["facets"]["story"][0]


def _counts(result, name: str) -> dict:
    return {v.value: v.count for v in result.facets[name].values}


def test_copies_share_a_story_and_others_do_not(session):
    stories = [_story(session, a.id) for a in ARTICLES]
    assert stories[0] == stories[1] == stories[2] and len(set(stories)) == 3


def test_one_hit_per_story_its_newest_copy_first_with_the_others_oldest_first(session):
    result = session.search(SearchRequest(q="", sort="newest"))
    assert (result.total, result.stories, result.articles) == (3, 3, 5) and result.grouped
    assert [h.id for h in result.hits] == ["art0003", "art0004", "art0005"]
    top = result.hits[0]
    assert top.copies_total == 2 and [c.id for c in top.copies] == ["art0001", "art0002"]
    assert [c.date for c in top.copies] == ["2020-03-03", "2020-03-04"] and top.copies[1].title == "Port city votes to dredge"
    assert result.hits[1].copies_total == 0 and result.hits[1].copies == []


def test_facet_counts_and_histogram_count_stories_when_grouped_and_articles_with_every_copy(session):
    grouped = session.search(SearchRequest(q=""))
    assert grouped.counted == "stories"
    assert _counts(grouped, "country") == {"France": 2, "Spain": 2}
    assert _counts(grouped, "date") == {"2019": 1, "2020": 2}
    every = session.search(SearchRequest(q="", copies="all"))
    assert every.counted == "articles" and not every.grouped
    assert (every.total, every.stories, every.articles) == (5, 3, 5) and len(every.hits) == 5
    assert _counts(every, "country") == {"France": 4, "Spain": 2}
    assert _counts(every, "date") == {"2019": 1, "2020": 4}
    assert all(h.copies == [] and h.copies_total == 0 for h in every.hits)


def test_a_filter_applies_to_the_copies_named_too(session):
    result = session.search(SearchRequest(q="", filters={"country": ["Spain"]}, sort="oldest"))
    assert [h.id for h in result.hits] == ["art0005", "art0003"]
    assert result.hits[1].copies_total == 0                       # its copies are not about Spain
    assert _counts(result, "country") == {"France": 2, "Spain": 2}   # disjunctive: France's own filter left out


def test_relevance_shows_each_story_once(session):
    result = session.search(SearchRequest(q="harbour channel"))
    ids = [h.id for h in result.hits]
    assert sum(i in HARBOUR_IDS for i in ids) == 1 and result.total == len(ids)
    assert result.hits[0].copies_total == 2


def test_pages_split_the_list_of_stories(session):
    whole = [h.id for h in session.search(SearchRequest(q="", sort="oldest")).hits]
    pages = [session.search(SearchRequest(q="", sort="oldest", page=p, page_size=1)) for p in (1, 2, 3)]
    assert [p.hits[0].id for p in pages] == whole and pages[0].pages == 3


def test_the_story_lookup_lists_every_copy(session):
    story = _story(session, "art0002")
    for req in (SearchRequest(q=f"story:{story}", sort="oldest"), SearchRequest(filters={"story": [story]}, sort="oldest")):
        result = session.search(req)
        assert not result.grouped and [h.id for h in result.hits] == HARBOUR_IDS and result.total == 3
        assert {h.facets["story"][0] for h in result.hits} == {story}


def test_exports_list_every_article_with_its_story(session):
    hits = list(session.iter_hits(SearchRequest(q="", sort="oldest")))
    assert [h.id for h in hits] == ["art0005", "art0004", "art0001", "art0002", "art0003"]
    assert len({h.facets["story"][0] for h in hits}) == 3


def test_similar_articles_are_other_stories(session):
    similar = [h.id for h in session.similar("art0001")]
    assert not set(similar) & set(HARBOUR_IDS)


def test_trends_and_batch_count_stories_when_grouped(session):
    grouped, every = session.day_counts([SearchRequest(q="harbour"), SearchRequest(q="harbour", copies="all")])
    harbour = {a.date for a in ARTICLES if "harbour" in (a.title + a.body).lower()}
    assert grouped.grouped and (grouped.total, grouped.articles) == (2, 4)      # the harbour story, the walkout
    assert sum(grouped.days.values()) == 4 and not every.grouped and every.total == 4
    assert set(every.days) == harbour and every.days == {d: 1 for d in harbour}
    [summary, summary_all] = session.summaries([SearchRequest(q=""), SearchRequest(q="", copies="all")])
    assert (summary.total, summary.articles, summary_all.total) == (3, 5, 5)
    top = {v.value: v.count for v in summary.top["country"]}
    assert top == {"France": 2, "Spain": 2}
