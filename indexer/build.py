"""Rebuild and update: files → articles (process pool) → the engine's writer → atomic swap.

Parsing and extraction run in a pool of worker processes, files sent in chunks of about
``CHUNK_BYTES``, each file under ``settings.FILE_TIME_LIMIT``. The parent deduplicates the
articles and hands them to the engine's ``GenerationWriter`` (engines/whoosh/writer.py: a rebuild's
batches go to segment-writer processes, ``update`` writes through one ordinary writer). Every file and article ends either indexed or in
the skip report with a reason. Nothing touches the served generation: a build
writes a new one and ``store.publish`` switches ``current`` only once it is
complete, so an exception or a kill leaves the old index serving.
"""
from __future__ import annotations

import collections
import contextlib
import itertools
import hashlib
import os
import signal
import threading
import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from indexer import readers, settings
from indexer.engines.base import BuildError
from indexer.engines.whoosh import store, vocabulary
from indexer.engines.whoosh.writer import GenerationWriter
from indexer.entities import canonical_country, extract
from indexer.model import (
    SKIP_DUPLICATE, SKIP_TIMEOUT, SKIP_UNREADABLE, Article, RawArticle, SkipFile, Skipped,
)

CHUNK_BYTES = 1 << 20        # files go to the extraction pool in chunks of about this size
CHUNK_FILES = 64             # … or of this many files
IN_FLIGHT_PER_WORKER = 8     # chunks submitted to the pool ahead of indexing, per worker
HASH_BLOCK = 1 << 20

ProgressFn = Callable[[int, int, int], None]   # (files done, files total, articles indexed)


@dataclass
class FileResult:
    """What one worker made of one input file."""

    path: str
    file_hash: str
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class BuildReport:
    """What one rebuild or update did, for the CLI summary, `--json` and `build.json`."""
    index_dir: Path
    generation: Optional[Path] = None
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
    words: Counter = field(default_factory=Counter, repr=False)   # vocabulary of the new generation

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
            "index": str(self.index_dir), "generation": self.generation.name if self.generation else None,
            "files": self.files, "indexed": self.indexed, "total": self.total, "removed": self.removed,
            "unchanged_files": self.unchanged_files, "dates_unknown": self.dates_unknown,
            "skipped": self.skipped_by_reason(), "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 1), "size_bytes": self.size_bytes,
            "report": str(self.report_path) if self.report_path else None,
        }


# ---------------------------------------------------------------- per file (worker side)

def file_hash(path: Path) -> str:
    """A file's content hash, so `update` re-reads only files that changed."""
    digest = hashlib.sha1()
    with open(path, "rb") as fh:
        while block := fh.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def article_id(raw: RawArticle, rel_source: str) -> str:
    """Stable id: from the URL when there is one, else from path (relative to the scanned root) + position."""
    if raw.url:
        key = "url:" + raw.url
    elif raw.given_id:
        key = f"id:{rel_source}:{raw.given_id}"
    else:
        key = f"path:{rel_source}#{raw.position if raw.position is not None else 0}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def content_hash(title: str, date, body: str) -> str:
    """An article's identity by content, so the same story from two files is indexed once."""
    key = f"{title.strip().lower()}\x00{date.isoformat() if date else ''}\x00{body.strip()}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def _merge(given: Iterable[str], found: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for name in list(given) + list(found):
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def to_article(raw: RawArticle, rel_source: str, fhash: str) -> Article:
    """Entity extraction and ids: a RawArticle becomes an Article."""
    found = extract(raw.title, raw.body, raw.dateline)
    given_countries = [canonical_country(c) or c.strip() for c in raw.given_countries if c and c.strip()]
    countries = _merge(given_countries, found.countries)
    mentioned = [c for c in found.countries_mentioned if c.casefold() not in {k.casefold() for k in countries}]
    return Article(
        id=article_id(raw, rel_source),
        source=raw.source_ref,
        title=raw.title,
        body=raw.body,
        date=raw.date,
        url=raw.url,
        dateline=raw.dateline,
        people=_merge([p.strip() for p in raw.given_people if p and p.strip()], found.people),
        authors=list(raw.authors),
        countries=countries,
        countries_mentioned=mentioned,
        content_hash=content_hash(raw.title, raw.date, raw.body),
        path=raw.source,
        file_hash=fhash,
        words=vocabulary.article_words(raw.title, raw.body),
    )


