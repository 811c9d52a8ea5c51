"""Files → Articles: listing the inputs, hashing, reading and extraction in a process pool.

``discover`` lists the files under the given paths; ``results`` reads them (in worker processes,
files sent in chunks of about ``CHUNK_BYTES``, each article under ``settings.FILE_TIME_LIMIT``) and
yields one ``FileResult`` per file, in input order, each Article with the fingerprint of its own text
(``indexer.ingest.fingerprint``, for grouping copies into stories at build); ``Deduplicator`` drops an
article read a second time. A bad file ends as a ``Skipped`` with a reason, never as an exception. Nothing here knows
a search engine: ``indexer.build`` hands the Articles to one.
"""
from __future__ import annotations

import collections
import contextlib
import hashlib
import itertools
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from indexer import facets, settings
from indexer.facets import facet_json
from indexer.ingest import readers
from indexer.ingest.entities import Entities, canonical_country, extract
from indexer.ingest.fingerprint import fingerprint
from indexer.ingest.languages import article_language
from indexer.ingest.names import Names
from indexer.ingest.words import article_words
from indexer.engines.base import BuildError
from indexer.model import SKIP_DUPLICATE, SKIP_TIMEOUT, SKIP_UNREADABLE, Article, RawArticle, SkipFile, Skipped

CHUNK_BYTES = 1 << 20        # files go to the extraction pool in chunks of about this size
CHUNK_FILES = 64             # … or of this many files
IN_FLIGHT_PER_WORKER = 8     # chunks submitted to the pool ahead of indexing, per worker
HASH_BLOCK = 1 << 20

Task = tuple[str, str]       # (absolute file path, the root it was found under)


@dataclass
class FileResult:
    """What one worker made of one input file."""

    path: str
    file_hash: str
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    names_changed: int = 0       # values the names file changed in its articles
    fingerprint_seconds: float = 0.0   # CPU time the worker spent fingerprinting its articles


# ---------------------------------------------------------------- per file (worker side)

def file_hash(path: Path, names: Optional[Names] = None) -> str:
    """A file's content hash, so `update` re-reads only files that changed; with a names file, the
    hash covers its rules too, so `update` re-reads every file when they change."""
    digest = hashlib.sha1()
    with open(path, "rb") as fh:
        while block := fh.read(HASH_BLOCK):
            digest.update(block)
    if names is not None:
        digest.update(b"\x00names:" + names.digest.encode())
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


def article_facets(raw: RawArticle, found: Entities, language: str = "") -> tuple[dict[str, list[str]],
                                                                                 dict[str, list[str]]]:
    """(facets, mentioned) of an article, by the registry: each facet's given values (read by the
    reader) first, then those extraction found (``Entities``' field named as the facet's JSON
    field; the ``text_language`` facet: ``language``, the detected one), without repeats; a scoped
    kind's passing mentions apart, less the values it is about."""
    values: dict[str, list[str]] = {}
    mentioned: dict[str, list[str]] = {}
    for spec in facets.VALUE_FACETS:
        given = [v.strip() for v in raw.given.get(spec.name, ()) if v and v.strip()] \
            if spec.reads_given else []
        if spec.kind == facets.COUNTRIES:
            given = [canonical_country(c) or c for c in given]
        if spec.text_language:
            extracted = [language] if language and spec.extracted else []
        else:
            extracted = list(getattr(found, spec.json, ()) or ()) if spec.extracted else []
        merged = _merge(given, extracted)
        if merged:
            values[spec.name] = merged if spec.multi else merged[:1]
        if spec.scoped and spec.extracted:
            about = {v.casefold() for v in merged}
            passing = [v for v in getattr(found, spec.mentioned_json, ()) or () if v.casefold() not in about]
            if passing:
                mentioned[spec.name] = passing
    return values, mentioned


