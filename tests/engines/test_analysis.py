"""Searching each article in its own language, on every engine (ENGINE_PARAMS): an inflected form
finds the article holding another form of the word in Spanish, French, German, Italian, Dutch and
Portuguese; a name is found in every language; ``lang:`` and the facet narrow the search (and the
languages its words are analysed in); phrases, wildcards, "did you mean", completion, snippets,
marks and similar articles work per language. The articles are invented sentences, one language
each, with the language given (as detection gives it)."""
from __future__ import annotations

from collections import Counter

import pytest
from conftest import ENGINE_PARAMS, indexed_sessions, make_article

from indexer.model import SearchRequest

# (language, the form in the article, the other form a search types)
INFLECTED = [
    ("es", "elecciones", "elección"),
    ("fr", "élection", "élections"),
    ("de", "Wahlen", "Wahl"),
    ("it", "governo", "governi"),
    ("nl", "verkiezingen", "verkiezing"),
    ("pt", "eleições", "eleição"),
]
ARTICLES = [
    make_article(1, "Las elecciones de marzo", "Las elecciones serán en marzo. Macron habló con el presidente del "
                 "gobierno.", "2021-01-01", language=["es"]),
    make_article(2, "Le vote de dimanche", "Une élection a eu lieu dimanche. Macron a parlé avec le premier "
                 "ministre.", "2021-01-02", language=["fr"]),
    make_article(3, "Die Wahlen im Norden", "Die Wahlen finden im März statt. Macron sprach mit der Regierung.",
                 "2021-01-03", language=["de"]),
    make_article(4, "Il nuovo governo", "Il governo ha giurato ieri. Macron ha parlato con il presidente della "
                 "Repubblica.", "2021-01-04", language=["it"]),
    make_article(5, "De verkiezingen in maart", "De verkiezingen zijn in maart. Macron sprak met de regering.",
                 "2021-01-05", language=["nl"]),
    make_article(6, "As eleições de outubro", "As eleições serão em outubro. Macron falou com o presidente.",
                 "2021-01-06", language=["pt"]),
    make_article(7, "Election day in the north", "The elections are in March. Macron spoke to the government.",
                 "2021-01-07", language=["en"]),
    make_article(8, "El gobierno y el presupuesto", "El gobierno aprobó el presupuesto.", "2021-01-08",
                 language=["es"]),
    make_article(9, "Otro gobierno", "Un gobierno nuevo juró ayer.", "2021-01-09", language=["es"]),
    make_article(10, "Il governo e il bilancio", "Il governo ha approvato il bilancio.", "2021-01-10",
                 language=["it"]),
    make_article(11, "Un altro governo", "Un governo nuovo ha giurato.", "2021-01-11", language=["it"]),
    make_article(12, "Governo di coalizione", "Il governo di coalizione ha vinto.", "2021-01-12", language=["it"]),
    make_article(13, "台湾的选举", "台湾的选举在三月举行。", "2021-01-13", language=["zh"]),
    make_article(14, "Untitled note", "Short note.", "2021-01-14"),       # no language told: analysed as English
]
BY_ID = {a.id: a for a in ARTICLES}


def _language(a) -> str:
    return (a.facets.get("language") or [""])[0]


@pytest.fixture(scope="module", params=ENGINE_PARAMS)
def session(request, tmp_path_factory):
    yield from indexed_sessions(request, tmp_path_factory, "languages", ARTICLES)


def _found(session, q: str = "", **kwargs) -> set[str]:
    return {h.id for h in session.search(SearchRequest(q=q, page_size=50, **kwargs)).hits}


@pytest.mark.parametrize("lang,held,typed", INFLECTED, ids=[i[0] for i in INFLECTED])
def test_an_inflected_form_finds_the_other_form_in_its_language(session, lang, held, typed):
    holding = {a.id for a in ARTICLES if _language(a) == lang and held.lower() in a.body.lower()}
    assert holding
    found = _found(session, typed)
    assert holding <= found and all(_language(BY_ID[i]) in (lang, "en") for i in found), (typed, found)
    assert _found(session, typed, filters={"language": [lang]}) == holding
    assert _found(session, f"{typed} lang:{lang}") == holding


def test_snippets_mark_the_matched_word_in_the_article_s_language(session):
    # no article has all three words: forgiving matching shows those with one, each marked in its language
    hits = {h.id: h.snippet for h in session.search(SearchRequest(q="elección Wahl governi", page_size=50)).hits}
    assert {"art0001", "art0003", "art0004"} <= set(hits)
    assert ("<mark>elecciones</mark>" in hits["art0001"] and "<mark>Wahlen</mark>" in hits["art0003"]
            and "<mark>governo</mark>" in hits["art0004"])
    result = session.search(SearchRequest(q="Wahl"))
    assert [h.id for h in result.hits] == ["art0003"] and "<mark>Wahlen</mark>" in result.hits[0].snippet
    pt = session.search(SearchRequest(q="eleição")).hits
    assert [h.id for h in pt] == ["art0006"] and "<mark>eleições</mark>" in pt[0].snippet


