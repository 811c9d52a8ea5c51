"""The query language's bounds: wildcards expand to capped terms, `*` browses, operators alone
get a message, long queries are cut at a word boundary."""
from __future__ import annotations

from collections import Counter

import pytest
from whoosh import query as wq

from indexer import settings
from indexer.build import index_articles
from indexer.engines.whoosh.query import parse
from indexer.request import cut_query, from_mapping
from indexer.engines.whoosh.search import open_index
from indexer.engines.whoosh.vocabulary import Vocabulary
from tests.conftest import make_article


@pytest.fixture(scope="module")
def values(tmp_path_factory):
    root = tmp_path_factory.mktemp("q-idx")
    index_articles([make_article(1, "Oil talks", "Oil prices and talks.", "2004-01-02", countries=["China"])], root)
    return open_index(root).generation().values


# 300 words starting with "w", the first the most frequent.
WORDS = Vocabulary(Counter({f"w{chr(97 + i // 26)}{chr(97 + i % 26)}x": 1000 - i for i in range(300)}))


def _terms(q) -> list[str]:
    return [t for f, t in q.iter_all_terms() if f == "body"]


@pytest.mark.parametrize("text", ["*", "**", "*" * 20, "title:*", "body:*", "(*)", "* OR *"])
def test_stars_alone_mean_every_article(values, text):
    parsed = parse(text, values, WORDS)
    assert parsed.empty and isinstance(parsed.query, wq.Every) and not parsed.query.fieldname


def test_star_beside_words_does_not_swallow_them(values):
    parsed = parse("oil *", values, WORDS)
    assert not parsed.empty and _terms(parsed.query) == ["oil"]


def test_wildcards_expand_to_the_most_frequent_words_up_to_the_cap(values):
    for text in ("w*", "*x", "w*x", "*a*"):
        parsed = parse(text, values, WORDS)
        terms = _terms(parsed.query)
        assert len(terms) == settings.MAX_EXPANSIONS, text
        assert terms[0] == "waax"                               # the most frequent first
        expected = sorted((w for w in WORDS.words if "a" in w) if text == "*a*" else WORDS.words,
                          key=lambda w: -WORDS.freq[w])[: settings.MAX_EXPANSIONS]
        assert terms == expected, text
        assert any("most frequent" in m for m in parsed.messages)


def test_expansion_is_also_capped_by_postings(values, monkeypatch):
    monkeypatch.setattr(settings, "MAX_EXPANSION_DOCS", 2500)   # 1000 + 999 fit; the third word does not
    parsed = parse("w*", values, WORDS)
    assert _terms(parsed.query) == ["waax", "wabx"] and "its 2 most frequent" in parsed.messages[0]


def test_a_narrow_wildcard_is_not_cut_and_an_unmatched_one_says_so(values):
    parsed = parse("wab?", values, WORDS)
    assert _terms(parsed.query) == ["wabx"] and parsed.messages == []
    parsed = parse("zz*", values, WORDS)
    assert parsed.query is wq.NullQuery and parsed.messages == ["No word in the index matches “zz*”."]
    parsed = parse("?", values, WORDS)                         # bounded: the vocabulary's words have 2+ letters
    assert parsed.query is wq.NullQuery and parsed.messages


@pytest.mark.parametrize("text", ["AND OR", "NOT", "AND", "OR OR", "(AND)"])
def test_operators_alone_get_a_message(values, text):
    parsed = parse(text, values, WORDS)
    assert parsed.query is wq.NullQuery
    assert parsed.messages and "only the operators" in parsed.messages[0]


def test_dangling_operators_are_dropped_with_a_message(values):
    for text in ("oil AND", "OR oil", "oil NOT"):
        parsed = parse(text, values, WORDS)
        assert _terms(parsed.query) == ["oil"], text
        assert any("joined nothing" in m for m in parsed.messages), text
    assert _terms(parse('"and"', values, WORDS).query) == ["and"]   # a quoted operator is a word


def test_long_queries_are_cut_at_a_word_boundary():
    words = ("election " * 300).strip()
    assert cut_query(words).endswith("election") and len(cut_query(words)) <= settings.MAX_QUERY_CHARS
    req, messages = from_mapping({"q": words})
    assert req.q.split()[-1] == "election" and messages and "end of a word" in messages[0]
    assert cut_query("x" * 2000) == "x" * settings.MAX_QUERY_CHARS           # no space at all: cut at the limit


def test_word_clauses_and_pairs_for_forgiving_matching_and_proximity(values):
    parsed = parse("six-party talks -oil", values, WORDS)
    assert len(parsed.clauses) == 2 and len(parsed.required) == 1
    assert parsed.pairs == [("six", "parti"), ("parti", "talk")]
    assert parse("oil OR talks", values, WORDS).clauses == []
    assert len(parse("a b c d e f g h i j k l", values, WORDS).pairs) == settings.MAX_PROXIMITY_PAIRS


def test_a_long_paste_searches_its_first_words_once_each(values):
    words = [f"zq{chr(97 + i // 26)}{chr(97 + i % 26)}k" for i in range(settings.MAX_QUERY_WORDS + 10)]
    parsed = parse(" ".join(words + words), values, WORDS)
    assert len(parsed.clauses) == settings.MAX_QUERY_WORDS
    assert [sorted(t for _, t in c.iter_all_terms())[0] for c in parsed.clauses] == words[: settings.MAX_QUERY_WORDS]
    assert any(f"first {settings.MAX_QUERY_WORDS} different words" in m for m in parsed.messages)
    short = parse(" ".join(words[:20] * 2), values, WORDS)       # repeated words: not cut, no message
    assert len(short.clauses) == 20 and short.messages == []
