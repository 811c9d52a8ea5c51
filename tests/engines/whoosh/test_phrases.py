"""Phrases matched with numpy (indexer.phrases) from the segments' ``.pos`` files find exactly the
documents Whoosh's Phrase query finds in the same documents indexed with positions in Whoosh's
posting blocks (``blocks_reference``), and rank them in Whoosh's order with Whoosh's scores."""
from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import query as wq

from indexer.engines.whoosh import phrases, ranking, search as search_mod
from indexer.build import index_articles
from indexer.model import SearchRequest
from indexer.engines.whoosh.query import parse
from indexer.engines.whoosh.schema import to_document
from indexer.engines.whoosh.search import Generation, open_index, search
from indexer.engines.whoosh.segments import BulkSegmentWriter
from tests.conftest import make_article
from tests.engines.whoosh.blocks_reference import blocks_copy

WORDS = "oil price crude barrel opec the of and bank rate talks very good new york".split()
COUNTRIES = ["Japan", "Brazil", "Canada", "France"]

FIXED = [
    # (title, body)
    ("Oil", "price talks went on"),                              # "oil price" only across title/body
    ("Crude oil price", "nothing here"),                          # in the title only
    ("Talks", "the oil price rose; the price of oil fell"),       # in the body, and reversed
    ("Very", "very very very good"),                              # repeated words
    ("New York", "new new york york new york"),                   # repeated and overlapping
    ("Bank", "bank rate bank rate rate bank"),
    ("Oil price", "oil price and more oil price"),                # in both fields
    ("Opec", "opec"),                                             # one word only
    ("Good", "good " * 300 + "very good"),                        # a long body: positions past 255
]


def _articles(rng: random.Random, n: int, first: int = 1):
    out = []
    for i in range(first, first + n):
        if i - first < len(FIXED) and first == 1:
            title, body = FIXED[i - first]
        else:
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 400)))
        out.append(make_article(i, title, body, f"1987-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
                                countries=[COUNTRIES[i % 4]]))
    return out


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    rng = random.Random(11)
    root = tmp_path_factory.mktemp("phrases") / "index"
    index_articles(_articles(rng, 250), root)
    g = open_index(root).generation()
    yield g
    g.close()


@pytest.fixture(scope="module")
def multi_gen(gen, tmp_path_factory):
    """The same index with a second segment and deleted documents: document numbers are offset
    by the segment bases and the postings still hold the deleted ones."""
    import shutil
    path = tmp_path_factory.mktemp("phrases-multi") / "gen"
    shutil.copytree(gen.path, path)
    g = Generation(path)
    writer = BulkSegmentWriter(g.ix)
    for article in _articles(random.Random(12), 60, first=1000):
        writer.add_document(**to_document(article))
    writer.commit(merge=False)
    writer = BulkSegmentWriter(g.ix)
    for n in (3, 7, 1010):
        writer.delete_by_term("id", f"art{n:04d}")
    writer.commit(merge=False)
    g.close()
    g = Generation(path)
    assert len(list(g.ix.reader().leaf_readers())) >= 2
    yield g
    g.close()


@pytest.fixture(scope="module")
def refs(gen, multi_gen, tmp_path_factory):
    """Each index beside its copy with positions in Whoosh's blocks (the same document numbers)."""
    out = {}
    for g in (gen, multi_gen):
        out[id(g)] = blocks_copy(g, tmp_path_factory.mktemp("blocks") / "gen")
    yield out
    for g in out.values():
        g.close()


def _whoosh_docs(searcher, q) -> list[int]:
    return sorted(q.docs(searcher))


def _phrase_queries(q):
    if type(q) is wq.Phrase:
        yield q
    elif not q.is_leaf():
        for sub in q.children():
            yield from _phrase_queries(sub)


def _check_docs(g, ref, text):
    with g.searcher() as s, ref.searcher() as rs:
        parsed = parse(text, g.values)
        found = list(_phrase_queries(parsed.query))
        assert found, f"{text!r} should hold a phrase"
        for q in found:
            assert phrases.supported(s, q)
            g.cache.clear()
            ours = phrases.phrase_postings(g, s, q).docs.tolist()   # deleted documents too
            assert [d for d in ours if g.values.live[d]] == _whoosh_docs(rs, q), (text, q)
        # Whole-query matches (live documents) agree too.
        g.cache.clear()
        mask = search_mod.matches(g, s, parsed)
        live = set(np.flatnonzero(g.values.live).tolist())
        assert np.flatnonzero(mask).tolist() == sorted(set(parsed.query.docs(rs)) & live)


CASES = ['"oil price"', '"price oil"', '"the price of oil"', '"very very"', '"very very very"',
         '"very very very very"', '"new york"', '"new new york"', '"york new york"', '"bank rate bank"',
         '"rate rate"', '"good good good"', '"very good"', '"crude oil price"', '"oil price talks"',
         '"opec opec"', '"oil bank"', '"price talks"', 'title:"oil price"', 'title:"crude oil"',
         '"oil price" opec', '"oil price" OR "bank rate"', '"oil price" NOT "bank rate"',
         '"the oil" -"price rate"', '"unknownword oil"', '"oil unknownword"']


