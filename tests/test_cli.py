"""The `newsfacet` command: each command through click's runner, and the docs cover them all."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from indexer import settings
from indexer.cli import main
from tests.conftest import REPO, SEED


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def built(tmp_path, runner):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    index = tmp_path / "index"
    result = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return index, result


def test_rebuild_prints_a_summary(built):
    _, result = built
    assert "Indexed 1 articles from 1 files" in result.output
    assert "Skipped: none." in result.output and "Dates unknown: 0." in result.output


def test_rebuild_of_nothing_exits_non_zero(tmp_path, runner):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["rebuild", str(tmp_path / "empty"), "--index", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert "nothing to index" in result.output


def test_search_json_shape(built, runner):
    index, _ = built
    result = runner.invoke(main, ["search", "talks", "--index", str(index), "--json", "--country", "North Korea"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "source", "snippet", "people", "countries"}
    assert "<mark>" in hit["snippet"]
    values = data["facets"]["country"]["values"]
    assert values[0] == {**values[0], "value": "North Korea", "selected": True}
    assert set(data["facets"]) == {"country", "person", "date"}


def test_search_country_scope(built, runner):
    index, _ = built

    def total(*args):
        result = runner.invoke(main, ["search", "talks", "--index", str(index), "--json", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    # Japan is a party to the talks the article mentions, not one it is mainly about
    anywhere = total("--country", "Japan")
    assert anywhere["total"] == 1 and "Japan" in anywhere["hits"][0]["countries_mentioned"]
    about = total("--country", "Japan", "--country-scope", "about")
    assert about["total"] == 0 and about["filters"]["country_scope"] == "about"
    assert runner.invoke(main, ["search", "x", "--index", str(index), "--country-scope", "maybe"]).exit_code == 2


def test_search_text_and_browse(built, runner):
    index, _ = built
    result = runner.invoke(main, ["search", "--index", str(index)])
    assert result.exit_code == 0 and "1 articles" in result.output and "2004-02-20" in result.output


def test_search_without_index_is_a_clear_error(tmp_path, runner):
    result = runner.invoke(main, ["search", "x", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no index" in result.output


def test_stats(built, runner):
    index, _ = built
    data = json.loads(runner.invoke(main, ["stats", "--index", str(index), "--json"]).output)
    assert data["articles"] == 1 and data["date_from"] == "2004-02-20"
    assert any(v["value"] == "North Korea" for v in data["top_countries"])
    text = runner.invoke(main, ["stats", "--index", str(index)]).output
    assert "Articles: 1" in text


def test_extract_json_lines(runner):
    result = runner.invoke(main, ["extract", str(SEED), "--json"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 1 and lines[0]["date"] == "2004-02-20"
    assert {"James Kelly", "Richard Boucher"} <= set(lines[0]["people"])


def test_index_from_environment(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("NEWSFACET_INDEX", str(tmp_path / "envindex"))
    result = runner.invoke(main, ["rebuild", str(SEED), "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "envindex" / "current").is_symlink()


def test_every_command_and_setting_is_documented():
    readme = (REPO / "README.md").read_text()
    for name in main.commands:
        assert f"newsfacet {name}" in readme, f"command {name} is not in the README"
        for param in main.commands[name].params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in readme, f"option {opt} of {name} is not in the README"
    for name in settings.SETTINGS:
        assert re.search(rf"`{name}`", readme), f"setting {name} is not in the README"


def test_serve_with_several_processes_answers_and_stops_cleanly(built):
    import json as json_mod
    import os
    import re as re_mod
    import signal
    import subprocess
    import sys
    import urllib.request
    index, _ = built
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--index", str(index), "--port", "0",
                             "--processes", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        port = int(re_mod.search(r"127\.0\.0\.1:(\d+)/", line).group(1))
        assert "with 2 processes" in line
        for _ in range(6):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=talks", timeout=60) as resp:
                assert json_mod.load(resp)["total"] == 1
        # One kept-alive connection is closed after KEEPALIVE_REQUESTS requests (rebalancing).
        import http.client
        from indexer import settings
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        closes = []
        for i in range(1, settings.KEEPALIVE_REQUESTS + 3):
            conn.request("GET", "/api/search?q=talks")
            resp = conn.getresponse()
            assert json_mod.load(resp)["total"] == 1
            if resp.getheader("Connection", "").lower() == "close":
                closes.append(i)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        assert closes == [settings.KEEPALIVE_REQUESTS]
        children = [int(p) for p in open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()]
        assert len(children) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    for child in children:
        assert not os.path.exists(f"/proc/{child}") or "zombie" in open(f"/proc/{child}/status").read().lower()
