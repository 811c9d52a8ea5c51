"""Per-document arrays for facets, filters and date sorting, built once per index generation.

Whoosh's ``groupedby`` and ``DateRangeFacet`` walk Python objects per document
and take hundreds of milliseconds; counting with numpy over compact arrays
takes about a millisecond. The arrays come from the index's own postings
(value → documents), so they are exact whatever order Whoosh numbered documents in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from indexer import facets
from indexer.engines.whoosh.schema import about_field
from indexer.engines.whoosh.stories import StoryColumn, bucket_counts
from indexer.facets import FacetSpec, lookup_keys
from indexer.textkeys import casefold_key

_ORDINAL_UNKNOWN = 0


@dataclass
class MultiValues:
    """A multi-valued facet field: each (document, value) pair, plus the value names."""

    names: list[str]                  # value id → display name
    pair_doc: np.ndarray              # int32, one entry per (doc, value) pair
    pair_value: np.ndarray            # int32
    doc_freq: np.ndarray              # int32, documents per value (live ones)
    by_key: dict[str, list[int]] = field(default_factory=dict)     # folded name → value ids
    by_lookup: dict[str, list[int]] = field(default_factory=dict)  # folded lookup key (last word, …) → value ids
    folded: list[str] = field(default_factory=list)                # value id → casefold_key(name)
    _doc_index: object = field(default=None, repr=False, compare=False)   # see _by_doc
    by_story: bool = False            # pairs sorted by value, then story (``sort_by_story``)

    def ids_for(self, names) -> np.ndarray:
        """Value ids of names however typed (case, accents), so filters find the stored spelling."""
        ids = []
        for name in names:
            ids.extend(self.by_key.get(casefold_key(name), ()))
        return np.array(sorted(set(ids)), dtype=np.int32)

    def mask(self, value_ids: np.ndarray, ndocs: int) -> np.ndarray:
        """Documents having any of these values."""
        out = np.zeros(ndocs, dtype=bool)
        if len(value_ids):
            out[self.pair_doc[np.isin(self.pair_value, value_ids)]] = True
        return out

    def counts(self, doc_mask: np.ndarray, stories: Optional[StoryColumn] = None) -> np.ndarray:
        """Documents per value among those in ``doc_mask``, or with ``stories`` the distinct stories
        they belong to. A few matching documents: their own pairs, through a by-document index;
        many: one pass over every pair (sorted by value and story when the index has stories)."""
        docs = np.flatnonzero(doc_mask)
        if len(docs) * 16 > len(doc_mask):
            return bucket_counts(doc_mask, self.pair_doc, self.pair_value, len(self.names), stories,
                                 adjacent=self.by_story)
        value_by_doc, doc_start = self._by_doc(len(doc_mask))
        first = doc_start[docs]
        n = doc_start[docs + 1] - first
        at = np.repeat(first - (np.cumsum(n) - n), n) + np.arange(int(n.sum()))
        if stories is None:
            return np.bincount(value_by_doc[at], minlength=len(self.names))
        pair_doc = np.repeat(docs, n)
        return bucket_counts(np.ones(len(doc_mask), dtype=bool), pair_doc, value_by_doc[at], len(self.names),
                             stories)

    def sort_by_story(self, stories: StoryColumn) -> None:
        """Orders the pairs by value, then story, so that counting stories needs no sort."""
        order = np.lexsort((self.pair_doc, stories.story[self.pair_doc], self.pair_value))
        self.pair_doc, self.pair_value = self.pair_doc[order], self.pair_value[order]
        self._doc_index = None
        self.by_story = True

    def _by_doc(self, ndocs: int) -> tuple[np.ndarray, np.ndarray]:
        """The pairs' values ordered by document, and where each document's run starts."""
        index = self._doc_index
        if index is None or len(index[1]) != ndocs + 1:
            order = np.argsort(self.pair_doc, kind="stable")
            start = np.zeros(ndocs + 1, dtype=np.int64)
            np.cumsum(np.bincount(self.pair_doc, minlength=ndocs), out=start[1:])
            index = self._doc_index = (self.pair_value[order], start)
        return index


@dataclass
class DocValues:
    """Per-document numpy arrays of one generation, so facets and filters count in milliseconds."""
    ndocs: int
    live: np.ndarray                  # bool: not deleted
    day: np.ndarray                   # int32 date ordinal, 0 when unknown
    multi: dict[str, MultiValues]     # index field (a facet's, a scoped facet's "about" one) → its values
    about_ids: dict[str, np.ndarray] = field(default_factory=dict)   # scoped facet → each "about" value's id in it
    stories: Optional[StoryColumn] = None   # each document's story (the registry's grouping facet)

    @classmethod
    def build(cls, reader) -> "DocValues":
        """Reads the arrays from the index's own postings once per generation, so they match it exactly."""
        ndocs = reader.doc_count_all()
        live = np.ones(ndocs, dtype=bool)
        if reader.has_deletions():
            for docnum in range(ndocs):
                if reader.is_deleted(docnum):
                    live[docnum] = False
        day = np.zeros(ndocs, dtype=np.int32)
        for term in reader.field_terms("date"):
            try:
                ordinal = dt.date.fromisoformat(term).toordinal()
            except ValueError:
                continue
            day[_postings(reader, "date", term)] = ordinal
        multi: dict[str, MultiValues] = {}
        about_ids: dict[str, np.ndarray] = {}
        for spec in facets.VALUE_FACETS:
            involved = multi[spec.name] = _multi(reader, spec.name, live, spec)
            if spec.scoped:
                about = multi[about_field(spec)] = _multi(reader, about_field(spec), live, None)
                # each "about" value's id among all the values involved (same display names)
                about_ids[spec.name] = np.array([involved.by_key[f][0] if f in involved.by_key else -1
                                                 for f in about.folded], dtype=np.int64)
        stories = None
        if facets.GROUP is not None:
            grouping = multi[facets.GROUP.name]
            stories = StoryColumn.from_pairs(ndocs, grouping.pair_doc, grouping.pair_value, day)
            for mv in multi.values():
                mv.sort_by_story(stories)
        return cls(ndocs=ndocs, live=live, day=day, multi=multi, about_ids=about_ids, stories=stories)

    def date_mask(self, start: dt.date | None, end: dt.date | None) -> np.ndarray:
        """Documents dated within a range (undated ones never), the date filter without a query."""
        mask = self.day != _ORDINAL_UNKNOWN
        if start:
            mask &= self.day >= start.toordinal()
        if end:
            mask &= self.day <= end.toordinal()
        return mask


