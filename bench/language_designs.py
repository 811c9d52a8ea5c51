"""A prototype, on plain Whoosh (not the engine), of two designs for searching every language's
analysis: language-tagged terms in one field ("es\\x1felect") and a field per language, beside
today's analysis (every language through English Porter). Figures in docs/languages.md §3.1.

    python bench/language_designs.py

Articles: English Wikinews 2019–2020, French and Italian Wikinews (../shared/corpus), and
pseudo-articles of ten Leipzig sentences in es, de, nl, pt, sv, ru (lingua-go's test data, a git
mirror: see bench/languages.py). TIME (../shared/corpus/time) for the English ranking check.
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
import time

from whoosh import fields, index, query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.lang.porter import stem as porter

from common import CORPUS, TIME_DIR
from languages import _git_show
import relevance

from indexer.languages import fold, stemmer

SEP = "\x1f"
_WORD = re.compile(r"\w+(?:\.?\w+)*")
MODES = ("today", "tagged", "fields")


def terms(lang: str, text: str, tagged: bool = True) -> list[str]:
    """``text``'s terms in ``lang``'s analysis (English: Whoosh's Porter); tagged unless English."""
    stem = porter if lang == "en" else stemmer(lang)
    out = [fold(stem(w.lower())) for w in _WORD.findall(text)]
    return out if lang == "en" or not tagged else [f"{lang}{SEP}{t}" for t in out]


def load_docs() -> list[tuple[str, str, str]]:
    """(language, title, body) of the mixed collection."""
    docs = []
    for line in open(CORPUS / "wikinews_2019_2020" / "wikinews_2019_2020.jsonl", encoding="utf-8"):
        o = json.loads(line)
        docs.append(("en", o["title"], o["text"]))
    for lang in ("fr", "it"):
        for line in open(CORPUS / "wikinews_fr_it" / f"wikinews_{lang}.jsonl", encoding="utf-8"):
            o = json.loads(line)
            docs.append((lang, o["title"], o["body"]))
    for lang in ("es", "de", "nl", "pt", "sv", "ru"):
        raw = (_git_show("pemistahl/lingua-go", f"cmd/language-testdata/sentences/{lang}.txt") or "").splitlines()
        docs += [(lang, raw[i], " ".join(raw[i + 1:i + 10])) for i in range(0, min(600, len(raw) - 10), 10)]
    return docs


def build(docs, mode: str, langs):
    """An index of ``docs`` analysed the ``mode`` way (terms pre-analysed, split on spaces)."""
    text_field = lambda: fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True)   # noqa: E731
    bodies = {f"body_{lang}": text_field() for lang in langs} if mode == "fields" else {"body": text_field()}
    ix = index.create_in(tempfile.mkdtemp(), fields.Schema(id=fields.ID(stored=True), **bodies))
    w = ix.writer()
    for i, (lang, title, body) in enumerate(docs):
        text = f"{title}\n{body}"
        if mode == "fields":
            w.add_document(id=str(i), **{f"body_{lang}": " ".join(terms(lang, text, tagged=False))})
        else:
            w.add_document(id=str(i), body=" ".join(terms(lang if mode == "tagged" else "en", text)))
    w.commit()
    return ix


def word_query(mode: str, word: str, langs, reader=None):
    """A typed word: its term in every language of ``langs`` (tagged: only those ``reader`` holds)."""
    if mode == "fields":
        return wq.Or([wq.Term(f"body_{lang}", t[0]) for lang in langs if (t := terms(lang, word, False))])
    if mode == "tagged":
        ts = sorted({terms(lang, word)[0] for lang in langs})
        if reader is not None:
            ts = [t for t in ts if ("body", t) in reader] or ts[:1]
        return wq.Or([wq.Term("body", t) for t in ts])
    return wq.Term("body", terms("en", word)[0])


def phrase_query(mode: str, words, langs):
    if mode == "fields":
        return wq.Or([wq.Phrase(f"body_{lang}", [terms(lang, w, False)[0] for w in words]) for lang in langs])
    if mode == "tagged":
        return wq.Or([wq.Phrase("body", [terms(lang, w)[0] for w in words]) for lang in langs])
    return wq.Phrase("body", [terms("en", w)[0] for w in words])


def ids(ix, q, limit=10) -> list[str]:
    with ix.searcher() as s:
        return [h["id"] for h in s.search(q, limit=limit)]


