"""Articles grouped into stories at build time: copies of one text share a stable story id.

Each article arrives with its ``Fingerprint`` (indexer/ingest/fingerprint.py, computed in the
extraction workers) and its date. ``StoryIndex.add`` looks the MinHash up in an LSH band index
(indexer/bands.py: only articles sharing a band of values are compared), weighs each candidate with
``same_story`` and puts the article in the story of its best match, or starts a story. The rule:

- texts that resemble each other (Jaccard ≥ ``SAME_JACCARD``), or of which the smaller lies in the
  larger (containment ≥ ``SAME_CONTAINMENT``, Jaccard ≥ ``CONTAINED_JACCARD``: a cut copy, an update
  that adds paragraphs) are one story,
- unless, below Jaccard ``NUMBERS_BELOW``, the smaller text's figures are missing from the larger
  (more than ``MISSING_NUMBERS`` of them): the issues of a recurring report share their wording;
- a short text (< ``SHORT_SHINGLES`` shingles) needs Jaccard ≥ ``SHORT_JACCARD`` and headlines sharing
  ``SHORT_TITLE`` of their words (a template filled for another company differs in a name only);
- copies dated more than ``STORY_DAYS`` apart must be near-identical (``FAR_JACCARD``) with the same
  figures.

An exact copy (same content hash) joins its story without a look-up; an article without a
fingerprint (too short) joins a story only so. An article that matches two stories merges them (the
original arriving after a cut copy and an updated one that do not match each other): the larger
keeps its id, and ``take_relabelled`` tells a writer which stored articles changed story.

Story ids are made once, when a story starts, from its first article's content hash (so a rebuild of
the same files in the same order gives the same ids), and then stored per member: a story keeps its
id as long as any member is left, whichever member goes. A new story never takes the id of a live
one (the hash is salted until it is free). ``StoryState`` is all of it as plain arrays, for an engine
writer to store beside its index and load for ``update``. Thresholds and measurements: docs/stories.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

import numpy as np

from indexer.bands import BandIndex
from indexer.ingest.fingerprint import NUM_PERM, SEED, SHINGLE_WORDS, Fingerprint, containment, mask_jaccard

SAME_JACCARD = 0.4          # texts resembling each other this much are one story
SAME_CONTAINMENT = 0.75     # … or the smaller one lies this much inside the larger
CONTAINED_JACCARD = 0.2     # … while sharing at least this much of their union
NUMBERS_BELOW = 0.7         # below this Jaccard, the smaller text's figures must be in the larger one,
MISSING_NUMBERS = 0.25      # … all but this share of them (at least one may be missing)
SHORT_SHINGLES = 50         # a text with fewer shingles than this is one story with another only when
SHORT_JACCARD = 0.6         # … they are this alike
SHORT_TITLE = 0.5           # … and their headlines share this share of their words
STORY_DAYS = 3              # copies dated further apart than this must be near-identical:
FAR_JACCARD = 0.9           # … this alike (the issues of a recurring report are days apart)
NOVEL_BELOW = 0.9           # a member this close to one already indexed is not put in the LSH bands
LSH_BANDS, LSH_ROWS = 64, 2  # all 128 values: P(candidate) .93 at J .2, .998 at J .3, .15 at J .05
STATE_VERSION = 1
_NO_DAY = 0                 # day number of an undated article

__all__ = ["Evidence", "Match", "StoryIndex", "StoryState", "evidence", "same_story", "state_of", "story_id_for"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What two fingerprinted articles share, as the story rule weighs it."""

    jaccard: float              # shared / all shingles (MinHash estimate)
    containment: float          # shared / the smaller text's shingles
    smaller: int                # shingles of the smaller text
    numbers: int                # figures (mask bits) of the smaller text …
    missing: int                # … of which the larger text lacks this many
    titles: float               # Jaccard of the two headlines' words
    days_apart: Optional[int]   # None when either is undated


