"""The index's words with their document counts: "did you mean", autocomplete and wildcards.

The body field is stemmed, so its terms are not words to suggest. Rather than
index every word a second time in Whoosh (about a third more indexing work),
each generation keeps a plain table ``words.tsv`` (word, documents), summed from
per-article word sets that the build workers compute, and adjusted on ``update``;
and one such table per analysis language (``words-<code>.tsv``: the words of the
articles analysed in it), read when a search asks for one language's words.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from pathlib import Path
from typing import Iterator, Optional

from whoosh.support.levenshtein import distance

from indexer.ingest.words import article_words  # noqa: F401 (the per-article sets counted here)
from indexer.textkeys import lower_key

FILE = "words.tsv"
LANGUAGE_FILE = "words-{}.tsv"
MIN_DOCS = 1


def write(gen: Path, by_language: dict[str, Counter]) -> None:
    """Saves the word counts, per analysis language (``words-<code>.tsv``) and all together
    (``words.tsv``), so the vocabulary loads without scanning the index."""
    merged: Counter = Counter()
    written = set()
    for lang, counts in by_language.items():
        kept = {w: n for w, n in counts.items() if n > 0}
        if kept:
            path = gen / LANGUAGE_FILE.format(lang)
            _write(path, kept)
            written.add(path.name)
            merged.update(kept)
    for old in gen.glob(LANGUAGE_FILE.format("*")):     # an update's copy of a language now gone
        if old.name not in written:
            old.unlink()
    _write(gen / FILE, merged)


def _write(path: Path, counts) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for word, n in sorted(counts.items()):
            if n > 0:
                fh.write(f"{word}\t{n}\n")


def read_languages(gen: Path) -> dict[str, Counter]:
    """The generation's word counts per analysis language (``update`` starts from them)."""
    out: dict[str, Counter] = {}
    prefix, suffix = LANGUAGE_FILE.split("{}")
    for path in gen.glob(LANGUAGE_FILE.format("*")):
        out[path.name[len(prefix):-len(suffix)]] = read_counts(gen, path.name)
    return out


def read_counts(gen: Path, name: str = FILE) -> Counter:
    """The generation's word counts (``name``: one language's file), empty when the file is missing."""
    counts: Counter = Counter()
    try:
        with open(gen / name, encoding="utf-8") as fh:
            for line in fh:
                word, _, n = line.rstrip("\n").partition("\t")
                if n.isdigit():
                    counts[word] = int(n)
    except FileNotFoundError:
        pass
    return counts


class Vocabulary:
    """Sorted words and their document frequencies, loaded once per generation."""

    def __init__(self, counts: Counter, gen: Optional[Path] = None):
        self.words = sorted(counts)
        self.freq = dict(counts)
        self._gen = gen
        self._languages: dict[str, "Vocabulary"] = {}

    @classmethod
    def load(cls, gen: Path) -> "Vocabulary":
        """The vocabulary of one generation, loaded once when it is opened."""
        return cls(read_counts(gen), gen)

    def of(self, lang: str) -> "Vocabulary":
        """The words of the articles analysed in ``lang`` (loaded on first use; empty when there are none)."""
        found = self._languages.get(lang)
        if found is None:
            counts = read_counts(self._gen, LANGUAGE_FILE.format(lang)) if self._gen is not None else Counter()
            found = self._languages.setdefault(lang, Vocabulary(counts))
        return found

    def doc_frequency(self, word: str) -> int:
        """Articles containing a word, for ranking corrections and expansions."""
        return self.freq.get(lower_key(word), 0)

    def with_prefix(self, prefix: str, limit: int = 10) -> list[tuple[str, int]]:
        """Most frequent words starting with ``prefix``."""
        prefix = lower_key(prefix)
        lo = bisect.bisect_left(self.words, prefix)
        hi = bisect.bisect_left(self.words, prefix + "\uffff")
        found = sorted(((self.freq[w], w) for w in self.words[lo:hi]), reverse=True)[:limit]
        return [(w, n) for n, w in found]

    def matching(self, pattern: str) -> Iterator[str]:
        """Words matching a wildcard ``pattern`` (``*`` any run of characters, ``?`` one),
        most frequent first: what a wildcard query expands to (the caller stops after its cap).
        One regex pass over the words joined in frequency order, so stopping early is cheap
        and even ``*e*`` costs a few milliseconds."""
        regex = re.compile("^" + "".join("[^\n]*" if c == "*" else "[^\n]" if c == "?" else re.escape(c)
                                         for c in lower_key(pattern)) + "$", re.MULTILINE)
        for m in regex.finditer(self._by_frequency()):
            yield m.group()

    def _by_frequency(self) -> str:
        joined = self.__dict__.get("_joined")
        if joined is None:
            joined = self._joined = "\n".join(sorted(self.words, key=lambda w: (-self.freq[w], w)))
        return joined

    def correction(self, word: str) -> Optional[str]:
        """A common word within two edits (same first letter), clearly more frequent than ``word``."""
        key = lower_key(word)
        if len(key) < 3:
            return None
        floor = max(self.freq.get(key, 0) * 10, MIN_DOCS)
        shapes = self._shapes()
        best: Optional[tuple[int, int, str]] = None
        for length in range(len(key) - 2, len(key) + 3):
            for negfreq, cand in shapes.get((key[0], length), ()):
                if -negfreq <= floor:
                    break                       # the rest of this list is rarer still
                if best is not None and best[0] == 1 and negfreq > best[1]:
                    break                       # rarer than a one-edit answer: can't win
                if cand == key:
                    continue
                d = distance(key, cand, limit=2)
                if d <= 2 and (len(key) > 4 or d == 1):
                    rank = (d, negfreq, cand)
                    if best is None or rank < best:
                        best = rank
        return best[2] if best else None

    def _shapes(self) -> dict:
        """(first letter, length) → [(-documents, word)], most frequent first: the words
        ``correction`` may answer with, grouped so that it reads only those of the right
        shape (it scanned every word of the same first letter: 2 ms a query on Reuters ×5)."""
        shapes = self.__dict__.get("_by_shape")
        if shapes is None:
            shapes = {}
            for w, n in self.freq.items():
                if n > MIN_DOCS:
                    shapes.setdefault((w[0], len(w)), []).append((-n, w))
            for entries in shapes.values():
                entries.sort()
            self._by_shape = shapes
        return shapes
