"""The HTML pages: search results with facets, and one article with the search it came from."""
from __future__ import annotations

from flask import render_template, url_for

from indexer import settings
from indexer.facets import VALUE_FACETS as VALUE_SPECS
from indexer.model import SearchRequest, SearchResult
from indexer.request import SORTS, to_params
from indexer.textkeys import casefold_key
from indexer.settings import HIT_COUNTRY_CHIPS, HIT_PERSON_CHIPS
from webui.session import session
from webui.views import (
    HISTOGRAM_STEPS, _article_or_404, add_filter_url, bp, current_request, date_label, expanded_facet,
    facet_prefix, filter_labels, host_of, page_state, param_pairs, run_search, safe_link, search_url,
    source_name,
)


# ---------------------------------------------------------------- the search page

@bp.get("/")
def search():
    """The search page: the URL holds the whole state, so links and back/forward work."""
    req, messages = current_request()
    result = run_search(req, messages)
    return render_template("search.html", **page_context(result))


def page_context(result: SearchResult) -> dict:
    """What search.html needs beyond the result: every URL precomputed from the request."""
    req = result.request
    state = to_params(req)
    expanded, prefix = expanded_facet(), facet_prefix()
    carried = page_state(req)
    add_filter = lambda attr, value, **changes: add_filter_url(req, attr, value, **changes)  # noqa: E731

    any_scope = {"country_scope": "any"}
    hits = []
    for hit in result.hits:
        link = safe_link(hit.url)
        involved = hit.countries + hit.countries_mentioned   # "about" first
        hits.append({
            "hit": hit,
            "href": url_for("webui.article", article_id=hit.id, **carried),
            "link": link,
            "source": host_of(link) if link else source_name(hit.source),
            # a country only mentioned is found in the "any mention" scope
            "chips": [(c, "country", add_filter("countries", c, **({} if c in hit.countries else any_scope)))
                      for c in involved[:HIT_COUNTRY_CHIPS]]
                     + [(p, "person", add_filter("people", p)) for p in hit.people[:HIT_PERSON_CHIPS]],
            "authors": [(a, add_filter("authors", a)) for a in hit.authors],
            "more_chips": max(0, len(involved) - HIT_COUNTRY_CHIPS) + max(0, len(hit.people) - HIT_PERSON_CHIPS),
        })

    facets = {}
    for name, facet in result.facets.items():
        keep = {"more": name} if name == expanded else {}
        view = {"facet": facet, "values": [], "expanded": name == expanded,
                "prefix": prefix if name == expanded else ""}
        if name == "date":
            if facet.granularity == "month":
                view["years_url"] = search_url(to_params(req, date_from=None, date_to=None))
            peak = max((v.count for v in facet.values), default=0)
            for v in facet.values:
                step = 0 if not v.count else max(1, round(HISTOGRAM_STEPS * v.count / peak))
                view["values"].append({"v": v, "url": search_url(v.toggle), "step": step})
        else:
            shown = {casefold_key(v.value) for v in facet.values}
            for v in facet.values:
                view["values"].append({"v": v, "url": search_url(v.toggle, **keep)})
            # The checkbox form: every other part of the state rides along as hidden fields, and
            # selected values the list does not show (filtered out by a prefix) stay selected.
            view["fields"] = param_pairs({**state, **keep}, skip=(name, "page")) + [
                (name, value) for value in facet.selected if casefold_key(value) not in shown]
            view["more_url"] = search_url(state, more=name) if facet.more and name != expanded else None
            view["less_url"] = search_url(state) if name == expanded else None
            view["api_url"] = url_for("webui.api_facet", name=name)
            view["scopes"] = [(v, search_url(v.toggle, **keep)) for v in facet.scopes]
        facets[name] = view

    chips = [(v, spec.name, search_url(to_params(req, **{spec.attr: [x for x in getattr(req, spec.attr) if x != v]})))
             for spec in VALUE_SPECS for v in getattr(req, spec.attr)]
    if req.date_from or req.date_to:
        chips.append((date_label(req), "date", search_url(to_params(req, date_from=None, date_to=None))))

    return {
        "result": result, "req": req, "q": req.q, "state": state,
        "hits": hits, "facets": facets, "chips": chips,
        "filter_count": len(chips),
        "clear_url": search_url(to_params(req, **{spec.attr: [] for spec in VALUE_SPECS}, date_from=None, date_to=None)),
        "sorts": [(name, search_url(to_params(req, sort=name)), name == req.sort) for name in SORTS],
        "sizes": [(size, search_url(to_params(req, page_size=size)), size == req.page_size)
                  for size in settings.PAGE_SIZES],
        "pages": pagination(req, result.pages),
        "suggestion_url": search_url(to_params(req, q=result.suggestion)) if result.suggestion else None,
        "box_fields": param_pairs(state, skip=("q", "page")),
        "date_fields": param_pairs(state, skip=("from", "to", "page")),
        "facet_fields": param_pairs(state, skip=("page",)),
        "exports": {
            "csv": url_for("webui.export_csv", **state),
            "json": url_for("webui.export_json", **state),
            "atom": url_for("webui.feed", **to_params(req, sort="newest", page_size=settings.DEFAULT_PAGE_SIZE)),
            "api": url_for("webui.api_search", **state),
        },
        "first_number": (req.page - 1) * req.page_size + 1,
    }


def pagination(req: SearchRequest, pages: int) -> dict:
    """Page links around the current one with gaps, capped at MAX_PAGE, so the pager stays short."""
    pages = min(pages, settings.MAX_PAGE)
    current = req.page
    numbers = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    items, last = [], 0
    for n in numbers:
        if n - last > 1:
            items.append(None)   # an ellipsis
        items.append((n, search_url(to_params(req, page=n)), n == current))
        last = n
    return {
        "items": items if pages > 1 else [],
        "prev": search_url(to_params(req, page=current - 1)) if 1 < current <= pages + 1 else None,
        "next": search_url(to_params(req, page=current + 1)) if current < pages else None,
    }


@bp.get("/article/<article_id>")
def article(article_id: str):
    """One article. Its URL carries the search it was opened from (``?q=&country=&sort=&page=…``):
    the query's words are marked, "‹ Results" returns to that page, and its chips and similar
    articles keep that state."""
    req, _ = current_request()
    q = req.q
    art = _article_or_404(article_id, q)
    similar = session().similar(art["id"])
    paragraphs = [p.strip() for p in art["body_html"].split("\n\n") if p.strip()]
    link = safe_link(art.get("url"))
    carried = page_state(req)
    country = lambda c, **changes: add_filter_url(req, "countries", c, **changes)  # noqa: E731
    return render_template(
        "article.html", art=art, q=q, paragraphs=paragraphs, link=link,
        host=host_of(link) if link else None, source=source_name(art.get("source") or ""),
        countries=[(c, country(c)) for c in art["countries"]],
        # a country only mentioned is found in the "any mention" scope
        mentioned=[(c, country(c, country_scope="any")) for c in art["countries_mentioned"]],
        people=[(p, add_filter_url(req, "people", p)) for p in art["people"]],
        authors=[(a, add_filter_url(req, "authors", a)) for a in art["authors"]],
        similar=[{"hit": h, "href": url_for("webui.article", article_id=h.id, **carried)} for h in similar
                 if h.id != art["id"]],
        back_url=search_url(carried) if carried else None, back_filters=filter_labels(req),
    )