def to_article(raw: RawArticle, rel_source: str, fhash: str) -> Article:
    """Language detection, entity extraction in that language, and ids: a RawArticle becomes an
    Article (``process_file`` adds its fingerprint). The language is told from the title and the
    start of the body, the one the input declares kept when the text agrees ("" when too little
    text tells: extraction then reads it with every language's names, English first)."""
    language = article_language(raw.title, raw.body, raw.declared_language)
    found = extract(raw.title, raw.body, raw.dateline, language=language or None)
    values, mentioned = article_facets(raw, found, language)
    return Article(
        id=article_id(raw, rel_source),
        source=raw.source_ref,
        title=raw.title,
        body=raw.body,
        date=raw.date,
        url=raw.url,
        dateline=raw.dateline,
        facets=values,
        mentioned=mentioned,
        content_hash=content_hash(raw.title, raw.date, raw.body),
        path=raw.source,
        file_hash=fhash,
        words=article_words(raw.title, raw.body),
    )


class _FileTimeout(BaseException):
    """Raised inside a file's processing when it runs over FILE_TIME_LIMIT (not an Exception,
    so no reader's ``except Exception`` swallows it)."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """A wall-clock limit via SIGALRM; only possible (and only needed) on a process's main thread.
    Yields ``restart``, which gives the next unit of work the whole limit again: a file of a
    thousand articles is slow because it is long, not because it is stuck."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return

    def expire(signum, frame):
        raise _FileTimeout()

    def restart() -> None:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    previous = signal.signal(signal.SIGALRM, expire)
    restart()
    try:
        yield restart
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_file(path: str, root: str, names: Optional[Names] = None) -> FileResult:
    """Read one file and extract every article in it, its values curated by ``names`` when given;
    never raises for bad input."""
    p = Path(path)
    try:
        rel = os.path.relpath(p, root) if root else p.name
    except ValueError:
        rel = str(p)
    try:
        fhash = file_hash(p, names)
    except OSError as exc:
        return FileResult(path, "", skipped=[Skipped(path, SKIP_UNREADABLE, exc.strerror or str(exc))])
    result = FileResult(path, fhash)
    try:
        with _time_limit(settings.FILE_TIME_LIMIT) as restart:
            for item in readers.read_file(p):
                if isinstance(item, Skipped):
                    result.skipped.append(item)
                else:
                    item.source = path
                    article = to_article(item, rel, fhash)
                    started = time.thread_time()
                    article.fingerprint = fingerprint(item.title, item.body, item.dateline)
                    result.fingerprint_seconds += time.thread_time() - started
                    if names is not None:
                        result.names_changed += names.apply(article)
                    result.articles.append(article)
                restart()
    except _FileTimeout:
        result.articles.clear()
        result.names_changed = 0
        result.skipped = [Skipped(path, SKIP_TIMEOUT, f"reading took over {settings.FILE_TIME_LIMIT} s")]
    except SkipFile as exc:
        result.articles.clear()
        result.names_changed = 0
        result.skipped = [Skipped(path, exc.reason, exc.detail)]
    except (OSError, UnicodeError, ValueError, RecursionError, MemoryError) as exc:
        result.articles.clear()
        result.names_changed = 0
        result.skipped = [Skipped(path, SKIP_UNREADABLE, f"{type(exc).__name__}: {exc}"[:300])]
    return result


_WORKER_NAMES: Optional[Names] = None     # a pool worker's names file, set once when it starts


def _start_worker(names: Optional[Names]) -> None:
    global _WORKER_NAMES
    _WORKER_NAMES = names


def process_files(chunk: list[Task]) -> list[FileResult]:
    """Reads a chunk of files in one worker call, so the pool's per-task overhead is paid per chunk."""
    return [process_file(path, root, _WORKER_NAMES) for path, root in chunk]


# ---------------------------------------------------------------- many files (parent side)

def discover(paths: Iterable[str | os.PathLike]) -> tuple[list[Task], list[Skipped]]:
    """(file, root it was found under) pairs, absolute, de-duplicated; plus unreadable entries.

    Raises BuildError for a path that does not exist, before anything is read."""
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


