"""Search, facets and the query language over a small index of hand-made articles."""
from __future__ import annotations

import datetime as dt

import pytest

from indexer.build import index_articles
from indexer.model import result_to_json
from indexer.request import from_mapping
from indexer.engines.whoosh.search import complete, facet_values, get_article, iter_hits, more_like_this, open_index, search
from tests.conftest import make_article

ARTICLES = [
    make_article(1, "Six-party talks resume in Beijing", "Envoys met in Beijing for six-party talks on the nuclear program. "
                 "James Kelly led the delegation.", "2004-02-25", people=["James Kelly"],
                 countries=["China", "North Korea", "United States"]),
    make_article(2, "Oil prices rise in Tokyo trading", "Oil prices rose as the yen weakened against the dollar.",
                 "1987-03-02", countries=["Japan"], mentioned=["United States"]),
    make_article(3, "Grain exports", "Wheat and grain exports from Canada increased.", "1987-04-10",
                 countries=["Canada"]),
    make_article(4, "Grain harvest", "The grain harvest in China was large; rice and corn led.", "1987-04-11",
                 countries=["China"]),
    make_article(5, "Seoul hopes for progress", "South Korean officials hope the talks make progress. "
                 "Mr. Kelly said so.", "2004-02-20", people=["James Kelly", "Richard Boucher"],
                 countries=["South Korea", "North Korea"]),
    make_article(6, "Café society", "A story about a café in Paris and its espresso.", None, countries=["France"]),
    make_article(7, "Oil prices in Japan fall", "Japanese oil prices fell; crude oil prices were lower.", "1987-05-01",
                 countries=["Japan"], people=["Yasuhiro Nakasone"]),
    make_article(8, "<script>alert('x')</script> headline", "Body with <b>tags</b> & <script>alert(1)</script> "
                 "and talks.", "2004-03-01", countries=["Libya"]),
]


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    root = tmp_path_factory.mktemp("idx")
    index_articles(ARTICLES, root)
    return open_index(root).generation()


def run(gen, **params):
    req, messages = from_mapping(params)
    return search(gen, req, messages=messages)


def ids(result):
    return sorted(h.id for h in result.hits)


def test_words_all_must_match_and_stemming(gen):
    assert ids(run(gen, q="talk")) == ["art0001", "art0005", "art0008"]       # talks ↔ talk
    assert ids(run(gen, q="talks Beijing")) == ["art0001"]


def test_phrase_or_not_and_minus(gen):
    assert ids(run(gen, q='"oil prices"')) == ["art0002", "art0007"]
    assert ids(run(gen, q="wheat OR rice")) == ["art0003", "art0004"]
    assert ids(run(gen, q="grain -wheat")) == ["art0004"]
    assert ids(run(gen, q="grain NOT wheat")) == ["art0004"]
    # a hyphen inside a word is not a NOT
    assert ids(run(gen, q="six-party")) == ["art0001"]


def test_case_and_accent_insensitive(gen):
    assert ids(run(gen, q="CAFE")) == ["art0006"]
    assert ids(run(gen, q="café")) == ["art0006"]


def test_field_queries(gen):
    assert ids(run(gen, q='person:"james kelly"')) == ["art0001", "art0005"]
    assert ids(run(gen, q="person:Boucher")) == ["art0005"]            # last name finds the full name
    assert ids(run(gen, q="country:japan")) == ["art0002", "art0007"]
    assert ids(run(gen, q='country:"north korea" talks')) == ["art0001", "art0005"]
    assert ids(run(gen, q="title:grain")) == ["art0003", "art0004"]
    assert ids(run(gen, q="date:2004-02")) == ["art0001", "art0005"]
    assert ids(run(gen, q="date:[1987-04-01 TO 1987-04-30]")) == ["art0003", "art0004"]
    assert ids(run(gen, q="date:[1987-04 TO 1987-05]")) == ["art0003", "art0004", "art0007"]


