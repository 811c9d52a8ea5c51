"""The ``.pos`` files written beside every segment (indexer.positions) hold exactly the positions
Whoosh stores in its posting blocks for the same documents (``blocks_reference``: title and body
with Whoosh's ``Positions`` format), and phrases read from them match what those blocks give."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.engines.whoosh import phrases, positions, postings
from indexer.build import rebuild
from indexer.engines.whoosh.schema import make_schema, to_document
from indexer.engines.whoosh.search import Generation
from indexer.engines.whoosh.segments import BulkSegmentWriter
from tests.engines.whoosh.blocks_reference import blocks_copy, blocks_index
from tests.engines.whoosh.test_phrases import _phrase_queries
from tests.engines.whoosh.test_segments import repo_articles, synthetic

from tests.conftest import REPO


def _whoosh_positions(leaf, field, term):
    m = leaf.postings(field, term)
    out = []
    while m.is_active():
        out.append(m.value_as("positions"))
        m.next()
    return out


def _check_every_term(folder: Path) -> int:
    """Every title and body term of every segment: its ``.pos`` arrays hold the positions Whoosh's
    blocks hold for the same documents, and the ids and weights of the segment's own blocks."""
    ix = whoosh_index.open_dir(str(folder))
    ref = blocks_index(ix, folder.parent / (folder.name + "-blocks"))
    checked = 0
    with ix.searcher() as s, ref.searcher() as rs:
        pairs = list(zip(s.reader().leaf_readers(), rs.reader().leaf_readers()))
        assert len(pairs) == len(s.reader().leaf_readers())
        for (leaf, _), (rleaf, _) in pairs:
            side = positions.for_leaf(leaf, {})
            assert side is not None
            assert set(side.fields) == {"title", "body"}      # the positional fields only
            for field in ("title", "body"):
                assert list(leaf.lexicon(field)) == list(rleaf.lexicon(field))
                for term in leaf.lexicon(field):
                    expected = _whoosh_positions(rleaf, field, term)      # live documents only
                    stored = postings.lookup(leaf, field, term)
                    found = side.term(field, stored.offset, stored.postings)    # deleted ones too
                    assert found is not None, (field, term)
                    live = [not leaf.is_deleted(d) for d in found.ids.tolist()]
                    ends = np.cumsum(found.counts).tolist()
                    lists = [found.positions[e - c:e].tolist() for e, c in zip(ends, found.counts.tolist())]
                    assert [p for p, keep in zip(lists, live) if keep] == expected, (field, term)
                    m = leaf.postings(field, term)
                    assert found.ids[live].tolist() == list(m.all_ids()), (field, term)
                    m = leaf.postings(field, term)
                    weights = []
                    while m.is_active():
                        assert m.value_as("frequency") == len(expected[len(weights)])
                        weights.append(m.weight())
                        m.next()
                    assert found.weights[live].tolist() == weights, (field, term)
                    checked += 1
    return checked


def test_positions_file_equals_the_postings(tmp_path):
    articles = repo_articles() + synthetic(301)        # long bodies: positions past 65535? no; past 255
    folder = tmp_path / "index"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = BulkSegmentWriter(ix)
    for a in articles:
        writer.add_document(**to_document(a))
    writer.commit()
    assert len(list(folder.glob("*.pos"))) == 1
    assert _check_every_term(folder) > 1000


def test_merged_segments_keep_their_positions(tmp_path):
    """Whoosh's merge policies merge through ``BulkSegmentWriter.add_reader``: the merged segment's
    ``.pos`` file holds its live documents' positions, as do segments closed past
    ``segment_postings``."""
    folder = tmp_path / "index"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    docs = [to_document(a) for a in repo_articles() + synthetic(120)]
    for first in range(0, len(docs), 100):
        writer = BulkSegmentWriter(ix, segment_postings=8_000)
        for doc in docs[first:first + 100]:
            writer.add_document(**doc)
        writer.commit(merge=False)
    assert len(ix._segments()) > len(docs) // 100 + 1        # some writers closed a segment early
    writer = BulkSegmentWriter(ix)
    for n in (0, 5, 101, 250):
        writer.delete_document(n)
    writer.commit(merge=False)
    assert _check_every_term(folder) > 1000                   # before: the deleted documents are kept
    writer = BulkSegmentWriter(ix)
    writer.add_document(**to_document(synthetic(1)[0]))
    writer.commit(optimize=True)
    ix = whoosh_index.open_dir(str(folder))
    assert len(ix._segments()) == 1 and ix.doc_count_all() == len(docs) - 4 + 1
    assert {p.stem for p in folder.glob("*.pos")} == {s.segment_id() for s in ix._segments()}
    shutil.rmtree(tmp_path / "index-blocks")
    assert _check_every_term(folder) > 1000


