"""A fingerprint of an article's own text, computed in the extraction workers, for grouping copies into stories.

Copies of one story differ in what surrounds the text (headline, dateline, byline, credits, copyright
lines, page furniture), in where they stop (a copy cut after a few paragraphs, an update that adds
some) and in small edits. The fingerprint therefore

- leaves the headline out of the shingles (two stories can share one; copies often have their own),
  keeping only a mask of its words, which the grouping consults for short texts alone (a short item's
  body can be a template other stories fill word for word: "Qtly div 10 cts vs 10 cts prior");
- drops the dateline lead ("WASHINGTON (Reuters) -", "LONDON, March 3 -") and, at each end of the
  body, a few lines that are not sentences (date lines, bylines, "(Reporting by …)", "Read more",
  copyright and share lines: the readers' furniture rules plus the form of the line, no word lists);
- is the set of overlapping ``SHINGLE_WORDS``-word windows over the remaining words, case, accents and
  punctuation folded, summarised by a ``datasketch`` MinHash of ``NUM_PERM`` 32-bit values plus the
  number of distinct shingles. The count lets the grouping estimate *containment* (how much of the
  shorter text is in the longer one), which is what a cut copy or an update shares with its original,
  as well as resemblance (Jaccard);
- keeps a mask of the figures in the text: copies carry the same figures, while the issues of a
  recurring report (a weekly estimate, a daily market operation) differ mostly in them.

A fingerprint pickles to about 0.6 KB (``NUM_PERM`` × 4 bytes and three ints): it crosses from the pool
workers to the build's parent process with the Article. ``docs/stories.md`` gives the measurements
behind the choices (MinHash over SimHash, the shingle length, the number of values).
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Optional

import numpy as np

from indexer.ingest.clean import is_furniture

NUM_PERM = 128          # MinHash values per fingerprint
SHINGLE_WORDS = 5       # words per shingle
MIN_WORDS = 8           # fewer words to fingerprint: none (the article groups only with exact copies)
SEED = 1                # the permutations' seed: fingerprints from different seeds cannot be compared
EDGE_LINES = 3          # at most this many non-sentence lines are dropped at each end of the body
EDGE_LINE_WORDS = 40    # … each of at most this many words
EDGE_SHARE = 0.25       # … and together at most this share of the body's words
FURNITURE_LINE_WORDS = 15   # a line ending like a sentence is furniture only when this short and the readers' rules say so
SCHEME = "affine32"
MASK_BITS = 128         # size of the figures and headline-words masks
PACKED_BYTES = NUM_PERM * 4 + 4 + 2 * MASK_BITS // 8   # Fingerprint.packed()

_DIGITS = re.compile(rb"[0-9]+")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’»)\]]*$")
# A wire dateline lead: a place in capitals, optionally a date and an agency in brackets, then a dash.
_DATELINE_LEAD = re.compile(
    r"^(?:[A-Z][A-Z.'’\-]+(?:[ ,]+[A-Z][A-Za-z.'’\-]*){0,4}|[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}"
    r"(?=[^-–—]{0,40}\())"                               # a Title Case place only when an agency follows
    r"(?:,? *[A-Z]?[a-z]{2,9}\.? \d{1,2}|,? *\d{1,2} [A-Z][a-z]{2,9}\.?)?"   # ", March 3" / ", 3 March"
    r"(?:,? *\d{4})?"
    r"\s*(?:\([^()\n]{1,40}\)\s*)?"                     # "(Reuters)", "(AP)"
    r"(?:-{1,2}|–|—)\s+")
_PARENTHESISED = re.compile(r"^[(\[].*[)\]]$", re.S)

# Odd multipliers for combining word hashes into a shingle hash (uint32 arithmetic wraps, as intended).
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646C | 1,
                 0xFD7046C5, 0xB55A4F09][:SHINGLE_WORDS], dtype=np.uint32)


def affine32_permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of ``datasketch.MinHash(num_perm, seed, scheme="affine32")``'s permutations
    h → a·h + b mod 2³², drawn as datasketch draws them (a test holds the two equal). Made here so
    that every extraction worker does not import datasketch, whose package imports SciPy (57 MB
    more per process, measured)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_PERM_A, _PERM_B = affine32_permutations()
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The MinHash of an article's shingles (``NUM_PERM`` uint32 values as bytes), how many distinct
    shingles it summarises, and two masks; small and picklable, compared by ``indexer.stories.evidence``."""

    values: bytes
    shingles: int
    numbers: int = 0      # MASK_BITS-bit mask of the figures in the text (runs of digits): copies keep
                          # them, the issues of a recurring report differ mostly in them
    title: int = 0        # MASK_BITS-bit mask of the headline's words (used only for short texts)

    def array(self) -> np.ndarray:
        """The MinHash values as a read-only uint32 array (no copy)."""
        return np.frombuffer(self.values, dtype=np.uint32)

    def packed(self) -> bytes:
        """The fingerprint as ``PACKED_BYTES`` bytes (values, shingle count, the two masks), for an
        index that keeps it with the article's document."""
        return (self.values + self.shingles.to_bytes(4, "little")
                + self.numbers.to_bytes(MASK_BITS // 8, "little") + self.title.to_bytes(MASK_BITS // 8, "little"))

    @classmethod
    def unpack(cls, data: bytes) -> "Fingerprint":
        """A fingerprint from ``packed`` bytes (ValueError for bytes of another length)."""
        if len(data) != PACKED_BYTES:
            raise ValueError(f"a packed fingerprint has {PACKED_BYTES} bytes, not {len(data)}")
        n, m = NUM_PERM * 4, MASK_BITS // 8
        return cls(bytes(data[:n]), int.from_bytes(data[n:n + 4], "little"),
                   int.from_bytes(data[n + 4:n + 4 + m], "little"), int.from_bytes(data[n + 4 + m:], "little"))


def own_text(title: str, body: str, dateline: Optional[str] = None) -> str:
    """The part of an article that is fingerprinted: the body without the non-sentence lines at its
    ends (bylines, date lines, credits, copyright, "Read more"), its dateline lead and a repeated headline.

    At most ``EDGE_LINES`` lines go at each end, and never more than ``EDGE_SHARE`` of the words (a
    short wire item or a table can be all "non-sentence" lines).
    """
    lines = body.strip().split("\n")
    total = len(body.split())
    kept = total
    start, stop = 0, len(lines)
    for step in (1, -1):
        dropped = 0
        while dropped < EDGE_LINES and stop - start > 1:
            at = start if step == 1 else stop - 1
            line = lines[at].strip()
            if line:
                size = len(line.split())
                if total - (kept - size) > EDGE_SHARE * total or not _edge_furniture(line, title, size):
                    break
                kept -= size
                dropped += 1
            if step == 1:
                start += 1
            else:
                stop -= 1
    lines = lines[start:stop]
    first = _strip_dateline(lines[0].strip(), dateline)
    if title and len(lines) > 1 and _words(first) == _words(title):
        first = ""
    lines[0] = first
    return "\n".join(lines).strip()


def _strip_dateline(line: str, dateline: Optional[str]) -> str:
    if dateline and line.startswith(dateline):
        rest = line[len(dateline):].lstrip(" ,")
        m = re.match(r"(?:\([^()\n]{1,40}\)\s*)?(?:-{1,2}|–|—)\s+", rest)
        if m:
            return rest[m.end():]
    m = _DATELINE_LEAD.match(line)
    return line[m.end():] if m and m.end() < len(line) else line


def _edge_furniture(line: str, title: Optional[str], size: int) -> bool:
    """A line at either end of a body that is not the article's own prose."""
    if size > EDGE_LINE_WORDS:
        return False
    if not _SENTENCE_END.search(line):         # a date line, a byline, a credit, a sign-off
        return True
    if _PARENTHESISED.match(line):             # "(Reporting by …; Editing by ….)", "[Photo: ….]"
        return True
    return size <= FURNITURE_LINE_WORDS and is_furniture(line, title)   # "© 2020 …. All rights reserved."


# ASCII letters and digits kept (upper case lowered), everything else a separator; bytes ≥ 128 are
# kept so that UTF-8 letters survive in text already folded by ``_fold_unicode``.
_ASCII_FOLD = bytes((c + 32 if 65 <= c <= 90 else c) if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122
                                                         or c >= 128) else 32 for c in range(256))
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NOT_WORD = re.compile(r"[\W_]+")
_WORD_CACHE_MAX = 1 << 18


def _fold_unicode(text: str) -> str:
    """Accents dropped (NFKD, combining marks removed), case folded, non-word characters made spaces."""
    return _NOT_WORD.sub(" ", _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold())


def _folded(text: str) -> bytes:
    """``text`` as UTF-8 bytes with case, accents and punctuation folded (words separated by spaces;
    ASCII text takes a byte-level fast path)."""
    if not text.isascii():
        text = _fold_unicode(text)
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_FOLD)


