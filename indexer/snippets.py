"""Highlighted text: escaped article text with only our own ``<mark>`` tags added.

Article text is data, never HTML: every character that is not inside one of our
``<mark>`` elements goes through ``html.escape``, so a ``<script>`` in an article
reaches the page as text.
"""
from __future__ import annotations

import bisect
import html

from whoosh import highlight
from whoosh.highlight import get_text

from indexer import settings
from indexer.schema import FAST_ANALYZER, _TERMS as TOKENS


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
    """1–3 fragments of ``body`` around the query's terms (analysed form), about ``chars`` long:
    Whoosh's ``highlight`` with a ContextFragmenter, FIRST order and the basic fragment scorer,
    with the fragments found by ``context_fragments``."""
    if terms and body:
        per_fragment = max(60, chars // 2)
        text = body[: settings.HIGHLIGHT_SCAN_CHARS]
        fragments = context_fragments(text, frozenset(terms), maxchars=per_fragment, surround=per_fragment // 3)
        best = highlight.top_fragments(fragments, settings.SNIPPET_FRAGMENTS, highlight.BasicFragmentScorer(),
                                       highlight.FIRST, minscore=1)
        out = MarkFormatter(budget=chars)(text, best)
        if out:
            return out
    return plain_excerpt(body, chars)


class _Match:
    """A matched word as a fragment holds it (what Whoosh's token copies give the scorer and formatter)."""

    __slots__ = ("text", "startchar", "endchar", "boost")

    def __init__(self, text: str, startchar: int, endchar: int):
        self.text, self.startchar, self.endchar, self.boost = text, startchar, endchar, 1.0


def context_fragments(text: str, terms: frozenset, maxchars: int, surround: int,
                      charlimit: int = highlight.DEFAULT_CHARLIMIT) -> list:
    """The fragments ``highlight.ContextFragmenter(maxchars, surround)`` makes of ``text`` for
    ``terms``, without a Token object per word: the words' spans come from one regex pass,
    and the fragmenter's steps run only from a matched word to the end of its fragment
    (between fragments it only remembers where the context before the next match starts,
    which is computed when that match comes)."""
    spans, words = [], []
    for match in TOKENS.finditer(text):
        spans.append(match.span())
        words.append(match.group())
    term_of = TOKENS.cache
    make = TOKENS.term
    found = [k for k, w in enumerate(words) if (term_of.get(w) or make(w)) in terms]
    if not found:
        return []
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    matched = set(found)
    n = len(spans)
    out = []
    first = None
    countdown = -1
    tks: list = []
    endchar = None
    currentlen = 0
    reset = 0           # tokens from here on, outside fragments, are the context buffer
    next_found = 0
    k = 0
    while k < n:
        if countdown < 0:
            # Outside a fragment: skip to the next match (the words between only feed the buffer).
            while next_found < len(found) and found[next_found] < k:
                next_found += 1
            j = found[next_found] if next_found < len(found) else n
            if j > k and ends[j - 1] > charlimit:
                break
            k = j
            if k == n:
                break
        startchar, endchar = spans[k]
        tlength = endchar - startchar
        if charlimit and endchar > charlimit:
            break
        if k in matched and not (currentlen + tlength > maxchars):
            countdown = surround
            if first is None:
                # The buffer: the words since the last fragment that end within ``surround``
                # of the word before this one.
                lo = bisect.bisect_left(starts, ends[k - 1] - surround, reset, k) if k > reset else k
                if lo < k:
                    first = starts[lo]
                else:
                    first = startchar
                    countdown += surround
            word = words[k]
            tks.append(_Match(term_of.get(word) or make(word), startchar, endchar))
        elif currentlen + tlength > maxchars:
            countdown = 0
        if countdown >= 0:
            currentlen += tlength
            countdown -= tlength
            if countdown <= 0:
                out.append(highlight.mkfrag(text, tks, startchar=first, endchar=endchar))
                tks = []
                first = None
                currentlen = 0
                reset = k + 1
        k += 1
    if tks:
        out.append(highlight.mkfrag(text, tks, startchar=first, endchar=endchar))
    return out


def mark_all(text: str, terms: set[str]) -> str:
    """The whole text, escaped, with every query term marked (article page)."""
    if not terms or not text:
        return html.escape(text or "", quote=False)
    out = highlight.highlight(text, frozenset(terms), FAST_ANALYZER, highlight.WholeFragmenter(charlimit=None),
                              MarkFormatter(), top=1)
    return out or html.escape(text, quote=False)
