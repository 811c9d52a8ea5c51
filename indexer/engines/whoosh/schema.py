"""The Whoosh schema: the one place index fields are defined, the facets' from the registry.

Title and body are analysed in each article's language (``indexer.languages``): English, and an
article of unknown language, exactly as before (Whoosh's Porter, untagged terms), so an English
index is the index it always was; another language's terms are its Snowball stems, folded, tagged
``"<code>\x1f<stem>"`` so that two languages' stems never meet in one term. CJK character pairs
stay untagged (the same pairs in every language). A document's title and body arrive as
``InLanguage(text, code)``; the stored text is the plain string.

Facet fields keep display names as terms (``KEYWORD`` split on commas, case
kept) so the facet arrays built from the lexicon show "North Korea", not
"north korea"; case-insensitive field queries are resolved against that
vocabulary in ``query``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from typing import NamedTuple

from whoosh import fields
from whoosh.formats import tokens
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from indexer import facets, languages
from indexer.facets import FacetSpec
from indexer.model import Article

TAG = "\x1f"          # between a language's code and its stem in a term ("es\x1feleccion")

# Chinese, Japanese and Korean scripts (CJK radicals and symbols' letters, kana, bopomofo, CJK
# ideographs and extensions, Hangul syllables, compatibility ideographs): written without spaces
# between words, so a run of them is indexed as its overlapping pairs of characters, as Lucene's
# CJK bigram filter does ("台湾是中国" → 台湾 湾是 是中 中国); a query's run is analysed the same way.
CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
HAS_CJK = re.compile(f"[{CJK}]").search
# Whoosh's StemmingAnalyzer tokens ([\w*]+ with inner dots), with CJK runs as tokens of their own.
WORDS = f"[{CJK}]+|(?:[^\\W{CJK}]|\\*)+(?:\\.?(?:[^\\W{CJK}]|\\*)+)*"
_PLAIN_WORDS = r"[\w\*]+(?:\.?[\w\*]+)*"     # the same tokens in text without CJK, faster


def cjk_bigrams(word: str) -> list[str]:
    """A CJK run's overlapping character pairs (a lone character stays itself)."""
    return [word[i:i + 2] for i in range(len(word) - 1)] or [word]


class CJKBigramFilter(Filter):
    """Splits each CJK token into its overlapping pairs of characters, renumbering positions."""

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            if t.positions:
                t.pos += shift
            if len(t.text) < 3 or not HAS_CJK(t.text[:1]):    # a word, or a CJK run of one pair at most
                yield t
                continue
            word, pos, start = t.text, getattr(t, "pos", 0), getattr(t, "startchar", 0)
            for i, pair in enumerate(cjk_bigrams(word)):
                t.text = pair
                if t.positions:
                    t.pos = pos + i
                if t.chars:
                    t.startchar, t.endchar = start + i, start + i + len(pair)
                yield t
            shift += len(word) - 2


# Stemmed, case- and accent-insensitive; no stop list so phrases keep every word.
TEXT_ANALYZER = (RegexTokenizer(WORDS) | CJKBigramFilter() | LowercaseFilter() | StemFilter(cachesize=50000)
                 | CharsetFilter(accent_map))



