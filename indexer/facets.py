"""The facet registry: one spec per facet, read by request parsing, the engines, the web page and the CLI.

A new facet is one entry here plus its extraction (the Article field the engine indexes under
``name``); URL parameters, ``SearchRequest`` filters, the page's sidebar, ``/api/facets/<name>``,
the JSON and the CLI's ``--<param>`` option all follow from the entry.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetSpec:
    """What every layer needs to know about one facet."""

    name: str            # key in SearchResult.facets and the JSON, /api/facets/<name>, the index field
    label: str           # heading on the page and in the terminal
    kind: str            # "values": multi-select, OR within the facet | "dates": a from/to range, a histogram
    param: str = ""      # URL and CLI parameter (repeatable), values facets
    attr: str = ""       # SearchRequest attribute holding the selection, values facets
    cli_help: str = ""   # the CLI option's help


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("country", "Parties / countries", "values", "country", "countries", "Filter by country (repeat for OR)."),
    FacetSpec("person", "People", "values", "person", "people", "Filter by person (repeat for OR)."),
    FacetSpec("author", "Authors", "values", "author", "authors", "Filter by author (repeat for OR)."),
    FacetSpec("date", "Date", "dates"),
)
BY_NAME = {spec.name: spec for spec in FACETS}
VALUE_FACETS: tuple[FacetSpec, ...] = tuple(spec for spec in FACETS if spec.kind == "values")
VALUE_FACET_NAMES: tuple[str, ...] = tuple(spec.name for spec in VALUE_FACETS)


def spec(name: str) -> FacetSpec:
    """The facet called ``name`` (KeyError for an unknown one)."""
    return BY_NAME[name]
