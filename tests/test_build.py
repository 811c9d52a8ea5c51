"""rebuild and update: summaries, skip reports, atomic swaps, locks, hostile files."""
from __future__ import annotations

import ast
import json
import os
import shutil
from pathlib import Path

import pytest

from indexer import build
from indexer.engines.base import StoredArticle, Writer, Written
from indexer.engines.local import folder_writer
from indexer.engines.whoosh import store
from indexer.request import from_mapping
from indexer.engines.whoosh.search import open_index, search
from tests.conftest import SEED


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def small_corpus(root):
    shutil.copy(SEED, root / "voa.txt")
    write(root / "sub" / "market.txt", "Tokyo stocks close higher\n\nShares rose in Tokyo on Monday as the yen "
          "weakened and exporters gained.\n")
    write(root / "feed.jsonl", "\n".join(json.dumps(o) for o in [
        {"title": "Canada wheat exports grow", "date": "1987-03-04", "body": "Canadian wheat exports grew in "
         "February, the wheat board said.", "url": "https://example.org/wheat"},
        {"title": "Paris talks", "date": "2019-05-01", "text": "French and German ministers met in Paris.",
         "countries": ["France"], "people": ["Ann Example"]},
    ]) + "\n")
    return root


def run(index, **params):
    req, messages = from_mapping(params)
    return search(open_index(index).generation(), req, messages=messages)


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    return small_corpus(root)


def test_rebuild_then_search_finds_articles_with_highlights(corpus, tmp_path):
    index = tmp_path / "index"
    report = build.rebuild([corpus], index, workers=1)
    assert report.indexed == 4 and report.total == 4
    assert report.dates_unknown == 1          # the plain .txt has no date
    assert (index / "skipped.tsv").exists()
    result = run(index, q="six-party talks")
    assert result.hits[0].title.startswith("US Official Says Only Modest Progress")
    assert result.hits[0].date == "2004-02-20"
    assert "<mark>" in result.hits[0].snippet
    nk = run(index, q="", country=["North Korea"])
    assert nk.total == 1
    labelled = run(index, q="", country=["France"], person=["Ann Example"])
    assert labelled.total == 1                # labels given in JSON are kept


def test_rebuild_with_a_process_pool_gives_the_same_index(corpus, tmp_path):
    serial = build.rebuild([corpus], tmp_path / "a", workers=1)
    pooled = build.rebuild([corpus], tmp_path / "b", workers=2)
    assert serial.indexed == pooled.indexed
    a = [(h.id, h.title) for h in run(tmp_path / "a", q="", size="50").hits]
    b = [(h.id, h.title) for h in run(tmp_path / "b", q="", size="50").hits]
    assert a == b


def test_ids_are_stable_across_rebuilds(corpus, tmp_path):
    build.rebuild([corpus], tmp_path / "i", workers=1)
    first = sorted(h.id for h in run(tmp_path / "i", q="", size="50").hits)
    build.rebuild([corpus], tmp_path / "i", workers=1)
    assert sorted(h.id for h in run(tmp_path / "i", q="", size="50").hits) == first


def test_an_exact_copy_in_another_file_is_indexed_as_a_copy_and_one_read_twice_is_reported(corpus, tmp_path):
    shutil.copy(SEED, corpus / "copy-of-voa.txt")
    report = build.rebuild([corpus], tmp_path / "i", workers=1)
    assert report.indexed == 5 and report.stories == 4 and (report.copies, report.exact_copies) == (1, 1)
    assert report.skipped_by_reason() == {}
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(SEED, again / "voa.txt")                 # the same relative path under a second root
    report = build.rebuild([corpus, again], tmp_path / "j", workers=1)
    assert report.indexed == 5 and report.skipped_by_reason() == {"duplicate": 1}
    lines = (tmp_path / "j" / "skipped.tsv").read_text().splitlines()
    assert lines[0] == "source\treason\tdetail" and "duplicate" in lines[1]


