"""Hand-labelled multilingual development sets: each labelled article's text, read from where it lives.

``bench/labels/multilingual_entities.jsonl`` holds, one line per article, the language, the source,
a key and the people, countries and organisations read in the article (rules: docs/dev-sets.md).
No article text is kept in the repository: ``articles()`` reads each text from its source and yields
``(lang, key, title, body, gold)``; a source that is absent here is skipped (``missing()`` says which).

Sources (``source`` field):
- ``shared:<path>``: a file under the shared corpora ($NEWSFACET_SHARED or ../shared), JSON lines with
  ``title`` and ``body``; the key is the title.
- ``github:<owner>/<repo>@<commit>:<path>``: a file of a fetched repository snapshot, read with
  ``git show`` from ``$NEWSFACET_MIRRORS/<owner>+<repo>/repo`` (default /work/.mirror), or from a plain
  checkout at ``$NEWSFACET_MIRRORS/<owner>+<repo>``. ``format`` says how to cut it into articles:
  ``csv10k`` (10kGNAD: ``label;'text'`` rows, key ``row:N``), ``conll_docstart`` (CoNLL documents,
  key ``doc:N``), ``conll_efe`` (CoNLL-2002 Spanish, documents cut at EFE datelines, key ``doc:N``),
  ``text_files`` (one article per file, first line the title, key = the file's path).

Usage: python bench/multilingual_sets.py   (counts per language; which sources are missing)
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels" / "multilingual_entities.jsonl"
_GITHUB = re.compile(r"github:(?P<repo>[^@]+)@(?P<commit>[0-9a-f]{7,40}):(?P<path>.+)")
# "Madrid , 25 may ( EFE ) ." opens every EFE wire story in CoNLL-2002 Spanish.
_EFE_DATELINE = re.compile(r"(^|\s)\d{1,2} [a-z]{3} \( EFE(COM)? \)")


def shared_dir() -> Path:
    """The shared corpora: $NEWSFACET_SHARED, else ../shared beside the checkout."""
    env = os.environ.get("NEWSFACET_SHARED")
    return Path(env) if env else HERE.parent.parent / "shared"


def mirrors_dir() -> Path:
    """Where fetched repository snapshots live: $NEWSFACET_MIRRORS, else /work/.mirror."""
    return Path(os.environ.get("NEWSFACET_MIRRORS") or "/work/.mirror")


def load_labels(path: Path = LABELS) -> list[dict]:
    """The label records, in file order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=32)
def read_source(source: str) -> str | None:
    """The text of a ``shared:`` or ``github:`` source file, or None when it is not on this machine."""
    if source.startswith("shared:"):
        path = shared_dir() / source[len("shared:"):]
        return path.read_text(encoding="utf-8") if path.is_file() else None
    m = _GITHUB.fullmatch(source)
    if not m:
        raise ValueError(f"unknown source: {source!r}")
    base = mirrors_dir() / m["repo"].replace("/", "+")
    if (base / "repo").is_dir():
        done = subprocess.run(["git", "-C", str(base / "repo"), "show", f"{m['commit']}:{m['path']}"],
                              capture_output=True)
        return done.stdout.decode("utf-8") if done.returncode == 0 else None
    plain = base / m["path"]
    return plain.read_text(encoding="utf-8") if plain.is_file() else None


def _conll_sentences(text: str) -> list[list[tuple[str, str]]]:
    """(word, tag) sentences of a CoNLL file; -DOCSTART- lines kept as one-token sentences."""
    sentences, current = [], []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
                current = []
        elif parts[0] == "-DOCSTART-":
            if current:
                sentences.append(current)
                current = []
            sentences.append([("-DOCSTART-", "O")])
        else:
            current.append((parts[0], parts[-1]))
    if current:
        sentences.append(current)
    return sentences


def conll_documents(text: str, cut: str) -> list[list[list[tuple[str, str]]]]:
    """Documents (lists of sentences) of a CoNLL file, cut at -DOCSTART- (``docstart``) or at EFE
    datelines (``efe``: CoNLL-2002 Spanish has no document marks)."""
    docs: list[list] = []
    for sent in _conll_sentences(text):
        if sent[0][0] == "-DOCSTART-":
            docs.append([])
            continue
        words = " ".join(w for w, _ in sent[:25])
        if cut == "efe" and (_EFE_DATELINE.search(words) or not docs):
            docs.append([])
        if not docs:
            docs.append([])
        docs[-1].append(sent)
    return [d for d in docs if d]


def _split(text: str, fmt: str) -> dict[str, tuple[str, str]]:
    """key -> (title, body) for every article of a source file."""
    if fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        return {r["title"]: (r["title"], r["body"]) for r in rows}
    if fmt == "csv10k":
        rows = csv.reader(io.StringIO(text), delimiter=";", quotechar="'")
        return {f"row:{i}": ("", row[1]) for i, row in enumerate(rows) if len(row) >= 2}
    if fmt in ("conll_docstart", "conll_efe"):
        docs = conll_documents(text, fmt.split("_")[1])
        out = {}
        for i, doc in enumerate(docs):
            lines = [" ".join(w for w, _ in s) for s in doc]
            out[f"doc:{i}"] = (lines[0], "\n".join(lines[1:]))
        return out
    raise ValueError(f"unknown format: {fmt!r}")


def _text_file(text: str) -> tuple[str, str]:
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()


def articles(langs: set[str] | None = None) -> Iterator[tuple[str, str, str, str, dict]]:
    """(lang, key, title, body, gold) for each labelled article whose text is here; gold holds
    ``people``, ``countries`` and ``organisations`` (values may list variants as "A|B")."""
    cache: dict[str, dict] = {}
    for rec in load_labels():
        if langs and rec["lang"] not in langs:
            continue
        fmt = rec.get("format", "jsonl")
        if fmt == "text_files":
            text = read_source(rec["source"].rsplit(":", 1)[0] + ":" + rec["key"])
            if text is None:
                continue
            title, body = _text_file(text)
        else:
            if rec["source"] not in cache:
                text = read_source(rec["source"])
                cache[rec["source"]] = _split(text, fmt) if text is not None else {}
            found = cache[rec["source"]].get(rec["key"])
            if found is None:
                continue
            title, body = found
        gold = {k: list(rec[k]) for k in ("people", "countries", "organisations")}
        yield rec["lang"], rec["key"], title, body, gold


def missing() -> list[str]:
    """Sources named in the labels whose text is not on this machine."""
    out = []
    for rec in load_labels():
        source = rec["source"]
        if rec.get("format") == "text_files":
            source = source.rsplit(":", 1)[0] + ":" + rec["key"]
        if source not in out and read_source(source) is None:
            out.append(source)
    return out


def main() -> int:
    """Print how many labelled articles of each language can be read here."""
    counts: dict[str, list[int]] = {}
    for lang, _key, _title, _body, gold in articles():
        c = counts.setdefault(lang, [0, 0, 0, 0])
        c[0] += 1
        for i, k in enumerate(("people", "countries", "organisations"), 1):
            c[i] += len(gold[k])
    for lang, (n, p, c, o) in sorted(counts.items()):
        print(f"{lang}: {n} articles, {p} people, {c} countries, {o} organisations")
    for source in missing():
        print(f"absent (skipped): {source}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
