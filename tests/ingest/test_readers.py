"""Input readers: every format, hostile files, folder walking, and the shared corpora when present."""
import datetime as dt
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest

import indexer.ingest.readers as readers
from indexer import settings
from indexer.model import (SKIP_EMPTY, SKIP_NOT_ARTICLE, SKIP_TOO_LARGE, SKIP_UNREADABLE,
                           RawArticle, Skipped, SkipFile)
from indexer.ingest.readers import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, iter_files, read_file
from indexer.ingest.readers._common import parse_date
from indexer.ingest.readers.html import strip_site_name

FIX = Path(__file__).parents[1] / "fixtures" / "readers"
SHARED = Path(os.environ.get("NEWSFACET_SHARED") or Path(__file__).resolve().parents[3] / "shared")
REUTERS_DIR = SHARED / "corpus" / "reuters21578"
WIKINEWS = SHARED / "corpus" / "wikinews_2019_2020" / "wikinews_2019_2020.jsonl"


def one(path) -> RawArticle:
    results = list(read_file(Path(path)))
    assert len(results) == 1 and isinstance(results[0], RawArticle), results
    return results[0]


def skip_reason(path) -> SkipFile:
    with pytest.raises(SkipFile) as exc:
        list(read_file(Path(path)))
    return exc.value


def write(tmp_path, name, content) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# --------------------------------------------------------------------------- plain text

def test_seed_article():
    a = one(FIX / "voa-2004-02-20.txt")
    assert a.title == "US Official Says Only Modest Progress Expected at North Korean Nuclear Talks"
    assert a.date == dt.date(2004, 2, 20)
    assert a.body.startswith("A senior Bush administration official")
    assert a.body.endswith("before heading to Beijing for the six-party talks.")
    for furniture in ("Accessibility links", "Breaking News", "2004-02-20"):
        assert furniture not in a.body
    assert a.body.count("\n\n") == 11                       # 12 paragraphs, one blank line apart
    assert a.position is None and a.source == str(FIX / "voa-2004-02-20.txt")


def test_plain_text_without_title_line():
    a = one(FIX / "plain.txt")
    assert a.title == "Orchard Growers Report Record Apple Harvest"
    assert a.date == dt.date(2019, 1, 4)
    assert a.dateline == "Friday, January 4, 2019"
    assert a.body.startswith("Apple growers in the northern valley")
    assert "Background" in a.body                            # a short sub-heading survives
    assert "Home" not in a.body and "Share this" not in a.body and "Related" not in a.body
    assert "Friday" not in a.body


@pytest.mark.parametrize("second_line, expected", [
    ("2018-07-09", dt.date(2018, 7, 9)),
    ("Published 9 July 2018, 10:42", dt.date(2018, 7, 9)),
    ("04/05/2019", None),                                   # ambiguous day/month: no guess
    ("Flight 2018 landed at 10 past 7", None),              # numbers are not dates
    ("The bridge, which opened on 4 March 1932 after years of work, is being repainted.", None),
])
def test_plain_text_dates(tmp_path, second_line, expected):
    path = write(tmp_path, "a.txt", f"River Ferry Timetable Changes\n{second_line}\n\n"
                                    "The river ferry will run every twenty minutes from Monday.\n")
    assert one(path).date == expected


def test_dated_line_inside_text_is_not_a_title_line(tmp_path):
    path = write(tmp_path, "t.txt", "Council Meetings This Spring\n\nThe council will meet on these dates.\n\n"
                                    "Budget review - 2019-03-04\n")
    a = one(path)
    assert a.title == "Council Meetings This Spring"
    assert a.body.startswith("The council will meet") and a.body.endswith("Budget review - 2019-03-04")


def test_text_with_long_first_line_is_all_body(tmp_path):
    para = "The committee met on Tuesday and agreed " + "to a long list of measures, " * 10 + "officials said."
    a = one(write(tmp_path, "p.txt", para + "\n\nA second paragraph follows here.\n"))
    assert a.body.startswith("The committee met")
    assert a.title.startswith("The committee met") and len(a.title) <= 101


def test_word_list_is_not_an_article(tmp_path):
    assert skip_reason(write(tmp_path, "list.txt", "amex\nase\nbse\ncbt\n")).reason == SKIP_NOT_ARTICLE