class _TermMaker:
    """What TEXT_ANALYZER does to one token (lowercase → stem → fold accents), memoised per word,
    for one language: ``lang`` "en" is TEXT_ANALYZER's own analysis (Porter, Whoosh's accent map,
    untagged terms); another language's term is its Snowball stem (``indexer.languages``), folded
    as OpenSearch's ``asciifolding`` folds, tagged with its code; CJK pairs untagged in every one.

    Indexing spends most of its analysis time pushing Token objects through the
    filter chain one by one; the chain has no state between tokens, so the term
    for a token depends only on its text and can be cached.
    """

    MAX_CACHE = 500_000

    def __init__(self, analyzer, lang: str = languages.ENGLISH):
        tokenizer, bigrams, lower, stemmer, charset = analyzer.items
        assert isinstance(tokenizer, RegexTokenizer) and not tokenizer.gaps and tokenizer.expression.pattern == WORDS
        assert isinstance(bigrams, CJKBigramFilter)
        assert isinstance(lower, LowercaseFilter) and isinstance(stemmer, StemFilter)
        assert isinstance(charset, CharsetFilter)
        pattern = tokenizer.expression
        self.lang = lang
        self.pattern = pattern
        self.cjk_findall = pattern.findall
        self.findall = re.compile(_PLAIN_WORDS, pattern.flags).findall    # for text without CJK
        self.finditer = pattern.finditer
        self.stem, self.ignore, self.charmap = stemmer.stemfn, stemmer.ignore or frozenset(), charset.charmap
        self.tag = "" if lang == languages.ENGLISH else lang + TAG
        self.cache: dict[str, str] = {}
        self.bcache: dict[str, bytes] = {}

    def term(self, word: str) -> str:
        """The index term of one token (memoised)."""
        if self.tag and not HAS_CJK(word[:1]):
            term = self.tag + languages.term(self.lang, word)
        else:
            text = word.lower()
            if text not in self.ignore:
                text = self.stem(text)
            term = text.translate(self.charmap)
        if len(self.cache) >= self.MAX_CACHE:
            self.cache.clear()
        self.cache[word] = term
        return term

    def query_terms(self, text: str) -> tuple[str, ...]:
        """``text`` (typed words) as this language's index terms, in order."""
        cache = self.cache
        return tuple(t for t in (cache.get(w) or self.term(w) for w in self.words(text)) if t)

    def term_bytes(self, word: str) -> bytes:
        term = self.cache.get(word)
        tbytes = (term if term is not None else self.term(word)).encode("utf-8")
        if len(self.bcache) >= self.MAX_CACHE:
            self.bcache.clear()
        self.bcache[word] = tbytes
        return tbytes

    def positions_bytes(self, text: str) -> dict[bytes, list[int]]:
        """``positions`` keyed by the terms' UTF-8 bytes, as an index writer wants them."""
        return self._positions(text, self.bcache, self.term_bytes)

    def positions(self, text: str) -> dict[str, list[int]]:
        """term → positions of its tokens, exactly as the analyzer's tokens would give them."""
        return self._positions(text, self.cache, self.term)

    def _positions(self, text: str, cache: dict, make) -> dict:
        poses: dict = defaultdict(list)
        if HAS_CJK(text):
            for pos, word in enumerate(self.words(text)):
                term = cache.get(word)
                poses[term if term is not None else make(word)].append(pos)
            return poses
        for pos, word in enumerate(self.findall(text)):
            term = cache.get(word)
            poses[term if term is not None else make(word)].append(pos)
        return poses

    def words(self, text: str) -> list[str]:
        """The tokens of ``text`` before lowercasing and stemming, CJK runs as their pairs."""
        out: list[str] = []
        for word in self.cjk_findall(text):
            if HAS_CJK(word[:1]):
                out.extend(cjk_bigrams(word))
            else:
                out.append(word)
        return out

    def spans(self, text: str):
        """(token, start, end) of each token in ``text``, CJK runs as their pairs."""
        for match in self.finditer(text):
            word, start = match.group(), match.start()
            if HAS_CJK(word[:1]):
                for i, pair in enumerate(cjk_bigrams(word)):
                    yield pair, start + i, start + i + len(pair)
            else:
                yield word, start, match.end()


