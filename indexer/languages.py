"""The languages Newsfacet detects and analyses: one table for detection, both engines and the pages.

Each language (ISO 639-1 code) has:
- ``snowball``: the Snowball algorithm that stems it (PyStemmer's name), or None;
- ``lucene``: the same algorithm's name for OpenSearch's ``snowball`` token filter (Lucene's
  analysis-common ``org.tartarus.snowball.ext`` stemmers), so that both engines stem alike;
- ``stem_fixes``: (pattern, replacement) pairs applied to a stem after Snowball, the same in both
  engines (OpenSearch: ``pattern_replace`` filters): for Portuguese, Snowball leaves the -ão/-ões
  plural apart (eleição → eleiçã, eleições → eleiçõ), so a stem's final õ becomes ã;
- ``cjk``: written without spaces, indexed as overlapping character pairs (no stemmer).

Text is analysed as: lowercase → stem (with its fixes) → fold accents. A language without a stemmer
(and an article whose language is unknown) is lowercased and folded only. Names come from CLDR
through babel: ``display_name(code, locale)`` in any page language, ``native_name(code)`` in its own.

English stems with Porter, not Snowball's English (porter2): on the TIME collection porter2 gives MAP
.587 against Porter's .589 (docs/languages.md), so ``snowball`` is ``porter`` for English and the
Whoosh engine keeps its own Porter implementation for it.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional


@dataclass(frozen=True)
class Language:
    """One language's analysis: its Snowball stemmer in Python and in Lucene, and fixes after it."""
    code: str                            # ISO 639-1
    snowball: Optional[str] = None       # PyStemmer / snowballstemmer algorithm
    lucene: Optional[str] = None         # OpenSearch `snowball` filter language (same algorithm)
    stem_fixes: tuple = ()               # ((regex, replacement), …) applied to each stem, in order
    cjk: bool = False                    # character pairs instead of words

    @property
    def name(self) -> str:
        """The language's name in English (CLDR)."""
        return display_name(self.code, "en")

    @property
    def native(self) -> str:
        """The language's name in itself (CLDR): español, Deutsch, 日本語."""
        return native_name(self.code)


_PORTUGUESE_PLURAL = ((r"õ$", "ã"),)      # eleições → eleiçõ → eleiçã, as eleição → eleiçã

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("en", "porter", None),      # Porter (see above); OpenSearch: porter_stem
    Language("es", "spanish", "Spanish"),
    Language("fr", "french", "French"),
    Language("de", "german", "German"),
    Language("it", "italian", "Italian"),
    Language("pt", "portuguese", "Portuguese", _PORTUGUESE_PLURAL),
    Language("nl", "dutch", "Dutch"),
    Language("ru", "russian", "Russian"),
    Language("sv", "swedish", "Swedish"),
    Language("da", "danish", "Danish"),
    Language("no", "norwegian", "Norwegian"),
    Language("nn", "norwegian", "Norwegian"),
    Language("fi", "finnish", "Finnish"),
    Language("ca", "catalan", "Catalan"),
    Language("ro", "romanian", "Romanian"),
    Language("hu", "hungarian", "Hungarian"),
    Language("tr", "turkish", "Turkish"),
    Language("el", "greek", "Greek"),
    Language("ar", "arabic", "Arabic"),
    Language("hi", "hindi", "Hindi"),
    Language("id", "indonesian", "Indonesian"),
    # Detected, without a Snowball algorithm that both engines have: lowercased and folded only.
    Language("cs"), Language("pl"), Language("uk"), Language("bg"), Language("he"), Language("fa"),
    Language("vi"),
    # Chinese, Japanese, Korean: overlapping character pairs, as both engines index them today.
    Language("zh", cjk=True), Language("ja", cjk=True), Language("ko", cjk=True),
)}
# The OpenSearch filter for English: Lucene's Porter (the algorithm of Whoosh's own stemmer).
LUCENE_ENGLISH = "porter_stem"
UNKNOWN = ""          # an article whose language could not be told


def get(code: Optional[str]) -> Optional[Language]:
    """The table's entry for ``code``, None for an unknown or unsupported language."""
    return LANGUAGES.get(code or "")


@lru_cache(maxsize=512)
def display_name(code: str, locale: str = "en") -> str:
    """``code``'s name in ``locale`` from CLDR (babel), e.g. ("es", "fr") → "espagnol"; the code
    itself when CLDR has no name for it."""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(locale.replace("-", "_")).languages.get(code) or code
    except (UnknownLocaleError, ValueError):
        return Locale("en").languages.get(code) or code


@lru_cache(maxsize=128)
def native_name(code: str) -> str:
    """``code``'s name in its own language from CLDR (babel): "es" → "español"."""
    return display_name(code, code)


_local = threading.local()       # PyStemmer's stemmers are not thread-safe: one per thread


def stemmer(code: Optional[str]) -> Optional[Callable[[str], str]]:
    """The stem function for ``code`` (a lowercased word → its stem, fixes applied), None when the
    language has no stemmer. One stemmer object per thread and language."""
    lang = get(code)
    if lang is None or not lang.snowball:
        return None
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    fn = cache.get(lang.code)
    if fn is None:
        import Stemmer
        stem = Stemmer.Stemmer(lang.snowball).stemWord
        if lang.stem_fixes:
            fixes = [(re.compile(p), r) for p, r in lang.stem_fixes]

            def fn(word: str, stem=stem, fixes=fixes) -> str:
                out = stem(word)
                for pattern, replacement in fixes:
                    out = pattern.sub(replacement, out)
                return out
        else:
            fn = stem
        cache[lang.code] = fn
    return fn


def fold(text: str) -> str:
    """``text`` without accents (canonical decomposition, combining marks dropped): élect → elect."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def term(code: Optional[str], word: str) -> str:
    """A word as ``code``'s analysis indexes it: lowercase → stem → fold accents (the reference the
    engines' analysers follow with their own filters)."""
    low = word.lower()
    stem = stemmer(code)
    return fold(stem(low) if stem else low)
