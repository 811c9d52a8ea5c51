"""A web page's authors: from JSON-LD, author meta tags, ``rel=author`` links, ``itemprop=author``
or byline elements, whichever names someone first."""
from __future__ import annotations

from bs4 import Tag

from indexer.ingest.readers._common import byline_names, clean_author_names

from .tree import class_names, gone, short_text

_AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "dc:creator",
                "dcterms.creator", "parsely-author", "sailthru.author", "byl", "citation_author")
_BYLINE_CHARS = 200         # longest byline element read for names
_AUTHOR_CHARS = 60          # ... and element with "author" in its class (longer: a biography)


def pick_authors(meta: dict, ld: list[dict], tags: dict) -> list[str]:
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
        if gone(el) or not el.attrs:
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
            if gone(el) or not el.attrs or not any(marker in n for n in class_names(el)) or _in_comments(el):
                continue
            text = short_text(el, limit)
            names = (byline_names(text) or clean_author_names(text)) if text else []
            if names:
                return names
    return []


def _in_comments(el: Tag) -> bool:
    """Inside a readers' comments section (whose bylines name commenters, not authors)."""
    return any("comment" in n for parent in el.parents if parent.attrs for n in class_names(parent))


def _org_names(ld: list[dict]) -> set[str]:
    """Publisher names, which JSON-LD sometimes also gives as the author."""
    out = set()
    for obj in ld:
        pub = obj.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            out.add(pub["name"].strip().casefold())
    return out

