"""The OpenSearch index: settings, analysers, field mapping, and an Article as a document.

Analysis follows the Whoosh engine's so that both engines find the same articles: title and body
stemmed with Porter, case- and accent-blind, no stop list, CJK runs as character pairs. Names
(countries, people, authors) are keywords folded by a normaliser (lowercase + asciifolding),
so a filter or ``person:`` matches however it is typed, with a ``raw`` sub-field of the display
names for facets. DESIGN.md beside this module lists the fields and why each exists.
"""
from __future__ import annotations

from indexer import settings
from indexer.ingest.words import article_words
from indexer.model import Article

# "president's" is one token to the standard tokenizer and two to Whoosh's ("president", "s"): the
# possessive filter drops the "'s", so both engines find it under "president".
NEWS_FILTERS = ["possessive", "lowercase", "cjk_bigram", "porter_stem", "asciifolding"]
PLAIN_FILTERS = ["possessive", "lowercase", "cjk_bigram", "asciifolding"]
NAME_FIELDS = ("country", "country_about", "person", "author")
LAST_NAME_FIELDS = {"person": "person_last", "author": "author_last"}


def _name_field() -> dict:
    return {"type": "keyword", "normalizer": "folding", "fields": {"raw": {"type": "keyword"}}}


def _text_field() -> dict:
    return {"type": "text", "analyzer": "news", "fields": {"plain": {"type": "text", "analyzer": "plain"}}}


def index_body(shards: int | None = None, replicas: int | None = None) -> dict:
    """The create-index request body: shards and replicas from settings, analysers, the mapping."""
    return {
        "settings": {
            "number_of_shards": settings.OPENSEARCH_SHARDS if shards is None else shards,
            "number_of_replicas": settings.OPENSEARCH_REPLICAS if replicas is None else replicas,
            "max_result_window": settings.MAX_PAGE * settings.MAX_PAGE_SIZE,   # the deepest page served
            "analysis": {
                "analyzer": {
                    "news": {"type": "custom", "tokenizer": "standard", "filter": NEWS_FILTERS},
                    "plain": {"type": "custom", "tokenizer": "standard", "filter": PLAIN_FILTERS},
                },
                "filter": {"possessive": {"type": "stemmer", "language": "possessive_english"}},
                "normalizer": {"folding": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_source": {"excludes": ["words"]},
            "properties": {
                "id": {"type": "keyword"},
                "title": _text_field(),
                "body": _text_field(),
                **{name: _name_field() for name in NAME_FIELDS},
                "person_last": {"type": "keyword", "normalizer": "folding"},
                "author_last": {"type": "keyword", "normalizer": "folding"},
                "date": {"type": "date", "format": "strict_date"},
                "source": {"type": "keyword", "index": False},
                "url": {"type": "keyword", "index": False},
                "dateline": {"type": "keyword", "index": False},
                "hash": {"type": "keyword"},
                "path": {"type": "keyword"},
                "file_hash": {"type": "keyword"},
                "seq": {"type": "long"},
                "words": {"type": "keyword"},
            },
        },
    }


def last_names(names: list[str]) -> list[str]:
    """Each name's last word (what ``person:kelly`` matches), as the Whoosh engine keys them."""
    return list(dict.fromkeys(n.split()[-1] for n in names if n.split()))


def to_document(article: Article, seq: int) -> dict:
    """An Article as the document indexed (its ``_source``); ``seq`` is its place in the build."""
    doc = {
        "id": article.id, "title": article.title, "body": article.body,
        "country": list(dict.fromkeys(article.countries + article.countries_mentioned)),
        "country_about": list(article.countries),
        "person": list(article.people), "author": list(article.authors),
        "person_last": last_names(article.people), "author_last": last_names(article.authors),
        "source": article.source, "url": article.url, "dateline": article.dateline,
        "hash": article.content_hash, "path": article.path, "file_hash": article.file_hash, "seq": seq,
        # distinct words (wildcard expansion by frequency, completion, "did you mean")
        "words": sorted(article.words or article_words(article.title, article.body)),
    }
    if article.date is not None:
        doc["date"] = article.date.isoformat()
    return doc


def mentioned(source: dict) -> list[str]:
    """The countries a document mentions but is not mainly about (``country`` minus ``country_about``)."""
    about = set(source.get("country_about") or [])
    return [c for c in source.get("country") or [] if c not in about]
