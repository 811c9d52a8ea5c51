"""The `newsfacet` command: each command through click's runner, and the docs cover them all."""
from __future__ import annotations

import json
import re
import shutil

import pytest
import click
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
    assert set(hit) >= {"id", "title", "date", "source", "snippet", "people", "countries", "organisations", "authors"}
    assert "<mark>" in hit["snippet"]
    values = data["facets"]["country"]["values"]
    assert values[0] == {**values[0], "value": "North Korea", "selected": True}
    assert set(data["facets"]) == {"country", "person", "org", "author", "language", "date"}


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


def _readme_row(command: str) -> str:
    readme = (REPO / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith(f"| `newsfacet {command}")]
    assert len(rows) == 1, f"command {command} has no row (or several) in the README's command table"
    return rows[0]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_command_and_its_options_are_documented(command):
    """Each command has its README row, and that row names each of its options (--index, --engine and
    --opensearch are said once for all)."""
    row = _readme_row(command)
    assert row.split("|")[2].strip(), f"command {command} has no description"
    for param in main.commands[command].params:
        for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
            if opt.startswith("--") and opt not in SAID_ONCE:
                assert re.search(rf"{re.escape(opt)}\b", row), f"option {opt} of {command} is not in its README row"
        if isinstance(param, click.Argument):
            assert param.name.upper().rstrip("S") in row, f"argument {param.name} of {command} is not in its README row"
    if any("--index" in getattr(p, "opts", []) for p in main.commands[command].params):
        readme = (REPO / "README.md").read_text()
        assert "Every command takes `--index DIR`" in readme
        assert "`--engine whoosh|opensearch`" in readme and "`--opensearch URL`" in readme


SAID_ONCE = ("--index", "--engine", "--opensearch")   # options of every command that opens an index


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


# ---------------------------------------------------------------- errors a user meets first

def test_every_option_has_help_text():
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert (param.help or "").strip(), f"{name} {param.opts[0]} has no help text"


def test_rebuild_of_an_empty_folder_names_every_supported_type_and_leaves_nothing(tmp_path, runner):
    from indexer.ingest.readers import SUFFIXES_IN_ORDER
    (tmp_path / "empty").mkdir()
    index = tmp_path / "i"
    result = runner.invoke(main, ["rebuild", str(tmp_path / "empty"), "--index", str(index)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: nothing to index: no supported files in ")
    for suffix in (".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".sgm", *SUFFIXES_IN_ORDER):
        assert suffix + "," in lines[0] or suffix + ")" in lines[0], suffix
    assert "0/0" not in result.output and not index.exists()


def test_rebuild_that_indexes_nothing_leaves_no_folder_holding_only_the_lock(tmp_path, runner):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "blank.txt").write_text("\n\n")
    index = tmp_path / "i"
    result = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "--quiet", "--workers", "1"])
    assert result.exit_code == 1 and "nothing could be indexed from 1 files (1 empty)" in result.output
    assert not index.exists()


def test_skip_report_numbers_jsonl_lines_from_one(tmp_path, runner):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = [json.dumps({"title": f"Story {n}", "body": f"Harbour story number {n} reopened."}) for n in range(4)]
    (corpus / "feed.jsonl").write_text("\n".join(good[:2] + [""] + good[2:] + ["{broken"]) + "\n")
    index = tmp_path / "i"
    result = runner.invoke(main, ["rebuild", str(corpus), "--index", str(index), "--quiet", "--workers", "1"])
    assert result.exit_code == 0, result.output
    rows = (index / "skipped.tsv").read_text().splitlines()[1:]
    assert len(rows) == 1 and rows[0].split("\t")[0].endswith("feed.jsonl#line 6")
    assert rows[0].split("\t")[1] == "unreadable"


def test_extract_of_a_missing_file_exits_non_zero(tmp_path, runner):
    result = runner.invoke(main, ["extract", str(tmp_path / "nope.txt"), "--json"])
    assert result.exit_code == 1
    assert f"no such file or folder: {tmp_path / 'nope.txt'}" in result.output
    # the other files are still printed
    result = runner.invoke(main, ["extract", str(SEED), str(tmp_path / "nope.txt"), "--json"])
    assert result.exit_code == 1 and '"date": "2004-02-20"' in result.output
    empty = tmp_path / "blank.txt"
    empty.write_text("\n")
    result = runner.invoke(main, ["extract", str(empty), "--json"])
    assert result.exit_code == 1 and "no article found in" in result.output


