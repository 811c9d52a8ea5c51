"""Facets live in the registry (indexer/facets.py) and ingest: the layers that render, store and
search them name none of the facets added through it. The words organisation/organization/org and
author occur in no file of the engines, the web app (templates, scripts, styles and static files
included), the CLI, the plain data, the request parsing or the query language, comments and
docstrings included."""
from __future__ import annotations

import re

import pytest
from conftest import REPO

WORDS = re.compile(r"(?i)\b(organi[sz]ations?|orgs?|authors?)\b")
FOLDERS = ("indexer/engines", "webui", "indexer/querylang")
FILES = ("indexer/cli.py", "indexer/model.py", "indexer/request.py")


def _files() -> list:
    found = [REPO / f for f in FILES]
    for folder in FOLDERS:
        found += [p for p in (REPO / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix != ".pyc"]
    return sorted(found)


def test_the_bar_covers_what_it_names():
    names = {str(p.relative_to(REPO)) for p in _files()}
    assert {"indexer/cli.py", "webui/templates/search.html", "webui/static/app.js", "webui/static/style.css",
            "indexer/engines/opensearch/DESIGN.md", "indexer/querylang/parser.py"} <= names


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_facet_of_the_registry_is_named_outside_it(path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    hits = [f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group()}" for m in WORDS.finditer(text)]
    assert not hits, f"{path.relative_to(REPO)} names a facet: {hits}"


# The facet holding each article's language is named in the registry only, too: the layers find it by
# its ``text_language`` flag (``facets.LANGUAGE``, ``facets.text_language``), never by its name,
# parameter, JSON field or query aliases written out as text (``spec("language")``, ``["lang"]``).
def _language_words() -> re.Pattern:
    from indexer import facets
    spec = facets.LANGUAGE
    words = {spec.name, spec.param, spec.json, *spec.aliases} if spec is not None else {"language", "lang"}
    return re.compile(r"""(["'])(?:%s)\1""" % "|".join(sorted(map(re.escape, words))), re.I)


def test_the_language_facet_is_found_by_its_flag_not_by_name():
    from indexer import facets
    assert facets.LANGUAGE is not None and facets.LANGUAGE.text_language


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_layer_names_the_language_facet(path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    hits = [f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group()}" for m in _language_words().finditer(text)]
    assert not hits, f"{path.relative_to(REPO)} names the language facet: {hits}"
