"""Every public function, class and method of the library and the web app says why it exists, in a docstring."""
import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

MODULES = sorted(p for pkg in ("indexer", "webui") for p in (REPO / pkg).rglob("*.py"))


def _public_definitions(tree: ast.AST, qual: str = ""):
    """Top-level functions and classes, and the methods of public classes (nested helpers are private)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            yield f"{qual}{node.name}", node
            if isinstance(node, ast.ClassDef):
                yield from _public_definitions(node, f"{qual}{node.name}.")


def test_the_walk_sees_the_packages():
    names = {p.relative_to(REPO).as_posix() for p in MODULES}
    assert {"indexer/engines/whoosh/search.py", "indexer/engines/whoosh/query.py", "webui/views.py",
            "indexer/ingest/readers/html/__init__.py"} <= names
    tree = ast.parse((REPO / "indexer" / "engines" / "whoosh" / "generation.py").read_text())
    found = dict(_public_definitions(tree))
    assert "open_index" in found and "Generation.generation" not in found and "Index.generation" in found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_public_definition_has_a_docstring(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert (ast.get_docstring(tree) or "").strip() or path.name == "__init__.py" and not path.read_text().strip(), \
        f"{path.name} has no module docstring"
    missing = [f"{path.name}:{node.lineno} {name}" for name, node in _public_definitions(tree)
               if not (ast.get_docstring(node) or "").strip()]
    assert not missing, "public definitions without a docstring (one line saying why): " + ", ".join(missing)
