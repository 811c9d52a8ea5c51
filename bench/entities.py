"""Entity-extraction benchmark: countries vs Reuters-21578 PLACES, people vs CoNLL-2003, and
both on hand-labelled modern news (Wikinews 2019-2020).

Usage: python bench/entities.py [--limit N] [--json] [--split eng.testb]

Countries (document level, micro-averaged): Reuters articles with a BODY and non-empty
PLACES whose every label is one of the place codes used >= 17 times in the collection
(about 70 codes); articles with any other label are skipped and counted. The extractor
sees title + dateline + body; its ``countries`` (the "about" set) is mapped to Reuters
codes by slugging the display name ("South Korea" -> south-korea) plus a few fixed
equivalences of the 1987 taxonomy (United States -> usa, United Kingdom -> uk,
Germany and West Germany -> west-germany, Russia and Soviet Union -> ussr,
United Arab Emirates -> uae). Every predicted code that is not a label is a false
positive, including codes outside the >= 17 set: such an article carries no such
label, so the prediction is wrong, not unscorable.

People (document level, micro-averaged): CoNLL-2003 documents; gold = set of PER
mentions (maximal I-PER runs, B-PER starts a new one). Text is the tokens joined by
spaces per sentence; title = first sentence, body = the rest. A gold mention is found
if a predicted name equals it, or it is one token equal to a predicted name's last
token; a predicted name is correct if it equals a gold mention or its last token
equals a one-token gold mention.

Modern news (document level, micro-averaged): ``bench/labels/wikinews_entities.jsonl`` holds,
for 60 articles of ``corpus/wikinews_2019_2020`` keyed by URL, every real person and every
country each article involves, labelled by reading the article (no text is kept). The articles
go through the whole reading pipeline (``pipeline.process_file``: what ``newsfacet extract --json``
prints). People: ``people`` against the labels; a label may list variants ("A|B"); names are
compared folded (case, accents), without initials, periods and "Jr."/"Sr.", by first and last
word ("Brian T. Carroll" = "Brian Carroll"), or a surname alone by the last word (as CoNLL is
scored: "President Trump" gives "Trump"); each label and each prediction counts once.
Countries: ``countries`` + ``countries_mentioned`` against the labels (canonical names).

Speed: articles/s of ``extract`` in this single process over Reuters bodies.
Shared data: $NEWSFACET_SHARED or ../shared beside the repo; absent -> message, exit 0.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.ingest.entities import extract  # noqa: E402

MIN_PLACE_COUNT = 17
CODE_EQUIVALENTS = {
    "United States": "usa", "United Kingdom": "uk", "Germany": "west-germany",
    "West Germany": "west-germany", "Russia": "ussr", "Soviet Union": "ussr",
    "United Arab Emirates": "uae",
}


def shared_dir() -> Path:
    env = os.environ.get("NEWSFACET_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def country_code(name: str) -> str:
    return CODE_EQUIVALENTS.get(name) or re.sub(r"[^a-z]+", "-", name.lower()).strip("-")


_DOC = re.compile(r"<REUTERS\b.*?</REUTERS>", re.S)
_ENTITY = re.compile(r"&#(\d+);")


def _field(tag: str, doc: str) -> str | None:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", doc, re.S)
    return m.group(1) if m else None


def _unescape(text: str) -> str:
    text = _ENTITY.sub(lambda m: chr(int(m.group(1))), text)
    return html.unescape(text.replace("&lt;", "<").replace("&amp;", "&"))


def load_reuters(shared: Path, limit: int | None = None) -> list[dict]:
    """Articles with a body and non-empty PLACES: dicts title, dateline, body, places."""
    out = []
    for path in sorted((shared / "corpus" / "reuters21578").glob("reut2-*.sgm")):
        for doc in _DOC.findall(path.read_text(encoding="latin-1")):
            body, places = _field("BODY", doc), _field("PLACES", doc)
            if not body or not places:
                continue
            codes = re.findall(r"<D>(.*?)</D>", places)
            if not codes:
                continue
            out.append({
                "title": _unescape(_field("TITLE", doc) or ""),
                "dateline": _unescape(_field("DATELINE", doc) or "").strip(" -\n"),
                "body": _unescape(body),
                "places": codes,
            })
            if limit and len(out) >= limit:
                return out
    return out


def place_counts(shared: Path) -> dict[str, int]:
    """How many articles of the whole collection carry each place code."""
    counts: dict[str, int] = {}
    for path in sorted((shared / "corpus" / "reuters21578").glob("reut2-*.sgm")):
        for places in re.findall(r"<PLACES>(.*?)</PLACES>", path.read_text(encoding="latin-1")):
            for code in re.findall(r"<D>(.*?)</D>", places):
                counts[code] = counts.get(code, 0) + 1
    return counts


def score_countries(articles: list[dict], counts: dict[str, int], errors: list | None = None) -> dict:
    tp = fp = fn = scored = skipped = 0
    for a in articles:
        if any(counts[c] < MIN_PLACE_COUNT for c in a["places"]):
            skipped += 1
            continue
        scored += 1
        ents = extract(a["title"], a["body"], a["dateline"])
        pred = {country_code(c) for c in ents.countries}
        gold = set(a["places"])
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if errors is not None and pred != gold:
            errors.append({"title": a["title"], "dateline": a["dateline"], "fp": sorted(pred - gold),
                           "fn": sorted(gold - pred), "mentioned": ents.countries_mentioned})
    return {**_prf(tp, fp, fn), "articles": scored, "skipped": skipped}


def load_conll(path: Path, limit: int | None = None) -> list[dict]:
    """Documents as dicts title, body, gold (set of PER mention strings)."""
    docs: list[dict] = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []

    def close_doc():
        if current:
            sentences.append(list(current))
            current.clear()
        if sentences:
            docs.append(_conll_doc(sentences))
            sentences.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            close_doc()
            if limit and len(docs) >= limit:
                return docs
            continue
        if not line.strip():
            if current:
                sentences.append(list(current))
                current.clear()
            continue
        parts = line.split()
        current.append((parts[0], parts[-1]))
    close_doc()
    return docs[:limit] if limit else docs


def _conll_doc(sentences: list[list[tuple[str, str]]]) -> dict:
    gold: set[str] = set()
    for sent in sentences:
        run: list[str] = []
        for word, tag in sent + [("", "O")]:
            if tag == "I-PER" and run is not None:
                run.append(word)
                continue
            if run:
                gold.add(" ".join(run))
            run = [word] if tag == "B-PER" else []
    text = [" ".join(w for w, _ in s) for s in sentences]
    return {"title": text[0], "body": "\n".join(text[1:]), "gold": gold}


def score_people(docs: list[dict], errors: list | None = None) -> dict:
    tp_pred = fp = tp_gold = fn = 0
    for d in docs:
        pred = extract(d["title"], d["body"]).people
        gold = d["gold"]
        one_token = {g for g in gold if " " not in g}
        lasts = {p.split()[-1] for p in pred}
        bad_pred = [p for p in pred if not (p in gold or p.split()[-1] in one_token)]
        missed = [g for g in gold if not (g in pred or (g in one_token and g in lasts))]
        tp_pred += len(pred) - len(bad_pred)
        fp += len(bad_pred)
        tp_gold += len(gold) - len(missed)
        fn += len(missed)
        if errors is not None and (bad_pred or missed):
            errors.append({"title": d["title"], "fp": bad_pred, "fn": missed})
    p = tp_pred / (tp_pred + fp) if tp_pred + fp else 0.0
    r = tp_gold / (tp_gold + fn) if tp_gold + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "documents": len(docs), "fp": fp, "fn": fn}


LABELS = Path(__file__).resolve().parent / "labels" / "wikinews_entities.jsonl"
WIKINEWS = Path("corpus") / "wikinews_2019_2020" / "wikinews_2019_2020.jsonl"
_NAME_NOISE = frozenset({"jr", "sr", "ii", "iii"})


def casefold_key(name: str) -> tuple[str, str]:
    """(first word, last word) of a name, folded, without initials and suffixes."""
    from indexer.textkeys import casefold_key
    words = [w for w in casefold_key(name).replace(".", " ").replace(",", " ").split()
             if len(w) > 1 and w not in _NAME_NOISE]
    if not words:
        return ("", "")
    return (words[0], words[-1])


def load_wikinews(shared: Path, limit: int | None = None) -> list[dict]:
    """The labelled articles as extracted by the reading pipeline: dicts url, people, countries,
    gold_people (list of variant lists), gold_countries."""
    from indexer.ingest.pipeline import process_file
    from indexer.ingest.entities import canonical_country
    path = shared / WIKINEWS
    if not path.is_file() or not LABELS.is_file():
        return []
    labels = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            labels[item["url"]] = item
    out = []
    for article in process_file(str(path), str(path.parent)).articles:
        gold = labels.get(article.url)
        if gold is None:
            continue
        out.append({
            "url": article.url, "title": article.title, "people": list(article.facets.get("person", [])),
            "countries": list(article.facets.get("country", [])) + list(article.mentioned.get("country", [])),
            "gold_people": [p.split("|") for p in gold["people"]],
            "gold_countries": {canonical_country(c) or c for c in gold["countries"]},
        })
        if limit and len(out) >= limit:
            break
    return out


def score_wikinews(docs: list[dict], errors: list | None = None) -> dict:
    people = [0, 0, 0]      # tp, fp, fn
    countries = [0, 0, 0]
    for d in docs:
        gold = [{casefold_key(v) for v in variants} for variants in d["gold_people"]]
        matched = [False] * len(gold)
        bad = []
        for name in dict.fromkeys(d["people"]):
            key = casefold_key(name)
            hit = next((i for i, keys in enumerate(gold) if not matched[i] and key in keys), None)
            if hit is None and key[0] == key[1]:      # a surname alone, as the article calls them
                hit = next((i for i, keys in enumerate(gold) if not matched[i]
                            and any(k[1] == key[1] for k in keys)), None)
            if hit is None:
                bad.append(name)
            else:
                matched[hit] = True
        missed = [d["gold_people"][i][0] for i, m in enumerate(matched) if not m]
        people[0] += sum(matched)
        people[1] += len(bad)
        people[2] += len(missed)
        pred = set(d["countries"])
        g = d["gold_countries"]
        countries[0] += len(pred & g)
        countries[1] += len(pred - g)
        countries[2] += len(g - pred)
        if errors is not None and (bad or missed or pred != g):
            errors.append({"url": d["url"], "people_fp": bad, "people_fn": missed,
                           "countries_fp": sorted(pred - g), "countries_fn": sorted(g - pred)})
    return {"people": _prf(*people), "countries": _prf(*countries), "articles": len(docs)}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "fp": fp, "fn": fn}


def speed(articles: list[dict], seconds: float = 3.0) -> float:
    """Articles per CPU-second of ``extract`` over Reuters articles (one process, so per core;
    CPU time rather than wall time so that other load on the machine does not count)."""
    done, start = 0, time.process_time()
    while True:
        for a in articles:
            extract(a["title"], a["body"], a["dateline"])
            done += 1
        elapsed = time.process_time() - start
        if elapsed >= seconds or not articles:
            return done / elapsed if elapsed else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles/documents")
    ap.add_argument("--split", default="eng.testb", help="CoNLL split for people (default eng.testb)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", type=Path, default=None, help="write error listings (JSON) here")
    args = ap.parse_args(argv)
    shared = shared_dir()
    if not (shared / "corpus").is_dir():
        print(f"skipped: shared corpora not found at {shared}")
        return 0
    reuters = load_reuters(shared, args.limit)
    conll = load_conll(shared / "corpus" / "conll2003" / args.split, args.limit)
    c_err: list | None = [] if args.errors else None
    p_err: list | None = [] if args.errors else None
    w_err: list | None = [] if args.errors else None
    figures = {
        "countries": score_countries(reuters, place_counts(shared), c_err),
        "people": score_people(conll, p_err),
        "wikinews": score_wikinews(load_wikinews(shared, args.limit), w_err),
        "articles_per_s": round(speed(reuters[:2000]), 1),
    }
    if args.errors:
        args.errors.write_text(json.dumps({"countries": c_err, "people": p_err, "wikinews": w_err},
                                          indent=1, ensure_ascii=False))
    if args.json:
        print(json.dumps(figures))
    else:
        c, p = figures["countries"], figures["people"]
        print(f"countries vs Reuters PLACES: P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}"
              f"  ({c['articles']} articles, {c['skipped']} skipped: label outside the mapping)")
        print(f"people vs CoNLL {args.split}: P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f}"
              f"  ({p['documents']} documents)")
        w = figures["wikinews"]
        for kind in ("people", "countries"):
            f = w[kind]
            print(f"{kind} vs Wikinews labels: P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f}"
                  f"  ({w['articles']} articles{', countries = about + mentioned' if kind == 'countries' else ''})")
        print(f"speed: {figures['articles_per_s']:.0f} articles/s (CPU time, one process, Reuters bodies)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
