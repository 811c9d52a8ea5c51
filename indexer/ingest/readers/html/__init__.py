"""Saved web pages (.html, .htm, .xhtml): metadata from <head>, article text from the main content block.

The reader in steps, one module each: ``tree`` (the page's elements indexed once, helpers every
step shares), ``metadata`` (title, canonical URL, JSON-LD), ``dates``, ``authors``, ``furniture``
(navigation, boilerplate and hidden elements removed), ``story`` (the block of paragraphs that is
the story, and its text split into paragraphs) and ``paragraphs`` (bylines, date lines, tag rows
and other stories' teasers dropped from those paragraphs). ``parse_html`` runs them in order.
"""
from __future__ import annotations

import re
from typing import Union

from bs4 import BeautifulSoup

from indexer.ingest.clean import decode_bytes, drop_furniture
from indexer.ingest.readers._common import fallback_title, find_dateline, language_tag
from indexer.model import SKIP_EMPTY, SKIP_NOT_ARTICLE, RawArticle, SkipFile

from .authors import pick_authors
from .dates import numeric_date, pick_date, visible_date
from .furniture import remove_boilerplate
from .metadata import canonical_url, first_h1, json_ld, meta_values, pick_title, story_first, strip_site_name
from .paragraphs import cut_tail, tidy
from .story import block_paragraphs, drop_link_lists, main_blocks
from .tree import index_tags

__all__ = ["SUFFIXES", "local_day_possible", "looks_like_html", "numeric_date", "parse_html", "strip_site_name"]

SUFFIXES = (".html", ".htm", ".xhtml")

_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                    re.I | re.S)
_SNIFF_ANYWHERE = re.compile(rb"<(?:html|body)\b[^>]*>", re.I)


def looks_like_html(data: bytes) -> bool:
    """Sniff a .txt that is really a saved web page."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_SNIFF.match(head) or _SNIFF_ANYWHERE.search(head))


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)

_WESTMOST_OFFSET = -12     # hours from UTC of the westmost time zone


def local_day_possible(utc_day, utc_hour: int, shown_day) -> bool:
    """May the day a page shows replace the day of its UTC moment at ``utc_hour``? The same day, or
    the day before while some time zone is still on it (before noon UTC: UTC-12). The day after is
    not taken: a moment at 23:00 UTC is as often a day written at midnight elsewhere and kept as UTC."""
    step = (shown_day - utc_day).days
    if step == 0:
        return True
    return step == -1 and utc_hour < -_WESTMOST_OFFSET


def parse_html(data: Union[bytes, str], source: str) -> RawArticle:
    """One article from a web page; SkipFile(empty / not an article) when it has no article text."""
    if isinstance(data, bytes):
        m = _CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "ignore") if m else None
        text = decode_bytes(data, declared)
    else:
        text = data
    if not text.strip():
        raise SkipFile(SKIP_EMPTY, "no text")
    soup = BeautifulSoup(text, "lxml")
    tags = index_tags(soup)
    meta = meta_values(tags)
    ld = json_ld(tags)

    site = meta.get("og:site_name") or meta.get("application-name")
    h1 = first_h1(tags)
    title = pick_title(meta, ld, tags, h1, site)
    url = canonical_url(tags, meta)
    date, utc = pick_date(meta, story_first(ld, title), tags, url, text)
    html_el = soup.find("html")
    lang = str(html_el.get("lang", "")) if html_el is not None else ""
    declared = declared_language(html_el, meta, story_first(ld, title))

    for el in tags.get("script", []) + tags.get("style", []):
        el.decompose()
    if not soup.get_text(strip=True):
        raise SkipFile(SKIP_EMPTY, "no text")
    authors = pick_authors(meta, ld, tags)
    shown_date = visible_date(tags, lang) if not date or utc is not None else None
    if date and shown_date and utc is not None and local_day_possible(date, utc, shown_date):
        date = shown_date            # a UTC moment's day; the page shows its own
    remove_boilerplate(soup, tags)
    blocks, weights = main_blocks(soup, tags)
    drop_link_lists(blocks, weights)
    paras = [p for block in blocks for p in block_paragraphs(block)]
    paras = drop_furniture(cut_tail(paras), title or None)
    paras, byline = tidy(paras, title, authors)

    dateline = None
    text_date, idx = find_dateline(paras[:3], limit=3)
    if idx is not None:                             # a date-only line is metadata, not body
        dateline = paras.pop(idx)
    date = date or shown_date or text_date
    body = "\n\n".join(paras)
    if not body:
        raise SkipFile(SKIP_NOT_ARTICLE, "no article text")
    if not title:
        title = fallback_title(body)
    authors = authors or byline
    return RawArticle(source=source, title=title, body=body, date=date, url=url, dateline=dateline,
                      given={"author": authors} if authors else {}, declared_language=declared)


# <meta> names a page declares its language in, after <html lang>: Open Graph's locale, the HTTP
# header's equivalent, Dublin Core's.
_LANGUAGE_META = ("og:locale", "content-language", "dc.language", "dcterms.language")


def declared_language(html_el, meta: dict, ld: list[dict]):
    """The language tag a page declares, as written: ``<html lang>`` (or ``xml:lang``), else its
    ``og:locale``, ``content-language`` or Dublin Core meta, else the story's JSON-LD
    ``inLanguage``; None when it declares none. A hint: detection keeps it when the text agrees."""
    if html_el is not None:
        for attr in ("lang", "xml:lang"):
            tag = language_tag(str(html_el.get(attr) or ""))
            if tag:
                return tag
    for name in _LANGUAGE_META:
        tag = language_tag(meta.get(name))
        if tag:
            return tag
    return next((tag for tag in (language_tag(o.get("inLanguage")) for o in ld) if tag), None)

