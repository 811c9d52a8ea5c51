"""The plain opening of a text, for a hit whose snippet has no match: shared by every engine so
unmarked snippets look the same whichever engine found the article."""
from __future__ import annotations

import html

from indexer import settings


def plain_excerpt(text: str, chars: int = settings.SNIPPET_CHARS) -> str:
    """The opening of a text, cut at a word boundary, escaped (article text is data, not HTML)."""
    text = " ".join(text[: chars * 2].split())
    if len(text) > chars:
        cut = text.rfind(" ", 0, chars)
        text = text[: cut if cut > chars // 2 else chars] + " …"
    return html.escape(text, quote=False)