def test_hostile_files_are_skipped_and_reported_while_good_files_index(corpus, tmp_path):
    (corpus / "random.txt").write_bytes(os.urandom(4096))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "truncated.html").write_text("<html><head><title>Half a page</title></head><body><article><p>Cut o")
    (corpus / "latin1.txt").write_bytes("Café owners in Montréal\n\nThe café owners of Montréal met on Tuesday "
                                        "to discuss rents.\n".encode("latin-1"))
    (corpus / "nul.txt").write_bytes(b"Title\n\nSome text\x00\x00\x00 more \x00 binary" * 100)
    (corpus / "broken.json").write_text('{"title": "x", "body": ')
    big = corpus / "huge.txt"
    with open(big, "wb") as fh:
        fh.write(b"Huge file\n\n")
        fh.write((b"word " * 200 + b"\n\n") * 21000)   # ~21 MB
    report = build.rebuild([corpus], tmp_path / "i", workers=2)
    reported = {os.path.basename(s.source.split("#")[0]): s.reason for s in report.skipped}
    for name in ("random.txt", "empty.txt", "nul.txt", "broken.json", "huge.txt"):
        assert name in reported, (name, reported)
    assert reported["huge.txt"] == "too large"
    assert reported["empty.txt"] == "empty"
    assert run(tmp_path / "i", q="Montréal").total == 1                   # latin-1 decoded
    assert run(tmp_path / "i", q="six-party").total == 1                  # good files still index
    tsv = (tmp_path / "i" / "skipped.tsv").read_text()
    assert "huge.txt\ttoo large" in tsv


def test_nothing_indexable_fails_and_keeps_the_old_index(corpus, tmp_path):
    index = tmp_path / "i"
    build.rebuild([corpus], index, workers=1)
    before = store.current_generation(index)
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_bytes(b"")
    with pytest.raises(build.BuildError, match="nothing could be indexed"):
        build.rebuild([junk], index, workers=1)
    assert store.current_generation(index) == before
    assert run(index, q="").total == 4
    assert not list(index.glob("tmp-*"))


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(build.BuildError, match="no such file"):
        build.rebuild([tmp_path / "nope"], tmp_path / "i")


class FailingWriter:
    """The folder's real writer, failing on its ``fail_at``-th batch (a crash mid-build)."""

    def __init__(self, index, fail_at):
        self.inner, self.fail_at, self.batches = folder_writer(index), fail_at, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def add(self, articles):
        self.batches += 1
        if self.batches == self.fail_at:
            raise RuntimeError("injected failure")
        self.inner.add(articles)


def test_interrupted_rebuild_leaves_the_old_index_serving(corpus, tmp_path):
    index = tmp_path / "i"
    build.rebuild([corpus], index, workers=1)
    served = open_index(index)
    before = sorted(h.id for h in search(served.generation(), from_mapping({"q": ""})[0]).hits)
    write(corpus / "new.txt", "A new article\n\nWith new text about trade.\n")
    failing = FailingWriter(index, fail_at=3)
    with pytest.raises(RuntimeError, match="injected"):
        build.rebuild([corpus], failing, workers=1)
    assert failing.batches == 3
    assert sorted(h.id for h in search(served.generation(), from_mapping({"q": ""})[0]).hits) == before
    assert not list(index.glob("tmp-*"))
    assert build.rebuild([corpus], index, workers=1).indexed == 5     # the lock was released


def test_a_failed_first_build_leaves_no_index_folder(corpus, tmp_path):
    index = tmp_path / "fresh"
    with pytest.raises(RuntimeError, match="injected"):
        build.rebuild([corpus], FailingWriter(index, fail_at=1), workers=1)
    assert not index.exists()


def test_update_adds_changes_and_removes(corpus, tmp_path):
    index = tmp_path / "i"
    build.rebuild([corpus], index, workers=1)
    write(corpus / "added.txt", "Brand new story\n\nOfficials in Ottawa announced a budget.\n")
    write(corpus / "sub" / "market.txt", "Tokyo stocks close lower\n\nShares fell in Tokyo as the yen rose.\n")
    (corpus / "feed.jsonl").unlink()
    report = build.update([corpus], index, workers=1)
    assert report.indexed == 2            # added.txt and the changed market.txt
    assert report.removed == 3            # two from feed.jsonl, the old market.txt
    assert report.unchanged_files == 1    # voa.txt
    assert report.total == 3
    assert run(index, q="Ottawa").total == 1
    assert run(index, q="lower").total == 1 and run(index, q="higher").total == 0
    assert run(index, q="wheat").total == 0
    vocab = open_index(index).generation().vocab          # words follow the articles
    assert vocab.doc_frequency("ottawa") == 1 and vocab.doc_frequency("wheat") == 0
    assert vocab.doc_frequency("pyongyang") == 1
    again = build.update([corpus], index, workers=1)   # converges: nothing to do
    assert again.indexed == 0 and again.removed == 0 and again.total == 3


def test_update_without_an_index_is_a_clear_error(corpus, tmp_path):
    with pytest.raises(store.NoIndex):
        build.update([corpus], tmp_path / "none")


