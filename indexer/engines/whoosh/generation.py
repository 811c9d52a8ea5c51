"""An index as served: its generations opened once, the searchers lent out, the caches they share.

``open_index`` is the entry point; ``Index.generation()`` follows the ``current`` pointer, so a
server answers from a rebuilt index without a restart. A Generation holds what every request of
that index reads (the Whoosh index, DocValues, the vocabulary, the match and posting caches, the
pool of searchers).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Optional

import numpy as np
from whoosh.filedb.filestore import FileStorage

from indexer import facets, languages
from indexer.engines.analysis import ordered
from indexer.engines.whoosh import store
from indexer.engines.whoosh.docvalues import DocValues, field_lengths
from indexer.engines.whoosh.schema import TAG, term_language
from indexer.querylang import TEXT_FIELDS
from indexer.engines.whoosh.bm25 import weighting
from indexer.engines.whoosh.vocabulary import Vocabulary


class Generation:
    """One opened index generation: the Whoosh index and its per-document arrays.

    Shared by all threads (read-only); each request opens its own searcher from it.
    """

    MAX_IDLE_SEARCHERS = 16

    def __init__(self, path: Path):
        self.path = path
        store.check_format(path.parent, path)      # an index of an earlier format: rebuild, in one line
        # Without mmap: every searcher would map each segment file again, and the mapped pages
        # count in the server's RSS once per searcher (8 threads × the index size).
        self.ix = FileStorage(str(path), supports_mmap=False).open_index()
        self._idle: list = []
        self._pool_lock = threading.Lock()
        searcher = self.ix.searcher(weighting=weighting())
        self.values = DocValues.build(searcher.reader())
        self.doc_count = searcher.doc_count()
        self.info = store.read_build_info(path)
        self.vocab = Vocabulary.load(path)
        self.languages = present_languages(self.values)   # the analysis languages a query's words are analysed in
        self.cache = MatchCache()
        self.lengths: dict = {}       # field → per-document lengths as BM25 sees them (ranking.py)
        self.positions: dict = {}     # segment → its memory-mapped .pos file (indexer.positions)
        # several languages: each term weighed among its language's articles (bm25.py)
        self.population = Populations(self) if len(self.languages) > 1 else None
        self.small_terms = SmallLanguageTerms(self.population) if self.population is not None else None
        searcher.weighting = self.weighting()
        self._idle.append(searcher)

    def held_terms(self, reader):
        """What a query's compiler asks whether the index holds a term: the reader itself, or with
        several languages a view that answers for the small ones from memory (``SmallLanguageTerms``)."""
        return reader if self.small_terms is None else self.small_terms.view(reader)

    def weighting(self):
        """The weighting of this generation's searchers (per-language statistics when it has several)."""
        return weighting(self.population)

    def searcher(self) -> "PooledSearcher":
        """A searcher for one thread at a time; ``close()`` (or leaving ``with``) returns it.

        Opening a Whoosh searcher reads each segment's term index and columns again
        (about 140 ms on Reuters-21578), so searchers are kept and lent out, not reopened.
        """
        with self._pool_lock:
            searcher = self._idle.pop() if self._idle else None
        return PooledSearcher(self, searcher if searcher is not None else self.ix.searcher(weighting=self.weighting()))

    def _give_back(self, searcher) -> None:
        with self._pool_lock:
            if len(self._idle) < self.MAX_IDLE_SEARCHERS:
                self._idle.append(searcher)
                return
        searcher.close()

    def close(self) -> None:
        """Closes the pooled searchers, position files and index, so an old generation frees its files."""
        with self._pool_lock:
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()
        self.positions.clear()
        self.ix.close()


