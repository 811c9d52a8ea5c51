"""Files → Articles (indexer.ingest.pipeline): listing, hashing, the pool, time limits, skips, duplicates."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

import pytest

from indexer import settings
from indexer.engines.base import BuildError
from indexer.ingest import pipeline
from indexer.model import SKIP_DUPLICATE, SKIP_TIMEOUT, SKIP_UNREADABLE, RawArticle, SkipFile
from tests.conftest import SEED


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "in"
    for n in range(12):
        write(root / f"d{n % 3}" / f"story{n:02}.txt",
              f"Story number {n} about wheat\n\nFarmers in Kansas sold {n} tonnes of wheat on Monday.\n")
    write(root / "feed.jsonl", "\n".join(json.dumps(o) for o in [
        {"title": "Canada wheat exports grow", "date": "1987-03-04", "body": "Canadian wheat exports grew in "
         "February, the wheat board said.", "url": "https://example.org/wheat"},
        {"title": "Paris talks", "date": "2019-05-01", "text": "French and German ministers met in Paris."},
    ]) + "\n")
    return root


def test_extract_files_lists_articles_in_input_order(folder):
    items = list(pipeline.extract_files([folder / "feed.jsonl", SEED]))
    assert [i["title"] for i in items] == ["Canada wheat exports grow", "Paris talks",
                                           "US Official Says Only Modest Progress Expected at North Korean "
                                           "Nuclear Talks"]
    assert items[0]["source"].endswith("feed.jsonl#0") and items[0]["date"] == "1987-03-04"
    assert len(items[2]["body"]) <= 300
    assert len(list(pipeline.extract_files([SEED], body_chars=None))[0]["body"]) > 300


def test_extract_files_reports_a_missing_path(tmp_path):
    assert list(pipeline.extract_files([tmp_path / "nope.txt"])) == \
        [{"skipped": str(tmp_path / "nope.txt"), "reason": "not found", "detail": ""}]


def test_discover_lists_each_file_once_with_its_root(folder):
    tasks, skipped = pipeline.discover([folder, folder / "d0" / "story00.txt"])
    assert skipped == []
    assert len(tasks) == 13 and len({path for path, _ in tasks}) == 13
    assert all(root == str(folder.resolve()) for _, root in tasks)   # found first under the folder
    alone, _ = pipeline.discover([folder / "d1" / "story01.txt"])
    assert alone == [(str((folder / "d1" / "story01.txt").resolve()), str((folder / "d1").resolve()))]


def test_discover_fails_on_a_missing_path_before_reading(tmp_path):
    with pytest.raises(BuildError, match="no such file"):
        pipeline.discover([tmp_path / "missing"])


def test_the_pool_gives_what_one_process_gives_in_the_same_order(folder, monkeypatch):
    tasks, _ = pipeline.discover([folder])
    serial = [(r.path, [(a.id, a.title, a.facets.get("country", []), a.words) for a in r.articles])
              for r in pipeline.results(tasks, workers=1)]
    monkeypatch.setattr(pipeline, "CHUNK_FILES", 4)          # several chunks in flight
    pooled = [(r.path, [(a.id, a.title, a.facets.get("country", []), a.words) for a in r.articles])
              for r in pipeline.results(tasks, workers=2)]
    assert pooled == serial
    assert [path for path, _ in serial] == [path for path, _ in tasks]
    assert sum(len(arts) for _, arts in serial) == 14


def test_the_parent_loads_extraction_once_before_the_pool_forks(folder, monkeypatch):
    from indexer.ingest import languages
    tasks, _ = pipeline.discover([folder])
    serial = [[(a.id, a.facets, a.fingerprint) for a in r.articles] for r in pipeline.results(tasks, workers=1)]
    monkeypatch.setattr(languages, "_identifier", None)     # as in a process that has not detected yet
    monkeypatch.setattr(pipeline.multiprocessing, "get_start_method", lambda: "fork")
    pooled = [[(a.id, a.facets, a.fingerprint) for a in r.articles] for r in pipeline.results(tasks, workers=2)]
    assert languages._identifier is not None               # loaded here, inherited by the workers
    assert pooled == serial
    warm = pipeline.to_article(pipeline._WARM_UP, "warm-up", "")
    assert warm.facets["country"] and warm.facets["person"] and warm.facets["org"]   # reaches every step


def test_chunks_hold_a_few_files_or_about_a_megabyte(tmp_path):
    small = [(str(write(tmp_path / f"s{n}.txt", "x")), str(tmp_path)) for n in range(pipeline.CHUNK_FILES + 5)]
    assert [len(c) for c in pipeline._chunks(small)] == [pipeline.CHUNK_FILES, 5]
    big = write(tmp_path / "big.txt", "y" * pipeline.CHUNK_BYTES)
    assert [len(c) for c in pipeline._chunks([(str(big), str(tmp_path))] + small[:3])] == [1, 3]


def test_the_time_limit_is_per_article_so_a_long_file_is_read_whole(tmp_path, monkeypatch):
    path = write(tmp_path / "long.txt", "Long\n\nA long file.\n")

    def steady_reader(p):        # each article well within the limit, the file together well over it
        for n in range(6):
            time.sleep(0.15)
            yield RawArticle(str(p), f"Article {n}", f"Article number {n} of a long file.")
    monkeypatch.setattr(settings, "FILE_TIME_LIMIT", 0.4)
    monkeypatch.setattr(pipeline.readers, "read_file", steady_reader)
    result = pipeline.process_file(str(path), str(tmp_path))
    assert [a.title for a in result.articles] == [f"Article {n}" for n in range(6)]
    assert result.skipped == []


def test_a_file_over_the_time_limit_is_skipped_not_the_build(tmp_path, monkeypatch):
    path = write(tmp_path / "slow.txt", "Slow\n\nA slow file.\n")

    def slow_reader(p):
        yield RawArticle(str(p), "First", "Read before the limit.")
        time.sleep(3)
        yield RawArticle(str(p), "Second", "Never reached within the limit.")
    monkeypatch.setattr(settings, "FILE_TIME_LIMIT", 0.3)
    monkeypatch.setattr(pipeline.readers, "read_file", slow_reader)
    started = time.perf_counter()
    result = pipeline.process_file(str(path), str(tmp_path))
    assert time.perf_counter() - started < 2.5
    assert result.articles == []                              # none of a file that timed out
    assert [(s.source, s.reason) for s in result.skipped] == [(str(path), SKIP_TIMEOUT)]


@pytest.mark.parametrize("error, reason", [(OSError("disk gone"), SKIP_UNREADABLE),
                                           (ValueError("bad bytes"), SKIP_UNREADABLE),
                                           (SkipFile("empty", "no text"), "empty")])
def test_a_reader_error_skips_the_whole_file_with_its_reason(tmp_path, monkeypatch, error, reason):
    path = write(tmp_path / "bad.txt", "Bad\n\nText.\n")

    def failing_reader(p):
        yield RawArticle(str(p), "Half", "Read before the error.")
        raise error
    monkeypatch.setattr(pipeline.readers, "read_file", failing_reader)
    result = pipeline.process_file(str(path), str(tmp_path))
    assert result.articles == [] and [s.reason for s in result.skipped] == [reason]
    assert result.file_hash == hashlib.sha1(path.read_bytes()).hexdigest()


def test_an_unreadable_file_is_reported(tmp_path):
    result = pipeline.process_file(str(tmp_path / "gone.txt"), str(tmp_path))
    assert result.file_hash == "" and [s.reason for s in result.skipped] == [SKIP_UNREADABLE]


def test_ids_come_from_the_url_else_the_path_and_position():
    with_url = RawArticle("a.json", "T", "B", url="https://example.org/x", position=3)
    assert pipeline.article_id(with_url, "a.json") == pipeline.article_id(with_url, "elsewhere/b.json")
    first, second = RawArticle("f.jsonl", "T", "B", position=0), RawArticle("f.jsonl", "T", "B", position=1)
    assert pipeline.article_id(first, "f.jsonl") != pipeline.article_id(second, "f.jsonl")
    assert pipeline.article_id(first, "f.jsonl") != pipeline.article_id(first, "g.jsonl")
    assert len(pipeline.article_id(first, "f.jsonl")) == 16


def test_content_hash_ignores_title_case_and_surrounding_space():
    day = dt.date(2004, 2, 20)
    assert pipeline.content_hash("Talks Open", day, "Text.") == pipeline.content_hash(" talks open ", day, "Text.\n")
    assert pipeline.content_hash("Talks Open", day, "Text.") != pipeline.content_hash("Talks Open", None, "Text.")


def test_to_article_keeps_given_labels_beside_extracted_ones():
    raw = RawArticle("x.json", "Talks in Paris", "French and German ministers met in Paris on Monday.",
                     given={"person": ["Ann Example", " "], "country": ["france", "Germany"]})
    art = pipeline.to_article(raw, "x.json", "abc")
    people, countries = art.facets["person"], art.facets["country"]
    assert people[0] == "Ann Example" and " " not in people
    assert countries[:2] == ["France", "Germany"] and countries.count("France") == 1
    assert art.file_hash == "abc" and "paris" in art.words


def test_the_deduplicator_keeps_the_first_reading_and_says_which(folder):
    [result] = list(pipeline.results([(str(folder / "feed.jsonl"), str(folder))], workers=1))
    wheat, paris = result.articles
    seen = pipeline.Deduplicator()
    assert seen.skip(wheat) is None and seen.skip(paris) is None
    again = seen.skip(wheat)
    assert again.reason == SKIP_DUPLICATE and wheat.source in again.detail
    same_url = pipeline.to_article(RawArticle("other.json", "Other", "Other text.", url="https://example.org/wheat"),
                                   "other.json", "")
    assert seen.skip(same_url).reason == SKIP_DUPLICATE            # the same URL is the same article
    copy = pipeline.to_article(RawArticle("copy.json", wheat.title, wheat.body, wheat.date), "copy.json", "")
    assert copy.content_hash == wheat.content_hash and seen.skip(copy) is None   # an exact copy is indexed
    from_index = pipeline.Deduplicator({paris.id: "old.jsonl"})
    assert "old.jsonl" in from_index.skip(paris).detail


def test_workers_fingerprint_each_article(folder):
    [result] = list(pipeline.results([(str(folder / "feed.jsonl"), str(folder))], workers=1))
    assert all(a.fingerprint is None or a.fingerprint.shingles for a in result.articles)
    assert result.fingerprint_seconds >= 0


def test_each_facet_takes_its_given_and_extracted_values_as_its_spec_says(monkeypatch):
    from indexer.ingest.entities import Entities
    found = Entities(people=["Bo Chan"], countries=["France"], countries_mentioned=["Spain", "France"],
                     organisations=["Acme Corp", "Globex"])
    monkeypatch.setattr(pipeline, "extract", lambda *args, **kwargs: found)
    raw = RawArticle("x.json", "Title", "Body.", given={"org": ["acme corp", "Initech"], "author": ["Ann Lee"],
                                                        "country": ["spain"]})
    art = pipeline.to_article(raw, "x.json", "h")
    # given first, then extracted, without repeats; authors are given only; a scoped facet's mentions apart
    assert art.facets == {"country": ["Spain", "France"], "person": ["Bo Chan"],
                          "org": ["acme corp", "Initech", "Globex"], "author": ["Ann Lee"]}
    assert art.mentioned == {}
    alone = pipeline.to_article(RawArticle("y.txt", "Title", "Body."), "y.txt", "h")
    assert alone.facets["org"] == ["Acme Corp", "Globex"] and alone.mentioned == {"country": ["Spain"]}
