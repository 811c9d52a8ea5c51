"""A generation's per-language structures: the small languages' terms answered from memory."""
from __future__ import annotations

import pytest

from indexer.build import index_articles
from indexer.engines.whoosh.schema import TAG
from indexer.engines.whoosh.search import open_index, search
from indexer.request import from_mapping
from tests.conftest import make_article

ENGLISH = [make_article(n, f"Harbour report {n}", f"The harbour authority met about shipping number {n}.",
                        "2020-01-02", language=["en"]) for n in range(1, 41)]
FRENCH = [make_article(41, "Le port rouvre", "Les élections du port ont eu lieu hier.", "2020-01-03", language=["fr"])]
GERMAN = [make_article(42, "Der Hafen", "Die Wahlen im Hafen fanden gestern statt.", "2020-01-04", language=["de"])]


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    root = tmp_path_factory.mktemp("small-languages") / "index"
    index_articles(ENGLISH + FRENCH + GERMAN, root)
    return open_index(root).generation()


def test_only_languages_of_few_articles_are_held_in_memory(gen):
    assert gen.small_terms is not None and gen.small_terms.small == {"fr", "de"}


def test_a_small_language_s_term_is_answered_exactly(gen):
    with gen.searcher() as s:
        reader = s.reader()
        view = gen.held_terms(reader)
        for fieldname in ("title", "body"):
            french = [t for t in reader.lexicon(fieldname) if t.startswith(b"fr" + TAG.encode())]
            assert french and all((fieldname, t) in view for t in french)
            assert (fieldname, b"fr" + TAG.encode() + b"zzzunheard") not in view
            assert (fieldname, b"fr" + TAG.encode() + b"zzzunheard") not in reader
        assert ("body", b"zzzunheard") in view          # English (untagged) is kept unasked


@pytest.mark.parametrize("q", ["élection", "Wahl", "harbour", "hafen OR port", '"port rouvre"', "élect*", "zzzunheard"])
def test_searches_are_the_same_with_the_reader_asked(gen, q):
    req, _ = from_mapping({"q": q})
    small = gen.small_terms
    try:
        found = []
        for mode in (small, None):
            gen.small_terms = mode
            gen.cache.clear()
            with gen.searcher() as s:
                page = search(gen, req, s)
            found.append((page.total, [h.id for h in page.hits], [h.snippet for h in page.hits]))
    finally:
        gen.small_terms = small
    assert found[0] == found[1]
    if q in ("élection", "Wahl"):
        assert found[0][0] == 1
