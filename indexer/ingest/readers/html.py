"""Saved web pages (.html, .htm): metadata from <head>, article text from the main content block."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Optional, Union

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData

from indexer.ingest.clean import clean_line, clean_text, decode_bytes, drop_furniture
from indexer.model import SKIP_EMPTY, SKIP_NOT_ARTICLE, RawArticle, SkipFile
from indexer.ingest.readers._common import (byline_names, clean_author_names, date_in_text, date_in_url,
                                     fallback_title, find_dateline, is_date_line, make_date, parse_date)

SUFFIXES = (".html", ".htm", ".xhtml")

_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                    re.I | re.S)
_SNIFF_ANYWHERE = re.compile(rb"<(?:html|body)\b[^>]*>", re.I)


def looks_like_html(data: bytes) -> bool:
    """Sniff a .txt that is really a saved web page."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_SNIFF.match(head) or _SNIFF_ANYWHERE.search(head))


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)

# Never article text, removed before the body is looked for.
_DROP_TAGS = ["script", "style", "nav", "header", "footer", "aside", "noscript", "iframe",
              "button", "svg", "template", "select", "textarea", "input", "object", "embed",
              "canvas", "audio", "video", "map", "dialog", "menu", "link", "meta"]
# Removed only when they hold little of the page's text (ASP.NET pages wrap all in a form).
_GUARDED_TAGS = {"form"}
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav\w*|menu\w*|share(?:bar|tools|buttons?|links?|box|this)?|sharing|social\w*|related\w*|comments?\w*|footer\w*"
    r"|cookie\w*|consent\w*|gdpr|ad|ads|adv|advert\w*|adslot\w*|sponsor\w*|promo\w*|newsletter\w*"
    r"|subscri\w*|breadcrumbs?|sidebar\w*|popup\w*|modal\w*|outbrain\w*|taboola\w*|trending"
    r"|popular|recommend\w*|skip-?links?|sr-only|visually-hidden|screen-reader-text|toolbar)(?=$|[\s_-])")
_BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                      "alertdialog", "menu", "menubar"}
_PROTECTED = {"html", "body", "main", "article"}
# A class name saying the page has a sidebar ("has-sidebar") or wraps one, not naming one.
_MODIFIER = re.compile(r"^(?:has|with|no|without|is|show|hide|js)[-_]|[-_](?:layout|wrap|wrapper|container|grid|enabled|active|open)$")
# Furniture tags that are kept when they hold most of the page's paragraph text (a page wrapper).
_WRAPPER_TAGS = {"header", "nav", "footer", "aside"}
_WRAPPER_SHARE = 0.5
_SLUG_PARTS = re.compile(r"[-_]+")
_SLUG_MIN_PARTS = 4
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
           "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "caption",
           "figure", "figcaption", "address", "hr", "center", "details", "summary", "body", "html"}
_SPACE_RUNS = re.compile(r"\s+")

# Finding the story (see _Weights and _main_blocks).
_MIN_PARA = 25              # characters for a block to count as a paragraph
_NOT_PARAGRAPHS = {"h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption", "dt", "th", "address",
                   "summary"}
_CONTAINERS = {"div", "section", "article", "main", "td", "center", "body"}
_CLOSE_SHARE = 0.75          # candidates scoring this share of the best are "nearly as good"
_CLOSE_CANDIDATES = 5
_CLOSE_MIN = 3              # ... and this many of them under one ancestor make it the story
_GROW_SHARE = 1.3           # a parent holding this much more paragraph text takes the story's place
_GROW_MAX_LINKS = 0.3
_SIBLING_SHARE = 0.2        # a sibling block joins the story with this share of the top block's score
_MAX_LINK_SHARE = 0.5       # blocks more link text than this are link lists
_MARKUP_SHARE = 0.5         # a marked-up container wins with this share of the densest block's text
_WIDE_SHARE = 1.5           # ... unless it is a <main> holding that much more besides
_LINK_BOX_TAGS = {"ul", "ol", "dl", "div", "section", "table", "aside", "nav"}
# Cleaning the story's paragraphs (see _tidy).
_EDGE_PARAS = 4             # bylines and date lines are looked for this far from either end
_BYLINE_MAX_WORDS = 14
_APPEAL_MAX_WORDS = 80
_UPDATED = re.compile(r"^\s*(?:last\s+)?(?:updated|modified|published|posted|first published)\b[^.!?]{0,80}$", re.I)
_TAG_ROW = re.compile(r"^\s*(?:(?:filed under|tagged(?: with)?|posted in|from the section)\b"
                      r"|(?:tags?|topics?|categories|category|keywords|more (?:on|about)|related (?:topics|tags))\s*[:：])",
                      re.I)