def main() -> int:
    if not (CORPUS / "wikinews_fr_it").exists() or _git_show("pemistahl/lingua-go", "README.md") is None:
        print("the Wikinews corpora or the lingua-go mirror are absent; skipped")
        return 0
    docs = load_docs()
    langs = sorted({d[0] for d in docs})
    print(len(docs), "articles:", {lang: sum(d[0] == lang for d in docs) for lang in langs})
    ixs = {m: build(docs, m, langs) for m in MODES}
    english = [d for d in docs if d[0] == "en"]
    ix_en = build(english, "today", ["en"])
    queries = [ws for _, title, _ in english[:120] if (ws := re.findall(r"[A-Za-z]{5,}", title)[:3])]

    print(f"\nEnglish ranking: {len(queries)} queries (title words), top 10 against an English-only index")
    for m in MODES:
        same = overlap = 0
        for ws in queries:
            base = ids(ix_en, wq.And([word_query("today", w, ["en"]) for w in ws]))
            got = [i for i in ids(ixs[m], wq.And([word_query(m, w, langs) for w in ws]), 50)
                   if int(i) < len(english)][:10]
            same += got == base
            overlap += len(set(got) & set(base)) / max(1, len(base))
        print(f"  {m}: identical {same}, mean overlap {overlap / len(queries):.3f}")

    words = [w for ws in queries for w in ws][:200]
    print("\nCPU per one-word query by languages present (second of two passes)")
    for m in ("tagged", "fields"):
        with ixs[m].searcher() as s:
            for present in (["en"], ["en", "de"], ["en", "fr"], langs):
                for prune in ((False, True) if m == "tagged" else (False,)):
                    for _ in range(2):
                        t0, width = time.process_time(), 0
                        for w in words:
                            q = word_query(m, w, present, s.reader() if prune else None)
                            width += len(q.subqueries) if isinstance(q, wq.Or) else 1
                            s.search(q, limit=10)
                        ms = 1000 * (time.process_time() - t0) / len(words)
                    print(f"  {m}{' pruned' if prune else ''}, {len(present)} languages: {ms:.3f} ms, "
                          f"{width / len(words):.2f} terms a word")

    print("\nAn inflected form finds the articles holding only another form")
    for lang, typed, other in (("de", "Wahlen", "Wahl"), ("it", "governi", "governo"), ("fr", "élections", "élection"),
                               ("pt", "eleições", "eleição"), ("es", "elecciones", "elección"),
                               ("nl", "verkiezingen", "verkiezing")):
        holding = {str(i) for i, d in enumerate(docs) if d[0] == lang and re.search(rf"\b{other}\b", d[1] + " " + d[2], re.I)
                   and not re.search(rf"\b{typed}\b", d[1] + " " + d[2], re.I)}
        found = {m: len(holding & set(ids(ixs[m], word_query(m, typed, langs), 1000))) for m in MODES}
        print(f"  {typed} → {other} ({len(holding)} articles): " + ", ".join(f"{m} {n}" for m, n in found.items()))
    for lang, phrase in (("fr", "le premier ministre"), ("it", "il presidente della Repubblica")):
        for m in MODES:
            got = ids(ixs[m], phrase_query(m, phrase.split(), langs), 1000)
            print(f"  \"{phrase}\" {m}: {len(got)} hits, {sum(docs[int(i)][0] != lang for i in got)} in other languages")

    if (TIME_DIR / "TIME.ALL").exists():
        print("\nTIME MAP (plain BM25F, not the engine's ranking): TIME alone, and with the other languages' articles")
        tdocs = relevance.read_docs(TIME_DIR / "TIME.ALL")
        stop = {w.strip().upper() for w in (TIME_DIR / "TIME.STP").read_text(encoding="latin-1").split() if w.strip()}
        tq = {q: relevance.query_words(t, stop) for q, t in relevance.read_queries(TIME_DIR / "TIME.QUE").items()}
        rel = relevance.read_judgments(TIME_DIR / "TIME.REL")
        alone = [("en", "", body) for _, _, body in tdocs]
        for label, coll in (("TIME", alone), ("TIME + others", alone + [d for d in docs if d[0] != "en"])):
            present = sorted({d[0] for d in coll})
            for m in MODES:
                ix = build(coll, m, present)
                with ix.searcher() as s:
                    ranked = {q: [int(h["id"]) + 1 for h in s.search(wq.Or([word_query(m, w, present) for w in ws]),
                                                                       limit=1000) if int(h["id"]) < len(tdocs)]
                              for q, ws in tq.items()}
                qids = [q for q in rel if q in ranked]
                print(f"  {label}, {m}: MAP {sum(relevance.average_precision(ranked[q], rel[q]) for q in qids) / len(qids):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