def results(tasks: list[Task], workers: Optional[int] = None, names: Optional[Names] = None) -> Iterator[FileResult]:
    """FileResults in input order, from a process pool when it is worth it, curated by ``names``.

    Files go to the pool in chunks of about CHUNK_BYTES (small files together, so a folder
    of one-article files doesn't pay a round trip per file), and at most
    IN_FLIGHT_PER_WORKER chunks per worker are submitted ahead of the one being indexed:
    when the index writers are the slower side, extracted articles wait in the workers
    instead of piling up in this process (a ×5 Reuters rebuild held 540 MB of them when
    every file was submitted at once).
    """
    workers = workers or default_workers()
    if workers <= 1 or len(tasks) < 2:
        for path, root in tasks:
            yield process_file(path, root, names)
        return
    chunks = iter(_chunks(tasks))
    if multiprocessing.get_start_method() == "fork":
        warm_up()
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(names,)) as pool:
        pending = collections.deque(pool.submit(process_files, chunk)
                                    for chunk in itertools.islice(chunks, workers * IN_FLIGHT_PER_WORKER))
        while pending:
            done = pending.popleft().result()
            for chunk in itertools.islice(chunks, 1):
                pending.append(pool.submit(process_files, chunk))
            yield from done


# An article made up to pass through every step of extraction (a dateline, a country, a person, an
# organisation, figures), read once by ``warm_up``.
_WARM_UP = RawArticle("warm-up", "Ministers meet in Paris",
                      "PARIS, March 3 - The finance ministers of France and Brazil met on Tuesday, said Jean "
                      "Dupont, a spokesman for the International Monetary Fund. Trade rose 4.5 pct to 1.2 "
                      "billion dlrs in 1986.", dateline="PARIS, March 3")


def warm_up() -> None:
    """One made-up article through extraction and fingerprinting in this process, so that what they
    load on first use (the language model, the gazetteers, compiled patterns, lazy imports: about
    0.7 s of CPU) is loaded once before the pool forks and shared by its workers, instead of once
    in each worker. Outputs do not change: those loads are caches of fixed data."""
    to_article(_WARM_UP, _WARM_UP.source, "")
    fingerprint(_WARM_UP.title, _WARM_UP.body, _WARM_UP.dateline)


def _chunks(tasks: list[Task]) -> Iterator[list[Task]]:
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


def default_workers() -> int:
    """Every core this process may run on: reading and extraction are CPU-bound."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Deduplicator:
    """Remembers the ids of the articles taken so far, so that one article read twice (the same
    file under two roots, the same URL saved twice) is indexed once and the second is reported.
    An exact copy under another id (the same text in another file) is not a duplicate: it is
    indexed, and the build puts it in its original's story."""

    def __init__(self, ids: Optional[dict[str, str]] = None):
        self.ids = dict(ids or {})           # article id → source of the article taken

    def skip(self, article: Article) -> Optional[Skipped]:
        """None when ``article`` is new (it is then remembered), else why it is a duplicate."""
        first = self.ids.get(article.id)
        if first is not None:
            return Skipped(article.source, SKIP_DUPLICATE, f"the same article (file position or URL) as {first}")
        self.ids[article.id] = article.source
        return None


def extract_files(paths: Iterable[str | os.PathLike], body_chars: Optional[int] = 300,
                  names: Optional[Names] = None) -> Iterator[dict]:
    """One dict per article in ``paths`` (input order): what ``newsfacet extract --json`` prints,
    with the first ``body_chars`` characters of the body (None: all of it), its values curated by
    ``names`` when given.

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
            result = process_file(str(item), base, names)
            for skipped in result.skipped:
                yield {"skipped": skipped.source, "reason": skipped.reason, "detail": skipped.detail}
            for article in result.articles:
                yield {
                    "source": article.source, "id": article.id, "title": article.title,
                    "date": article.date.isoformat() if article.date else None,
                    **facet_json(article.facets, article.mentioned),
                    "body": article.body if body_chars is None else article.body[:body_chars],
                }