_NOTE_MAX_WORDS = 60
_PROMO_MAX_WORDS = 30
_PROMO = re.compile(r"^\s*(?:related(?:\s+(?:stories|articles|coverage|content))?|read\s+(?:more|also|next|this)|see\s+also"
                    r"|also\s+(?:read|see)|more\s+(?:on\s+this|stories)|recommended|watch|listen)\s*[:|›»]", re.I)
_AGO = re.compile(r"^\s*(?:about\s+)?(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\s*$", re.I)
_CREDIT = re.compile(r"^\s*(?:(?:media|image|video|photo|picture)\s+(?:caption|copyright|source)|(?:image|photo|picture|"
                     r"photograph|illustration|credit|source)s?\s*:)", re.I)
_AUTHOR_NOTE = re.compile(r"^\W*(?:is|was|,\s*an?|,\s*the|writes|covers|reports)\b", re.I)
_TAIL_SHARE = 0.6           # a closing heading comes after this share of the text
_TAIL_HEADING_WORDS = 6
_TEASER_CHARS = 300         # ... followed by items of at most this median length
_TEASER_BYLINES = 2         # this many bylines after most of the text are teaser cards of other stories,
_TEASER_LINES, _TEASER_WORDS = 2, 50    # each with up to two short lines (headline, blurb) above its byline
_TAIL_HEADING = re.compile(
    r"^\s*(?:related(?:\s+(?:stories|articles|content|news|coverage|links|reading|posts))?|more\s+(?:from|on|in|stories|news"
    r"|articles|coverage|to\s+read)\b.*|other\b.*\b(?:columns|stories|news|articles)|next\s+on\b.*|read\s+(?:more|next)"
    r"|recommended(?:\s+for\s+you)?|you\s+(?:may|might)\s+(?:also\s+)?like|most\s+(?:read|popular|viewed|shared)"
    r"|top\s+stories|trending(?:\s+now)?|also\s+(?:read|on)\b.*|what\s+to\s+read\s+next)\s*[:›»>]?\s*$", re.I)
_APPEAL = re.compile(r"\b(?:donat(?:e|es|ion|ions|ing)|become an? (?:member|supporter|patron|subscriber)"
                     r"|support (?:our|us|independent)|chip in|make a (?:gift|contribution))\b", re.I)

_DATE_META = ("article:published_time", "og:article:published_time", "article:published",
              "og:published_time", "published_time", "published-date", "published_date",
              "datepublished", "date", "pubdate", "pub_date", "publishdate", "publish-date", "publish_date",
              "publish_time", "publication_date", "publicationdate", "article_date_original",
              "dc.date", "dc.date.issued", "dc.date.created", "dc:date", "dc:date.issued", "dc:created",
              "dc.created", "dcterms.date", "dcterms.issued", "dcterms.created", "dcterms:date",
              "dcterms:issued", "dcterms:created", "prism.publicationdate", "citation_publication_date",
              "citation_date", "eprints.date", "sailthru.date", "parsely-pub-date", "bt:pubdate",
              "originalpublicationdate", "article.published", "article.created", "created", "datecreated")
_AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "dc:creator",
                "dcterms.creator", "parsely-author", "sailthru.author", "byl", "citation_author")
_RDF_DATE = re.compile(r"""\bdc:date\s*=\s*["']([^"']{6,40})["']|<dc:date>\s*([^<]{6,40})<""", re.I)
_DATE_HINT = re.compile(r"date|time|byline|posted|publish|dateline|meta|info", re.I)
_NUMERIC_DATE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?![\d/.])")
_UTC = re.compile(r"(?:Z|[+-]00:?00|\b(?:UTC|GMT))\s*$", re.I)
_OFFSET = re.compile(r"[+-](\d{2}):?(\d{2})\s*$")
_VISIBLE_DATE_CHARS = 120
_SHOWN_DATE_WORDS = 8
_BYLINE_CHARS = 200         # longest byline element read for names
_AUTHOR_CHARS = 60          # ... and element with "author" in its class (longer: a biography)       # words besides the date in a date element ("By Jane Doe | 4 min read")
_NEAR_TITLE_BEFORE, _NEAR_TITLE_AFTER = 10, 40    # elements around the <h1> looked at for a dateline
_HAS_TIME = re.compile(r"[T\s](\d{1,2}):\d{2}")
_EVENING_UTC_HOURS = 12     # a UTC moment before this hour may be the previous evening in the Americas
_DATE_NOISE_FREE = re.compile(
    r"\b(?:published|updated|posted|last|modified|date|on|at|am|pm|utc|gmt|[ecmp][sd]t|bst|cet)\b|[\d\s,.:/()|–—-]", re.I)
