"""URL parameters ⇄ SearchRequest.

The URL holds the whole search state: ``q``, each values facet's parameter (repeated for several
values) and a scoped facet's ``<param>_scope`` (from the registry, ``indexer.facets``), ``from``,
``to``, ``sort``, ``page``, ``size`` and ``copies`` (``all``: every article, not one result per
story). Parsing never raises: bad values fall back to defaults
with a message, so a hand-edited URL gives a page, not an error.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Iterable, Optional

from indexer import settings
from indexer import facets
from indexer.facets import DEFAULT_SCOPE, SCOPES
from indexer.model import COPIES, GROUPED, SearchRequest

SORTS = ("relevance", "newest", "oldest")


def params() -> tuple[str, ...]:
    """Every URL parameter a search reads, in the order ``to_params`` writes them."""
    out = ["q"]
    for spec in facets.VALUE_FACETS:
        out += [spec.param, spec.scope_param] if spec.scoped else [spec.param]
    return (*out, "from", "to", "sort", "page", "size", "copies")

_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


def parse_date(text: str, *, end: bool = False) -> dt.date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date means its first
    day, or its last day when ``end``. Raises ValueError with a readable message."""
    m = _DATE_RE.match(text or "")
    if not m:
        raise ValueError(f"“{text}” is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        month_i = int(month)
        if day is None:
            first = dt.date(year, month_i, 1)
            if not end:
                return first
            nxt = dt.date(year + (month_i == 12), month_i % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(year, month_i, int(day))
    except ValueError:
        raise ValueError(f"“{text}” is not a real date") from None


def _int(value: Optional[str], default: int) -> Optional[int]:
    if value is None or value == "":
        return default
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return None


def cut_query(q: str, limit: int = settings.MAX_QUERY_CHARS) -> str:
    """``q`` cut to ``limit`` characters at the last space before it, so that no half word
    ("election e") is searched; a text without spaces (CJK) is cut at the limit."""
    if len(q) <= limit:
        return q
    head = q[:limit + 1]
    cut = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    return (q[:cut] if cut > 0 else q[:limit]).rstrip()


def parse_params(get: Callable[[str], Optional[str]],
                 getlist: Callable[[str], list[str]]) -> tuple[SearchRequest, list[str]]:
    """Build a SearchRequest from URL/CLI parameters; returns it with messages about what was corrected."""
    messages: list[str] = []
    q = get("q") or ""
    if len(q) > settings.MAX_QUERY_CHARS:
        q = cut_query(q)
        messages.append(f"The query was cut to its first {len(q)} characters (at most "
                        f"{settings.MAX_QUERY_CHARS}), at the end of a word.")
    req = SearchRequest(q=q)
    for spec in facets.VALUE_FACETS:
        values = _unique(facets.typed(spec, v.strip()) for v in getlist(spec.param) if v and v.strip())
        if len(values) > settings.MAX_FILTER_VALUES:
            values = values[: settings.MAX_FILTER_VALUES]
            messages.append(f"Only the first {settings.MAX_FILTER_VALUES} {spec.param} filters were kept.")
        if values:
            req.filters[spec.name] = values
        if not spec.scoped:
            continue
        scope = (get(spec.scope_param) or "").strip().lower()
        if scope in SCOPES:
            if scope != DEFAULT_SCOPE:
                req.scopes[spec.name] = scope
        elif scope:
            messages.append(f"Unknown {spec.noun} scope “{scope}”; {spec.json} match on any mention "
                            f"(use “about” for the {spec.json} an article is mainly about).")
    for name, attr, end in (("from", "date_from", False), ("to", "date_to", True)):
        raw = (get(name) or "").strip()
        if raw:
            try:
                setattr(req, attr, parse_date(raw, end=end))
            except ValueError as exc:
                messages.append(f"Ignored the “{name}” date: {exc}.")
    if req.date_from and req.date_to and req.date_from > req.date_to:
        req.date_from, req.date_to = req.date_to, req.date_from
        messages.append("The dates were swapped: “from” came after “to”.")
    sort = (get("sort") or "").strip().lower()
    if sort in SORTS:
        req.sort = sort
    else:
        req.sort = "relevance" if q.strip() else "newest"
        if sort:
            messages.append(f"Unknown sort “{sort}”; sorted by {req.sort}.")
    page = _int(get("page"), 1)
    if page is None or page < 1:
        messages.append("The page number was not valid; showing page 1.")
        page = 1
    elif page > settings.MAX_PAGE:
        messages.append(f"Pages stop at {settings.MAX_PAGE}; narrow the search to see more.")
        page = settings.MAX_PAGE
    req.page = page
    size = _int(get("size"), settings.DEFAULT_PAGE_SIZE)
    if size is None or size < 1:
        messages.append("The page size was not valid.")
        size = settings.DEFAULT_PAGE_SIZE
    elif size > settings.MAX_PAGE_SIZE:
        messages.append(f"At most {settings.MAX_PAGE_SIZE} results per page.")
        size = settings.MAX_PAGE_SIZE
    req.page_size = size
    copies = (get("copies") or "").strip().lower()
    if copies in COPIES:
        req.copies = copies
    elif copies:
        messages.append(f"Unknown copies “{copies}”; one result per story (use “all” for every article).")
    return req, messages


def from_mapping(params: dict) -> tuple[SearchRequest, list[str]]:
    """parse_params over a plain dict whose values are strings or lists of strings."""
    def get(key):
        v = params.get(key)
        return v[0] if isinstance(v, (list, tuple)) and v else (v if isinstance(v, str) else None)

    def getlist(key):
        v = params.get(key)
        return list(v) if isinstance(v, (list, tuple)) else ([v] if isinstance(v, str) else [])
    return parse_params(get, getlist)


def to_params(req: SearchRequest, *, filters: Optional[dict] = None, scopes: Optional[dict] = None,
              **changes) -> dict:
    """The URL parameters for a request (defaults left out); ``filters`` and ``scopes`` replace the
    named facets' selections and scopes, ``changes`` other fields (``q``, ``date_from``, ``page``…)."""
    chosen = {**req.filters, **(filters or {})}
    scope_of = {**req.scopes, **(scopes or {})}
    date_from = changes.get("date_from", req.date_from)
    date_to = changes.get("date_to", req.date_to)
    q = changes.get("q", req.q)
    sort = changes.get("sort", req.sort)
    page = changes.get("page", 1)
    size = changes.get("page_size", req.page_size)
    copies = changes.get("copies", req.copies)
    out: dict = {}
    if q:
        out["q"] = q
    for spec in facets.VALUE_FACETS:
        values = chosen.get(spec.name)
        if values:
            out[spec.param] = list(values)
        scope = scope_of.get(spec.name) or DEFAULT_SCOPE
        if spec.scoped and scope != DEFAULT_SCOPE and scope in SCOPES:
            out[spec.scope_param] = scope
    if date_from:
        out["from"] = date_from.isoformat()
    if date_to:
        out["to"] = date_to.isoformat()
    if sort != ("relevance" if (q or "").strip() else "newest"):
        out["sort"] = sort
    if page and page != 1:
        out["page"] = str(page)
    if size != settings.DEFAULT_PAGE_SIZE:
        out["size"] = str(size)
    if copies != GROUPED:
        out["copies"] = copies
    return out


def toggled(values: Iterable[str], value: str) -> list[str]:
    """The values with one switched on or off, which is what every facet link does."""
    values = list(values)
    key = value.casefold()
    if any(v.casefold() == key for v in values):
        return [v for v in values if v.casefold() != key]
    return values + [value]


def _unique(values: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out
