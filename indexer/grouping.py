"""Copies grouped into stories at search time: what every engine and front end share.

The build gives every article a story (``indexer.stories``), stored as the registry's grouping facet
(``indexer.facets.GROUP``). A search groups by default: one result per story, its best-ranked copy
(in the request's order), the other matching copies named with it; totals, facet counts and the date
histogram count stories, so that they agree. ``copies=all`` lists and counts every article. A search
that asks for one story by value (``story:<id>``, ``?story=<id>``) lists every copy: that is the
story's page.
"""
from __future__ import annotations

from typing import Iterable, Optional

from indexer import facets
from indexer.model import ALL, GROUPED, SearchRequest


def group_spec() -> Optional[facets.FacetSpec]:
    """The registry's grouping facet (the story), or None when no facet groups."""
    return facets.GROUP


def is_grouped(req: SearchRequest, named: Iterable[str] = ()) -> bool:
    """Whether a search lists one result per story: the request groups (the default), a facet
    groups, and neither the filters nor the query (``named``: the facets it asks for by value) pick
    stories by id."""
    spec = group_spec()
    if spec is None or req.copies != GROUPED:
        return False
    return not req.chosen(spec.name) and spec.name not in set(named)


def story_of(values: dict) -> Optional[str]:
    """An article's or hit's story id from its facet values (None without one)."""
    spec = group_spec()
    found = (values or {}).get(spec.name) if spec else None
    return found[0] if found else None


def story_request(story: str, page_size: int) -> SearchRequest:
    """The search listing every copy of ``story``, oldest first (an article page's copies)."""
    spec = group_spec()
    return SearchRequest(filters={spec.name: [story]}, sort="oldest", page_size=page_size, copies=ALL,
                         snippets=False)