def evidence(a: Fingerprint, b: Fingerprint, days_apart: Optional[int] = None) -> Evidence:
    """The evidence between two fingerprints (``days_apart``: between their dates, when both known)."""
    j = float(np.count_nonzero(a.array() == b.array())) / NUM_PERM
    return _evidence(j, a, b.shingles, b.numbers, b.title, days_apart)


def _evidence(j: float, a: Fingerprint, shingles: int, numbers: int, title: int,
              days_apart: Optional[int]) -> Evidence:
    small, large = (a.numbers, numbers) if a.shingles <= shingles else (numbers, a.numbers)
    return Evidence(j, containment(j, a.shingles, shingles), min(a.shingles, shingles), small.bit_count(),
                    (small & ~large).bit_count(), mask_jaccard(a.title, title), days_apart)


def same_story(e: Evidence) -> bool:
    """The story rule (see the module docstring)."""
    if e.days_apart is not None and e.days_apart > STORY_DAYS and (e.jaccard < FAR_JACCARD or e.missing):
        return False
    if e.jaccard < NUMBERS_BELOW and e.missing > max(1, MISSING_NUMBERS * e.numbers):
        return False
    if e.smaller < SHORT_SHINGLES:
        return e.jaccard >= SHORT_JACCARD and e.titles >= SHORT_TITLE
    return e.jaccard >= SAME_JACCARD or (e.containment >= SAME_CONTAINMENT and e.jaccard >= CONTAINED_JACCARD)


@dataclass(frozen=True, slots=True)
class Match:
    """The best earlier article of a story for a new one, with the evidence that decided it."""

    article_id: str
    story: str
    evidence: Evidence