_ARTICLE_TYPES = ("article", "newsarticle", "reportagenewsarticle", "blogposting", "report",
                  "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle", "webpage")


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
    tags = _index(soup)
    meta = _meta_values(tags)
    ld = _json_ld(tags)

    site = meta.get("og:site_name") or meta.get("application-name")
    h1 = _first_h1(tags)
    title = _pick_title(meta, ld, tags, h1, site)
    url = _canonical_url(tags, meta)
    date, utc = _pick_date(meta, _story_first(ld, title), tags, url, text)
    html_el = soup.find("html")
    lang = str(html_el.get("lang", "")) if html_el is not None else ""

    for el in tags.get("script", []) + tags.get("style", []):
        el.decompose()
    if not soup.get_text(strip=True):
        raise SkipFile(SKIP_EMPTY, "no text")
    authors = _pick_authors(meta, ld, tags)
    shown_date = _visible_date(tags, lang) if not date or utc is not None else None
    if date and shown_date and utc is not None and utc < _EVENING_UTC_HOURS \
            and (date - shown_date).days == 1:
        date = shown_date            # an evening story's UTC day; the page shows its own
    _remove_boilerplate(soup, tags)
    blocks, weights = _main_blocks(soup, tags)
    _drop_link_lists(blocks, weights)
    paras = [p for block in blocks for p in _block_paragraphs(block)]
    paras = drop_furniture(_cut_tail(paras), title or None)
    paras, byline = _tidy(paras, title, authors)

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
    return RawArticle(source=source, title=title, body=body, date=date, url=url, dateline=dateline,
                      authors=authors or byline)


# --------------------------------------------------------------------------- metadata

def _index(soup: BeautifulSoup) -> dict[str, list[Tag]]:
    """Elements by tag name ("*": all), in document order: one walk instead of many find_all calls."""
    tags: dict[str, list[Tag]] = {"*": []}
    every = tags["*"]
    for node in soup.descendants:
        if isinstance(node, Tag):
            every.append(node)
            tags.setdefault(node.name, []).append(node)
    return tags


def _gone(el: Tag) -> bool:
    """Whether ``el`` was decomposed. Not ``el.decomposed``: on a live tag that property
    falls through to Tag.__getattr__, i.e. a search of the whole subtree."""
    return el.__dict__.get("_decomposed", False)


def _live(tags: dict[str, list[Tag]], *names: str) -> list[Tag]:
    return [el for name in names for el in tags.get(name, ()) if not _gone(el)]


def _meta_values(tags: dict[str, list[Tag]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for tag in tags.get("meta", ()):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def _json_ld(tags: dict[str, list[Tag]]) -> list[dict]:
    """JSON-LD objects, article-typed ones first (@graph and lists flattened)."""
    found: list[dict] = []
    for script in tags.get("script", ()):
        if "ld+json" not in str(script.get("type", "")).lower():
            continue
        raw = script.string or script.get_text() or ""
        raw = raw.strip().removeprefix("<![CDATA[").removesuffix("]]>").strip()
        data = _lenient_json(raw)
        if data is None:
            continue
        stack = [data]
        while stack and len(found) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))

    def is_article(obj: dict) -> bool:
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        return any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types)

    return sorted(found, key=lambda o: not is_article(o))


def _lenient_json(raw: str):
    """JSON as pages write it: raw control characters in strings, a trailing ";" or a second
    object after the first are accepted (the first value is taken)."""
    decoder = json.JSONDecoder(strict=False)
    start = next((i for i, ch in enumerate(raw) if ch in "{["), None)
    if start is None:
        return None
    try:
        return decoder.raw_decode(raw, start)[0]
    except (ValueError, RecursionError):
        return None


def _first_h1(tags: dict[str, list[Tag]]) -> str:
    h1s = tags.get("h1", [])
    in_article = [h for h in h1s if h.find_parent("article") is not None]
    h1 = (in_article or h1s or [None])[0]
    return clean_line(h1.get_text(" ")) if h1 else ""


