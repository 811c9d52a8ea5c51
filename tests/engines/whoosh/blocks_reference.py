"""A reference index for the Whoosh engine's position readers: the same documents, written by
Whoosh's own writer with Whoosh's own ``TEXT`` fields, whose posting blocks hold the positions
(the index format before title and body kept them in ``.pos`` files only). Whoosh's ``Phrase``
query matches and scores phrases there, so our readers of the ``.pos`` files are compared with
Whoosh itself rather than with themselves."""
from __future__ import annotations

import shutil
from pathlib import Path

from whoosh import fields
from whoosh import index as whoosh_index

from indexer.engines.whoosh.generation import Generation
from indexer.engines.whoosh.schema import TEXT_ANALYZER, FastText, make_schema, stored_article, to_document


class BlocksText(FastText):
    """``FastText``'s terms in each article's language, with Whoosh's ``Positions`` format: the
    positions pickled in the posting blocks, where Whoosh's own ``Phrase`` reads them."""

    side_positions = False

    def __init__(self, **kwargs):
        fields.TEXT.__init__(self, phrase=True, **kwargs)

    def index(self, value, **kwargs):
        """Whoosh's ``Positions`` postings of the text (terms as ``FastText`` makes them)."""
        boost = self.format.field_boost
        for term, poslist in self.positions(value).items():
            yield term.encode("utf-8"), len(poslist), len(poslist) * boost, self.format.encode(poslist)


def blocks_schema() -> fields.Schema:
    """``make_schema()`` with title and body as ``BlocksText`` (positions in the blocks)."""
    schema = make_schema()
    for name in ("title", "body"):
        boost = schema[name].format.field_boost
        schema.remove(name)
        schema.add(name, BlocksText(analyzer=TEXT_ANALYZER, stored=True, field_boost=boost))
    return schema


def blocks_index(ix, dest: Path):
    """A Whoosh index in ``dest`` holding ``ix``'s documents in the same order, segment for
    segment, with the same deletions, written by Whoosh's writer under ``blocks_schema()``."""
    dest.mkdir(parents=True, exist_ok=True)
    out = whoosh_index.create_in(str(dest), blocks_schema())
    reader = ix.reader()
    deleted = []
    for leaf, base in reader.leaf_readers():
        writer = out.writer()
        for docnum in range(leaf.doc_count_all()):
            writer.add_document(**to_document(stored_article(leaf.stored_fields(docnum))))
            if leaf.is_deleted(docnum):
                deleted.append(base + docnum)
        writer.commit(merge=False)
    reader.close()
    if deleted:
        writer = out.writer()
        for docnum in deleted:
            writer.delete_document(docnum)
        writer.commit(merge=False)
    return out


def blocks_copy(gen: Generation, dest: Path) -> Generation:
    """``blocks_index`` of a generation, with its other files (words, stories, build info)."""
    dest.mkdir(parents=True)
    for f in Path(gen.path).iterdir():
        if f.is_file() and not f.name.startswith("MAIN") and not f.name.startswith("_MAIN"):
            shutil.copy2(f, dest / f.name)
    blocks_index(gen.ix, dest)
    return Generation(dest)