def test_txt_that_is_html_is_sniffed(tmp_path):
    path = write(tmp_path, "page.txt", "<!DOCTYPE html><html><head><title>Snow Closes Pass</title></head>"
                                       "<body><p>Heavy snow closed the mountain pass on Sunday.</p></body></html>")
    a = one(path)
    assert a.title == "Snow Closes Pass" and a.body == "Heavy snow closed the mountain pass on Sunday."


# --------------------------------------------------------------------------- HTML

def test_html_full_article():
    a = one(FIX / "full_article.html")
    assert a.title == "Harbour Bridge Reopens After Storm Repairs"
    assert a.date == dt.date(2019, 1, 1)                    # JSON-LD datePublished wins over article:published_time
    assert a.url == "https://daily.example.org/2021/06/03/harbour-bridge-reopens"
    assert a.body.startswith("The Harbour Bridge reopened to traffic on Thursday, three weeks after")
    assert "What changed" in a.body and "Brighter lighting for cyclists." in a.body
    assert '"It was a long detour," one cyclist said.' in a.body
    for junk in ("Skip to main content", "cookies", "Share on Facebook", "Tweet", "Advertisement",
                 "Storm hits coast", "First comment", "Most read", "Copyright", "tracker", "Home",
                 "console.log", "By Ada Quill"):
        assert junk not in a.body, junk
    assert "\n\n\n" not in a.body


def test_html_json_ld_graph_and_title_suffix():
    a = one(FIX / "jsonld_graph.html")
    assert a.date == dt.date(2018, 9, 14)
    assert a.title == "Quarry Museum Opens Its Doors"
    assert a.body == ("A museum built inside a disused limestone quarry welcomed its first visitors on Friday."
                      "\n\nThe exhibition traces two centuries of stone cutting in the valley.")


def test_html_time_element_and_h1_title():
    a = one(FIX / "time_only.html")
    assert a.title == "Night Market Returns to the Old Town"
    assert a.date == dt.date(2015, 11, 27)
    assert "roasted chestnuts" in a.body and "Night Market Returns" not in a.body


def test_html_date_from_url_and_largest_text_block():
    a = one(FIX / "url_date.html")
    assert a.date == dt.date(2011, 3, 14)
    assert a.url == "https://archive.example.net/2011/03/14/tide-gauge-installed.html"
    assert a.body.startswith("A new tide gauge") and "Weather" not in a.body


def test_truncated_html_still_parses():
    a = one(FIX / "truncated.html")
    assert a.title == "Cut Short"
    assert a.body.startswith("The council voted on Tuesday")


def test_html_json_ld_list_and_meta_date(tmp_path):
    page = ('<html><head><script type="application/ld+json">[{"@type": "Organization"},'
            '{"@type": "Article", "datePublished": "2012-12-21"}]</script></head>'
            '<body><h1>Solstice</h1><p>The longest night of the year passed quietly.</p></body></html>')
    assert one(write(tmp_path, "a.html", page)).date == dt.date(2012, 12, 21)
    page = ('<html><head><meta name="dc.date" content="2003-04-05"></head>'
            '<body><p>A page dated by Dublin Core metadata only.</p></body></html>')
    assert one(write(tmp_path, "b.html", page)).date == dt.date(2003, 4, 5)


def test_html_latin1_with_meta_charset(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            '<title>Fête du village</title></head><body><p>La fête a réuni tout le village à Noël.</p>'
            '</body></html>')
    a = one(write(tmp_path, "fr.html", page.encode("latin-1")))
    assert a.title == "Fête du village" and a.body == "La fête a réuni tout le village à Noël."


def test_html_without_text_is_skipped(tmp_path):
    assert skip_reason(write(tmp_path, "e.html", "<html><head><title></title></head><body> </body></html>")
                       ).reason == SKIP_EMPTY
    nav_only = '<html><body><nav><a href="/">Home</a> <a href="/a">About</a></nav></body></html>'
    assert skip_reason(write(tmp_path, "n.html", nav_only)).reason == SKIP_NOT_ARTICLE


