"""The engine contract: what any engine behind ``indexer.engines.base`` must answer, checked
through the interface only (no Whoosh, no document numbers), on every engine in ENGINES.

Expected values are computed from the articles below, not from an engine, so a second
engine (OpenSearch) runs these same tests unchanged: add it to ``ENGINES`` and to
``conftest.open_test_engine`` (for a cluster: its URL and a fresh alias). Read-only tests share one
index per engine (``built``); the tests that write get their own (``engine``).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import ENGINE_PARAMS, make_article, open_test_engine

from indexer import facets as registry
from indexer.engines.base import INDEX_FORMAT, OldIndex
from indexer.model import Hit, SearchRequest

ARTICLES = [
    make_article(1, "Reactor talks resume in Beijing", "Envoys met about the reactor at Yongbyon. James Kelly spoke.",
                 "2004-02-20", people=["James Kelly"], countries=["North Korea", "China"], mentioned=["Japan"],
                 authors=["Ann Lee"], orgs=["International Atomic Energy Agency", "Xinhua News Agency"]),
    make_article(2, "Kelly returns from Pyongyang", "James Kelly said the reactor talks would go on in Beijing.",
                 "2004-02-27", people=["James Kelly", "Kim Jong Il"], countries=["North Korea"], authors=["Ann Lee"],
                 orgs=["International Atomic Energy Agency"]),
    make_article(3, "Tokyo stocks close lower", "Shares fell in Tokyo as the yen rose against the dollar.",
                 "2004-03-02", countries=["Japan"], authors=["Bo Chan"],
                 orgs=["Tokyo Stock Exchange", "Bank of Japan"]),
    make_article(4, "Seoul and Tokyo discuss the reactor", "Officials from Seoul and Tokyo discussed the reactor.",
                 "2003-11-15", countries=["South Korea", "Japan"], mentioned=["North Korea"], orgs=["Bank of Korea"]),
    make_article(5, "Rice harvest grows", "Farmers in the south reported a record rice harvest this autumn.",
                 "2003-10-01", countries=["South Korea"]),
    make_article(6, "Undated note on the yen", "The yen and the dollar moved little.", None, countries=["Japan"]),
    make_article(7, "Beijing hosts trade fair", "A trade fair opened in Beijing with envoys from Japan.",
                 "2004-01-10", people=["Hu Jintao"], countries=["China"], mentioned=["Japan"], authors=["Bo Chan"],
                 orgs=["Bank of China", "Xinhua News Agency"]),
    make_article(8, "Typhoon floods coastal villages", "The typhoon flooded coastal villages; typhoon warnings "
                 "and flood evacuations continued as the typhoon moved north.", "2003-12-05", countries=["Philippines"]),
    make_article(9, "Second typhoon brings more floods", "Another typhoon flooded the coastal villages again; "
                 "flood evacuations began before the typhoon landed.", "2003-12-09", countries=["Philippines"]),
]
for _a in ARTICLES:
    _a.facets["language"] = ["en"]
ARTICLES += [   # the same story in two other languages: analysed in each, counted in the language facet
    make_article(10, "Las conversaciones sobre el reactor", "Los enviados hablaron del reactor en Pekín.",
                 "2004-01-20", countries=["China"], language=["es"]),
    make_article(11, "Gespräche über den Reaktor", "Die Gesandten sprachen in Peking über den Reaktor.",
                 "2004-02-05", countries=["China"], language=["de"]),
]
BY_ID = {a.id: a for a in ARTICLES}


@pytest.fixture(scope="module", params=ENGINE_PARAMS)
def built(request, tmp_path_factory):
    """ARTICLES indexed once per engine for the read-only tests of this module."""
    engine = open_test_engine(request, request.param, tmp_path_factory.mktemp("contract") / "index")
    engine.index_articles(ARTICLES)
    yield engine
    engine.close()


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request, tmp_path):
    """ARTICLES in an index of its own, for the tests that write."""
    engine = open_test_engine(request, request.param, tmp_path / "index")
    engine.index_articles(ARTICLES)
    yield engine
    engine.close()


@pytest.fixture
def session(built):
    s = built.session()
    yield s
    s.close()


def _ids(hits: list[Hit]) -> list[str]:
    return [h.id for h in hits]


def _with_word(word: str) -> set[str]:
    return {a.id for a in ARTICLES if word in (a.title + " " + a.body).lower()}


def _values(a, name: str) -> list[str]:
    return a.facets.get(name, [])


def _involved(a) -> list[str]:
    return _values(a, "country") + a.mentioned.get("country", [])


# ---------------------------------------------------------------- totals and order

def test_totals_every_article_and_a_word(session):
    assert session.search(SearchRequest(q="", page_size=50)).total == len(ARTICLES)
    found = session.search(SearchRequest(q="reactor", page_size=50))
    assert found.total == len(_with_word("reactor")) and set(_ids(found.hits)) == _with_word("reactor")
    both = session.search(SearchRequest(q="reactor beijing", page_size=50))
    assert set(_ids(both.hits)) == _with_word("reactor") & _with_word("beijing")
    assert session.search(SearchRequest(q="zebra", page_size=50)).total == 0


def test_newest_and_oldest_order_by_date_with_undated_last(session):
    dated = sorted((a for a in ARTICLES if a.date), key=lambda a: a.date)
    undated = [a.id for a in ARTICLES if not a.date]
    newest = session.search(SearchRequest(q="", sort="newest", page_size=50))
    assert _ids(newest.hits) == [a.id for a in reversed(dated)] + undated
    oldest = session.search(SearchRequest(q="", sort="oldest", page_size=50))
    assert _ids(oldest.hits) == [a.id for a in dated] + undated


def test_relevance_puts_the_title_match_first_and_pages_split_the_same_order(session):
    ranked = session.search(SearchRequest(q="tokyo stocks", page_size=50))
    assert ranked.hits[0].id == "art0003"
    everything = _ids(session.search(SearchRequest(q="", sort="newest", page_size=50)).hits)
    count = -(-len(ARTICLES) // 3)
    pages = [_ids(session.search(SearchRequest(q="", sort="newest", page=p, page_size=3)).hits)
             for p in range(1, count + 1)]
    assert sum(pages, []) == everything
    assert session.search(SearchRequest(q="", page=1, page_size=3)).pages == count


def test_hits_carry_the_article_fields_and_escaped_marked_snippets(session):
    hit = session.search(SearchRequest(q="yongbyon")).hits[0]
    a = BY_ID["art0001"]
    assert (hit.id, hit.title, hit.date) == (a.id, a.title, a.date.isoformat())
    assert hit.facets == a.facets and hit.mentioned == a.mentioned
    assert "<mark>Yongbyon</mark>" in hit.snippet


def test_filters_and_and_or(session):
    japan = session.search(SearchRequest(filters={"country": ["Japan"]}, page_size=50))
    assert set(_ids(japan.hits)) == {a.id for a in ARTICLES if "Japan" in _involved(a)}
    about = session.search(SearchRequest(filters={"country": ["Japan"]}, scopes={"country": "about"}, page_size=50))
    assert set(_ids(about.hits)) == {a.id for a in ARTICLES if "Japan" in _values(a, "country")}
    either = session.search(SearchRequest(filters={"country": ["China", "South Korea"]}, page_size=50))
    assert set(_ids(either.hits)) == {a.id for a in ARTICLES if {"China", "South Korea"} & set(_involved(a))}
    kelly_lee = session.search(SearchRequest(filters={"person": ["James Kelly"], "author": ["Ann Lee"]}, page_size=50))
    assert set(_ids(kelly_lee.hits)) == {"art0001", "art0002"}
    dated = session.search(SearchRequest(date_from=dt.date(2004, 1, 1), date_to=dt.date(2004, 2, 29), page_size=50))
    assert set(_ids(dated.hits)) == {a.id for a in ARTICLES if a.date and dt.date(2004, 1, 1) <= a.date
                                     <= dt.date(2004, 2, 29)}


# ---------------------------------------------------------------- facets

def test_facet_values_count_every_article_involved(session):
    facets = session.search(SearchRequest(q="", page_size=1)).facets
    expected = Counter(c for a in ARTICLES for c in _involved(a))
    assert {v.value: v.count for v in facets["country"].values} == expected
    assert [v.count for v in facets["country"].values] == sorted(expected.values(), reverse=True)
    for name in ("person", "author"):
        assert {v.value: v.count for v in facets[name].values} == Counter(p for a in ARTICLES for p in _values(a, name))
    assert not any(v.selected for f in facets.values() for v in f.values)


def test_facet_counts_are_disjunctive_and_selected_values_toggle_off(session):
    result = session.search(SearchRequest(q="", filters={"country": ["Japan"]}, page_size=1))
    country = result.facets["country"]
    # Within the country facet, other countries count as if Japan were not chosen (OR within a facet).
    assert {v.value: v.count for v in country.values} == Counter(c for a in ARTICLES for c in _involved(a))
    assert country.selected == ["Japan"]
    japan = next(v for v in country.values if v.value == "Japan")
    china = next(v for v in country.values if v.value == "China")
    assert japan.selected and "country" not in japan.toggle
    assert not china.selected and china.toggle["country"] == ["Japan", "China"]
    # Other facets count only within the filter.
    people = {v.value: v.count for v in result.facets["person"].values}
    assert people == Counter(p for a in ARTICLES if "Japan" in _involved(a) for p in _values(a, "person"))


def test_the_date_histogram_counts_dated_articles_by_period(session):
    facet = session.search(SearchRequest(q="", page_size=1)).facets["date"]
    assert facet.granularity in ("year", "month")
    width = 4 if facet.granularity == "year" else 7
    expected = Counter(a.date.isoformat()[:width] for a in ARTICLES if a.date)
    assert [v.value for v in facet.values] == sorted(expected)
    assert {v.value: v.count for v in facet.values} == expected
    narrowed = session.search(SearchRequest(q="", date_from=dt.date(2004, 1, 1), date_to=dt.date(2004, 12, 31),
                                            page_size=1)).facets["date"]
    assert sum(v.count for v in narrowed.values) == sum(1 for a in ARTICLES if a.date and a.date.year == 2004)


def test_facet_values_narrow_to_a_prefix_and_keep_the_disjunctive_count(session):
    facet = session.facet_values(SearchRequest(q="", filters={"country": ["Japan"]}), "country", prefix="kor")
    assert {v.value for v in facet.values if not v.selected} == {"North Korea", "South Korea"}
    assert [v.value for v in facet.values if v.selected] == ["Japan"]     # a chosen value stays listed
    expected = Counter(c for a in ARTICLES for c in _involved(a))
    assert all(v.count == expected[v.value] for v in facet.values)
    people = session.facet_values(SearchRequest(q="reactor"), "person", prefix="")
    assert {v.value: v.count for v in people.values} == Counter(
        p for a in ARTICLES if a.id in _with_word("reactor") for p in _values(a, "person"))


# ---------------------------------------------------------------- every names facet, organisations among them

def _with_value(name: str, value: str) -> set[str]:
    return {a.id for a in ARTICLES if value in _values(a, name)}


@pytest.mark.parametrize("facet", [s for s in registry.SIDEBAR_FACETS if not s.scoped], ids=lambda s: s.name)
def test_each_facet_s_filter_query_field_and_counts_agree(session, facet):
    expected = Counter(v for a in ARTICLES for v in _values(a, facet.name))
    assert expected, f"the contract's articles have no {facet.name}"
    counts = {v.value: v.count for v in session.search(SearchRequest(q="", page_size=1)).facets[facet.name].values}
    assert counts == expected
    for value in expected:
        by_filter = session.search(SearchRequest(filters={facet.name: [value]}, page_size=50))
        by_query = session.search(SearchRequest(q=f'{facet.name}:"{value}"', page_size=50))
        assert set(_ids(by_filter.hits)) == set(_ids(by_query.hits)) == _with_value(facet.name, value), value
        assert by_filter.total == by_query.total == counts[value]


def test_org_counts_are_disjunctive_and_a_word_finds_every_name_with_it(session):
    chosen = ["Bank of Japan", "Xinhua News Agency"]
    picked = {a.id for a in ARTICLES if set(chosen) & set(_values(a, "org"))}
    result = session.search(SearchRequest(q="", filters={"org": chosen}, page_size=50))
    assert set(_ids(result.hits)) == picked and result.total == len(picked)
    # the facet counts as if nothing were chosen in it (OR within a facet); the others within the choice
    assert {v.value: v.count for v in result.facets["org"].values} == Counter(o for a in ARTICLES
                                                                             for o in _values(a, "org"))
    assert [v.value for v in result.facets["org"].values if v.selected] == chosen
    assert {v.value: v.count for v in result.facets["country"].values} == Counter(
        c for a in ARTICLES if a.id in picked for c in _involved(a))
    # a word, or a run of words, of a name finds every name having it, however it is typed
    for q, words in (("org:bank", "bank"), ('org:"NEWS agency"', "news agency"), ("orgs:Agency", "agency"),
                     ('organisation:"bank of"', "bank of")):
        found = session.search(SearchRequest(q=q, page_size=50))
        assert set(_ids(found.hits)) == {a.id for a in ARTICLES if any(
            f" {words} " in f" {o.lower()} " for o in _values(a, "org"))}, q
    missing = session.search(SearchRequest(q='org:"Nobody Inc"'))
    assert missing.total == 0 and "No article has the organisation “Nobody Inc”." in missing.messages


def _cli(engine, *args):
    """The CLI's answer for ``args`` on this engine's index."""
    from click.testing import CliRunner

    from indexer.cli import main
    if engine.name == "opensearch":
        where, env = ["--engine", "opensearch", "--opensearch", engine.cluster.url], {
            "NEWSFACET_OPENSEARCH_INDEX": engine.cluster.index}
    else:
        where, env = ["--index", engine.location()], {}
    result = CliRunner().invoke(main, [*args, *where], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_cli_org_option_finds_what_the_facet_counts(built):
    with built.session() as session:
        counts = {v.value: v.count for v in session.search(SearchRequest(q="", page_size=1)).facets["org"].values}
    for value in ("Bank of Japan", "Xinhua News Agency"):
        data = json.loads(_cli(built, "search", "", "--json", "--limit", "50", "--org", value))
        assert {h["id"] for h in data["hits"]} == _with_value("org", value) and data["total"] == counts[value]
        assert data["filters"]["org"] == [value] and all(value in h["organisations"] for h in data["hits"])


# ---------------------------------------------------------------- article, similar, suggestions

def test_article_by_id_with_its_words_marked(session):
    art = session.article("art0001", q="reactor")
    a = BY_ID["art0001"]
    assert (art["id"], art["title"], art["date"], art["body"]) == (a.id, a.title, a.date.isoformat(), a.body)
    assert art["facets"] == a.facets and art["mentioned"] == a.mentioned
    assert "<mark>reactor</mark>" in art["body_html"]
    assert session.article("no-such-id") is None


def test_similar_articles_share_words(session):
    similar = [h.id for h in session.similar("art0008") if h.id != "art0008"]
    assert similar and similar[0] == "art0009"
    assert all(isinstance(h, Hit) for h in session.similar("art0009"))
    assert session.similar("no-such-id") == []


def test_complete_names_and_words(session):
    found = session.complete("kel")
    assert {"kind": "person", "value": "James Kelly", "count": 2} in found
    assert any(f["kind"] == "word" and f["value"].startswith("kel") for f in found)
    korea = sum(1 for a in ARTICLES if "North Korea" in _involved(a))
    assert {"kind": "country", "value": "North Korea", "count": korea} in session.complete("north ko")
    assert session.complete("k") == []


def test_did_you_mean_for_a_misspelt_word(session):
    result = session.search(SearchRequest(q="reactr"))
    assert result.total == 0 and result.suggestion == "reactor"


def test_each_article_is_searched_in_its_language(session):
    # Spanish conversaciones/conversación and German Gespräche/Gespräch meet in their languages' stems
    assert set(_ids(session.search(SearchRequest(q="conversación")).hits)) == {"art0010"}
    assert set(_ids(session.search(SearchRequest(q="Gespräch")).hits)) == {"art0011"}
    assert set(_ids(session.search(SearchRequest(q="reaktor OR reactor lang:de")).hits)) == {"art0011"}
    found = session.search(SearchRequest(q="reactor", filters={"language": ["en", "es"]}, page_size=50))
    assert set(_ids(found.hits)) == {a.id for a in ARTICLES if "reactor" in (a.title + a.body).lower()}
    assert [h.facets["language"] for h in found.hits if h.id == "art0010"] == [["es"]]


def test_a_bad_query_gets_a_message_not_an_exception(session):
    for q in ('"unclosed reactor', "reactor AND (", "date:[2004 TO"):
        assert session.search(SearchRequest(q=q)).messages, q
    assert set(_ids(session.search(SearchRequest(q="reactor AND (")).hits)) == _with_word("reactor")


def test_phrases_fields_and_wildcards(session):
    assert set(_ids(session.search(SearchRequest(q='"coastal villages"')).hits)) == {"art0008", "art0009"}
    assert set(_ids(session.search(SearchRequest(q='"villages coastal"')).hits)) == set()
    assert set(_ids(session.search(SearchRequest(q="title:beijing")).hits)) == {
        a.id for a in ARTICLES if "beijing" in a.title.lower()}
    assert set(_ids(session.search(SearchRequest(q="typh*")).hits)) == _with_word("typh")
    assert set(_ids(session.search(SearchRequest(q="reactor -tokyo", page_size=50)).hits)) == (
        _with_word("reactor") - _with_word("tokyo"))


# ---------------------------------------------------------------- exports

def test_iter_hits_gives_every_hit_in_order_even_after_the_session_closes(built):
    engine = built
    session = engine.session()
    req = SearchRequest(q="", sort="newest", page_size=2)
    page_order = _ids(session.search(SearchRequest(q="", sort="newest", page_size=50)).hits)
    hits = session.iter_hits(req)
    session.close()
    assert [h.id for h in hits] == page_order
    with engine.session() as again:
        assert [h.id for h in again.iter_hits(SearchRequest(q="reactor", sort="oldest"), limit=2)] == \
            _ids(again.search(SearchRequest(q="reactor", sort="oldest", page_size=2)).hits)


def test_stats_and_info(session):
    stats = session.stats()
    assert stats["articles"] == len(ARTICLES) and stats["dates_unknown"] == 1
    assert (stats["date_from"], stats["date_to"]) == ("2003-10-01", "2004-03-02")
    assert stats["top_countries"][0] == {"value": "Japan", "count": 5}
    assert session.info().get("built_at")


# ---------------------------------------------------------------- writing: atomic publish

def test_a_session_keeps_its_index_while_a_rebuild_publishes(engine):
    before = engine.session()
    engine.index_articles(ARTICLES[:3])
    try:
        assert before.search(SearchRequest(q="")).total == len(ARTICLES)
        with engine.session() as after:
            assert after.search(SearchRequest(q="")).total == 3
    finally:
        before.close()


def test_rebuild_and_update_from_files(engine, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Harbour reopens\n\nThe harbour reopened after the storm.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Bridge repaired\n\nThe old bridge was repaired this week.\n", encoding="utf-8")
    report = engine.rebuild([corpus], workers=1)
    assert report.indexed == 2
    with engine.session() as s:
        assert s.search(SearchRequest(q="")).total == 2
    (corpus / "b.txt").unlink()
    (corpus / "c.txt").write_text("Ferry returns\n\nThe ferry returned to the harbour.\n", encoding="utf-8")
    report = engine.update([corpus], workers=1)
    assert (report.indexed, report.removed) == (1, 1)
    with engine.session() as s:
        assert sorted(h.title for h in s.search(SearchRequest(q="harbour")).hits) == ["Ferry returns",
                                                                                    "Harbour reopens"]
        assert s.search(SearchRequest(q="bridge")).total == 0


def test_a_failed_rebuild_leaves_the_published_index(engine, tmp_path):
    from indexer.engines import BuildError
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BuildError):
        engine.rebuild([empty], workers=1)
    with engine.session() as s:
        assert s.search(SearchRequest(q="")).total == len(ARTICLES)


# ---------------------------------------------------------------- a names file curates what is indexed

NAMED = [   # labels given in the input (lower-case text, so extraction adds no names of its own)
    {"title": "harbour board meets", "body": "the harbour board met again on monday to discuss the fees.",
     "people": ["Brian T. Carroll", "Al Jazeera"], "organisations": ["Harbour Board"], "countries": ["France"]},
    {"title": "ferry fees rise", "body": "ferry fees will rise next month, the board said on friday.",
     "people": ["Brian Carroll", "Bug Busters"], "organizations": ["Harbour Board"]},
    {"title": "storm closes port", "body": "a storm closed the port for two days this week.",
     "people": ["Ann Lee"]},
]
RULES = ("facet,action,value,target\n"
         "person,merge,brian t. carroll,Brian Carroll\n"
         "people,move,Al Jazeera,org\n"
         "person,drop,BUG BUSTERS,\n")


def _counts(engine, name: str) -> dict:
    with engine.session() as s:
        return {v.value: v.count for v in s.search(SearchRequest(q="", page_size=1)).facets[name].values}


def _found(engine, q: str) -> set[str]:
    with engine.session() as s:
        return {h.title for h in s.search(SearchRequest(q=q, page_size=50)).hits}


def test_a_names_file_merges_moves_and_drops_what_rebuild_and_update_index(engine, tmp_path):
    from indexer.ingest.names import Names
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "named.jsonl").write_text("".join(json.dumps(o) + "\n" for o in NAMED), encoding="utf-8")
    rules = tmp_path / "names.csv"
    rules.write_text(RULES, encoding="utf-8")
    plain = engine.rebuild([corpus], workers=1)
    assert plain.names_changed == 0 and plain.names_file is None
    assert _counts(engine, "person") == {"Brian T. Carroll": 1, "Al Jazeera": 1, "Brian Carroll": 1,
                                         "Bug Busters": 1, "Ann Lee": 1}
    report = engine.rebuild([corpus], workers=1, names=Names.load(rules))
    assert report.names_changed == 3 and report.names_file == str(rules)
    assert report.to_json()["names_changed"] == 3
    assert _counts(engine, "person") == {"Brian Carroll": 2, "Ann Lee": 1}         # merged, moved, dropped
    assert _counts(engine, "org") == {"Harbour Board": 2, "Al Jazeera": 1}
    assert _found(engine, 'person:"brian carroll"') == {"harbour board meets", "ferry fees rise"}
    assert _found(engine, 'org:"al jazeera"') == {"harbour board meets"}
    assert _found(engine, 'person:"Bug Busters"') == set()
    assert _counts(engine, "country") == {"France": 1}
    # a changed names file: update reads every file again (the files themselves did not change)
    rules.write_text(RULES + "country,drop,France,\n", encoding="utf-8")
    again = engine.update([corpus], workers=1, names=Names.load(rules))
    assert (again.indexed, again.removed, again.names_changed) == (3, 3, 4)
    assert _counts(engine, "country") == {} and _counts(engine, "person") == {"Brian Carroll": 2, "Ann Lee": 1}
    (corpus / "more.json").write_text(json.dumps({"title": "pier repaired", "body": "the old pier was repaired.",
                                                  "people": ["Brian T. Carroll"]}), encoding="utf-8")
    more = engine.update([corpus], workers=1, names=Names.load(rules))   # same rules: only the new file
    assert (more.unchanged_files, more.indexed, more.names_changed) == (1, 1, 1)
    assert _counts(engine, "person") == {"Brian Carroll": 3, "Ann Lee": 1}


# ---------------------------------------------------------------- an index of an earlier format

def _reopened(engine):
    """The same index through a new engine object (nothing remembered from before)."""
    from indexer.engines import open_engine
    if engine.name == "opensearch":
        return open_engine("opensearch", url=engine.cluster.url, index=engine.cluster.index)
    return open_engine(engine.name, index_dir=engine.location())


def _as_if_older(engine) -> None:
    """The published index made to look built by an earlier Newsfacet: no format recorded."""
    if engine.name == "opensearch":
        from indexer.engines.opensearch.writer import concrete_indices
        name = concrete_indices(engine.cluster)[-1]
        engine.cluster.client.indices.put_mapping(index=name, body={"_meta": {"command": "rebuild"}})
        return
    from indexer.engines.whoosh import store
    gen = store.current_generation(Path(engine.location()))
    info = store.read_build_info(gen)
    assert info.pop("format") == INDEX_FORMAT
    store.write_build_info(gen, info)


def test_an_index_of_an_earlier_format_says_to_rebuild_in_one_line(engine, tmp_path):
    _as_if_older(engine)
    old = _reopened(engine)
    with pytest.raises(OldIndex) as refused:
        old.session()
    message = str(refused.value)
    assert "\n" not in message and f"(format 1, now {INDEX_FORMAT})" in message and "newsfacet rebuild" in message
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Harbour reopens\n\nThe harbour reopened after the storm.\n", encoding="utf-8")
    with pytest.raises(OldIndex):
        old.update([corpus], workers=1)          # update refuses the same way, before writing anything
    old.rebuild([corpus], workers=1)             # a rebuild makes it readable again
    with old.session() as s:
        assert s.search(SearchRequest(q="")).total == 1
    old.close()


# ---------------------------------------------------------------- many queries at once (trends, batch)

def test_day_counts_are_each_request_s_matches_per_day(session):
    reqs = [SearchRequest(q="reactor"), SearchRequest(q="", filters={"country": ["Japan"]}),
            SearchRequest(q="zebra"), SearchRequest(q="", date_from=dt.date(2004, 1, 1))]
    got = session.day_counts(reqs)
    assert len(got) == len(reqs)
    expected = [[a for a in ARTICLES if a.id in _with_word("reactor")],
                [a for a in ARTICLES if "Japan" in _involved(a)], [],
                [a for a in ARTICLES if a.date and a.date >= dt.date(2004, 1, 1)]]
    for counts, arts in zip(got, expected):
        assert counts.days == dict(Counter(a.date for a in arts if a.date))
        assert counts.undated == sum(1 for a in arts if not a.date)
        assert counts.total == len(arts) == sum(counts.days.values()) + counts.undated
    # each series' days sum to the total a results page reports for the same request
    for req, counts in zip(reqs, got):
        assert session.search(req).total == counts.total


def test_summaries_give_totals_first_and_last_days_and_top_values(session):
    reqs = [SearchRequest(q="reactor"), SearchRequest(q="zebra"),
            SearchRequest(q="", filters={"org": ["Xinhua News Agency"]}), SearchRequest(q="AND OR")]
    got = session.summaries(reqs, top=2)
    assert [s.total for s in got] == [session.search(r).total for r in reqs]
    reactor = [a for a in ARTICLES if a.id in _with_word("reactor")]
    first = got[0]
    assert (first.first, first.last) == (min(a.date for a in reactor), max(a.date for a in reactor))
    countries = Counter(c for a in reactor for c in _involved(a))
    assert [v.value for v in first.top["country"]] == sorted(countries, key=lambda c: (-countries[c], c))[:2]
    assert [(v.value, v.count) for v in first.top["person"]] == [("James Kelly", 2), ("Kim Jong Il", 1)]
    assert "author" not in first.top            # a byline facet is not summarised as chips
    assert (got[1].total, got[1].first, got[1].top["country"]) == (0, None, [])
    xinhua = got[2]
    assert xinhua.total == 2 and xinhua.top["org"][0].value == "Xinhua News Agency" and xinhua.top["org"][0].selected
    assert got[3].total == 0 and got[3].messages        # operators alone: a message, not an exception
