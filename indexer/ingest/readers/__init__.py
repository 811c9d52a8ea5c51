"""Input readers: find article files and turn each into RawArticle records.

``iter_files`` walks the inputs; ``read_file`` picks a reader by suffix (sniffing .txt
files that are really HTML or Reuters SGML) and yields RawArticle / Skipped, raising
SkipFile when the whole file is unusable. A new format is one module plus a line in
``_READERS``.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, Union

from indexer import settings
from indexer.ingest.clean import decode_bytes
from indexer.model import (SKIP_NOT_ARTICLE, SKIP_UNREADABLE, RawArticle, Skipped, SkipFile)
from indexer.ingest.readers import html as html_reader
from indexer.ingest.readers import jsonfile, reuters, text
from indexer.ingest.readers._common import read_capped

__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "SUFFIXES_IN_ORDER", "iter_files", "read_file"]


_READERS = {
    **{s: "text" for s in text.SUFFIXES},
    **{s: "html" for s in html_reader.SUFFIXES},
    **{s: "json" for s in jsonfile.JSON_SUFFIXES},
    **{s: "jsonl" for s in jsonfile.JSONL_SUFFIXES},
    **{s: "reuters" for s in reuters.SUFFIXES},
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)
SUFFIXES_IN_ORDER: tuple[str, ...] = tuple(_READERS)   # for messages: by reader, as registered


def __getattr__(name: str):
    """Keeps ``from indexer.ingest.readers import MAX_FILE_BYTES`` working now that the limit is a named setting."""
    if name == "MAX_FILE_BYTES":
        return settings.MAX_FILE_BYTES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def iter_files(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Path, Skipped]]:
    """Supported files under ``paths``, depth-first in name order.

    Hidden entries inside folders are skipped; symlinked folders are followed once each
    (by resolved path), so loops end. Bad entries become Skipped(unreadable); a path
    that does not exist raises FileNotFoundError. A file named explicitly with an
    unsupported suffix is reported as Skipped(not an article) rather than ignored.
    """
    visited: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            raise FileNotFoundError(f"No such file or directory: {str(path)!r}")
        try:
            st = path.stat()
        except OSError as e:
            yield Skipped(str(path), SKIP_UNREADABLE, _why(path, e))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, visited)
        elif _is_supported(path):
            yield from _file_entry(path, st)
        else:
            yield Skipped(str(path), SKIP_NOT_ARTICLE, f"unsupported file type {path.suffix or '(no suffix)'}")


def _why(path: Path, error: OSError) -> str:
    if os.path.islink(path) and not os.path.exists(path):
        return "broken symlink"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def _file_entry(path: Path, st: os.stat_result) -> Iterator[Union[Path, Skipped]]:
    if not stat.S_ISREG(st.st_mode):
        yield Skipped(str(path), SKIP_UNREADABLE, "not a regular file")
    elif not os.access(path, os.R_OK):
        yield Skipped(str(path), SKIP_UNREADABLE, "permission denied")
    else:
        yield path


def _walk(root: Path, visited: set[tuple[int, int]]) -> Iterator[Union[Path, Skipped]]:
    """Depth-first walk with an explicit stack (deep trees cannot exhaust the recursion limit)."""
    stack: list[Iterator[os.DirEntry]] = []

    def enter(directory: Path) -> Iterator[Union[Path, Skipped]]:
        try:
            st = directory.stat()
            key = (st.st_dev, st.st_ino)
            if key in visited:
                return
            visited.add(key)
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            yield Skipped(str(directory), SKIP_UNREADABLE, _why(directory, e))
            return
        stack.append(iter(entries))

    yield from enter(root)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            st = os.stat(entry.path)               # follows symlinks
        except OSError as e:
            if _is_supported(path) or entry.is_dir(follow_symlinks=False):
                yield Skipped(str(path), SKIP_UNREADABLE, _why(path, e))
            elif entry.is_symlink():
                yield Skipped(str(path), SKIP_UNREADABLE, "broken symlink")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from enter(path)
        elif _is_supported(path):
            yield from _file_entry(path, st)


def read_file(path: Union[str, Path]) -> Iterator[Union[RawArticle, Skipped]]:
    """Articles of one file. Raises SkipFile (on iteration) when the whole file is unusable.

    Any unexpected reader error is turned into SkipFile(unreadable) naming the error, so
    one odd file cannot stop a build.
    """
    path = Path(path)
    kind = _READERS.get(path.suffix.lower(), "text")
    source = str(path)
    limit = settings.MAX_FILE_BYTES
    try:
        if kind == "jsonl":
            yield from jsonfile.read_jsonl(path, limit)
        elif kind == "reuters":
            yield from reuters.read_reuters(path, limit)
        else:
            data = read_capped(path, limit)
            head = data[:2048]
            if kind == "json":
                yield from jsonfile.read_json(data, source)
            elif kind == "html" or html_reader.looks_like_html(data):
                yield html_reader.parse_html(data, source)
            elif b"<REUTERS" in head and b"</REUTERS>" in data:
                yield from reuters.read_reuters(path, limit)
            else:
                yield text.parse_text(decode_bytes(data), source)
    except SkipFile:
        raise
    except RecursionError:
        raise SkipFile(SKIP_UNREADABLE, "markup nested too deeply") from None
    except MemoryError:
        raise SkipFile(SKIP_UNREADABLE, "out of memory while reading") from None
    except OSError as e:
        raise SkipFile(SKIP_UNREADABLE, e.strerror or str(e)) from None
    except Exception as e:  # noqa: BLE001 - reported, not hidden: the detail names the error
        raise SkipFile(SKIP_UNREADABLE, f"reader error: {type(e).__name__}: {e}") from e
