"""Highlighted text: escaped article text with only our own ``<mark>`` tags added.

Article text is data, never HTML: every character that is not inside one of our
``<mark>`` elements goes through ``html.escape``, so a ``<script>`` in an article
reaches the page as text.
"""
from __future__ import annotations

import html

from whoosh import highlight
from whoosh.highlight import get_text

from indexer import settings
from indexer.schema import FAST_ANALYZER


class MarkFormatter(highlight.Formatter):
    """Escapes everything, wraps matched words in <mark>, keeps to a character budget."""

    between = " … "

    def __init__(self, budget: int = 0):
        self.budget = budget

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False) -> str:
        return "<mark>" + html.escape(get_text(text, token, replace), quote=False) + "</mark>"

    def format(self, fragments, replace=False) -> str:
        out, used = [], 0
        for fragment in fragments:
            length = fragment.endchar - fragment.startchar
            if out and self.budget and used + length > self.budget:
                break
            out.append(self.format_fragment(fragment, replace=replace))
            used += length
        return self.between.join(out)


def plain_excerpt(text: str, chars: int = settings.SNIPPET_CHARS) -> str:
    """The opening of a text, cut at a word boundary, escaped."""
    text = " ".join(text[: chars * 2].split())
    if len(text) > chars:
        cut = text.rfind(" ", 0, chars)
        text = text[: cut if cut > chars // 2 else chars] + " …"
    return html.escape(text, quote=False)


def snippet(body: str, terms: set[str], chars: int = settings.SNIPPET_CHARS) -> str:
    """1–3 fragments of ``body`` around the query's terms (analysed form), about ``chars`` long."""
    if terms and body:
        per_fragment = max(60, chars // 2)
        fragmenter = highlight.ContextFragmenter(maxchars=per_fragment, surround=per_fragment // 3)
        out = highlight.highlight(body[: settings.HIGHLIGHT_SCAN_CHARS], frozenset(terms), FAST_ANALYZER,
                                  fragmenter, MarkFormatter(budget=chars), top=settings.SNIPPET_FRAGMENTS,
                                  order=highlight.FIRST)
        if out:
            return out
    return plain_excerpt(body, chars)


def mark_all(text: str, terms: set[str]) -> str:
    """The whole text, escaped, with every query term marked (article page)."""
    if not terms or not text:
        return html.escape(text or "", quote=False)
    out = highlight.highlight(text, frozenset(terms), FAST_ANALYZER, highlight.WholeFragmenter(charlimit=None),
                              MarkFormatter(), top=1)
    return out or html.escape(text, quote=False)
