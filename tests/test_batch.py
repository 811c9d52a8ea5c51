"""Batch search input: one query per line, or a CSV with a query column (indexer/batch.py)."""
import pytest

from indexer import batch


def test_one_query_per_line_keeps_commas_and_skips_empty_lines():
    lines = batch.read_queries('Smith, John\n\n  "oil prices"  \r\nperson:kelly OR person:bush\n\n')
    assert [(b.line, b.query, b.label) for b in lines] == [
        (1, "Smith, John", ""), (3, '"oil prices"', ""), (4, "person:kelly OR person:bush", "")]


def test_csv_with_query_and_label_columns():
    text = 'label,query\nAcme,"Acme, Inc."\n,\nOil,"""oil prices"""\n'
    lines = batch.read_queries(text)
    assert [(b.line, b.query, b.label) for b in lines] == [(2, "Acme, Inc.", "Acme"), (4, '"oil prices"', "Oil")]


def test_csv_semicolons_and_a_quoted_cell_over_two_lines():
    text = 'query;label\n"first\nsecond";two lines\nthird;x\n'
    lines = batch.read_queries(text)
    assert [(b.line, b.query) for b in lines] == [(2, "first\nsecond"), (4, "third")]


def test_a_line_mentioning_query_is_not_a_header():
    lines = batch.read_queries("query language\nsecond")
    assert [b.query for b in lines] == ["query language", "second"]


def test_too_many_queries_is_one_clear_error():
    with pytest.raises(batch.BatchError, match="at most 3"):
        batch.read_queries("a\nb\nc\nd", max_queries=3)


def test_byte_order_mark_and_old_mac_line_ends():
    assert [b.query for b in batch.read_queries("\ufeffa\rb")] == ["a", "b"]
