"""Articles grouped into stories at build time: copies of one text share a stable story id.

Each article arrives with its ``Fingerprint`` (indexer/ingest/fingerprint.py, computed in the
extraction workers). ``StoryIndex.add`` looks its MinHash up in an LSH band index (indexer/bands.py:
only articles that share a band of values are compared), verifies the candidates with the
full signatures, and puts the article in the story of its best match when the two texts resemble
each other (Jaccard ≥ ``SAME_JACCARD``) or when one holds most of the other (containment ≥
``SAME_CONTAINMENT`` with Jaccard ≥ ``CONTAINED_JACCARD``: a cut copy, an update that adds
paragraphs); otherwise it starts a story. An exact copy (same content hash) joins its story without
a look-up, and so does an article without a fingerprint (too short) only through an exact copy.

Story ids are made once, when a story starts, from its first article's content hash (so a rebuild of
the same files gives the same ids), and then stored per member: a story keeps its id as long as any
member is left, whichever member goes. A new story never takes the id of a live one (the hash is
salted until it is free). ``StoryState`` is all of it as plain arrays, for an engine writer to store
beside its index and to load for ``update``. Thresholds and measurements: docs/stories.md.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

import numpy as np

from indexer.bands import BandIndex
from indexer.ingest.fingerprint import (NUM_PERM, SEED, SHINGLE_WORDS, Fingerprint, containment,
                                        missing_numbers)

SAME_JACCARD = 0.5          # texts resembling each other this much are one story
SAME_CONTAINMENT = 0.8      # … or the smaller one lies this much inside the larger
CONTAINED_JACCARD = 0.2     # … while sharing at least this much of their union
NUMBERS_BELOW = 0.7         # below this Jaccard, the smaller text's figures must be in the larger one,
MISSING_NUMBERS = 0.25      # … all but this share of them (at least one may be missing)
SHORT_SHINGLES = 60         # a text with fewer shingles than this is one story with another only when
SHORT_JACCARD = 0.9         # … they are this alike (a few words are then a large share of the text)
NOVEL_BELOW = 0.9           # a member this close to one already indexed is not put in the LSH bands
LSH_BANDS, LSH_ROWS = 42, 3  # 126 of the 128 values: P(candidate) .99 at J .5, .68 at J .3, .00003 at J .02
STATE_VERSION = 1

__all__ = ["StoryIndex", "StoryState", "Match", "story_id_for"]


@dataclass(frozen=True, slots=True)
class Match:
    """The best earlier article for a new one, with the estimates that decided it."""

    article_id: str
    story: str
    jaccard: float
    containment: float


@dataclass
class StoryState:
    """Everything ``StoryIndex`` needs to resume, as plain arrays (one row per article), so an engine
    writer can store it beside its index (``to_bytes``: a numpy .npz, no pickle) and reload it."""

    article_ids: list[str]
    content_hashes: list[str]
    stories: list[str]
    shingles: np.ndarray          # int32: distinct shingles per article (0: no fingerprint)
    signatures: np.ndarray        # uint32 [articles, NUM_PERM]: MinHash values (unused rows of 0: none)
    numbers: np.ndarray           # uint64 [articles, 2]: the fingerprints' figures masks (low, high 64 bits)
    indexed: np.ndarray           # bool: the row's bands are in the LSH index

    def to_bytes(self) -> bytes:
        """The state as a compressed .npz file's bytes (strings as fixed-width unicode arrays)."""
        buf = io.BytesIO()
        np.savez_compressed(
            buf, version=np.array([STATE_VERSION, NUM_PERM, SEED, SHINGLE_WORDS]),
            article_ids=np.array(self.article_ids, dtype=str), content_hashes=np.array(self.content_hashes, dtype=str),
            stories=np.array(self.stories, dtype=str), shingles=self.shingles, signatures=self.signatures,
            numbers=self.numbers, indexed=self.indexed)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "StoryState":
        """Reads ``to_bytes`` output; ValueError when it was written with other fingerprint settings
        (the stories must then be rebuilt, as the fingerprints cannot be compared)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            version = [int(v) for v in z["version"]]
            if version != [STATE_VERSION, NUM_PERM, SEED, SHINGLE_WORDS]:
                raise ValueError(f"story state written with other fingerprint settings {version}: rebuild")
            return cls(article_ids=z["article_ids"].tolist(), content_hashes=z["content_hashes"].tolist(),
                       stories=z["stories"].tolist(), shingles=z["shingles"].astype(np.int32),
                       signatures=z["signatures"].astype(np.uint32), numbers=z["numbers"].astype(np.uint64),
                       indexed=z["indexed"].astype(bool))


def story_id_for(content_hash: str, salt: int = 0) -> str:
    """A story's id from its first article's content hash (16 hex digits); ``salt`` > 0 when taken."""
    key = f"story\x00{content_hash}" + (f"\x00{salt}" if salt else "")
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class StoryIndex:
    """Stories of the articles added so far; ``add`` assigns one, ``remove`` forgets an article.

    Memory per article: one row of ``NUM_PERM`` uint32 (512 bytes), a few ids, and — only for
    articles that are not near-exact copies of one already indexed — ``LSH_BANDS`` bucket entries.
    """

    def __init__(self, capacity: int = 1024):
        self._bands = BandIndex(LSH_BANDS, LSH_ROWS)
        self._signatures = np.zeros((max(capacity, 16), NUM_PERM), dtype=np.uint32)
        self._shingles = np.zeros(len(self._signatures), dtype=np.int32)
        self._indexed = np.zeros(len(self._signatures), dtype=bool)
        self._numbers = np.zeros((len(self._signatures), 2), dtype=np.uint64)   # figures mask, low and high 64 bits
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

    def members(self, story: str) -> list[str]:
        """The article ids of a story, in the order they were added."""
        return [self._row_article[r] for r in sorted(self._members.get(story, ()))]

    def stories(self) -> dict[str, list[str]]:
        """Every story with its article ids."""
        return {s: self.members(s) for s in self._members}

    def best_match(self, fp: Fingerprint) -> Optional[Match]:
        """The indexed article most like ``fp`` that passes the story rule, or None."""
        matches = self.matches(fp)
        return matches[0] if matches else None

    def matches(self, fp: Fingerprint) -> list[Match]:
        """The indexed articles that pass the story rule with ``fp``, best first (containment, then
        Jaccard), at most one per story."""
        signature = fp.array()
        rows = self._bands.candidates(signature)
        if not len(rows):
            return []
        equal = (self._signatures[rows] == signature).sum(axis=1)
        best: dict[str, Match] = {}
        for row, same in zip(rows.tolist(), equal.tolist()):
            j = same / NUM_PERM
            if j < CONTAINED_JACCARD:
                continue
            other = int(self._shingles[row])
            c = containment(j, fp.shingles, other)
            numbers = self._number_mask(row)
            smaller, larger = (fp.numbers, numbers) if fp.shingles <= other else (numbers, fp.numbers)
            if not same_story(j, c, (fp.shingles, other), (smaller & ~larger).bit_count(), smaller.bit_count()):
                continue
            story = self._row_story[row]
            held = best.get(story)
            if held is None or (c, j) > (held.containment, held.jaccard):
                best[story] = Match(self._row_article[row], story, j, c)
        return sorted(best.values(), key=lambda m: (m.containment, m.jaccard), reverse=True)

    # ------------------------------------------------------------------ changes

    def add(self, article_id: str, content_hash: str, fp: Optional[Fingerprint]) -> str:
        """The story of a new article (an id added before keeps its story): an exact copy's, else its
        best match's, else a new one."""
        row = self._rows.get(article_id)
        if row is not None:
            return self._row_story[row]
        story = self._by_hash.get(content_hash)
        matches = self.matches(fp) if fp is not None and fp.shingles else []
        if story is None and matches:
            story = matches[0].story
        if story is None:
            story = self._new_story_id(content_hash)
        closest = max((m.jaccard for m in matches), default=0.0)
        self._put(article_id, content_hash, story, fp, fp is not None and fp.shingles > 0 and closest < NOVEL_BELOW)
        for other in {m.story for m in matches} - {story}:
            story = self._merge(story, other)
        return story

    def _merge(self, a: str, b: str) -> str:
        """One story of two that a new article both matches (it bridges them: an original arriving
        after a cut copy and an updated one that do not match each other). The larger keeps its id
        (on a tie, the one with the earliest member); the other's members are relabelled and logged."""
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

    def take_relabelled(self) -> dict[str, str]:
        """Article id → new story for the articles whose story changed since the last call (by a
        merge), so a writer that already stored them can update them; the log is emptied."""
        out, self._relabelled = self._relabelled, {}
        return out

    def take_merged(self) -> list[tuple[str, str]]:
        """(absorbed story, surviving story) for each merge since the last call; the log is emptied."""
        out, self._merged = self._merged, []
        return out

    def remove(self, article_id: str) -> Optional[str]:
        """Forget an article; its story lives on in its other members. Returns the story, or None."""
        row = self._rows.pop(article_id, None)
        if row is None:
            return None
        story = self._row_story[row]
        if self._indexed[row]:
            self._bands.remove(row)
        members = self._members[story]
        members.discard(row)
        if self._by_hash.get(self._row_hash[row]) == story and not any(
                self._row_hash[r] == self._row_hash[row] for r in members):
            del self._by_hash[self._row_hash[row]]
        if not members:
            del self._members[story]
        elif self._indexed[row]:
            self._reindex(members)
        self._indexed[row] = False
        self._shingles[row] = 0
        self._row_article[row] = None
        return story

    def _number_mask(self, row: int) -> int:
        lo, hi = self._numbers[row].tolist()
        return lo | (hi << 64)

    def _reindex(self, members: set[int]) -> None:
        """After an indexed member goes, its copies are put in the bands so they stay findable."""
        for r in sorted(members):
            if not self._indexed[r] and self._shingles[r]:
                self._index_row(r)

    def _index_row(self, row: int) -> None:
        self._bands.add(row, self._signatures[row])
        self._indexed[row] = True

    def _new_story_id(self, content_hash: str) -> str:
        salt = 0
        while (story := story_id_for(content_hash, salt)) in self._members:
            salt += 1
        return story

    def _put(self, article_id: str, content_hash: str, story: str, fp: Optional[Fingerprint],
             index_it: bool) -> int:
        row = len(self._row_article)             # rows are not reused: the band index keeps removed ones dead
        if row >= len(self._signatures):
            self._grow()
        self._row_article.append(article_id)
        self._row_hash.append(content_hash)
        self._row_story.append(story)
        if fp is not None:
            self._signatures[row] = fp.array()
            self._shingles[row] = fp.shingles
            self._numbers[row] = (fp.numbers & (2**64 - 1), fp.numbers >> 64)
        else:
            self._signatures[row] = 0
            self._shingles[row] = 0
            self._numbers[row] = 0
        self._rows[article_id] = row
        self._by_hash[content_hash] = story
        self._members.setdefault(story, set()).add(row)
        if index_it:
            self._index_row(row)
        return row

    def _grow(self) -> None:
        size = len(self._signatures) * 2
        self._signatures = np.resize(self._signatures, (size, NUM_PERM))
        self._shingles = np.resize(self._shingles, size)
        self._indexed = np.resize(self._indexed, size)
        self._indexed[size // 2:] = False
        self._numbers = np.resize(self._numbers, (size, 2))

    # ------------------------------------------------------------------ persistence

    def state(self) -> StoryState:
        """The live articles as a ``StoryState`` (rows compacted, in the order they were added)."""
        rows = sorted(self._rows.values())
        return StoryState(
            article_ids=[self._row_article[r] for r in rows], content_hashes=[self._row_hash[r] for r in rows],
            stories=[self._row_story[r] for r in rows], shingles=self._shingles[rows].copy(),
            signatures=self._signatures[rows].copy(), numbers=self._numbers[rows].copy(),
            indexed=self._indexed[rows].copy())

    @classmethod
    def from_state(cls, state: StoryState) -> "StoryIndex":
        """An index holding ``state``'s articles with their stories as they were."""
        index = cls(capacity=len(state.article_ids) + 1024)
        for i, article_id in enumerate(state.article_ids):
            shingles = int(state.shingles[i])
            lo, hi = state.numbers[i].tolist()
            fp = Fingerprint(state.signatures[i].tobytes(), shingles, lo | (hi << 64)) if shingles else None
            index._put(article_id, state.content_hashes[i], state.stories[i], fp, bool(state.indexed[i]))
        for members in index._members.values():       # a story whose indexed member was not kept
            if not any(index._indexed[r] for r in members):
                index._reindex(members)
        return index

    def items(self) -> Iterator[tuple[str, str]]:
        """(article id, story) for every article, in the order they were added."""
        for row in sorted(self._rows.values()):
            yield self._row_article[row], self._row_story[row]


def same_story(jaccard: float, contained: float, shingles: tuple[int, int], missing: int, numbers: int) -> bool:
    """The story rule on two fingerprints' estimates: ``jaccard`` and ``contained`` from their
    MinHash values, the two shingle counts, and of the smaller text's ``numbers`` figures how many
    are ``missing`` from the larger (issues of a recurring report share their wording and differ in
    their figures; copies keep them)."""
    if min(shingles) < SHORT_SHINGLES:
        return jaccard >= SHORT_JACCARD
    if jaccard < NUMBERS_BELOW and missing > max(1, MISSING_NUMBERS * numbers):
        return False
    return jaccard >= SAME_JACCARD or (contained >= SAME_CONTAINMENT and jaccard >= CONTAINED_JACCARD)


def compare(a: Fingerprint, b: Fingerprint) -> tuple[float, float, bool]:
    """(Jaccard, containment, same story?) for two fingerprints."""
    j = float(np.count_nonzero(a.array() == b.array())) / NUM_PERM
    c = containment(j, a.shingles, b.shingles)
    smaller, larger = (a, b) if a.shingles <= b.shingles else (b, a)
    return j, c, same_story(j, c, (a.shingles, b.shingles), missing_numbers(smaller, larger),
                            smaller.numbers.bit_count())


def group(items: Iterable[tuple[str, str, Optional[Fingerprint]]]) -> StoryIndex:
    """A StoryIndex of (article id, content hash, fingerprint) triples added in order."""
    index = StoryIndex()
    for article_id, content_hash, fp in items:
        index.add(article_id, content_hash, fp)
    return index