def _postings(reader, fieldname: str, term: str) -> np.ndarray:
    return np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int32)


def _multi(reader, fieldname: str, live: np.ndarray, spec: FacetSpec | None) -> MultiValues:
    """One facet field's (document, value) pairs from its postings; with ``spec``, its values are
    also keyed by their lookup keys (``indexer.facets.lookup_keys``: last word, runs of words)."""
    names: list[str] = []
    docs: list[np.ndarray] = []
    for term in reader.field_terms(fieldname):
        ids = _postings(reader, fieldname, term)
        ids = ids[live[ids]]
        if len(ids):
            names.append(term)
            docs.append(ids)
    if docs:
        pair_doc = np.concatenate(docs)
        pair_value = np.repeat(np.arange(len(docs), dtype=np.int32), [len(d) for d in docs])
    else:
        pair_doc = np.zeros(0, dtype=np.int32)
        pair_value = np.zeros(0, dtype=np.int32)
    doc_freq = np.array([len(d) for d in docs], dtype=np.int32)
    by_key: dict[str, list[int]] = {}
    by_lookup: dict[str, list[int]] = {}
    folded = [casefold_key(name) for name in names]
    looked_up = spec is not None and bool(spec.lookup)
    for i, name in enumerate(names):
        by_key.setdefault(folded[i], []).append(i)
        if looked_up:
            for key in dict.fromkeys(casefold_key(k) for k in lookup_keys(spec, name)):
                by_lookup.setdefault(key, []).append(i)
    return MultiValues(names, pair_doc, pair_value, doc_freq, by_key, by_lookup, folded)


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Each document's length in ``fieldname`` as BM25 sees it (``reader.doc_field_length``:
    the length byte of the segment's length column, decoded), float64, over all segments."""
    from whoosh.util.numeric import _length_byte_cache
    table = np.asarray(_length_byte_cache, dtype=np.float64)
    parts = []
    for leaf, _base in reader.leaf_readers():
        n = leaf.doc_count_all()
        lbytes = _length_bytes(leaf, fieldname, n)
        if lbytes is None:
            lengths = np.array([leaf.doc_field_length(d, fieldname) or 0 for d in range(n)], dtype=np.float64)
        else:
            lengths = table[lbytes]
        parts.append(lengths)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)


def _length_bytes(leaf, fieldname: str, n: int):
    """The raw length column of one segment as uint8, or None when it isn't the plain
    one-byte-per-document column Whoosh 2.7's codec writes."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
        perdoc = leaf._perdoc
        if type(perdoc) is not W3PerDocReader:
            return None
        col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None:
            return np.zeros(n, dtype=np.intp)
        if getattr(col, "_typecode", None) != "B" or getattr(col, "_reverse", False):
            return None
        count = min(int(col._count), n)
        raw = np.frombuffer(bytes(col._dbfile.get(col._basepos, count)), dtype=np.uint8)
        out = np.zeros(n, dtype=np.intp)     # documents past the column's end: the default, 0
        out[:count] = raw
        return out
    except Exception:
        return None
