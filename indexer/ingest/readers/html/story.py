"""Finding the story on a web page: the densest block of paragraphs scored as Readability does,
widened to the blocks of the same story or replaced by a marked-up container, then its text
split into paragraphs."""
from __future__ import annotations

import re
from typing import Optional

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData

from indexer.ingest.clean import clean_text

from .tree import gone, live

_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
           "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "caption",
           "figure", "figcaption", "address", "hr", "center", "details", "summary", "body", "html"}
_SPACE_RUNS = re.compile(r"\s+")

# Finding the story (see _Weights and main_blocks).
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


def main_blocks(soup: BeautifulSoup, tags: dict) -> tuple[list[Tag], "_Weights"]:
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
    with_attrs = [el for el in live(tags, "*") if el.attrs]
    for wide, finder in ((False, lambda: [el for el in with_attrs if el.get("itemprop") == "articleBody"]),
                         (False, lambda: live(tags, "article")),
                         (True, lambda: live(tags, "main")),
                         (True, lambda: [el for el in with_attrs if el.get("role") == "main"])):
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


def drop_link_lists(blocks: list[Tag], w: _Weights) -> None:
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
        if not gone(el):
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


def block_paragraphs(container: Tag) -> list[str]:
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