@pytest.mark.parametrize("q", ['"nuclear talks', "(talks OR", "talks)", "nosuchfield:talks", "date:2004-13",
                               "date:[2004-01-01 TO", "date:[2004-02-30 TO 2004-03-01]", "country:*", "***", ":",
                               "NOT", "OR OR", '""', "-", "a:b:c", "[[[", "date:]",
                               'NOT NOT "', "oil NOT NOT"])
def test_bad_queries_give_messages_not_errors(gen, q):
    result = run(gen, q=q)
    assert result.total >= 0
    if q in ('"nuclear talks', "(talks OR", "talks)", "nosuchfield:talks", "date:2004-13"):
        assert result.messages, q
    if q == '"nuclear talks':
        assert ids(result) == ["art0001"]   # best effort: the words still search
    if q == "nosuchfield:talks":
        assert "nosuchfield" in " ".join(result.messages)


def test_browse_mode_is_newest_first_with_unknown_dates_last(gen):
    result = run(gen, q="", size="20")
    assert result.total == len(ARTICLES)
    dates = [h.date for h in result.hits]
    assert dates[-1] is None
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    assert [h.date for h in run(gen, sort="oldest", size="3").hits] == ["1987-03-02", "1987-04-10", "1987-04-11"]


def _independent_counts(articles, field, keep):
    counts = {}
    for a in articles:
        if keep(a):
            for v in a.facets.get(field, []):
                counts[v] = counts.get(v, 0) + 1
    return counts


def test_disjunctive_facet_counts_match_an_independent_count(gen):
    result = run(gen, q="", country=["North Korea", "Japan"], person=["James Kelly"])
    in_country = lambda a: {"North Korea", "Japan"} & set(a.facets.get("country", []))
    has_person = lambda a: "James Kelly" in a.facets.get("person", [])
    assert result.total == sum(1 for a in ARTICLES if in_country(a) and has_person(a))
    # country counts ignore the country selection but keep the person filter
    expected_c = _independent_counts(ARTICLES, "country", has_person)
    got_c = {v.value: v.count for v in result.facets["country"].values}
    assert got_c == {**{k: v for k, v in expected_c.items()}, "Japan": 0}
    # person counts ignore the person selection but keep the country filter
    expected_p = _independent_counts(ARTICLES, "person", in_country)
    assert {v.value: v.count for v in result.facets["person"].values} == expected_p
    # selected values come first and say so
    values = result.facets["country"].values
    assert [v.value for v in values[:2]] == ["North Korea", "Japan"] and all(v.selected for v in values[:2])
    assert not any(v.selected for v in values[2:])


def test_facet_toggle_params_hold_the_whole_state(gen):
    result = run(gen, q="talks", country=["North Korea"], page="1")
    china = next(v for v in result.facets["country"].values if v.value == "China")
    assert china.toggle == {"q": "talks", "country": ["North Korea", "China"]}
    nk = next(v for v in result.facets["country"].values if v.value == "North Korea")
    assert nk.toggle == {"q": "talks"}


def test_date_histogram_by_year_then_month(gen):
    years = run(gen, q="").facets["date"]
    assert years.granularity == "year"
    by_year = {v.value: v.count for v in years.values}
    assert by_year["1987"] == 4 and by_year["2004"] == 3 and by_year["1990"] == 0
    y1987 = next(v for v in years.values if v.value == "1987")
    assert y1987.toggle == {"from": "1987-01-01", "to": "1987-12-31"}
    months = run(gen, q="", **y1987.toggle)
    assert months.total == 4
    facet = months.facets["date"]
    assert facet.granularity == "month" and len(facet.values) == 12
    assert {v.value: v.count for v in facet.values if v.count} == {"1987-03": 1, "1987-04": 2, "1987-05": 1}


def test_date_range_filter(gen):
    assert ids(run(gen, q="", **{"from": "2004-02-21", "to": "2004-12-31"})) == ["art0001", "art0008"]
    result = run(gen, q="", **{"from": "2004-99-01"})
    assert result.messages and result.total == len(ARTICLES)