class _FileTimeout(BaseException):
    """Raised inside a file's processing when it runs over FILE_TIME_LIMIT (not an Exception,
    so no reader's ``except Exception`` swallows it)."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """A wall-clock limit via SIGALRM; only possible (and only needed) on a process's main thread."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _FileTimeout()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_file(path: str, root: str) -> FileResult:
    """Read one file and extract every article in it; never raises for bad input."""
    p = Path(path)
    try:
        rel = os.path.relpath(p, root) if root else p.name
    except ValueError:
        rel = str(p)
    try:
        fhash = file_hash(p)
    except OSError as exc:
        return FileResult(path, "", skipped=[Skipped(path, SKIP_UNREADABLE, exc.strerror or str(exc))])
    result = FileResult(path, fhash)
    try:
        with _time_limit(settings.FILE_TIME_LIMIT):
            for item in readers.read_file(p):
                if isinstance(item, Skipped):
                    result.skipped.append(item)
                else:
                    item.source = path
                    result.articles.append(to_article(item, rel, fhash))
    except _FileTimeout:
        result.articles.clear()
        result.skipped = [Skipped(path, SKIP_TIMEOUT, f"reading took over {settings.FILE_TIME_LIMIT} s")]
    except SkipFile as exc:
        result.articles.clear()
        result.skipped = [Skipped(path, exc.reason, exc.detail)]
    except (OSError, UnicodeError, ValueError, RecursionError, MemoryError) as exc:
        result.articles.clear()
        result.skipped = [Skipped(path, SKIP_UNREADABLE, f"{type(exc).__name__}: {exc}"[:300])]
    return result


# ---------------------------------------------------------------- orchestration (parent side)

def _discover(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, str]], list[Skipped]]:
    """(file, root it was found under) pairs, absolute, de-duplicated; plus unreadable entries."""
    tasks, skipped, seen = [], [], set()
    for given in paths:
        root = Path(given).resolve()
        if not root.exists():
            raise BuildError(f"{given}: no such file or directory")
        base = str(root if root.is_dir() else root.parent)
        for item in readers.iter_files([root]):
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            path = str(Path(item).resolve()) if not Path(item).is_absolute() else str(item)
            if path not in seen:
                seen.add(path)
                tasks.append((path, base))
    return tasks, skipped


def _results(tasks: list[tuple[str, str]], workers: int) -> Iterable[FileResult]:
    """FileResults in input order, from a process pool when it is worth it.

    Files go to the pool in chunks of about CHUNK_BYTES (small files together, so a folder
    of one-article files doesn't pay a round trip per file), and at most
    IN_FLIGHT_PER_WORKER chunks per worker are submitted ahead of the one being indexed:
    when the index writers are the slower side, extracted articles wait in the workers
    instead of piling up in this process (a ×5 Reuters rebuild held 540 MB of them when
    every file was submitted at once).
    """
    if workers <= 1 or len(tasks) < 2:
        for path, root in tasks:
            yield process_file(path, root)
        return
    chunks = iter(_chunks(tasks))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = collections.deque(pool.submit(process_files, chunk)
                                    for chunk in itertools.islice(chunks, workers * IN_FLIGHT_PER_WORKER))
        while pending:
            results = pending.popleft().result()
            for chunk in itertools.islice(chunks, 1):
                pending.append(pool.submit(process_files, chunk))
            yield from results


def process_files(chunk: list[tuple[str, str]]) -> list[FileResult]:
    """Reads a chunk of files in one worker call, so the pool's per-task overhead is paid per chunk."""
    return [process_file(path, root) for path, root in chunk]


def _chunks(tasks: list[tuple[str, str]]) -> Iterable[list[tuple[str, str]]]:
    chunk, size = [], 0
    for task in tasks:
        try:
            size += os.stat(task[0]).st_size
        except OSError:
            pass
        chunk.append(task)
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_FILES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _write_report(root: Path, skipped: list[Skipped]) -> Path:
    path = root / store.SKIP_REPORT
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("source\treason\tdetail\n")
        for s in skipped:
            detail = s.detail.replace("\t", " ").replace("\n", " ")
            fh.write(f"{s.source}\t{s.reason}\t{detail}\n")
    os.replace(tmp, path)
    return path


