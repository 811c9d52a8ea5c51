"""Compatibility alias: indexes written before the engine package existed still open.

Whoosh pickles each field's classes (the text field and its analyser's filters) into the
index's table of contents, and every index built before the Whoosh modules moved to
``indexer.engines.whoosh`` names them ``indexer.schema.FastText``, ``indexer.schema.CJKBigramFilter``.
Unpickling that TOC imports this module, so it must stay; nothing else should import it
(new code uses ``indexer.engines.whoosh.schema``).
"""
from indexer.engines.whoosh.schema import CJKBigramFilter, FastAnalyzer, FastText, _TermMaker  # noqa: F401

__all__ = ["CJKBigramFilter", "FastAnalyzer", "FastText", "_TermMaker"]
