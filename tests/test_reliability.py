"""Crash safety and concurrency: killed builds, racing builds, readers during swaps, a full disk.

Fast versions of the trials in bench/crash.py: a few kills at random moments
of a real `newsfacet rebuild`/`update` subprocess.
"""
from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer import build

from indexer.engines.whoosh import store
from indexer.request import from_mapping
from indexer.engines.whoosh.search import open_index, search
from tests.conftest import waitress_in_thread

WORDS = ("trade talks oil prices grain wheat bank rates minister export import tariff market shares yen "
         "dollar budget deficit election strike harvest mining steel shipping coffee sugar crude").split()
NEWSFACET = [sys.executable, "-m", "indexer.cli"]


def make_corpus(folder: Path, n: int, seed: int = 1, prefix: str = "a") -> Path:
    """n small dated articles with random words; deterministic for a seed."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(120))
        day = f"19{rng.randint(80, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        (folder / f"{prefix}{i:05d}.txt").write_text(
            f"{prefix.upper()} story {i} on {rng.choice(WORDS)} - {day}\n\n{words}.\n\nMore: {words[:200]}.\n")
    return folder


def snapshot(index: Path) -> tuple[int, list[str]]:
    gen = open_index(index).generation()
    req, _ = from_mapping({"q": "oil", "size": "20", "sort": "oldest"})
    result = search(gen, req)
    return result.total, [h.id for h in result.hits]


def cli(*args, **kw):
    return subprocess.run(NEWSFACET + list(args), capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture
def built(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", 60)
    index = tmp_path / "index"
    build.rebuild([corpus], index, workers=1)
    return corpus, index


def test_kill_9_rebuild_at_random_moments_keeps_the_served_index(tmp_path, built):
    corpus, index = built
    make_corpus(corpus, 400, seed=2, prefix="b")   # the rebuild now has real work to be killed in
    before = snapshot(index)
    rng = random.Random(7)
    started = time.perf_counter()
    assert cli("rebuild", str(corpus), "--index", str(tmp_path / "probe"), "--quiet").returncode == 0
    duration = time.perf_counter() - started
    for trial in range(4):
        proc = subprocess.Popen(NEWSFACET + ["rebuild", str(corpus), "--index", str(index), "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.05, duration * 0.8))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if store.current_generation(index) is not None and snapshot(index) != before:
            # the build finished before the kill: that is the new state, complete
            assert open_index(index).generation().doc_count == 460
            before = snapshot(index)
        assert snapshot(index) == before, f"trial {trial}"
    result = cli("rebuild", str(corpus), "--index", str(index), "--quiet")
    assert result.returncode == 0, result.stderr
    assert not list(index.glob("tmp-*")), "leftovers of killed builds were not cleaned"
    assert open_index(index).generation().doc_count == 460


def test_kill_9_update_leaves_old_or_new_and_a_rerun_converges(tmp_path, built):
    corpus, index = built
    old = snapshot(index)
    make_corpus(corpus, 300, seed=3, prefix="c")
    for victim in sorted(corpus.glob("a0000*")):
        victim.unlink()                                   # 10 files gone
    proc = subprocess.Popen(NEWSFACET + ["update", str(corpus), "--index", str(index), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    count = open_index(index).generation().doc_count
    assert count in (60, 350)                              # old or new, never a mix
    if count == 60:
        assert snapshot(index) == old
    result = cli("update", str(corpus), "--index", str(index), "--quiet")
    assert result.returncode == 0, result.stderr
    assert open_index(index).generation().doc_count == 350
    again = cli("update", str(corpus), "--index", str(index), "--json")
    assert '"indexed": 0' in again.stdout and '"removed": 0' in again.stdout


def test_second_rebuild_refuses_naming_the_holder_and_a_killed_holder_frees_the_lock(tmp_path, built):
    corpus, index = built
    # a process that holds the build lock as a rebuild does, for as long as the test needs
    holder_code = ("import sys, time; from pathlib import Path; from indexer.engines.whoosh import store; "
                   "store.BuildLock(Path(sys.argv[1]), 'rebuild').__enter__(); print('locked', flush=True); "
                   "time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", holder_code, str(index)], stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = snapshot(index)
        second = cli("rebuild", str(corpus), "--index", str(index), "--quiet")
        assert second.returncode == 1
        assert f"pid {holder.pid}" in second.stderr and "newsfacet rebuild" in second.stderr
        assert cli("update", str(corpus), "--index", str(index), "--quiet").returncode == 1
        assert snapshot(index) == before
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    third = cli("update", str(corpus), "--index", str(index), "--quiet")   # the dead holder's lock is gone
    assert third.returncode == 0, third.stderr


def test_readers_during_swaps_see_old_or_new_never_half(tmp_path):
    small = make_corpus(tmp_path / "small", 30, seed=5)
    big = make_corpus(tmp_path / "big", 90, seed=6, prefix="e")
    index = tmp_path / "index"
    build.rebuild([small], index, workers=1)
    served = open_index(index)
    totals = {30, 120}
    errors, seen = [], set()
    stop = threading.Event()

    def reader():
        req, _ = from_mapping({"q": "", "size": "5"})
        while not stop.is_set():
            try:
                gen = served.generation()
                with gen.searcher() as s:
                    total = search(gen, req, s).total
                seen.add(total)
                if total not in totals:
                    errors.append(f"saw {total} articles")
            except Exception as exc:    # any failure is a failed request
                errors.append(repr(exc))
    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for i in range(4):
            build.rebuild([small, big] if i % 2 == 0 else [small], index, workers=1)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[:5]
    assert seen == totals


def test_disk_full_is_a_clear_error_and_the_old_index_is_untouched(built, monkeypatch):
    corpus, index = built
    before = snapshot(index)
    generation = store.current_generation(index)
    real_commit = None

    def full_disk(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")
    from whoosh import writing
    real_commit = writing.SegmentWriter.commit
    monkeypatch.setattr(writing.SegmentWriter, "commit", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build.rebuild([corpus], index, workers=1)
    monkeypatch.setattr(writing.SegmentWriter, "commit", real_commit)
    assert store.current_generation(index) == generation and snapshot(index) == before
    assert not list(index.glob("tmp-*"))


def test_disk_full_through_the_cli_is_one_line(built, tmp_path):
    corpus, index = built
    # an index path under a regular file cannot be created: the CLI says so without a traceback
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    result = cli("rebuild", str(corpus), "--index", str(blocker / "index"), "--quiet")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("Error:")


def test_http_clients_during_rebuilds_get_no_errors(tmp_path):
    """8 HTTP clients search while rebuilds swap generations: every answer is the old or the new index."""
    import json
    import urllib.request

    small = make_corpus(tmp_path / "small", 30, seed=8)
    big = make_corpus(tmp_path / "big", 90, seed=9, prefix="f")
    index = tmp_path / "index"
    build.rebuild([small], index, workers=1)
    errors, seen, count = [], set(), [0]
    stop = threading.Event()
    with waitress_in_thread(index, threads=8) as base:
        url = base + "/api/search?q=&size=5"

        def client():
            while not stop.is_set():
                try:
                    with urllib.request.urlopen(url, timeout=30) as resp:
                        total = json.load(resp)["total"]
                    seen.add(total)
                    count[0] += 1
                    if total not in (30, 120):
                        errors.append(f"saw {total}")
                except Exception as exc:   # a refused, failed or 5xx request
                    errors.append(repr(exc))
        clients = [threading.Thread(target=client) for _ in range(8)]
        for c in clients:
            c.start()
        try:
            for i in range(4):
                build.rebuild([small, big] if i % 2 == 0 else [small], index, workers=1)
                time.sleep(0.2)
        finally:
            stop.set()
            for c in clients:
                c.join()
    assert not errors, errors[:5]
    assert seen == {30, 120} and count[0] > 20


def test_a_generation_removed_while_the_pointer_is_read_gives_the_newer_one(built, monkeypatch):
    corpus, index = built
    served = store.current_generation(index)
    real = os.readlink
    answers = iter(["gen-removed-by-a-newer-build"])      # the first read sees a target already gone
    monkeypatch.setattr(store.os, "readlink", lambda link: next(answers, None) or real(link))
    assert store.current_generation(index) == served


def test_a_generation_removed_while_it_is_opened_gives_the_newer_one(built, monkeypatch):
    from indexer.engines.whoosh import generation as whoosh_search
    corpus, index = built
    old = store.current_generation(index)
    build.rebuild([corpus], index, workers=1)
    new = store.current_generation(index)
    served = open_index(index)
    real = whoosh_search.Generation
    calls = []

    def opening(path):
        calls.append(path)
        if len(calls) == 1:
            raise FileNotFoundError(f"{old}: removed while opening")
        return real(path)

    monkeypatch.setattr(store, "require_generation", lambda root: old if not calls else new)
    monkeypatch.setattr(whoosh_search, "Generation", opening)
    assert served.generation().path == new and calls == [old, new]
    # still served and failing to open: the error is not hidden
    calls.clear()
    served.close()
    monkeypatch.setattr(store, "require_generation", lambda root: new)
    monkeypatch.setattr(whoosh_search, "Generation", lambda path: (_ for _ in ()).throw(OSError("broken")))
    with pytest.raises(OSError):
        served.generation()
