"""Accent-free matching keys for text typed by users, shared by facets, queries, pages and extraction.

Two keys on purpose, named for what differs: ``casefold_key`` (facet values, ``person:``…) folds case
fully and trims, so "STRASSE" finds "Straße"; ``lower_key`` keeps ``str.lower`` with a fast path for
ASCII, because build workers key every word of every article with it and each index's ``words.tsv``
(``indexer.vocabulary``) is written in it: changing it would need a rebuild. Names in extraction use
it too (variants of one person within an article).
"""
from __future__ import annotations

import unicodedata


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def casefold_key(text: str) -> str:
    """Case- and accent-insensitive key, so a name typed any way finds the facet value it means."""
    return _strip_accents(text).casefold().strip()


def lower_key(text: str) -> str:
    """Cheap accent-free lower case, the key ``words.tsv`` is written in, so "Erdoğan" and "Erdogan" are one word."""
    if text.isascii():           # the common case, without the decomposition (build workers fold every word)
        return text.lower()
    return _strip_accents(text).lower()