def _term(arrays, offset, term_postings):
    arrays.start_term(offset)
    arrays.add_block(*zip(*term_postings))


def test_wide_values_are_stored_as_uint32(tmp_path):
    arrays = positions.FieldPositions()
    from whoosh.formats import Positions
    fmt = Positions()
    _term(arrays, 4, [(0, 2.0, fmt.encode([1, 70000])), (70001, 1.0, fmt.encode([3]))])
    _term(arrays, 90, [(5, 1.0, fmt.encode([0]))])
    path = str(tmp_path / "x.pos")
    positions.write(path, "MAIN_x", {"body": arrays.arrays()})
    side = positions.PositionsFile(path, "MAIN_x")
    assert side.fields["body"].positions.dtype == np.uint32
    assert side.fields["body"].ids.dtype == np.uint32
    found = side.term("body", 4, 2)
    assert found.counts.tolist() == [2, 1] and found.positions.tolist() == [1, 70000, 3]
    assert found.ids.tolist() == [0, 70001] and found.weights.tolist() == [2.0, 1.0]
    assert side.term("body", 90, 1).positions.tolist() == [0]
    assert side.term("body", 90, 2) is None          # not the posting count the segment has
    assert side.term("body", 5, 1) is None           # no term starts there
    assert side.term("title", 4, 2) is None


def test_weights_not_a_multiple_of_the_counts_leave_the_ids_out(tmp_path):
    from whoosh.formats import Positions
    fmt = Positions()
    arrays = positions.FieldPositions()
    _term(arrays, 4, [(0, 2.0, fmt.encode([1, 7])), (3, 1.5, fmt.encode([3]))])     # a boosted document
    path = str(tmp_path / "x.pos")
    positions.write(path, "MAIN_x", {"body": arrays.arrays()})
    found = positions.PositionsFile(path, "MAIN_x").term("body", 4, 2)
    assert found.ids is None and found.weights is None
    assert found.counts.tolist() == [2, 1] and found.positions.tolist() == [1, 7, 3]


def test_writer_processes_write_one_for_every_segment(tmp_path):
    from indexer.engines.whoosh.writer import ParallelWriter
    folder = tmp_path / "index"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = ParallelWriter(ix, procs=2, batch=40, segment_postings=20_000)
    for a in repo_articles():
        writer.add_document(**to_document(a))
    writer.commit()
    segments = list(folder.glob("*.seg"))
    assert len(segments) >= 4
    assert {p.stem for p in folder.glob("*.pos")} == {p.stem for p in segments}
    assert _check_every_term(folder) > 1000


@pytest.fixture(scope="module")
def gen_dir(tmp_path_factory):
    report = rebuild([REPO / "corpus"], tmp_path_factory.mktemp("positions") / "index")
    return report.generation


PHRASES = ['"north korea"', '"six-party talks"', '"the united states"', '"mr kelly"', '"of the"',
           'title:"north korea"', '"president bush"', '"in the"', '"said the"', '"nuclear weapons programs"']


def _phrase_docs(path: Path) -> dict:
    from indexer.engines.whoosh.query import parse
    g = Generation(path)
    try:
        out = {}
        with g.searcher() as s:
            for text in PHRASES:
                for q in _phrase_queries(parse(text, g.values).query):
                    g.cache.clear()
                    found = phrases.phrase_postings(g, s, q)
                    out[(text, q.fieldname)] = (found.docs.tolist(),
                                                {w: v.tolist() for w, v in found.weights.items()})
        return out
    finally:
        g.close()