def _words(text: str) -> list[bytes]:
    """The folded words of ``text`` as UTF-8 bytes."""
    return _folded(text).split()


class _WordHashes(dict):
    """crc32 of each word seen by this process (bounded), so common words are hashed once."""

    def __missing__(self, word: bytes) -> int:
        if len(self) >= _WORD_CACHE_MAX:
            self.clear()
        value = self[word] = zlib.crc32(word)
        return value


_WORD_HASHES = _WordHashes()


def _word_hashes(words: list[bytes]) -> np.ndarray:
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint32, count=len(words))


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct hashes of the ``SHINGLE_WORDS``-word windows of ``text`` (folded words), uint32."""
    return word_shingles(_words(text))


def word_shingles(words: list[bytes]) -> np.ndarray:
    """The distinct uint32 hashes of the ``SHINGLE_WORDS``-word windows of folded ``words`` (a text
    shorter than a window is one shingle)."""
    if not words:
        return np.empty(0, dtype=np.uint32)
    if len(words) < SHINGLE_WORDS:
        words = words + [b""] * (SHINGLE_WORDS - len(words))
    hashes = _word_hashes(words)
    n = len(words) - SHINGLE_WORDS + 1
    combined = np.zeros(n, dtype=np.uint32)
    for i, mix in enumerate(_MIX):
        combined += hashes[i:i + n] * mix
    return np.unique(combined)


def fingerprint(title: str, body: str, dateline: Optional[str] = None) -> Optional[Fingerprint]:
    """The fingerprint of an article's own text, or None when it has fewer than ``MIN_WORDS`` words
    (a headline-only item: it then groups only with exact copies)."""
    folded = _folded(own_text(title, body, dateline))
    words = folded.split()
    if len(words) < MIN_WORDS:
        return None
    fp = of_hashes(word_shingles(words))
    return Fingerprint(fp.values, fp.shingles, word_mask(_DIGITS.findall(folded)),
                       word_mask(_words(title) if title else []))


def fingerprint_words(title: str, body: str, dateline: Optional[str] = None) -> list[bytes]:
    """The folded words a fingerprint's shingles are made of; empty below ``MIN_WORDS``."""
    words = _words(own_text(title, body, dateline))
    return words if len(words) >= MIN_WORDS else []


