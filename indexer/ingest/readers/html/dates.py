"""A web page's publication day: from structured data in order of trust, else the day the page
shows near its headline or in an element named for dates; kept apart because it is the fiddliest
part of reading a page (time zones, day-first numeric dates)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from bs4 import Tag

from indexer.ingest.readers._common import date_in_text, date_in_url, is_date_line, make_date, parse_date

from .tree import class_names, gone, short_text

_DATE_META = ("article:published_time", "og:article:published_time", "article:published",
              "og:published_time", "published_time", "published-date", "published_date",
              "datepublished", "date", "pubdate", "pub_date", "publishdate", "publish-date", "publish_date",
              "publish_time", "publication_date", "publicationdate", "article_date_original",
              "dc.date", "dc.date.issued", "dc.date.created", "dc:date", "dc:date.issued", "dc:created",
              "dc.created", "dcterms.date", "dcterms.issued", "dcterms.created", "dcterms:date",
              "dcterms:issued", "dcterms:created", "prism.publicationdate", "citation_publication_date",
              "citation_date", "eprints.date", "sailthru.date", "parsely-pub-date", "bt:pubdate",
              "originalpublicationdate", "article.published", "article.created", "created", "datecreated")
_RDF_DATE = re.compile(r"""\bdc:date\s*=\s*["']([^"']{6,40})["']|<dc:date>\s*([^<]{6,40})<""", re.I)
_DATE_HINT = re.compile(r"date|time|byline|posted|publish|dateline|meta|info", re.I)
_NUMERIC_DATE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?![\d/.])")
_UTC = re.compile(r"(?:Z|[+-]00:?00|\b(?:UTC|GMT))\s*$", re.I)
_OFFSET = re.compile(r"[+-](\d{2}):?(\d{2})\s*$")
_VISIBLE_DATE_CHARS = 120
_SHOWN_DATE_WORDS = 8       # words besides the date in a date element ("By Jane Doe | 4 min read")
_NEAR_TITLE_BEFORE, _NEAR_TITLE_AFTER = 10, 40    # elements around the <h1> looked at for a dateline
_HAS_TIME = re.compile(r"[T\s](\d{1,2}):\d{2}")
_DATE_NOISE_FREE = re.compile(
    r"\b(?:published|updated|posted|last|modified|date|on|at|am|pm|utc|gmt|[ecmp][sd]t|bst|cet)\b|[\d\s,.:/()|–—-]", re.I)


def pick_date(meta: dict, ld: list[dict], tags: dict, url: Optional[str], raw: str):
    """The publication day from structured data, in order of trust: JSON-LD ``datePublished``
    (it names the story; ``article:published_time`` is sometimes the page's), the meta forms,
    ``itemprop=datePublished``, ``<time>``, RDF ``dc:date``, the URL. The day is the page's own
    local day: when the value chosen is in UTC and another one of the page gives the same
    moment with its own offset, that one's day is taken. Returns the day and, when it is a
    UTC moment's day, that moment's hour (the day shown on the page may then correct it)."""
    values = []
    for obj in ld:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            value = obj.get(key)
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, (str, int, float)):
                values.append(str(value))
    values += [meta[k] for k in _DATE_META if meta.get(k)]
    for el in tags.get("*", ()):
        if el.attrs.get("itemprop") == "datePublished" and el.name != "meta":
            value = el.get("datetime") or el.get("content") or el.get_text(" ", strip=True)
            if isinstance(value, str) and value.strip():
                values.append(value)
    chosen = None
    for value in values:
        date = parse_date(value)
        if date:
            chosen = (value, date)
            break
    if chosen:
        value, date = chosen
        hour = _HAS_TIME.search(value)
        utc = int(hour.group(1)) if hour and _UTC.search(value.strip()) else None
        if utc is not None:
            for other in values:
                m = _OFFSET.search(other.strip())
                local = parse_date(other)
                if m and m.group(1) + m.group(2) != "0000" and local and abs((local - date).days) == 1:
                    return local, None
        return date, utc
    date = _time_element_date(tags)
    if date:
        return date, None
    for m in _RDF_DATE.finditer(raw[:200_000]):
        date = parse_date(m.group(1) or m.group(2))
        if date:
            return date, None
    return date_in_url(url) or date_in_url(meta.get("og:url")), None


def numeric_date(text: str, lang: str = "") -> Optional["dt.date"]:
    """A day written 17/03/2020 or 03.17.2020: unambiguous when one number is above 12, else
    day first unless the page is in US (or unqualified) English."""
    m = _NUMERIC_DATE.search(text)
    if not m:
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if a > 12 or b > 12:
        return make_date(year, b, a) if a > 12 else make_date(year, a, b)
    month_first = lang.lower() in ("en", "en-us")
    return make_date(year, a, b) if month_first else make_date(year, b, a)


def visible_date(tags: dict, lang: str):
    """A day shown on the page ("March 11, 2020", "Posted 17/03/2020"), the first in page
    order among short texts in an element named for dates or bylines, a <time>, or a line
    near the headline that holds only a date; a story's own dates don't count."""
    every = tags.get("*", ())
    h1 = next((i for i, el in enumerate(every) if el.name == "h1" and not gone(el)), None)
    for i, el in enumerate(every):
        if gone(el) or el.name in ("html", "body", "head", "title", "script", "style", "meta"):
            continue
        named = el.name == "time" or bool(el.attrs) and bool(_DATE_HINT.search(
            " ".join(class_names(el)) + " " + str(el.attrs.get("itemprop", ""))))
        near = h1 is not None and -_NEAR_TITLE_BEFORE <= i - h1 <= _NEAR_TITLE_AFTER
        if not (named or near):
            continue
        text = short_text(el, _VISIBLE_DATE_CHARS)
        if not text:
            continue
        date = _shown_day(text, lang, only_date=not named)
        if date:
            return date
    return None



def _shown_day(text: str, lang: str, only_date: bool):
    """The day in a short text; with ``only_date``, only when the text is a dateline (a date
    with words like "Published", a weekday or a time around it, nothing else)."""
    found = date_in_text(text)
    if found:
        rest = len((text[:found[1].start()] + " " + text[found[1].end():]).split())
        return found[0] if (is_date_line(text) or not only_date and rest <= _SHOWN_DATE_WORDS) else None
    m = _NUMERIC_DATE.search(text)
    if m and (not only_date or not _DATE_NOISE_FREE.sub("", text[:m.start()] + text[m.end():]).strip()):
        return numeric_date(text, lang)
    return None



def _time_element_date(tags: dict):
    times = [t for t in tags.get("time", ()) if t.get("datetime")]
    if not times:
        return None

    def rank(t: Tag) -> int:
        attrs = " ".join([str(t.get("itemprop", "")), " ".join(t.get("class", []) or []),
                          "pubdate" if t.has_attr("pubdate") else ""]).lower()
        if "pub" in attrs:
            return 0
        if "update" in attrs or "modif" in attrs:
            return 3
        if t.find_parent("article") is not None:
            return 1
        return 2

    for t in sorted(times, key=rank):
        date = parse_date(t["datetime"])
        if date:
            return date
    return None

