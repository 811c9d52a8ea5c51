"""Trend routes: how attention to several queries changes over time (``/trends``, ``/api/trends``,
``/trends.csv``).

``/trends?q=a&q=b`` with the usual filters draws one series per query (``indexer.trends``), by day,
week, month or year (``by=``; chosen from the range when absent), as counts or as shares of all
articles in each period (``measure=share``). The chart is SVG written on the server
(``webui.charts`` computes it), with the numbers in a table, and every point links to its period's
search.
"""
from __future__ import annotations

import csv
import io

from flask import Response, jsonify, render_template, request, url_for

from indexer import settings, trends
from indexer.exports import csv_cell
from indexer.model import SearchRequest
from indexer.request import cut_query, to_params
from webui import charts
from webui.session import session
from webui.views import bp, current_request, filter_labels

MEASURES = {"count": "Articles", "share": "Share of all articles"}


def trend_request() -> tuple[SearchRequest, list[tuple[str, str]], list[str]]:
    """The filters (a request with no query), the queries to draw ((query, label) pairs, at most
    TREND_MAX_SERIES, blanks and repeats left out) and messages."""
    req, messages = current_request()
    req.q = ""
    if not request.args.get("sort"):
        req.sort = "relevance"        # a point's search: by relevance unless the URL chose an order
    queries, seen = [], set()
    for raw in request.args.getlist("q"):
        q = cut_query(" ".join(raw.split()))
        if q and q not in seen:
            seen.add(q)
            queries.append((q, q))
    if len(queries) > settings.TREND_MAX_SERIES:
        messages.append(f"A trend compares at most {settings.TREND_MAX_SERIES} queries; the first "
                        f"{settings.TREND_MAX_SERIES} are drawn.")
        queries = queries[:settings.TREND_MAX_SERIES]
    return req, queries, messages


def _interval() -> str | None:
    by = (request.args.get("by") or "").strip().lower()
    return by or None


def _measure() -> str:
    measure = (request.args.get("measure") or "").strip().lower()
    return measure if measure in MEASURES else "count"


def trend_params(req: SearchRequest, queries: list[str], **extra) -> dict:
    """The URL parameters of a trend: its queries, the filters, and ``extra`` (by, measure)."""
    params = to_params(req)
    params.pop("q", None)
    params.pop("sort", None)
    return {**({"q": list(queries)} if queries else {}), **params, **{k: v for k, v in extra.items() if v}}


def point_url(req: SearchRequest, query: str, start, end, external: bool = False) -> str:
    """The search for one point: the query and filters, within the point's days."""
    return url_for("webui.search", **to_params(req, q=query, date_from=start, date_to=end), _external=external)


@bp.get("/trends")
def trends_page():
    """The chart, its table, and the form that adds and removes queries."""
    req, queries, messages = trend_request()
    measure, asked = _measure(), _interval()
    trend, notes = trends.run(session(), queries, req, asked) if queries else (None, [])
    texts = [q for q, _ in queries]
    chart = None
    if trend is not None and trend.first:
        chart = charts.build(trend, lambda k, i: point_url(req, trend.series[k].query, trend.series[k].points[i].start,
                                                           trend.series[k].points[i].end),
                             share=measure == "share")
    interval = trend.interval if trend else asked
    return render_template(
        "trends.html", req=req, trend=trend, chart=chart, queries=texts, measure=measure,
        messages=messages + notes, filters=filter_labels(req), measures=[
            (name, label, url_for("webui.trends_page", **trend_params(req, texts, by=asked, measure=name)),
             name == measure) for name, label in MEASURES.items()],
        intervals=[(name, url_for("webui.trends_page", **trend_params(req, texts, by=name, measure=measure)),
                    name == interval) for name in trends.INTERVALS],
        removes=[(q, url_for("webui.trends_page", **trend_params(req, [x for x in texts if x != q], by=asked,
                                                              measure=measure))) for q in texts],
        hidden=[(name, value) for name, values in trend_params(req, [], by=asked, measure=measure).items()
                for value in (values if isinstance(values, list) else [values])],
        csv_url=url_for("webui.trends_csv", **trend_params(req, texts, by=asked)),
        api_url=url_for("webui.api_trends", **trend_params(req, texts, by=asked)),
        search_urls=[(q, url_for("webui.search", **to_params(req, q=q))) for q in texts],
        max_series=settings.TREND_MAX_SERIES)


@bp.get("/api/trends")
def api_trends():
    """``{"series": [{"query", "total", "points": [{"period", "count", "share"}]}], …}``."""
    req, queries, messages = trend_request()
    trend, notes = trends.run(session(), queries, req, _interval()) if queries else (trends.assemble([], [], {}), [])
    data = trend.to_json()
    for series, shaped in zip(trend.series, data["series"]):
        for point, item in zip(series.points, shaped["points"]):
            item["url"] = point_url(req, series.query, point.start, point.end, external=True)
    return jsonify({**data, "filters": trend_params(req, []), "messages": messages + notes})


@bp.get("/trends.csv")
def trends_csv():
    """The trend's table: a row per period, the count and share of each query."""
    req, queries, _ = trend_request()
    trend, _ = trends.run(session(), queries, req, _interval()) if queries else (trends.assemble([], [], {}), [])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in trend.header()])
    for row in trend.rows():
        writer.writerow([csv_cell(v) for v in row])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="newsfacet-trends.csv"',
                             "Cache-Control": "no-store"})