def test_phrases_from_positions_files_equal_phrases_from_postings(gen_dir, tmp_path, monkeypatch):
    with_side = _phrase_docs(gen_dir)
    assert sum(len(docs) for docs, _ in with_side.values()) > 20
    g = Generation(gen_dir)
    try:
        ref = blocks_copy(g, tmp_path / "blocks")
    finally:
        g.close()
    ref.close()
    assert not list((tmp_path / "blocks").glob("*.pos"))       # Whoosh's writer: positions in the blocks only
    assert _phrase_docs(tmp_path / "blocks") == with_side

    # Title and body positions are in the files alone: without them, phrases fail (never match less).
    bare = tmp_path / "bare"
    shutil.copytree(gen_dir, bare)
    for p in bare.glob("*.pos"):
        p.unlink()
    with pytest.raises(phrases.MissingPositions):
        _phrase_docs(bare)

    # With the files there, the blocks' position values are not read at all.
    def refuse(*args, **kwargs):
        raise AssertionError("read the positions from the postings")
    monkeypatch.setattr(phrases, "_read_blocks", refuse)
    monkeypatch.setattr(postings, "ids_and_weights", refuse)    # ids and weights come from the file too
    assert _phrase_docs(gen_dir) == with_side


def _damaged_copies(data: bytes):
    """Ways a .pos file can be broken: each must be refused whole, never half read."""
    import json
    yield b"not a positions file"
    yield data[: len(data) // 2]                                  # truncated
    yield b""
    start = len(positions.MAGIC) + 8
    size = int.from_bytes(data[len(positions.MAGIC):start], "little")
    header = json.loads(data[start:start + size])

    def with_header(h):
        text = json.dumps(h).encode()
        text += b" " * (size - len(text)) if len(text) <= size else b""
        if len(text) != size:
            return None
        return data[:start] + text + data[start + size:]
    body = header["fields"]["body"]
    yield with_header({**header, "segment": "MAIN_other"})        # another segment's file
    yield with_header({**header, "fields": {"body": [1, 2, 3]}})  # not a field entry
    shorter = dict(body, first=[body["first"][0], body["first"][1], body["first"][2] - 1])
    yield with_header({**header, "fields": {**header["fields"], "body": shorter}})   # arrays that don't fit


def test_a_damaged_positions_file_is_refused(gen_dir, tmp_path):
    """A damaged file is never half read: phrases fail with MissingPositions (rebuild the index)."""
    originals = {p.name: p.read_bytes() for p in gen_dir.glob("*.pos")}
    tried = 0
    for k in range(6):
        damaged = tmp_path / f"damaged{k}"
        shutil.copytree(gen_dir, damaged)
        for p in damaged.glob("*.pos"):
            copy = list(_damaged_copies(originals[p.name]))[k]
            assert copy is not None
            p.write_bytes(copy)
            leaf_id = p.stem
            with pytest.raises(ValueError):
                positions.PositionsFile(str(p), leaf_id)
        with pytest.raises(phrases.MissingPositions):
            _phrase_docs(damaged)
        tried += 1
    assert tried == 6


def test_weights_from_the_file_are_whooshs_float32():
    from whoosh.formats import Positions
    fmt = Positions()
    arrays = positions.FieldPositions()
    _term(arrays, 4, [(0, float(np.float32(3 * 1.1)), fmt.encode([1, 2, 3]))])
    out = arrays.arrays()
    assert out["weight_per_position"] == pytest.approx(1.1)
    import tempfile, os
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.pos")
        positions.write(path, "MAIN_x", {"body": out})
        found = positions.PositionsFile(path, "MAIN_x").term("body", 4, 1)
    assert found.weights.tolist() == [float(np.float32(3 * 1.1))]


def test_update_writes_positions_files_for_every_live_segment(tmp_path):
    from indexer.build import update
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    root = tmp_path / "index"
    rebuild([corpus], root)
    (corpus / "extra.txt").write_text("Oil talks - 2004-03-01\n\nNorth Korea and the oil talks went on in Beijing.\n",
                                      encoding="utf-8")
    report = update([corpus], root)
    gen_dir = report.generation
    ix = whoosh_index.open_dir(str(gen_dir))
    live = {s.segment_id() for s in ix._segments()}
    assert len(live) > 1
    assert {p.stem for p in gen_dir.glob("*.pos")} == live
    with_side = _phrase_docs(gen_dir)
    assert any(docs for docs, _ in with_side.values())
    g = Generation(gen_dir)
    try:
        blocks_copy(g, tmp_path / "blocks").close()
    finally:
        g.close()
    assert _phrase_docs(tmp_path / "blocks") == with_side
