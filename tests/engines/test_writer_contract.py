"""The writer contract: what ``indexer.build`` relies on from any engine's ``Writer``
(engines/base.py), checked through the interface only, on every engine in ENGINES.

A new index is invisible until ``publish``; ``abort`` leaves the served one as it was and frees
the index for the next build; one build at a time; ``update`` starts from the published articles
and deletes by article id; the story state is kept with the index, and articles can be given
another story. A second engine runs these unchanged: add it to ``conftest.open_test_engine``.
"""
from __future__ import annotations

import pytest
from conftest import ENGINE_PARAMS, make_article, open_test_engine

from indexer.engines.base import IndexUnavailable, StoredArticle, Writer, Written
from indexer.ingest.fingerprint import fingerprint
from indexer.model import SearchRequest
from indexer.stories import StoryIndex

FIRST = [make_article(n, f"Harbour story {n}", f"The harbour board met for the {n}th time.", f"2020-01-{n:02d}")
         for n in range(1, 6)]
LATER = [make_article(n, f"Bridge story {n}", f"The bridge opened to traffic on day {n}.", None)
         for n in range(6, 9)]


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request, tmp_path):
    engine = open_test_engine(request, request.param, tmp_path / "index")
    yield engine
    engine.close()


def _ids(engine) -> set[str]:
    s = engine.session()
    try:
        return {h.id for h in s.search(SearchRequest(q="", page_size=50, copies="all")).hits}
    finally:
        s.close()


def _total(engine) -> int:
    return len(_ids(engine))


def _write(writer: Writer, articles, *, update=False, delete=()) -> Written:
    writer.begin(update=update)
    try:
        if delete:
            writer.delete(delete)
        writer.add(articles)
        written = writer.commit()
        writer.publish({"command": "update" if update else "rebuild"})
        return written
    except BaseException:
        writer.abort()
        raise


def test_an_engine_s_writer_speaks_the_interface(engine):
    assert isinstance(engine.writer(), Writer)


def test_a_published_index_is_what_was_added(engine):
    writer = engine.writer()
    writer.begin()
    writer.add(FIRST[:2])
    writer.add(FIRST[2:])
    written = writer.commit()
    assert written.articles == len(FIRST) and written.size_bytes >= 0
    assert writer.publish({"command": "rebuild"})
    assert _total(engine) == len(FIRST)
    writer.abort()                                  # after publish: nothing to undo
    assert _total(engine) == len(FIRST)


def test_nothing_is_served_before_publish_and_an_abort_changes_nothing(engine):
    _write(engine.writer(), FIRST)
    writer = engine.writer()
    writer.begin()
    writer.add(LATER)
    writer.commit()
    assert _total(engine) == len(FIRST)            # committed, not yet published
    writer.abort()
    writer.abort()                                  # twice is safe
    assert _total(engine) == len(FIRST)
    _write(engine.writer(), LATER)                  # the index was freed for the next build
    assert _total(engine) == len(LATER)


def test_one_build_at_a_time(engine):
    first = engine.writer()
    first.begin()
    try:
        with pytest.raises(IndexUnavailable):
            engine.writer().begin()
    finally:
        first.abort()
    _write(engine.writer(), FIRST)
    assert _total(engine) == len(FIRST)


def test_update_starts_from_the_published_articles_and_deletes_by_id(engine):
    _write(engine.writer(), FIRST)
    writer = engine.writer()
    writer.begin(update=True)
    try:
        stored = sorted(writer.existing(), key=lambda s: s.id)
        assert stored == [StoredArticle(a.id, a.path, a.file_hash, a.content_hash, True) for a in FIRST]
        assert writer.delete([FIRST[0].id, FIRST[1].id, "no-such-id"]) == 2
        writer.add(LATER)
        assert writer.commit().articles == len(FIRST) - 2 + len(LATER)
        writer.publish({"command": "update"})
    except BaseException:
        writer.abort()
        raise
    assert _ids(engine) == {a.id for a in FIRST[2:] + LATER}


def test_update_without_a_published_index_is_refused(engine):
    with pytest.raises(IndexUnavailable):
        engine.writer().begin(update=True)
    assert not engine.exists()


def test_the_story_state_is_kept_with_the_index_and_articles_are_relabelled(engine):
    stories = StoryIndex()
    articles = [make_article(n, a.title, a.body, a.date.isoformat() if a.date else None) for n, a in
                enumerate(FIRST, 1)]
    for a in articles:
        a.fingerprint = fingerprint(a.title, a.body)
        a.facets["story"] = [stories.add(a.id, a.content_hash, a.fingerprint, a.date)]
    state = stories.state()
    writer = engine.writer()
    writer.begin()
    writer.add(articles)
    assert writer.relabel({articles[0].id: state.stories[1]}) == 1
    state.stories[0] = state.stories[1]
    writer.save_stories(state)
    writer.commit()
    writer.publish({"command": "rebuild"})
    with engine.session() as s:
        found = s.search(SearchRequest(q=f"story:{state.stories[1]}", sort="oldest"))
        assert [h.id for h in found.hits] == [articles[0].id, articles[1].id]
    writer = engine.writer()
    writer.begin(update=True)
    try:
        loaded = writer.load_stories()
    finally:
        writer.abort()
    order = sorted(range(len(loaded.article_ids)), key=lambda i: loaded.article_ids[i])
    assert [loaded.article_ids[i] for i in order] == state.article_ids
    assert [loaded.stories[i] for i in order] == state.stories
    assert [loaded.content_hashes[i] for i in order] == state.content_hashes
    assert (loaded.signatures[order] == state.signatures).all() and (loaded.shingles[order] == state.shingles).all()
    assert (loaded.days[order] == state.days).all() and (loaded.masks[order] == state.masks).all()
