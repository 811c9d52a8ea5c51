"""Posting lists read in bulk (indexer.postings) hold what Whoosh's own matcher reads."""
from __future__ import annotations

import random

import numpy as np
import pytest

from indexer.engines.whoosh import postings
from indexer.build import index_articles
from indexer.engines.whoosh.search import open_index
from tests.conftest import make_article
from tests.engines.whoosh.blocks_reference import blocks_copy

WORDS = "oil price crude barrel opec bank rate talks wheat grain yen dollar".split()


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    rng = random.Random(3)
    articles = [make_article(n, " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5))),
                             " ".join(rng.choice(WORDS + [f"rare{n}"]) for _ in range(rng.randint(1, 600))),
                             f"1987-0{n % 9 + 1}-1{n % 9}", countries=["Japan", "Brazil"][: n % 3],
                             people=["Ann Lee"] if n % 5 == 0 else [])
                for n in range(1, 401)]
    root = tmp_path_factory.mktemp("postings") / "index"
    index_articles(articles, root)
    g = open_index(root).generation()
    yield g
    g.close()


def _whoosh(m, base):
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id() + base)
        weights.append(m.weight())
        m.next()
    return ids, weights


def _stored(reader, fields):
    """Every (field, term, extent, base) of every segment, the extent found in the term dictionary."""
    for field in fields:
        for term in reader.field_terms(field):
            for leaf, base in reader.leaf_readers():
                found = postings.lookup(leaf, field, term)
                if isinstance(found, postings.Stored):
                    yield field, term, found, base


def test_lookup_finds_what_the_matcher_reads(gen):
    """Each term of each segment, looked up in the term dictionary, gives the matcher's postings."""
    checked = many_blocks = 0
    with gen.searcher() as s:
        reader = s.reader()
        for field in ("title", "body", "country", "person", "date", "id"):
            for term in reader.field_terms(field):
                for leaf, base in reader.leaf_readers():
                    found = postings.lookup(leaf, field, term)
                    if (field, term) not in leaf:
                        assert found is None
                        continue
                    expected_ids, expected_weights = _whoosh(leaf.postings(field, term), base)
                    assert isinstance(found, postings.Stored)
                    ids, weights = postings.ids_and_weights(found, base)
                    assert (ids.tolist(), weights.tolist()) == (expected_ids, expected_weights), (field, term)
                    checked += 1
                    many_blocks += len(list(postings.blocks(found))) > 1
        assert postings.lookup(reader.leaf_readers()[0][0], "nosuchfield", "x") is None
    assert checked > 100 and many_blocks > 5


@pytest.fixture(scope="module")
def blocks_gen(gen, tmp_path_factory):
    """The same documents with positions in the posting blocks (Whoosh's ``Positions`` values)."""
    g = blocks_copy(gen, tmp_path_factory.mktemp("blocks") / "gen")
    yield g
    g.close()


@pytest.mark.parametrize("which,start", [("gen", postings._BYTES_START), ("blocks_gen", postings._VALUES_START)])
def test_blocks_cut_before_values(request, which, start):
    """A block of a common word is read without unpickling its values (frequencies in one bytes
    object, or a tuple of position values), and the cut pickle gives the same ids and weights
    as the whole one."""
    g = request.getfixturevalue(which)
    with g.searcher() as s:
        extents = [found for field, term, found, _ in _stored(s.reader(), ["body"]) if term == "oil"]
        assert extents
        for block in (block for found in extents for block in postings.blocks(found)):
            raw = postings._unpickled(block)
            assert raw.find(start) > 0 and postings.Unpacked(block).cut == raw.find(start)
            whole = postings.data(block)
            assert postings.ids_weights(block) == tuple(whole[:2])
            assert len(whole[0]) == block.count


def _texts(values):
    return [v.decode("latin-1").encode("utf-8") for v in values]


def test_values_read_without_unpickling_equal_whoosh(blocks_gen):
    with blocks_gen.searcher() as s:
        reader = s.reader()
        checked = 0
        for field in ("title", "body"):
            terms = set(list(reader.field_terms(field))[:40])
            for _, term, found, _ in _stored(reader, [field]):
                if term not in terms:
                    continue
                for block in postings.blocks(found):
                    u = postings.Unpacked(block)
                    whole = postings.data(block)[2]
                    every = list(range(block.count))
                    some = every[::3]
                    assert u.value_texts(some)[0] == _texts([whole[i] for i in some])
                    assert u.value_texts(some, from_text=False) == (_texts([whole[i] for i in some]), False)
                    if u.cut > 0:      # the usual layout: read from the text, or None
                        texts = postings._value_texts(u.raw, u.cut, u.count, every)
                        assert texts is None or texts == _texts(whole)
                        checked += 1
        assert checked > 20


def _encoded(rng, shared: bool, n: int = 300):
    from whoosh.formats import Positions
    fmt = Positions()
    by_position: dict = {}
    values, expected = [], []
    for _ in range(n):      # past 256 memo entries: LONG_BINPUT / LONG_BINGET
        poses = sorted(rng.sample(range(70000), rng.choice([1, 1, 1, 2, 5, 40])))
        if shared and len(poses) == 1:
            poses = [poses[0] % 40]
            value = by_position.setdefault(poses[0], fmt.encode(poses))
        else:
            value = fmt.encode(poses)
        values.append(value)
        expected.append(poses)
    return values, expected


@pytest.mark.parametrize("shared", [False, True])
def test_values_read_from_a_block_with_values_given_by_memo(shared):
    """Blocks whose postings share one bytes object per value (pickled once, then by memo) and
    blocks without sharing: the values read from the text are the unpickled ones."""
    import pickle
    import zlib
    rng = random.Random(9)
    values, expected = _encoded(rng, shared)
    ids = tuple(range(1, len(values) + 1))
    weights = tuple(float(rng.randint(1, 5)) for _ in ids)
    raw = pickle.dumps((ids, weights, tuple(values)), 2)
    block = postings.Block(len(ids), len(ids), 3, memoryview(zlib.compress(raw, 3)))
    u = postings.Unpacked(block)
    assert u.cut > 0
    every = list(range(len(ids)))
    if shared:        # one text for several postings: unpickled whole
        assert postings._value_texts(u.raw, u.cut, u.count, every) is None
    else:
        assert postings._value_texts(u.raw, u.cut, u.count, every) == _texts(values)
    assert u.value_texts(every[5::7]) == (_texts(values[5::7]), not shared)
    assert u.ids_weights() == (ids, weights)
    counts, positions = postings.positions_of(u.value_texts(every)[0])
    assert counts.tolist() == [len(p) for p in expected]
    assert positions.tolist() == [x for p in expected for x in p]


def test_positions_of_small_large_and_odd_values():
    from whoosh.formats import Positions
    fmt = Positions()
    lists = [[0], [5], [255], [256], [65535], [65536], [70000, 70001], list(range(0, 4000, 7)),
             [1, 2, 3], [300, 100000, 2 ** 31 - 1]]
    texts = _texts([fmt.encode(p) for p in lists])
    counts, positions = postings.positions_of(texts)
    assert counts.tolist() == [len(p) for p in lists]
    assert positions.tolist() == [x for p in lists for x in p]
    assert postings.positions_of([])[0].tolist() == []
    # a value beyond BININT (a LONG1 delta): read one by one
    odd = _texts([fmt.encode([2 ** 33])])
    assert postings.positions_of(odd)[1].tolist() == [2 ** 33]
