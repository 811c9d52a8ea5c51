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
