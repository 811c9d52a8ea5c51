"""The Whoosh engine's ``Writer`` (engines/base.py): a new generation directory, written in parallel processes.

``indexer.build`` (engine-neutral: files → articles, duplicates, the skip report) drives a
``WhooshWriter``: ``begin`` takes the folder's build lock and makes a ``tmp-…`` generation (empty,
or a copy of the served one for ``update``), ``add`` feeds a rebuild's batches to segment-writer
processes (``ParallelWriter``; ``update`` writes through one ``BulkSegmentWriter``), ``commit`` writes the
table of contents and the vocabulary, ``publish`` switches ``current`` (``store.publish``). This
module alone knows Whoosh's writers, segments and table of contents.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import shutil
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Collection, Iterator, Optional, Sequence

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from indexer import facets, languages
from indexer.engines.base import INDEX_FORMAT, BuildError, StoredArticle, Written
from indexer.engines.whoosh import store, vocabulary
from indexer.engines.whoosh.schema import make_schema, stored_article, to_document
from indexer.engines.whoosh.segments import BulkSegmentWriter
from indexer.grouping import group_spec
from indexer.ingest.words import article_words
from indexer.model import Article
from indexer.stories import StoryState

WRITER_LIMIT_MB = 256        # Whoosh's writer argument (its spilling pool, which BulkSegmentWriter replaces)
# A rebuild hands batches of this many articles to segment-writer processes (a segment
# each, or more past SEGMENT_POSTINGS); a build with fewer articles is written by the
# parent alone, as one segment. Rebuilds write with BulkSegmentWriter (segments.py).
WRITER_BATCH = 2000
WRITER_PROCS = 2
# A writer process starts a new segment past this many postings (about 140 bytes each in memory,
# so roughly 420 MB per writer process at most, as measured on Reuters x5).
SEGMENT_POSTINGS = 3_000_000


class WhooshWriter:
    """One build of an index folder: a new generation in ``tmp-…``, published by moving ``current``."""

    def __init__(self, index_dir: str | os.PathLike | None = None):
        self.location = self.root = store.index_path(index_dir)
        self.skip_report: Optional[Path] = self.root / store.SKIP_REPORT
        self.tmp: Optional[Path] = None
        self.ix = self.writer = self._lock = None
        self.words: dict[str, Counter] = defaultdict(Counter)   # analysis language → its vocabulary (words-*.tsv)
        self._docnums: Optional[dict[str, int]] = None   # update: article id → document
        self._relabel: dict[str, str] = {}   # article id → story, rewritten at commit
        self._created = False

    def begin(self, update: bool = False) -> None:
        """Lock the folder and start a generation: empty, or (``update``) a copy of the served one."""
        if update:                                    # no index, or an older one: say so before locking
            store.check_format(self.root, store.require_generation(self.root))
        self._created, self._docnums, self._relabel = not self.root.exists(), None, {}
        self.words = defaultdict(Counter)
        self._lock = store.BuildLock(self.root, "update" if update else "rebuild").__enter__()
        try:
            store.clean_leftovers(self.root)
            try:
                self.tmp = store.new_temp_dir(self.root)
            except OSError as exc:
                raise BuildError(f"cannot write the index at {self.root}: {exc.strerror or exc}") from exc
            if update:
                current = store.require_generation(self.root)
                for f in current.iterdir():
                    if f.is_file() and f.name != store.BUILD_INFO:
                        shutil.copy2(f, self.tmp / f.name)
                self.ix = whoosh_index.open_dir(str(self.tmp))
                # segments with .pos files, merges included; a new segment past SEGMENT_POSTINGS
                self.writer = BulkSegmentWriter(self.ix, segment_postings=SEGMENT_POSTINGS)
                self.words.update(vocabulary.read_languages(current))
            else:
                self.ix = whoosh_index.create_in(str(self.tmp), make_schema())
                self.writer = ParallelWriter(self.ix)
        except BaseException:
            self.abort()
            raise

    def existing(self) -> Iterator[StoredArticle]:
        """The articles already in the copy (update compares them with the files)."""
        self._docnums = {}
        with self.ix.searcher() as searcher:
            for docnum, fields in searcher.reader().iter_docs():
                self._docnums[fields["id"]] = docnum
                yield StoredArticle(fields["id"], fields["path"], fields.get("file_hash", ""),
                                    fields["content_hash"], bool(fields.get("date")))

    def add(self, articles: Sequence[Article]) -> None:
        """Index a batch (a rebuild's ParallelWriter ships it to a writer process once it has enough)."""
        for article in articles:
            self.writer.add_document(**to_document(article))
            lang = languages.analysis(facets.text_language(article.facets))
            self.words[lang].update(article.words or article_words(article.title, article.body))

    def delete(self, article_ids: Collection[str]) -> int:
        """Delete the articles with these ids (and their words); returns how many."""
        if not article_ids:
            return 0
        if self._docnums is None:                  # ``existing`` not read: find them now
            for _ in self.existing():
                pass
        removed = 0
        with self.ix.searcher() as searcher:
            found = (self._docnums.pop(i, None) for i in dict.fromkeys(article_ids))
            for docnum in (d for d in found if d is not None):
                fields = searcher.stored_fields(docnum)
                self.writer.delete_document(docnum)
                lang = languages.analysis(facets.text_language(fields))
                self.words[lang].subtract(article_words(fields.get("title", ""), fields.get("body", "")))
                removed += 1
        return removed

    def relabel(self, stories: dict[str, str]) -> int:
        """Articles' new stories, rewritten at ``commit`` (a document is re-added with its new story)."""
        self._relabel.update(stories)
        return len(stories)

    def save_stories(self, state: StoryState) -> None:
        """The story state as ``stories.npz`` in the new generation."""
        data = state.to_bytes()
        tmp = self.tmp / (store.STORIES + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, self.tmp / store.STORIES)

    def load_stories(self) -> StoryState:
        """The story state copied from the published generation (update)."""
        path = self.tmp / store.STORIES
        if not path.exists():
            raise BuildError(f"the index at {self.root} has no story state: rebuild it")
        try:
            return StoryState.from_bytes(path.read_bytes())
        except (ValueError, OSError, KeyError) as exc:
            raise BuildError(f"cannot read the story state of {self.root} ({exc}): rebuild it") from None

    def commit(self) -> Written:
        """Write the segments, the table of contents and ``words.tsv``; not served yet."""
        self.writer.commit()
        self.writer = None
        if self._relabel:
            self._rewrite_stories()
        total = sum(segment.doc_count() for segment in self.ix._segments())   # from the table of contents
        self.ix.close()
        vocabulary.write(self.tmp, self.words)
        return Written(total, store.dir_size(self.tmp))

    def _rewrite_stories(self) -> None:
        """Re-add the relabelled articles with their new story (Whoosh updates a document by
        deleting and adding it), in one small commit."""
        spec = group_spec()
        relabel, self._relabel = self._relabel, {}
        if spec is None:
            return
        found = _find_documents(self.ix, relabel)
        writer = BulkSegmentWriter(self.ix, segment_postings=SEGMENT_POSTINGS)
        try:
            for article_id, story in relabel.items():
                if article_id not in found:
                    continue
                docnum, fields = found[article_id]
                article = stored_article(fields)
                article.facets[spec.name] = [story]
                writer.delete_document(docnum)
                writer.add_document(**to_document(article))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise

    def publish(self, info: dict) -> Path:
        """Write ``build.json`` (with the index format), switch ``current`` to the new generation,
        drop old ones, unlock."""
        store.write_build_info(self.tmp, {**info, "format": INDEX_FORMAT})
        gen = store.publish(self.root, self.tmp)
        self.tmp, self._created = None, False
        store.clean_leftovers(self.root)
        self._unlock()
        return gen

    def abort(self) -> None:
        """Stop writer processes, remove the unfinished generation (and a folder this build made), unlock."""
        writer, self.writer = self.writer, None
        if writer is not None and not getattr(writer, "is_closed", False):
            with contextlib.suppress(Exception):
                writer.cancel()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
        self._unlock()
        if self._created:
            with contextlib.suppress(OSError):
                if [p.name for p in self.root.iterdir()] == [store.LOCK]:
                    (self.root / store.LOCK).unlink()
                    self.root.rmdir()

    def _unlock(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.__exit__(None, None, None)


def _find_documents(ix, article_ids: Collection[str]) -> dict[str, tuple[int, dict]]:
    """Article id → (document number, stored fields) of the live documents with these ids, read one
    segment at a time: a searcher over the whole index would copy every segment's term file into
    memory at once (Whoosh's compound files are read through BytesIO), a peak in proportion to the
    index; here it is one segment's. Numbers are the index's, as a searcher over it gives them."""
    found: dict[str, tuple[int, dict]] = {}
    todo = set(article_ids)
    base = 0
    for segment in ix._segments():
        if not todo:
            break
        with Searcher(SegmentReader(ix.storage, ix.schema, segment)) as searcher:
            for article_id in sorted(todo):
                docnum = searcher.document_number(id=article_id)
                if docnum is not None:
                    found[article_id] = (base + docnum, searcher.stored_fields(docnum))
            todo.difference_update(found)
        base += segment.doc_count_all()
    return found


def _segment_writer(index_dir: str, jobs, results, slot: int, limitmb: int, parent: int,
                    segment_postings: int) -> None:
    """Writer process: indexes the batches it is sent into new segments of ``index_dir``.

    A segment is closed and a new one started past ``segment_postings`` postings, which bounds
    the writer's memory. Runs until it gets None (then reports its segments, in order) or
    its parent is gone (killed build).
    """
    # A short-lived process whose postings (lists and tuples by the million) live until their
    # segment is written: the cyclic collector would rescan them again and again and finds
    # nothing to free (about 5% of a writer's CPU). Reference counting still frees the rest.
    gc.disable()
    try:
        ix = whoosh_index.open_dir(index_dir)
        segments = []
        writer = BulkSegmentWriter(ix, _lk=False, limitmb=limitmb)
        while True:
            try:
                batch = jobs.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != parent:
                    writer.cancel()
                    return
                continue
            if batch is None:
                break
            for doc in batch:
                writer.add_document(**doc)
            if writer.postings >= segment_postings:
                segments.append(writer._finalize_segment())
                writer = BulkSegmentWriter(ix, _lk=False, limitmb=limitmb, docbase=0)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        results.put((slot, segments, None))
    except BaseException as exc:   # reported to the parent, which fails the build
        results.put((slot, None, f"{type(exc).__name__}: {exc}"))


class ParallelWriter:
    """A Whoosh writer that spreads analysis and posting writes over processes.

    ``add_document`` buffers documents; each full batch of ``batch`` goes to writer
    process ``k mod procs`` (a fixed rotation, so a rebuild of the same input numbers
    documents the same way), and each process writes its segments. ``commit`` adds the
    segments in process order. When fewer than ``batch`` documents arrive, the parent
    writes them itself: one segment, numbered in input order, as a plain writer would.
    The parent's own writer holds the index lock and writes the table of contents.
    """

    def __init__(self, ix, procs: int = WRITER_PROCS, batch: int = WRITER_BATCH, limitmb: int = WRITER_LIMIT_MB,
                 segment_postings: int = 0):
        self.ix = ix
        self.segment_postings = segment_postings or SEGMENT_POSTINGS
        self.writer = BulkSegmentWriter(ix, limitmb=limitmb)
        self.procs, self.batch, self.limitmb = max(1, procs), batch, limitmb
        self.buffer: list[dict] = []
        self.sent = 0
        self._ctx = multiprocessing.get_context("spawn")
        self._tasks: list = []
        self._jobs: list = []
        self._results = None

    def add_document(self, **doc) -> None:
        """Buffers documents and ships them in batches, so the writer processes are fed without a round trip each."""
        self.buffer.append(doc)
        if len(self.buffer) >= self.batch:
            self._send()

    def _send(self) -> None:
        if not self._tasks:
            self._start()
        slot = self.sent % len(self._tasks)
        while True:
            try:
                self._jobs[slot].put(self.buffer, timeout=1.0)
                break
            except queue.Full:
                self._check_alive()
        self.sent += 1
        self.buffer = []

    def _start(self) -> None:
        self._results = self._ctx.Queue()
        for slot in range(self.procs):
            jobs = self._ctx.Queue(maxsize=2)
            task = self._ctx.Process(target=_segment_writer, daemon=True, name=f"newsfacet-writer-{slot}",
                                     args=(self.ix.storage.folder, jobs, self._results, slot, self.limitmb,
                                           os.getpid(), self.segment_postings))
            task.start()
            self._jobs.append(jobs)
            self._tasks.append(task)

    def _check_alive(self) -> None:
        for task in self._tasks:
            if not task.is_alive() and task.exitcode not in (0, None):
                raise BuildError(f"an index writer process died (exit code {task.exitcode})")

    def commit(self) -> None:
        """Flushes the rest and joins the writers' segments into one commit, so the index appears whole or not at all."""
        if not self._tasks:
            for doc in self.buffer:
                self.writer.add_document(**doc)
            self.buffer = []
            self.writer.commit()
            return
        if self.buffer:
            self._send()
        for jobs in self._jobs:
            jobs.put(None)
        found: dict[int, object] = {}
        while len(found) < len(self._tasks):
            try:
                slot, segment, error = self._results.get(timeout=1.0)
            except queue.Empty:
                gone = [slot for slot, t in enumerate(self._tasks) if slot not in found and not t.is_alive()]
                if gone and self._results.empty():
                    time.sleep(0.5)
                    if self._results.empty():
                        self._check_alive()
                        raise BuildError("an index writer process stopped without reporting its segment")
                continue
            if error:
                raise BuildError(f"an index writer process failed: {error}")
            found[slot] = segment
        for task in self._tasks:
            task.join()
        writer = self.writer
        segments = writer._merge_segments(None, None, None)
        segments += [segment for slot in sorted(found) for segment in found[slot]]
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(segments)
        writer._finish()

    def cancel(self) -> None:
        """Stops the writer processes and drops their work, so a failed build leaves no partial segments."""
        for task in self._tasks:
            if task.is_alive():
                task.terminate()
        for task in self._tasks:
            task.join(timeout=5)
        if not self.writer.is_closed:
            self.writer.cancel()
