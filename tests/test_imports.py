"""No import circles in the library or the web app: an import graph check, and each module imported alone."""
import ast
import subprocess
import sys

import pytest

from tests.conftest import REPO

PACKAGES = ("indexer", "webui")


def _modules() -> dict[str, object]:
    out = {}
    for pkg in PACKAGES:
        for path in (REPO / pkg).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path) -> set[str]:
    """Our modules that ``name`` imports anywhere in its file (function-local imports too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [[a.name] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            candidates = [[f"{base}.{a.name}", base] for a in node.names]   # a submodule, else a name in base
        else:
            continue
        for names in candidates:
            for target in names:
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target:
                    if target != name:
                        found.add(target)
                    break
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each a circle of imports."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_local_and_relative_imports():
    assert "indexer.engines.whoosh.schema" in _imports("indexer.engines.whoosh.docvalues",
                                                       MODULES["indexer.engines.whoosh.docvalues"])
    assert {"indexer.engines.whoosh.phrases", "indexer.engines.whoosh.ranking", "indexer.engines.whoosh.matching"} <= \
        _imports("indexer.engines.whoosh.search", MODULES["indexer.engines.whoosh.search"])
    assert "webui.views" in _imports("webui", MODULES["webui"])                       # inside create_app
    assert "indexer.ingest.entities.text" in _imports("indexer.ingest.entities.people",
                                                       MODULES["indexer.ingest.entities.people"])


def test_no_import_circles():
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert _cycles(graph) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_imports_alone_in_a_fresh_interpreter(name):
    run = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
