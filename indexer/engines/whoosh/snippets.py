"""Highlighted text: escaped article text with only our own ``<mark>`` tags added.

Article text is data, never HTML: every character that is not inside one of our
``<mark>`` elements goes through ``html.escape``, so a ``<script>`` in an article
reaches the page as text.
"""
from __future__ import annotations

import bisect
import html
import itertools
import re

from whoosh import highlight
from whoosh.highlight import get_text

from indexer import settings
from indexer.excerpts import plain_excerpt
from indexer.engines.whoosh.schema import HAS_CJK, _TERMS as TOKENS, fast_analyzer, term_maker

# The analyzer's tokenizer as a split with one group: words at the odd places, C speed (the
# pattern for text without CJK is the faster one, as in indexing).
_split_words = re.compile("(%s)" % TOKENS.findall.__self__.pattern, TOKENS.findall.__self__.flags).split
_split_cjk_words = re.compile("(%s)" % TOKENS.pattern.pattern, TOKENS.pattern.flags).split


class MarkFormatter(highlight.Formatter):
    """Escapes everything, wraps matched words in <mark>, keeps to a character budget."""

    between = " … "

    def __init__(self, budget: int = 0):
        self.budget = budget

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False) -> str:
        """A match escaped and wrapped in `<mark>`, the only markup snippets carry."""
        return "<mark>" + html.escape(get_text(text, token, replace), quote=False) + "</mark>"

    def format(self, fragments, replace=False) -> str:
        """Joins fragments up to the snippet budget, so a hit's snippet has a bounded length."""
        out, used = [], 0
        for fragment in fragments:
            length = fragment.endchar - fragment.startchar
            if out and self.budget and used + length > self.budget:
                break
            out.append(self.format_fragment(fragment, replace=replace))
            used += length
        return self.between.join(out)


def snippet(body: str, terms: set[str], chars: int = settings.SNIPPET_CHARS, lang: str = "") -> str:
    """1–3 fragments of ``body`` around the query's terms (analysed form), about ``chars`` long:
    Whoosh's ``highlight`` with a ContextFragmenter, FIRST order and the basic fragment scorer,
    with the fragments found by ``context_fragments``; ``lang``: the article's language, whose
    analysis tells which of its words are the terms."""
    if terms and body:
        per_fragment = max(60, chars // 2)
        text = body[: settings.HIGHLIGHT_SCAN_CHARS]
        fragments = context_fragments(text, frozenset(terms), maxchars=per_fragment, surround=per_fragment // 3,
                                      lang=lang)
        best = highlight.top_fragments(fragments, settings.SNIPPET_FRAGMENTS, highlight.BasicFragmentScorer(),
                                       highlight.FIRST, minscore=1)
        out = MarkFormatter(budget=chars)(text, best)
        if out:
            return out.replace("</mark><mark>", "")     # CJK characters of one match are marked one by one
    return plain_excerpt(body, chars)


class _Match:
    """A matched word as a fragment holds it (what Whoosh's token copies give the scorer and formatter)."""

    __slots__ = ("text", "startchar", "endchar", "boost")

    def __init__(self, text: str, startchar: int, endchar: int):
        self.text, self.startchar, self.endchar, self.boost = text, startchar, endchar, 1.0


def context_fragments(text: str, terms: frozenset, maxchars: int, surround: int,
                      charlimit: int = highlight.DEFAULT_CHARLIMIT, lang: str = "") -> list:
    """The fragments ``highlight.ContextFragmenter(maxchars, surround)`` makes of ``text`` for
    ``terms``, without a Token object per word: the words' spans come from one regex split,
    and the fragmenter's steps run only from a matched word to the end of its fragment
    (between fragments it only remembers where the context before the next match starts,
    which is computed when that match comes)."""
    maker = term_maker(lang)
    term_of = maker.cache
    make = maker.term
    cjk_found: set = set()
    if HAS_CJK(text):
        parts, cjk_found = _cjk_characters(_split_cjk_words(text), terms)
    else:
        parts = _split_words(text)      # [between, word, between, word, …, between]
    words = parts[1::2]
    hits = {w for w in set(words) if (term_of.get(w) or make(w)) in terms}
    if not hits and not cjk_found:
        return []
    found = [k for k, w in enumerate(words) if w in hits or k in cjk_found]
    offsets = list(itertools.accumulate(map(len, parts)))
    starts = offsets[0::2]              # word k starts where the k-th "between" ends
    ends = offsets[1::2]
    matched = set(found)
    n = len(words)
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
        startchar, endchar = starts[k], ends[k]
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


def _cjk_characters(parts: list[str], terms: frozenset) -> tuple[list[str], set]:
    """``parts`` with each CJK run split into its characters (so that a snippet marks exactly
    the characters of a matched pair), and the word numbers of the characters that belong to
    a pair (or a lone character) among ``terms``."""
    out, found = [parts[0]], set()
    for i in range(1, len(parts), 2):
        word, between = parts[i], parts[i + 1]
        if not HAS_CJK(word[:1]):
            out += [word, between]
            continue
        first = len(out) // 2
        pairs = [word[k:k + 2] for k in range(len(word) - 1)] or [word]
        for k, pair in enumerate(pairs):
            if TOKENS.term(pair) in terms:
                found.update(range(first + k, first + k + len(pair)))
        for ch in word[:-1]:
            out += [ch, ""]
        out += [word[-1], between]
    return out, found


def mark_all(text: str, terms: set[str], lang: str = "") -> str:
    """The whole text, escaped, with every query term marked (article page; its words analysed in ``lang``)."""
    if not terms or not text:
        return html.escape(text or "", quote=False)
    out = highlight.highlight(text, frozenset(terms), fast_analyzer(lang), highlight.WholeFragmenter(charlimit=None),
                              MarkFormatter(), top=1)
    return out or html.escape(text, quote=False)
