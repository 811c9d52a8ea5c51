"""A stored document as a result (``Hit``): the one mapping from stored fields that results,
exports, similar articles and the article page share."""
from __future__ import annotations

from typing import Optional

from indexer import facets
from indexer.engines.whoosh.schema import mentioned_field
from indexer.engines.whoosh.snippets import snippet
from indexer.model import Hit


def to_hit(fields: dict, terms: set, score: Optional[float], marked: bool = True) -> Hit:
    """A hit from stored fields, its snippet marked for ``terms`` (none when not ``marked``; the
    words analysed in the article's language), so every list of articles shows them alike. Each
    facet's values are stored in its field."""
    values: dict[str, list[str]] = {}
    mentioned: dict[str, list[str]] = {}
    for spec in facets.VALUE_FACETS:
        stored = fields.get(spec.name)
        if stored:
            values[spec.name] = list(stored)
        if spec.scoped and fields.get(mentioned_field(spec)):
            mentioned[spec.name] = list(fields[mentioned_field(spec)])
    text = fields.get("body") or fields.get("title") or ""
    return Hit(
        id=fields["id"], title=fields.get("title") or "(untitled)", date=fields.get("date") or None,
        source=fields.get("url") or fields.get("source", ""), url=fields.get("url"),
        snippet=snippet(text, terms, lang=facets.text_language(values)) if marked else "",
        score=round(score, 4) if score is not None else None, facets=values, mentioned=mentioned,
    )
