"""The trend chart's geometry: a Trend turned into coordinates that a template writes out as SVG.

The chart is drawn on the server (no JavaScript needed to see it); this module only computes where
things go (axis ticks at round numbers, one polyline and one marker per period and series), so the
template stays markup and escaping stays Jinja's. Series are told apart by colour, by marker shape
and by dash pattern, so readers who cannot tell the colours apart still can.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from indexer.trends import Trend

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 44
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle", "diamond")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "", "6 3", "2 3", "8 3 2 3")
MAX_X_LABELS = 8


@dataclass
class ChartPoint:
    """One period of one series: where its marker goes and what it links to."""
    x: float
    y: float
    href: str
    title: str


@dataclass
class ChartSeries:
    """One query's line, its marker shape, dash pattern and colour class (``s0`` … ``s7``)."""
    label: str
    css: str
    marker: str
    dash: str
    path: str
    points: list[ChartPoint] = field(default_factory=list)


@dataclass
class Chart:
    """Everything the SVG template draws, in the viewBox's units."""
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_ticks: list[tuple[float, str]]          # (y, label)
    x_labels: list[tuple[float, str]]         # (x, label)
    series: list[ChartSeries]
    y_title: str


def nice_ticks(top: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2, 2.5 or 5 times a power of ten
    (whole steps only when ``integer``, for counts)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / max(1, count - 1)
    if integer:
        raw = max(raw, 1.0)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10)
                if m * power >= raw and not (integer and (m * power) % 1))
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _fmt(value: float, share: bool) -> str:
    if share:
        pct = value * 100
        return f"{pct:.0f}%" if pct >= 10 or pct == int(pct) else f"{pct:.1f}%"
    return f"{int(value):,}" if value == int(value) else f"{value:g}"


def build(trend: Trend, href: Callable[[int, int], str], share: bool = False) -> Chart:
    """The chart of ``trend`` (counts, or shares when ``share``); ``href(series, point)`` is the
    search a marker links to."""
    points = trend.series[0].points if trend.series else []
    n = len(points)
    values = [[(p.share or 0.0) if share else p.count for p in s.points] for s in trend.series]
    top = max((v for row in values for v in row), default=0)
    ticks = nice_ticks(top if top else (0.01 if share else 1), integer=not share)
    y_max = ticks[-1] or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(i: int) -> float:
        return round(LEFT + (plot_w / 2 if n == 1 else plot_w * i / (n - 1)), 1)

    def y_at(v: float) -> float:
        return round(TOP + plot_h * (1 - v / y_max), 1)

    every = max(1, math.ceil(n / MAX_X_LABELS))
    x_labels = [(x_at(i), p.period) for i, p in enumerate(points) if i % every == 0]
    series = []
    for k, s in enumerate(trend.series):
        coords = [(x_at(i), y_at(v)) for i, v in enumerate(values[k])]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(coords))
        chart_points = []
        for i, (p, (x, y)) in enumerate(zip(s.points, coords)):
            amount = _fmt(p.share, True) if share and p.share is not None else f"{p.count:,}"
            extra = f" ({_fmt(p.share, True)} of {trend.all_counts[i]:,})" if not share and p.share is not None else ""
            chart_points.append(ChartPoint(x, y, href(k, i), f"{s.label}, {p.period}: {amount}{extra}"))
        series.append(ChartSeries(s.label, f"s{k % len(MARKERS)}", MARKERS[k % len(MARKERS)],
                                  DASHES[k % len(DASHES)], path, chart_points))
    return Chart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM,
                 [(y_at(t), _fmt(t, share)) for t in ticks], x_labels, series,
                 f"share of all {trend.unit}" if share else trend.unit)
