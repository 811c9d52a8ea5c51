"""A stored document as a result (``Hit``): the one shape results, exports and similar articles share."""
from __future__ import annotations

from typing import Optional

from indexer.engines.whoosh.snippets import snippet
from indexer.model import Hit


def to_hit(fields: dict, terms: set, score: Optional[float]) -> Hit:
    """A hit from stored fields, its snippet marked for ``terms``, so every list of articles shows them alike."""
    return Hit(
        id=fields["id"], title=fields.get("title") or "(untitled)", date=fields.get("date") or None,
        source=fields.get("url") or fields.get("source", ""), url=fields.get("url"),
        snippet=snippet(fields.get("body") or fields.get("title") or "", terms),
        people=list(fields.get("person") or []), countries=list(fields.get("country") or []),
        authors=list(fields.get("author") or []),
        score=round(score, 4) if score is not None else None,
        countries_mentioned=list(fields.get("mentioned") or []),
    )
