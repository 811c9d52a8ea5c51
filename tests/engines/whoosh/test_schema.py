"""The schema's FastText fields: the same postings as Whoosh's TEXT without positions in its
blocks, and the same positions as Whoosh's TEXT with them, also after a reopen."""
from __future__ import annotations

import pickle

from whoosh import fields, index as whoosh_index
from whoosh.analysis import StandardAnalyzer

from indexer.engines.whoosh.schema import TEXT_ANALYZER, FastText, make_schema

TEXT = ("Pyongyang's envoy met Mr. Kelly in Beijing; the talks, Chinese-brokered, resumed. "
        "Café owners said the talks' talks were resuming — résumé 2004-02-20, 6-party.")


def _postings(field, text):
    return sorted(field.index(text))


def _positions(field, text):
    """term bytes → positions, as Whoosh's ``Positions`` values of ``field`` hold them."""
    return {t: field.format.decode_positions(v) for t, _, _, v in field.index(text)}


def test_reopened_index_keeps_the_fast_analyzer(tmp_path):
    # Writer processes open the index from disk: their schema is an unpickled copy.
    whoosh_index.create_in(str(tmp_path), make_schema())
    schema = whoosh_index.open_dir(str(tmp_path)).schema
    for name in ("title", "body"):
        assert schema[name].analyzer is TEXT_ANALYZER


def test_reopened_field_indexes_as_whoosh_text(tmp_path):
    whoosh_index.create_in(str(tmp_path), make_schema())
    body = whoosh_index.open_dir(str(tmp_path)).schema["body"]
    reference = fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, phrase=False)
    assert _postings(body, TEXT) == _postings(reference, TEXT)
    terms: dict = {}
    length, count = body.postings_into(TEXT, terms, 7)
    expected = _postings(reference, TEXT)
    assert count == len(expected) and length == sum(freq for _, freq, _, _ in expected)
    assert sorted((t, p[0][1]) for t, p in terms.items()) == [(t, w) for t, _, w, _ in expected]
    # The positions each posting brings (for the segment's .pos file) are Whoosh's.
    with_positions = _positions(fields.TEXT(analyzer=TEXT_ANALYZER, stored=True), TEXT)
    assert {t: list(p[0][2]) for t, p in terms.items()} == with_positions
    assert {t.encode("utf-8"): p for t, p in body.positions(TEXT).items()} == with_positions


def test_other_analyzers_are_left_alone():
    other = pickle.loads(pickle.dumps(FastText(analyzer=StandardAnalyzer())))
    assert other.analyzer is not TEXT_ANALYZER
    assert _postings(other, TEXT) == _postings(fields.TEXT(analyzer=StandardAnalyzer(), phrase=False), TEXT)
    expected = _positions(fields.TEXT(analyzer=StandardAnalyzer()), TEXT)
    assert {t.encode("utf-8"): p for t, p in other.positions(TEXT).items()} == expected


CJK_TEXT = ("新闻：台湾是中国的一部分吗？Taiwan's 台湾 talks; 日本語のテキスト、한국어 문장. 中 a 国 "
            "co-operation U.S. 2004年2月")


def test_cjk_runs_are_indexed_as_overlapping_pairs_the_same_on_both_paths(tmp_path):
    from indexer.engines.whoosh.schema import FAST_ANALYZER, HAS_CJK
    whoosh_index.create_in(str(tmp_path), make_schema())
    body = whoosh_index.open_dir(str(tmp_path)).schema["body"]
    reference = fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, phrase=False)
    assert _postings(body, CJK_TEXT) == _postings(reference, CJK_TEXT)
    expected = _positions(fields.TEXT(analyzer=TEXT_ANALYZER, stored=True), CJK_TEXT)
    assert {t.encode("utf-8"): p for t, p in body.positions(CJK_TEXT).items()} == expected
    terms = [t.text for t in TEXT_ANALYZER(CJK_TEXT)]
    assert terms[:10] == ["新闻", "台湾", "湾是", "是中", "中国", "国的", "的一", "一部", "部分", "分吗"]
    assert "台湾是" not in terms and "中" in terms and "talk" in terms and "한국" in terms
    fast = [(t.text, t.pos, t.startchar, t.endchar) for t in FAST_ANALYZER(CJK_TEXT, positions=True, chars=True)]
    slow = [(t.text, t.pos, t.startchar, t.endchar) for t in TEXT_ANALYZER(CJK_TEXT, positions=True, chars=True)]
    assert fast == slow
    assert [p for _, p, _, _ in fast] == list(range(len(fast)))
    assert all(CJK_TEXT[s:e] == x for x, _, s, e in fast if HAS_CJK(x))