def test_a_name_matches_in_every_language(session):
    with_macron = {a.id for a in ARTICLES if "Macron" in a.body}
    assert len({_language(BY_ID[i]) for i in with_macron}) == 7
    assert _found(session, "Macron") == with_macron
    assert _found(session, "macron", filters={"language": ["de", "it"]}) == {"art0003", "art0004"}


def test_lang_and_the_facet_narrow_and_count(session):
    counts = Counter(_language(a) for a in ARTICLES if _language(a))
    facet = session.search(SearchRequest(q="", page_size=1)).facets["language"]
    assert {v.value: v.count for v in facet.values} == counts
    assert {v.value: v.label for v in facet.values}["nl"] == "Dutch"
    for q in ("lang:it", "language:italian", "lang:Italiano", "languages:IT"):
        assert _found(session, q) == {a.id for a in ARTICLES if _language(a) == "it"}, q
    assert _found(session, "lang:es OR lang:pt") == {a.id for a in ARTICLES if _language(a) in ("es", "pt")}
    assert _found(session, "presidente -lang:it") == {"art0001", "art0006"}
    # the facet counts disjunctively: ticking French, the other languages' articles with the word are counted
    narrowed = session.search(SearchRequest(q="Macron", filters={"language": ["fr"]}))
    assert narrowed.total == 1 and {v.value: v.count for v in narrowed.facets["language"].values} == {
        _language(BY_ID[i]): 1 for i in ("art0001", "art0002", "art0003", "art0004", "art0005", "art0006",
                                         "art0007")}
    unknown = session.search(SearchRequest(q="lang:xx"))
    assert unknown.total == 0 and "No article has the language “xx”." in unknown.messages


def test_phrases_per_language(session):
    assert _found(session, '"el presidente"') == {"art0001"}
    assert _found(session, '"die Wahl"') == {"art0003"}          # German: Wahlen stems to wahl
    assert _found(session, '"presidente della Repubblica"') == {"art0004"}
    assert _found(session, '"premier ministre"') == {"art0002"}
    assert _found(session, '"ministre premier"') == set()


def test_wildcards_expand_per_language(session):
    assert _found(session, "govern*") == {a.id for a in ARTICLES if "govern" in a.body.lower()}
    assert _found(session, "gob*", filters={"language": ["it"]}) == set()
    assert _found(session, "elec* lang:es") == {"art0001"}


def test_did_you_mean_uses_the_chosen_language_s_words(session):
    everywhere = session.search(SearchRequest(q="goberno"))
    assert everywhere.total == 0 and everywhere.suggestion == "governo"      # the commoner of two one-edit words
    spanish = session.search(SearchRequest(q="goberno", filters={"language": ["es"]}))
    assert spanish.suggestion == "gobierno"
    assert session.search(SearchRequest(q="goberno lang:es")).suggestion == "gobierno language:es"


def test_completion_offers_the_chosen_language_s_words(session):
    def words(prefix, **kwargs):
        req = SearchRequest(**kwargs) if kwargs else None
        return {f["value"] for f in session.complete(prefix, 8, req) if f["kind"] == "word"}
    assert {"gobierno", "governo"} <= words("go")
    assert "gobierno" in words("go", filters={"language": ["es"]})
    assert not {w for w in words("go", filters={"language": ["es"]}) if w.startswith("gov")}
    assert {f["value"] for f in session.complete("ital", 8) if f["kind"] == "language"} == {"it"}


def test_the_article_page_marks_the_query_in_the_article_s_language(session):
    art = session.article("art0005", q="verkiezing")
    assert "<mark>verkiezingen</mark>" in art["body_html"] and art["facets"]["language"] == ["nl"]
    assert session.article("art0004", q="governi")["body_html"].count("<mark>governo</mark>") == 1


def test_similar_articles_are_found_in_the_article_s_language(session):
    similar = [h.id for h in session.similar("art0010")]
    assert similar and set(similar[:2]) <= {"art0004", "art0011", "art0012"}


def test_chinese_pairs_and_an_article_without_a_language(session):
    assert _found(session, "选举") == {"art0013"}
    assert _found(session, "notes") == {"art0014"}           # English analysis: notes → note
    hit = session.search(SearchRequest(q="notes")).hits[0]
    assert "language" not in hit.facets
