"""A web page's metadata outside the story text: <meta> values, JSON-LD objects, the title
(with the site name taken off) and the canonical URL."""
from __future__ import annotations

import json
import re
from typing import Optional

from bs4 import Tag

from indexer.ingest.clean import clean_line

_ARTICLE_TYPES = ("article", "newsarticle", "reportagenewsarticle", "blogposting", "report",
                  "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle", "webpage")


def meta_values(tags: dict[str, list[Tag]]) -> dict[str, str]:
    """<meta> contents by lower-cased property/name/itemprop/http-equiv, the first of each kept."""
    values: dict[str, str] = {}
    for tag in tags.get("meta", ()):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def json_ld(tags: dict[str, list[Tag]]) -> list[dict]:
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


def first_h1(tags: dict[str, list[Tag]]) -> str:
    """The text of the first <h1>, one inside an <article> preferred."""
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


def pick_title(meta: dict, ld: list[dict], tags: dict, h1: str, site: Optional[str]) -> str:
    """The title: og/twitter title, else a JSON-LD headline that agrees with the page, else <title> or <h1>."""
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


def canonical_url(tags: dict, meta: dict) -> Optional[str]:
    """The page's own http(s) address from <link rel=canonical>, else og:url."""
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


def story_first(ld: list[dict], title: str) -> list[dict]:
    """JSON-LD objects with the story's own first: an object whose headline disagrees with the
    page's title (a related story in a list) goes after those whose headline agrees or is absent."""
    return sorted(ld, key=lambda o: isinstance(o.get("headline"), str) and not _agrees(o["headline"], title))

