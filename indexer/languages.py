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
from pathlib import Path
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
ENGLISH = "en"
# The language of the pages' own words: CLDR names of languages are shown in it ("es" → "Spanish").
PAGE_LOCALE = "en"
# Withdrawn ISO 639 codes still written in pages, and Bokmål (nb) as Norwegian (no).
RENAMED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "nb": "no"}


def get(code: Optional[str]) -> Optional[Language]:
    """The table's entry for ``code``, None for an unknown or unsupported language."""
    return LANGUAGES.get(code or "")


def analysis(code: Optional[str]) -> str:
    """The language an article's title and body are analysed in: its own when the table has it, else
    English ("" unknown, or a declared language outside the table), as every article was analysed
    before languages were told apart: an archive in English, or of unknown language, is indexed as
    it always was."""
    return code if code in LANGUAGES else ENGLISH


def label(code: str) -> str:
    """A language code as the pages show it: its CLDR name in the pages' language ("es" → "Spanish")."""
    return display_name(code, PAGE_LOCALE) if code else code


def typed_code(text: str) -> str:
    """A language as a user types it, as its code: a code or tag (``es``, ``es-MX``, ``pt_BR``,
    ``iw``), or its CLDR name in any of the table's languages or in English, any case, accents
    optional (``Spanish``, ``español``, ``espagnol``, ``Deutsch``); the text unchanged (trimmed)
    when it names none of the table's languages."""
    raw = (text or "").strip()
    key = raw.lower().replace("_", "-")
    primary = RENAMED.get(key.split("-", 1)[0], key.split("-", 1)[0])
    if primary in LANGUAGES:
        return primary
    return _names().get(_name_key(raw), raw)


def _name_key(text: str) -> str:
    return " ".join(fold(text.casefold()).split())


NAMES_FILE = Path(__file__).with_name("language_names.tsv")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded language name → code, read from ``language_names.tsv`` (``cldr_names`` written out:
    reading CLDR's 32 locales through babel takes half a second, the file a millisecond)."""
    out: dict[str, str] = {}
    with open(NAMES_FILE, encoding="utf-8") as fh:
        for line in fh:
            name, _, code = line.rstrip("\n").partition("\t")
            if code:
                out[name] = code
    return out


def cldr_names() -> dict[str, str]:
    """Folded CLDR name → code, for each of the table's languages named in English and in each of
    the table's languages (the page's language first, so its names win a clash): what
    ``language_names.tsv`` holds (``python -m indexer.languages`` writes it)."""
    out: dict[str, str] = {}
    for locale in dict.fromkeys((PAGE_LOCALE, *LANGUAGES)):
        for code in LANGUAGES:
            name = display_name(code, locale)
            if name and name != code:
                out.setdefault(_name_key(name), code)
    return out


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


# Latin letters that Lucene's ASCIIFoldingFilter (OpenSearch's ``asciifolding``) folds to other letters
# than their canonical decomposition gives (which is none for these): ß → ss, æ → ae, ø → o, þ → th …
_LATIN_LETTERS = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "þ": "th",
    "Þ": "TH",
    "ð": "d", "Ð": "D", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i", "ĸ": "q", "ł": "l", "Ł": "L",
    "ŀ": "l", "Ŀ": "L", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T", "ſ": "s", "ƀ": "b", "ƒ": "f", "ǝ": "e",
    "ə": "e", "Ə": "E", "ĳ": "ij", "Ĳ": "IJ",
}
# Blocks of Latin letters: Latin-1 Supplement to Latin Extended-B, Latin Extended Additional,
# Latin Extended-C and -D, the Latin ligatures and the full-width forms.
_LATIN_BLOCKS = ((0x00C0, 0x024F), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xFB00, 0xFB06),
                 (0xFF00, 0xFFEF))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    special = _LATIN_LETTERS.get(ch)
    if special is not None:
        return special
    code = ord(ch)
    if not any(lo <= code <= hi for lo, hi in _LATIN_BLOCKS):
        return ch
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """``text`` with its Latin letters folded to ASCII as OpenSearch's ``asciifolding`` (Lucene's
    ASCIIFoldingFilter) folds them: élect → elect, cœur → coeur, Straße → Strasse; other scripts
    (Greek, Cyrillic, CJK) are left as they are, as that filter leaves them."""
    if text.isascii():
        return text
    return "".join(ch if ch < "\x80" else _fold_char(ch) for ch in text)


def term(code: Optional[str], word: str) -> str:
    """A word as ``code``'s analysis indexes it: lowercase → stem → fold accents (the reference the
    engines' analysers follow with their own filters)."""
    low = word.lower()
    stem = stemmer(code)
    return fold(stem(low) if stem else low)


if __name__ == "__main__":      # regenerate language_names.tsv from CLDR (after changing the table or babel)
    with open(NAMES_FILE, "w", encoding="utf-8") as fh:
        fh.writelines(f"{name}\t{code}\n" for name, code in sorted(cldr_names().items()))
