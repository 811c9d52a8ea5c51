"""Phrase matching with numpy: the documents where a phrase's words stand next to each other.

Whoosh matches a phrase with a span matcher that walks the intersection of the
words' postings in Python, decoding every candidate's positions as it goes, and
walks it again to score: a common pair ("dlr share") took seconds. Here the
words are read rarest first, each one's blocks only where earlier words left
candidate documents, positions are decoded for those candidates only, and the
adjacency test is one numpy intersection of (document, position - offset) keys.

Only what Whoosh's ``Phrase`` does by default is handled: slop 1 (each word at
the next position), ordered, in a field with positions. ``supported`` says so;
the callers fall back to Whoosh for the rest. Title and body keep their positions in
the segments' ``.pos`` files only (``schema.FastText``), so their phrases are always
matched here, never by Whoosh (``whoosh_query`` hands Whoosh their documents instead).

The result, per phrase: its documents (sorted; deleted ones included, as in the
word postings, the caller's masks drop them) and each distinct word's posting
weight in those documents, which is what BM25F needs to score the phrase as
Whoosh does (the sum of its words' term scores).
"""
from __future__ import annotations

import itertools
from typing import NamedTuple, Optional

import numpy as np
from whoosh import formats
from whoosh import query as wq

from indexer.engines.whoosh import positions, postings
from indexer.engines.whoosh.schema import side_positions

_STRIDE = np.int64(1) << 32


class MissingPositions(LookupError):
    """A segment lacks the ``.pos`` file its title and body positions are kept in (removed, or
    damaged): its phrases cannot be matched, and the index needs a rebuild."""


class PhrasePostings(NamedTuple):
    """Where a phrase occurs with its words' weights, so it can be scored like one term."""
    docs: np.ndarray                 # int32 document numbers (all segments) holding the phrase, sorted
    weights: dict                    # word → its posting weights in ``docs`` (float32 or float64)


class _Postings(NamedTuple):
    ids: np.ndarray                  # int64 document numbers, sorted
    weights: np.ndarray
    counts: np.ndarray               # int64 positions per posting
    positions: np.ndarray            # int64, all postings' positions one after another


def supported(searcher, q) -> bool:
    """Whether ``q`` is a phrase this module matches exactly as Whoosh would."""
    if type(q) is not wq.Phrase or q.slop != 1 or len(q.words) < 2 or any(w is None for w in q.words):
        return False
    schema = searcher.schema
    if q.fieldname not in schema:
        return False
    field = schema[q.fieldname]
    fmt = field.format
    return side_positions(field) or (bool(fmt) and fmt.supports("positions"))


def phrase_postings(gen, searcher, q: wq.Phrase, within: Optional[np.ndarray] = None) -> PhrasePostings:
    """The documents holding phrase ``q`` and its words' weights there (cached per generation);
    with ``within`` (sorted document numbers), among those documents only (not cached): the
    words' positions are read for them alone."""
    if within is not None:
        return _match(searcher, q.fieldname, q.words, gen.positions, within.astype(np.int64))
    key = ("phrase", q.fieldname, tuple(q.words))
    docs = gen.cache.get_term(key)
    weights = gen.cache.get_term(key + ("weights",))
    if docs is not None and weights is not None and weights.shape[0] == len(docs):
        return PhrasePostings(docs, dict(zip(dict.fromkeys(q.words), weights.T)))
    found = _match(searcher, q.fieldname, q.words, gen.positions)
    gen.cache.put_term(key, found.docs)
    if found.weights:
        gen.cache.put_term(key + ("weights",), np.column_stack(list(found.weights.values())))
    return found