@pytest.mark.parametrize("text", CASES)
def test_phrase_docs_equal_whoosh(gen, refs, text):
    _check_docs(gen, refs[id(gen)], text)


@pytest.mark.parametrize("text", CASES)
def test_phrase_docs_equal_whoosh_many_segments(multi_gen, refs, text):
    _check_docs(multi_gen, refs[id(multi_gen)], text)


def test_random_phrases_equal_whoosh(gen, multi_gen, refs):
    rng = random.Random(5)
    for g in (gen, multi_gen):
        for _ in range(60):
            n = rng.randint(2, 4)
            _check_docs(g, refs[id(g)], '"' + " ".join(rng.choice(WORDS) for _ in range(n)) + '"')


def test_fixed_cases(gen):
    def ids(text):
        with gen.searcher() as s:
            mask = search_mod.matches(gen, s, parse(text, gen.values))
            return {s.stored_fields(int(d))["id"] for d in np.flatnonzero(mask)}
    assert {"art0002", "art0003", "art0007"} <= ids('"oil price"')
    assert "art0001" not in ids('"oil price"')           # never across the title and the body
    assert "art0003" in ids('"price of oil"')
    assert "art0004" in ids('"very very very"')
    assert "art0004" not in ids('"very very very very"')
    assert "art0005" in ids('"new new york york"')
    assert "art0009" in ids('"good very good"')          # past position 255


def test_single_word_phrase_is_a_term(gen):
    parsed = parse('"opec"', gen.values)
    assert not list(_phrase_queries(parsed.query))
    assert search(gen, SearchRequest(q='"opec"')).total == search(gen, SearchRequest(q="opec")).total


def _ranked_both(g, ref, req):
    with g.searcher() as s, ref.searcher() as rs:
        parsed = parse(req.q, g.values)
        g.cache.clear()
        final, filtered = search_mod.filtered_matches(g, s, parsed, req)
        start = (req.page - 1) * req.page_size
        end = min(start + req.page_size, int(final.sum()))
        fast = ranking.ranked(g, s, parsed.query, final, start, end)
        assert fast is not None, f"{req.q!r} should take the numpy path"
        docset = set(np.flatnonzero(final).tolist()) if filtered else None
        slow = [(h.docnum, h.score) for h in rs.search(parsed.query, filter=docset, limit=end)[start:end]]
    return fast, slow


@pytest.mark.parametrize("kw", [
    dict(q='"oil price"'),
    dict(q='"the oil"'),
    dict(q='"bank rate"', filters={"country": ["Japan"]}),
    dict(q='"oil price" opec'),
    dict(q='"oil price" OR "bank rate"', page=2),
    dict(q='"very good" OR talks'),
    dict(q='"new york" -"oil price"'),
    dict(q='"the price of"', filters={"country": ["Brazil", "Canada"]}),
    dict(q='title:"oil price" OR crude'),
    dict(q='"rate rate"'),
    dict(q='"oil price" bank', date_from="1987-03-01", date_to="1987-09-30"),
])
@pytest.mark.parametrize("which", ["gen", "multi_gen"])
def test_phrase_ranking_equals_whoosh(request, refs, which, kw):
    import datetime as dt
    g = request.getfixturevalue(which)
    for k in ("date_from", "date_to"):
        if k in kw:
            kw = dict(kw, **{k: dt.date.fromisoformat(kw[k])})
    fast, slow = _ranked_both(g, refs[id(g)], SearchRequest(**kw))
    assert [d for d, _ in fast] == [d for d, _ in slow]
    assert [x for _, x in fast] == [x for _, x in slow]       # the same float operations: equal


def test_phrase_with_slop_falls_back_to_whoosh(gen, refs):
    """Where the blocks hold positions (the reference), a phrase with a slop is Whoosh's to match;
    title and body keep theirs in ``.pos`` files only, which Whoosh cannot read."""
    from whoosh.query.qcore import QueryError
    q = wq.Phrase("body", ["oil", "price"], slop=2)
    ref = refs[id(gen)]
    with ref.searcher() as s:
        assert not phrases.supported(s, q)
        final = np.ones(ref.values.ndocs, dtype=bool)
        assert ranking.ranked(ref, s, q, final, 0, 10) is None
        assert np.flatnonzero(search_mod.mask_of(ref, s, q)).tolist() == sorted(q.docs(s))
    with gen.searcher() as s:
        assert not phrases.supported(s, q)
        with pytest.raises(QueryError):
            search_mod.mask_of(gen, s, q)


def test_phrase_postings_are_cached(gen):
    q = wq.Phrase("body", ["oil", "price"])
    with gen.searcher() as s:
        gen.cache.clear()
        first = phrases.phrase_postings(gen, s, q)
        again = phrases.phrase_postings(gen, s, q)
    assert again.docs is first.docs
    assert set(again.weights) == {"oil", "price"}
    for word in first.weights:
        assert np.array_equal(again.weights[word], first.weights[word])
