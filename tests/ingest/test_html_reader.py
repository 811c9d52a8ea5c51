"""The HTML reader on small hand-written pages, one per kind of page that real sites produce:
where the story is, what stays out of it, the publication day and the authors."""
import datetime as dt
from pathlib import Path

import pytest

from indexer.model import SkipFile
from indexer.ingest.readers import read_file
from indexer.ingest.readers._common import byline_names, clean_author_names
from indexer.ingest.readers.html import numeric_date, parse_html

PAGES = Path(__file__).parents[1] / "fixtures" / "readers" / "pages"
STORY_START = "The county council voted on Tuesday"
STORY_END = "never expected to see the bridge open in their lifetime."


def page(name):
    return parse_html((PAGES / name).read_bytes(), str(PAGES / name))


def test_a_teaser_article_is_not_taken_for_the_story():
    a = page("teaser_article.html")
    assert a.body.startswith(STORY_START) and a.body.endswith(STORY_END)
    assert "library" not in a.body.lower()


@pytest.mark.parametrize("name", ["header_wrapper.html", "nav_wrapper.html"])
def test_a_header_or_nav_wrapping_the_whole_page_is_kept(name):
    a = page(name)
    assert STORY_START in a.body and STORY_END in a.body
    assert "Home" not in a.body.split("\n\n")[0]


def test_a_class_that_only_says_the_page_has_a_sidebar_keeps_the_story():
    a = page("sidebar_class.html")
    assert a.body.startswith(STORY_START) and a.body.endswith(STORY_END)
    assert "Popular this week" not in a.body


def test_a_story_split_over_sibling_blocks_and_text_outside_paragraphs():
    a = page("split_story.html")
    assert a.body.startswith(STORY_START) and a.body.endswith(STORY_END)
    assert "without any paragraph tags around it at all." in a.body
    assert "keep that text as well" in a.body
    assert "Jobs" not in a.body
    assert len(a.body.split("\n\n")) == 6


def test_bylines_updated_lines_related_lists_tags_appeals_and_repeats_leave_the_body():
    a = page("body_junk.html")
    paras = a.body.split("\n\n")
    assert paras[0].startswith(STORY_START)
    assert paras[-1].endswith(STORY_END)
    for junk in ("By Jane Doe", "Updated", "Flood closes bridge", "More on this story", "Filed under", "donate"):
        assert junk not in a.body, junk
    assert a.body.count("The old bridge seen from the east bank") == 1
    assert a.given.get("author", []) == ["Jane Doe", "Robert Roe"]


def test_a_day_only_in_visible_text():
    assert page("date_visible.html").date == dt.date(2020, 3, 11)
    assert page("date_visible_numeric.html").date == dt.date(2020, 3, 17)


def test_numeric_dates_day_first_unless_us_english_or_unambiguous():
    assert numeric_date("17/03/2020") == dt.date(2020, 3, 17)
    assert numeric_date("03/17/2020", "en-GB") == dt.date(2020, 3, 17)     # only one reading
    assert numeric_date("04/03/2020", "en-GB") == dt.date(2020, 3, 4)
    assert numeric_date("04/03/2020", "en-US") == dt.date(2020, 4, 3)
    assert numeric_date("no date here") is None


def test_lenient_json_ld_is_read_and_preferred_over_article_published_time():
    a = page("date_jsonld_lenient.html")       # a raw newline in a string, a second object after it
    assert a.date == dt.date(2020, 3, 5)
    assert a.title == "Council votes to rebuild stone bridge"
    assert a.given.get("author", []) == ["Jane Doe", "Robert Roe"]


def test_dublin_core_meta_and_rdf_dates():
    assert page("date_dc.html").date == dt.date(2020, 3, 7)
    assert page("date_rdf.html").date == dt.date(2020, 3, 8)


def test_the_page_own_local_day_wins_over_the_utc_day():
    assert page("date_local_day.html").date == dt.date(2020, 3, 11)


def test_authors_from_meta_rel_author_and_byline_not_the_publisher():
    assert page("authors_meta.html").given.get("author", []) == ["Jane Doe"]
    assert page("authors_rel.html").given.get("author", []) == ["Jane Doe"]
    a = page("authors_publisher.html")
    assert a.given.get("author", []) == ["Robert Roe"]                 # no place, no date, not the publisher
    assert a.date == dt.date(2020, 3, 4)


def test_byline_names():
    assert byline_names("By Jane Doe and Robert Roe, Reuters") == ["Jane Doe", "Robert Roe"]
    assert byline_names("BY JANE DOE | March 3, 2020") == ["JANE DOE"]
    assert byline_names("Written by María de la Cruz") == ["María de la Cruz"]
    assert byline_names("By Jane Doe, Washington") == ["Jane Doe"]
    assert byline_names("By the time the rain stopped, the river had risen.") == []
    assert byline_names("Jane Doe wrote this") == []
    assert clean_author_names(["Jane Doe", "jane doe", "https://example.org/jane", "Staff Reporter"]) == ["Jane Doe"]


def test_a_page_without_story_text_is_skipped_not_failed():
    with pytest.raises(SkipFile):
        parse_html(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "x.html")


