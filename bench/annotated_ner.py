"""Openly available human-annotated NER sets in other languages, as per-document entity sets.

Each loader yields dicts ``{"set", "lang", "id", "title", "body", "PER", "ORG", "LOC", "MISC", "countries"}``:
the entity strings of one document (maximal B-/I- runs of one type, tokens joined by spaces), and
``countries``, the LOC entities that are country names in the document's language (CLDR names through
babel when it is installed, else the ISO 3166 names pycountry ships translated), as canonical English
names. No annotated text is kept in the repository: files are read from a fetched repository snapshot
(``bench/multilingual_sets.read_source``) or from a directory an environment variable names, and a set
that is absent yields nothing. Licences and provenance: docs/dev-sets.md.

- CoNLL-2002 Spanish (EFE wire, May 2000; no document marks, so documents are cut at EFE datelines)
  and Dutch (De Morgen, 2000; sentences shuffled within each article): ``conll2002(lang, split)``;
  $NEWSFACET_CONLL2002 = a directory holding esp.train, ned.testb, ...
- HIPE-2022 German historical newspapers (newseye, CC BY 4.0; sonar, CC BY 4.0; hipe2020,
  CC BY-NC-SA 4.0): ``hipe2022(dataset, lang, split)``; $NEWSFACET_HIPE2022 = the repository's
  ``data/v2.1`` directory.
- GermEval 2014 German (Wikipedia and news sentences, CC BY 4.0; one sentence per document, news
  sentences only): ``germeval2014(path)``; $NEWSFACET_GERMEVAL2014 = NER-de-test.tsv (or another split).

Usage: python bench/annotated_ner.py   (documents and entities per available set)
"""
from __future__ import annotations

import gettext
import os
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from multilingual_sets import conll_documents, read_source  # noqa: E402

CONLL2002 = "github:YaxinCui/conll@0e6f90354523a663ddaca3253f8072d885142075:"
HIPE2022 = "github:hipe-eval/HIPE-2022-data@147f5bc3c7fb7e5c6b024a9ffd6503cd019fb9ea:data/v2.1/"
TYPES = ("PER", "ORG", "LOC", "MISC")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).replace("-", " ").split())


