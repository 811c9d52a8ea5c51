"""The neutral query tree: what typed queries parse to, what is repaired, and what the messages say."""
from __future__ import annotations

import datetime as dt

import pytest

from indexer import querylang as ql, settings
from indexer.querylang import All, Any, DateRange, Everything, FacetValue, Not, Nothing, Pattern, Phrase, Word


def tree(text: str):
    return ql.parse(text).tree


def W(text, field=None):
    return Word(text, field)


@pytest.mark.parametrize("text, expected", [
    ("nuclear talks", All((W("nuclear"), W("talks")))),
    ('"oil prices"', Phrase(("oil", "prices"))),
    ("wheat OR rice", Any((W("wheat"), W("rice")))),
    ("grain NOT wheat", All((W("grain"), Not(W("wheat"))))),
    ("grain -wheat", All((W("grain"), Not(W("wheat"))))),
    ("(a OR b) c", All((Any((W("a"), W("b"))), W("c")))),
    ("title:talks", W("talks", "title")),
    ("text:oil", W("oil", "body")),
    ('title:"oil prices"', Phrase(("oil", "prices"), "title")),
    ("title:(oil OR gas) prices", All((Any((W("oil", "title"), W("gas", "title"))), W("prices")))),
    ('person:"James Kelly"', FacetValue("person", "James Kelly")),
    ("people:kelly", FacetValue("person", "kelly")),
    ("by:doe", FacetValue("author", "doe")),
    ('country:"North Korea" talks', All((FacetValue("country", "North Korea"), W("talks")))),
    ("nucl*", Pattern("nucl*")),
    ("title:talk*", Pattern("talk*", "title")),
    ("gr?in *tion", All((Pattern("gr?in"), Pattern("*tion")))),
    ("six-party talks", All((W("six-party"), W("talks")))),
    ("東京", W("東京")),
])
def test_readme_syntax_parses_to_the_tree(text, expected):
    assert tree(text) == expected
    assert ql.parse(text).messages == []


def test_operators_bind_as_the_query_language_says():
    # NOT takes the next part; AND joins before OR, OR before ANDNOT; what is left side by side is an AND.
    assert tree("a b OR c") == All((W("a"), Any((W("b"), W("c")))))
    assert tree("a AND b OR c") == Any((All((W("a"), W("b"))), W("c")))
    assert tree("a OR b AND c") == Any((W("a"), All((W("b"), W("c")))))
    assert tree("a OR b ANDNOT c") == All((Any((W("a"), W("b"))), Not(W("c"))))
    assert tree("a OR NOT b") == Any((W("a"), Not(W("b"))))
    assert tree("NOT (a b)") == Not(All((W("a"), W("b"))))
    assert tree("a OR b OR c d") == All((Any((W("a"), W("b"), W("c"))), W("d")))
    assert tree("a AND(b)") == All((W("a"), W("AND"), W("b")))     # an operator needs spaces round it


def test_tree_is_flat_and_repeats_once():
    assert tree("(a b) (c (d))") == All((W("a"), W("b"), W("c"), W("d")))
    assert tree("oil talks oil") == All((W("oil"), W("talks")))
    assert tree("((a))") == W("a")


def test_dates_are_ranges_of_days():
    assert tree("date:2004") == DateRange(dt.date(2004, 1, 1), dt.date(2004, 12, 31))
    assert tree("date:2004-02") == DateRange(dt.date(2004, 2, 1), dt.date(2004, 2, 29))
    assert tree("date:[2004-01-01 TO 2004-03-31]") == DateRange(dt.date(2004, 1, 1), dt.date(2004, 3, 31))
    assert tree("date:[2004 TO]") == DateRange(dt.date(2004, 1, 1), None)
    assert tree("date:{TO 2005-06}") == DateRange(None, dt.date(2005, 6, 30))
    assert tree("oil [2004 TO 2005]") == All((W("oil"), DateRange(dt.date(2004, 1, 1), dt.date(2005, 12, 31))))


def test_a_bad_date_is_ignored_with_a_message():
    q = ql.parse("oil date:2004-02-30")
    assert q.tree == W("oil") and q.messages == ["Ignored a date: “2004-02-30” is not a real date."]
    q = ql.parse("date:soon")
    assert isinstance(q.tree, Everything) and "is not a date" in q.messages[0]


@pytest.mark.parametrize("text", ["", "   ", "*", "**", "title:*", "body:*", "(*)", "* OR *", "*:*", "oil OR *"])
def test_stars_and_nothing_typed_mean_every_article(text):
    q = ql.parse(text)
    assert isinstance(q.tree, Everything) and q.empty and q.messages == []


def test_a_star_beside_words_drops_out():
    assert tree("oil *") == W("oil")


def test_wildcards_in_facet_fields_are_refused_and_the_rest_runs():
    q = ql.parse("talks person:kel*")
    assert q.tree == W("talks") and q.messages == ["Wildcards don't work in person: searches; use the exact name."]
    q = ql.parse("country:chi*")
    assert isinstance(q.tree, Nothing) and q.messages


