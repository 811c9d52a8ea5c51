"""The Whoosh writer's commit reads what it needs without a searcher over the whole index: the
documents of relabelled articles found segment by segment, and the document count from the table
of contents, give what a searcher over the index gives."""
from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from indexer.engines.whoosh.schema import to_document
from indexer.engines.whoosh.writer import WhooshWriter, _find_documents

from tests.engines.whoosh.test_segments import multi_segment_index, repo_articles


def _refused(*args, **kwargs):
    raise AssertionError("a reader over the whole index was opened")


@pytest.fixture(scope="module")
def articles():
    return repo_articles()


def test_documents_found_segment_by_segment_are_the_searchers(tmp_path, articles):
    docs = [to_document(a) for a in articles]
    ix = multi_segment_index(tmp_path / "ix", docs)
    assert len(ix._segments()) >= 4
    deleted = [docs[3]["id"], docs[len(docs) // 2]["id"], docs[-1]["id"]]
    writer = ix.writer()
    with ix.searcher() as searcher:
        for article_id in deleted:
            writer.delete_document(searcher.document_number(id=article_id))
    writer.add_document(**docs[3])           # a deleted article added again: a new, later document
    writer.commit(merge=False)
    ix = whoosh_index.open_dir(str(ix.storage.folder))
    wanted = [d["id"] for d in docs[::7]] + deleted + ["no-such-article"]
    found = _find_documents(ix, wanted)
    with ix.searcher() as searcher:
        expected = {}
        for article_id in wanted:
            docnum = searcher.document_number(id=article_id)
            if docnum is not None:
                expected[article_id] = (docnum, searcher.stored_fields(docnum))
        assert searcher.doc_count() == len(docs) - 2
    assert found == expected
    assert docs[3]["id"] in found and docs[-1]["id"] not in found and "no-such-article" not in found
    assert found[docs[3]["id"]][0] >= len(docs)          # the document added last, not the deleted one


def test_commit_counts_the_documents_a_searcher_counts(tmp_path, articles, monkeypatch):
    writer = WhooshWriter(tmp_path / "index")
    writer.begin()
    try:
        writer.add(articles)
        writer.relabel({articles[0].id: "story-moved", articles[-1].id: "story-moved"})
        with monkeypatch.context() as patch:      # no reader over the whole index while committing
            patch.setattr(whoosh_index.FileIndex, "reader", _refused)
            written = writer.commit()
        with whoosh_index.open_dir(str(writer.tmp)).searcher() as searcher:
            assert written.articles == searcher.doc_count() == len(articles)
            moved = {searcher.stored_fields(d)["id"] for d in searcher.document_numbers(story="story-moved")}
        assert moved == {articles[0].id, articles[-1].id}
    finally:
        writer.abort()