_PIPE = re.compile(r"\s+[|｜]\s+")
_DASH = re.compile(r"\s+(?:[-–—·»]|::)\s+")


def strip_site_name(title: str, site: Optional[str] = None) -> str:
    """Remove a site name around a page title ("Title | Site", "Title - BBC News", "Site: Title")."""
    t = clean_line(title)
    if site:
        site_rx = re.escape(clean_line(site))
        t = re.sub(rf"^\s*{site_rx}\s*(?:[|｜:\-–—·»]|::)\s*", "", t, flags=re.I)
        t = re.sub(rf"\s*(?:[|｜:\-–—·»]|::)\s*{site_rx}\s*$", "", t, flags=re.I)
    parts = _PIPE.split(t)
    if len(parts) > 1:                          # "Title | Section | Site": keep the longest part
        t = max(parts, key=lambda p: len(p.split()))
    parts = _DASH.split(t)
    if len(parts) > 1:
        last = parts[-1]
        words = last.split()
        rest = t[: t.rfind(last)].rstrip(" -–—:·»")
        site_like = len(words) <= 4 and ("." in last or all(w[:1].isupper() or w[:1].isdigit() for w in words))
        if site_like and len(rest.split()) >= 3:
            t = rest
    return t.strip()


def _pick_title(meta: dict, ld: list[dict], tags: dict, h1: str, site: Optional[str]) -> str:
    for key in ("og:title", "twitter:title"):
        if meta.get(key):
            return strip_site_name(meta[key], site)
    title_tag = next((t for t in tags.get("title", ()) if t.find_parent("svg") is None), None)
    page_title = clean_line(title_tag.get_text(" ")) if title_tag else ""
    for obj in ld:
        headline = obj.get("headline")
        if isinstance(headline, str) and headline.strip() and _agrees(headline, page_title, h1):
            return clean_line(headline)
    if page_title:
        if h1 and (page_title.lower().startswith(h1.lower()) or h1.lower() in page_title.lower()):
            return h1
        return strip_site_name(page_title, site)
    return h1


def _agrees(headline: str, *others: str) -> bool:
    """A JSON-LD headline shares half its words with the page's <title> or <h1>, or holds most
    of theirs (when the page has either): some sites put a description there instead."""
    words = set(_WORD.findall(headline.casefold()))
    given = [set(_WORD.findall(o.casefold())) for o in others if o]
    return not given or not words or any(
        len(words & g) >= max(1, min(0.5 * len(words), 0.8 * len(g))) for g in given)


_WORD = re.compile(r"\w+")


def _canonical_url(tags: dict, meta: dict) -> Optional[str]:
    for link in tags.get("link", ()):
        if not link.get("href"):
            continue
        rel = link.get("rel") or []
        rel = rel if isinstance(rel, list) else rel.split()
        if "canonical" in (r.lower() for r in rel):
            href = link["href"].strip()
            if href.startswith(("http://", "https://")):
                return href
    og = meta.get("og:url", "")
    return og if og.startswith(("http://", "https://")) else None


def _story_first(ld: list[dict], title: str) -> list[dict]:
    """JSON-LD objects with the story's own first: an object whose headline disagrees with the
    page's title (a related story in a list) goes after those whose headline agrees or is absent."""
    return sorted(ld, key=lambda o: isinstance(o.get("headline"), str) and not _agrees(o["headline"], title))


def _pick_date(meta: dict, ld: list[dict], tags: dict, url: Optional[str], raw: str):
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


def _visible_date(tags: dict, lang: str):
    """A day shown on the page ("March 11, 2020", "Posted 17/03/2020"), the first in page
    order among short texts in an element named for dates or bylines, a <time>, or a line
    near the headline that holds only a date; a story's own dates don't count."""
    every = tags.get("*", ())
    h1 = next((i for i, el in enumerate(every) if el.name == "h1" and not _gone(el)), None)
    for i, el in enumerate(every):
        if _gone(el) or el.name in ("html", "body", "head", "title", "script", "style", "meta"):
            continue
        named = el.name == "time" or bool(el.attrs) and bool(_DATE_HINT.search(
            " ".join(_class_names(el)) + " " + str(el.attrs.get("itemprop", ""))))
        near = h1 is not None and -_NEAR_TITLE_BEFORE <= i - h1 <= _NEAR_TITLE_AFTER
        if not (named or near):
            continue
        text = _short_text(el, _VISIBLE_DATE_CHARS)
        if not text:
            continue
        date = _shown_day(text, lang, only_date=not named)
        if date:
            return date
    return None