@pytest.fixture
def taken_port():
    import socket
    sock = socket.create_server(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


def test_serve_on_a_taken_port_says_so_in_one_line(built, runner, taken_port):
    index, _ = built
    result = runner.invoke(main, ["serve", "--index", str(index), "--port", str(taken_port)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: port {taken_port} on 127.0.0.1 is already in use (is another "
                                     "Newsfacet running?); stop it or choose another with --port")
    assert "serving" not in result.output


def test_serve_check_tells_a_free_port_from_a_taken_one(tmp_path, runner, taken_port):
    result = runner.invoke(main, ["serve", "--check", "--port", str(taken_port), "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "already in use" in result.output
    result = runner.invoke(main, ["serve", "--check", "--port", "0", "--index", str(tmp_path / "none")])
    assert result.exit_code == 0 and "is free" in result.output
    result = runner.invoke(main, ["serve", "--check", "--host", "203.0.113.7", "--port", "0"])
    assert result.exit_code == 1 and "not an address of this machine" in result.output
    result = runner.invoke(main, ["serve", "--check", "--host", "no-such-host.invalid", "--port", "0"])
    assert result.exit_code == 1 and "no such host" in result.output
    result = runner.invoke(main, ["serve", "--check", "--host", "::1", "--port", "0"])   # IPv6 too
    assert result.exit_code == 0 or "not an address of this machine" in result.output


def test_make_run_checks_the_port_before_rebuilding(tmp_path, taken_port):
    """A second `make run` stops at the port check and leaves the served index alone."""
    import subprocess
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    if subprocess.run(["make", "-q", "install"], cwd=REPO, capture_output=True).returncode != 0:
        pytest.skip("the virtualenv is not installed by make (run `make install`)")
    index = tmp_path / "index"
    proc = subprocess.run(["make", "--no-print-directory", "run", f"PORT={taken_port}", f"INDEX={index}"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert f"Error: port {taken_port} on 127.0.0.1 is already in use" in proc.stderr
    assert not index.exists()


def test_the_sample_corpus_is_news_and_the_docs_count_it(tmp_path, runner):
    """What `make run` indexes: only articles (no wiki test or project pages), as many as the
    README and ATTRIBUTION.md say, and a first page (newest first) of news."""
    index = tmp_path / "index"
    result = runner.invoke(main, ["rebuild", str(REPO / "corpus"), "--index", str(index), "--quiet", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["skipped"] == {} and report["dates_unknown"] == 0
    readme = (REPO / "README.md").read_text()
    attribution = (REPO / "corpus" / "ATTRIBUTION.md").read_text()
    def lines(pattern: str) -> int:
        return sum(1 for f in (REPO / "corpus").glob(pattern) for line in f.open() if line.strip())
    french = lines("wikinews-fr-*.jsonl")
    english = lines("wikinews-*.jsonl") - french
    assert report["indexed"] == english + french + 1          # and the VOA page
    assert f"indexes corpus/ ({report['indexed']} news articles: {english + 1} in English, {french} in French)" \
        in readme
    assert f"{english} English and {french} French Wikinews articles" in readme
    assert f"{english} English Wikinews articles" in attribution and f"{french} French Wikinews articles" in attribution
    everything = json.loads(runner.invoke(main, ["search", "--index", str(index), "--json"]).output)
    assert {v["value"]: v["count"] for v in everything["facets"]["language"]["values"]} == {
        "en": english + 1, "fr": french}                         # each article's language detected
    for f in (REPO / "corpus").glob("wikinews-*.jsonl"):
        for line in f.open():
            item = json.loads(line)
            # a wiki page outside the article space is titled "Namespace:Name" (no space after the colon)
            assert not re.match(r"^[^:]+:\S", item["title"]), item["title"]
    first_page = json.loads(runner.invoke(main, ["search", "--index", str(index), "--json"]).output)
    assert all(len(hit["title"].split()) >= 4 and hit["date"] for hit in first_page["hits"])
    assert "test page" not in " ".join(h["title"].lower() for h in first_page["hits"])


def test_update_with_nothing_changed_shows_no_empty_progress_bar(built, runner):
    index, _ = built
    result = runner.invoke(main, ["update", str(index.parent / "corpus"), "--index", str(index), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Unchanged files: 1" in result.output and "0/0" not in result.output


# ---------------------------------------------------------------- names files

NAMES = "facet,action,value,target\nperson,merge,James Kelly,James A. Kelly\nperson,move,Richard Boucher,org\n"


def test_rebuild_with_a_names_file_says_how_many_values_it_changed(tmp_path, runner, monkeypatch):
    (tmp_path / "names.csv").write_text(NAMES, encoding="utf-8")
    args = ["rebuild", str(SEED), "--index", str(tmp_path / "i"), "--workers", "1", "--quiet"]
    text = runner.invoke(main, [*args, "--names", str(tmp_path / "names.csv")]).output
    assert f"Names file {tmp_path / 'names.csv'}: 2 values changed." in text
    monkeypatch.setenv("NEWSFACET_NAMES", str(tmp_path / "names.csv"))          # the same from the environment
    report = json.loads(runner.invoke(main, [*args, "--json"]).output)
    assert report["names"] == str(tmp_path / "names.csv") and report["names_changed"] == 2
    found = json.loads(runner.invoke(main, ["search", 'org:"Richard Boucher"', "--index", str(tmp_path / "i"),
                                            "--json"]).output)
    assert found["total"] == 1 and "James A. Kelly" in found["hits"][0]["people"]
    assert "James Kelly" not in found["hits"][0]["people"] and "Richard Boucher" not in found["hits"][0]["people"]
    extracted = json.loads(runner.invoke(main, ["extract", str(SEED), "--json"]).output)   # the env var again
    assert "Richard Boucher" in extracted["organisations"]


def test_a_malformed_names_file_stops_the_build_before_it_starts(tmp_path, runner):
    (tmp_path / "names.csv").write_text("facet,action,value,target\nperson,rename,A,B\n", encoding="utf-8")
    for command in ("rebuild", "update"):
        result = runner.invoke(main, [command, str(SEED), "--index", str(tmp_path / "i"), "--names",
                                      str(tmp_path / "names.csv")])
        assert result.exit_code == 1
        assert result.output == (f"Error: {tmp_path / 'names.csv'}, line 2: unknown action “rename” "
                                 "(merge, move or drop)\n")
    assert not (tmp_path / "i").exists()


def test_names_check(tmp_path, runner):
    (tmp_path / "good.csv").write_text(NAMES, encoding="utf-8")
    good = runner.invoke(main, ["names", "check", str(tmp_path / "good.csv")])
    assert good.exit_code == 0 and good.output == f"{tmp_path / 'good.csv'}: 2 rules (1 merge, 1 move) for person 2.\n"
    (tmp_path / "bad.csv").write_text(NAMES + "person,move,X,nowhere\n", encoding="utf-8")
    bad = runner.invoke(main, ["names", "check", str(tmp_path / "bad.csv")])
    assert bad.exit_code == 1 and bad.output.count("\n") == 1 and "bad.csv, line 4: unknown target facet" in bad.output


def test_batch_gives_a_row_per_query_in_order_as_json_and_csv(built, runner, tmp_path):
    index, _ = built
    queries = tmp_path / "list.txt"
    queries.write_text('person:kelly\n\nsix-party talks\nAND OR\nzebra\n', encoding="utf-8")
    result = runner.invoke(main, ["batch", str(queries), "--index", str(index), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert [(r["line"], r["query"], r["total"]) for r in rows] == [
        (1, "person:kelly", 1), (3, "six-party talks", 1), (4, "AND OR", 0), (5, "zebra", 0)]
    assert rows[2]["error"] and not rows[0]["error"] and rows[0]["first"] == "2004-02-20"
    assert "James Kelly" in rows[0]["top_people"]
    out = tmp_path / "rows.csv"
    result = runner.invoke(main, ["batch", str(queries), "--index", str(index), "--csv", str(out),
                                  "--country", "Japan", "--quiet"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("line,label,query,total") and len(lines) == 5
    assert "person:kelly" in result.output           # the table on the terminal too


def test_batch_of_too_many_queries_is_one_line_error(built, runner, tmp_path, monkeypatch):
    index, _ = built
    monkeypatch.setattr(settings, "BATCH_MAX_QUERIES", 1)
    queries = tmp_path / "list.txt"
    queries.write_text("a\nb\n", encoding="utf-8")
    result = runner.invoke(main, ["batch", str(queries), "--index", str(index)])
    assert result.exit_code == 1 and "at most 1" in result.output


def test_trends_counts_per_period_as_table_csv_and_json(built, runner):
    index, _ = built
    result = runner.invoke(main, ["trends", "talks", "zebra", "--index", str(index), "--by", "month", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["interval"] == "month" and data["periods"] == ["2004-02"]
    assert [s["total"] for s in data["series"]] == [1, 0]
    result = runner.invoke(main, ["trends", "talks", "--index", str(index), "--by", "year", "--csv"])
    assert result.output.splitlines()[:2] == ["period,all stories,talks (count),talks (share)", "2004,1,1,1.0"]
    result = runner.invoke(main, ["trends", "talks", "--index", str(index), "--by", "year", "--csv", "--all-copies"])
    assert result.output.splitlines()[0] == "period,all articles,talks (count),talks (share)"
    result = runner.invoke(main, ["trends", "talks", "--index", str(index)])
    assert "2004-02-20" in result.output and "talks" in result.output