@dataclass
class StoryState:
    """Everything ``StoryIndex`` needs to resume, as plain arrays (one row per article), so an engine
    writer can store it beside its index (``to_bytes``: a numpy .npz, no pickle) and reload it."""

    article_ids: list[str]
    content_hashes: list[str]
    stories: list[str]
    days: np.ndarray              # int32: date as a proleptic ordinal, 0 when unknown
    shingles: np.ndarray          # int32: distinct shingles per article (0: no fingerprint)
    signatures: np.ndarray        # uint32 [articles, NUM_PERM]: MinHash values
    masks: np.ndarray             # uint64 [articles, 4]: figures mask (low, high), headline mask (low, high)
    indexed: np.ndarray           # bool: the row's bands are in the LSH index

    def to_bytes(self) -> bytes:
        """The state as an .npz file's bytes (ids as UTF-8 byte strings; not compressed: MinHash values
        do not compress)."""
        buf = io.BytesIO()
        np.savez(
            buf, version=np.array([STATE_VERSION, NUM_PERM, SEED, SHINGLE_WORDS]),
            article_ids=_bytes_array(self.article_ids), content_hashes=_bytes_array(self.content_hashes),
            stories=_bytes_array(self.stories), days=self.days, shingles=self.shingles,
            signatures=self.signatures, masks=self.masks, indexed=self.indexed)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "StoryState":
        """Reads ``to_bytes`` output; ValueError when it was written with other fingerprint settings
        (the stories must then be rebuilt, as the fingerprints cannot be compared)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            version = [int(v) for v in z["version"]]
            if version != [STATE_VERSION, NUM_PERM, SEED, SHINGLE_WORDS]:
                raise ValueError(f"story state written with other fingerprint settings {version}: rebuild")
            return cls(article_ids=_strings(z["article_ids"]), content_hashes=_strings(z["content_hashes"]),
                       stories=_strings(z["stories"]), days=z["days"].astype(np.int32),
                       shingles=z["shingles"].astype(np.int32), signatures=z["signatures"].astype(np.uint32),
                       masks=z["masks"].astype(np.uint64), indexed=z["indexed"].astype(bool))


def _bytes_array(values: list[str]) -> np.ndarray:
    return np.array([v.encode("utf-8", "surrogatepass") for v in values], dtype=bytes)


def _strings(array: np.ndarray) -> list[str]:
    return [v.decode("utf-8", "surrogatepass") for v in array.tolist()]


def state_of(rows: Iterable[tuple[str, str, str, Optional[dt.date], Optional[Fingerprint]]]) -> StoryState:
    """A ``StoryState`` from (article id, content hash, story, date, fingerprint) rows in the order
    the articles were added, for an index that keeps these with each article. Which rows go in the
    LSH bands is not kept there and is decided again as ``add`` did: a row that is a near-exact copy
    (Jaccard ≥ ``NOVEL_BELOW``) of a member of its story already in the bands stays out."""
    rows = list(rows)
    n = len(rows)
    state = StoryState(article_ids=[r[0] for r in rows], content_hashes=[r[1] for r in rows],
                       stories=[r[2] for r in rows], days=np.zeros(n, dtype=np.int32),
                       shingles=np.zeros(n, dtype=np.int32), signatures=np.zeros((n, NUM_PERM), dtype=np.uint32),
                       masks=np.zeros((n, 4), dtype=np.uint64), indexed=np.zeros(n, dtype=bool))
    banded: dict[str, list[int]] = {}           # story → its rows in the bands
    for i, (_, _, story, date, fp) in enumerate(rows):
        state.days[i] = date.toordinal() if date else _NO_DAY
        if fp is None or not fp.shingles:
            continue
        state.signatures[i] = fp.array()
        state.shingles[i] = fp.shingles
        state.masks[i] = (*_split(fp.numbers), *_split(fp.title))
        earlier = banded.setdefault(story, [])
        if earlier:
            same = np.count_nonzero(state.signatures[earlier] == state.signatures[i], axis=1) / NUM_PERM
            if same.max() >= NOVEL_BELOW:
                continue
        earlier.append(i)
        state.indexed[i] = True
    return state


def story_id_for(content_hash: str, salt: int = 0) -> str:
    """A story's id from its first article's content hash (16 hex digits); ``salt`` > 0 when taken."""
    key = f"story\x00{content_hash}" + (f"\x00{salt}" if salt else "")
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _split(mask: int) -> tuple[int, int]:
    return mask & 0xFFFF_FFFF_FFFF_FFFF, mask >> 64


class StoryIndex:
    """Stories of the articles added so far; ``add`` assigns one, ``remove`` forgets an article.

    Memory per article: one row of ``NUM_PERM`` uint32 (512 bytes) and 40 bytes of masks and counts,
    its ids, and — unless it is a near-exact copy of one already indexed — ``LSH_BANDS`` band keys.
    """

    def __init__(self, capacity: int = 1024):
        size = max(capacity, 16)
        self._bands = BandIndex(LSH_BANDS, LSH_ROWS)
        self._signatures = np.zeros((size, NUM_PERM), dtype=np.uint32)
        self._shingles = np.zeros(size, dtype=np.int32)
        self._days = np.zeros(size, dtype=np.int32)
        self._masks = np.zeros((size, 4), dtype=np.uint64)
        self._indexed = np.zeros(size, dtype=bool)
        self._row_article: list[Optional[str]] = []       # row → article id (None: removed)
        self._row_hash: list[str] = []
        self._row_story: list[str] = []
        self._rows: dict[str, int] = {}                     # article id → row
        self._by_hash: dict[str, str] = {}                  # content hash → story (last article added)
        self._members: dict[str, set[int]] = {}             # story → rows
        self._relabelled: dict[str, str] = {}               # article id → story, changed by a merge
        self._merged: list[tuple[str, str]] = []            # (absorbed, surviving) stories

    # ------------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._rows

    def story(self, article_id: str) -> Optional[str]:
        """The story of an article added earlier, or None."""
        row = self._rows.get(article_id)
        return None if row is None else self._row_story[row]

    def has_copy(self, content_hash: str) -> bool:
        """Whether an article with this content hash is here (a new one would be its exact copy)."""
        return content_hash in self._by_hash

    def size(self, story: str) -> int:
        """How many articles the story holds."""
        return len(self._members.get(story, ()))

    def story_count(self) -> int:
        """How many stories there are."""
        return len(self._members)

    def members(self, story: str) -> list[str]:
        """The article ids of a story, in the order they were added."""
        return [self._row_article[r] for r in sorted(self._members.get(story, ()))]

    def stories(self) -> dict[str, list[str]]:
        """Every story with its article ids."""
        return {s: self.members(s) for s in self._members}

    def items(self) -> Iterator[tuple[str, str]]:
        """(article id, story) for every article, in the order they were added."""
        for row in sorted(self._rows.values()):
            yield self._row_article[row], self._row_story[row]

    def matches(self, fp: Fingerprint, date: Optional[dt.date] = None) -> list[Match]:
        """The indexed articles that pass the story rule with ``fp``, best first (containment, then
        Jaccard), at most one per story."""
        signature = fp.array()
        rows = self._bands.candidates(signature)
        if not len(rows):
            return []
        equal = (self._signatures[rows] == signature).sum(axis=1)
        day = date.toordinal() if date else _NO_DAY
        best: dict[str, Match] = {}
        for row, same in zip(rows.tolist(), equal.tolist()):
            j = same / NUM_PERM
            if j < CONTAINED_JACCARD:
                continue
            lo_n, hi_n, lo_t, hi_t = self._masks[row].tolist()
            other_day = int(self._days[row])
            apart = abs(day - other_day) if day != _NO_DAY and other_day != _NO_DAY else None
            e = _evidence(j, fp, int(self._shingles[row]), lo_n | (hi_n << 64), lo_t | (hi_t << 64), apart)
            if not same_story(e):
                continue
            story = self._row_story[row]
            held = best.get(story)
            if held is None or (e.containment, e.jaccard) > (held.evidence.containment, held.evidence.jaccard):
                best[story] = Match(self._row_article[row], story, e)
        return sorted(best.values(), key=lambda m: (m.evidence.containment, m.evidence.jaccard), reverse=True)

    # ------------------------------------------------------------------ changes

    def add(self, article_id: str, content_hash: str, fp: Optional[Fingerprint],
            date: Optional[dt.date] = None) -> str:
        """The story of a new article (an id added before keeps its story): an exact copy's, else its
        best match's, else a new one. Stories it also matches are merged into that one."""
        row = self._rows.get(article_id)
        if row is not None:
            return self._row_story[row]
        story = self._by_hash.get(content_hash)
        usable = fp is not None and fp.shingles > 0
        matches = self.matches(fp, date) if usable else []
        if story is None and matches:
            story = matches[0].story
        if story is None:
            story = self._new_story_id(content_hash)
        closest = max((m.evidence.jaccard for m in matches), default=0.0)
        self._put(article_id, content_hash, story, fp if usable else None, date, usable and closest < NOVEL_BELOW)
        for other in {m.story for m in matches} - {story}:
            story = self._merge(story, other)
        return story

    def remove(self, article_id: str) -> Optional[str]:
        """Forget an article; its story lives on in its other members. Returns the story, or None."""
        row = self._rows.pop(article_id, None)
        if row is None:
            return None
        story = self._row_story[row]
        members = self._members[story]
        members.discard(row)
        content_hash = self._row_hash[row]
        if self._by_hash.get(content_hash) == story and not any(self._row_hash[r] == content_hash for r in members):
            del self._by_hash[content_hash]
        if self._indexed[row]:
            self._bands.remove(row)
            self._indexed[row] = False
            for r in sorted(members):          # its copies were findable through it: index them now
                if not self._indexed[r] and self._shingles[r]:
                    self._index_row(r)
        if not members:
            del self._members[story]
        self._shingles[row] = 0
        self._row_article[row] = None
        return story

    def take_relabelled(self) -> dict[str, str]:
        """Article id → new story for the articles whose story changed since the last call (by a
        merge), so a writer that already stored them can update them; the log is emptied."""
        out, self._relabelled = self._relabelled, {}
        return out

    def take_merged(self) -> list[tuple[str, str]]:
        """(absorbed story, surviving story) for each merge since the last call; the log is emptied."""
        out, self._merged = self._merged, []
        return out

    def _merge(self, a: str, b: str) -> str:
        """One story of two: the larger keeps its id (on a tie, the one with the earliest member); the
        other's members are relabelled and logged."""
        rows_a, rows_b = self._members[a], self._members[b]
        keep, gone = (a, b) if (len(rows_a), -min(rows_a)) >= (len(rows_b), -min(rows_b)) else (b, a)
        moved = self._members.pop(gone)
        for row in moved:
            self._row_story[row] = keep
            self._relabelled[self._row_article[row]] = keep
            if self._by_hash.get(self._row_hash[row]) == gone:
                self._by_hash[self._row_hash[row]] = keep
        self._members[keep] |= moved
        self._merged.append((gone, keep))
        return keep

    def _index_row(self, row: int) -> None:
        self._bands.add(row, self._signatures[row])
        self._indexed[row] = True

    def _new_story_id(self, content_hash: str) -> str:
        salt = 0
        while (story := story_id_for(content_hash, salt)) in self._members:
            salt += 1
        return story

    def _put(self, article_id: str, content_hash: str, story: str, fp: Optional[Fingerprint],
             date: Optional[dt.date], index_it: bool) -> int:
        row = len(self._row_article)             # rows are not reused: the band index keeps removed ones dead
        if row >= len(self._signatures):
            self._grow()
        self._row_article.append(article_id)
        self._row_hash.append(content_hash)
        self._row_story.append(story)
        self._days[row] = date.toordinal() if date else _NO_DAY
        if fp is not None:
            self._signatures[row] = fp.array()
            self._shingles[row] = fp.shingles
            self._masks[row] = (*_split(fp.numbers), *_split(fp.title))
        self._rows[article_id] = row
        self._by_hash[content_hash] = story
        self._members.setdefault(story, set()).add(row)
        if index_it:
            self._index_row(row)
        return row

    def _grow(self) -> None:
        size = len(self._signatures) * 2
        for name in ("_signatures", "_shingles", "_days", "_masks", "_indexed"):
            old = getattr(self, name)
            new = np.zeros((size, *old.shape[1:]), dtype=old.dtype)
            new[:len(old)] = old
            setattr(self, name, new)

    # ------------------------------------------------------------------ persistence

    def state(self) -> StoryState:
        """The live articles as a ``StoryState`` (rows compacted, in the order they were added)."""
        rows = sorted(self._rows.values())
        return StoryState(
            article_ids=[self._row_article[r] for r in rows], content_hashes=[self._row_hash[r] for r in rows],
            stories=[self._row_story[r] for r in rows], days=self._days[rows].copy(),
            shingles=self._shingles[rows].copy(), signatures=self._signatures[rows].copy(),
            masks=self._masks[rows].copy(), indexed=self._indexed[rows].copy())

    @classmethod
    def from_state(cls, state: StoryState) -> "StoryIndex":
        """An index holding ``state``'s articles with their stories as they were."""
        index = cls(capacity=len(state.article_ids) + 1024)
        for i, article_id in enumerate(state.article_ids):
            shingles = int(state.shingles[i])
            fp = None
            if shingles:
                lo_n, hi_n, lo_t, hi_t = state.masks[i].tolist()
                fp = Fingerprint(state.signatures[i].tobytes(), shingles, lo_n | (hi_n << 64), lo_t | (hi_t << 64))
            day = int(state.days[i])
            date = dt.date.fromordinal(day) if day != _NO_DAY else None
            index._put(article_id, state.content_hashes[i], state.stories[i], fp, date, bool(state.indexed[i]))
        for members in index._members.values():       # a story none of whose members is in the bands
            if not any(index._indexed[r] for r in members):
                for r in sorted(members):
                    if index._shingles[r]:
                        index._index_row(r)
        return index


def group(items: Iterable[tuple[str, str, Optional[Fingerprint], Optional[dt.date]]]) -> StoryIndex:
    """A StoryIndex of (article id, content hash, fingerprint, date) added in order."""
    index = StoryIndex()
    for article_id, content_hash, fp, date in items:
        index.add(article_id, content_hash, fp, date)
    return index