def test_second_build_fails_fast_naming_the_holder(corpus, tmp_path):
    index = tmp_path / "i"
    build.rebuild([corpus], index, workers=1)
    with store.BuildLock(index, "rebuild"):
        with pytest.raises(store.LockedError, match=r"pid \d+"):
            build.rebuild([corpus], index, workers=1)
    assert build.rebuild([corpus], index, workers=1).indexed == 4   # lock released


def test_leftovers_of_a_killed_build_are_cleaned(corpus, tmp_path):
    index = tmp_path / "i"
    build.rebuild([corpus], index, workers=1)
    (index / "tmp-19990101T000000-1-abc").mkdir()
    build.rebuild([corpus], index, workers=1)
    build.rebuild([corpus], index, workers=1)
    assert not list(index.glob("tmp-*"))
    assert len(list(index.glob("gen-*"))) == store.KEEP_GENERATIONS


def test_unwritable_index_is_a_clear_error(corpus, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises((build.BuildError, OSError)):
        build.rebuild([corpus], blocker / "index", workers=1)


class MemoryWriter:
    """A Writer (engines/base.py) keeping articles in a dict, recording the calls build makes."""

    def __init__(self, published=()):
        self.location, self.skip_report = "memory", None
        self.served = {a.id: a for a in published}
        self.calls, self.new = [], None
        self.stories = self.saved = None

    def begin(self, update=False):
        self.calls.append(("begin", update))
        self.new = dict(self.served) if update else {}

    def existing(self):
        return [StoredArticle(a.id, a.path, a.file_hash, a.content_hash, a.date is not None)
                for a in self.new.values()]

    def add(self, articles):
        self.calls.append(("add", len(articles)))
        self.new.update((a.id, a) for a in articles)

    def delete(self, article_ids):
        self.calls.append(("delete", sorted(article_ids)))
        return sum(self.new.pop(i, None) is not None for i in article_ids)

    def relabel(self, stories):
        self.calls.append(("relabel", len(stories)))
        return len(stories)

    def save_stories(self, state):
        self.calls.append(("save_stories",))
        self.saved = state

    def load_stories(self):
        self.calls.append(("load_stories",))
        return self.stories

    def commit(self):
        self.calls.append(("commit",))
        return Written(len(self.new), 0)

    def publish(self, info):
        self.calls.append(("publish", info["command"], info["articles"]))
        self.served, self.new, self.stories = self.new, None, self.saved
        return "memory-1"

    def abort(self):
        self.calls.append(("abort",))
        self.new = None


def test_build_speaks_only_the_writer_interface(corpus):
    memory = MemoryWriter()
    assert isinstance(memory, Writer) and isinstance(folder_writer("somewhere"), Writer)
    report = build.rebuild([corpus], memory, workers=1)
    assert [c[0] for c in memory.calls] == ["begin", "add", "add", "add", "save_stories", "commit", "publish"]
    assert memory.calls[0] == ("begin", False) and memory.calls[-1] == ("publish", "rebuild", 4)
    assert sorted(c[1] for c in memory.calls if c[0] == "add") == [1, 1, 2]   # a batch per file
    assert report.total == 4 and report.generation == "memory-1" and report.report_path is None
    assert report.to_json()["index"] == "memory"


def test_update_deletes_a_changed_file_s_articles_by_id(corpus):
    memory = MemoryWriter()
    build.rebuild([corpus], memory, workers=1)
    old = {a.id for a in memory.served.values() if a.path.endswith("market.txt")}
    write(corpus / "sub" / "market.txt", "Tokyo stocks close lower\n\nShares fell in Tokyo.\n")
    memory.calls.clear()
    report = build.update([corpus], memory, workers=1)
    assert memory.calls == [("begin", True), ("load_stories",), ("delete", sorted(old)), ("add", 1),
                            ("save_stories",), ("commit",), ("publish", "update", 4)]
    assert report.removed == 1 and report.indexed == 1 and report.unchanged_files == 2


def test_a_failing_build_aborts_its_writer(corpus, tmp_path):
    memory = MemoryWriter()
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_bytes(b"")
    with pytest.raises(build.BuildError, match="nothing could be indexed"):
        build.rebuild([junk], memory, workers=1)
    assert memory.calls == [("begin", False), ("abort",)] and memory.served == {}


def test_build_imports_no_engine_module():
    tree = ast.parse(Path(build.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
        {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in imported if m and (m.startswith("indexer.engines.whoosh") or m.startswith("whoosh"))]
    assert "indexer.engines.base" in imported
