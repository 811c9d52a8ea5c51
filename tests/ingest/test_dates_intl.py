"""Dates written in other languages, in text datelines and web pages, and the page's own day when
only a UTC moment is given (invented lines and pages)."""
import datetime as dt

import pytest

from indexer.ingest.readers._common import date_in_text, find_dateline, is_date_line
from indexer.ingest.readers.html import local_day_possible, parse_html
from indexer.ingest.readers.months import is_weekday, month_number
from indexer.ingest.readers.text import parse_text

OCT7 = dt.date(2020, 10, 7)


@pytest.mark.parametrize("text", ["7 octobre 2020", "7. Oktober 2020", "7 de octubre de 2020", "7 ottobre 2020",
                                  "7 oktober 2020", "7 de outubro de 2020", "7 oct. 2020", "7. Okt. 2020",
                                  "7 ott 2020", "7 okt 2020"])
def test_a_day_with_a_month_name_of_another_language(text):
    found = date_in_text(f"Publié {text}, mis à jour plus tard")
    assert found is not None and found[0] == OCT7


def test_first_of_the_month_ordinals_and_weekdays():
    assert date_in_text("1er mai 2020")[0] == dt.date(2020, 5, 1)
    assert date_in_text("1º de maio de 2020")[0] == dt.date(2020, 5, 1)
    assert is_date_line("mercredi 7 octobre 2020")
    assert is_date_line("Mittwoch, 7. Oktober 2020, 10:30")
    assert not is_date_line("Le conseil a voté le 7 octobre 2020 la fin du projet")


def test_no_date_from_a_word_that_is_no_month():
    assert date_in_text("12 personnes en 2020") is None
    assert month_number("maison") is None and month_number("Okt.") == 10 and is_weekday("sábado")


def test_a_text_dateline_in_french_and_german():
    date, index = find_dateline(["Le conseil municipal", "mardi 6 octobre 2020", "Le maire a annoncé..."])
    assert (date, index) == (dt.date(2020, 10, 6), 1)
    article = parse_text("Neue Brücke für die Altstadt\n\n6. Oktober 2020\n\nDer Stadtrat hat gestern "
                         "beschlossen, die alte Brücke zu ersetzen.\n", "brucke.txt")
    assert article.date == dt.date(2020, 10, 6) and "Oktober" not in article.body


def _page(head: str, shown: str, lang: str = "fr") -> bytes:
    return f"""<!doctype html><html lang="{lang}"><head><title>Le pont de pierre rouvre</title>{head}</head>
<body><article><h1>Le pont de pierre rouvre</h1><p class="date">{shown}</p>
<p>Le conseil municipal a voté mardi la réouverture du vieux pont de pierre, fermé depuis deux ans pour
des travaux de consolidation des piles et du tablier.</p>
<p>Les habitants du quartier attendaient cette décision depuis longtemps et se sont réunis devant la
mairie pour saluer le vote des élus.</p></article></body></html>""".encode()


def test_a_page_day_written_with_a_month_name_of_its_language():
    assert parse_html(_page("", "Publié le 7 octobre 2020"), "p.html").date == OCT7


def test_a_late_utc_moment_takes_the_day_the_page_shows():
    # 02:30 UTC on the 8th is the evening of the 7th in the Americas: the page shows the 7th
    head = '<meta property="article:published_time" content="2020-10-08T02:30:00Z">'
    assert parse_html(_page(head, "7 de outubro de 2020", "pt-BR"), "p.html").date == OCT7


def test_a_utc_moment_stays_when_the_page_shows_the_same_day_or_none():
    head = '<meta property="article:published_time" content="2020-10-07T02:30:00Z">'
    assert parse_html(_page(head, "7 octobre 2020"), "p.html").date == OCT7
    assert parse_html(_page(head, "Rédaction"), "p.html").date == OCT7


def test_an_offset_elsewhere_on_the_page_gives_the_local_day():
    head = ('<meta property="article:published_time" content="2020-10-07T20:30:00-05:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-10-08T01:30:00Z"}</script>')
    assert parse_html(_page(head, "Rédaction"), "p.html").date == OCT7


def test_which_local_days_a_utc_hour_allows():
    assert local_day_possible(OCT7, 11, OCT7 - dt.timedelta(days=1))        # UTC-12 still on the 6th
    assert not local_day_possible(OCT7, 13, OCT7 - dt.timedelta(days=1))    # no zone is
    assert local_day_possible(OCT7, 11, OCT7)
    assert not local_day_possible(OCT7, 22, OCT7 + dt.timedelta(days=1))    # the day after: kept as UTC
    assert not local_day_possible(OCT7, 12, OCT7 + dt.timedelta(days=2))
