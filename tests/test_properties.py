"""Property-based tests: any query text or parameters give a result with messages, never an exception."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from indexer import settings
from indexer.build import index_articles
from indexer.facets import VALUE_FACET_NAMES
from indexer.request import from_mapping
from indexer.engines.whoosh.search import facet_values, open_index, search
from tests.conftest import make_article

QUERY_ALPHABET = st.sampled_from(list('"()[]{}:-+*?~^!\\/ ') + ["AND", "OR", "NOT", "TO", "date:", "person:",
                                                                "country:", "title:", "2004", "-02", "oil"])
queries = st.one_of(
    st.text(max_size=200),
    st.lists(QUERY_ALPHABET, max_size=30).map(" ".join),
    st.lists(QUERY_ALPHABET, max_size=30).map("".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=900, max_size=2500),
)
param_values = st.one_of(st.text(max_size=40), st.integers(-10**12, 10**12).map(str),
                         st.sampled_from(["", "0", "-1", "999999999999", "1e9", "NaN", "2004-02-30", "2004-13",
                                          "newest", "oldest", "relevance", "\x00", "ｍ"]))


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    root = tmp_path_factory.mktemp("prop")
    index_articles([
        make_article(1, "Oil prices rise", "Oil prices rose in Tokyo.", "2004-02-20", countries=["Japan"],
                     people=["James Kelly"]),
        make_article(2, "Grain talks", "Grain talks in Ottawa.", "1987-03-02", countries=["Canada"]),
        make_article(3, "Undated note", "A note with no date.", None),
    ], root)
    return open_index(root).generation()


FAST = hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(q=queries)
def test_any_query_text_searches_or_explains(gen, q):
    req, messages = from_mapping({"q": q})
    result = search(gen, req, messages=messages)
    assert result.total >= 0 and len(result.hits) <= req.page_size
    assert len(req.q) <= settings.MAX_QUERY_CHARS
    for hit in result.hits:
        assert "<script" not in hit.snippet.lower()


@FAST
@given(params=st.dictionaries(st.sampled_from(["q", "country", "person", "org", "country_scope", "from", "to", "sort",
                                               "page", "size", "unknown", "more"]),
                              st.one_of(param_values, st.lists(param_values, max_size=60)), max_size=8))
def test_any_parameters_give_a_valid_request(gen, params):
    req, messages = from_mapping(params)
    assert 1 <= req.page <= settings.MAX_PAGE
    assert 1 <= req.page_size <= settings.MAX_PAGE_SIZE
    assert all(len(values) <= settings.MAX_FILTER_VALUES for values in req.filters.values())
    assert set(req.filters) <= set(VALUE_FACET_NAMES) and set(req.scopes.values()) <= {"about"}
    assert req.sort in ("relevance", "newest", "oldest")
    result = search(gen, req, messages=messages)
    assert result.total >= 0
    for name in ("country", "person", "org", "date"):
        facet_values(gen, req, name, prefix=(params.get("q") or "")[:5] if isinstance(params.get("q"), str) else "")