def test_deeply_nested_html_does_not_crash(tmp_path):
    depth = 30_000
    page = "<html><body>" + "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth + "</body></html>"
    path = write(tmp_path, "deep.html", page)
    try:
        results = list(read_file(path))
    except SkipFile as e:
        assert e.reason in (SKIP_UNREADABLE, SKIP_EMPTY, SKIP_NOT_ARTICLE)
    else:
        assert all(isinstance(r, RawArticle) for r in results)


@pytest.mark.parametrize("raw, site, expected", [
    ("Harbour Reopens | Newsfacet Daily", None, "Harbour Reopens"),
    ("Harbour Reopens | World | Newsfacet Daily", None, "Harbour Reopens"),
    ("Storm closes schools across the region - BBC News", None, "Storm closes schools across the region"),
    ("Valley Herald: Quarry museum opens", "Valley Herald", "Quarry museum opens"),
    ("Jobs - the early years of a founder", None, "Jobs - the early years of a founder"),
])
def test_strip_site_name(raw, site, expected):
    assert strip_site_name(raw, site) == expected


# --------------------------------------------------------------------------- JSON / JSONL

def test_jsonl_good_bad_and_wrong_types():
    results = list(read_file(FIX / "articles.jsonl"))
    assert len(results) == 9                                  # the blank line is not an article
    # articles by position (non-blank lines from 0); skipped lines by their line number in the file, from 1
    by_pos = {(r.position if isinstance(r, RawArticle) else int(r.source.rsplit("#line ", 1)[1]) - 2): r
              for r in results}
    assert sorted(by_pos) == list(range(9))             # line 2 is blank: line N holds position N - 2
    first = by_pos[0]
    assert (first.title, first.date, first.url, first.given_id) == (
        "Lighthouse keeper retires after forty years", dt.date(2020, 5, 1),
        "https://news.example.com/lighthouse", "1")
    assert first.given == {"person": ["Mara Venn"], "country": ["Freedonia", "Sylvania"]}
    assert isinstance(by_pos[1], Skipped) and by_pos[1].reason == SKIP_UNREADABLE
    assert "invalid JSON" in by_pos[1].detail
    assert by_pos[2].title == "2020" and by_pos[2].body == "First paragraph of a list body.\n\nSecond paragraph."
    assert by_pos[3].reason == SKIP_NOT_ARTICLE and "object" in by_pos[3].detail
    assert by_pos[4].title == "Garbage date" and by_pos[4].date is None
    assert by_pos[5].reason == SKIP_NOT_ARTICLE
    assert by_pos[6].reason == SKIP_EMPTY
    ferry = by_pos[7]
    assert ferry.date == dt.date(2019, 1, 4) and ferry.dateline == "Friday, January 4, 2019"
    assert ferry.body == "The island ferry resumed service yesterday after repairs.\n\nPassengers queued from dawn."
    assert by_pos[8].date == dt.date(2019, 1, 5)             # from the dateline when no date field
    assert all(r.source.startswith(str(FIX / "articles.jsonl")) for r in results)


def test_json_wrapper_list():
    results = list(read_file(FIX / "articles.json"))
    assert [type(r).__name__ for r in results] == ["RawArticle", "RawArticle", "Skipped", "Skipped"]
    a, b, c, d = results
    assert a.date == dt.date(2017, 3, 14) and a.given.get("person", []) == ["Tom Reed", "Ann Ley"] and a.position == 0
    assert b.title == "Two part title" and b.date == dt.date(2017, 3, 15)   # epoch seconds
    assert c.source.endswith("articles.json#2") and d.detail == "title is a boolean"


def test_json_single_object_and_file_level_failures(tmp_path):
    a = one(write(tmp_path, "one.json", '{"title": "Solo", "content": "Only one article here.", "id": 7}'))
    assert a.position is None and a.given_id == "7"
    assert skip_reason(write(tmp_path, "bad.json", '{"title": "x", ')).reason == SKIP_UNREADABLE
    assert skip_reason(write(tmp_path, "empty.json", "[]")).reason == SKIP_EMPTY
    assert skip_reason(write(tmp_path, "num.json", "42")).reason == SKIP_NOT_ARTICLE
    assert skip_reason(write(tmp_path, "nums.json", "[1, 2, 3]")).reason == SKIP_NOT_ARTICLE
    assert skip_reason(write(tmp_path, "obj.json", '{"title": {"a": 1}, "body": "x"}')).reason == SKIP_NOT_ARTICLE


