"""The trend chart's geometry (webui/charts.py): round ticks, one point per period, links and titles."""
import datetime as dt

import pytest

from indexer import trends
from webui import charts

D = dt.date


@pytest.mark.parametrize("top, integer, expected", [
    (7, True, [0, 2, 4, 6, 8]), (100, True, [0, 25, 50, 75, 100]), (10, True, [0, 5, 10]),
    (3, True, [0, 1, 2, 3]), (0.37, False, [0, 0.1, 0.2, 0.3, 0.4]), (1, False, [0, 0.25, 0.5, 0.75, 1.0]),
])
def test_nice_ticks_are_round_and_reach_the_top(top, integer, expected):
    ticks = charts.nice_ticks(top, integer=integer)
    assert ticks[0] == 0 and ticks[-1] >= top
    assert ticks == pytest.approx(expected)


def _trend():
    a = {D(2020, 1, 5): 2, D(2020, 3, 9): 4}
    b = {D(2020, 2, 1): 1}
    return trends.assemble([("a", "Alpha"), ("b", "Beta")], [a, b],
                           {D(2020, 1, 5): 4, D(2020, 2, 1): 2, D(2020, 3, 9): 8}, interval="month")


def test_every_period_of_every_series_has_a_linked_point():
    chart = charts.build(_trend(), lambda k, i: f"/?s={k}&p={i}")
    assert [len(s.points) for s in chart.series] == [3, 3]
    assert chart.series[1].points[2].href == "/?s=1&p=2"
    assert chart.series[0].points[0].title == "Alpha, 2020-01: 2 (50% of 4)"
    xs = [p.x for p in chart.series[0].points]
    assert xs == sorted(xs) and xs[0] == chart.left and xs[-1] == chart.width - chart.right
    # the highest count sits on the top tick, a zero on the baseline
    assert min(p.y for p in chart.series[0].points) >= chart.top
    assert chart.series[1].points[0].y == chart.height - chart.bottom


def test_series_differ_in_colour_marker_and_dash():
    chart = charts.build(_trend(), lambda k, i: "#")
    first, second = chart.series
    assert first.css != second.css and first.marker != second.marker and first.dash != second.dash


def test_shares_are_drawn_as_percentages():
    chart = charts.build(_trend(), lambda k, i: "#", share=True)
    assert chart.y_title == "share of all articles"
    assert chart.y_ticks[-1][1].endswith("%")
    assert chart.series[0].points[2].title == "Alpha, 2020-03: 50%"
