"""The page's elements indexed once by tag name, and the small element helpers every step of the
HTML reader shares (whether an element was removed, its class names, its text when short)."""
from __future__ import annotations

from typing import Optional

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData


def index_tags(soup: BeautifulSoup) -> dict[str, list[Tag]]:
    """Elements by tag name ("*": all), in document order: one walk instead of many find_all calls."""
    tags: dict[str, list[Tag]] = {"*": []}
    every = tags["*"]
    for node in soup.descendants:
        if isinstance(node, Tag):
            every.append(node)
            tags.setdefault(node.name, []).append(node)
    return tags


def gone(el: Tag) -> bool:
    """Whether ``el`` was decomposed. Not ``el.decomposed``: on a live tag that property
    falls through to Tag.__getattr__, i.e. a search of the whole subtree."""
    return el.__dict__.get("_decomposed", False)


def live(tags: dict[str, list[Tag]], *names: str) -> list[Tag]:
    """The indexed elements of these tag names that have not been removed since."""
    return [el for name in names for el in tags.get(name, ()) if not gone(el)]



def class_names(el: Tag) -> list[str]:
    """The element's class names and id, lower-cased: what page furniture and bylines are recognised by."""
    names = el.attrs.get("class") or []
    names = names if isinstance(names, list) else str(names).split()
    return [n.lower() for n in names] + [str(el.attrs.get("id", "")).lower()]



def short_text(el: Tag, limit: int) -> Optional[str]:
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