def _short_text(el: Tag, limit: int) -> Optional[str]:
    """The element's text when it has at most ``limit`` characters, else None (without
    reading the rest of a large element)."""
    parts, n = [], 0
    for s in el.strings:
        if type(s) not in (NavigableString, CData):
            continue
        s = s.strip()
        if s:
            n += len(s) + 1
            if n > limit + 1:
                return None
            parts.append(s)
    return " ".join(parts)


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


def _pick_authors(meta: dict, ld: list[dict], tags: dict) -> list[str]:
    """Authors from JSON-LD ``author``, the author meta tags, ``rel=author`` links,
    ``itemprop=author``, byline elements or short elements with "author" in their class: the
    first of these that names someone."""
    for obj in ld:
        value = obj.get("author") or obj.get("creator")
        items = value if isinstance(value, list) else [value]
        names = clean_author_names([i.get("name") if isinstance(i, dict) else i for i in items
                                    if isinstance(i, (str, dict))])
        names = [n for n in names if n.casefold() not in _org_names(ld)]
        if names:
            return names
    names = clean_author_names([meta[k] for k in _AUTHOR_META
                                if meta.get(k) and not meta[k].startswith(("http://", "https://"))])
    if names:
        return names
    found = []
    for el in tags.get("*", ()):
        if _gone(el) or not el.attrs:
            continue
        rel = el.attrs.get("rel") or []
        rel = rel if isinstance(rel, list) else str(rel).split()
        if el.name == "a" and "author" in rel:
            found.append(el.get_text(" ", strip=True))
        elif el.attrs.get("itemprop") == "author":
            inner = el.find(attrs={"itemprop": "name"})
            found.append((inner or el).get("content") or (inner or el).get_text(" ", strip=True))
    names = clean_author_names([f for f in found if isinstance(f, str) and len(f) < 120])
    if names:
        return names
    for marker, limit in (("byline", _BYLINE_CHARS), ("author", _AUTHOR_CHARS)):
        for el in tags.get("*", ()):
            if _gone(el) or not el.attrs or not any(marker in n for n in _class_names(el)) or _in_comments(el):
                continue
            text = _short_text(el, limit)
            names = (byline_names(text) or clean_author_names(text)) if text else []
            if names:
                return names
    return []


def _in_comments(el: Tag) -> bool:
    """Inside a readers' comments section (whose bylines name commenters, not authors)."""
    return any("comment" in n for parent in el.parents if parent.attrs for n in _class_names(parent))


def _org_names(ld: list[dict]) -> set[str]:
    """Publisher names, which JSON-LD sometimes also gives as the author."""
    out = set()
    for obj in ld:
        pub = obj.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            out.add(pub["name"].strip().casefold())
    return out


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


# --------------------------------------------------------------------------- body

def _class_names(el: Tag) -> list[str]:
    names = el.attrs.get("class") or []
    names = names if isinstance(names, list) else str(names).split()
    return [n.lower() for n in names] + [str(el.attrs.get("id", "")).lower()]


def _label_names(el: Tag) -> list[str]:
    """Class names and the id, less an id that is a heading's slug ("sharing-with-a-team"):
    it names the section's subject, not its role on the page."""
    names = _class_names(el)
    if len(_SLUG_PARTS.split(names[-1])) >= _SLUG_MIN_PARTS:
        names.pop()
    return names


def _boilerplate_label(el: Tag) -> bool:
    """A class or id naming page furniture ("sidebar", "related-links"); a name that only
    says the page *has* one ("has-sidebar", "with-sidebar", "no-sidebar") is no such label."""
    return any(name and not _MODIFIER.match(name) and _BOILERPLATE.search(name)
               for name in _label_names(el))


def _ancestor_sums(elements, value) -> dict[int, int]:
    """``value(el)`` of each element summed into every ancestor (and itself), by id."""
    sums: dict[int, int] = {}
    for el in elements:
        n = value(el)
        while el is not None:
            sums[id(el)] = sums.get(id(el), 0) + n
            el = el.parent
    return sums


