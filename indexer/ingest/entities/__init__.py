"""People, countries and organisations found in an article: offline, deterministic, dictionary-driven.

``extract(title, body, dateline)`` returns ``Entities``: people (display names), the countries the
article is about, apart from countries only mentioned in passing, and organisations, each in
salience order.
``canonical_country`` normalises a country label given by the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .bare_names import add_bare_names
from .countries import canonical_country, find_mentions, score
from .organisations import extract_organisations
from .people import extract_people
from .text import drop_editorial_brackets, tokenize
from .vocabulary import vocabulary

__all__ = ["Entities", "extract", "canonical_country"]


@dataclass
class Entities:
    """What extraction found in one article, kept apart from the article until the build merges it.

    Each field is named as its facet's JSON field (``indexer.facets``: ``people``, ``countries`` and
    ``countries_mentioned``, ``organisations``), which is how the pipeline maps it to the facet."""
    people: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    countries_mentioned: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)


def extract(title: str, body: str, dateline: str | None = None, language: str | None = None) -> Entities:
    """People, countries and organisations of one article, title and dateline weighed with the body
    as one document; ``language`` (ISO 639-1; None when unknown) chooses the country names that may match."""
    title_tokens = tokenize(title or "", headline=True)
    dateline_tokens = tokenize(dateline or "", headline=True)
    body_tokens = tokenize(body or "")
    if "[" in (body or ""):
        body_tokens = drop_editorial_brackets(body_tokens)
    shift = (title_tokens[-1].line + 1) if title_tokens else 0
    for t in dateline_tokens:           # one line count for the whole article: a name never runs
        t.line += shift                 # from the title into the dateline or the body
    shift = (dateline_tokens[-1].line + 1) if dateline_tokens else shift
    for t in body_tokens:
        t.line += shift
    tokens = title_tokens + dateline_tokens + body_tokens
    n_title, n_date = len(title_tokens), len(dateline_tokens)
    found = (find_mentions(title_tokens, "title", language=language)
             + find_mentions(dateline_tokens, "dateline", offset=n_title, language=language)
             + find_mentions(body_tokens, "body", offset=n_title + n_date, language=language))
    place_kinds = {m.index + k: m.kind for m in found for k in range(m.length)}
    words = vocabulary(language)
    people = extract_people(tokens, set(place_kinds), words)
    mentions = [m for m in found if m.index not in people.covered]
    about, mentioned = score(mentions, len(body_tokens))
    organisations = extract_organisations(tokens, place_kinds, people, words)
    people = add_bare_names(tokens, people, place_kinds, organisations, words)
    return Entities(people.names, about, mentioned, organisations)