def _index_articles(writer, results: Iterable[FileResult], report: BuildReport, seen_hashes: dict,
                    seen_ids: set, progress: Optional[ProgressFn], files_total: int,
                    before_add: Optional[Callable[[FileResult], None]] = None) -> None:
    done = 0
    for result in results:
        if before_add:
            before_add(result)
        report.skipped.extend(result.skipped)
        for article in result.articles:
            first = seen_hashes.get(article.content_hash)
            if first is not None:
                report.skipped.append(Skipped(article.source, SKIP_DUPLICATE, f"same title, date and text as {first}"))
                continue
            if article.id in seen_ids:
                report.skipped.append(Skipped(article.source, SKIP_DUPLICATE, "same URL as an article already indexed"))
                continue
            seen_hashes[article.content_hash] = article.source
            seen_ids.add(article.id)
            add_document(writer, article)
            report.words.update(article.words or vocabulary.article_words(article.title, article.body))
            report.indexed += 1
            if article.date is None:
                report.dates_unknown += 1
        done += 1
        if progress:
            progress(done, files_total, report.indexed)


def add_document(writer: GenerationWriter, article: Article) -> None:
    """Hand one article to the engine's writer (the single place a build writes a document)."""
    writer.add(article)


def _finish(root: Path, tmp: Path, gen: GenerationWriter, report: BuildReport, started: float,
            command: str) -> BuildReport:
    report.total = gen.close()
    vocabulary.write(tmp, report.words)
    report.seconds = time.perf_counter() - started
    report.size_bytes = store.dir_size(tmp)
    store.write_build_info(tmp, {
        "command": command, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "articles": report.total, **{k: v for k, v in report.to_json().items() if k not in ("generation",)},
    })
    report.generation = store.publish(root, tmp)
    report.report_path = _write_report(root, report.skipped)
    store.clean_leftovers(root)
    return report


def rebuild(paths: Iterable[str | os.PathLike], index_dir: str | os.PathLike | None = None, *,
            workers: Optional[int] = None, progress: Optional[ProgressFn] = None,
            on_files: Optional[Callable[[int], None]] = None) -> BuildReport:
    """Index every article under ``paths`` into a fresh generation and swap it in.

    Raises BuildError (old index untouched) when nothing could be indexed or the
    index can't be written, LockedError when another build holds the lock.
    """
    root = store.index_path(index_dir)
    started = time.perf_counter()
    report = BuildReport(index_dir=root)
    paths = list(paths)
    tasks, report.skipped = _discover(paths)
    report.files = len(tasks)
    if not tasks:       # before the lock and any progress: nothing is created for nothing to index
        raise BuildError(_nothing_message(report, paths))
    if on_files:
        on_files(len(tasks))
    return _fresh_generation(root, _results(tasks, workers or _default_workers()), report, started,
                             progress, len(tasks))


def _fresh_generation(root: Path, results: Iterable[FileResult], report: BuildReport, started: float,
                      progress: Optional[ProgressFn] = None, files_total: int = 0) -> BuildReport:
    """Under the lock: write a new generation from ``results`` and publish it, or leave no trace
    (an index folder this build created is removed again when the build fails)."""
    created = not root.exists()
    try:
        return _locked_generation(root, results, report, started, progress, files_total)
    except BaseException:
        if created:
            _remove_if_only_lock(root)
        raise


def _remove_if_only_lock(root: Path) -> None:
    with contextlib.suppress(OSError):
        if [p.name for p in root.iterdir()] == [store.LOCK]:
            (root / store.LOCK).unlink()
            root.rmdir()


