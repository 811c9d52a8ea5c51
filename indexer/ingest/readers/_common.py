"""Helpers shared by the readers: bounded file reading, strict date parsing, fallback titles."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Optional, Sequence

from indexer.model import SKIP_EMPTY, SKIP_TOO_LARGE, SKIP_UNREADABLE, SkipFile

from .months import is_weekday, month_number


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Whole file as bytes; SkipFile(too large) above ``max_bytes`` without reading it."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise SkipFile(SKIP_TOO_LARGE, f"{size} bytes, limit {max_bytes}")
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise SkipFile(SKIP_UNREADABLE, e.strerror or str(e)) from None
    if len(data) > max_bytes:                      # grew since stat, or a special file
        raise SkipFile(SKIP_TOO_LARGE, f"more than {max_bytes} bytes")
    if not data.strip():
        raise SkipFile(SKIP_EMPTY, "empty file")
    return data


# --------------------------------------------------------------------------- dates

MIN_YEAR, MAX_YEAR = 1800, 2100

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
           "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.I)
# A day, a month name of any CLDR locale and a year: "7 octobre 2020", "7. Oktober 2020",
# "7 de octubre de 2020", "1er mai 2020", "1º de outubro de 2020" (the word is checked in ``months``).
_DMY_ANY = re.compile(r"\b(\d{1,2})(?:\.|er|º|°|ª)?\s+(?:de\s+|del\s+)?([^\W\d_]{3,})\.?,?\s+(?:de\s+)?(\d{4})\b")
_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_ISO_START = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_]|Z|[+-]\d)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_SLASHED_YMD = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
_DATE_NOISE = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b"
    r"|\b(?:published|updated|posted|last|modified|date|on|at|am|pm|a\.m|p\.m|utc|gmt|[ecmp][sd]t|bst|cet)\b"
    r"|[\d\s,.:/()|–—-]", re.I)


def make_date(year: int, month: int, day: int) -> Optional[dt.date]:
    """A date from parts, or None when they form no real day, so bad metadata never raises."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match, order: str) -> Optional[dt.date]:
    g = m.groups()
    if order == "mdy":
        return make_date(int(g[2]), _MONTHS[g[0][:3].lower()], int(g[1]))
    if order == "dmy":
        return make_date(int(g[2]), _MONTHS[g[1][:3].lower()], int(g[0]))
    return make_date(int(g[0]), int(g[1]), int(g[2]))


def date_in_text(text: str) -> Optional[tuple[dt.date, re.Match]]:
    """First unambiguous full date in ``text`` (ISO, "January 4, 2019", "4 January 2019", and a
    day before a month name of any language: "4 janvier 2019", "4. Januar 2019")."""
    best = None
    for rx, order in ((_ISO, "ymd"), (_MDY, "mdy"), (_DMY, "dmy")):
        m = rx.search(text)
        if m and (best is None or m.start() < best[1].start()):
            d = _from_match(m, order)
            if d:
                best = (d, m)
    for m in _DMY_ANY.finditer(text):
        if best is not None and m.start() >= best[1].start():
            break
        month = month_number(m.group(2))
        d = make_date(int(m.group(3)), month, int(m.group(1))) if month else None
        if d:
            best = (d, m)
            break
    return best


def is_date_line(line: str) -> bool:
    """True when the line is only a date (with weekday in any language, time, "Published:" and the like)."""
    found = date_in_text(line)
    if not found:
        return False
    _, m = found
    rest = _DATE_NOISE.sub(" ", line[:m.start()] + " " + line[m.end():]).split()
    return all(len(word) <= 2 or is_weekday(word) for word in rest)   # "le", "am", "à"; "mercredi"


_DATELINE_MAX_WORDS = 12


def find_dateline(lines: Sequence[str], limit: int = 5) -> tuple[Optional[dt.date], Optional[int]]:
    """Date from the first ``limit`` lines: (date, index of the line if it holds only the date).

    Only short lines count (a dateline or "By X | 4 May 2019" byline row): a date inside a
    sentence is usually the date of an event, not of the article.
    """
    for i, line in enumerate(lines[:limit]):
        if len(line.split()) > _DATELINE_MAX_WORDS:
            continue
        found = date_in_text(line)
        if found:
            return found[0], (i if is_date_line(line) else None)
    return None, None