def word_mask(words: list[bytes]) -> int:
    """A set of (folded) words as a ``MASK_BITS``-bit mask, one bit per word, compared with ``mask_jaccard``."""
    mask = 0
    for word in set(words):
        mask |= 1 << (_WORD_HASHES[word] % MASK_BITS)
    return mask


def mask_jaccard(a: int, b: int) -> float:
    """Jaccard of two word masks (1.0 for two empty ones)."""
    union = (a | b).bit_count()
    return (a & b).bit_count() / union if union else 1.0

def of_hashes(hashes: np.ndarray) -> Fingerprint:
    """The MinHash fingerprint of a set of uint32 shingle hashes.

    The values are those of ``datasketch.MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32",
    hashfunc=identity).update_batch(hashes)`` (its permutations, its MurmurHash3 pre-mix, its
    affine step; a test holds the two equal), computed in one numpy expression instead of through
    ``update_batch``'s call per item, which cost more than the rest of the fingerprint.
    """
    if len(hashes) == 0:
        return Fingerprint(_EMPTY.tobytes(), 0)
    mixed = _fmix32(hashes.astype(np.uint32, copy=False)).reshape(-1, 1)
    affine = np.multiply(mixed, _PERM_A)           # one array for the whole step, updated in place
    affine += _PERM_B
    return Fingerprint(affine.min(axis=0).tobytes(), int(len(hashes)))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, datasketch's pre-mix for the affine32 scheme."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A∩B| / min(|A|,|B|) from J = |A∩B| / |A∪B|: |A∩B| = J(|A|+|B|)/(1+J); capped at 1."""
    smaller = min(size_a, size_b)
    if smaller <= 0:
        return 0.0
    return min(1.0, jaccard * (size_a + size_b) / (1.0 + jaccard) / smaller)
