"""Relevance order computed with numpy (indexer.ranking) is Whoosh's BM25F order."""
from __future__ import annotations

import random

import numpy as np
import pytest

from indexer.engines.whoosh import matching, ranking, search as search_mod
from indexer.build import index_articles
from indexer.model import SearchRequest
from indexer.engines.whoosh.query import parse
from indexer.engines.whoosh.search import open_index, search
from tests.conftest import make_article

WORDS = ("oil price crude barrel opec output market trade deficit bank rate dollar yen "
         "grain wheat export import tariff talks minister government strike coffee sugar").split()
COUNTRIES = ["Japan", "Brazil", "Canada", "France"]
PEOPLE = ["Ann Lee", "Bo Chan", "Cy Young"]


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    rng = random.Random(7)
    articles = []
    for n in range(1, 301):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7)))
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 300)))
        date = f"198{n % 3 + 5}-{n % 12 + 1:02d}-{n % 27 + 1:02d}" if n % 9 else None
        articles.append(make_article(n, title, body, date, countries=[COUNTRIES[n % 4]],
                                     people=[PEOPLE[n % 3]] if n % 2 else []))
    root = tmp_path_factory.mktemp("ranking") / "index"
    index_articles(articles, root)
    g = open_index(root).generation()
    yield g
    g.close()


def _both(gen, req: SearchRequest):
    with gen.searcher() as s:
        parsed = parse(req.q, gen.values)
        final, filtered = matching.filtered_matches(gen, s, parsed, req)
        start = (req.page - 1) * req.page_size
        end = min(start + req.page_size, int(final.sum()))
        fast = ranking.ranked(gen, s, parsed.query, final, start, end)
        assert fast is not None, f"{req.q!r} should take the numpy path"
        slow_fn = ranking.ranked
        ranking.ranked = lambda *a, **k: None
        try:
            slow = search_mod._ranked(gen, s, parsed, req, final, filtered, start, end)
        finally:
            ranking.ranked = slow_fn
    return fast, slow


def _same_order(fast, slow):
    assert len(fast) == len(slow) and fast
    fs = np.array([x for _, x in fast])
    ss = np.array([x for _, x in slow])
    np.testing.assert_allclose(fs, ss, rtol=0, atol=1e-6)
    for (fd, fx), (sd, sx) in zip(fast, slow):
        assert fd == sd or abs(fx - sx) <= 1e-6     # ties may only reorder when scores are equal


@pytest.mark.parametrize("kw", [
    dict(q="oil"),
    dict(q="coffee"),
    dict(q="oil price"),
    dict(q="crude opec barrel"),
    dict(q="oil OR coffee"),
    dict(q="sugar OR (wheat grain)"),
    dict(q="oil NOT coffee"),
    dict(q="market -dollar -yen"),
    dict(q="title:strike"),
    dict(q="bank", filters={"country": ["Japan"]}),
    dict(q="trade deficit", filters={"person": ["Ann Lee"], "country": ["Brazil", "Canada"]}),
    dict(q="oil", page=2),
    dict(q="price OR rate", page=3),
    dict(q="talks", filters={"country": ["France"]}, page=2),
    dict(q="oil country:Japan"),
    dict(q="NOT coffee", page=2),
    dict(q="wheat OR (grain NOT sugar)"),
    dict(q="coffee OR (oil price)"),
    dict(q="(bank -rate) OR (yen NOT dollar)", page=2),
    dict(q="wheat OR person:\"Ann Lee\""),
])
def test_numpy_ranking_equals_whoosh(gen, kw):
    _same_order(*_both(gen, SearchRequest(**kw)))


def test_search_uses_numpy_scores(gen, monkeypatch):
    from indexer import settings
    monkeypatch.setattr(settings, "PROXIMITY_WEIGHT", 0.0)    # Whoosh's scores have no proximity bonus
    fast = search(gen, SearchRequest(q="oil price"))
    monkeypatch.setattr(ranking, "ranked", lambda *a, **k: None)
    slow = search(gen, SearchRequest(q="oil price"))
    assert [h.id for h in fast.hits] == [h.id for h in slow.hits]
    assert [h.score for h in fast.hits] == pytest.approx([h.score for h in slow.hits], abs=1e-4)


def test_phrases_take_the_numpy_path(gen, monkeypatch):
    with gen.searcher() as s:
        parsed = parse('"oil price"', gen.values)
        final = matching.matches(gen, s, parsed)
        assert ranking.ranked(gen, s, parsed.query, final, 0, 10) is not None
    fast = search(gen, SearchRequest(q='"oil price"'))
    assert fast.hits
    monkeypatch.setattr(ranking, "ranked", lambda *a, **k: None)
    slow = search(gen, SearchRequest(q='"oil price"'))
    assert [h.id for h in fast.hits] == [h.id for h in slow.hits]
    assert [h.score for h in fast.hits] == [h.score for h in slow.hits]


def test_field_lengths_are_whoosh_lengths(gen):
    from indexer.engines.whoosh.docvalues import field_lengths
    with gen.searcher() as s:
        reader = s.reader()
        for name in ("title", "body"):
            lengths = field_lengths(reader, name)
            expected = [reader.doc_field_length(d, name) or 0 for d in range(reader.doc_count_all())]
            assert lengths.tolist() == expected
