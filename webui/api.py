"""The JSON API: search, article, one facet's values, and autocomplete suggestions."""
from __future__ import annotations

import re
from typing import Optional

from flask import abort, jsonify, request, url_for

from indexer import facets, settings
from indexer.model import SearchResult, copy_json, result_to_json
from indexer.request import cut_query
from indexer.textkeys import casefold_key
from indexer.settings import SUGGEST_LIMIT, SUGGEST_WORDS
from webui.session import session
from webui.views import (
    VALUE_FACETS, _article_or_404, bp, current_request, facet_prefix, facet_values, run_search, safe_link,
    search_url, story_copies,
)


# ---------------------------------------------------------------- JSON API

def _toggle_url(params: dict) -> str:
    return search_url(params)


@bp.get("/api/search")
def api_search():
    """The search as JSON, the same shape as `newsfacet search --json`."""
    req, messages = current_request()
    return jsonify(result_to_json(run_search(req, messages), toggle_url=_toggle_url))


@bp.get("/api/article/<article_id>")
def api_article(article_id: str):
    """One article as JSON with its similar articles, for clients of the API."""
    q = cut_query(request.args.get("q") or "")
    art = _article_or_404(article_id, q)
    similar = session().similar(art["id"])
    out = {key: value for key, value in art.items() if key not in ("facets", "mentioned")}
    out.update(facets.facet_json(art["facets"], art["mentioned"]))   # under their JSON fields
    out["link"] = safe_link(art.get("url"))   # the URL when it is safe to link (http/https)
    out["html_url"] = url_for("webui.article", article_id=art["id"])
    out["more_like_this"] = [{"id": h.id, "title": h.title, "date": h.date} for h in similar if h.id != art["id"]]
    copies, total = story_copies(art)
    out["copies"] = [copy_json(h) for h in copies if h.id != art["id"]]    # the other articles of its story
    out["copies_total"] = max(0, total - 1)
    return jsonify(out)


@bp.get("/api/facets/<name>")
def api_facet(name: str):
    """``/api/facets/<name>?prefix=kel&q=…``: the facet's values matching a prefix (sidebar facets)."""
    if name not in VALUE_FACETS:
        abort(404)
    req, messages = current_request()
    try:
        limit = int(request.args.get("limit") or 20)
    except ValueError:
        limit = 20
    limit = max(1, min(limit, settings.MAX_FACET_SIZE))
    facet = facet_values(req, name, facet_prefix(), limit)
    shaped = result_to_json(SearchResult(request=req, total=0, hits=[], facets={name: facet}),
                            toggle_url=_toggle_url)["facets"][name]
    return jsonify({"name": name, "prefix": facet_prefix(), **shaped, "messages": messages})


# ---------------------------------------------------------------- autocomplete

# A first typed word naming a sidebar facet's query field (its name or an alias: ``people:``, ``by:``…).
_FIELDS = {word: spec.name for word, spec in facets.BY_ALIAS.items() if spec in facets.SIDEBAR_FACETS}
_FIELD_PREFIX = re.compile(rf"^(-?)({'|'.join(sorted(_FIELDS, key=len, reverse=True))}):\"?(.*)$", re.IGNORECASE)


def _shown(found: dict) -> str:
    """A completion's text: a word as it is, a facet's value as the page shows it (a language's name)."""
    return found["value"] if found["kind"] == "word" else facets.shown_value(facets.spec(found["kind"]), found["value"])


def _quote(name: str) -> str:
    return '"' + name.replace('"', "") + '"'


def _completion_window(words: list[str]) -> Optional[tuple[str, Optional[str], str]]:
    """(sign, facet, prefix) for typed words a completion would replace, or None when they can't
    be one name: only the first may carry ``-`` or a facet's field (``person:``), none is an operator."""
    sign, field = "", None
    first = words[0]
    m = _FIELD_PREFIX.match(first)
    if m:
        sign, field, first = m.group(1), _FIELDS[m.group(2).lower()], m.group(3)
    elif first.startswith("-"):
        sign, first = "-", first[1:]
    rest = words[1:]
    if any(":" in w or w.startswith("-") or w in ("AND", "OR", "NOT") for w in rest):
        return None
    return sign, field, " ".join([first, *rest]).strip('"() ')


@bp.get("/api/suggest")
def api_suggest():
    """Completions for the last words typed: the sidebar facets' values and index words (the engine's ``complete``).

    ``?q=…`` gives ``{"query", "suggestions": [{"text", "kind", "label", "count", "q"}]}`` (``kind``: the
    facet's name, or "term" for a word; ``label``: what it is, for people) where ``q`` is the whole
    query with the words the completion replaces swapped for it: ``north ko`` → ``country:"North Korea"``,
    ``kamala h`` → ``person:"Kamala Harris"``, ``nuclear re`` → ``nuclear reactor``. When names complete
    several typed words, names completing fewer are left out; ``&format=opensearch`` gives
    ``[query, [completions]]``.
    """
    typed = (request.args.get("q") or "")[: settings.MAX_QUERY_CHARS]
    typing, _ = current_request()      # the search being typed: its filters narrow the words' languages
    words = typed.split(" ")
    entities: list[dict] = []
    words_found: list[dict] = []
    for n in range(min(SUGGEST_WORDS, len(words)), 0, -1):
        window = _completion_window(words[-n:])
        if window is None or (entities and n > 1):
            continue
        sign, field, prefix = window
        if len(casefold_key(prefix)) < 2:
            continue
        head = " ".join(words[:-n])
        head = head + " " if head.strip() else ""
        found = session().complete(prefix, SUGGEST_LIMIT, typing)
        if not entities:     # names that complete more of the typed words win over the rest
            for f in sorted((f for f in found if f["kind"] != "word" and (not field or f["kind"] == field)),
                            key=lambda f: -f["count"]):
                entities.append({**f, "q": f"{head}{sign}{f['kind']}:{_quote(f['value'])}"})
        if n == 1 and not field:
            words_found = [{**f, "q": f"{head}{sign}{f['value']}"} for f in found if f["kind"] == "word"]
    chosen = entities[: SUGGEST_LIMIT - min(len(words_found), 3)]
    chosen += words_found[: SUGGEST_LIMIT - len(chosen)]
    suggestions = [{"text": _shown(f), "kind": "term" if f["kind"] == "word" else f["kind"],
                    "label": "word" if f["kind"] == "word" else facets.spec(f["kind"]).noun,
                    "count": f["count"], "q": f["q"]} for f in chosen]
    if request.args.get("format") == "opensearch":
        return jsonify([typed, [s["q"] for s in suggestions]])
    return jsonify({"query": typed, "suggestions": suggestions})