def _remove_boilerplate(soup: BeautifulSoup, tags: dict) -> None:
    p_text = _ancestor_sums(_live(tags, "p"), lambda p: len(p.get_text()))
    total = max(p_text.values(), default=0) or 1
    for el in _live(tags, *_DROP_TAGS):
        if _gone(el):
            continue
        if el.name in _WRAPPER_TAGS and p_text.get(id(el), 0) > _WRAPPER_SHARE * total:
            continue     # a <header>/<nav> around the whole page, not page furniture
        el.decompose()
    holds_story = _ancestor_sums(_live(tags, "article", "main", "h1"), lambda el: 1)
    doomed = []
    for el in _live(tags, "*"):
        if el.name in _PROTECTED or not el.attrs and el.name not in _GUARDED_TAGS:
            continue
        attrs = el.attrs
        hidden = ("hidden" in attrs or attrs.get("aria-hidden") == "true"
                  or _HIDDEN_STYLE.search(str(attrs.get("style", ""))))
        role = str(attrs.get("role", "")).lower()
        if hidden or role in _BOILERPLATE_ROLES or el.name in _GUARDED_TAGS or _boilerplate_label(el):
            doomed.append(el)
    for el in doomed:
        if _gone(el):
            continue
        if holds_story.get(id(el), 0) - (el.name in ("article", "main", "h1")) > 0 \
                or p_text.get(id(el), 0) > _WRAPPER_SHARE * total:
            continue     # a page wrapper that merely has a misleading class; keep it
        el.decompose()


class _Weights:
    """Text and link-text length of every element, and a paragraph score per element.

    One pass over the page's text: each text node counts towards its nearest block element
    (its "paragraph"); a paragraph of at least ``_MIN_PARA`` characters scores its
    non-link length, credited in full to its parent, half to the grandparent and a third
    to the great-grandparent (text directly in a <div> credits the div itself first), as
    in Readability. ``inside`` holds the score of all paragraphs within an element."""

    def __init__(self, root: Tag):
        self.text: dict[int, int] = {}
        self.links: dict[int, int] = {}
        self.score: dict[int, float] = {}
        self.inside: dict[int, float] = {}
        self.el: dict[int, Tag] = {}
        own: dict[int, list] = {}
        block_of: dict[int, Tag] = {}
        link_of: dict[int, bool] = {}
        elements: list[Tag] = []
        text, links = self.text, self.links
        for node in root.descendants:
            if type(node) not in (NavigableString, CData):
                if isinstance(node, Tag):
                    elements.append(node)
                continue
            n = len(node.strip())
            if not n:
                continue
            parent = node.parent
            block = _block_of(parent, root, block_of)
            in_link = link_of.get(id(parent))
            if in_link is None:
                el, in_link = parent, False
                while el is not None and not in_link:
                    in_link = el.name == "a"
                    el = None if el is block else el.parent
                link_of[id(parent)] = in_link
            entry = own.setdefault(id(block), [block, 0, 0])
            entry[1] += n
            entry[2] += n if in_link else 0
            text[id(parent)] = text.get(id(parent), 0) + n
            if in_link:
                links[id(parent)] = links.get(id(parent), 0) + n
        inside = self.inside
        for block, n, link in own.values():
            if n < _MIN_PARA or block.name in _NOT_PARAGRAPHS:
                continue
            value = (n - link) * (1 - link / n)
            if value <= 0:
                continue
            if block.name == "li":
                value *= 0.5
            chain = [block] if block.name in _CONTAINERS else []
            el = block.parent
            while el is not None and len(chain) < 3:
                chain.append(el)
                el = el.parent
            for level, el in enumerate(chain):
                self.el[id(el)] = el
                self.score[id(el)] = self.score.get(id(el), 0.0) + value / (level + 1)
            inside[id(block)] = inside.get(id(block), 0.0) + value
        for el in reversed(elements):     # children before parents: sums over subtrees
            key, up = id(el), id(el.parent)
            for sums in (text, links, inside):
                value = sums.get(key)
                if value:
                    sums[up] = sums.get(up, 0) + value

    def link_share(self, el: Tag) -> float:
        n = self.text.get(id(el), 0)
        return self.links.get(id(el), 0) / n if n else 0.0

    def top(self) -> Optional[Tag]:
        """The best-scoring element; when several nearly as good lie under one ancestor (a
        story in steps or sections), that ancestor; then up while the parent scores more."""
        if not self.score:
            return None
        ranked = sorted(self.score, key=self.score.get, reverse=True)
        best = self.el[ranked[0]]
        floor = _CLOSE_SHARE * self.score[ranked[0]]
        close: list[Tag] = []
        for key in ranked[1:]:
            if self.score[key] < floor or len(close) >= _CLOSE_CANDIDATES - 1:
                break
            el = self.el[key]
            if not any(_contains(el, c) or _contains(c, el) for c in [best, *close]):
                close.append(el)
        if len(close) >= _CLOSE_MIN - 1:
            el = best.parent
            while el is not None and el.name not in ("body", "html"):
                if sum(_contains(el, c) for c in close) >= _CLOSE_MIN - 1:
                    best = el
                    break
                el = el.parent
        score = self.score.get(id(best), 0.0)
        el = best.parent
        while el is not None and el.name not in ("body", "html"):
            parent_score = self.score.get(id(el), 0.0)
            if parent_score < score / 3:
                break
            if parent_score > score:
                best, score = el, parent_score
            el = el.parent
        el = best.parent                # the story may go on in blocks beside this one
        while el is not None and el.name not in ("body", "html") and self.inside.get(id(best)):
            if self.link_share(el) > _GROW_MAX_LINKS:
                break
            gain = self.inside.get(id(el), 0.0) / self.inside[id(best)]
            if gain >= _GROW_SHARE:
                best = el
            elif gain > 1.05:
                break                   # a little more text: something beside the story
            el = el.parent
        return best


