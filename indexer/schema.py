"""The Whoosh schema: the one place index fields are defined.

Facet fields keep display names as terms (``KEYWORD`` split on commas, case
kept) so the facet arrays built from the lexicon show "North Korea", not
"north korea"; case-insensitive field queries are resolved against that
vocabulary in ``indexer.query``.
"""
from __future__ import annotations

from whoosh import fields
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.support.charset import accent_map

from indexer.model import Article

# Stemmed, case- and accent-insensitive; no stop list so phrases keep every word.
TEXT_ANALYZER = StemmingAnalyzer(stoplist=None, minsize=1) | CharsetFilter(accent_map)

UNKNOWN_DATE = ""   # stored/indexed value of `date` when none was found

# Names of the facet fields (index field → facet name used in requests and URLs).
COUNTRY_FIELD = "country"
PERSON_FIELD = "person"
DATE_FIELD = "date"


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        source=fields.ID(stored=True),           # path#position or path: shown to users
        path=fields.ID(stored=True),             # the input file, for `update`
        url=fields.STORED(),
        title=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, field_boost=2.0),
        body=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True),
        date=fields.ID(stored=True),            # YYYY-MM-DD, or "" when unknown
        month=fields.ID(),                      # YYYY-MM
        year=fields.ID(),                       # YYYY
        country=fields.KEYWORD(commas=True, lowercase=False, scorable=False, stored=True),
        mentioned=fields.KEYWORD(commas=True, lowercase=False, scorable=False, stored=True),
        person=fields.KEYWORD(commas=True, lowercase=False, scorable=False, stored=True),
        dateline=fields.STORED(),
        content_hash=fields.ID(stored=True),
        file_hash=fields.ID(stored=True),
    )


def _joined(values: list[str]) -> str:
    # Commas separate values in KEYWORD fields; a comma inside a name would split it.
    return ",".join(v.replace(",", " ") for v in values)


def to_document(article: Article) -> dict:
    """The keyword arguments for ``writer.add_document`` for one article."""
    day = article.date.isoformat() if article.date else UNKNOWN_DATE
    doc = dict(
        id=article.id,
        source=article.source,
        path=article.path,
        url=article.url,
        title=article.title,
        body=article.body,
        date=day,
        content_hash=article.content_hash,
        file_hash=article.file_hash,
        dateline=article.dateline,
        country=_joined(article.countries),
        _stored_country=list(article.countries),
        mentioned=_joined(article.countries_mentioned),
        _stored_mentioned=list(article.countries_mentioned),
        person=_joined(article.people),
        _stored_person=list(article.people),
    )
    if day:
        doc["month"] = day[:7]
        doc["year"] = day[:4]
    return doc