@pytest.mark.parametrize("content", ['{"title": 5, "body": null}', '{"title": null, "text": 17}',
                                     '{"title": "12", "body": "3.5 %"}', '{"nothing": "here"}'])
def test_json_numbers_alone_are_not_an_article(tmp_path, content):
    assert skip_reason(write(tmp_path, "n.json", content)).reason in (SKIP_NOT_ARTICLE, SKIP_EMPTY)


def test_json_lines_saved_as_json(tmp_path):
    path = write(tmp_path, "lines.json", '{"title": "A", "body": "First one."}\n{"title": "B", "body": "Second."}\n')
    assert [r.title for r in read_file(path)] == ["A", "B"]


def test_jsonl_line_over_cap_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 200)
    big = '{"title": "Big", "body": "' + "x " * 500 + '"}'
    path = write(tmp_path, "cap.jsonl", '{"title": "Small", "body": "Fits."}\n' + big + "\n"
                                        '{"title": "After", "body": "Still read."}\n')
    results = list(read_file(path))
    assert [r.title if isinstance(r, RawArticle) else r.reason for r in results] == [
        "Small", SKIP_TOO_LARGE, "After"]
    assert results[1].source.endswith("cap.jsonl#line 2") and results[2].position == 2


def test_jsonl_binary_and_empty(tmp_path):
    assert skip_reason(write(tmp_path, "b.jsonl", b"\x00\x00\x01\x02" * 100)).reason == SKIP_UNREADABLE
    assert skip_reason(write(tmp_path, "e.jsonl", b"\n\n")).reason == SKIP_EMPTY


@pytest.mark.parametrize("value, expected", [
    ("2004-02-20T23:30:00-05:00", dt.date(2004, 2, 20)),
    ("Fri, 20 Feb 2004 10:00:00 GMT", dt.date(2004, 2, 20)),
    ("February 20, 2004", dt.date(2004, 2, 20)),
    ("20/02/2004", dt.date(2004, 2, 20)),                    # day > 12: unambiguous
    ("02/03/2004", None),
    ("2004", None), ("March 2004", None), ("soon", None), ("", None), (None, None), (True, None),
    ("2004-02-30", None), ("1077235200", dt.date(2004, 2, 20)), (1077235200000, dt.date(2004, 2, 20)),
])
def test_parse_date_is_strict(value, expected):
    assert parse_date(value) == expected


# --------------------------------------------------------------------------- Reuters SGML

def _doc(newid: int, date: str, text: str, labels: str = "", text_attrs: str = "") -> str:
    """One <REUTERS> element in the layout the reader expects: invented content, built here so
    no corpus-shaped file is kept in the repository (the real files are read from ../shared)."""
    return (f'<REUTERS NEWID="{newid}">\n<DATE>{date}</DATE>\n{labels}'
            f'<UNKNOWN>&#5;&#5;control line {newid}</UNKNOWN>\n<TEXT{text_attrs}>&#2;\n{text}</TEXT>\n</REUTERS>\n')