def _story_blocks(top: Tag, w: _Weights) -> list[Tag]:
    """The top-scoring element and those of its siblings that continue the story."""
    parent = top.parent
    if parent is None:
        return [top]
    floor = max(_MIN_PARA, _SIBLING_SHARE * w.score.get(id(top), 0.0))
    out = []
    for sib in parent.children:
        if not isinstance(sib, Tag):
            continue
        if sib is top:
            out.append(sib)
            continue
        if w.link_share(sib) > _MAX_LINK_SHARE:
            continue
        if w.inside.get(id(sib), 0.0) >= floor or (
                sib.name in ("p", "pre", "blockquote") and w.text.get(id(sib), 0) >= 80):
            out.append(sib)
    return out


def _contains(outer: Tag, inner: Tag) -> bool:
    el = inner
    while el is not None:
        if el is outer:
            return True
        el = el.parent
    return False


def _main_blocks(soup: BeautifulSoup, tags: dict) -> tuple[list[Tag], "_Weights"]:
    """The elements holding the story, in page order.

    The densest block of paragraphs and its sibling blocks (the story as the text shows it),
    unless a marked-up container (itemprop=articleBody, <article>, <main>, role=main) holds
    at least as much paragraph text: the one among those with the most, not the longest
    (a teaser card can be the only <article> on a page whose story sits in a <div>)."""
    body = soup.body or soup
    w = _Weights(body)
    top = w.top()
    region = _story_blocks(top, w) if top is not None else [body]
    region_score = sum(w.inside.get(id(el), 0.0) for el in region)
    live = [el for el in _live(tags, "*") if el.attrs]
    for wide, finder in ((False, lambda: [el for el in live if el.get("itemprop") == "articleBody"]),
                         (False, lambda: _live(tags, "article")),
                         (True, lambda: _live(tags, "main")),
                         (True, lambda: [el for el in live if el.get("role") == "main"])):
        found = finder()
        if not found:
            continue
        best = max(found, key=lambda el: (w.inside.get(id(el), 0.0), len(el.get_text())))
        score = w.inside.get(id(best), 0.0)
        if not best.get_text(strip=True):
            continue
        if top is None:
            return [best], w
        if score < _MARKUP_SHARE * region_score:
            continue                      # a teaser, or a fragment of the story
        if wide and _contains(best, top) and score > _WIDE_SHARE * region_score:
            continue                      # <main> around the story and much else
        return [best], w
    return region, w


def _drop_link_lists(blocks: list[Tag], w: _Weights) -> None:
    """Remove lists and boxes of links (related stories, tag clouds) inside the story."""
    doomed = []
    for block in blocks:
        for el in block.descendants:
            if not isinstance(el, Tag) or el.name not in _LINK_BOX_TAGS:
                continue
            n = w.text.get(id(el), 0)
            if n and w.link_share(el) > _MAX_LINK_SHARE and n < 0.5 * w.text.get(id(block), 1):
                doomed.append(el)
    for el in doomed:
        if not _gone(el):
            el.decompose()


