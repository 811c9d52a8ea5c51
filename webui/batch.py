"""Batch search routes: a list of queries in, a table out (``/batch`` page, ``/api/batch`` JSON or CSV).

The only routes that take POST (a list can be long; nothing is stored or changed): the list comes
as the form field ``queries`` or an uploaded file ``file``, the filters as URL parameters, so the
search page's filters carry over. ``indexer.batch`` reads the list and runs it; the page streams its
rows as they are found.
"""
from __future__ import annotations

from typing import Iterator

from charset_normalizer import from_bytes
from flask import Response, jsonify, render_template, request, stream_template, stream_with_context, url_for

from indexer import batch, settings
from indexer.engines.base import IndexUnavailable
from indexer.model import SearchRequest
from indexer.request import to_params
from webui.session import session
from webui.views import bp, current_request, filter_labels

STOPPED = "The batch stopped here: {}"


class ListError(ValueError):
    """The posted list cannot be run as a whole (too large, not text, too many queries)."""


def posted_list() -> str:
    """The list as text: the uploaded file when one was chosen, else the ``queries`` field."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(settings.BATCH_MAX_BYTES + 1)
        if len(data) > settings.BATCH_MAX_BYTES:
            raise ListError(too_large())
        if b"\x00" in data:
            raise ListError("The file is not text; upload a .txt or .csv file with one query per line.")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            best = from_bytes(data).best()
            if best is None:
                raise ListError("The file is not text; upload a .txt or .csv file with one query per line.")
            return str(best)
    text = request.form.get("queries", "")
    if len(text.encode("utf-8")) > settings.BATCH_MAX_BYTES:
        raise ListError(too_large())
    return text


def too_large() -> str:
    """The message for a list over the size limit."""
    return f"The list is larger than {settings.BATCH_MAX_BYTES:,} bytes; split it into smaller lists."


def _lines() -> list[batch.BatchLine]:
    try:
        return batch.read_queries(posted_list())
    except batch.BatchError as exc:
        raise ListError(str(exc)) from None


def _link(external: bool = False):
    def link(req: SearchRequest) -> str:
        return url_for("webui.search", **to_params(req), _external=external)
    return link


def _guarded(rows: Iterator[batch.BatchRow]) -> Iterator[batch.BatchRow]:
    """The rows, and when the engine fails half-way, one last row saying so (the status line is sent)."""
    try:
        yield from rows
    except IndexUnavailable as exc:
        yield batch.BatchRow(line=0, query="", label="", error=STOPPED.format(exc))


class Tally:
    """Counts rows as a streamed page writes them, for the line under the table."""

    def __init__(self, rows: Iterator[batch.BatchRow]):
        self.rows, self.done, self.errors, self.found = rows, 0, 0, 0

    def __iter__(self):
        for row in self.rows:
            self.done += 1
            self.errors += bool(row.error)
            self.found += row.total > 0
            yield row


def batch_request() -> tuple[SearchRequest, list[str]]:
    """The filters every query of the list runs with (the URL's parameters); a row's search is
    sorted by relevance unless the URL chose an order."""
    req, messages = current_request()
    if not request.args.get("sort"):
        req.sort = "relevance"
    return req, messages


def filter_params(req: SearchRequest) -> dict:
    """The URL parameters of the batch's filters (and of its order, when the URL chose one)."""
    return {k: v for k, v in to_params(req).items() if k != "sort" or request.args.get("sort")}


@bp.route("/batch", methods=["GET", "POST"])
def batch_page():
    """The form (GET) and the table of a posted list (POST), its rows streamed as they are found."""
    req, messages = batch_request()
    state = filter_params(req)
    context = {"req": req, "messages": messages, "filters": filter_labels(req), "state": state,
               "facets": batch.chip_facets(), "max_queries": settings.BATCH_MAX_QUERIES,
               "max_bytes": settings.BATCH_MAX_BYTES, "clear_url": url_for("webui.batch_page")}
    if request.method == "GET":
        return render_template("batch.html", **context)
    try:
        lines = _lines()
    except ListError as exc:
        return render_template("batch.html", error=str(exc), text=request.form.get("queries", ""), **context), 400
    if not lines:
        return render_template("batch.html", error="The list has no queries: write one per line.", **context), 400
    rows = Tally(_guarded(batch.run(session(), lines, req, link=_link())))
    return stream_template("batch.html", rows=rows, count=len(lines),
                           csv_url=url_for("webui.api_batch", format="csv", **state), **context)


@bp.route("/api/batch", methods=["POST"])
def api_batch():
    """``{"rows": [...]}`` for the posted list (``queries``), one per query in order; ``format=csv``
    gives the same rows as CSV."""
    req, messages = batch_request()
    try:
        lines = _lines()
    except ListError as exc:
        response = jsonify({"error": {"status": 400, "title": "Bad list", "message": str(exc)}})
        response.status_code = 400
        return response
    rows = batch.run(session(), lines, req, link=_link(external=True))
    if request.args.get("format") == "csv":
        return Response(stream_with_context(batch.csv_lines(_guarded(rows))), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="newsfacet-batch.csv"',
                                 "Cache-Control": "no-store"})
    return jsonify({"filters": filter_params(req), "messages": messages, "count": len(lines),
                    "rows": [batch.row_json(row) for row in rows]})

