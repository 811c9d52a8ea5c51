"""Generates the committed request mix ``bench/queries.json`` from word lists only.

Inputs are lists, never article text: the index's word table (``words.tsv``: word → documents),
its country and person names with document counts (DocValues), and a table of two-word
sequences with document counts (for phrases), all computed from Reuters-21578. A fixed seed
makes the mix reproducible:

    python bench/make_queries.py --index bench/data/index-x1 [--seed 5] [--per-class 24]

Every request is a full page: count, top 10, snippets, three facets. Classes (the primary
feature; secondary ones are mixed in at random): one rare word (``low``), 1–2 medium words,
1–3 common words (``high``), a phrase, ``OR``, facet filters (1–2), a date range, sort by date,
page 5, browsing (no words: filters only, newest first), and ``hostile``: what users also type,
wildcards of every shape (``*``, ``**``, ``?``, ``??*``, ``co*``, ``*tion``, ``*e*``, ``title:*``,
``b* OR c*``), long pastes (word sequences up to past MAX_QUERY_CHARS), deep pages and
operators alone. ``--add-hostile`` replaces only the hostile class of an existing mix.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

from common import QUERIES, REUTERS

# Function words are not what people type; they are left out of the word pools.
STOP = set("""a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its itself just me more most my no nor not now of
off on once only or other our out over own same she should so some such than that the their them then
there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your also said says mln dlrs pct cts reuter inc corp co ltd vs""".split())
_WORD = re.compile(r"[^\W\d_]{3,}")
YEARS = [1987 + 5 * k for k in range(5)]   # the years of Reuters ×5 (copy k shifted by 5k)


def word_pools(index_dir: Path, ndocs: int) -> dict[str, list[str]]:
    from indexer.engines.whoosh.vocabulary import read_counts
    from indexer.engines.whoosh.store import require_generation
    counts = read_counts(require_generation(index_dir))
    words = [(w, n) for w, n in counts.items() if len(w) >= 3 and w.isalpha() and w.isascii() and w not in STOP]
    frac = lambda n: n / ndocs   # noqa: E731
    return {
        "low": sorted(w for w, n in words if 5 <= n <= 40),
        "medium": sorted(w for w, n in words if 0.004 <= frac(n) <= 0.03),
        "high": sorted(w for w, n in words if frac(n) >= 0.06),
    }


def bigram_pool(min_docs: int = 20) -> list[str]:
    """Two-word sequences (no function words) found in at least ``min_docs`` articles."""
    from indexer.ingest.pipeline import process_file
    seen: Counter = Counter()
    for f in sorted(REUTERS.glob("reut2-*.sgm")):
        for art in process_file(str(f), str(REUTERS)).articles:
            words = [w.lower() for w in _WORD.findall(art.body)]
            seen.update({f"{a} {b}" for a, b in zip(words, words[1:]) if a not in STOP and b not in STOP})
    return sorted(p for p, n in seen.items() if n >= min_docs)


def facet_pools(index_dir: Path) -> tuple[dict[str, list[tuple[str, int]]], int]:
    from indexer.engines.whoosh.search import open_index
    gen = open_index(index_dir).generation()
    pools = {}
    for name, top in (("country", 120), ("person", 200)):
        mv = gen.values.multi[name]
        order = sorted(range(len(mv.names)), key=lambda i: -int(mv.doc_freq[i]))[:top]
        pools[name] = [(mv.names[i], int(mv.doc_freq[i])) for i in order]
    return pools, gen.doc_count


def generate(index_dir: Path, seed: int, per_class: int) -> dict:
    facets, ndocs = facet_pools(index_dir)
    words = word_pools(index_dir, ndocs)
    phrases = bigram_pool()
    rnd = random.Random(seed)

    def pick_facet(name):
        values, weights = zip(*facets[name])
        return rnd.choices(values, weights=[w ** 0.5 for w in weights])[0]

    def filters(n):
        out = {"countries": [], "people": []}
        for _ in range(n):
            kind = rnd.choice(["countries", "countries", "people"])
            value = pick_facet("country" if kind == "countries" else "person")
            if value not in out[kind]:
                out[kind].append(value)
        return out

    def date_range():
        year = rnd.choice(YEARS)
        shape = rnd.choice(["year", "months", "span"])
        if shape == "year":
            return f"{year}-01-01", f"{year}-12-31"
        if shape == "months":
            start = rnd.randint(2, 9)
            return f"{year}-{start:02d}-01", f"{year}-{start + 1:02d}-28"
        return f"{YEARS[0]}-01-01", f"{rnd.choice(YEARS[1:])}-12-31"

    def base(cls, q):
        return {"class": cls, "q": q, "countries": [], "people": [], "from": None, "to": None,
                "sort": "relevance", "page": 1}

    def spice(req, filter_p=0.2, date_p=0.15, sort_p=0.1):
        """Secondary features at random, so every class also meets filters, dates and sorting."""
        if rnd.random() < filter_p:
            req.update(filters(rnd.randint(1, 2)))
        if rnd.random() < date_p:
            req["from"], req["to"] = date_range()
        if rnd.random() < sort_p:
            req["sort"] = rnd.choice(["newest", "oldest"])
        return req

    requests = []
    for _ in range(per_class):
        requests.append(spice(base("low", rnd.choice(words["low"]))))
        requests.append(spice(base("medium", " ".join(rnd.sample(words["medium"], rnd.randint(1, 2))))))
        requests.append(spice(base("high", " ".join(rnd.sample(words["high"], rnd.randint(1, 3))))))
        requests.append(spice(base("phrase", f'"{rnd.choice(phrases)}"')))
        terms = rnd.sample(words["medium"] + words["high"], rnd.randint(2, 3))
        requests.append(spice(base("or", " OR ".join(terms))))
        req = base("facets", " ".join(rnd.sample(words["medium"] + words["high"], rnd.randint(1, 2))))
        req.update(filters(rnd.randint(1, 2)))
        requests.append(spice(req, filter_p=0))
        req = base("date", " ".join(rnd.sample(words["medium"] + words["high"], rnd.randint(1, 2))))
        req["from"], req["to"] = date_range()
        requests.append(spice(req, date_p=0))
        req = base("sort", " ".join(rnd.sample(words["medium"] + words["high"], rnd.randint(1, 2))))
        req["sort"] = rnd.choice(["newest", "newest", "oldest"])
        requests.append(spice(req, sort_p=0))
        req = base("page5", " ".join(rnd.sample(words["high"], rnd.randint(1, 2))))
        req["page"] = 5
        requests.append(spice(req))
        req = base("browse", "")
        req["sort"] = "newest"
        if rnd.random() < 0.7:
            req.update(filters(rnd.randint(1, 2)))
        if rnd.random() < 0.4:
            req["from"], req["to"] = date_range()
        requests.append(req)
    requests += hostile(words, seed, per_class)
    return {"seed": seed, "source": "Reuters-21578 word, bigram and facet-name lists (no article text)",
            "classes": ["low", "medium", "high", "phrase", "or", "facets", "date", "sort", "page5", "browse",
                        "hostile"],
            "requests": requests}


def hostile(words: dict[str, list[str]], seed: int, n: int) -> list[dict]:
    """The hostile class: wildcards of every shape, long pastes, deep pages, operators alone.
    Its own random sequence, so adding it leaves the other classes as they were."""
    rnd = random.Random(seed * 1000 + 13)
    letters = "abcdefghijklmnopqrstuvwxyz"
    common = words["high"] + words["medium"]
    function_words = sorted(STOP - {"mln", "dlrs", "pct", "cts", "reuter", "inc", "corp", "co", "ltd", "vs"})
    shapes = [
        lambda: "*", lambda: "**", lambda: "*" * rnd.randint(3, 20), lambda: "?", lambda: "??*",
        lambda: rnd.choice(letters) + "*", lambda: rnd.choice(common)[:2] + "*",
        lambda: "*" + rnd.choice(["tion", "ing", "ed", "s", "er", "ly"]), lambda: "*" + rnd.choice(letters) + "*",
        lambda: "title:*", lambda: f"title:{rnd.choice(letters)}*",
        lambda: f"{rnd.choice(letters)}* OR {rnd.choice(letters)}*",
        lambda: f"{rnd.choice(letters)}* -{rnd.choice(common)}",
        lambda: (lambda w: w[0] + "*" + w[-1])(rnd.choice(common)), lambda: rnd.choice(common)[:4] + "?*",
    ]

    def paste(chars: int) -> str:
        out: list[str] = []
        while sum(map(len, out)) + len(out) < chars:
            out.append(rnd.choice(function_words) if rnd.random() < 0.4 else rnd.choice(common))
        return " ".join(out)

    def req(q: str, page: int = 1, sort: str = "relevance") -> dict:
        return {"class": "hostile", "q": q, "countries": [], "people": [], "from": None, "to": None,
                "sort": sort, "page": page}

    out = []
    for i in range(n):
        kind = i % 4
        if kind in (0, 1):
            out.append(req(rnd.choice(shapes)()))
        elif kind == 2:
            out.append(req(paste(rnd.choice([80, 200, 400, 1000, 1300]))))
        else:
            page = rnd.choice([20, 50, 100, 1000])
            q = rnd.choice(["", " ".join(rnd.sample(words["high"], rnd.randint(1, 2))), rnd.choice(letters) + "*",
                            "AND OR", "NOT"])
            out.append(req(q, page, "newest" if not q else "relevance"))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True, help="an index of Reuters-21578 (×1)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--per-class", type=int, default=24)
    ap.add_argument("--out", type=Path, default=QUERIES)
    ap.add_argument("--add-hostile", action="store_true",
                    help="keep the mix in --out and replace only its hostile class")
    args = ap.parse_args(argv)
    if args.add_hostile:
        mix = json.loads(args.out.read_text())
        _, ndocs = facet_pools(args.index)
        mix["requests"] = [r for r in mix["requests"] if r["class"] != "hostile"] + \
            hostile(word_pools(args.index, ndocs), mix["seed"], args.per_class)
        mix["classes"] = [c for c in mix["classes"] if c != "hostile"] + ["hostile"]
    else:
        mix = generate(args.index, args.seed, args.per_class)
    args.out.write_text(json.dumps(mix, indent=1) + "\n")
    print(f"{len(mix['requests'])} requests → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