def parse_date(value) -> Optional[dt.date]:
    """A date from a metadata value (ISO string, "Feb 20, 2004", epoch number), or None.

    Strict: the year, month and day must all be present and the day/month order must be
    unambiguous, so nothing is guessed. Time zones are ignored (the date as written).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 100:
        return None
    for rx in (_ISO_START, _SLASHED_YMD, _COMPACT):
        m = rx.match(s)
        if m:
            return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if s.isdigit():
        return _from_epoch(int(s)) if len(s) in (9, 10, 12, 13) else None
    found = date_in_text(s)
    if found:
        return found[0]
    return _dateutil_strict(s)


def _from_epoch(n: float) -> Optional[dt.date]:
    if 1e8 <= n < 4.2e9:              # seconds: 1973..2103
        seconds = n
    elif 1e11 <= n < 4.2e12:          # milliseconds
        seconds = n / 1000
    else:
        return None
    try:
        d = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None
    return make_date(d.year, d.month, d.day)


_DEFAULT_A = dt.datetime(1901, 1, 1)
_DEFAULT_B = dt.datetime(1902, 2, 2)


def _dateutil_strict(s: str) -> Optional[dt.date]:
    """dateutil parse that refuses defaulted fields and day/month ambiguity."""
    from dateutil import parser

    try:
        results = {parser.parse(s, default=default, dayfirst=dayfirst).date()
                   for default in (_DEFAULT_A, _DEFAULT_B) for dayfirst in (False, True)}
    except (ValueError, OverflowError, TypeError, ArithmeticError, parser.ParserError):
        return None
    if len(results) != 1:
        return None
    d = results.pop()
    return make_date(d.year, d.month, d.day)


_URL_DATE = re.compile(r"/((?:18|19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|[-_]|\.|$)")
_URL_COMPACT = re.compile(r"/((?:18|19|20)\d{2})(\d{2})(\d{2})/")


def date_in_url(url: Optional[str]) -> Optional[dt.date]:
    """Date from URL paths like /2004/02/20/ or /2004-02-20-title."""
    if not url:
        return None
    for rx in (_URL_DATE, _URL_COMPACT):
        m = rx.search(url)
        if m:
            d = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                return d
    return None


# --------------------------------------------------------------------------- authors

_BYLINE = re.compile(r"^\s*(?:(?:(?:written|words|story|text|report(?:ed)?|posted)\s+)?by|par|por|von)[:\s]\s*(.+)$", re.I)
_BYLINE_CUT = re.compile(r"\s+(?:[|•·—–-]|/)\s+|\s*[|•·]\s*|\s+(?:on|at|in|for|updated|published|posted)\s+", re.I)
_NAME_SPLIT = re.compile(r"\s*,\s*|\s*;\s*|\s+and\s+|\s*&\s*|\s+und\s+|\s+et\s+|\s+y\s+"
                         r"|\s*\(\s*(?:with|avec|mit|con)\s+", re.I)
_LAST_FIRST = re.compile(r"^([A-Z][\w'’-]+),\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)$")
_NAME_PARTICLES = frozenset("de da di del della der den van von la le du dos das bin ibn al el st. mc".split())
_NOT_NAME_WORDS = frozenset("""press news staff reporter reporters correspondent correspondents editor editors
writer writers contributor contributors agency agencies bureau desk team service wire reuters afp ap upi
associated media newsroom senior chief political editorial board the a our your more view all posts profile
opinion columnist photographer photos photo video published updated share email follow twitter
organization organisation foundation institute university association society group company inc ltd llc
corporation developers blog magazine journal engineer manager director developer president officer founder
ceo cto head lead analyst advocate scientist professor monday tuesday wednesday thursday friday saturday
sunday""".split())
_MAX_NAME_WORDS = 5


def clean_author_names(values) -> list[str]:
    """Display names from author values: "By Jane Doe and John Roe, Reuters" → two names.

    A value is a string or a list of strings; "By", roles, agencies, places and dates are left
    out, and a part that doesn't look like a person's name (1–5 capitalised words, no digits,
    no address) is dropped. Order kept, duplicates (ignoring case) removed."""
    if isinstance(values, str):
        values = [values]
    names: list[str] = []
    seen: set[str] = set()
    for value in values or ():
        if not isinstance(value, str):
            continue
        text = " ".join(value.split())
        m = _BYLINE.match(text)
        if m:
            text = m.group(1)
        found = date_in_text(text)
        if found:
            text = text[:found[1].start()]
        text = _BYLINE_CUT.split(text, maxsplit=1)[0]
        last_first = _LAST_FIRST.match(text.strip())
        if last_first:                    # "Kooman, F." (Dublin Core's order)
            text = f"{last_first.group(2)} {last_first.group(1)}"
        parts = _NAME_SPLIT.split(text)
        for i, part in enumerate(parts):
            name = part.strip(" .:;,-–—()[]\"'")
            if len(parts) > 1 and len(name.split()) < 2:
                continue                  # "Jane Doe, Washington": a place, not a second name
            if _looks_like_name(name) and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names


def _looks_like_name(name: str) -> bool:
    if not name or any(ch.isdigit() for ch in name) or "@" in name or "/" in name or "http" in name:
        return False
    words = name.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS or not any(sum(ch.isalpha() for ch in w) >= 2 for w in words):
        return False
    if any(w.casefold().strip(".") in _NOT_NAME_WORDS for w in words):
        return False
    return all(w[0].isupper() or w.casefold() in _NAME_PARTICLES or not w[0].isalpha() for w in words)


def byline_names(line: str) -> list[str]:
    """Names from a byline ("By Jane Doe", "Written by Jane Doe | May 3, 2020"); [] for any
    other line. Only a line that starts with "By" counts."""
    if not _BYLINE.match(line):
        return []
    return clean_author_names(line)


# --------------------------------------------------------------------------- languages

def language_tag(value) -> Optional[str]:
    """The language tag a metadata value declares, as written ("fr", "pt-BR", "fr_FR"), or None:
    a string, the first string of a list, or a schema.org ``Language`` object's ``alternateName``
    (its code) or ``name``. Detection (``indexer.ingest.languages``) normalises and checks it."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, dict))), None)
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if isinstance(value, str) and value.strip() and len(value) <= 50:
        return value.strip()
    return None


# --------------------------------------------------------------------------- titles

_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def fallback_title(body: str, limit: int = 100) -> str:
    """A title for an untitled article: its first sentence or line, shortened at a word boundary."""
    first = body.strip().split("\n", 1)[0].strip() if body else ""
    m = _SENTENCE_END.search(first)
    if m and m.end() <= limit + 20:
        first = first[:m.end()]
    if len(first) > limit:
        cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:-–— ")
        first = (cut or first[:limit]) + "…"
    return first
