"""Rebuild and update: the ingest pipeline's Articles into an engine's ``Writer``, published atomically.

``indexer.ingest.pipeline`` turns files into Articles (a process pool, per-file time limits,
skip reasons); this module de-duplicates them, hands them to the engine's writer in batches
(engines/base.py ``Writer``: a new index beside the served one), and publishes it only when it
is complete, so an exception or a kill leaves the old index serving. Every file and article
ends either indexed or in the skip report with a reason. Only the Writer interface is used here;
an index given as a folder gets the embedded engine's writer (engines/local.py).

Every article gets its story here (``indexer.stories.StoryIndex``, from the fingerprint the workers
made), as the value of the registry's grouping facet: an exact copy in another file joins its
original's story (counted as ``exact_copies``), a near copy its best match's. Stories that one
article shows to be one are merged, and the writer relabels the articles it already holds. The
story state is saved with the index, so ``update`` adds new copies to the stories there, keeping
their ids; a removed article's story lives on in its other copies.
"""
from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from indexer.engines.base import BuildError, Writer
from indexer.engines.local import folder_writer
from indexer.grouping import group_spec
from indexer.ingest import pipeline, readers
from indexer.ingest.fingerprint import fingerprint
from indexer.ingest.names import Names
from indexer.ingest.pipeline import Deduplicator, FileResult
from indexer.model import Article, Skipped
from indexer.stories import StoryIndex

__all__ = ["BuildError", "BuildReport", "index_articles", "rebuild", "update"]

ProgressFn = Callable[[int, int, int], None]   # (files done, files total, articles indexed)
Target = Writer | str | os.PathLike | None     # a writer, or an index folder (engines/local.py)


@dataclass
class BuildReport:
    """What one rebuild or update did, for the CLI summary, `--json` and `build.json`."""
    index_dir: Path | str
    generation: Optional[Path | str] = None
    files: int = 0
    indexed: int = 0              # articles added by this run
    total: int = 0                # articles in the index after it
    removed: int = 0              # update: articles deleted (file gone or changed)
    unchanged_files: int = 0      # update: files skipped because their hash matched
    dates_unknown: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    size_bytes: int = 0
    report_path: Optional[Path] = None
    names_file: Optional[str] = None   # the names file the values were curated with
    names_changed: int = 0        # values it changed (merged, moved or dropped) in the articles read
    stories: int = 0              # stories in the index after it
    copies: int = 0               # articles added to a story that already had one (near or exact copies)
    exact_copies: int = 0         # … of which the same title, date and text as an article in another file
    relabelled: int = 0           # articles whose story changed because two stories proved one
    story_seconds: float = 0.0    # CPU time spent on stories: fingerprints (in the workers) and grouping

    def skipped_by_reason(self) -> dict[str, int]:
        """Skip counts, commonest reason first, so the summary leads with what matters."""
        return dict(Counter(s.reason for s in self.skipped).most_common())

    @property
    def articles_per_second(self) -> float:
        """Throughput of the run, the figure the benchmarks and the summary quote."""
        return self.indexed / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict:
        """The report as plain JSON, for `--json` and for scripts that check builds."""
        return {
            "index": str(self.index_dir),
            "generation": os.path.basename(str(self.generation)) if self.generation else None,
            "files": self.files, "indexed": self.indexed, "total": self.total, "removed": self.removed,
            "unchanged_files": self.unchanged_files, "dates_unknown": self.dates_unknown,
            "skipped": self.skipped_by_reason(), "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 1), "size_bytes": self.size_bytes,
            "report": str(self.report_path) if self.report_path else None,
            "names": self.names_file, "names_changed": self.names_changed,
            "stories": self.stories, "copies": self.copies, "exact_copies": self.exact_copies,
            "relabelled": self.relabelled, "story_cpu_s": round(self.story_seconds, 3),
            "story_cpu_ms_per_article": round(self.story_seconds * 1000 / self.indexed, 4) if self.indexed else 0.0,
        }


def rebuild(paths: Iterable[str | os.PathLike], index: Target = None, *,
            workers: Optional[int] = None, progress: Optional[ProgressFn] = None,
            on_files: Optional[Callable[[int], None]] = None, names: Optional[Names] = None) -> BuildReport:
    """Index every article under ``paths`` into a fresh index and publish it.

    ``index`` is an engine's Writer, or an index folder (the embedded engine's); ``names`` (a checked
    names file, ``indexer.ingest.names``) curates every article's values as it is read.
    Raises BuildError (old index untouched) when nothing could be indexed or the index can't be
    written, IndexUnavailable (LockedError) when another build holds the index.
    """
    started = time.perf_counter()
    writer = _writer(index)
    report = BuildReport(index_dir=writer.location, names_file=names.path if names else None)
    paths = list(paths)
    tasks, report.skipped = pipeline.discover(paths)
    report.files = len(tasks)
    if not tasks:       # before the writer begins: nothing is created for nothing to index
        raise BuildError(_nothing_message(report, paths))
    if on_files:
        on_files(len(tasks))
    return _build(writer, pipeline.results(tasks, workers, names), report, started, progress, len(tasks))


def index_articles(articles: Iterable[Article], index: Target = None) -> BuildReport:
    """Build a fresh index from Article objects already in memory (library use, tests), and publish
    it; an article without a fingerprint gets one here."""
    started = time.perf_counter()
    writer = _writer(index)
    report = BuildReport(index_dir=writer.location)
    articles = list(articles)
    for article in articles:
        if article.fingerprint is None:
            article.fingerprint = fingerprint(article.title, article.body, article.dateline)
    return _build(writer, [FileResult(path="", file_hash="", articles=articles)], report, started)