def test_text_and_json_readers_fill_authors(tmp_path):
    txt = tmp_path / "story.txt"
    txt.write_text("Council votes to rebuild stone bridge\n\nBy Jane Doe\n\n"
                   "The county council voted on Tuesday to rebuild the old stone bridge over the river.\n")
    [a] = list(read_file(txt))
    assert a.given.get("author", []) == ["Jane Doe"] and "By Jane Doe" not in a.body
    js = tmp_path / "a.jsonl"
    js.write_text('{"title": "One", "body": "The council voted to rebuild the bridge.", "author": "By Jane Doe"}\n'
                  '{"title": "Two", "body": "The council voted to rebuild the bridge.", '
                  '"authors": [{"name": "Robert Roe"}, "Jane Doe"]}\n')
    assert [a.given.get("author", []) for a in read_file(js)] == [["Jane Doe"], ["Robert Roe", "Jane Doe"]]


def test_teasers_after_a_closing_heading_credits_and_author_notes_leave_the_body():
    a = page("tail_teasers.html")
    assert a.body.startswith(STORY_START)
    assert a.body.endswith("a little way downstream.")
    for junk in ("Photo:", "is a reporter", "Related stories", "Flood closes", "hours ago", "public meeting"):
        assert junk not in a.body, junk
    assert a.given.get("author", []) == ["Jane Doe"]


def test_sections_whose_id_is_a_heading_slug_are_not_furniture():
    a = page("slug_ids.html")          # ids "sharing-with-…", "shared-history-…": headings, not share bars
    assert "each can amend a commit" in a.body and "amended many times" in a.body
    assert "Tweet" not in a.body


def test_a_closing_heading_followed_by_long_paragraphs_is_a_section_of_the_story():
    long = " ".join(["The council said the repairs would be paid for from the roads budget this year."] * 5)
    html = (f"<html><body><div class='story'><p>{long} One.</p><p>{long} Two.</p><p>{long} Three.</p>"
            f"<h2>More on the budget</h2><p>{long} The last section.</p></div></body></html>")
    a = parse_html(html, "x.html")
    assert a.body.endswith("The last section.") and "More on the budget" in a.body


def test_a_json_ld_headline_that_is_a_description_gives_way_to_the_page_title():
    story = "<p>" + "The council voted to rebuild the old stone bridge over the river this week. " * 4 + "</p>"
    ld = '<script type="application/ld+json">{"@type": "Article", "headline": "%s"}</script>'
    page_html = "<html><head><title>Stone bridge - Valley Wiki</title>%s</head><body><h1>Stone bridge</h1>%s</body></html>"
    assert parse_html(page_html % (ld % "a crossing in the north of the county", story), "x.html").title == "Stone bridge"
    assert parse_html(page_html % (ld % "Stone bridge to be rebuilt", story), "x.html").title == "Stone bridge to be rebuilt"


def test_inline_read_more_and_related_links_leave_the_body():
    story = "".join(f"<p>Paragraph {i} of the council story about the stone bridge and its long repair.</p>"
                    for i in range(6))
    promo = ("<p>READ MORE: <a href='/x'>Flood closes the bridge</a></p>"
             "<p>Related: <a href='/y'>Villages split over repair costs</a></p>")
    cut = story.index("<p>Paragraph 3")
    a = parse_html(f"<html><head><title>Bridge</title></head><body><div class='story'>{story[:cut]}{promo}"
                   f"{story[cut:]}</div></body></html>", "x.html")
    assert "Flood closes" not in a.body and "Villages split" not in a.body
    assert a.body.count("of the council story") == 6


def test_author_names_in_the_forms_pages_write_them():
    assert clean_author_names("Kooman, F.") == ["F. Kooman"]                 # Dublin Core order
    assert clean_author_names("Par Sébastien Farcis") == ["Sébastien Farcis"]
    assert clean_author_names("Von Max Mustermann") == ["Max Mustermann"]
    assert clean_author_names("Martin Untersinger (avec Damien Leloup)") == ["Martin Untersinger", "Damien Leloup"]
    assert clean_author_names("Andrew Hayden, Software Engineer") == ["Andrew Hayden"]
    assert clean_author_names("Richard (R.J.) Eskow") == ["Richard (R.J.) Eskow"]
    assert clean_author_names("Organization for Transformative Works") == []
    assert clean_author_names("Mac & i") == [] and clean_author_names("J J") == []


def test_commenters_bylines_are_not_the_authors():
    story = "<p>" + "The council voted to rebuild the old stone bridge over the river this week. " * 4 + "</p>"
    html = (f"<html><body><div class='story'>{story}<div class='author-name'>Jane Doe</div></div>"
            f"<div id='comments'><div class='comment'><div class='byline'>Sam Commenter</div>"
            f"<p>Nice.</p></div></div></body></html>")
    bare = html.replace("<div class='author-name'>Jane Doe</div>", "")
    assert parse_html(bare, "x.html").given.get("author", []) == []
    assert parse_html(html, "x.html").given.get("author", []) == ["Jane Doe"]


def test_teaser_cards_with_bylines_after_the_story_leave_the_body():
    story = "".join(f"<p>Paragraph {i} of the council story about the stone bridge, its arches and its long "
                    f"repair, told at some length so that it is most of the page.</p>" for i in range(8))
    cards = "".join(f"<div class='card'><h3>Other story number {n} about the valley</h3>"
                    f"<p>A short blurb about other story number {n}.</p><p>By Alma {n}son</p></div>"
                    for n in ("One", "Two", "Three"))
    a = parse_html(f"<html><head><title>Bridge</title></head><body><div class='story'>{story}{cards}"
                   f"</div></body></html>", "x.html")
    assert a.body.endswith("most of the page.") and "Other story" not in a.body and "Alma" not in a.body
    assert a.body.count("of the council story") == 8
