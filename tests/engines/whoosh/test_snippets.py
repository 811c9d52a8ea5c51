"""Snippets: the fragments found without Whoosh's token stream are Whoosh's ContextFragmenter's."""
from __future__ import annotations

import random

import pytest
from whoosh import highlight

from indexer import settings
from indexer.engines.whoosh.schema import FAST_ANALYZER
from indexer.engines.whoosh.snippets import MarkFormatter, context_fragments, snippet

WORDS = ("oil price prices crude barrel OPEC talks talk minister's U.S. 1987 nuclear Korea north "
         "the of and a supercalifragilisticexpialidocious-and-then-some-very-long-word-indeed").split()
PUNCT = [" ", " ", " ", ", ", ". ", "... ", " - ", "\n", "  ", "; "]


def _whoosh_snippet(body: str, terms: set, chars: int = settings.SNIPPET_CHARS) -> str:
    """snippet() as it was written on Whoosh's highlight()."""
    per_fragment = max(60, chars // 2)
    fragmenter = highlight.ContextFragmenter(maxchars=per_fragment, surround=per_fragment // 3)
    return highlight.highlight(body[: settings.HIGHLIGHT_SCAN_CHARS], frozenset(terms), FAST_ANALYZER,
                               fragmenter, MarkFormatter(budget=chars), top=settings.SNIPPET_FRAGMENTS,
                               order=highlight.FIRST)


def _text(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        out.append(rng.choice(WORDS) if rng.random() < 0.97 else "x" * rng.randint(100, 300))
        out.append(rng.choice(PUNCT))
    return "".join(out)


def _fragments(text, terms, maxchars, surround, charlimit=highlight.DEFAULT_CHARLIMIT):
    ours = context_fragments(text, frozenset(terms), maxchars, surround, charlimit)
    tokens = highlight.set_matched_filter(FAST_ANALYZER(text, chars=True, removestops=False), frozenset(terms))
    theirs = list(highlight.ContextFragmenter(maxchars, surround, charlimit).fragment_tokens(text, tokens))
    return ([(f.startchar, f.endchar, [(t.text, t.startchar, t.endchar) for t in f.matches]) for f in ours],
            [(f.startchar, f.endchar, [(t.text, t.startchar, t.endchar) for t in f.matches]) for f in theirs])


@pytest.mark.parametrize("seed", range(40))
def test_fragments_equal_whoosh(seed):
    rng = random.Random(seed)
    text = _text(rng, rng.choice([3, 20, 200, 2000]))
    terms = {t.text for t in FAST_ANALYZER(" ".join(rng.sample(WORDS, rng.randint(1, 4))))}
    for maxchars, surround in ((110, 36), (60, 20), (30, 50), (200, 5)):
        ours, theirs = _fragments(text, terms, maxchars, surround, charlimit=rng.choice([2 ** 15, 500, 40]))
        non_empty = [f for f in theirs if f[2]]
        assert [f for f in ours if f[2]] == non_empty
        assert ours == theirs


@pytest.mark.parametrize("seed", range(40))
def test_snippets_equal_whoosh(seed):
    rng = random.Random(1000 + seed)
    body = _text(rng, rng.choice([5, 50, 500, 12000]))
    terms = {t.text for t in FAST_ANALYZER(" ".join(rng.sample(WORDS, rng.randint(1, 3))))}
    theirs = _whoosh_snippet(body, terms)
    assert snippet(body, terms) == (theirs or snippet(body, set()))


def test_no_match_gives_the_opening():
    assert snippet("Nothing to see here. At all.", {"oil"}) == "Nothing to see here. At all."
