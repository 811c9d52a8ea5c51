"""What is in an index: counts, date range, top values, size, last build."""
from __future__ import annotations

import datetime as dt

import numpy as np

from indexer.engines.whoosh import store
from indexer.engines.whoosh.generation import Generation
from indexer import facets


def index_stats(gen: Generation, top: int = 10) -> dict:
    """What an index holds, for `newsfacet stats` and a quick look after a build."""
    values = gen.values
    live_days = values.day[values.live]
    known = live_days[live_days > 0]
    out = {
        "articles": int(values.live.sum()),
        "dates_unknown": int((live_days == 0).sum()),
        "date_from": dt.date.fromordinal(int(known.min())).isoformat() if len(known) else None,
        "date_to": dt.date.fromordinal(int(known.max())).isoformat() if len(known) else None,
        "index_dir": str(gen.path.parent),
        "generation": gen.path.name,
        "size_bytes": store.dir_size(gen.path),
        "last_build": gen.info.get("built_at"),
        "last_build_command": gen.info.get("command"),
        "last_build_seconds": gen.info.get("seconds"),
    }
    for spec in facets.SIDEBAR_FACETS:     # keyed by the facet's JSON field: distinct_people, top_people…
        mv = values.multi[spec.name]
        order = np.argsort(-mv.doc_freq, kind="stable")[:top]
        out[f"distinct_{spec.json}"] = len(mv.names)
        out[f"top_{spec.json}"] = [{"value": mv.names[i], "count": int(mv.doc_freq[i])} for i in order]
    return out