def reuters_sample() -> str:
    """Six invented stories covering the reader's cases: a full story (entities, indented
    paragraphs, sign-off), a brief with trailing garbage in its DATE, an unprocessed table, a
    story without a BODY (with an AUTHOR line), one with no text, and one cut off mid-file."""
    return "".join([
        '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n',
        _doc(101, " 2-MAR-1987 09:30:12.05",
             "<TITLE>FREEDONIA MILLET CROP SEEN AT &lt;RECORD&gt; LEVEL</TITLE>\n"
             "<DATELINE>    FREEDONIA CITY, March 2 - </DATELINE><BODY>Freedonia's millet crop is expected "
             "to reach\na record 4.2 mln tonnes this season, the Millet &amp; Sorghum Board said.\n"
             "    The board said favourable rains in January lifted yields\nin the southern provinces.\n"
             "    Exports to &lt;Sylvania Trading Co&gt; are expected to\nrise to 900,000 tonnes, it added.\n"
             " Reuter\n&#3;</BODY>",
             labels="<PLACES><D>freedonia</D></PLACES>\n<PEOPLE><D>rufus-firefly</D></PEOPLE>\n"),
        _doc(102, "27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM",
             "******<TITLE>SYLVANIA CENTRAL BANK CUTS DISCOUNT RATE TO 5.5 PCT\n</TITLE>Blah blah blah.\n&#3;\n\n",
             text_attrs=' TYPE="BRIEF"'),
        _doc(103, "  5-APR-1987 14:00:00.00",
             "WIDGET ORDERS INDEX - APRIL 5\n    Week ended April 3\n New orders.........112.4 vs.....108.9\n"
             " Backlog...........87.1 vs......86.0\n&#3;\n\n", text_attrs=' TYPE="UNPROC"'),
        _doc(104, "  6-APR-1987 10:11:12.13",
             "<TITLE>GRANDVILLE PORT STRIKE ENDS</TITLE>\n<AUTHOR>    by Imaginary Reporter</AUTHOR>\n"
             "Dock workers in Grandville returned to work on Monday after\na two-week strike over shift "
             "patterns, union officials said.\n REUTER\n&#3;"),
        _doc(105, "  7-APR-1987 07:09:06.48", "&#3;\n\n", text_attrs=' TYPE="UNPROC"'),
        '<REUTERS NEWID="106">\n<DATE>  8-APR-1987 12:00:00.00</DATE>\n<TEXT>&#2;\n<TITLE>NOTHING AFTER THIS</TITLE>\n'
        '<DATELINE>    NOWHERE, April 8 - </DATELINE><BODY>The wire copy stops in the middle of a sen',
    ])


@pytest.fixture
def reuters_file(tmp_path) -> Path:
    """The invented sample written where the reader can read it."""
    return write(tmp_path, "reuters_sample.sgm", reuters_sample().encode("latin-1"))


def test_reuters_fixture(reuters_file):
    results = list(read_file(reuters_file))
    assert len(results) == 6
    normal, brief, unproc, no_body, empty, truncated = results
    src = str(reuters_file)

    assert normal.title == "FREEDONIA MILLET CROP SEEN AT <RECORD> LEVEL"
    assert normal.date == dt.date(1987, 3, 2) and normal.dateline == "FREEDONIA CITY, March 2"
    assert normal.given_id == "101" and normal.position == 0 and normal.source == src
    assert normal.body.startswith("Freedonia's millet crop is expected to reach a record 4.2 mln tonnes")
    assert "Millet & Sorghum Board" in normal.body and "<Sylvania Trading Co>" in normal.body
    assert normal.body.endswith("it added.") and "Reuter" not in normal.body
    assert normal.body.count("\n\n") == 2                    # indented lines start paragraphs
    assert normal.given.get("person", []) == [] and normal.given.get("country", []) == []   # labels are not input

    assert brief.title == "SYLVANIA CENTRAL BANK CUTS DISCOUNT RATE TO 5.5 PCT"
    assert brief.body == "" and brief.date == dt.date(1987, 3, 27)      # trailing garbage in DATE

    assert unproc.title == "WIDGET ORDERS INDEX - APRIL 5"
    assert unproc.body.startswith("Week ended April 3\nNew orders")

    assert no_body.title == "GRANDVILLE PORT STRIKE ENDS"
    assert no_body.body.startswith("Dock workers in Grandville") and "REUTER" not in no_body.body
    assert "Imaginary Reporter" not in no_body.body

    assert isinstance(empty, Skipped) and empty.reason == SKIP_EMPTY and empty.source == src + "#4"
    assert isinstance(truncated, Skipped) and truncated.source == src + "#5"
    for r in results:
        if isinstance(r, RawArticle):
            assert not re.search(r"[\x00-\x08\x0b-\x1f]", r.title + r.body)


def test_reuters_missing_tags_best_effort(tmp_path):
    sgm = ('<REUTERS NEWID="1"><TITLE>NO TEXT ELEMENT</TITLE></REUTERS>\n'
           '<REUTERS NEWID="2"><DATE>1-MAR-1987</DATE><PLACES><D>usa</D></PLACES></REUTERS>\n'
           '<REUTERS NEWID="3"><DATE>2-MAR-1987</DATE><TEXT><BODY>Cut off without closing tags\n'
           '<REUTERS NEWID="4"><TEXT><TITLE>FOUR</TITLE><BODY>Body of four.</BODY></TEXT></REUTERS>')
    r = list(read_file(write(tmp_path, "m.sgm", sgm)))
    assert (r[0].title, r[0].body, r[0].given_id) == ("NO TEXT ELEMENT", "", "1")
    assert r[1].reason == SKIP_EMPTY                          # labels are not text
    assert r[2].reason == SKIP_UNREADABLE and r[2].source.endswith("#2")
    assert (r[3].title, r[3].body, r[3].position) == ("FOUR", "Body of four.", 3)
    assert skip_reason(write(tmp_path, "none.sgm", "no documents here")).reason == SKIP_EMPTY


