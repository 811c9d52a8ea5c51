"""Whoosh is imported only inside its engine package (indexer/engines/whoosh/)."""
from __future__ import annotations

import re

from conftest import REPO

IMPORTS_WHOOSH = re.compile(r"^\s*(?:from\s+whoosh[\s.]|import\s+whoosh\b)", re.M)
ENGINE_PACKAGE = REPO / "indexer" / "engines" / "whoosh"


def test_whoosh_is_imported_only_by_its_engine_package():
    offenders = []
    for path in sorted((REPO / "indexer").rglob("*.py")) + sorted((REPO / "webui").rglob("*.py")):
        if ENGINE_PACKAGE in path.parents:
            continue
        if IMPORTS_WHOOSH.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_the_check_sees_an_import():
    assert IMPORTS_WHOOSH.search("x = 1\n    from whoosh.query import Term\n")
    assert IMPORTS_WHOOSH.search("import whoosh\n")
    assert not IMPORTS_WHOOSH.search("# whoosh is our default engine\n")


ENGINE_PACKAGE_IMPORT = re.compile(r"^\s*(?:from\s+indexer\.engines\.whoosh[\s.]|import\s+indexer\.engines\.whoosh\b)", re.M)
SPEAKS_THE_INTERFACE = [REPO / "indexer" / "cli.py", REPO / "indexer" / "request.py", REPO / "indexer" / "facets.py",
                        REPO / "indexer" / "model.py", *sorted((REPO / "webui").rglob("*.py"))]


def test_the_web_app_and_the_cli_reach_the_engine_only_through_its_interface():
    offenders = [str(p.relative_to(REPO)) for p in SPEAKS_THE_INTERFACE
                 if ENGINE_PACKAGE_IMPORT.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    assert ENGINE_PACKAGE_IMPORT.search("    from indexer.engines.whoosh.search import open_index\n")
    assert not ENGINE_PACKAGE_IMPORT.search("from indexer.engines import open_engine\n")