def present_languages(values: DocValues) -> tuple[str, ...]:
    """The analysis languages of the live documents (``indexer.languages.analysis``): each
    language of the ``text_language`` facet, and English when a document has none."""
    spec = facets.LANGUAGE
    if spec is None:
        return (languages.ENGLISH,)
    mv = values.multi[spec.name]
    found = {languages.analysis(name) for name in mv.names}
    told = np.zeros(values.ndocs, dtype=bool)
    told[mv.pair_doc] = True
    if (values.live & ~told).any():
        found.add(languages.ENGLISH)
    return ordered(found) or (languages.ENGLISH,)


class SmallLanguageTerms:
    """The terms of a multilingual index's small languages, per text field, read once.

    A query word is analysed in every language the index holds and each language's form kept only
    if the index holds it; asked of the reader, that is a lookup in every segment for each language
    (ten languages: ten lookups per word and field, most for terms no article has). A language of at
    most ``SMALL_SHARE`` of the articles has few terms: they are read from the lexicon into a set
    the first time one is asked for. A larger language's form (and English's, untagged) is kept
    without asking: the search looks it up once anyway, and an absent term matches nothing."""

    SMALL_SHARE = 0.05

    def __init__(self, population: "Populations"):
        total = sum(population.counts.values()) or 1
        self.small = {lang for lang, n in population.counts.items()
                      if lang != languages.ENGLISH and n <= self.SMALL_SHARE * total}
        self._sets: dict = {}
        self._lock = threading.Lock()

    def holds(self, reader, fieldname: str, term: bytes) -> bool:
        """Whether ``term`` may be in ``fieldname``: exact for a small language, True otherwise."""
        lang = term_language(term.decode("utf-8", "replace"))
        if lang not in self.small:
            return True
        key = (fieldname, lang)
        terms = self._sets.get(key)
        if terms is None:
            with self._lock:
                terms = self._sets.get(key)
                if terms is None:
                    prefix = lang + TAG
                    terms = self._sets[key] = frozenset(reader.expand_prefix(fieldname, prefix))
        return term in terms

    def view(self, reader) -> "_HeldView":
        """``(fieldname, term) in view``, answered as ``holds`` answers, for one reader."""
        return _HeldView(self, reader)


class _HeldView:
    __slots__ = ("terms", "reader")

    def __init__(self, terms: SmallLanguageTerms, reader):
        self.terms, self.reader = terms, reader

    def __contains__(self, key) -> bool:
        fieldname, term = key
        return self.terms.holds(self.reader, fieldname, term)


class Populations:
    """Each analysis language's articles (live documents) and their average title and body
    lengths, for weighing a term among its own language's articles (``bm25.NewsBM25F``)."""

    def __init__(self, gen: Generation):
        self.gen = gen
        values, spec = gen.values, facets.LANGUAGE
        codes = {lang: i for i, lang in enumerate(gen.languages)}
        of_doc = np.full(values.ndocs, codes.get(languages.ENGLISH, -1), dtype=np.int16)
        mv = values.multi[spec.name]
        value_code = np.array([codes.get(languages.analysis(n), -1) for n in mv.names], dtype=np.int16)
        if len(mv.pair_doc):
            of_doc[mv.pair_doc] = value_code[mv.pair_value]
        of_doc[~values.live] = -1
        self.masks = {lang: of_doc == i for lang, i in codes.items()}
        self.counts = {lang: int(m.sum()) for lang, m in self.masks.items()}
        self._average: dict = {}
        self._lock = threading.Lock()

    def __call__(self, reader, fieldname: str, text: bytes):
        """(articles, average length of ``fieldname``) of the term's language; None for other fields."""
        if fieldname not in TEXT_FIELDS:
            return None
        lang = term_language(text.decode("utf-8", "replace"))
        n = self.counts.get(lang)
        if not n:
            return None
        key = (fieldname, lang)
        average = self._average.get(key)
        if average is None:
            with self._lock:
                lengths = self.gen.lengths.get(fieldname)
                if lengths is None:
                    lengths = self.gen.lengths[fieldname] = field_lengths(reader, fieldname)
                average = self._average[key] = float(lengths[self.masks[lang]].sum()) / n
        return n, average


