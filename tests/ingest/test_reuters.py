"""A rebuild of the whole Reuters-21578 collection accounts for every article, with the right dates.

Reads ../shared/corpus/reuters21578 (skipped when absent). The expected values
are parsed here independently of the indexer's reader, with a plain regex.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import numpy as np
import pytest

from indexer import build, facets
from indexer.engines.whoosh.schema import mentioned_field
from indexer.engines.whoosh.query import parse
from indexer.request import from_mapping
from indexer.engines.whoosh.search import matches, open_index, search
from tests.conftest import require_shared

pytestmark = pytest.mark.shared

_DOC = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_DATE = re.compile(r"<DATE>\s*(\d{1,2}-[A-Z]{3}-\d{4})")


def sgml_dates(folder):
    """{(file name, position): date} straight from each article's <DATE> field."""
    out = {}
    for path in sorted(folder.glob("reut2-*.sgm")):
        text = path.read_text(encoding="latin-1")
        for pos, m in enumerate(_DOC.finditer(text)):
            d = _DATE.search(m.group(2))
            out[(path.name, pos)] = dt.datetime.strptime(d.group(1).title(), "%d-%b-%Y").date()
    return out


@pytest.fixture(scope="module")
def reuters(tmp_path_factory):
    folder = require_shared("corpus", "reuters21578")
    files = sorted(folder.glob("reut2-*.sgm"))
    assert len(files) == 22
    index = tmp_path_factory.mktemp("reuters") / "index"
    report = build.rebuild(files, index)
    return folder, report, open_index(index).generation()


def _key(source: str):
    path, _, pos = source.rpartition("#")
    return path.rsplit("/", 1)[-1], int(pos)


def test_every_article_is_indexed_or_reported(reuters):
    folder, report, gen = reuters
    expected = sgml_dates(folder)
    assert len(expected) == 21578
    skipped = {_key(s.source): s.reason for s in report.skipped}
    assert set(skipped.values()) <= {"empty", "duplicate"}
    assert report.indexed + len(skipped) == 21578
    assert gen.doc_count == report.indexed
    with gen.searcher() as s:
        indexed = {_key(f["source"]) for f in s.all_stored_fields()}
    assert indexed.isdisjoint(skipped) and indexed | set(skipped) == set(expected)


def test_dates_equal_the_sgml_date_field(reuters):
    folder, report, gen = reuters
    expected = sgml_dates(folder)
    skipped = {_key(s.source) for s in report.skipped}
    with gen.searcher() as s:
        stored = {_key(f["source"]): f["date"] for f in s.all_stored_fields()}
    sample = random.Random(21578).sample(sorted(stored), 100)
    for key in sample:
        assert stored[key] == expected[key].isoformat(), key
    want = Counter(d.strftime("%Y-%m") for k, d in expected.items() if k not in skipped)
    days = gen.values.day[gen.values.live]
    got = Counter(dt.date.fromordinal(int(o)).strftime("%Y-%m") for o in days[days > 0])
    assert got == want
    assert int(np.sum(days == 0)) == 0


@pytest.mark.parametrize("q,countries", [("yen", ["Japan", "United States"]),
                                         ('"oil prices" country:Japan', []),
                                         ("grain -wheat", ["United States", "Soviet Union"])])
def test_disjunctive_counts_on_reuters_match_an_independent_count(reuters, q, countries):
    """Articles with every copy listed, distinct stories when grouped (the default), both counted
    here straight from each document's stored fields."""
    _, _, gen = reuters
    with gen.searcher() as s:   # the text matches, then facet counts straight from each document's fields
        parsed = parse(q, gen.values, present=gen.languages, reader=s.reader())     # in every language present
        matched = [s.stored_fields(int(d)) for d in matches(gen, s, parsed).nonzero()[0]]
    chosen = set(countries)
    passing = mentioned_field(facets.spec("country"))
    involved = lambda f: set(f["country"]) | set(f.get(passing) or [])   # noqa: E731 (about + mentioned)
    keep = [f for f in matched if not chosen or chosen & involved(f)]
    story = lambda f: f["story"][0]   # noqa: E731
    for copies in ("all", "grouped"):
        req, _ = from_mapping({"q": q, "country": countries, "size": "100", "copies": copies})
        result = search(gen, req)
        assert result.articles == len(keep) and result.stories == len({story(f) for f in keep})
        if copies == "all":
            assert result.total == len(keep)
            expected = Counter(c for f in matched for c in involved(f))        # own selection removed
        else:
            assert result.total == result.stories and result.counted == "stories"
            expected = Counter(c for c, _ in {(c, story(f)) for f in matched for c in involved(f)})
        people = Counter(p for f in keep for p in f["person"]) if copies == "all" else \
            Counter(p for p, _ in {(p, story(f)) for f in keep for p in f["person"]})
        for value in result.facets["country"].values:
            assert value.count == expected.get(value.value, 0), (copies, value)
        for value in result.facets["person"].values:
            assert value.count == people[value.value], (copies, value)
