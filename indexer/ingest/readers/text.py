"""Plain-text articles (.txt), including saved pages with a "Title - YYYY-MM-DD" line.

Layout handled: optional page furniture lines, a title line (ending in " - YYYY-MM-DD" in
the seed format, otherwise the first real line), an optional dateline, then paragraphs
separated by blank lines.
"""
from __future__ import annotations

import re

from indexer.ingest.clean import clean_line, clean_text, drop_furniture, is_furniture
from indexer.model import SKIP_EMPTY, SKIP_NOT_ARTICLE, RawArticle, SkipFile
from indexer.ingest.readers._common import byline_names, fallback_title, find_dateline, make_date

SUFFIXES = (".txt", ".text")

_TITLE_LINE = re.compile(r"^(?P<title>.*\S)\s+[-–—]\s+(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_TITLE_SEARCH_LINES = 30
_MAX_TITLE_CHARS = 200
_BYLINE_SEARCH_PARAS = 3        # a "By …" line is looked for in the first paragraphs only
_BYLINE_MAX_WORDS = 14
_MIN_SENTENCE_WORDS = 4          # a body without a line this long is a list, not an article


def parse_text(text: str, source: str) -> RawArticle:
    """One article from plain text; SkipFile when there is no article in it."""
    lines = clean_text(text).split("\n")
    if not any(lines):
        raise SkipFile(SKIP_EMPTY, "no text")

    title, date, start = _seed_title_line(lines)
    dateline = None
    if title is None:
        title, date, dateline, start = _first_line_title(lines)
        if title is None:
            raise SkipFile(SKIP_NOT_ARTICLE, "only page furniture")

    body_paras = drop_furniture(_split_paragraphs(lines[start:]), title)
    authors = _take_byline(body_paras)
    body = "\n\n".join(body_paras)
    if not title:
        title = fallback_title(body)
    if not body:
        raise SkipFile(SKIP_NOT_ARTICLE, "a title without article text")
    if not any(len(line.split()) >= _MIN_SENTENCE_WORDS for line in body.split("\n")):
        raise SkipFile(SKIP_NOT_ARTICLE, "no sentences (a word list or table?)")
    return RawArticle(source=source, title=title, body=body, date=date, dateline=dateline,
                      given={"author": authors} if authors else {})


def _take_byline(paras: list[str]) -> list[str]:
    """Names from a "By …" line among the first paragraphs, which is removed from them."""
    for i, para in enumerate(paras[:_BYLINE_SEARCH_PARAS]):
        lines = para.split("\n")
        for j, line in enumerate(lines):
            if len(line.split()) > _BYLINE_MAX_WORDS:
                continue
            names = byline_names(line)
            if names:
                rest = lines[:j] + lines[j + 1:]
                if rest:
                    paras[i] = "\n".join(rest)
                else:
                    del paras[i]
                return names
    return []


def _seed_title_line(lines: list[str]):
    """(title, date, index after it) for a "Title - YYYY-MM-DD" line, else Nones.

    Only page furniture may come before it, so a dated line inside the text is not taken
    for the title (which would drop everything above it).
    """
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > _TITLE_SEARCH_LINES:
            break
        m = _TITLE_LINE.match(line)
        if m:
            date = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
            title = clean_line(m["title"])
            if date and title and len(title) <= _MAX_TITLE_CHARS:
                return title, date, i + 1
        if not is_furniture(line):
            break
    return None, None, 0


def _first_line_title(lines: list[str]):
    """(title, date, dateline, body start) using the first non-furniture line as the title.

    Only known furniture is skipped above the title: a short headline must not be mistaken
    for a menu item. A first line that reads like a paragraph is body, not title ("" title).
    """
    i = 0
    while i < len(lines) and (not lines[i] or is_furniture(lines[i], short_rule=False)):
        i += 1
    if i == len(lines):
        return None, None, None, 0
    first = lines[i]
    if len(first) > _MAX_TITLE_CHARS or (len(first.split()) > 25 and first.rstrip().endswith((".", '"', "”"))):
        title, start = "", i
    else:
        title, start = first, i + 1
    following = [ln for ln in lines[start:start + 12] if ln][:5]
    date, date_idx = find_dateline(([title] if title else []) + following)
    dateline = None
    if date_idx is not None:
        if title:
            date_idx -= 1
        if date_idx >= 0:
            dateline = following[date_idx]
            # remove the date-only line from the body
            del lines[lines.index(dateline, start)]
    return title, date, dateline, start


def _split_paragraphs(lines: list[str]) -> list[str]:
    paras: list[str] = []
    block: list[str] = []
    for line in lines:
        if line:
            block.append(line)
        elif block:
            paras.append("\n".join(block))
            block = []
    if block:
        paras.append("\n".join(block))
    return paras
