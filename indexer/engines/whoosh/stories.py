"""Stories at search time: each document's story as a number, and counting by story with numpy.

The build stores every article's story id in the registry's grouping facet (``indexer.grouping``);
``StoryColumn`` turns its postings into a story number per document once per generation, with the
documents of each story side by side (oldest first). ``bucket_counts`` is the one function that
counts a match mask per bucket — facet values, histogram bars, days of a trend — as articles or as
distinct stories; ``first_per_story`` keeps the first document of each story in a ranked order.
"""
from __future__ import annotations

from typing import Callable, Optional, Union

import numpy as np

Buckets = Union[np.ndarray, Callable[[np.ndarray], np.ndarray]]
_LAST = np.iinfo(np.int64).max


class StoryColumn:
    """Per document its story number (``story``), ``count`` story numbers in all; ``order``: every
    document sorted by story, then date (oldest first, undated last), then document number, with
    ``start[s]:start[s + 1]`` the slice of story ``s``."""

    def __init__(self, story: np.ndarray, day: np.ndarray):
        self.story = story
        self.count = int(story.max()) + 1 if len(story) else 0
        docs = np.arange(len(story), dtype=np.int64)
        when = np.where(day > 0, day.astype(np.int64), _LAST)
        self.order = np.lexsort((docs, when, story)).astype(np.int32)
        self.start = np.zeros(self.count + 1, dtype=np.int64)
        np.cumsum(np.bincount(story, minlength=self.count), out=self.start[1:])

    @classmethod
    def from_pairs(cls, ndocs: int, pair_doc: np.ndarray, pair_value: np.ndarray, day: np.ndarray) -> "StoryColumn":
        """From a single-valued facet's (document, value) pairs: a document without a value is a
        story of its own."""
        story = np.full(ndocs, -1, dtype=np.int64)
        story[pair_doc] = pair_value
        values = int(pair_value.max()) + 1 if len(pair_value) else 0
        alone = story < 0
        story[alone] = values + np.arange(int(alone.sum()))
        return cls(story.astype(np.int32), day)

    def distinct(self, mask: np.ndarray) -> int:
        """How many stories the documents in ``mask`` belong to."""
        if not self.count:
            return 0
        return int(np.count_nonzero(np.bincount(self.story[mask], minlength=self.count)))

    def members(self, story: int) -> np.ndarray:
        """A story's documents, oldest first (undated last)."""
        return self.order[self.start[story]:self.start[story + 1]]


def bucket_counts(mask: np.ndarray, docs: np.ndarray, buckets: Buckets, nbuckets: int,
                  stories: Optional[StoryColumn] = None, adjacent: bool = False) -> np.ndarray:
    """Per bucket, the documents of ``mask`` in it, or with ``stories`` the distinct stories they
    belong to (a story counts once per bucket however many of its copies are there).

    ``docs`` and ``buckets`` pair documents with buckets (a document may be in several: a facet's
    values); ``buckets`` is an array beside ``docs``, or a function giving the buckets of the
    selected documents (-1: in none). ``adjacent``: ``docs`` is ordered so that the pairs of one
    story and bucket stand together (``StoryColumn.order`` for a bucket that grows with the date;
    a facet's pairs sorted by value and story), and no sort is needed."""
    chosen = mask[docs]
    picked = docs[chosen]
    found = buckets[chosen] if isinstance(buckets, np.ndarray) else np.asarray(buckets(picked))
    inside = found >= 0
    if not inside.all():
        picked, found = picked[inside], found[inside]
    if stories is None:
        return np.bincount(found, minlength=nbuckets)[:nbuckets]
    story = stories.story[picked]
    if adjacent:
        first = np.ones(len(found), dtype=bool)
        first[1:] = (found[1:] != found[:-1]) | (story[1:] != story[:-1])
        return np.bincount(found[first], minlength=nbuckets)[:nbuckets]
    keys = np.unique(found.astype(np.int64) * stories.count + story)
    return np.bincount(keys // stories.count, minlength=nbuckets)[:nbuckets]


def first_per_story(ranked: np.ndarray, stories: StoryColumn) -> np.ndarray:
    """The positions in ``ranked`` (documents, best first) of each story's first document, in order."""
    if not len(ranked):
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(stories.story[ranked], return_index=True)
    return np.sort(first)
