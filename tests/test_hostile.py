"""A hostile corpus (bench/hostile_corpus.py) mixed with good articles: the build completes,
every bad file is reported with a reason, every good article is indexed, memory stays bounded."""
from __future__ import annotations

import resource
import subprocess
import sys
import json
from pathlib import Path

import pytest

from indexer.request import from_mapping
from indexer.engines.whoosh.search import open_index, search

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import hostile_corpus  # noqa: E402


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    manifest = hostile_corpus.generate(folder, files=240, seed=11, big_mb=50)
    index = folder.parent / "index"
    # A subprocess, so its peak memory is its own. Its peak is read as VmHWM (the high-water mark of
    # its own memory since exec) where /proc has it: ru_maxrss on Linux carries over through exec the
    # peak of the process that started it (here a test worker of several hundred MB).
    probe = ("import json, resource, sys; from indexer import build; "
             "r = build.rebuild([sys.argv[1]], sys.argv[2]); "
             "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')] "
             "if sys.platform.startswith('linux') else []; "
             "print(json.dumps({'report': r.to_json(), 'skipped': [[s.source, s.reason, s.detail] for s in r.skipped],"
             " 'rss_kb': hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
             " 'children_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))")
    run = subprocess.run([sys.executable, "-c", probe, str(folder), str(index)], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return folder, manifest, index, json.loads(run.stdout.strip().splitlines()[-1])


def _name(source: str, folder: Path) -> str:
    return str(Path(source.split("#")[0]).relative_to(folder.resolve()))


def test_every_bad_file_is_reported_with_a_reason(hostile):
    folder, manifest, _, out = hostile
    reported = {}
    for source, reason, detail in out["skipped"]:
        reported.setdefault(_name(source, folder), reason)
    missing = [name for name in manifest.bad if name not in reported]
    assert not missing, missing[:10]
    assert reported["huge.txt"] == "too large"
    assert all(reason for reason in reported.values())


def test_every_good_article_is_indexed(hostile):
    folder, manifest, index, out = hostile
    gen = open_index(index).generation()
    lost = []
    for name, token in manifest.good.items():
        req, _ = from_mapping({"q": token})
        if search(gen, req).total != 1:
            lost.append(name)
    assert not lost, lost[:10]
    reported = {_name(s, folder) for s, _, _ in out["skipped"]}
    assert not reported & set(manifest.good)


def test_no_file_is_unaccounted_for(hostile):
    folder, manifest, index, out = hostile
    gen = open_index(index).generation()
    with gen.searcher() as s:
        indexed = {_name(f["path"], folder) for f in s.all_stored_fields()}
    reported = {_name(s, folder) for s, _, _ in out["skipped"]}
    for name in list(manifest.odd):
        assert name in indexed or name in reported, name
    assert not any(name.startswith("loop/") for name in indexed | reported)


def test_memory_stays_bounded(hostile):
    _, _, _, out = hostile
    # a 50 MB file must not be read whole into a parser: peak RSS well under what slurping it costs
    assert max(out["rss_kb"], out["children_kb"]) < 400 * 1024, out