class FastText(fields.TEXT):
    """``TEXT`` with TEXT_ANALYZER, indexed through ``_TermMaker``: the same terms and weights as
    ``fields.TEXT`` gives, at a fraction of the cost. Queries, highlighting and anything else that
    analyses text still use the analyzer.

    Its posting blocks hold frequencies only (Whoosh's ``Frequency``): the words' positions live in
    each segment's ``.pos`` file alone (``indexer.engines.whoosh.positions``), which phrases and the
    proximity bonus read. Whoosh's blocks kept a pickled position list per posting, the largest part
    of a rebuild's segment flush and of the index. So only writers that write ``.pos`` files
    (``indexer.engines.whoosh.segments``) may write these fields: ``postings_into`` hands them each
    posting's positions."""

    side_positions = True      # positions in the segment's .pos file, not in the posting blocks

    def __init__(self, **kwargs):
        super().__init__(phrase=False, **kwargs)

    def __setstate__(self, state):
        # An index's schema comes back from its table of contents as a copy; a copy of
        # TEXT_ANALYZER is swapped for the module's own, which the fast paths below look for.
        # (Without this, every process that opens an index to write analysed text with
        # Whoosh's whole filter chain again: twice the writer processes' analysis CPU.)
        self.__dict__.update(state)
        if self.analyzer == TEXT_ANALYZER:
            self.analyzer = TEXT_ANALYZER

    def positions(self, value) -> dict[str, list[int]]:
        """term → the positions of its tokens in ``value`` (a string or ``InLanguage``), exactly
        as the analyzer's tokens would number them."""
        value, maker = _text_and_maker(value)
        if not isinstance(value, str) or self.analyzer is not TEXT_ANALYZER:
            poses: dict = defaultdict(list)
            for t in tokens(value, self.analyzer, {"positions": True, "mode": "index"}):
                poses[t.text].append(t.pos)
            return poses
        return maker.positions(value)

    def index(self, value, **kwargs):
        """The postings ``fields.TEXT(phrase=False)`` would give (frequency values), through the
        memoised term maker of the text's language (``InLanguage``; a plain string: English)."""
        boost = self.format.field_boost
        for term, poslist in self.positions(value).items():
            n = len(poslist)
            yield term.encode("utf-8"), n, n * boost, pack_uint(n)

    def postings_into(self, value, terms: dict, docnum: int, fieldboost: float = 1.0) -> tuple[int, int]:
        """``index`` for a bulk writer: append (docnum, weight, positions) to each term's list in
        ``terms`` (the weight as ``SegmentWriter.add_document`` computes it; the positions tuple
        goes to the ``.pos`` file, its length is the block's frequency); returns the field length
        and the number of postings. One loop, no generator, no value encoded per posting."""
        value, maker = _text_and_maker(value)
        if not isinstance(value, str) or self.analyzer is not TEXT_ANALYZER:
            poses = {term.encode("utf-8"): p for term, p in self.positions(value).items()}
        else:
            poses = maker.positions_bytes(value)
        boost = self.format.field_boost * fieldboost
        length = 0
        get = terms.get
        for tbytes, poslist in poses.items():
            n = len(poslist)
            length += n
            entry = get(tbytes)
            if entry is None:
                entry = terms[tbytes] = []
            entry.append((docnum, n * boost, tuple(poslist)))    # a tuple: 40 bytes less than the list held
        return length, len(poses)


def side_positions(field) -> bool:
    """Whether a field's positions are in the segments' ``.pos`` files only (``FastText``)."""
    return getattr(field, "side_positions", False)


class InLanguage(NamedTuple):
    """A title or body to index with its language's analysis (``indexer.languages.analysis``)."""
    text: str
    lang: str


_TERMS = _TermMaker(TEXT_ANALYZER)
_MAKERS: dict[str, _TermMaker] = {languages.ENGLISH: _TERMS}


def term_maker(lang) -> _TermMaker:
    """The term maker (and its memo) of an article's language: its analysis language's
    (``indexer.languages.analysis``: English for "" and for languages outside the table)."""
    code = languages.analysis(lang)
    maker = _MAKERS.get(code)
    if maker is None:
        maker = _MAKERS.setdefault(code, _TermMaker(TEXT_ANALYZER, code))
    return maker


def _text_and_maker(value) -> tuple:
    if type(value) is InLanguage:
        return value.text, term_maker(value.lang)
    return value, _TERMS


def term_language(term: str) -> str:
    """The analysis language a term was made in: its tag, "en" for an untagged term (English, CJK pairs)."""
    tag, sep, _ = term.partition(TAG)
    return tag if sep else languages.ENGLISH


class FastAnalyzer:
    """TEXT_ANALYZER's token stream (text, positions, character offsets) without the filter
    chain: one regex pass and a memoised term per word, in one language's analysis. For
    highlighting, which re-reads every word of a hit's text."""

    def __init__(self, maker: "_TermMaker | None" = None):
        self.maker = maker or _TERMS

    def __call__(self, value: str, positions: bool = False, chars: bool = False, removestops: bool = True,
                 mode: str = "", start_pos: int = 0, start_char: int = 0, **kwargs):
        from whoosh.analysis import Token
        maker = self.maker
        cache, make = maker.cache, maker.term
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (word, start, end) in enumerate(maker.spans(value), start_pos):
            term = cache.get(word)
            t.text = term if term is not None else make(word)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


FAST_ANALYZER = FastAnalyzer()


def fast_analyzer(lang) -> FastAnalyzer:
    """FAST_ANALYZER in an article's language (``term_maker``)."""
    maker = term_maker(lang)
    return FAST_ANALYZER if maker is _TERMS else FastAnalyzer(maker)

UNKNOWN_DATE = ""   # stored/indexed value of `date` when none was found


def about_field(spec: FacetSpec) -> str:
    """A scoped facet's index field of the values articles are mainly about (the "about" scope)."""
    return f"{spec.name}_about"


