"""The HTML pages: search results with facets, and one article with the search it came from."""
from __future__ import annotations

from flask import render_template, url_for

from indexer import facets, settings
from indexer.facets import DATES, FacetSpec, shown_value
from indexer.grouping import group_spec, story_of
from indexer.model import ALL, GROUPED, Hit, SearchRequest, SearchResult
from indexer.request import SORTS, to_params
from indexer.textkeys import casefold_key
from webui.session import session
from webui.views import (
    HISTOGRAM_STEPS, _article_or_404, add_filter_url, bp, current_request, date_label, expanded_facet,
    facet_prefix, filter_labels, host_of, page_state, param_pairs, run_search, safe_link, search_url,
    source_name, story_copies,
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
    filters_only = {k: v for k, v in to_params(req, q="").items() if k not in ("sort", "size")}
    expanded, prefix = expanded_facet(), facet_prefix()
    carried = page_state(req)
    hits = []
    for hit in result.hits:
        link = safe_link(hit.url)
        chips, more_chips = hit_chips(req, hit)
        hits.append({
            "hit": hit,
            "href": url_for("webui.article", article_id=hit.id, **carried),
            "link": link,
            "source": host_of(link) if link else source_name(hit.source),
            "chips": chips,
            "bylines": bylines(req, hit.facets),
            "labels": labels(req, hit.facets),
            "text_lang": facets.text_language(hit.facets),
            "more_chips": more_chips,
            "copies": [copy_view(c, carried) for c in hit.copies],
            "more_copies": hit.copies_total - len(hit.copies),
            "story_url": story_url(story_of(hit.facets)),
        })

    views = {}
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
        views[name] = view

    without = lambda spec, v: [x for x in req.chosen(spec.name) if x != v]  # noqa: E731 (the filter less one value)
    chips = [_chip(spec, v, search_url(to_params(req, filters={spec.name: without(spec, v)})))
             for spec in facets.VALUE_FACETS for v in req.chosen(spec.name)]
    if req.date_from or req.date_to:
        no_dates = search_url(to_params(req, date_from=None, date_to=None))
        chips.append(_chip(facets.spec("date"), date_label(req), no_dates))

    return {
        "result": result, "req": req, "q": req.q, "state": state,
        "hits": hits, "facets": views, "chips": chips,
        "filter_count": len(chips),
        "clear_url": search_url(to_params(req, filters={spec.name: [] for spec in facets.VALUE_FACETS},
                                          date_from=None, date_to=None)),
        "syntax_help": syntax_help(),
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
        # the same filters over time (this query as the trend's first series), or for a list of queries
        "trend_url": url_for("webui.trends_page", **filters_only, **({"q": req.q} if req.q.strip() else {})),
        "batch_url": url_for("webui.batch_page", **filters_only),
        "first_number": (req.page - 1) * req.page_size + 1,
        "copies_url": search_url(to_params(req, copies=ALL if result.grouped else GROUPED)),
    }


def copy_view(copy, carried: dict) -> dict:
    """Another copy of a story as a list item: its page, its source's name, its date."""
    link = safe_link(copy.url)
    return {"ref": copy, "href": url_for("webui.article", article_id=copy.id, **carried),
            "source": host_of(link) if link else source_name(copy.source)}


def story_url(story) -> str | None:
    """The search listing every copy of a story (None without a story)."""
    spec = group_spec()
    if not story or spec is None:
        return None
    return search_url({spec.param: [story], "sort": "oldest"})


def _chip(spec: FacetSpec, value: str, url: str, faint: bool = False) -> dict:
    """A chip as the templates draw it: its text, the facet's name, kind and mark, where it leads."""
    return {"label": shown_value(spec, value), "name": spec.name, "kind": spec.kind, "mark": spec.mark, "url": url,
            "faint": faint}


def chip_facets() -> tuple[FacetSpec, ...]:
    """The facets a hit and an article show as chips, in registry order."""
    return tuple(s for s in facets.VALUE_FACETS if s.display == "chips")


def hit_chips(req: SearchRequest, hit: Hit) -> tuple[list[dict], int]:
    """A hit's chips (each facet's first ``chips`` values, a scoped facet's passing mentions after
    the values it is about) and how many more its page shows. Each chip adds its value to the
    search; a passing mention in the "any mention" scope, so that it finds the article."""
    chips, more = [], 0
    for spec in chip_facets():
        about = list(hit.facets.get(spec.name) or ())
        involved = about + list(hit.mentioned.get(spec.name) or ())
        for value in involved[:spec.chips]:
            scopes = {spec.name: "any"} if spec.scoped and value not in about else None
            chips.append(_chip(spec, value, add_filter_url(req, spec.name, value, scopes)))
        more += max(0, len(involved) - spec.chips)
    return chips, more


def bylines(req: SearchRequest, values: dict) -> list[list[tuple[str, str]]]:
    """Per "byline" facet with values: [(name, the search filtered by it)], shown "by A, B"."""
    return [[(shown_value(spec, v), add_filter_url(req, spec.name, v)) for v in values[spec.name]]
            for spec in facets.VALUE_FACETS if spec.display == "byline" and values.get(spec.name)]


def labels(req: SearchRequest, values: dict) -> list[tuple[str, str]]:
    """Per "label" facet value (a language): (its text, the search filtered by it), shown beside the date."""
    return [(shown_value(spec, v), add_filter_url(req, spec.name, v))
            for spec in facets.VALUE_FACETS if spec.display == "label" for v in values.get(spec.name) or ()]


def article_entities(req: SearchRequest, art: dict) -> list[tuple[str, list[dict]]]:
    """The article page's rows of chips: (heading, chips) per chip facet with values; a scoped facet
    gives two rows, the values it is about and those it also mentions (found in the "any" scope)."""
    rows = []
    for spec in chip_facets():
        about = list(art["facets"].get(spec.name) or ())
        if spec.scoped:
            passing = list(art["mentioned"].get(spec.name) or ())
            rows.append(("About", [_chip(spec, v, add_filter_url(req, spec.name, v)) for v in about]))
            rows.append(("Also mentions", [_chip(spec, v, add_filter_url(req, spec.name, v, {spec.name: "any"}),
                                                 faint=True) for v in passing]))
        else:
            rows.append((spec.label, [_chip(spec, v, add_filter_url(req, spec.name, v)) for v in about]))
    return [(heading, chips) for heading, chips in rows if chips]


def syntax_help() -> dict:
    """The search-syntax help lines the facets give (``help`` of each spec): the values facets'
    (shown among the field searches) and the dates' ((examples…), what they find)."""
    return {"values": [line for spec in facets.VALUE_FACETS for line in spec.help],
            "dates": [line for spec in facets.FACETS if spec.kind == DATES for line in spec.help]}


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
    copies, copies_total = story_copies(art)
    return render_template(
        "article.html", art=art, q=q, paragraphs=paragraphs, link=link,
        host=host_of(link) if link else None, source=source_name(art.get("source") or ""),
        entities=article_entities(req, art), bylines=bylines(req, art["facets"]),
        labels=labels(req, art["facets"]), text_lang=facets.text_language(art["facets"]),
        similar=[{"hit": h, "href": url_for("webui.article", article_id=h.id, **carried),
                  "text_lang": facets.text_language(h.facets)} for h in similar if h.id != art["id"]],
        back_url=search_url(carried) if carried else None, back_filters=filter_labels(req),
        copies=[{**copy_view(h, carried), "this": h.id == art["id"]} for h in copies], copies_total=copies_total,
        story_url=story_url(story_of(art["facets"])),
    )

