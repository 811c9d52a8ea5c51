"""Attention over time: one series per query, counted per day, week, month or year.

An engine counts matches per day (``Session.day_counts``: stories when results are grouped by story,
else articles); this module turns those days into periods, fills the periods where nothing matched
with zeros (a chart must never suggest data where there is none, nor hide a gap), and divides by the
number of all articles in each period under the same filters, because raw counts mislead when the
archive itself grows or shrinks. Nothing here knows an engine or the web: the page, the JSON API, the
CSV download and ``newsfacet trends`` all shape the same ``Trend``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional

from indexer import settings
from indexer.model import SearchRequest

INTERVALS = ("day", "week", "month", "year")


def period_start(day: dt.date, interval: str) -> dt.date:
    """The first day of the period holding ``day`` (weeks start on Monday, as ISO 8601 and
    OpenSearch's calendar weeks do)."""
    if interval == "day":
        return day
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown interval {interval!r}")


def next_period(start: dt.date, interval: str) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if interval == "day":
        return start + dt.timedelta(days=1)
    if interval == "week":
        return start + dt.timedelta(days=7)
    if interval == "month":
        return dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    if interval == "year":
        return dt.date(start.year + 1, 1, 1)
    raise ValueError(f"unknown interval {interval!r}")


def period_end(start: dt.date, interval: str) -> dt.date:
    """The last day of the period starting on ``start`` (a period's search runs from start to end)."""
    return next_period(start, interval) - dt.timedelta(days=1)


def periods(first: dt.date, last: dt.date, interval: str) -> list[dt.date]:
    """Every period start from the one holding ``first`` to the one holding ``last``, none skipped."""
    out = []
    start = period_start(first, interval)
    while start <= last:
        out.append(start)
        start = next_period(start, interval)
    return out


def count_periods(first: dt.date, last: dt.date, interval: str) -> int:
    """How many periods ``periods`` would give, without listing them."""
    if interval == "day":
        return (last - first).days + 1
    if interval == "week":
        return (period_start(last, "week") - period_start(first, "week")).days // 7 + 1
    if interval == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return last.year - first.year + 1


def choose_interval(first: dt.date, last: dt.date) -> str:
    """The finest interval that draws the range in at most TREND_MAX_POINTS points: enough points to
    show a shape, few enough that each can be read and clicked."""
    for interval in INTERVALS:
        if count_periods(first, last, interval) <= settings.TREND_MAX_POINTS:
            return interval
    return "year"


def period_label(start: dt.date, interval: str) -> str:
    """How a period is written in tables, CSV and JSON: ``2020-03-02`` (a day, or the Monday of a
    week), ``2020-03`` (a month), ``2020`` (a year)."""
    if interval == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if interval == "year":
        return f"{start.year:04d}"
    return start.isoformat()


@dataclass
class Point:
    """One period of one series."""
    period: str               # period_label of its start
    start: dt.date            # the period's days inside the trend's range (its search link's from/to)
    end: dt.date
    count: int
    share: Optional[float]    # count / all articles of the period under the same filters; None when that is 0


@dataclass
class Series:
    """One query's counts over the trend's periods."""
    query: str
    label: str
    total: int                # sum of the points: matches with a date in the range
    undated: int = 0          # matches without a date (no period can hold them)
    points: list[Point] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass
class Trend:
    """Every series over the same periods, with the denominator the shares use."""
    interval: str
    first: Optional[dt.date]
    last: Optional[dt.date]
    series: list[Series]
    all_counts: list[int] = field(default_factory=list)   # all articles per period under the filters
    unit: str = "articles"    # "stories" when copies of one story count once

    def to_json(self) -> dict:
        """The ``/api/trends`` shape: ``{"interval", "unit", "series": [{"query", "total", "points":
        [{"period", "count", "share"}]}]}`` plus the per-period denominators."""
        return {
            "interval": self.interval,
            "unit": self.unit,
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
            "periods": [p.period for p in (self.series[0].points if self.series else [])],
            "all": self.all_counts,
            "series": [{"query": s.query, "label": s.label, "total": s.total, "undated": s.undated,
                        "messages": s.messages,
                        "points": [{"period": p.period, "start": p.start.isoformat(), "end": p.end.isoformat(),
                                    "count": p.count, "share": p.share} for p in s.points]}
                       for s in self.series],
        }

    def rows(self) -> list[list]:
        """The table (and CSV) rows: one per period, a count column and a share column per series."""
        out = []
        for i, point in enumerate(self.series[0].points if self.series else []):
            row = [point.period, self.all_counts[i] if i < len(self.all_counts) else 0]
            for s in self.series:
                p = s.points[i]
                row += [p.count, "" if p.share is None else round(p.share, 6)]
            out.append(row)
        return out

    def header(self) -> list[str]:
        """The CSV header matching ``rows``."""
        out = ["period", f"all {self.unit}"]
        for s in self.series:
            out += [f"{s.label} (count)", f"{s.label} (share)"]
        return out


def bucket(day_counts: Mapping[dt.date, int], starts: list[dt.date], interval: str) -> list[int]:
    """Day counts summed into the periods starting at ``starts`` (days outside them are left out)."""
    index = {start: i for i, start in enumerate(starts)}
    out = [0] * len(starts)
    for day, n in day_counts.items():
        i = index.get(period_start(day, interval))
        if i is not None:
            out[i] += n
    return out


def data_range(counts: Iterable[Mapping[dt.date, int]]) -> tuple[Optional[dt.date], Optional[dt.date]]:
    """The first and last day any series has a match on."""
    days = [day for c in counts for day, n in c.items() if n]
    return (min(days), max(days)) if days else (None, None)


def assemble(queries: list[tuple[str, str]], day_counts: list[Mapping[dt.date, int]], all_days: Mapping[dt.date, int],
             *, interval: Optional[str] = None, first: Optional[dt.date] = None, last: Optional[dt.date] = None,
             undated: Optional[list[int]] = None, messages: Optional[list[list[str]]] = None,
             unit: str = "articles") -> Trend:
    """The trend of ``queries`` ((query, label) pairs) from each one's matches per day and all
    articles' per day: the range is ``first``–``last`` when given (the date filter), else the days the
    series cover; the interval is chosen from the range unless given."""
    data_first, data_last = data_range(day_counts)
    first = first or data_first
    last = last or data_last
    if first and last and first > last:
        first, last = last, first
    if not (first and last):
        return Trend(interval=interval or "month", first=None, last=None, unit=unit,
                     series=[Series(q, label, 0, (undated or [0] * len(queries))[i],
                                    messages=(messages or [[]] * len(queries))[i])
                             for i, (q, label) in enumerate(queries)])
    interval = interval if interval in INTERVALS else choose_interval(first, last)
    starts = periods(first, last, interval)
    all_counts = bucket(_within(all_days, first, last), starts, interval)
    series = []
    for i, (q, label) in enumerate(queries):
        counts = bucket(_within(day_counts[i], first, last), starts, interval)
        # a period cut by the range's ends covers (and links to) only its days inside the range
        points = [Point(period_label(s, interval), max(s, first), min(period_end(s, interval), last),
                        n, (n / all_counts[k]) if all_counts[k] else None)
                  for k, (s, n) in enumerate(zip(starts, counts))]
        series.append(Series(q, label, sum(counts), (undated or [0] * len(queries))[i], points,
                             (messages or [[]] * len(queries))[i]))
    return Trend(interval=interval, first=first, last=last, series=series, all_counts=all_counts, unit=unit)


def _within(counts: Mapping[dt.date, int], first: dt.date, last: dt.date) -> dict[dt.date, int]:
    return {day: n for day, n in counts.items() if first <= day <= last}


MAX_FINER = 20       # a finer interval than the chosen one is drawn up to this many times TREND_MAX_POINTS


def run(session, queries: list[tuple[str, str]], base: SearchRequest, interval: Optional[str] = None) -> tuple[Trend, list[str]]:
    """The trend of ``queries`` ((query, label) pairs) under ``base``'s filters and date range, and
    messages: each query's matches per day and, for the shares, all articles' (the empty query under
    the same filters), in one engine call."""
    reqs = [dataclasses.replace(base, q=q, page=1) for q, _ in queries] + [dataclasses.replace(base, q="", page=1)]
    *series, everything = session.day_counts(reqs)
    messages: list[str] = []
    first, last = base.date_from, base.date_to
    if interval and interval not in INTERVALS:
        messages.append(f"Unknown interval “{interval}”; use day, week, month or year.")
        interval = None
    if interval:
        span_first, span_last = data_range([c.days for c in series])
        lo, hi = first or span_first, last or span_last
        if lo and hi and count_periods(min(lo, hi), max(lo, hi), interval) > MAX_FINER * settings.TREND_MAX_POINTS:
            messages.append(f"Too many {interval}s to draw over this range; the interval was chosen for it.")
            interval = None
    trend = assemble(queries, [c.days for c in series], everything.days, interval=interval, first=first, last=last,
                     undated=[c.undated for c in series], messages=[c.messages for c in series],
                     unit="stories" if everything.grouped else "articles")
    return trend, messages
