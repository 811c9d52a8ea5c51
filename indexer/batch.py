"""Batch search: a list of queries in, one row per query out, in input order.

Journalists check a list of names against an archive ("upload your list, get a CSV back"). Two
pitfalls of other tools shape this module: one malformed query must never stop the batch (each line
is parsed alone, and a line that cannot run gets its row with an error), and a comma must never
change what a query means (a plain list is one query per line, commas and all; only a file whose
first row names a ``query`` column is read as CSV).
"""
from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from indexer import facets, querylang, settings
from indexer.exports import csv_cell
from indexer.model import SearchRequest
from indexer.request import cut_query


class BatchError(ValueError):
    """The list as a whole cannot be read (too large, too many queries, not text): one line saying why."""


@dataclass
class BatchLine:
    """One query of the list, with where it came from so that a row can name its line."""
    line: int                 # 1-based line of the input (CSV: the record's first line)
    query: str
    label: str = ""


def _is_csv_header(first_line: str) -> Optional[csv.Dialect]:
    """The CSV dialect when the first line is a header naming a ``query`` column, else None."""
    if "query" not in first_line.lower():
        return None
    for delimiter in (",", ";", "\t"):
        cells = [c.strip().strip('"').strip().lower() for c in next(csv.reader([first_line], delimiter=delimiter))]
        if "query" in cells and len(cells) > 1:
            class Dialect(csv.excel):
                pass
            Dialect.delimiter = delimiter
            return Dialect
        if cells == ["query"]:
            return csv.excel
    return None


def read_queries(text: str, *, max_queries: Optional[int] = None) -> list[BatchLine]:
    """The queries of a list: one per non-empty line, or the ``query`` (and optional ``label``)
    column of a CSV whose header names them. Raises BatchError past ``max_queries``
    (default BATCH_MAX_QUERIES)."""
    max_queries = settings.BATCH_MAX_QUERIES if max_queries is None else max_queries
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    dialect = _is_csv_header(first)
    out: list[BatchLine] = []
    if dialect is None:
        for number, line in enumerate(lines, 1):
            if line.strip():
                out.append(BatchLine(number, line.strip()))
    else:
        out = _read_csv(text, dialect)
    if len(out) > max_queries:
        raise BatchError(f"The list has {len(out)} queries; at most {max_queries} are run at once "
                         f"(split the list).")
    return out


def _read_csv(text: str, dialect) -> list[BatchLine]:
    reader = csv.reader(io.StringIO(text), dialect)
    header: Optional[list[str]] = None
    out: list[BatchLine] = []
    for row in reader:
        number = reader.line_num
        if header is None:
            if not any(c.strip() for c in row):
                continue
            header = [c.strip().lower() for c in row]
            q_col = header.index("query")
            label_col = header.index("label") if "label" in header else None
            continue
        query = row[q_col].strip() if q_col < len(row) else ""
        if not query:
            continue
        label = row[label_col].strip() if label_col is not None and label_col < len(row) else ""
        # the record's first line: csv counts the lines read so far, a quoted cell may span several
        out.append(BatchLine(number - row_lines(row) + 1, query, label))
    return out


def row_lines(row: list[str]) -> int:
    """Lines one CSV record spans (quoted cells may hold line breaks)."""
    return 1 + sum(cell.count("\n") for cell in row)


@dataclass
class BatchRow:
    """What one query found, the shape of the table, the JSON rows and the CSV."""
    line: int
    query: str
    label: str
    total: int = 0                       # stories when copies are grouped, else articles
    articles: Optional[int] = None       # articles, when copies are grouped (else total is articles)
    first: Optional[str] = None          # first and last date among the matches
    last: Optional[str] = None
    top: dict[str, list[str]] = field(default_factory=dict)   # facet name → its three top values
    error: str = ""                      # what was wrong with the query as typed (repaired or not run)
    messages: list[str] = field(default_factory=list)         # everything the search said
    url: str = ""                        # the search page for this query with the batch's filters


CHUNK = 50          # queries summarised per engine call: a long list streams its rows as they come


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def chip_facets() -> tuple[facets.FacetSpec, ...]:
    """The facets a row shows the top values of: those whose values are chips (countries, people,
    organisations), in registry order."""
    return tuple(s for s in facets.SIDEBAR_FACETS if s.display == "chips" and s.kind in (facets.NAMES, facets.COUNTRIES))


def run(session, lines: list[BatchLine], base: SearchRequest, *, top: int = 3,
        link: Optional[Callable[[SearchRequest], str]] = None) -> Iterator[BatchRow]:
    """One row per line, in order, each query run with ``base``'s filters; rows are yielded a chunk
    at a time, so a long list can be shown (or written) as it goes. ``link(req)`` gives a row's URL."""
    for chunk in _chunks(lines, CHUNK):
        reqs, notes = [], []
        for line in chunk:
            q = cut_query(line.query)
            reqs.append(dataclasses.replace(base, q=q, page=1))
            notes.append([] if q == line.query else
                         [f"The query was cut to its first {len(q)} characters (at most {settings.MAX_QUERY_CHARS})."])
        for line, req, note, summary in zip(chunk, reqs, notes, session.summaries(reqs, top)):
            syntax = note + querylang.parse(req.q).messages
            yield BatchRow(
                line=line.line, query=line.query, label=line.label, total=summary.total, articles=summary.articles,
                first=summary.first.isoformat() if summary.first else None,
                last=summary.last.isoformat() if summary.last else None,
                top={name: [v.value for v in values] for name, values in summary.top.items()},
                error=summary.error or " ".join(syntax), messages=note + summary.messages,
                url=link(req) if link else "")


def row_json(row: BatchRow) -> dict:
    """A row as ``/api/batch`` gives it: the top values under each facet's JSON name."""
    return {"line": row.line, "label": row.label, "query": row.query, "total": row.total,
            "articles": row.total if row.articles is None else row.articles, "first": row.first, "last": row.last,
            **{f"top_{s.json}": row.top.get(s.name, []) for s in chip_facets()},
            "error": row.error, "messages": row.messages, "url": row.url}


def csv_header() -> list[str]:
    """The CSV's columns, ``row_json``'s keys."""
    return ["line", "label", "query", "total", "articles", "first", "last", *(f"top_{s.json}" for s in chip_facets()),
            "error", "messages", "url"]


def csv_lines(rows: Iterable[BatchRow]) -> Iterator[str]:
    """The rows as CSV text, header first, a line at a time (cells a spreadsheet would run as
    formulas quoted; lists joined with "; ")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_header())
    for row in rows:
        data = row_json(row)
        writer.writerow([csv_cell("; ".join(v) if isinstance(v, list) else v) for v in data.values()])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