def test_reuters_article_over_cap(tmp_path, monkeypatch):
    text = reuters_sample()
    first_end = text.index("</REUTERS>") + len("</REUTERS>")
    huge = text[:first_end].replace("a record 4.2", "a record " + "very " * 3000 + "4.2")
    path = write(tmp_path, "cap.sgm", (huge + text[first_end:]).encode("latin-1"))
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 4000)
    results = list(read_file(path))
    assert results[0].reason == SKIP_TOO_LARGE and results[0].source.endswith("#0")
    assert results[1].title.startswith("SYLVANIA") and results[1].position == 1
    assert len(results) == 6


# --------------------------------------------------------------------------- hostile files

def test_hostile_single_article_files(tmp_path):
    assert skip_reason(write(tmp_path, "bin.txt", bytes(range(256)) * 8)).reason == SKIP_UNREADABLE
    assert skip_reason(write(tmp_path, "bin.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")).reason == SKIP_UNREADABLE
    assert skip_reason(write(tmp_path, "empty.txt", b"")).reason == SKIP_EMPTY
    assert skip_reason(write(tmp_path, "blank.html", b"  \n\t \n")).reason == SKIP_EMPTY
    assert skip_reason(write(tmp_path, "furniture.txt", "Home\nMenu\nShare this\n")).reason == SKIP_NOT_ARTICLE


def test_nul_bytes_and_invalid_utf8_in_the_middle(tmp_path):
    a = one(write(tmp_path, "nul.txt", b"Ferry Strike Ends\n\nThe strike ended\x00 on Monday after talks.\n"))
    assert a.body == "The strike ended on Monday after talks."
    raw = "Café Owners Protest\n\nThe café owners said the new rules hurt business.\n".encode()
    a = one(write(tmp_path, "bad.txt", raw.replace(b"new", b"n\xffew")))
    assert a.title == "Café Owners Protest" and a.body.startswith("The café owners said")


def test_latin1_text_file(tmp_path):
    text = "Élection à Genève\n\nLes électeurs de Genève ont approuvé le projet de crèche.\n"
    a = one(write(tmp_path, "fr.txt", text.encode("latin-1")))
    assert a.title == "Élection à Genève" and "crèche" in a.body


def test_file_over_size_cap_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)                           # sparse: no disk space used
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    err = skip_reason(path)
    assert err.reason == SKIP_TOO_LARGE and opened == []


def test_unexpected_reader_error_becomes_skipfile(tmp_path, monkeypatch):
    from indexer.ingest.readers import text as text_reader

    def boom(*_args):
        raise ValueError("reader bug")
    monkeypatch.setattr(text_reader, "parse_text", boom)
    err = skip_reason(write(tmp_path, "x.txt", "Title\n\nSome body text here.\n"))
    assert err.reason == SKIP_UNREADABLE and "ValueError" in err.detail


# --------------------------------------------------------------------------- iter_files

