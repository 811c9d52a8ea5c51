"""The engine interface: what every search engine behind Newsfacet provides.
"""
from __future__ import annotations


class BuildError(Exception):
    """The build could not produce an index; the message says why, the old index is untouched."""
