"""What the article page and the search box ask for beside results: one article, similar ones,
autocomplete and "did you mean"."""
from __future__ import annotations

import re
from typing import Optional

from indexer import facets, languages, settings
from indexer.engines.analysis import typed_languages
from indexer.engines.whoosh.generation import Generation
from indexer.engines.whoosh.hits import to_hit
from indexer.engines.whoosh.query import parse
from indexer.engines.whoosh.schema import InLanguage
from indexer.engines.whoosh.snippets import mark_all
from indexer.engines.whoosh.vocabulary import Vocabulary
from indexer.model import Hit, SearchRequest
from indexer.textkeys import casefold_key


def get_article(gen: Generation, searcher, article_id: str, q: str = "") -> Optional[dict]:
    """One article's stored fields, with its text marked for the query it was reached from."""
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        return None
    fields = dict(searcher.stored_fields(docnum))
    hit = to_hit(fields, set(), None, marked=False)
    lang = facets.text_language(hit.facets)
    terms: set = set()
    if q:       # the query's words in the article's language
        parsed = parse(q, gen.values, gen.vocab, present=(languages.analysis(lang),), reader=searcher.reader())
        terms = {text for _, text in parsed.text_terms}
    body = fields.get("body") or ""
    return {
        "id": hit.id, "title": hit.title, "date": hit.date, "source": fields.get("source"), "url": hit.url,
        "dateline": fields.get("dateline"), "facets": hit.facets, "mentioned": hit.mentioned,
        "body": body, "body_html": mark_all(body, terms, lang), "docnum": docnum,
    }


def more_like_this(gen: Generation, searcher, docnum: int, top: int = settings.MORE_LIKE_THIS) -> list[Hit]:
    """Articles similar to one by its body's key terms (its body analysed in its language), for the
    article page: other stories only (its own copies are listed apart), one article each (the most similar)."""
    fields = searcher.stored_fields(docnum)
    lang = languages.analysis(facets.text_language(fields))
    text = InLanguage(fields.get("body") or "", lang) if lang != languages.ENGLISH else None
    stories = gen.values.stories
    if stories is None:
        return [to_hit(hit.fields(), set(), hit.score)
                for hit in searcher.more_like(docnum, "body", text=text, top=top)]
    own = int(stories.story[docnum])
    wanted = top * 4
    while True:
        results = list(searcher.more_like(docnum, "body", text=text, top=wanted))
        hits, seen = [], {own}
        for hit in results:
            story = int(stories.story[hit.docnum])
            if story not in seen:
                seen.add(story)
                hits.append(to_hit(hit.fields(), set(), hit.score))
        if len(hits) >= top or len(results) < wanted:
            return hits[:top]
        wanted *= 4


def words_of(gen: Generation, langs) -> Vocabulary:
    """The vocabulary a search's words are corrected and completed from: the articles of its one
    analysis language when the index holds several, else every word."""
    return gen.vocab.of(langs[0]) if len(langs) == 1 and len(gen.languages) > 1 else gen.vocab



def complete(gen: Generation, searcher, prefix: str, limit: int = 8,
             req: Optional[SearchRequest] = None) -> list[dict]:
    """Autocomplete: the values of the sidebar's facets and index words starting with ``prefix``
    (most frequent first); the words of the languages ``req`` is narrowed to, if it is.

    A name matches when ``prefix`` starts it or starts any of its words, several words at once
    included: ``kamala h`` finds Kamala Harris, ``jong i`` Kim Jong Il, ``north ko`` North Korea;
    a value shown by a label (a language's name) by its label."""
    key = " ".join(casefold_key(prefix).split())
    if len(key) < 2:
        return []
    out = []
    for spec in facets.SIDEBAR_FACETS:
        kind, mv = spec.name, gen.values.multi[spec.name]
        found = [i for i, n in enumerate(mv.names) if _name_completes(casefold_key(facets.shown_value(spec, n)), key)]
        found.sort(key=lambda i: -int(mv.doc_freq[i]))
        out.extend({"kind": kind, "value": mv.names[i], "count": int(mv.doc_freq[i])} for i in found[:limit])
    last = key.split()[-1] if key.split() else key
    words = words_of(gen, typed_languages(gen.languages, req))
    out.extend({"kind": "word", "value": w, "count": n} for w, n in words.with_prefix(last, limit))
    return out[: limit * 2]


def _name_completes(name: str, key: str) -> bool:
    """Whether ``key`` (folded words) starts ``name`` (folded) or the part of it from one of its words on."""
    if name.startswith(key):
        return True
    return any(name[i + 1:].startswith(key) for i, c in enumerate(name) if c == " ")



def suggest(vocab: Vocabulary, q: str, words: list[str]) -> Optional[str]:
    """The query with rare or unknown words replaced by close, common ones; None when nothing changes."""
    corrected = q
    for word in dict.fromkeys(words):
        better = vocab.correction(word)
        if better:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, corrected, flags=re.IGNORECASE)
    return corrected if corrected != q else None
