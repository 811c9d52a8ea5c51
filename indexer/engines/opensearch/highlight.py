"""Highlighted snippets from OpenSearch: article text escaped, with only our own ``<mark>`` tags.

Article text is data, never HTML: the highlighter runs with ``"encoder": "html"``, which escapes
the text around the ``<mark>``/``</mark>`` tags it inserts, so a ``<script>`` in a body reaches the
page as text. Its encoder (Lucene's SimpleHTMLEncoder) also writes every non-ASCII character and
``"``, ``'`` and ``/`` as entities; those are turned back into characters (never ``<``, ``>`` or ``&``), so a
snippet reads as the Whoosh engine's (``engines.whoosh.snippets``) does: fragments around the
matched words, document order, joined with " … " within ``SNIPPET_CHARS``, and the opening of the
body when nothing in it matched.
"""
from __future__ import annotations

import html
import re
from typing import Optional

from indexer import facets, languages, settings
from indexer import querylang as ql
from indexer.engines.opensearch.mapping import facet_values, text_field, texts
from indexer.excerpts import plain_excerpt

PRE, POST = "<mark>", "</mark>"
BETWEEN = " … "
_ENTITY = re.compile(r"&#(\d+);|&#[xX]([0-9a-fA-F]+);|&quot;")
_KEEP = frozenset("<>&")       # the only characters that stay entities
_TAG = re.compile(r"</?mark>")


def _text_nodes(node):
    if isinstance(node, (ql.Word, ql.Phrase, ql.Pattern)):
        yield node
    elif isinstance(node, (ql.All, ql.Any)):
        for child in node.children:
            yield from _text_nodes(child)


def spec(query: Optional[ql.Query], whole_body: bool = False, langs=(languages.ENGLISH,)) -> dict:
    """The request's ``highlight``: the body's fragments around the query's words (``whole_body``:
    all of it marked, for the article page), in the body field of each analysis language in
    ``langs``; ``{}`` when the query has no words to mark."""
    if query is None or query.empty or not any(True for _ in _text_nodes(query.tree)):
        return {}
    per_fragment = max(60, settings.SNIPPET_CHARS // 2)
    body: dict = {"type": "unified"}
    if whole_body:
        body["number_of_fragments"] = 0
    else:
        body.update({"fragment_size": per_fragment, "number_of_fragments": settings.SNIPPET_FRAGMENTS})
    out = {"pre_tags": [PRE], "post_tags": [POST], "encoder": "html", "require_field_match": True,
           "fields": {text_field("body", lang): body for lang in langs}}
    if not whole_body:
        out["max_analyzer_offset"] = settings.HIGHLIGHT_SCAN_CHARS
    return out


def _decode(fragment: str) -> str:
    """The encoder's entities back as characters (non-ASCII letters, quotes, ``'``, ``/``), all but
    ``<``, ``>`` and ``&``, which stay escaped: the fragment is then escaped as Whoosh's are."""
    def one(m):
        if m.group(0) == "&quot;":
            return '"'
        code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        char = chr(code) if 0 < code < 0x110000 else ""
        return m.group(0) if not char or char in _KEEP else char
    return _ENTITY.sub(one, fragment)


def snippet(source: dict, highlight: dict, chars: int = settings.SNIPPET_CHARS) -> str:
    """A hit's snippet: its body fragments with marks, joined within ``chars`` visible characters,
    or the escaped opening of its body (its title when it has none)."""
    out, used = [], 0
    for fragment in (highlight or {}).get(_body_field(source)) or []:
        if PRE not in fragment:
            continue
        fragment = _decode(fragment)
        length = len(html.unescape(_TAG.sub("", fragment)))
        if out and used + length > chars:
            break
        out.append(fragment)
        used += length
    if out:
        return BETWEEN.join(out).replace(POST + PRE, "")
    title, body = texts(source)
    return plain_excerpt(body or title, chars)


def _body_field(source: dict) -> str:
    """The field holding a document's body: its analysis language's."""
    values, _ = facet_values(source)
    return text_field("body", languages.analysis(facets.text_language(values)))


def mark_body(source: dict, highlight: dict) -> str:
    """The whole body, escaped, with the query's words marked (article page); the plain escaped
    body when nothing was highlighted."""
    fragments = (highlight or {}).get(_body_field(source)) or []
    if fragments:
        return _decode("".join(fragments))
    return html.escape(texts(source)[1], quote=False)