def test_repairs_are_reported_and_the_rest_runs():
    q = ql.parse('"oil prices')
    assert q.tree == All((W("oil"), W("prices"))) and q.messages == ["A quotation mark was not closed; it was ignored."]
    q = ql.parse("(oil OR gas")
    assert q.tree == Any((W("oil"), W("gas"))) and q.messages == ["A bracket was not closed; it was closed at the end."]
    q = ql.parse("oil) gas")
    assert q.tree == All((W("oil"), W("gas")))
    assert q.messages == ["A closing bracket had no opening one; it was ignored."]
    q = ql.parse("foo:bar talks")
    assert q.tree == All((W("foo"), W("bar"), W("talks")))
    assert q.messages == ["There is no field “foo”; it was searched as a word."]
    q = ql.parse("date:[2004 TO")
    assert "date range was not closed" in q.messages[0]
    assert ql.parse("\u201coil prices\u201d").tree == Phrase(("oil", "prices"))   # typographic quotes


@pytest.mark.parametrize("text", ["AND OR", "NOT", "AND", "OR OR", "(AND)"])
def test_operators_alone_get_a_message(text):
    q = ql.parse(text)
    assert isinstance(q.tree, Nothing) and "only the operators" in q.messages[0]


def test_dangling_operators_are_dropped_with_a_message():
    for text in ("oil AND", "OR oil", "oil NOT"):
        q = ql.parse(text)
        assert q.tree == W("oil") and any("joined nothing" in m for m in q.messages), text
    assert ql.parse('"and"').tree == Phrase(("and",))        # a quoted operator is a word


def test_punctuation_alone_searches_nothing_and_says_so():
    q = ql.parse(", ;")
    assert isinstance(q.tree, Nothing) and q.messages == ["Nothing in the query could be searched."]
    assert tree("oil - gas") == All((W("oil"), W("gas")))


def test_a_long_paste_is_its_first_words_once_each():
    words = [f"w{i}" for i in range(settings.MAX_QUERY_WORDS + 5)]
    q = ql.parse(" ".join(words + words))
    assert q.tree == All(tuple(W(w) for w in words[: settings.MAX_QUERY_WORDS]))
    assert q.messages == [f"Only the first {settings.MAX_QUERY_WORDS} different words of the query were searched."]
    short = ql.parse(" ".join(words[:20] + [w.upper() for w in words[:20]]))   # repeats, in any case: once
    assert short.tree == All(tuple(W(w) for w in words[:20])) and short.messages == []


def test_typed_words_are_the_ones_did_you_mean_may_correct():
    assert ql.parse('nuclaer "oil prices" person:kelly OR talks').words == ["nuclaer", "oil", "prices", "talks"]


def test_clauses_and_required_parts_for_forgiving_matching():
    parts = ql.top_level(tree("six-party talks -oil country:china"))
    clauses, required = ql.relaxable(parts)
    assert clauses == [W("six-party"), W("talks")]
    assert required == [Not(W("oil")), FacetValue("country", "china")]
    assert ql.relaxable(ql.top_level(tree("oil OR talks"))) == ([], [])
    assert ql.relaxable(ql.top_level(tree("oil -gas"))) == ([], [])


def test_word_pairs_are_of_words_typed_side_by_side():
    analyse = lambda w: w.lower().replace("-", " ").split()   # noqa: E731 (an engine's analysis, simplified)
    parts = ql.top_level(tree('six-party talks "Beijing" -oil north "korea peninsula"'))
    assert ql.word_pairs(parts, analyse) == [("six", "party"), ("party", "talks"), ("talks", "beijing")]
    many = ql.top_level(tree("a b c d e f g h i j k l"))
    assert len(ql.word_pairs(many, analyse)) == settings.MAX_PROXIMITY_PAIRS


def test_every_query_parses_without_raising():
    for text in ['"', "(", ")", "[", "]", "{", "}", ":", "title:", "-", "*:", "^", "~", "'", "a'b", "AND(", "NOT NOT a",
                 "date:[TO]", "person:[a TO b]", "x" * 1000, "\x00", "\ud7ff"]:
        q = ql.parse(text)
        assert isinstance(q, ql.Query)
    assert ql.parse("person:[a TO b]").messages == ["Ranges work only in date: searches, not in person:."]


def test_a_repair_made_many_times_is_reported_once():
    q = ql.parse("oil date:2004-13 date:2004-13 OR date:2004-13")
    assert q.messages == ["Ignored a date: “2004-13” is not a real date."]


@pytest.mark.parametrize("text, rest", [("title:", None), ("person: ", None), ("title: talks", "talks"),
                                        ("talks country:", "talks")])
def test_a_field_with_nothing_after_it_is_left_out_with_a_message(text, rest):
    q = ql.parse(text)
    assert any("Nothing followed" in m for m in q.messages), q.messages
    if rest is None:
        assert isinstance(q.tree, Nothing)
    else:
        assert q.tree == Word(rest, None)
    assert ql.parse("title:talks").messages == [] and ql.parse("note: the").messages == []
