"""The index directory: generations, the ``current`` pointer, and the build lock.

Layout of an index directory::

    index/
      current -> gen-20261128T031500-1234   symlink, switched with os.replace (atomic)
      gen-…/                                one complete Whoosh index + build.json
      tmp-…/                                a build in progress (removed if it dies)
      lock                                  flock'd by the one running build; says who holds it
      skipped.tsv                           the last build's full skip report

A build writes a whole new generation beside the served one and only then moves
``current``; readers resolve ``current`` once per searcher, so they see the old
or the new index, never a half-written one. The kernel drops an flock when its
process dies, so a lock left by a killed build is never stale.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path
from typing import Optional

from indexer.engines import base
from indexer.engines.base import IndexUnavailable, check_format as _check_format

CURRENT = "current"
LOCK = "lock"
BUILD_INFO = "build.json"
STORIES = "stories.npz"         # the story state (indexer.stories.StoryState), read by `update`
SKIP_REPORT = "skipped.tsv"
GEN_PREFIX = "gen-"
TMP_PREFIX = "tmp-"
KEEP_GENERATIONS = 2   # the served one and the one before it (a server may still read it)

ENV_INDEX = "NEWSFACET_INDEX"
DEFAULT_INDEX = "index"


class IndexError_(IndexUnavailable):
    """Base for index problems the CLI reports as a one-line message."""


class NoIndex(IndexError_, base.NoIndex):
    """Raised when no built index exists, so callers can say to run a rebuild."""


class LockedError(IndexError_):
    """Raised when another build holds the lock, so a second build fails at once."""
    pass


def index_path(explicit: Optional[str | os.PathLike] = None) -> Path:
    """``--index``, else ``$NEWSFACET_INDEX``, else ``./index``."""
    return Path(explicit or os.environ.get(ENV_INDEX) or DEFAULT_INDEX)


def current_generation(root: Path) -> Optional[Path]:
    """The directory ``current`` points to, or None when nothing was built yet.

    A target that is gone was replaced by newer builds between reading the link and looking at
    it (old generations are removed), so the link is read again rather than reporting no index."""
    link = root / CURRENT
    gen = None
    for _ in range(5):
        try:
            target = os.readlink(link)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            if exc.errno == errno.EINVAL:   # not a symlink
                return None
            raise
        gen = root / target
        if gen.is_dir():
            return gen
    return None


def require_generation(root: Path) -> Path:
    """The served generation, or NoIndex with the command that makes one."""
    gen = current_generation(root)
    if gen is None:
        raise NoIndex(f"no index at {root}: run `newsfacet rebuild PATH --index {root}` first")
    return gen


def new_temp_dir(root: Path) -> Path:
    """A fresh, uniquely named build folder beside the served one, so builds never write into it."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    tmp = root / f"{TMP_PREFIX}{stamp}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    tmp.mkdir(parents=True)
    return tmp


def publish(root: Path, tmp: Path) -> Path:
    """Turn a finished temp dir into a generation and point ``current`` at it."""
    gen = root / (GEN_PREFIX + tmp.name[len(TMP_PREFIX):])
    os.rename(tmp, gen)
    _fsync_dir(gen)
    link_tmp = root / f".{CURRENT}.{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(gen.name, link_tmp)
    os.replace(link_tmp, root / CURRENT)
    _fsync_dir(root)
    return gen


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clean_leftovers(root: Path) -> list[str]:
    """Remove temp dirs of dead builds and generations older than KEEP_GENERATIONS.

    Only called while holding the lock, so no live build owns a temp dir.
    """
    removed = []
    current = current_generation(root)
    gens = sorted((p for p in root.glob(GEN_PREFIX + "*") if p.is_dir()), key=lambda p: p.name)
    keep = {current} if current else set()
    for gen in reversed(gens):
        if len(keep) >= KEEP_GENERATIONS:
            break
        keep.add(gen)
    for path in list(root.glob(TMP_PREFIX + "*")) + [g for g in gens if g not in keep]:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for stray in root.glob(f".{CURRENT}.*"):
        stray.unlink(missing_ok=True)
    return removed


class BuildLock:
    """An exclusive, non-blocking lock on ``index/lock`` for rebuild and update."""

    def __init__(self, root: Path, command: str = "rebuild"):
        self.root = root
        self.command = command
        self._fd: Optional[int] = None

    def __enter__(self) -> "BuildLock":
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raw = os.read(fd, 4096).decode("utf-8", "replace")
            os.close(fd)
            raise LockedError(f"index {self.root} is locked by {_describe_holder(raw)}; "
                              "try again when it finishes")
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                           "since": time.strftime("%Y-%m-%dT%H:%M:%S")})
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
                self._fd = None


def _describe_holder(raw: str) -> str:
    try:
        info = json.loads(raw)
        return f"`newsfacet {info['command']}` (pid {info['pid']} on {info['host']}, since {info['since']})"
    except (ValueError, KeyError, TypeError):
        return "another process"


def check_format(root: Path, gen: Path) -> None:
    """Refuse (``base.OldIndex``) a generation built in an earlier index format, in one line,
    before Whoosh reads its table of contents."""
    _check_format(read_build_info(gen).get("format"), f"--index {root}")


def read_build_info(gen: Path) -> dict:
    """The generation's `build.json`, or {} when absent or unreadable, so stats never fail on it."""
    try:
        return json.loads((gen / BUILD_INFO).read_text())
    except (OSError, ValueError):
        return {}


def write_build_info(gen: Path, info: dict) -> None:
    """Records how a generation was built, for `newsfacet stats`."""
    (gen / BUILD_INFO).write_text(json.dumps(info, indent=2, sort_keys=True))


def dir_size(path: Path) -> int:
    """Bytes a folder takes, the index size reported after builds."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