@lru_cache(maxsize=16)
def country_names(lang: str) -> dict[str, str]:
    """Folded country name in ``lang`` -> canonical English name (CLDR via babel when installed,
    else pycountry's translated ISO 3166 names, short forms before a comma included)."""
    import pycountry
    try:
        from indexer.ingest.entities import canonical_country
    except ImportError:          # run outside the checkout: keep pycountry's English names
        def canonical_country(name: str) -> str | None:
            return name
    english = {c.alpha_2: canonical_country(getattr(c, "common_name", c.name)) or c.name
               for c in pycountry.countries}
    names: dict[str, str] = {}
    try:
        from babel import Locale
        for code, name in Locale.parse(lang).territories.items():
            if code in english:
                names[_fold(name)] = english[code]
    except ImportError:
        pass
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        tr = gettext.NullTranslations()
    for c in pycountry.countries:
        for attr in ("common_name", "name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                local = tr.gettext(value)
                names.setdefault(_fold(local), english[c.alpha_2])
                names.setdefault(_fold(local.split(",")[0]), english[c.alpha_2])
    return names


def entity_runs(tokens: list[tuple[str, str]]) -> dict[str, set[str]]:
    """PER/ORG/LOC strings of tagged tokens (IOB1 or IOB2; other types and suffixed tags ignored)."""
    found: dict[str, set[str]] = {t: set() for t in TYPES}
    run: list[str] = []
    kind = None
    for word, tag in tokens + [("", "O")]:
        prefix, _, typ = tag.partition("-")
        continues = prefix == "I" and typ == kind
        if run and not continues:
            found[kind].add(" ".join(run))
            run, kind = [], None
        if prefix in ("B", "I") and typ in TYPES:
            if not run:
                kind = typ
            run.append(word)
    return found


def _doc(set_name: str, lang: str, doc_id: str, sentences: list[list[tuple[str, str]]]) -> dict:
    tokens = [t for s in sentences for t in s]
    found = entity_runs(tokens)
    names = country_names(lang)
    lines = [" ".join(w for w, _ in s) for s in sentences]
    return {"set": set_name, "lang": lang, "id": doc_id, "title": lines[0], "body": "\n".join(lines[1:]),
            **found, "countries": {names[_fold(loc)] for loc in found["LOC"] if _fold(loc) in names}}


def _read(env: str, base: str, rel: str) -> str | None:
    directory = os.environ.get(env)
    if directory:
        path = Path(directory) / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None
    return read_source(base + rel)


def conll2002(lang: str = "es", split: str = "testb") -> Iterator[dict]:
    """CoNLL-2002 documents: ``lang`` es (EFE, cut at datelines) or nl (De Morgen, -DOCSTART-)."""
    prefix = {"es": "esp", "nl": "ned"}[lang]
    text = _read("NEWSFACET_CONLL2002", CONLL2002, f"{prefix}.{split}")
    if text is None:
        return
    for i, doc in enumerate(conll_documents(text, "efe" if lang == "es" else "docstart")):
        yield _doc(f"conll2002-{prefix}.{split}", lang, f"doc:{i}", doc)


def hipe2022(dataset: str = "newseye", lang: str = "de", split: str = "dev") -> Iterator[dict]:
    """HIPE-2022 documents (``# hipe2022:document_id`` blocks), coarse literal tags."""
    rel = f"{dataset}/{lang}/HIPE-2022-v2.1-{dataset}-{split}-{lang}.tsv"
    text = _read("NEWSFACET_HIPE2022", HIPE2022, rel)
    if text is None:
        return
    doc_id, sentences, current = None, [], []
    for line in text.splitlines() + ["# hipe2022:document_id = <end>"]:
        if line.startswith("# hipe2022:document_id"):
            if current:
                sentences.append(current)
            if doc_id and sentences:
                yield _doc(f"hipe2022-{dataset}-{split}", lang, doc_id, sentences)
            doc_id, sentences, current = line.split("=", 1)[1].strip(), [], []
            continue
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 2 or parts[0] == "TOKEN":
            continue
        current.append((parts[0], parts[1]))
        if "EndOfSentence" in parts[-1] or "EndOfLine" in parts[-1]:
            sentences.append(current)
            current = []


def germeval2014(path: str | None = None) -> Iterator[dict]:
    """GermEval 2014 sentences from news sources (a ``#`` line with a non-Wikipedia URL), each a
    document; the outer tag column, ``deriv``/``part`` tags ignored."""
    path = path or os.environ.get("NEWSFACET_GERMEVAL2014")
    if not path or not Path(path).is_file():
        return
    source, tokens, n = "", [], 0
    for line in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            source = line
        elif line.strip():
            parts = line.split("\t")
            tokens.append((parts[1], parts[2]))
        elif tokens:
            if "wikipedia.org" not in source:
                yield _doc("germeval2014", "de", f"sent:{n}", [tokens])
            n += 1
            tokens = []


def main() -> int:
    """Print document and entity counts for each set that is available here."""
    sets = [("conll2002 es testb", conll2002("es", "testb")), ("conll2002 nl testb", conll2002("nl", "testb")),
            ("hipe2022 newseye de dev", hipe2022("newseye", "de", "dev")),
            ("hipe2022 sonar de dev", hipe2022("sonar", "de", "dev")), ("germeval2014", germeval2014())]
    for name, docs in sets:
        n, counts = 0, {k: 0 for k in (*TYPES, "countries")}
        for d in docs:
            n += 1
            for k in counts:
                counts[k] += len(d[k])
        print(f"{name}: " + (f"{n} documents, " + ", ".join(f"{v} {k}" for k, v in counts.items())
                             if n else "absent (skipped)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
