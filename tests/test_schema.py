"""The schema's FastText fields: the same postings as Whoosh's TEXT, also after a reopen."""
from __future__ import annotations

import pickle

from whoosh import fields, index as whoosh_index
from whoosh.analysis import StandardAnalyzer

from indexer.schema import TEXT_ANALYZER, FastText, make_schema

TEXT = ("Pyongyang's envoy met Mr. Kelly in Beijing; the talks, Chinese-brokered, resumed. "
        "Café owners said the talks' talks were resuming — résumé 2004-02-20, 6-party.")


def _postings(field, text):
    return sorted(field.index(text))


def test_reopened_index_keeps_the_fast_analyzer(tmp_path):
    # Writer processes open the index from disk: their schema is an unpickled copy.
    whoosh_index.create_in(str(tmp_path), make_schema())
    schema = whoosh_index.open_dir(str(tmp_path)).schema
    for name in ("title", "body"):
        assert schema[name].analyzer is TEXT_ANALYZER


def test_reopened_field_indexes_as_whoosh_text(tmp_path):
    whoosh_index.create_in(str(tmp_path), make_schema())
    body = whoosh_index.open_dir(str(tmp_path)).schema["body"]
    reference = fields.TEXT(analyzer=TEXT_ANALYZER, stored=True)
    assert _postings(body, TEXT) == _postings(reference, TEXT)
    terms: dict = {}
    length, count = body.postings_into(TEXT, terms, 7)
    expected = _postings(reference, TEXT)
    assert count == len(expected) and length == sum(freq for _, freq, _, _ in expected)
    assert sorted((t, p[0][2]) for t, p in terms.items()) == [(t, v) for t, _, _, v in expected]


def test_other_analyzers_are_left_alone():
    other = pickle.loads(pickle.dumps(FastText(analyzer=StandardAnalyzer())))
    assert other.analyzer is not TEXT_ANALYZER
    assert _postings(other, TEXT) == _postings(fields.TEXT(analyzer=StandardAnalyzer()), TEXT)