class MatchCache:
    """Per-generation LRU caches: posting lists (term → document numbers) and the match
    masks of recent queries. Bounded by entries and by total posting size."""

    MAX_MASKS = 64
    MAX_TERM_IDS = 8_000_000      # array entries (ids, weights, BM25 scores) kept across all cached terms (≤ 64 MB)

    def __init__(self):
        self._lock = threading.Lock()
        self._masks: OrderedDict = OrderedDict()
        self._terms: OrderedDict = OrderedDict()
        self._term_ids = 0

    def _lookup(self, table: OrderedDict, key):
        with self._lock:
            value = table.get(key)
            if value is not None:
                table.move_to_end(key)
            return value

    def get_mask(self, key):
        """A cached filter mask, so repeated facet filters skip recounting."""
        return self._lookup(self._masks, key)

    def put_mask(self, key, mask) -> None:
        """Caches a filter mask, evicting the oldest so memory stays bounded."""
        with self._lock:
            self._masks[key] = mask
            self._masks.move_to_end(key)
            while len(self._masks) > self.MAX_MASKS:
                self._masks.popitem(last=False)

    def get_term(self, key):
        """A cached term's document ids, so common words are not re-read each query."""
        return self._lookup(self._terms, key)

    def put_term(self, key, ids) -> None:
        """Caches a term's ids unless too large, keeping the cache's total ids bounded."""
        if len(ids) > self.MAX_TERM_IDS // 4:
            return
        with self._lock:
            if key in self._terms:
                return
            self._terms[key] = ids
            self._term_ids += len(ids)
            while self._term_ids > self.MAX_TERM_IDS and self._terms:
                _, old = self._terms.popitem(last=False)
                self._term_ids -= len(old)

    def clear(self) -> None:
        """Empties the cache, for benchmarks and tests that measure cold requests."""
        with self._lock:
            self._masks.clear()
            self._terms.clear()
            self._term_ids = 0


class PooledSearcher:
    """A Whoosh searcher lent by a Generation: behaves as the searcher; ``close()`` gives it back."""

    def __init__(self, gen: Generation, searcher):
        self._gen = gen
        self._searcher = searcher

    def __getattr__(self, name):
        if self._searcher is None:
            raise ValueError("this searcher was closed")
        return getattr(self._searcher, name)

    def close(self) -> None:
        """Returns the searcher to its generation's pool instead of closing it, so the next request reuses it."""
        searcher, self._searcher = self._searcher, None
        if searcher is not None:
            self._gen._give_back(searcher)

    def __enter__(self) -> "PooledSearcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Index:
    """An index directory as served: follows ``current`` to the newest complete generation.

    ``generation()`` is cheap (one readlink); when a rebuild has swapped in a new
    generation, the next call opens it, so a server answers from the new index
    without a restart.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._generation: Optional[Generation] = None
        self._lock = threading.Lock()

    def generation(self) -> Generation:
        """The generation `current` points to, reopened only when a rebuild moved it, so serving follows rebuilds."""
        path = store.require_generation(self.root)
        gen = self._generation
        if gen is not None and gen.path == path:
            return gen
        with self._lock:
            for attempt in range(3):
                if self._generation is not None and self._generation.path == path:
                    return self._generation
                try:
                    self._generation = Generation(path)
                    return self._generation
                except Exception:
                    # Replaced (and removed) by newer builds while it was being opened: open the
                    # one now served; a generation that fails to open while still served is an error.
                    newer = store.require_generation(self.root)
                    if newer == path or attempt == 2:
                        raise
                    path = newer

    def close(self) -> None:
        """Close the open generation (its searchers and files); the next ``generation()`` reopens one."""
        with self._lock:
            gen, self._generation = self._generation, None
        if gen is not None:
            gen.close()


def open_index(path=None) -> Index:
    """The index at a path (or the default), the entry point for the CLI, the web app and tests."""
    return Index(store.index_path(path))

