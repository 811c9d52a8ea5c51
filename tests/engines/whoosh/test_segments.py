"""BulkSegmentWriter writes what Whoosh's own SegmentWriter writes, byte for byte; rebuilds
through writer processes (several segments each) index what a single writer would."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.ingest import pipeline
from indexer.model import Article
from indexer.engines.whoosh.schema import make_schema, to_document
from indexer.engines.whoosh.segments import BulkSegmentWriter
from indexer.engines.whoosh.writer import ParallelWriter

from tests.conftest import REPO


def repo_articles() -> list[Article]:
    """The articles of the repository's own corpus/ (VOA sample and Wikinews)."""
    out = []
    for path in sorted((REPO / "corpus").iterdir()):
        if path.suffix in (".txt", ".jsonl"):
            out += pipeline.process_file(str(path), str(path.parent)).articles
    return out


def synthetic(n: int) -> list[Article]:
    """Edge cases for blocks and lengths: a term in every document (several full blocks, the
    last exactly full when n is a multiple of 128), empty titles, one-word documents,
    repeated words (positions lists), accents and long documents (approximate length bytes)."""
    out = []
    for i in range(n):
        title = "" if i % 7 == 0 else f"Report {i} Zürich"
        body = " ".join(["common"] + ["word%d" % (i % 13)] * (1 + i % 4) + ["long"] * (i % 50 * 40))
        out.append(Article(id=f"s{i}", source=f"s#{i}", title=title, body=body if i % 11 else "common",
                           date=datetime.date(2000, 1, 1 + i % 28),
                           facets={"country": ["France"] if i % 3 else [],
                                   "person": ["Ann Example"] if i % 5 == 0 else []},
                           path="s", file_hash="h",
                           content_hash=str(i)))
    return out


def segment_files(folder: str) -> dict[str, bytes]:
    """A one-segment index's files by extension (segment ids are random, contents are not)."""
    out = {}
    for name in os.listdir(folder):
        if name.startswith("MAIN_") and name != "MAIN_WRITELOCK":
            out[name.split(".", 1)[1]] = Path(folder, name).read_bytes()
    return out


def multi_segment_index(folder: Path, docs: list[dict]):
    """``docs`` written through two writer processes in small batches and segments (several each)."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = ParallelWriter(ix, procs=2, batch=40, segment_postings=20_000)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return whoosh_index.open_dir(str(folder))


class ExactBulkWriter(BulkSegmentWriter):
    """Compresses every block, as Whoosh does: byte-identical output."""
    min_compressed = 0


def write_with(cls, folder: Path, docs: list[dict]) -> dict[str, bytes]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = cls(ix, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return segment_files(str(folder))


@pytest.mark.parametrize("articles", [repo_articles, lambda: synthetic(256), lambda: synthetic(301)],
                         ids=["corpus", "256", "301"])
def test_bulk_writer_files_equal_the_stock_writers(tmp_path, articles):
    docs = [to_document(a) for a in articles()]
    stock = write_with(SegmentWriter, tmp_path / "stock", docs)
    bulk = write_with(ExactBulkWriter, tmp_path / "bulk", docs)
    assert set(stock) == {"trm", "pst", "_stored.col", "_title_len.col", "_body_len.col"}
    assert set(bulk) == set(stock) | {"pos"}      # plus the positions file (tests/test_positions.py)
    for ext in stock:
        assert bulk[ext] == stock[ext], ext


def test_small_blocks_left_uncompressed_read_back_the_same_and_take_less_room(tmp_path):
    docs = [to_document(a) for a in repo_articles() + synthetic(301)]
    stock = write_with(SegmentWriter, tmp_path / "stock", docs)
    bulk = write_with(BulkSegmentWriter, tmp_path / "bulk", docs)
    # One-posting blocks (60-69 bytes with frequency values) stay uncompressed: zlib would shrink
    # them by under a byte on average, for a call each.
    assert len(bulk["pst"]) < len(stock["pst"]) * 1.001
    for ext in ("_stored.col", "_title_len.col", "_body_len.col"):
        assert bulk[ext] == stock[ext], ext
    ix_a, ix_b = (whoosh_index.open_dir(str(tmp_path / name)) for name in ("stock", "bulk"))
    with ix_a.searcher() as a, ix_b.searcher() as b:
        ra, rb = a.reader(), b.reader()
        terms = list(ra.all_terms())
        assert terms == list(rb.all_terms())
        for field, term in terms:
            ma, mb = ra.postings(field, term), rb.postings(field, term)
            assert list(ma.items_as("frequency")) == list(mb.items_as("frequency")), (field, term)
            assert ra.term_info(field, term).doc_frequency() == rb.term_info(field, term).doc_frequency()
            assert ra.term_info(field, term).max_weight() == rb.term_info(field, term).max_weight()
    # indexer.postings' own reads of such blocks are compared with Whoosh's in tests/test_postings.py,
    # whose index is built by this writer.


def postings_of(folder: Path) -> dict:
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as s:
        reader = s.reader()
        return {(f, t): list(reader.postings(f, t).all_ids()) for f, t in reader.all_terms()}


def test_a_document_that_fails_leaves_no_postings(tmp_path):
    docs = [to_document(a) for a in synthetic(40)]
    bad = dict(docs[5], id="bad", person=object())     # the last field indexed raises
    with_failure = tmp_path / "with-failure"
    with_failure.mkdir()
    ix = whoosh_index.create_in(str(with_failure), make_schema())
    writer = BulkSegmentWriter(ix, compound=False)
    for i, doc in enumerate(docs):
        writer.add_document(**doc)
        if i == 20:
            with pytest.raises(Exception):
                writer.add_document(**bad)
    writer.commit()
    write_with(SegmentWriter, tmp_path / "clean", docs)
    assert postings_of(with_failure) == postings_of(tmp_path / "clean")


def test_rebuild_through_writer_processes_with_many_segments_matches_one_writer(tmp_path):
    articles = repo_articles()
    docs = [to_document(a) for a in articles]

    single = tmp_path / "single"
    single.mkdir()
    ix = whoosh_index.create_in(str(single), make_schema())
    writer = SegmentWriter(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()

    pix = multi_segment_index(tmp_path / "parallel", docs)
    assert len(pix._segments()) >= 4          # batches rotate over 2 processes, each closes segments
    with ix.searcher() as a, pix.searcher() as b:
        assert b.doc_count() == a.doc_count() == len(docs)
        ids_a = sorted(f["id"] for f in a.all_stored_fields())
        ids_b = sorted(f["id"] for f in b.all_stored_fields())
        assert ids_a == ids_b
        for field in ("body", "title", "country", "person"):
            terms_a = {t: a.doc_frequency(field, t) for t in a.lexicon(field)}
            terms_b = {t: b.doc_frequency(field, t) for t in b.lexicon(field)}
            assert terms_a == terms_b, field
            assert a.field_length(field) == b.field_length(field)