def test_iter_files_walks_sorted_and_skips_hidden(tmp_path):
    for rel in ("b/2.html", "b/1.txt", "a.json", "c.jsonl", "d.SGM", "notes.md", "image.png",
                ".hidden.txt", ".git/config.txt", "b/.DS_Store", "b/sub/deep.htm"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a.json", "b/1.txt", "b/2.html", "b/sub/deep.htm", "c.jsonl", "d.SGM"]
    assert {".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".sgm"} <= SUPPORTED_SUFFIXES


def test_iter_files_symlink_loop_and_broken_link(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    (tmp_path / "alias").symlink_to(tmp_path / "d")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    results = list(iter_files([tmp_path]))
    paths = [r for r in results if isinstance(r, Path)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert len(paths) == 1 and paths[0].name == "a.txt"
    assert [(Path(s.source).name, s.reason, s.detail) for s in skipped] == [
        ("gone.txt", SKIP_UNREADABLE, "broken symlink")]


def test_iter_files_explicit_paths(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(iter_files([tmp_path / "nope"]))
    md = tmp_path / "README.md"
    md.write_text("# readme")
    hidden = tmp_path / ".explicit.txt"
    hidden.write_text("x")
    results = list(iter_files([str(md), hidden]))
    assert isinstance(results[0], Skipped) and results[0].reason == SKIP_NOT_ARTICLE
    assert results[1] == hidden


def test_iter_files_permission_denied(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read files regardless of permissions")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("x")
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    locked.chmod(0)
    secret.chmod(0)
    try:
        results = list(iter_files([tmp_path]))
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)
    assert {(Path(r.source).name, r.reason) for r in results} == {
        ("locked", SKIP_UNREADABLE), ("secret.txt", SKIP_UNREADABLE)}


def test_iter_files_permission_errors_simulated(tmp_path, monkeypatch):
    """The unreadable branches, exercised even as root (where chmod does not stop reads)."""
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("x")
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / "ok.txt").write_text("x")
    real_scandir, real_access = os.scandir, os.access

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p).name != "secret.txt" and real_access(p, mode))
    results = list(iter_files([tmp_path]))
    assert [(Path(r.source).name, r.reason, r.detail) for r in results if isinstance(r, Skipped)] == [
        ("locked", SKIP_UNREADABLE, "permission denied"), ("secret.txt", SKIP_UNREADABLE, "permission denied")]
    assert [p.name for p in results if isinstance(p, Path)] == ["ok.txt"]


# --------------------------------------------------------------------------- shared corpora

@pytest.mark.shared
@pytest.mark.skipif(not REUTERS_DIR.is_dir(), reason="shared Reuters corpus not present")
def test_reuters_corpus_every_article_accounted_for():
    files = sorted(REUTERS_DIR.glob("reut2-*.sgm"))
    assert len(files) == 22
    started = time.perf_counter()
    articles, skipped = 0, Counter()
    sample = []
    for path in files:
        for r in read_file(path):
            if isinstance(r, RawArticle):
                articles += 1
                if r.position % 500 == 0:
                    sample.append(r)
            else:
                skipped[r.reason] += 1
    elapsed = time.perf_counter() - started
    assert articles + sum(skipped.values()) == 21578
    assert articles >= 21500
    assert elapsed < 30

    texts = {p: p.read_text("latin-1") for p in {Path(a.source) for a in sample}}
    months = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
    for a in sample:
        m = re.search(rf'NEWID="{a.given_id}">\s*<DATE>\s*(\d+)-(\w+)-(\d+)', texts[Path(a.source)])
        assert a.date == dt.date(int(m.group(3)), months[m.group(2)], int(m.group(1)))
        assert a.given.get("person", []) == [] and a.given.get("country", []) == []


@pytest.mark.shared
@pytest.mark.skipif(not WIKINEWS.is_file(), reason="shared Wikinews corpus not present")
def test_wikinews_jsonl():
    results = list(read_file(WIKINEWS))
    assert len(results) == 295 and all(isinstance(r, RawArticle) for r in results)
    assert all(r.date and r.url and r.title for r in results)
    assert sum(1 for r in results if not r.body) <= 2       # a dateline-only test page is title-only
    first = results[0]
    assert first.date == dt.date(2019, 1, 4) and first.dateline == "Friday, January 4, 2019"
    assert not first.body.startswith("Friday")
    assert [r.position for r in results] == list(range(295))


def test_json_reads_each_facet_s_given_keys(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "One", "body": "The council met.", "organisations": "Acme, Globex"}\n'
                    '{"title": "Two", "body": "The council met.", "organizations": [{"name": "Initech"}, "Hooli"],'
                    ' "people": [{"@type": "Person", "name": "Ann Lee"}], "author": "By Jane Doe and John Roe"}\n',
                    encoding="utf-8")
    one, two = read_file(path)
    assert one.given == {"org": ["Acme", "Globex"]}
    assert two.given == {"person": ["Ann Lee"], "org": ["Initech", "Hooli"], "author": ["Jane Doe", "John Roe"]}
