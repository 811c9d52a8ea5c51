"""Trends: periods, interval choice, zero-filled series and shares (indexer/trends.py)."""
import datetime as dt

import pytest

from indexer import settings, trends

D = dt.date


@pytest.mark.parametrize("interval, day, start, nxt", [
    ("day", D(2020, 2, 29), D(2020, 2, 29), D(2020, 3, 1)),
    ("week", D(2020, 3, 4), D(2020, 3, 2), D(2020, 3, 9)),        # a Wednesday: its Monday
    ("week", D(2021, 1, 1), D(2020, 12, 28), D(2021, 1, 4)),      # a week across a new year
    ("month", D(2020, 12, 31), D(2020, 12, 1), D(2021, 1, 1)),
    ("year", D(2020, 7, 4), D(2020, 1, 1), D(2021, 1, 1)),
])
def test_period_start_and_next(interval, day, start, nxt):
    assert trends.period_start(day, interval) == start
    assert trends.next_period(start, interval) == nxt
    assert trends.period_end(start, interval) == nxt - dt.timedelta(days=1)


@pytest.mark.parametrize("interval", trends.INTERVALS)
def test_periods_cover_the_range_without_gaps(interval):
    first, last = D(2019, 11, 17), D(2021, 2, 3)
    starts = trends.periods(first, last, interval)
    assert starts[0] <= first and trends.period_end(starts[-1], interval) >= last
    assert all(trends.next_period(a, interval) == b for a, b in zip(starts, starts[1:]))
    assert trends.count_periods(first, last, interval) == len(starts)


def test_interval_is_the_finest_within_the_point_limit(monkeypatch):
    monkeypatch.setattr(settings, "TREND_MAX_POINTS", 60)
    assert trends.choose_interval(D(2020, 1, 1), D(2020, 2, 15)) == "day"      # 46 days
    assert trends.choose_interval(D(2020, 1, 1), D(2020, 6, 30)) == "week"     # 27 weeks
    assert trends.choose_interval(D(2018, 1, 1), D(2020, 6, 30)) == "month"    # 30 months
    assert trends.choose_interval(D(1990, 1, 1), D(2020, 6, 30)) == "year"     # 361 months


def test_labels():
    assert trends.period_label(D(2020, 3, 1), "month") == "2020-03"
    assert trends.period_label(D(2020, 1, 1), "year") == "2020"
    assert trends.period_label(D(2020, 3, 2), "week") == "2020-03-02"


def test_assemble_fills_empty_periods_with_zero_and_counts_sum_to_total():
    a = {D(2020, 1, 5): 2, D(2020, 3, 9): 1}
    b = {D(2020, 2, 1): 4}
    everything = {D(2020, 1, 5): 10, D(2020, 2, 1): 8, D(2020, 3, 9): 4, D(2020, 3, 10): 1}
    trend = trends.assemble([("a", "A"), ("b", "B")], [a, b], everything, interval="month")
    assert trend.interval == "month" and (trend.first, trend.last) == (D(2020, 1, 5), D(2020, 3, 9))
    assert [p.period for p in trend.series[0].points] == ["2020-01", "2020-02", "2020-03"]
    assert [p.count for p in trend.series[0].points] == [2, 0, 1]     # February drawn as zero
    assert [p.count for p in trend.series[1].points] == [0, 4, 0]
    assert trend.all_counts == [10, 8, 4]     # the range ends on the last matching day
    assert [s.total for s in trend.series] == [3, 4]
    assert trend.series[0].points[0].share == pytest.approx(0.2)
    assert trend.series[1].points[1].share == pytest.approx(0.5)


def test_assemble_clips_to_the_date_filter_and_edge_periods():
    counts = {D(2020, 1, 1): 1, D(2020, 1, 20): 1, D(2020, 2, 20): 5}
    trend = trends.assemble([("q", "q")], [counts], counts, first=D(2020, 1, 15), last=D(2020, 2, 10),
                            interval="month")
    assert trend.series[0].total == 1                   # only Jan 20 lies in the range
    first, second = trend.series[0].points
    assert (first.start, first.end) == (D(2020, 1, 15), D(2020, 1, 31))   # links search the range's part
    assert (second.start, second.end) == (D(2020, 2, 1), D(2020, 2, 10))


def test_share_is_none_where_the_archive_has_nothing():
    trend = trends.assemble([("q", "q")], [{D(2020, 1, 1): 1, D(2020, 3, 1): 1}],
                            {D(2020, 1, 1): 2, D(2020, 3, 1): 1}, interval="month")
    assert [p.share for p in trend.series[0].points] == [0.5, None, 1.0]


def test_no_match_gives_empty_series_not_an_error():
    trend = trends.assemble([("nothing", "nothing")], [{}], {D(2020, 1, 1): 3}, undated=[0])
    assert trend.first is None and trend.series[0].points == [] and trend.series[0].total == 0
    assert trend.to_json()["series"][0]["points"] == []


def test_json_rows_and_header_agree():
    counts = {D(2020, 1, 1): 1}
    trend = trends.assemble([("q", "Q")], [counts], {D(2020, 1, 1): 4}, interval="year")
    data = trend.to_json()
    assert data["series"][0]["points"][0] == {"period": "2020", "start": "2020-01-01", "end": "2020-01-01",
                                               "count": 1, "share": 0.25}
    assert trend.header() == ["period", "all articles", "Q (count)", "Q (share)"]
    assert trend.rows() == [["2020", 4, 1, 0.25]]
