"""Indexes written before the Whoosh modules moved (their TOC names ``indexer.schema.FastText``) still open."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO, make_article
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from indexer.build import index_articles
from indexer.engines.whoosh import schema


def _toc_bytes(root) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*.toc"))


def _rewrite_toc_as_before_the_move(root, monkeypatch) -> None:
    """Write the generation's TOC again with Whoosh's own writer, our classes named as the old tree named them."""
    storage = FileStorage(str((root / "current").resolve()))
    toc = TOC.read(storage, "MAIN")
    for cls in (schema.FastText, schema.CJKBigramFilter):
        monkeypatch.setattr(cls, "__module__", "indexer.schema")
    storage.delete_file(toc._filename("MAIN", toc.generation))
    toc.write(storage, "MAIN")
    monkeypatch.undo()


def test_index_naming_the_old_class_path_opens_and_searches(tmp_path, monkeypatch):
    index_articles([make_article(1, "Reactor talks resume", "Envoys met in Beijing about the reactor.")],
                   tmp_path / "ix")
    _rewrite_toc_as_before_the_move(tmp_path / "ix", monkeypatch)
    toc = _toc_bytes(tmp_path / "ix")
    assert b"indexer.schema\nFastText\n" in toc and b"indexer.engines.whoosh.schema" not in toc
    # A fresh interpreter (nothing imported yet) opens it and finds the article by a body word.
    code = ("import sys; from indexer.engines.whoosh.search import open_index, search; "
            "from indexer.model import SearchRequest; gen = open_index(sys.argv[1]).generation(); "
            "print(search(gen, SearchRequest(q='beijing')).total)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "ix")], cwd=REPO,
                         capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.strip() == "1"


def test_the_alias_exports_every_class_a_toc_names(tmp_path):
    import indexer.schema as alias

    index_articles([make_article(1, "Talks", "Envoys met.")], tmp_path / "ix")
    named = set(re.findall(rb"cindexer\.engines\.whoosh\.schema\n(\w+)\n", _toc_bytes(tmp_path / "ix")))
    assert {b"FastText", b"CJKBigramFilter"} <= named
    for name in named:
        assert getattr(alias, name.decode()) is getattr(schema, name.decode())