def test_snippets_are_escaped_with_only_our_marks(gen):
    result = run(gen, q="talks")
    hostile = next(h for h in result.hits if h.id == "art0008")
    assert "<script>" not in hostile.snippet and "&lt;script&gt;" in hostile.snippet
    assert "<b>" not in hostile.snippet
    assert "<mark>talks</mark>" in hostile.snippet
    stripped = hostile.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped


def test_relevance_ranks_title_and_repeated_matches_first(gen):
    result = run(gen, q="oil prices")
    assert [h.id for h in result.hits][:2] == ["art0007", "art0002"]
    assert result.hits[0].score >= result.hits[1].score


def test_pagination(gen):
    first = run(gen, q="", size="3")
    second = run(gen, q="", size="3", page="2")
    assert first.pages == 3
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert run(gen, q="", size="3", page="99").hits == []


def test_did_you_mean(gen):
    result = run(gen, q="grian")
    assert result.total == 0
    assert result.suggestion == "grain"


def test_json_shape(gen):
    data = result_to_json(run(gen, q="talks", country=["China"]))
    assert set(data) >= {"total", "hits", "facets", "suggestion", "page", "pages", "messages"}
    assert set(data["hits"][0]) >= {"id", "title", "date", "source", "snippet", "people", "countries"}
    assert set(data["facets"]) == {"country", "person", "org", "author", "language", "date"}
    assert set(data["facets"]["country"]["values"][0]) >= {"value", "count", "selected"}


def test_article_more_like_this_export_and_facet_values(gen):
    with gen.searcher() as s:
        art = get_article(gen, s, "art0007", q="oil")
        assert art["title"] == "Oil prices in Japan fall" and "<mark>oil</mark>" in art["body_html"]
        assert get_article(gen, s, "../../etc/passwd") is None
        similar = more_like_this(gen, s, art["docnum"])
        assert similar and similar[0].id == "art0002"
        req, _ = from_mapping({"q": "prices"})
        assert [h.id for h in iter_hits(gen, req, s)] == [h.id for h in run(gen, q="prices", size="100").hits]
        kel = facet_values(gen, req, "person", prefix="nak", searcher=s)
        assert [v.value for v in kel.values] == ["Yasuhiro Nakasone"]
        assert any(c["value"] == "North Korea" for c in complete(gen, s, "kor"))


def test_new_generation_is_picked_up(tmp_path):
    index_articles(ARTICLES[:2], tmp_path)
    index = open_index(tmp_path)
    first = index.generation()
    assert first.doc_count == 2
    index_articles(ARTICLES, tmp_path)
    assert index.generation() is not first and index.generation().doc_count == len(ARTICLES)
    assert first.doc_count == 2   # the old generation object still answers


def test_dates_parse():
    from indexer.request import parse_date
    assert parse_date("2004-02", end=True) == dt.date(2004, 2, 29)
    assert parse_date("2004") == dt.date(2004, 1, 1)
    with pytest.raises(ValueError):
        parse_date("2004-02-30")


def test_facets_out_of_time_come_back_partial_not_failed(gen, monkeypatch):
    from indexer import settings
    monkeypatch.setattr(settings, "FACET_TIME_BUDGET", -1.0)
    result = run(gen, q="talks", country=["North Korea"], **{"from": "2004-01-01", "to": "2004-12-31"})
    assert result.total == 2 and len(result.hits) == 2          # the page itself is whole
    country = result.facets["country"]
    assert country.partial and [(v.value, v.count, v.selected) for v in country.values] == [("North Korea", 2, True)]
    assert result.facets["person"].partial and result.facets["person"].values == []
    assert result.facets["date"].partial and result.facets["date"].selected == ["2004-01-01..2004-12-31"]
    assert result_to_json(result)["facets"]["country"]["partial"] is True


