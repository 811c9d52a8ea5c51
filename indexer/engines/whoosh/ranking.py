"""Relevance order for plain word queries, computed with numpy.

Whoosh scores every matching document in Python (a matcher tree, a scorer call
per posting), which is the slow tail of relevance-ranked pages for common words.
For boolean trees of terms and phrases (And, Or, Not, AndNot, AndMaybe; phrases
matched by indexer.phrases) the same BM25F scores are computed here over whole
posting lists: per-document weights from the postings and field lengths from the
length columns (both cached per generation), the idf, average length, B and K1 taken from the searcher's own scorer, so the
numbers are Whoosh's. Anything else (ranges, wildcards, boosts, phrases with a slop)
returns None and the caller falls back to Whoosh.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
from whoosh import query as wq
from whoosh import scoring

from indexer import settings

from indexer.engines.whoosh import matching, phrases
from indexer.engines.whoosh.postings import term_postings
from indexer.engines.whoosh.docvalues import field_lengths

class Unsupported(Exception):
    """Raised when a query has a shape the numpy ranking does not score, so the caller falls back to Whoosh."""
    pass


def _lengths(gen, searcher, fieldname: str) -> np.ndarray:
    lengths = gen.lengths.get(fieldname)
    if lengths is None:
        lengths = field_lengths(searcher.reader(), fieldname)
        gen.lengths[fieldname] = lengths
    return lengths


def _term_scores(gen, searcher, q: wq.Term) -> np.ndarray:
    out = np.zeros(gen.values.ndocs, dtype=np.float64)
    scored = _posting_scores(gen, searcher, q.fieldname, q.text, None)
    if scored is None:
        return out
    ids, s = scored
    if q.boost != 1.0:
        s = s * q.boost
    out[ids] = s
    return out


def _posting_scores(gen, searcher, fieldname: str, text, postings) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """(document numbers, Whoosh's score of term ``text`` in each), for the term's whole posting
    list, or for ``postings`` = (ids, weights) when given; None when the term isn't in the index.
    A whole list's scores are kept in the generation's MatchCache (under ("scores", field, text)):
    the term lookups behind idf and lengths cost more than the arithmetic for a repeated word."""
    if postings is None:
        ids = gen.cache.get_term((fieldname, text))
        scores = gen.cache.get_term(("scores", fieldname, text))
        if ids is not None and scores is not None and len(ids) == len(scores):
            return ids, scores
        found = _term_scores_uncached(gen, searcher, fieldname, text, None)
        if found is not None:
            gen.cache.put_term(("scores", fieldname, text), found[1])
        return found
    return _term_scores_uncached(gen, searcher, fieldname, text, postings)


def _term_scores_uncached(gen, searcher, fieldname: str, text, postings) -> Optional[tuple[np.ndarray, np.ndarray]]:
    schema = searcher.schema
    if fieldname not in schema:
        return None
    try:
        btext = schema[fieldname].to_bytes(text)
    except ValueError:
        return None
    weighting = searcher.weighting
    if schema[fieldname].scorable and hasattr(weighting, "params"):     # NewsBM25F
        # (idf, average length, B, K1), kept per term: a phrase or proximity pair asks again for
        # the words the query's terms were just scored with, and each ask is a lookup per segment.
        key = ("bm25", fieldname, text)
        params = gen.cache.get_term(key)
        if params is None:
            if (fieldname, btext) not in searcher.reader():
                return None
            params = np.array(weighting.params(searcher, fieldname, btext), dtype=np.float64)
            gen.cache.put_term(key, params)
        ids, w = postings if postings is not None else term_postings(gen, searcher, fieldname, text)
        return ids, _bm25(gen, searcher, fieldname, ids, w, *params.tolist())
    if (fieldname, btext) not in searcher.reader():
        return None
    scorer = weighting.scorer(searcher, fieldname, btext)
    if type(scorer) is scoring.WeightScorer:
        # Unscorable fields (a facet's): the score is the posting's weight.
        ids, w = postings if postings is not None else term_postings(gen, searcher, fieldname, text)
        return ids, w.astype(np.float64)
    if isinstance(scorer, scoring.BM25FScorer) and hasattr(scorer, "dfl"):
        ids, w = postings if postings is not None else term_postings(gen, searcher, fieldname, text)
        return ids, _bm25(gen, searcher, fieldname, ids, w, scorer.idf, scorer.avgfl, scorer.B, scorer.K1)
    raise Unsupported(type(scorer).__name__)


def _bm25(gen, searcher, fieldname: str, ids, w, idf, avgfl, B, K1) -> np.ndarray:
    """The same operations in the same order as whoosh.scoring.bm25, in float64."""
    w = w.astype(np.float64)
    fl = _lengths(gen, searcher, fieldname)[ids]
    return idf * ((w * (K1 + 1)) / (w + K1 * ((1 - B) + B * fl / avgfl)))


def phrase_scores(gen, searcher, q: wq.Phrase, within: Optional[np.ndarray] = None) -> np.ndarray:
    """A phrase scores as Whoosh's span matcher does: the sum of its words' term scores (each
    word's whole frequency in the field), added up as its binary tree of matchers adds them.
    ``within``: only these (sorted) documents are looked at; the others score 0."""
    out = np.zeros(gen.values.ndocs, dtype=np.float64)
    found = phrases.phrase_postings(gen, searcher, q, within)
    if not len(found.docs):
        return out
    by_word = {}
    for word, w in found.weights.items():
        scored = _posting_scores(gen, searcher, q.fieldname, word, (found.docs, w))
        if scored is None:
            return out
        by_word[word] = scored[1]
    out[found.docs] = _tree_sum([by_word[word] for word in q.words])
    return out


def whoosh_query(gen, searcher, q):
    """``q`` for Whoosh's searcher (a query the numpy ranking leaves to it): its title and body
    phrases, whose positions Whoosh cannot read, as their documents with their phrase scores."""
    def found(phrase):
        docs = phrases.phrase_postings(gen, searcher, phrase).docs
        return docs, phrase_scores(gen, searcher, phrase)[docs]
    return phrases.for_whoosh(searcher, q, found)


def _tree_sum(parts: list):
    """a + b, or a + (b + c), …: the order whoosh.util.make_binary_tree nests matchers in."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def _scores(gen, searcher, q, top: bool = False) -> np.ndarray:
    """Dense scores: a document's score for ``q`` where it matches ``q``, 0 where it doesn't
    (``top``: anywhere; the caller looks only at documents matching the whole query)."""
    kind = type(q)
    if kind is wq.Term:
        return _term_scores(gen, searcher, q)
    if kind is wq.Every and not q.fieldname:
        return np.zeros(gen.values.ndocs, dtype=np.float64)
    if kind is wq.TermRange and q.constantscore:
        # Whoosh's constant-score range: every document it matches scores its boost.
        return matching.mask_of(gen, searcher, q).astype(np.float64) * q.boost
    if getattr(q, "boost", 1.0) != 1.0:
        raise Unsupported("boost")
    if kind is wq.Phrase:
        if not phrases.supported(searcher, q):
            raise Unsupported("phrase")
        return phrase_scores(gen, searcher, q)
    if kind is wq.Or and not getattr(q, "minmatch", 0) and not getattr(q, "scale", None):
        # A union: each matching subquery adds its score (the others add 0).
        return _sum(gen, searcher, q.subqueries)
    if kind is wq.And:
        out = _sum(gen, searcher, q.subqueries)
    elif kind is wq.AndNot:
        out = _scores(gen, searcher, q.a)
    elif kind is wq.AndMaybe:
        out = _scores(gen, searcher, q.a) + _scores(gen, searcher, q.b)
    elif kind is wq.Not:
        # Whoosh's InverseMatcher gives every document it matches a score of 1.0
        # (so "oil NOT coffee" scores as "oil" + 1).
        return (~matching.mask_of(gen, searcher, q.query)).astype(np.float64)
    else:
        raise Unsupported(kind.__name__)
    if not top:     # some subqueries may match where the whole doesn't (matters inside an Or)
        out[~matching.mask_of(gen, searcher, q)] = 0.0
    return out


def _sum(gen, searcher, subs) -> np.ndarray:
    if not subs:
        return np.zeros(gen.values.ndocs, dtype=np.float64)
    out = _scores(gen, searcher, subs[0])
    for sub in subs[1:]:
        out = out + _scores(gen, searcher, sub)
    return out


def supported(q) -> bool:
    """Whether the numpy ranking scores this query exactly as Whoosh would, checked before trying it."""
    kind = type(q)
    if kind is wq.Term or (kind is wq.Every and not q.fieldname) or (kind is wq.TermRange and q.constantscore):
        return True
    if getattr(q, "boost", 1.0) != 1.0:
        return False
    if kind is wq.And or (kind is wq.Or and not getattr(q, "minmatch", 0) and not getattr(q, "scale", None)):
        return all(supported(s) for s in q.subqueries)
    if kind is wq.AndNot:
        return supported(q.a)       # b only removes documents (done by the match mask)
    if kind is wq.AndMaybe:
        return supported(q.a) and supported(q.b)
    if kind is wq.Not:
        return True                 # a constant score where the child doesn't match
    if kind is wq.Phrase:
        return q.slop == 1          # the rest is checked against the schema when scoring
    return False


def _key(s: np.ndarray, primary: Optional[np.ndarray], cand: np.ndarray) -> np.ndarray:
    """The order key: the score, or (primary, score) as one number, primary in the high part
    (scores are >= 0)."""
    if primary is None or not len(s):
        return s
    return primary[cand].astype(np.float64) * (float(s.max()) + 1.0) + s


def ranked(gen, searcher, query, final: np.ndarray, start: int, end: int, rescore=None,
           primary: Optional[np.ndarray] = None) -> Optional[list[tuple[int, float]]]:
    """(docnum, score) for positions start..end in relevance order (score descending, then
    document number, as Whoosh's collector orders them), or None when the query isn't a
    plain boolean tree of terms and phrases. ``primary``: ordered by it first (descending),
    then by score. ``rescore(docs) -> bonus or None``: the best ``max(end, RESCORE_WINDOW)``
    documents get the bonus added before the final order (as a search engine's rescore
    window: the proximity bonus reads word positions for those documents only)."""
    if not supported(query):
        return None
    try:
        scores = _scores(gen, searcher, query, top=True)
    except Unsupported:
        return None
    cand = np.flatnonzero(final)
    if len(cand) == 0 or end <= start:
        return []
    s = scores[cand]
    key = _key(s, primary, cand)
    if rescore is not None:
        window = max(end, settings.RESCORE_WINDOW)
        if window < len(cand):
            top = np.sort(np.argpartition(-key, window - 1)[:window])
            cand, s = cand[top], s[top]
        bonus = rescore(cand)
        if bonus is not None:
            s = s + bonus
        key = _key(s, primary, cand)
    if end < len(cand):
        top = np.argpartition(-key, end - 1)[:end]
        # Documents scoring the same as the end-th one may be cut arbitrarily: keep them all.
        kth = key[top].min()
        top = np.flatnonzero(key >= kth)
        cand, s, key = cand[top], s[top], key[top]
    order = np.lexsort((cand, -key))[start:end]
    return [(int(cand[i]), float(s[i])) for i in order]
