"""Batch search: a list of queries in, one row per query out, in input order.

Journalists check a list of names against an archive ("upload your list, get a CSV back"). Two
pitfalls of other tools shape this module: one malformed query must never stop the batch (each line
is parsed alone, and a line that cannot run gets its row with an error), and a comma must never
change what a query means (a plain list is one query per line, commas and all; only a file whose
first row names a ``query`` column is read as CSV).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Optional

from indexer import settings


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


def read_queries(text: str, *, max_queries: int = settings.BATCH_MAX_QUERIES) -> list[BatchLine]:
    """The queries of a list: one per non-empty line, or the ``query`` (and optional ``label``)
    column of a CSV whose header names them. Raises BatchError past ``max_queries``."""
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