def _locked_generation(root: Path, results: Iterable[FileResult], report: BuildReport, started: float,
                       progress: Optional[ProgressFn], files_total: int) -> BuildReport:
    with store.BuildLock(root, "rebuild"):
        store.clean_leftovers(root)
        tmp = _make_temp(root)
        try:
            writer = GenerationWriter.fresh(tmp)
            try:
                _index_articles(writer, results, report, {}, set(), progress, files_total)
                if report.indexed == 0:
                    raise BuildError(_nothing_message(report))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            return _finish(root, tmp, writer, report, started, "rebuild")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def update(paths: Iterable[str | os.PathLike], index_dir: str | os.PathLike | None = None, *,
           workers: Optional[int] = None, progress: Optional[ProgressFn] = None,
           on_files: Optional[Callable[[int], None]] = None) -> BuildReport:
    """Bring the index in line with ``paths``: add new files, re-index changed ones
    (by content hash), remove articles whose files are gone.

    Works on a copy of the served generation and swaps it in, so a kill mid-way
    leaves the old state; running it again converges.
    """
    root = store.index_path(index_dir)
    started = time.perf_counter()
    report = BuildReport(index_dir=root)
    current = store.require_generation(root)
    tasks, report.skipped = _discover(paths)
    report.files = len(tasks)
    with store.BuildLock(root, "update"):
        store.clean_leftovers(root)
        current = store.require_generation(root)
        tmp = _make_temp(root)
        try:
            writer = GenerationWriter.copy_of(current, tmp)
            by_source: dict[str, str] = {}         # file → hash when indexed
            seen_hashes: dict[str, str] = {}       # content hash → source, for duplicates
            seen_ids: set[str] = set()
            undated: dict[str, int] = Counter()    # file → articles with no date
            for fields in writer.stored():
                by_source[fields["path"]] = fields.get("file_hash", "")
                seen_hashes[fields["content_hash"]] = fields["path"]
                seen_ids.add(fields["id"])
                undated[fields["path"]] += not fields.get("date")
            todo = []
            for path, base in tasks:
                try:
                    unchanged = by_source.get(path) == file_hash(Path(path))
                except OSError:
                    unchanged = False
                if unchanged:
                    report.unchanged_files += 1
                else:
                    todo.append((path, base))
            if on_files:
                on_files(len(todo))
            try:
                writer.open_writer()
                walked = {t[0] for t in tasks}
                gone = [p for p in by_source if p not in walked and not os.path.exists(p)]
                changed = [p for p, _ in todo if p in by_source]
                dropped = set(gone + changed)
                report.words = vocabulary.read_counts(current)
                report.removed = writer.delete_sources(dropped, seen_ids, report.words)
                seen_hashes = {h: p for h, p in seen_hashes.items() if p not in dropped}
                report.dates_unknown = sum(n for p, n in undated.items() if p not in dropped)

                _index_articles(writer, _results(todo, workers or _default_workers()), report,
                                seen_hashes, seen_ids, progress, len(todo))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            return _finish(root, tmp, writer, report, started, "update")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _make_temp(root: Path) -> Path:
    try:
        return store.new_temp_dir(root)
    except OSError as exc:
        raise BuildError(f"cannot write the index at {root}: {exc.strerror or exc}") from exc


def _nothing_message(report: BuildReport, paths: Iterable = ()) -> str:
    if report.files == 0:
        where = ", ".join(str(p) for p in paths) or "the given paths"
        return (f"nothing to index: no supported files in {where} "
                f"(supported: {', '.join(readers.SUFFIXES_IN_ORDER)})")
    reasons = ", ".join(f"{n} {r}" for r, n in report.skipped_by_reason().items())
    return f"nothing could be indexed from {report.files} files ({reasons})"


def extract_files(paths: Iterable[str | os.PathLike], body_chars: Optional[int] = 300) -> Iterable[dict]:
    """One dict per article in ``paths`` (input order): what ``newsfacet extract --json`` prints,
    with the first ``body_chars`` characters of the body (None: all of it).

    Skipped files and articles are yielded as ``{"skipped": source, "reason": …}``.
    """
    for given in paths:
        root = Path(given)
        if not root.exists():
            yield {"skipped": str(given), "reason": "not found", "detail": ""}
            continue
        base = str(root if root.is_dir() else root.parent)
        for item in readers.iter_files([root]):
            if isinstance(item, Skipped):
                yield {"skipped": item.source, "reason": item.reason, "detail": item.detail}
                continue
            result = process_file(str(item), base)
            for skipped in result.skipped:
                yield {"skipped": skipped.source, "reason": skipped.reason, "detail": skipped.detail}
            for article in result.articles:
                yield {
                    "source": article.source, "id": article.id, "title": article.title,
                    "date": article.date.isoformat() if article.date else None,
                    "authors": article.authors, "people": article.people, "countries": article.countries,
                    "countries_mentioned": article.countries_mentioned,
                    "body": article.body if body_chars is None else article.body[:body_chars],
                }


def index_articles(articles: Iterable[Article], index_dir: str | os.PathLike | None = None) -> BuildReport:
    """Build a fresh generation from Article objects already in memory (library use, tests), and swap it in."""
    root = store.index_path(index_dir)
    started = time.perf_counter()
    report = BuildReport(index_dir=root)
    result = FileResult(path="", file_hash="", articles=list(articles))
    return _fresh_generation(root, [result], report, started)