def test_date_buckets_equal_calendar_years_and_months():
    import datetime as dt
    import random
    from collections import Counter

    import numpy as np

    from indexer.engines.whoosh.facets import _per_bucket
    from indexer.engines.whoosh.stories import StoryColumn
    rng = random.Random(4)
    days = np.array(sorted(rng.randint(dt.date(1986, 12, 25).toordinal(), dt.date(2005, 1, 7).toordinal())
                           for _ in range(3000)) + [dt.date(1990, 1, 1).toordinal(), dt.date(1999, 12, 31).toordinal()])
    dates = [dt.date.fromordinal(int(d)) for d in days]
    dated = np.ones(len(days), dtype=bool)
    years = _per_bucket(dated, days, [dt.date(y, 1, 1) for y in range(1986, 2006)], None)
    assert years.tolist() == [Counter(d.year for d in dates)[y] for y in range(1986, 2005)]
    months = _per_bucket(dated, days, [dt.date(1990, m, 1) for m in range(1, 13)] + [dt.date(1991, 1, 1)], None)
    assert months.tolist() == [Counter((d.year, d.month) for d in dates)[(1990, m)] for m in range(1, 13)]
    # as stories: documents two by two in one story count once a year (each pair has the same year or not)
    stories = StoryColumn(np.arange(len(days), dtype=np.int32) // 2, days.astype(np.int32))
    by_story = _per_bucket(dated, days, [dt.date(y, 1, 1) for y in range(1986, 2006)], stories)
    pairs = Counter(y for y in range(1986, 2005) for p in range(0, len(dates), 2)
                    if y in {d.year for d in dates[p:p + 2]})
    assert by_story.tolist() == [pairs[y] for y in range(1986, 2005)]


def test_facet_counts_sparse_and_dense_agree(gen):
    import numpy as np
    rng = np.random.default_rng(3)
    values = gen.values
    for mv in values.multi.values():
        full = lambda mask: np.bincount(mv.pair_value[mask[mv.pair_doc]], minlength=len(mv.names))  # noqa: E731
        for density in (0.0, 0.01, 0.05, 0.2, 1.0):
            mask = rng.random(values.ndocs) < density
            assert mv.counts(mask).tolist() == full(mask).tolist()


# ---------------------------------------------------------------- bounded cost, forgiving matching, CJK

def test_no_article_with_all_the_words_shows_those_with_most_of_them(gen):
    result = run(gen, q="grain harvest wheat canada")          # art3: grain wheat canada; art4: grain harvest
    assert [h.id for h in result.hits][:2] == ["art0003", "art0004"]
    assert any(m.startswith("No article has all of “grain harvest wheat canada”") for m in result.messages)
    assert [h.id for h in run(gen, q="grain harvest").hits] == ["art0004"]       # all words: no forgiving
    assert not any("No article has all" in m for m in run(gen, q="grain harvest").messages)


def test_forgiving_matching_keeps_filters_and_not(gen):
    result = run(gen, q="grain harvest wheat canada -rice")
    assert [h.id for h in result.hits] == ["art0003"]          # art4 has rice
    result = run(gen, q="grain harvest wheat canada", country=["China"])
    assert [h.id for h in result.hits] == ["art0004"]
    assert run(gen, q="zebra giraffe").total == 0              # nothing has any of them: still nothing


def test_words_typed_side_by_side_rank_higher_where_they_stand_together(tmp_path, monkeypatch):
    from indexer import settings
    index_articles([
        make_article(1, "Party news", "The party met. Six officials said talks went on; the party held more "
                     "talks, the party again, and talks.", "2004-01-01"),
        make_article(2, "Envoys", "Envoys gathered as the six-party talks resumed in the city.", "2004-01-02"),
        make_article(3, "Other", "Nothing here about it.", "2004-01-03"),
    ], tmp_path)
    g = open_index(tmp_path).generation()
    assert [h.id for h in run(g, q="six-party talks").hits] == ["art0002", "art0001"]
    monkeypatch.setattr(settings, "PROXIMITY_WEIGHT", 0.0)
    assert [h.id for h in run(g, q="six-party talks").hits] == ["art0001", "art0002"]


class FakeClock:
    """Time that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_past_the_time_budget_the_page_comes_back_partial(gen):
    from indexer.engines.whoosh.matching import Deadline
    req, _ = from_mapping({"q": "oil OR wheat OR rice OR talks OR grain"})
    whole = search(gen, req)
    assert not whole.partial and whole.total == 7
    gen.cache.clear()
    cut = search(gen, req, deadline=Deadline(2.5, clock=FakeClock(1.0)))   # expires while the OR is matched
    assert cut.partial and 0 < cut.total < whole.total
    assert any("cut short" in m for m in cut.messages)
    assert all(f.partial for f in cut.facets.values())
    assert [h.date for h in cut.hits] == sorted((h.date for h in cut.hits), reverse=True)   # newest first
    assert result_to_json(cut)["partial"] is True
    assert search(gen, req).total == whole.total             # the partial match was not cached


def test_an_expired_budget_never_splits_one_word_across_its_fields(gen):
    from indexer.engines.whoosh.matching import Deadline
    req, _ = from_mapping({"q": "wheat"})
    whole = search(gen, req)
    gen.cache.clear()
    late = search(gen, req, deadline=Deadline(0.0, clock=FakeClock(1.0)))   # spent before the word is read
    assert late.partial and late.total == whole.total > 0   # found in bodies too, not in titles only


def test_an_expired_budget_still_returns_a_page(gen):
    from indexer.engines.whoosh.matching import Deadline
    req, _ = from_mapping({"q": "grain harvest wheat canada"})
    result = search(gen, req, deadline=Deadline(0.0, clock=FakeClock(1.0)))
    assert result.partial and result.facets and all(f.partial for f in result.facets.values())


def test_wildcards_search_expanded_words_and_mark_them(gen):
    result = run(gen, q="whe*")
    assert ids(result) == ["art0003"] and "<mark>Wheat</mark>" in result.hits[0].snippet
    assert run(gen, q="*").total == len(ARTICLES) and run(gen, q="title:*").total == len(ARTICLES)
    assert ids(run(gen, q="gr?in")) == ["art0003", "art0004"]
    assert run(gen, q="AND OR").total == 0 and run(gen, q="AND OR").messages


def test_cjk_text_is_found_by_its_words_and_marked(tmp_path):
    index_articles([
        make_article(1, "两岸关系", "新闻：台湾是中国的一部分吗？这是关于台湾的新闻。", "2004-01-01"),
        make_article(2, "日本のニュース", "東京で会議が開かれた。", "2004-01-02"),
        make_article(3, "English", "Taiwan and Tokyo in English.", "2004-01-03"),
    ], tmp_path)
    g = open_index(tmp_path).generation()
    result = run(g, q="台湾")
    assert ids(result) == ["art0001"] and "<mark>台湾</mark>" in result.hits[0].snippet
    assert ids(run(g, q="中国")) == ["art0001"]
    assert ids(run(g, q="湾是中")) == ["art0001"]
    assert ids(run(g, q='"台湾是中国"')) == ["art0001"]
    assert run(g, q="国台").total == 0
    assert ids(run(g, q="東京")) == ["art0002"] and ids(run(g, q="tokyo")) == ["art0003"]


@pytest.fixture(scope="module")
def sample_corpus(tmp_path_factory):
    from indexer.build import rebuild
    from tests.conftest import REPO
    root = tmp_path_factory.mktemp("corpus-index")
    rebuild([REPO / "corpus"], root, workers=1)
    return open_index(root).generation()


def test_a_sentence_pasted_from_an_article_finds_it_on_page_one(sample_corpus):
    import random
    import re
    g = sample_corpus
    rng = random.Random(13)
    with g.searcher() as s:
        docs = [s.stored_fields(d) for d in range(g.doc_count)]
    checked = 0
    for fields in rng.sample(docs, 40):
        sentences = [x.strip() for x in re.split(r"(?<=[.!?])\s+", fields.get("body") or "")
                     if 8 <= len(x.split()) <= 40]
        if not sentences:
            continue
        pasted = rng.choice(sentences)
        result = run(g, q=pasted)
        assert fields["id"] in [h.id for h in result.hits], pasted
        checked += 1
    assert checked >= 30
