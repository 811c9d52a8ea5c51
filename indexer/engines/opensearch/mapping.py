"""The OpenSearch index: settings, analysers, field mapping, and an Article as a document.

Analysis follows the Whoosh engine's so that both engines find the same articles: title and body
stemmed, case- and accent-blind, no stop list, CJK runs as character pairs. Each article's title and
body go to the fields of its analysis language (``indexer.languages.analysis``): ``title``/``body``
for English and unknown languages (Porter, as before), ``title_<code>``/``body_<code>`` for another
language of the table, analysed with its Snowball stemmer (the algorithm PyStemmer gives Whoosh),
its fixes, and apostrophes between letters splitting words as Whoosh's tokenizer splits them. Each values
facet of the registry (``indexer.facets``) is a keyword field named after it, folded by a normaliser
(lowercase + asciifolding) so a filter or ``name:`` query matches however it is typed, with a ``raw``
sub-field of the display names for counts; its lookup keys (``<name>_last``: last names,
``<name>_words``: runs of words) and, for a scoped kind, the "about" values (``<name>_about``)
beside it. DESIGN.md beside this module lists the fields and why each exists.
"""
from __future__ import annotations

import base64

from indexer import facets, languages, settings
from indexer.facets import FacetSpec, lookup_keys
from indexer.ingest.words import article_words
from indexer.model import Article

# "president's" is one token to the standard tokenizer and two to Whoosh's ("president", "s"): the
# possessive filter drops the "'s", so both engines find it under "president".
NEWS_FILTERS = ["possessive", "lowercase", "cjk_bigram", "porter_stem", "asciifolding"]
PLAIN_FILTERS = ["possessive", "lowercase", "cjk_bigram", "asciifolding"]


# Whoosh's tokenizer splits words at apostrophes and colons ("l'élection" → l, élection), the standard
# tokenizer keeps them whole (UAX #29): other languages' analysers turn them into spaces between letters
# first. English keeps its possessive filter, as before.
SPLIT_APOSTROPHES = {"type": "pattern_replace", "replacement": " ",
                     "pattern": "(?<=[\\p{L}\\p{N}_])['\u2018\u2019\u02bc\uff07:\u00b7\u2027](?=[\\p{L}\\p{N}_])"}
TEXT_FIELDS = ("title", "body")
# The analysis languages with fields of their own (every one but English, which has title and body).
OWN_FIELDS = tuple(code for code in languages.LANGUAGES if code != languages.ENGLISH)


def text_field(base: str, lang: str) -> str:
    """The field holding ``base`` (title, body) of an article in analysis language ``lang``."""
    return base if lang == languages.ENGLISH else f"{base}_{lang}"


def _language_analysis() -> tuple[dict, dict]:
    """(analysers, token filters) of the table's languages but English: ``news_<code>`` (lowercase,
    CJK pairs, its Snowball stemmer and stem fixes, folding) and ``plain_<code>`` (unstemmed)."""
    analyzers, filters = {}, {}
    for code in OWN_FIELDS:
        lang = languages.LANGUAGES[code]
        stems = []
        if lang.lucene:
            filters[f"snowball_{code}"] = dict(type="snowball", language=lang.lucene)
            stems.append(f"snowball_{code}")
        for i, (pattern, replacement) in enumerate(lang.stem_fixes):
            filters[f"fix_{code}_{i}"] = {"type": "pattern_replace", "pattern": pattern, "replacement": replacement}
            stems.append(f"fix_{code}_{i}")
        base = {"type": "custom", "tokenizer": "standard", "char_filter": ["split_apostrophes"]}
        analyzers[f"news_{code}"] = {**base, "filter": ["lowercase", "cjk_bigram", *stems, "asciifolding"]}
        analyzers[f"plain_{code}"] = {**base, "filter": ["lowercase", "cjk_bigram", "asciifolding"]}
    return analyzers, filters


def about_field(spec: FacetSpec) -> str:
    """A scoped facet's field of the values articles are mainly about (the "about" scope)."""
    return f"{spec.name}_about"


def lookup_field(spec: FacetSpec) -> str:
    """A facet's field of lookup keys (``indexer.facets.lookup_keys``), for partial values typed in
    queries: ``<name>_last`` (last names) or ``<name>_words`` (runs of words)."""
    return f"{spec.name}_{'last' if spec.lookup == 'last' else 'words'}"


def facet_fields() -> dict:
    """The mapping's fields of every values facet: its own, its lookup keys', its "about" values'."""
    out: dict = {}
    for spec in facets.VALUE_FACETS:
        out[spec.name] = _name_field()
        if spec.scoped:
            out[about_field(spec)] = _name_field()
        if spec.lookup:
            out[lookup_field(spec)] = {"type": "keyword", "normalizer": "folding"}
    return out


def _name_field() -> dict:
    return {"type": "keyword", "normalizer": "folding", "fields": {"raw": {"type": "keyword"}}}


def _text_field(lang: str = languages.ENGLISH) -> dict:
    news, plain = ("news", "plain") if lang == languages.ENGLISH else (f"news_{lang}", f"plain_{lang}")
    return {"type": "text", "analyzer": news, "fields": {"plain": {"type": "text", "analyzer": plain}}}