def _build(writer: Writer, results: Iterable[FileResult], report: BuildReport, started: float,
           progress: Optional[ProgressFn] = None, files_total: int = 0) -> BuildReport:
    writer.begin()
    try:
        stories = StoryIndex()
        _add(writer, results, report, Deduplicator(), stories, progress, files_total)
        if report.indexed == 0:
            raise BuildError(_nothing_message(report))
        _save_stories(writer, stories, report)
        return _publish(writer, report, started, "rebuild")
    except BaseException:
        writer.abort()
        raise


def update(paths: Iterable[str | os.PathLike], index: Target = None, *,
           workers: Optional[int] = None, progress: Optional[ProgressFn] = None,
           on_files: Optional[Callable[[int], None]] = None, names: Optional[Names] = None) -> BuildReport:
    """Bring the index in line with ``paths``: add new files, re-index changed ones
    (by file hash), remove articles whose files are gone. ``names`` curates the articles read; a
    names file other than the one the index was built with changes every file's hash, so every
    file is read again.

    The writer starts from a copy of the published index and publishes the result atomically,
    so a kill mid-way leaves the old state; running it again converges.
    """
    started = time.perf_counter()
    writer = _writer(index)
    report = BuildReport(index_dir=writer.location, names_file=names.path if names else None)
    tasks, report.skipped = pipeline.discover(paths)
    report.files = len(tasks)
    writer.begin(update=True)
    try:
        stored = list(writer.existing())
        indexed_hash = {s.path: s.file_hash for s in stored}     # file → its hash when indexed
        todo = []
        for path, base in tasks:
            try:
                unchanged = indexed_hash.get(path) == pipeline.file_hash(Path(path), names)
            except OSError:
                unchanged = False
            if unchanged:
                report.unchanged_files += 1
            else:
                todo.append((path, base))
        if on_files:
            on_files(len(todo))
        walked = {path for path, _ in tasks}
        dropped = {p for p in indexed_hash if p not in walked and not os.path.exists(p)}   # gone
        dropped |= {path for path, _ in todo if path in indexed_hash}                       # changed
        kept = [s for s in stored if s.path not in dropped]
        gone = [s.id for s in stored if s.path in dropped]
        stories = StoryIndex.from_state(writer.load_stories())
        report.removed = writer.delete(gone)
        for article_id in gone:              # its story lives on in its other copies, under its id
            stories.remove(article_id)
        report.dates_unknown = sum(not s.dated for s in kept)
        seen = Deduplicator({s.id: s.path for s in kept})
        _add(writer, pipeline.results(todo, workers, names), report, seen, stories, progress, len(todo))
        _save_stories(writer, stories, report)
        return _publish(writer, report, started, "update")
    except BaseException:
        writer.abort()
        raise


def _writer(index: Target) -> Writer:
    if isinstance(index, Writer):
        return index
    return folder_writer(index)


def _add(writer: Writer, results: Iterable[FileResult], report: BuildReport, seen: Deduplicator,
         stories: StoryIndex, progress: Optional[ProgressFn], files_total: int) -> None:
    """Each file's new articles to the writer as one batch, each with its story; articles read
    twice to the skip report."""
    spec = group_spec()
    for done, result in enumerate(results, 1):
        report.skipped.extend(result.skipped)
        report.names_changed += result.names_changed
        report.story_seconds += result.fingerprint_seconds
        started = time.thread_time()
        batch = []
        for article in result.articles:
            duplicate = seen.skip(article)
            if duplicate:
                report.skipped.append(duplicate)
                continue
            exact = stories.has_copy(article.content_hash)
            story = stories.add(article.id, article.content_hash, article.fingerprint, article.date)
            if spec is not None:
                article.facets[spec.name] = [story]
            if stories.size(story) > 1:
                report.copies += 1
                report.exact_copies += exact
            batch.append(article)
            report.dates_unknown += article.date is None
        report.story_seconds += time.thread_time() - started
        if batch:
            writer.add(batch)
            report.indexed += len(batch)
        if progress:
            progress(done, files_total, report.indexed)


def _save_stories(writer: Writer, stories: StoryIndex, report: BuildReport) -> None:
    """The stories merged during the build relabelled in the writer, and the story state saved with it."""
    relabelled = stories.take_relabelled()
    if relabelled:
        report.relabelled = writer.relabel(relabelled)
    report.stories = stories.story_count()
    started = time.thread_time()
    state = stories.state()
    report.story_seconds += time.thread_time() - started
    writer.save_stories(state)


def _publish(writer: Writer, report: BuildReport, started: float, command: str) -> BuildReport:
    written = writer.commit()
    report.total, report.size_bytes = written.articles, written.size_bytes
    report.seconds = time.perf_counter() - started
    report.generation = writer.publish({
        "command": command, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "articles": report.total,
        **{k: v for k, v in report.to_json().items() if k != "generation"},
    })
    if writer.skip_report is not None:
        report.report_path = _write_skip_report(writer.skip_report, report.skipped)
    return report


def _write_skip_report(path: Path, skipped: list[Skipped]) -> Path:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("source\treason\tdetail\n")
        for s in skipped:
            detail = s.detail.replace("\t", " ").replace("\n", " ")
            fh.write(f"{s.source}\t{s.reason}\t{detail}\n")
    os.replace(tmp, path)
    return path


def _nothing_message(report: BuildReport, paths: Iterable = ()) -> str:
    if report.files == 0:
        where = ", ".join(str(p) for p in paths) or "the given paths"
        return (f"nothing to index: no supported files in {where} "
                f"(supported: {', '.join(readers.SUFFIXES_IN_ORDER)})")
    reasons = ", ".join(f"{n} {r}" for r, n in report.skipped_by_reason().items())
    return f"nothing could be indexed from {report.files} files ({reasons})"