def _match(searcher, fieldname: str, words: list, sides: Optional[dict] = None,
           within: Optional[np.ndarray] = None) -> PhrasePostings:
    """``sides``: the generation's open ``.pos`` files (indexer.positions.for_leaf); ``within``:
    sorted int64 document numbers to look in (default: all)."""
    sides = {} if sides is None else sides
    field = searcher.schema[fieldname]
    reader = searcher.reader()
    unique = list(dict.fromkeys(words))
    empty = PhrasePostings(np.zeros(0, dtype=np.int32), {})
    btexts = {}
    for word in unique:
        try:
            btexts[word] = field.to_bytes(word)
        except ValueError:
            return empty
        if within is None and (fieldname, btexts[word]) not in reader:
            return empty
    # Rarest first: each later word is read only in blocks holding the candidates left so far
    # (with ``within``, the candidates are few from the start: no lookups to order them).
    order = unique if within is not None else sorted(unique, key=lambda w: reader.doc_frequency(fieldname, btexts[w]))
    postings: dict = {}
    candidates: Optional[np.ndarray] = within
    for word in order:
        p = _read(searcher, fieldname, word, candidates, sides)
        postings[word] = p
        candidates = p.ids if candidates is None else np.intersect1d(candidates, p.ids, assume_unique=True)
        if not len(candidates):
            return empty
    # Keys (candidate index, position + offset): a phrase starts where every word's key agrees.
    keys_by_word = {}
    for word, p in postings.items():
        at = np.searchsorted(p.ids, candidates)                  # candidates ⊆ p.ids
        slot = np.full(len(p.ids), -1, dtype=np.int64)
        slot[at] = np.arange(len(candidates), dtype=np.int64)
        slot_of_position = np.repeat(slot, p.counts)
        keep = slot_of_position >= 0
        keys_by_word[word] = slot_of_position[keep] * _STRIDE + p.positions[keep]
    k = len(words)
    starts = None
    for i, word in enumerate(words):
        keys = keys_by_word[word] + (k - i)        # shifted so that no key crosses into another document
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        if not len(starts):
            return empty
    slots = np.unique(starts // _STRIDE)
    docs = candidates[slots]
    weights = {}
    for word in unique:
        p = postings[word]
        weights[word] = p.weights[np.searchsorted(p.ids, docs)]
    return PhrasePostings(docs.astype(np.int32), weights)


def _read(searcher, fieldname: str, text, candidates: Optional[np.ndarray], sides: dict) -> _Postings:
    """One word's postings over all segments with their positions; with ``candidates`` (sorted
    document numbers) only those documents' postings, skipping blocks that hold none of them."""
    field = searcher.schema[fieldname]
    only_side = side_positions(field)
    fast = only_side or type(field.format) is formats.Positions
    parts: list[_Postings] = []
    for reader, base in searcher.reader().leaf_readers():
        found = postings.lookup(reader, fieldname, text)
        if found is None:
            continue
        if fast and found is not NotImplemented:
            side = positions.for_leaf(reader, sides)
            read = _read_side(side, fieldname, found, base, candidates) if side is not None else None
            if read is None and only_side:
                raise MissingPositions(f"no positions of {fieldname} for segment {reader._segment.segment_id()}: "
                                       "rebuild the index")
            parts.append(read if read is not None else _read_blocks(found, base, candidates))
            continue
        if only_side:
            raise MissingPositions(f"{fieldname} is not in a segment format with positions: rebuild the index")
        try:
            m = reader.postings(fieldname, text)
        except Exception:      # TermNotFound, or a field this segment doesn't have
            continue
        ids_l, w_l, lists = [], [], []
        while m.is_active():
            ids_l.append(m.id())
            w_l.append(m.weight())
            lists.append(m.value_as("positions"))
            m.next()
        ids = np.asarray(ids_l, dtype=np.int64) + base
        keep = np.flatnonzero(np.isin(ids, candidates)) if candidates is not None else np.arange(len(ids))
        counts, flat = _flatten([lists[i] for i in keep.tolist()])
        parts.append(_Postings(ids[keep], np.asarray(w_l, dtype=np.float64)[keep], counts, flat))
    if len(parts) == 1:
        return parts[0]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Postings(empty, np.zeros(0, dtype=np.float64), empty, empty)
    return _Postings(*(np.concatenate(column) for column in zip(*parts)))


def _read_side(side, fieldname: str, source, base: int, candidates: Optional[np.ndarray]) -> Optional[_Postings]:
    """A posting list's positions from its segment's ``.pos`` file (indexer.positions), with
    its ids and weights from there too when the file has them, else from the blocks (values
    left unread); None when the file lacks the term."""
    found = side.term(fieldname, source.offset, source.postings)
    if found is None:
        return None
    if found.ids is not None:
        ids, weights = found.ids + base, found.weights
    else:
        ids, weights = postings.ids_and_weights(source, base)
    counts, flat = found.counts, found.positions
    if candidates is None:
        return _Postings(ids, weights, counts, flat)
    keep = _positions_of(ids, candidates)
    kept_counts = counts[keep]
    starts = (np.cumsum(counts) - counts)[keep]
    at = np.repeat(starts - (np.cumsum(kept_counts) - kept_counts), kept_counts) + \
        np.arange(int(kept_counts.sum()), dtype=np.int64)
    return _Postings(ids[keep], weights[keep], kept_counts, flat[at])


def _positions_of(ids: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Indices into ``ids`` (sorted, unique) of the ``candidates`` (sorted) it holds, in order:
    a binary search per candidate, so a few candidates cost little against a long list
    (``np.isin`` sorts both)."""
    if len(candidates) * 8 > len(ids):
        return np.flatnonzero(np.isin(ids, candidates, assume_unique=True))
    at = np.searchsorted(ids, candidates)
    inside = at < len(ids)
    at, wanted = at[inside], candidates[inside]
    return at[ids[at] == wanted]


def _read_blocks(source, base: int, candidates: Optional[np.ndarray]) -> _Postings:
    """A plain Whoosh 3 posting list: ids, weights and positions, of the candidates' postings
    only when ``candidates`` are given (blocks holding none of them aren't unpickled)."""
    unpacked, id_parts, w_parts = [], [], []
    below = base        # every id in the current block is >= below (the previous block's max + 1)
    for block in postings.blocks(source):
        top = base + block.maxid
        if candidates is not None:
            skip = np.searchsorted(candidates, below) == np.searchsorted(candidates, top, side="right")
            below = top + 1
            if skip:
                continue
        u = postings.Unpacked(block)
        deltas, weights = u.ids_weights()
        unpacked.append(u)
        id_parts.append(deltas)
        w_parts.append(postings.weights_array(weights, block.count))
    if not id_parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Postings(empty, np.zeros(0, dtype=np.float32), empty, empty)
    counts = np.fromiter(map(len, id_parts), dtype=np.int64, count=len(id_parts))
    ids = postings.restarted_cumsum(np.fromiter(itertools.chain.from_iterable(id_parts), dtype=np.int64,
                                                count=int(counts.sum())), counts) + base
    weights = np.concatenate(w_parts)
    keep = np.flatnonzero(np.isin(ids, candidates, assume_unique=True)) if candidates is not None else None
    if keep is not None:
        ids, weights = ids[keep], weights[keep]
    # The kept postings' values, block by block (indices within each block).
    texts: list = []
    block_starts = np.concatenate(([0], np.cumsum(counts)))
    bounds = np.searchsorted(keep, block_starts) if keep is not None else None
    from_text = True          # until a block of this list turns out not to have one text per value
    for b, u in enumerate(unpacked):
        if bounds is None:
            wanted = list(range(u.count))
        elif bounds[b] < bounds[b + 1]:
            wanted = (keep[bounds[b]:bounds[b + 1]] - block_starts[b]).tolist()
        else:
            continue
        found, from_text = u.value_texts(wanted, from_text)
        texts.extend(found)
    counts, flat = postings.positions_of(texts)
    return _Postings(ids, weights, counts, flat)


def _flatten(lists: list) -> tuple[np.ndarray, np.ndarray]:
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    return counts, flat


class Matched(wq.Query):
    """A phrase already matched here, as a query Whoosh's searcher can run: its documents, each
    with its score (Whoosh's phrase score, ``ranking.phrase_scores``) as the matcher's weight.
    For the queries the numpy paths leave to Whoosh (``for_whoosh``)."""

    def __init__(self, phrase: wq.Phrase, bases: dict, docs: np.ndarray, scores: Optional[np.ndarray]):
        self.phrase, self.fieldname, self.boost = phrase, phrase.fieldname, 1.0
        self._bases = bases               # id(leaf reader) → its first document number
        self._docs = np.asarray(docs, dtype=np.int64)
        self._scores = np.ones(len(self._docs)) if scores is None else np.asarray(scores, dtype=np.float64)

    def __eq__(self, other):
        return type(other) is Matched and other.phrase == self.phrase

    def __hash__(self):
        return hash(("matched", self.phrase))

    def __repr__(self):
        return f"Matched({self.phrase!r})"

    def is_leaf(self):
        """A leaf: Whoosh asks its matcher for documents, never its children."""
        return True

    def estimate_size(self, ixreader):
        """How many documents it matches (Whoosh orders intersections by this)."""
        return len(self._docs)

    def matcher(self, searcher, context=None):
        """The documents of ``searcher``'s segment (all of them for the top-level searcher)."""
        from whoosh.matching import ListMatcher, NullMatcher
        reader = searcher.reader()
        base = self._bases.get(id(reader))
        docs, scores = self._docs, self._scores
        if base is not None:
            lo, hi = np.searchsorted(docs, [base, base + reader.doc_count_all()])
            docs, scores = docs[lo:hi] - base, scores[lo:hi]
        if reader.has_deletions() and len(docs):      # phrase_postings keeps deleted documents
            live = np.fromiter((not reader.is_deleted(d) for d in docs.tolist()), dtype=bool, count=len(docs))
            docs, scores = docs[live], scores[live]
        if not len(docs):
            return NullMatcher()
        return ListMatcher(docs.tolist(), weights=scores.tolist())


def for_whoosh(searcher, q, found):
    """``q`` with each phrase this module matches in a field keeping its positions in ``.pos``
    files (title, body) replaced by a ``Matched`` query, so Whoosh's searcher runs the rest;
    ``found(phrase)`` gives its (sorted documents, their scores or None)."""
    if type(q) is wq.Phrase and supported(searcher, q) and side_positions(searcher.schema[q.fieldname]):
        bases = {id(r): base for r, base in searcher.reader().leaf_readers()}
        return Matched(q, bases, *found(q))
    if q.is_leaf():
        return q
    return q.apply(lambda sub: for_whoosh(searcher, sub, found))