def _block_of(parent: Tag, stop: Tag, memo: dict[int, Tag]) -> Tag:
    """The nearest block element holding a text node whose parent is ``parent`` (``stop`` at the
    most), remembered per parent: a page's text nodes share few parents, and walking up for each
    one would repeat the same climb."""
    block = memo.get(id(parent))
    if block is None:
        block = parent
        while block is not stop and block.name not in _BLOCKS and block.parent is not None:
            block = block.parent
        memo[id(parent)] = block
    return block


def _block_paragraphs(container: Tag) -> list[str]:
    """Text of ``container`` split into paragraphs at block-element boundaries and double <br>."""
    paras: list[str] = []
    buf: list[str] = []
    current = None
    block_of: dict[int, Tag] = {}

    def flush():
        if buf:
            paras.extend(p for p in clean_text("".join(buf)).split("\n\n") if p)
            buf.clear()

    for node in container.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                buf.append("\n")
            continue
        if type(node) not in (NavigableString, CData):
            continue                          # comments, doctype, processing instructions
        block = _block_of(node.parent, container, block_of)
        if block is not current:
            flush()
            current = block
        s = str(node)
        buf.append(s if block.name == "pre" else _SPACE_RUNS.sub(" ", s))
    flush()
    return paras


def _tidy(paras: list[str], title: Optional[str], authors: list[str]) -> tuple[list[str], list[str]]:
    """Drop what is about the story rather than of it: bylines and author notes, "Updated …"
    and "3 hours ago" lines, "Filed under"/tag rows, captions' credit lines, "Read more: …" and
    "Related: …" links to other stories, donation appeals,
    repeats of a paragraph (slide captions). Returns the paragraphs and the names from the
    bylines."""
    names: list[str] = []
    out: list[str] = []
    seen: set[str] = set()
    edge = _EDGE_PARAS
    for i, para in enumerate(paras):
        near_start, near_end = i < edge, i >= len(paras) - edge
        words = para.split()
        key = " ".join(words).casefold()
        if len(words) >= 3 and key in seen:
            continue
        seen.add(key)
        if len(words) <= _BYLINE_MAX_WORDS:
            found = byline_names(para)
            if found and (near_start or near_end):
                names.extend(found)
                continue
            if _UPDATED.match(para) or _AGO.match(para) or ((near_start or near_end) and is_date_line(para)):
                continue
            if _TAG_ROW.match(para) or _CREDIT.match(para):
                continue
        if len(words) <= _PROMO_MAX_WORDS and _PROMO.match(para):
            continue
        if len(words) <= _NOTE_MAX_WORDS and (near_start or near_end) and _about_author(para, authors or names):
            continue
        if len(words) <= _APPEAL_MAX_WORDS and _APPEAL.search(para) and (near_start or near_end):
            continue
        out.append(para)
    return out, names


def _cut_tail(paras: list[str]) -> list[str]:
    """The paragraphs before a "Related stories", "More from …", "Other … columns" heading
    that comes after most of the text and is followed by short items only (headlines and
    blurbs of other stories, not a section of this one), or before teaser cards: bylines
    after most of the text, each under a headline and a blurb."""
    total = sum(len(p) for p in paras) or 1
    seen = 0
    late_bylines = []
    for i, para in enumerate(paras):
        if seen >= _TAIL_SHARE * total:
            if len(para.split()) <= _TAIL_HEADING_WORDS and _TAIL_HEADING.match(para) \
                    and _median_len(paras[i + 1:]) <= _TEASER_CHARS:
                return paras[:i]
            if len(para.split()) <= _BYLINE_MAX_WORDS and byline_names(para):
                late_bylines.append(i)
        seen += len(para)
    if len(late_bylines) >= _TEASER_BYLINES:       # teaser cards: headline, blurb, "By …"
        cut = late_bylines[0]
        for _ in range(_TEASER_LINES):
            if cut > 0 and len(paras[cut - 1].split()) <= _TEASER_WORDS:
                cut -= 1
        return paras[:cut]
    return paras


def _median_len(paras: list[str]) -> int:
    lengths = sorted(len(p) for p in paras)
    return lengths[len(lengths) // 2] if lengths else 0


def _about_author(para: str, authors: list[str]) -> bool:
    """A note about the writer: "Jane Doe is a reporter …", "By Jane Doe, a deputy editor …"."""
    text = para.removeprefix("By ").removeprefix("by ").casefold()
    return any(text.startswith(a.casefold()) and _AUTHOR_NOTE.search(text[len(a):]) for a in authors if a)
