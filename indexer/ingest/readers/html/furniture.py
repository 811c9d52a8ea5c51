"""Page furniture removed before the story is looked for: navigation, scripts, forms, hidden
elements and blocks whose class or role names boilerplate, unless they wrap the page's text."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .tree import class_names, gone, live

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


def _label_names(el: Tag) -> list[str]:
    """Class names and the id, less an id that is a heading's slug ("sharing-with-a-team"):
    it names the section's subject, not its role on the page."""
    names = class_names(el)
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


def remove_boilerplate(soup: BeautifulSoup, tags: dict) -> None:
    """Remove page furniture in place, keeping any element that holds the story or most of its text."""
    p_text = _ancestor_sums(live(tags, "p"), lambda p: len(p.get_text()))
    total = max(p_text.values(), default=0) or 1
    for el in live(tags, *_DROP_TAGS):
        if gone(el):
            continue
        if el.name in _WRAPPER_TAGS and p_text.get(id(el), 0) > _WRAPPER_SHARE * total:
            continue     # a <header>/<nav> around the whole page, not page furniture
        el.decompose()
    holds_story = _ancestor_sums(live(tags, "article", "main", "h1"), lambda el: 1)
    doomed = []
    for el in live(tags, "*"):
        if el.name in _PROTECTED or not el.attrs and el.name not in _GUARDED_TAGS:
            continue
        attrs = el.attrs
        hidden = ("hidden" in attrs or attrs.get("aria-hidden") == "true"
                  or _HIDDEN_STYLE.search(str(attrs.get("style", ""))))
        role = str(attrs.get("role", "")).lower()
        if hidden or role in _BOILERPLATE_ROLES or el.name in _GUARDED_TAGS or _boilerplate_label(el):
            doomed.append(el)
    for el in doomed:
        if gone(el):
            continue
        if holds_story.get(id(el), 0) - (el.name in ("article", "main", "h1")) > 0 \
                or p_text.get(id(el), 0) > _WRAPPER_SHARE * total:
            continue     # a page wrapper that merely has a misleading class; keep it
        el.decompose()

