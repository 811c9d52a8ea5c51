"""An index written by an earlier Newsfacet (no index format recorded, its table of contents naming
the field classes where that version kept them) is refused in one line, before Whoosh reads it:
by the CLI (exit 1), the web app (a 503 page with the message) and ``update``."""
from __future__ import annotations

import sys
import types

from click.testing import CliRunner
from conftest import make_article
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from indexer.build import index_articles
from indexer.cli import main
from indexer.engines.base import INDEX_FORMAT
from indexer.engines.whoosh import schema, store


def _as_written_by_an_earlier_version(root, monkeypatch) -> None:
    """No format in build.json, and the TOC written again naming ``indexer.schema.FastText`` (the
    module that version had), which this one no longer has."""
    gen = store.current_generation(root)
    info = store.read_build_info(gen)
    assert info.pop("format") == INDEX_FORMAT
    store.write_build_info(gen, info)
    storage = FileStorage(str(gen))
    toc = TOC.read(storage, "MAIN")
    old_module = types.ModuleType("indexer.schema")        # where that version kept the classes
    monkeypatch.setitem(sys.modules, "indexer.schema", old_module)
    for cls in (schema.FastText, schema.CJKBigramFilter):
        monkeypatch.setattr(cls, "__module__", "indexer.schema")
        setattr(old_module, cls.__name__, cls)
    storage.delete_file(toc._filename("MAIN", toc.generation))
    toc.write(storage, "MAIN")
    monkeypatch.undo()
    assert b"indexer.schema\nFastText\n" in b"".join(p.read_bytes() for p in gen.glob("*.toc"))


def test_an_earlier_index_is_refused_in_one_line_everywhere(tmp_path, monkeypatch):
    root = tmp_path / "ix"
    index_articles([make_article(1, "Reactor talks resume", "Envoys met in Beijing about the reactor.")], root)
    _as_written_by_an_earlier_version(root, monkeypatch)
    line = (f"This index was built by an earlier Newsfacet (format 1, now {INDEX_FORMAT}): "
            f"run `newsfacet rebuild PATH… --index {root}` to rebuild it with facets kept in the registry, "
            "stories, per-language analysis and a smaller index.")
    runner = CliRunner()
    for args in (["search", "beijing"], ["stats"]):
        result = runner.invoke(main, [*args, "--index", str(root)])
        assert result.exit_code == 1 and result.output == f"Error: {line}\n", args
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Harbour reopens\n\nThe harbour reopened after the storm.\n", encoding="utf-8")
    update = runner.invoke(main, ["update", str(corpus), "--index", str(root), "--quiet"])
    assert update.exit_code == 1 and update.output == f"Error: {line}\n"
    assert not (root / store.LOCK).read_text()          # refused before the build lock was taken

    from webui import create_app
    client = create_app({"INDEX": str(root), "TESTING": True}).test_client()
    page = client.get("/?q=beijing")
    assert page.status_code == 503 and "format 1, now" in page.get_data(as_text=True)
    assert client.get("/api/search?q=beijing").get_json()["error"]["message"] == line

    rebuilt = runner.invoke(main, ["rebuild", str(corpus), "--index", str(root), "--quiet"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert '"total": 1' in runner.invoke(main, ["search", "harbour", "--index", str(root), "--json"]).output
