"""The query tree as OpenSearch DSL (indexer.engines.opensearch.translate), without a cluster: the
shapes each node becomes, and the lookups (facet values, wildcard words) answered by a stand-in
client that records what was asked. The same queries against a real cluster, compared with the
Whoosh engine, are in test_query_cluster.py."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from indexer import querylang as ql
from indexer import settings
from indexer.engines.opensearch import translate
from indexer.engines.opensearch.client import NodeLost


class FakeClient:
    """Answers the lookups translate makes: facet counts, the words aggregation, analysis, counts."""

    def __init__(self, names=(), last=(), words=(), stems=None, total=1, best=0.0, lost=False):
        self.names, self.last, self.words = set(names), set(last), list(words)
        self.stems = stems or {}
        self.total, self.best, self.lost = total, best, lost
        self.bodies: list[dict] = []
        self.indices = SimpleNamespace(analyze=self._analyze)

    def _analyze(self, index, body):
        tokens, offset = [], 0
        for w in body["text"]:
            for stem in self.stems.get(w, (w,)):
                tokens.append({"token": stem, "start_offset": offset})
            offset += len(w) + 1
        return {"tokens": tokens}

    def search(self, index, body):
        self.bodies.append(body)
        if self.lost:
            raise NodeLost("a node left mid-request")
        if "aggs" in body:
            aggs = {}
            for key, agg in body["aggs"].items():
                if "filter" in agg:
                    (fieldname, value), = agg["filter"]["term"].items()
                    pool = self.last if fieldname.endswith(("_last", "_words")) else self.names
                    aggs[key] = {"doc_count": 1 if value in pool else 0}
                else:
                    size = agg["terms"]["size"]
                    aggs[key] = {"buckets": [{"key": w, "doc_count": n} for w, n in self.words[:size]]}
            return {"aggregations": aggs}
        if body.get("size") == 0:
            return {"hits": {"total": {"value": self.total}}}
        return {"hits": {"max_score": self.best, "hits": []}}


def dsl(tree, client=None, text=""):
    ctx = SimpleNamespace(client=client or FakeClient(), index="articles", filter=None)
    return translate.to_dsl(ql.Query(tree, text=text), ctx)


def test_a_word_is_found_in_title_or_body_with_all_its_parts_in_one_field():
    clause, messages = dsl(ql.Word("six-party"))
    core = clause["bool"]["must"][0]      # with its proximity bonus (six party)
    assert core == {"multi_match": {"query": "six-party", "fields": ["title", "body"], "type": "best_fields",
                                    "operator": "and", "tie_breaker": 1.0}}
    assert clause["bool"]["should"] == [{"match_phrase": {"body": {"query": "six party",
                                                                   "boost": settings.PROXIMITY_WEIGHT}}}]
    assert messages == []
    title_only, _ = dsl(ql.Word("talks", field="title"))
    assert title_only["multi_match"]["fields"] == ["title"]


def test_phrases_everything_nothing_and_dates():
    assert dsl(ql.Phrase(("oil", "prices")))[0]["multi_match"]["type"] == "phrase"
    assert dsl(ql.Phrase(("oil", "prices"), field="body"))[0]["multi_match"]["fields"] == ["body"]
    assert dsl(ql.Everything())[0] == {"match_all": {}}
    assert dsl(ql.Nothing())[0] == {"match_none": {}}
    assert dsl(ql.DateRange(dt.date(2004, 1, 1), dt.date(2004, 3, 31)))[0] == {
        "range": {"date": {"format": "strict_date", "gte": "2004-01-01", "lte": "2004-03-31"}}}
    assert dsl(ql.DateRange(None, dt.date(2004, 3, 31)))[0]["range"]["date"] == {"format": "strict_date",
                                                                                 "lte": "2004-03-31"}
    assert dsl(ql.DateRange())[0] == {"exists": {"field": "date"}}


def test_boolean_nodes_become_must_should_must_not_with_filters_for_names_and_dates():
    tree = ql.All((ql.Word("grain"), ql.Not(ql.Word("wheat")), ql.FacetValue("country", "China"),
                   ql.DateRange(dt.date(2004, 1, 1), None)))
    clause, _ = dsl(tree, FakeClient(names={"China"}))
    assert clause["bool"]["must"] == [translate.word_clause("grain")]
    assert clause["bool"]["must_not"] == [translate.word_clause("wheat")]
    assert clause["bool"]["filter"] == [{"term": {"country": "China"}},
                                        translate.date_clause(dt.date(2004, 1, 1), None)]
    either, _ = dsl(ql.Any((ql.Word("wheat"), ql.Word("rice"))))
    assert either == {"bool": {"should": [translate.word_clause("wheat"), translate.word_clause("rice")],
                               "minimum_should_match": 1}}
    assert dsl(ql.Any((ql.Word("wheat"), ql.Everything())))[0] == {"match_all": {}}
    assert dsl(ql.All((ql.Word("wheat"), ql.Nothing())))[0] == {"match_none": {}}


def test_a_facet_value_is_a_full_name_else_a_last_name_else_a_message():
    client = FakeClient(names={"James Kelly"}, last={"kelly"})
    assert dsl(ql.FacetValue("person", "James Kelly"), client)[0] == {"term": {"person": "James Kelly"}}
    assert dsl(ql.FacetValue("person", "kelly"), client)[0] == {"term": {"person_last": "kelly"}}
    clause, messages = dsl(ql.FacetValue("author", "Nobody"), client)
    assert clause == {"match_none": {}} and messages == ["No article has the author “Nobody”."]
    # a country has no last-name fallback
    assert dsl(ql.FacetValue("country", "kelly"), client)[1] == ["No article has the country “kelly”."]
    # organisations: a word or run of words of a name, looked up in org_words
    words = FakeClient(names={"Bank of Japan"}, last={"bank"})
    assert dsl(ql.FacetValue("org", "bank"), words)[0] == {"term": {"org_words": "bank"}}
    assert words.bodies[0]["aggs"]["l0"] == {"filter": {"term": {"org_words": "bank"}}}
    assert dsl(ql.FacetValue("org", "Airbus"), words)[1] == ["No article has the organisation “Airbus”."]
    # every facet value of a tree is resolved in the same one search
    client = FakeClient(names={"China", "Japan"})
    dsl(ql.All((ql.FacetValue("country", "China"), ql.FacetValue("country", "Japan"))), client)
    assert len(client.bodies) == 1 and len(client.bodies[0]["aggs"]) == 2


def test_a_pattern_expands_to_the_most_frequent_stems_with_whooshs_caps_and_messages(monkeypatch):
    # talk, talks and talking share a stem: one term, counted once against MAX_EXPANSIONS
    client = FakeClient(words=[("talks", 50), ("talk", 40), ("talking", 30), ("tale", 5)],
                        stems={"talks": ("talk",), "talking": ("talk",), "tale": ("tale",)})
    clause, messages = dsl(ql.Pattern("ta*"), client)
    terms = [c["term"] for c in clause["bool"]["should"]]
    tb = translate.TITLE_BOOST
    assert terms == [{"title": {"value": "talk", "boost": tb}}, {"body": {"value": "talk", "boost": 1.0}},
                     {"title": {"value": "tale", "boost": tb}}, {"body": {"value": "tale", "boost": 1.0}}]
    assert messages == []
    assert client.bodies[0]["aggs"]["p0-en"]["terms"]["include"] == "ta.*"
    monkeypatch.setattr(settings, "MAX_EXPANSIONS", 2)
    many = FakeClient(words=[(f"w{i}", 10) for i in range(5)])
    clause, messages = dsl(ql.Pattern("w*", field="title"), many)
    assert [c["term"]["title"]["value"] for c in clause["bool"]["should"]] == ["w0", "w1"]
    assert messages == ["“w*” matches more words than a search reads; searched its 2 most frequent."]
    monkeypatch.setattr(settings, "MAX_EXPANSIONS", 20)
    monkeypatch.setattr(settings, "MAX_EXPANSION_DOCS", 100)
    big = FakeClient(words=[("aa", 500), ("ab", 60), ("ac", 50)])
    clause, messages = dsl(ql.Pattern("a?", field="body"), big)
    assert clause == {"term": {"body": {"value": "aa", "boost": 1.0}}}      # the first word is always taken
    assert "searched its 1 most frequent" in messages[0]
    assert big.bodies[0]["aggs"]["p0-en"]["terms"]["include"] == "a."
    none, messages = dsl(ql.Pattern("zq*"), FakeClient(words=[]))
    assert none == {"match_none": {}} and messages == ["No word in the index matches “zq*”."]


def test_without_lookups_a_pattern_is_a_bounded_rewrite_and_a_name_its_full_or_partial_value():
    lost = FakeClient(lost=True)                # the lookups' request fails: a node left
    clause, _ = dsl(ql.Pattern("nucl*", field="body"), lost)
    assert clause == {"wildcard": {"body.plain": {"value": "nucl*",
                                                  "rewrite": f"top_terms_blended_freqs_{settings.MAX_EXPANSIONS}"}}}
    clause, _ = dsl(ql.FacetValue("org", "Bank,"), lost)
    assert clause == {"bool": {"should": [{"term": {"org": "Bank,"}}, {"term": {"org_words": "Bank"}}],
                               "minimum_should_match": 1}}
    assert dsl(ql.FacetValue("country", "Japan"), lost)[0] == {"term": {"country": "Japan"}}


def test_forgiving_matching_when_no_article_has_all_the_words():
    tree = ql.All((ql.Word("reactor"), ql.Word("talks"), ql.Word("zebra")))
    strict, messages = dsl(tree, FakeClient(total=3), text="reactor talks zebra")
    assert messages == [] and "minimum_should_match" not in str(strict)
    relaxed, messages = dsl(tree, FakeClient(total=0, best=2.0), text="reactor talks zebra")
    assert messages == ["No article has all of “reactor talks zebra”; showing articles with most of them."]
    core = relaxed["bool"]["must"][0]["bool"]
    assert core["minimum_should_match"] == 1          # ceil(2 × MIN_SHOULD_MATCH)
    assert len(core["should"]) == 3
    assert core["should"][0]["bool"]["should"][0]["constant_score"]["boost"] == translate.WORD_COUNT_RANK
    # no article passing the filters has any of the words: relaxed to any one of them (what the
    # other facets count, as Whoosh does), with no message since there is no hit to show
    relaxed, messages = dsl(tree, FakeClient(total=0, best=0.0), text="x")
    assert messages == [] and relaxed["bool"]["must"][0]["bool"]["minimum_should_match"] == 1


def test_proximity_pairs_are_adjacent_typed_words_of_a_top_level_and():
    tree = ql.All((ql.Word("six-party"), ql.Word("talks"), ql.Phrase(("in", "beijing")), ql.Word("envoys"),
                   ql.Word("met")))
    assert translate.proximity_pairs(tree) == [("six", "party"), ("party", "talks"), ("envoys", "met")]
    assert translate.proximity_pairs(ql.Any((ql.Word("a"), ql.Word("b")))) == []
    many = ql.All(tuple(ql.Word(f"w{i}") for i in range(20)))
    assert len(translate.proximity_pairs(many)) == settings.MAX_PROXIMITY_PAIRS
