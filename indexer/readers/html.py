"""Saved web pages (.html, .htm): metadata from <head>, article text from the main content block."""
from __future__ import annotations

import json
import re
from typing import Optional, Union

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData

from indexer.clean import clean_line, clean_text, decode_bytes, drop_furniture
from indexer.model import SKIP_EMPTY, SKIP_NOT_ARTICLE, RawArticle, SkipFile
from indexer.readers._common import date_in_url, fallback_title, find_dateline, parse_date

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
    r"(?:^|[\s_-])(?:nav\w*|menu\w*|share\w*|sharing|social\w*|related\w*|comments?\w*|footer\w*"
    r"|cookie\w*|consent\w*|gdpr|ad|ads|adv|advert\w*|adslot\w*|sponsor\w*|promo\w*|newsletter\w*"
    r"|subscri\w*|breadcrumbs?|sidebar\w*|popup\w*|modal\w*|outbrain\w*|taboola\w*|trending"
    r"|popular|recommend\w*|skip-?links?|sr-only|visually-hidden|screen-reader-text|toolbar)(?=$|[\s_-])")
_BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                      "alertdialog", "menu", "menubar"}
_PROTECTED = {"html", "body", "main", "article"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
           "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "caption",
           "figure", "figcaption", "address", "hr", "center", "details", "summary", "body", "html"}
_SPACE_RUNS = re.compile(r"\s+")

_DATE_META = ("article:published_time", "og:article:published_time", "article:published",
              "datepublished", "date", "pubdate", "publishdate", "publish-date", "publish_date",
              "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.issued",
              "dcterms.created", "sailthru.date", "parsely-pub-date", "citation_publication_date",
              "originalpublicationdate", "article.published", "created", "datecreated")
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
    date = _pick_date(meta, ld, tags, url)

    for el in tags.get("script", []) + tags.get("style", []):
        el.decompose()
    if not soup.get_text(strip=True):
        raise SkipFile(SKIP_EMPTY, "no text")
    _remove_boilerplate(soup, tags)
    container = _main_container(soup, tags)
    paras = drop_furniture(_block_paragraphs(container), title or None)

    dateline = None
    text_date, idx = find_dateline(paras[:3], limit=3)
    if idx is not None:                             # a date-only line is metadata, not body
        dateline = paras.pop(idx)
    date = date or text_date
    body = "\n\n".join(paras)
    if not body:
        raise SkipFile(SKIP_NOT_ARTICLE, "no article text")
    if not title:
        title = fallback_title(body)
    return RawArticle(source=source, title=title, body=body, date=date, url=url, dateline=dateline)


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
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
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
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
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
    for obj in ld:
        if isinstance(obj.get("headline"), str) and obj["headline"].strip():
            return clean_line(obj["headline"])
    title_tag = next((t for t in tags.get("title", ()) if t.find_parent("svg") is None), None)
    page_title = clean_line(title_tag.get_text(" ")) if title_tag else ""
    if page_title:
        if h1 and (page_title.lower().startswith(h1.lower()) or h1.lower() in page_title.lower()):
            return h1
        return strip_site_name(page_title, site)
    return h1


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


def _pick_date(meta: dict, ld: list[dict], tags: dict, url: Optional[str]):
    date = parse_date(meta.get("article:published_time"))
    if date:
        return date
    for obj in ld:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            date = parse_date(obj.get(key))
            if date:
                return date
    for key in _DATE_META:
        date = parse_date(meta.get(key))
        if date:
            return date
    date = _time_element_date(tags)
    if date:
        return date
    return date_in_url(url) or date_in_url(meta.get("og:url"))


def _time_element_date(tags: dict):
    times = [t for t in tags.get("time", ()) if t.get("datetime")]
    if not times:
        return None

    def rank(t: Tag) -> int:
        attrs = " ".join([str(t.get("itemprop", "")), " ".join(t.get("class", []) or []),
                          "pubdate" if t.has_attr("pubdate") else ""]).lower()
        if "pub" in attrs:
            return 0
        if t.find_parent("article") is not None:
            return 1
        return 2

    for t in sorted(times, key=rank):
        date = parse_date(t["datetime"])
        if date:
            return date
    return None


# --------------------------------------------------------------------------- body

def _p_text_len(el: Tag) -> int:
    return sum(len(p.get_text()) for p in el.find_all("p"))


def _remove_boilerplate(soup: BeautifulSoup, tags: dict) -> None:
    for el in _live(tags, *_DROP_TAGS):
        if not _gone(el):
            el.decompose()
    total = sum(len(p.get_text()) for p in _live(tags, "p")) or 1
    doomed = []
    for el in _live(tags, "*"):
        if el.name in _PROTECTED or not el.attrs and el.name not in _GUARDED_TAGS:
            continue
        attrs = el.attrs
        hidden = ("hidden" in attrs or attrs.get("aria-hidden") == "true"
                  or _HIDDEN_STYLE.search(str(attrs.get("style", ""))))
        role = str(attrs.get("role", "")).lower()
        names = attrs.get("class") or []
        label = " ".join(names if isinstance(names, list) else [names]) + " " + str(attrs.get("id", ""))
        if hidden or role in _BOILERPLATE_ROLES or el.name in _GUARDED_TAGS \
                or _BOILERPLATE.search(label.lower()):
            doomed.append(el)
    for el in doomed:
        if _gone(el):
            continue
        if el.find(["article", "main", "h1"]) is not None or _p_text_len(el) > 0.6 * total:
            continue     # a page wrapper that merely has a misleading class; keep it
        el.decompose()


def _main_container(soup: BeautifulSoup, tags: dict) -> Tag:
    body = soup.body or soup
    live = [el for el in _live(tags, "*") if el.attrs]
    for finder in (lambda: [el for el in live if el.get("itemprop") == "articleBody"],
                   lambda: _live(tags, "article"),
                   lambda: _live(tags, "main"),
                   lambda: [el for el in live if el.get("role") == "main"]):
        found = finder()
        if found:
            best = max(found, key=lambda el: len(el.get_text()))
            if best.get_text(strip=True):
                return best
    scores: dict[int, list] = {}
    for p in _live(tags, "p"):
        parent = p.parent
        if parent is None:
            continue
        entry = scores.setdefault(id(parent), [parent, 0])
        entry[1] += len(p.get_text())
    if scores:
        parent, score = max(scores.values(), key=lambda e: e[1])
        if score >= 0.3 * (_p_text_len(body) or 1):
            return parent
    return body


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
        parent = node.parent
        block = block_of.get(id(parent))
        if block is None:
            block = parent
            while block is not container and block.name not in _BLOCKS and block.parent is not None:
                block = block.parent
            block_of[id(parent)] = block
        if block is not current:
            flush()
            current = block
        s = str(node)
        buf.append(s if block.name == "pre" else _SPACE_RUNS.sub(" ", s))
    flush()
    return paras
