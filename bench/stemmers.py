"""Snowball stemming per language: CPU per word and per article for PyStemmer (C) and snowballstemmer
(pure Python), and, given an OpenSearch URL, how many corpus words each stems differently from
Lucene's filter for the same language (the two engines find the same articles only where they agree).

    python bench/stemmers.py [--opensearch http://127.0.0.1:9200] [--words N]

Words: English from ``corpus/`` (the demo corpus) and Reuters-21578, French and Italian from
``../shared/corpus/wikinews_fr_it``, the other languages from the Leipzig sentences of lingua-go's
test data (a git mirror, see bench/languages.py); each set skipped when absent. A word is a run of
letters, lowercased, as the engines lowercase before stemming.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.request
from collections import Counter

from common import CORPUS, REPO, REUTERS, table, write_result
from languages import _git_show

from indexer.languages import LANGUAGES

_WORD = re.compile(r"[^\W\d_]+")
# English: Whoosh's Porter and Lucene's porter_stem (today's analysis) beside Snowball's two.
ENGLISH_PAIRS = (("whoosh porter", "porter_stem"), ("porter", "porter_stem"), ("english", "English"))


def texts(code: str) -> list[str]:
    """Article-sized texts in language ``code`` from the data at hand (empty when none)."""
    if code == "en":
        out = []
        from indexer.ingest.readers import read_file
        from indexer.model import RawArticle
        for path in sorted((REPO / "corpus").glob("*")):
            if path.suffix in (".jsonl", ".txt", ".json"):
                out += [f"{a.title}\n{a.body}" for a in read_file(path) if isinstance(a, RawArticle)]
        if (REUTERS / "reut2-000.sgm").exists():
            out += [f"{a.title}\n{a.body}" for a in read_file(REUTERS / "reut2-000.sgm") if isinstance(a, RawArticle)]
        return out
    if code in ("fr", "it"):
        path = CORPUS / "wikinews_fr_it" / f"wikinews_{code}.jsonl"
        if not path.exists():
            return []
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return [f"{r.get('title') or ''}\n{r.get('body') or ''}" for r in rows]
    name = "nb" if code == "no" else code
    raw = _git_show("pemistahl/lingua-go", f"cmd/language-testdata/sentences/{name}.txt")
    if raw is None:
        return []
    lines = [s for s in raw.splitlines() if s.strip()]
    return [" ".join(lines[i:i + 10]) for i in range(0, len(lines), 10)]     # ~10 sentences an "article"


def words_of(docs: list[str]) -> Counter:
    return Counter(w.lower() for d in docs for w in _WORD.findall(d))


def pystemmer(algorithm: str):
    import Stemmer
    return Stemmer.Stemmer(algorithm).stemWord


def snowballstemmer_fn(algorithm: str):
    """snowballstemmer's pure-Python stemmer (its ``stemmer()`` hands out PyStemmer's when installed).
    Its Snowball is 3.x, where ``dutch`` is a new algorithm: the Porter one is ``dutch_porter``."""
    import importlib
    name = "dutch_porter" if algorithm == "dutch" else algorithm
    module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
    return getattr(module, "".join(p.title() for p in name.split("_")) + "Stemmer")().stemWord


def whoosh_porter():
    from whoosh.lang.porter import stem
    return stem


def cpu_per_word(fn, words: list[str], rounds: int = 3) -> float:
    """Microseconds of CPU per word, uncached (the best of ``rounds``)."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for w in words:
            fn(w)
        best = min(best, time.process_time() - t0)
    return 1e6 * best / max(1, len(words))


def cpu_per_article(fn, docs: list[str]) -> float:
    """Milliseconds of CPU per article to tokenise, lowercase and stem with a memo (as indexing does)."""
    cache: dict[str, str] = {}
    t0 = time.process_time()
    for d in docs:
        for w in _WORD.findall(d):
            term = cache.get(w)
            if term is None:
                term = cache[w] = fn(w.lower())
    return 1000 * (time.process_time() - t0) / max(1, len(docs))


def lucene_stems(url: str, filter_spec, words: list[str]) -> list[str]:
    """``words`` through lowercase + ``filter_spec`` in OpenSearch's _analyze (whitespace tokenizer)."""
    out: list[str] = []
    for i in range(0, len(words), 4000):
        chunk = words[i:i + 4000]
        body = json.dumps({"tokenizer": "whitespace", "filter": ["lowercase", filter_spec],
                           "text": " ".join(chunk)}).encode()
        req = urllib.request.Request(f"{url.rstrip('/')}/_analyze", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            tokens = json.load(resp)["tokens"]
        if len(tokens) != len(chunk):
            raise RuntimeError(f"{filter_spec}: {len(tokens)} tokens for {len(chunk)} words")
        out += [t["token"] for t in tokens]
    return out


def _filter(name: str):
    return name if name == "porter_stem" else {"type": "snowball", "language": name}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--opensearch", default="", help="a cluster's URL, to compare with Lucene's stemmers")
    ap.add_argument("--words", type=int, default=20000, help="distinct words timed per language")
    args = ap.parse_args()
    cost_rows, agree_rows, out = [], [], {"cost": [], "agreement": []}
    for code, lang in LANGUAGES.items():
        if not lang.snowball:
            continue
        docs = texts(code)
        if not docs:
            continue
        counts = words_of(docs)
        vocab = sorted(counts)
        timed = vocab[: args.words]
        py, sb = pystemmer(lang.snowball), snowballstemmer_fn(lang.snowball)
        per_word = cpu_per_word(py, timed)
        # With a memo (as indexing keeps one), a word is stemmed once: the stemmer's share of an
        # article is its new words × the cost of one, the rest is tokenising and dictionary look-ups.
        row = [code, lang.snowball, len(docs), len(vocab), per_word, cpu_per_word(sb, timed),
               len(vocab) / len(docs) * per_word, cpu_per_article(py, docs), cpu_per_article(sb, docs)]
        cost_rows.append(row)
        if args.opensearch:
            pairs = ENGLISH_PAIRS if code == "en" else ((lang.snowball, lang.lucene),)
            for ours_name, theirs in pairs:
                fn = whoosh_porter() if ours_name == "whoosh porter" else pystemmer(ours_name)
                ours = [fn(w) for w in vocab]
                theirs_stems = lucene_stems(args.opensearch, _filter(theirs), vocab)
                differ = [(w, a, b) for w, a, b in zip(vocab, ours, theirs_stems) if a != b]
                weight = sum(counts[w] for w, _, _ in differ) / sum(counts.values())
                agree_rows.append([code, ours_name, theirs, len(vocab), len(differ), weight,
                                   ", ".join(f"{w}→{a}/{b}" for w, a, b in differ[:3])])
    headers = ["lang", "snowball", "articles", "words", "µs/word PyStemmer", "µs/word snowballstemmer",
               "µs/article in PyStemmer", "ms/article PyStemmer", "ms/article snowballstemmer"]
    print(table(headers, cost_rows, title="Stemming CPU: per word uncached; per article with a memo as indexing keeps one "
                "(tokenise, lowercase, stem each new word), and the stemmer's own share of that"))
    out["cost"] = [dict(zip(headers, r)) for r in cost_rows]
    if agree_rows:
        headers = ["lang", "ours", "Lucene", "words", "differ", "share of tokens", "e.g. word→ours/Lucene"]
        print(table(headers, agree_rows, title="\nWords stemmed differently from OpenSearch (Lucene)"))
        out["agreement"] = [dict(zip(headers, r)) for r in agree_rows]
    write_result("stemmers", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