def text_fields() -> dict:
    """The mapping's title and body fields: English's, and each other analysis language's."""
    return {text_field(base, lang): _text_field(lang) for lang in (languages.ENGLISH, *OWN_FIELDS)
            for base in TEXT_FIELDS}


def index_body(shards: int | None = None, replicas: int | None = None) -> dict:
    """The create-index request body: shards and replicas from settings, analysers, the mapping."""
    own_analyzers, own_filters = _language_analysis()
    return {
        "settings": {
            "number_of_shards": settings.OPENSEARCH_SHARDS if shards is None else shards,
            "number_of_replicas": settings.OPENSEARCH_REPLICAS if replicas is None else replicas,
            "max_result_window": settings.MAX_PAGE * settings.MAX_PAGE_SIZE,   # the deepest page served
            "analysis": {
                "analyzer": {
                    "news": {"type": "custom", "tokenizer": "standard", "filter": NEWS_FILTERS},
                    "plain": {"type": "custom", "tokenizer": "standard", "filter": PLAIN_FILTERS},
                    **own_analyzers,
                },
                "char_filter": {"split_apostrophes": SPLIT_APOSTROPHES},
                "filter": {"possessive": dict(type="stemmer", language="possessive_english"), **own_filters},
                "normalizer": {"folding": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_source": {"excludes": ["words"]},
            "properties": {
                "id": {"type": "keyword"},
                **text_fields(),
                **facet_fields(),
                "date": {"type": "date", "format": "strict_date"},
                "source": {"type": "keyword", "index": False},
                "url": {"type": "keyword", "index": False},
                "dateline": {"type": "keyword", "index": False},
                "hash": {"type": "keyword"},
                "path": {"type": "keyword"},
                "file_hash": {"type": "keyword"},
                "seq": {"type": "long"},
                "words": {"type": "keyword"},
                "fingerprint": {"type": "binary"},      # the story fingerprint (Fingerprint.packed), for update
            },
        },
    }


def to_document(article: Article, seq: int) -> dict:
    """An Article as the document indexed (its ``_source``); ``seq`` is its place in the build.
    A scoped facet's field holds every value the article involves (about ones first), its
    ``_about`` field the ones it is mainly about."""
    lang = languages.analysis(facets.text_language(article.facets))
    doc = {
        "id": article.id, text_field("title", lang): article.title, text_field("body", lang): article.body,
        "source": article.source, "url": article.url, "dateline": article.dateline,
        "hash": article.content_hash, "path": article.path, "file_hash": article.file_hash, "seq": seq,
        # distinct words (wildcard expansion by frequency, completion, "did you mean")
        "words": sorted(article.words or article_words(article.title, article.body)),
    }
    for spec in facets.VALUE_FACETS:
        values = list(article.facets.get(spec.name) or ())
        if spec.scoped:
            doc[spec.name] = list(dict.fromkeys(values + list(article.mentioned.get(spec.name) or ())))
            doc[about_field(spec)] = values
        else:
            doc[spec.name] = values
        if spec.lookup:
            doc[lookup_field(spec)] = list(dict.fromkeys(k for v in doc[spec.name] for k in lookup_keys(spec, v)))
    if article.date is not None:
        doc["date"] = article.date.isoformat()
    if article.fingerprint is not None:
        doc["fingerprint"] = base64.b64encode(article.fingerprint.packed()).decode("ascii")
    return doc


def group_field() -> str:
    """The field results are collapsed on and stories counted by: the grouping facet's display values."""
    return f"{facets.GROUP.name}.raw"


def source_fields() -> list[str]:
    """The ``_source`` fields a hit or an article is read from."""
    out = ["id", "title", "body", "title_*", "body_*", "date", "source", "url", "dateline"]
    for spec in facets.VALUE_FACETS:
        out += [spec.name, about_field(spec)] if spec.scoped else [spec.name]
    return out


def facet_values(source: dict) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(facets, mentioned) of a document's ``_source``: a scoped facet's "about" values, and its
    passing mentions (every value involved less those)."""
    values: dict[str, list[str]] = {}
    mentioned: dict[str, list[str]] = {}
    for spec in facets.VALUE_FACETS:
        if spec.scoped:
            about = list(source.get(about_field(spec)) or [])
            kept = set(about)
            passing = [v for v in source.get(spec.name) or [] if v not in kept]
            if passing:
                mentioned[spec.name] = passing
        else:
            about = list(source.get(spec.name) or [])
        if about:
            values[spec.name] = about
    return values, mentioned


def texts(source: dict) -> tuple[str, str]:
    """(title, body) of a document's ``_source``, from the fields of its analysis language."""
    values, _ = facet_values(source)
    lang = languages.analysis(facets.text_language(values))
    return source.get(text_field("title", lang)) or "", source.get(text_field("body", lang)) or ""


def language_filter(lang: str) -> dict:
    """The documents analysed in ``lang``: those of that language, or for English those of English,
    of no language and of languages outside the table."""
    name = facets.LANGUAGE.name if facets.LANGUAGE is not None else None
    if name is None:
        return {"match_all": {}}
    if lang != languages.ENGLISH:
        return {"term": {f"{name}.raw": lang}}
    return {"bool": {"must_not": [{"terms": {f"{name}.raw": list(OWN_FIELDS)}}]}}