def mentioned_field(spec: FacetSpec) -> str:
    """A scoped facet's stored field of passing mentions (apart from the "about" list it stores)."""
    return f"{spec.name}_mentioned"


def _facet_field(stored: bool) -> fields.KEYWORD:
    # Display names as terms: commas separate values, case kept, no scoring.
    return fields.KEYWORD(commas=True, lowercase=False, scorable=False, stored=stored)


def make_schema() -> fields.Schema:
    """The index's fields, defined in one place so building and searching agree: the article's own,
    and per values facet of the registry a field named after it (indexed: every value, for
    filters, counts and ``name:`` queries; stored: the display values), plus for a scoped kind
    the "about" values (indexed) and the passing mentions (stored)."""
    own = dict(
        id=fields.ID(stored=True, unique=True),
        source=fields.STORED(),                  # path#position or path: shown to users
        path=fields.ID(stored=True),             # the input file, for `update` (deleted by term)
        url=fields.STORED(),
        title=FastText(analyzer=TEXT_ANALYZER, stored=True, field_boost=2.0),
        body=FastText(analyzer=TEXT_ANALYZER, stored=True),
        date=fields.ID(stored=True),            # YYYY-MM-DD, or "" when unknown: DocValues, date: ranges
        dateline=fields.STORED(),
        content_hash=fields.STORED(),           # read back by `update` (duplicates)
        file_hash=fields.STORED(),              # read back by `update` (changed files)
    )
    for spec in facets.VALUE_FACETS:
        own[spec.name] = _facet_field(stored=True)
        if spec.scoped:
            own[about_field(spec)] = _facet_field(stored=False)
            own[mentioned_field(spec)] = fields.STORED()
    return fields.Schema(**own)


def _joined(values: list[str]) -> str:
    # Commas separate values in KEYWORD fields; a comma inside a name would split it.
    return ",".join(v.replace(",", " ") for v in values)


def involved(about: list[str], passing: list[str]) -> list[str]:
    """Every value of a scoped facet an article involves: the ones it is about first, then passing mentions."""
    keys = {v.casefold() for v in about}
    return list(about) + [v for v in passing if v.casefold() not in keys]


def to_document(article: Article) -> dict:
    """The keyword arguments for ``writer.add_document`` for one article."""
    day = article.date.isoformat() if article.date else UNKNOWN_DATE
    lang = languages.analysis(facets.text_language(article.facets))
    doc = dict(
        id=article.id,
        source=article.source,
        path=article.path,
        url=article.url,
        title=article.title if lang == languages.ENGLISH else InLanguage(article.title, lang),
        body=article.body if lang == languages.ENGLISH else InLanguage(article.body, lang),
        date=day,
        content_hash=article.content_hash,
        file_hash=article.file_hash,
        dateline=article.dateline,
    )
    if lang != languages.ENGLISH:
        doc["_stored_title"], doc["_stored_body"] = article.title, article.body
    for spec in facets.VALUE_FACETS:
        values = list(article.facets.get(spec.name) or ())
        if spec.scoped:
            passing = list(article.mentioned.get(spec.name) or ())
            doc[spec.name] = _joined(involved(values, passing))
            doc[about_field(spec)] = _joined(values)
            doc[mentioned_field(spec)] = passing
        else:
            doc[spec.name] = _joined(values)
        doc[f"_stored_{spec.name}"] = values
    return doc


def stored_article(fields: dict) -> Article:
    """An article back from a document's stored fields (what ``to_document`` stored), so a document
    can be written again with a change (its story)."""
    values: dict[str, list[str]] = {}
    mentioned: dict[str, list[str]] = {}
    for spec in facets.VALUE_FACETS:
        if fields.get(spec.name):
            values[spec.name] = list(fields[spec.name])
        if spec.scoped and fields.get(mentioned_field(spec)):
            mentioned[spec.name] = list(fields[mentioned_field(spec)])
    day = fields.get("date") or UNKNOWN_DATE
    return Article(
        id=fields["id"], source=fields.get("source", ""), title=fields.get("title", ""), body=fields.get("body", ""),
        date=dt.date.fromisoformat(day) if day else None, url=fields.get("url"), dateline=fields.get("dateline"),
        facets=values, mentioned=mentioned, content_hash=fields.get("content_hash", ""), path=fields.get("path", ""),
        file_hash=fields.get("file_hash", ""))
