"""Story grouping on its development sets: pairwise precision and recall, per kind of copy and look-alike.

    python bench/stories.py                      # Wikinews outlet copies + Reuters labelled pairs
    python bench/stories.py --simhash            # … and SimHash measured on the same pairs
    python bench/stories.py --sweep              # … and the story rule's thresholds swept
    python bench/stories.py --cost 20            # CPU per article and memory on Reuters ×20
    python bench/stories.py --reuters-groups 10  # print 10 multi-article Reuters stories to read

1. **Wikinews outlet copies.** Each of the 295 Wikinews 2019–2020 articles is indexed as published
   (JSON Lines) and about half of them are republished by invented outlets the way outlets do: their
   own headline, dateline, byline, footer and page furniture, as an HTML page, a text file or a JSON
   file; some cut after half the text, some lightly edited, some updated with added paragraphs. The
   files are written to a temporary folder and read back by the real readers. Hard negatives: every
   pair of different stories (the 295 cover many of the same events: COVID-19, elections, storms),
   pairs from the same outlet with the same furniture, and copies given another story's headline.
2. **Reuters-21578 re-sent stories.** ``labels/reuters_stories.tsv`` holds pairs of NEWIDs that were
   read and judged (same story: a re-send, a correction, an update; different: a recurring report, a
   template filled for another company, a follow-up). Pairs are drawn by stratum of exact shingle
   similarity, so precision and recall are reported per stratum and weighted to the whole candidate set.

The corpora are read from ../shared (research use): nothing of their text is written to the repository.
"""
from __future__ import annotations

import argparse
import collections
import csv
import html
import itertools
import json
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from common import CORPUS, HERE, RESULTS, REUTERS, table   # noqa: E402  (also puts the repository on sys.path)

from indexer.ingest import readers
from indexer.ingest.fingerprint import fingerprint, fingerprint_words, word_shingles
from indexer.ingest.pipeline import content_hash
from indexer.model import RawArticle
from indexer.stories import StoryIndex

WIKINEWS = CORPUS / "wikinews_2019_2020" / "wikinews_2019_2020.jsonl"
LABELS = HERE / "labels" / "reuters_stories.tsv"
SEED = 20_260_207

# ----------------------------------------------------------------------------- invented outlets

OUTLETS = [
    # name, site, city style, footer style, page furniture words
    ("The Daily Ledger", "dailyledger.example", "caps", "credits"),
    ("Metro Post", "metropost.example", "agency", "copyright"),
    ("Coastline Herald", "coastlineherald.example", "none", "readmore"),
    ("Northern Wire", "northernwire.example", "caps", "copyright"),
    ("Valley Times", "valleytimes.example", "agency", "credits"),
    ("Global Desk", "globaldesk.example", "none", "readmore"),
]
CITIES = ["WASHINGTON", "LONDON", "NEW YORK", "PARIS", "SYDNEY", "NAIROBI", "TOKYO", "BERLIN"]
PEOPLE = ["Jane Doe", "John Smith", "Maria Lopez", "Chen Wei", "Ama Mensah", "Olga Petrova", "Raj Patel"]
SECTIONS = ["Home", "World", "Business", "Politics", "Science", "Sport", "Culture", "Opinion"]
KINDS = ["verbatim", "truncated", "edited", "updated", "truncated+edited"]
RENDERINGS = ["html", "text", "json"]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _headline(rng: random.Random, title: str, paras: list[str]) -> str:
    """An outlet's own headline: a lead-sentence cut, a tagged original, or the original re-cased."""
    choice = rng.random()
    lead = next((p for p in paras if len(p.split()) > 8), paras[0] if paras else title)
    if choice < 0.4:
        words = lead.split()[:rng.randint(6, 10)]
        return " ".join(words).rstrip(",.;:") + ("…" if rng.random() < 0.3 else "")
    if choice < 0.7:
        return rng.choice(["UPDATE 1-", "WRAPUP: ", "Breaking: ", "Explainer: "]) + title
    return title.upper() if rng.random() < 0.5 else title + " – report"


def _edit(rng: random.Random, para: str, every: int = 40) -> str:
    """Light copy-editing: a word in ``every`` dropped, swapped or re-cased, quotes and dashes restyled."""
    words = para.split()
    for _ in range(max(1, len(words) // every)):
        if len(words) < 6:
            break
        i = rng.randrange(1, len(words) - 1)
        op = rng.random()
        if op < 0.4:
            del words[i]
        elif op < 0.7:
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words[i] = words[i].upper() if words[i].islower() else words[i].lower()
    out = " ".join(words)
    return out.replace('"', "”").replace(" - ", " — ") if rng.random() < 0.5 else out


NORMAL = {"keep": (0.5, 0.7), "edit_every": 40, "added": (1, 3)}
HARD = {"keep": (0.3, 0.5), "edit_every": 15, "added": (3, 5)}   # cut to a third, an edit every 15 words


def make_copy(rng: random.Random, story: dict, outlet: tuple, kind: str, filler: list[str],
              headline: str | None = None, mode: dict = NORMAL) -> dict:
    """One outlet's copy of ``story`` as {title, date, byline, lead, paras, footer} (not yet rendered)."""
    paras = _paragraphs(story["text"])
    if paras and re.match(r"^\w+day, \w+ \d{1,2}, \d{4}\s*$", paras[0]):
        paras = paras[1:]                     # outlets drop Wikinews's date line…
    paras = list(paras)
    if "truncated" in kind and len(paras) > 1:
        paras = paras[:max(1, round(len(paras) * rng.uniform(*mode["keep"])))]
    if "edited" in kind:
        paras = [_edit(rng, p, mode["edit_every"]) if rng.random() < 0.6 else p for p in paras]
    if kind == "updated":
        added = rng.sample(filler, rng.randint(*mode["added"]))
        paras = paras + added if rng.random() < 0.6 else paras[:1] + added + paras[1:]
    name, site, city_style, footer_style = outlet
    city = rng.choice(CITIES)
    lead = {"caps": f"{city} - ", "agency": f"{city} ({name.split()[-1]}) - ", "none": ""}[city_style]
    footer = {
        "credits": [f"(Reporting by {rng.choice(PEOPLE)}; Editing by {rng.choice(PEOPLE)})"],
        "copyright": [f"© 2020 {name}. All rights reserved."],
        "readmore": ["Read more", f"More stories at {site}"],
    }[footer_style]
    return {"title": headline or _headline(rng, story["title"], paras), "date": story["date"],
            "byline": rng.choice(PEOPLE), "lead": lead, "paras": paras, "footer": footer,
            "outlet": name, "site": site}


def render(copy: dict, rendering: str, related: list[str]) -> tuple[str, str]:
    """(file suffix, file content) of a copy as an outlet's HTML page, a text file or a JSON file."""
    paras = list(copy["paras"])
    if paras:
        paras[0] = copy["lead"] + paras[0]
    if rendering == "html":
        e = html.escape
        nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
        rel = "".join(f'<li><a href="/r/{i}">{e(t)}</a></li>' for i, t in enumerate(related))
        body = "".join(f"<p>{e(p)}</p>" for p in paras)
        foot = "".join(f"<p>{e(f)}</p>" for f in copy["footer"])
        page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(copy["title"])} | '
                f'{e(copy["outlet"])}</title><meta property="article:published_time" content="{copy["date"]}">'
                f'</head><body><header><a href="/">{e(copy["outlet"])}</a><nav><ul>{nav}</ul></nav>'
                f'<a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></header>'
                f'<main><article><h1>{e(copy["title"])}</h1><p class="byline">By {e(copy["byline"])}</p>'
                f'<time datetime="{copy["date"]}">{copy["date"]}</time>'
                f'<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>'
                f'{body}{foot}</article><aside><h2>Related stories</h2><ul>{rel}</ul></aside></main>'
                f'<footer><p>© 2020 {e(copy["outlet"])}</p><ul><li>Privacy policy</li><li>Contact us</li></ul>'
                f'</footer></body></html>')
        return ".html", page
    if rendering == "text":
        text = "\n\n".join([copy["title"], f"By {copy['byline']}"] + paras + copy["footer"])
        return ".txt", text + "\n"
    body = "\n\n".join(paras + copy["footer"])
    return ".json", json.dumps({"title": copy["title"], "date": copy["date"], "author": copy["byline"],
                                "url": f"https://{copy['site']}/{abs(hash(copy['title'])) % 10**8}",
                                "body": body}, ensure_ascii=False)


def wikinews_set(folder: Path, rng: random.Random, filler: list[str], mode: dict = NORMAL) -> dict[str, dict]:
    """Writes the originals and the outlet copies under ``folder``; returns file name → truth
    {story, kind, rendering, outlet, role} (role: original, copy, headline-twin)."""
    stories = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    truth: dict[str, dict] = {}
    with open(folder / "wikinews.jsonl", "w", encoding="utf-8") as fh:
        for i, s in enumerate(stories):
            fh.write(json.dumps({"title": s["title"], "date": s["date"], "url": s["url"], "body": s["text"]}) + "\n")
            truth[f"wikinews.jsonl#{i}"] = {"story": i, "kind": "original", "rendering": "jsonl",
                                             "outlet": "Wikinews", "role": "original"}
    titles = [s["title"] for s in stories]
    n = 0
    for i in rng.sample(range(len(stories)), len(stories) // 2):
        for outlet in rng.sample(OUTLETS, rng.randint(1, 3)):
            kind, rendering = rng.choice(KINDS), rng.choice(RENDERINGS)
            copy = make_copy(rng, stories[i], outlet, kind, filler, mode=mode)
            suffix, content = render(copy, rendering, rng.sample(titles, 3))
            name = f"copy-{n:04d}{suffix}"
            (folder / name).write_text(content, encoding="utf-8")
            truth[name] = {"story": i, "kind": kind, "rendering": rendering, "outlet": outlet[0], "role": "copy"}
            n += 1
    # Another story under the headline of this one: the headline must not decide.
    for i, j in [rng.sample(range(len(stories)), 2) for _ in range(40)]:
        outlet = rng.choice(OUTLETS)
        copy = make_copy(rng, stories[j], outlet, "verbatim", filler, headline=stories[i]["title"], mode=mode)
        suffix, content = render(copy, rng.choice(RENDERINGS), rng.sample(titles, 3))
        name = f"twin-{n:04d}{suffix}"
        (folder / name).write_text(content, encoding="utf-8")
        truth[name] = {"story": j, "kind": "verbatim", "rendering": suffix[1:], "outlet": outlet[0],
                       "role": "headline-twin", "headline_of": i}
        n += 1
    return truth


def read_folder(folder: Path) -> dict[str, RawArticle]:
    """Every article under ``folder`` through the real readers, keyed like ``wikinews_set``'s truth."""
    out = {}
    for path in sorted(folder.iterdir()):
        for k, item in enumerate(readers.read_file(path)):
            if isinstance(item, RawArticle):
                key = f"{path.name}#{k}" if path.suffix == ".jsonl" else path.name
                out[key] = item
    return out


_FINGERPRINTS: dict[int, tuple] = {}


def group_articles(articles: dict[str, RawArticle]) -> dict[str, str]:
    """Article key → story id, adding the articles in key order as a build would (fingerprints are
    kept between calls, for the threshold sweep)."""
    index = StoryIndex()
    for key, raw in articles.items():
        cached = _FINGERPRINTS.get(id(raw))
        if cached is None or cached[0] is not raw:
            cached = _FINGERPRINTS[id(raw)] = (raw, content_hash(raw.title, raw.date, raw.body),
                                               fingerprint(raw.title, raw.body, raw.dateline))
        index.add(key, cached[1], cached[2], raw.date)
    return dict(index.items())


def pair_counts(truth: dict[str, int], predicted: dict[str, str]) -> tuple[int, int, int]:
    """(true positive pairs, predicted pairs, true pairs) over the keys of ``truth``."""
    def pairs(groups):
        return {frozenset(p) for members in groups.values() for p in itertools.combinations(sorted(members), 2)}
    by_truth, by_pred = collections.defaultdict(list), collections.defaultdict(list)
    for key, story in truth.items():
        by_truth[story].append(key)
        by_pred[predicted[key]].append(key)
    t, p = pairs(by_truth), pairs(by_pred)
    return len(t & p), len(p), len(t)


def build_wikinews(seed: int = SEED, mode: dict = NORMAL) -> tuple[dict, dict]:
    """(truth, articles) of the Wikinews outlet-copy set, written to a temporary folder and read back."""
    rng = random.Random(seed)
    filler = reuters_paragraphs(rng)
    with tempfile.TemporaryDirectory(prefix="stories-dev-") as tmp:
        folder = Path(tmp)
        truth = wikinews_set(folder, rng, filler, mode)
        articles = read_folder(folder)
    return {k: v for k, v in truth.items() if k in articles}, articles


def score_wikinews(truth: dict, articles: dict, title: str = "", show: bool = True) -> dict:
    """Groups the set and reports P/R overall, recall per kind of copy, and look-alikes kept apart."""
    predicted = group_articles(articles)
    tp, pp, tt = pair_counts({k: v["story"] for k, v in truth.items()}, predicted)
    rows = [["all pairs", tt, pp, tp, _ratio(tp, pp), _ratio(tp, tt)]]
    originals = {v["story"]: k for k, v in truth.items() if v["role"] == "original"}
    for label, select in [*((f"copy: {k}", lambda v, k=k: v["kind"] == k) for k in KINDS),
                          *((f"rendering: {r}", lambda v, r=r: v["rendering"] == r) for r in RENDERINGS)]:
        keys = [k for k, v in truth.items() if v["role"] == "copy" and select(v)]
        grouped = sum(predicted[k] == predicted[originals[truth[k]["story"]]] for k in keys)
        rows.append([label, len(keys), None, grouped, None, _ratio(grouped, len(keys))])
    negatives = negative_kinds(truth, predicted, articles)
    if show:
        print(table(["wikinews outlet copies", "true pairs", "grouped pairs", "both", "precision", "recall"], rows,
                    title=f"{title}: {len(articles)} articles read back"))
        print(table(["look-alikes kept apart", "pairs", "grouped (wrongly)"], negatives))
        print(margins(truth, articles))
    return {"precision": _ratio(tp, pp), "recall": _ratio(tp, tt), "rows": rows, "negatives": negatives}


def margins(truth: dict, articles: dict) -> str:
    """How far the copies and the look-alikes lie from the thresholds: the copies' lowest Jaccard and
    containment with their original, and the look-alikes' highest (same headline, same subject)."""
    from indexer.stories import evidence

    def ev(a, b):
        fa = fingerprint(articles[a].title, articles[a].body, articles[a].dateline)
        fb = fingerprint(articles[b].title, articles[b].body, articles[b].dateline)
        return evidence(fa, fb) if fa and fb else None
    originals = {v["story"]: k for k, v in truth.items() if v["role"] == "original"}
    copies = [e for k, v in truth.items() if v["role"] == "copy" and (e := ev(k, originals[v["story"]]))]
    alike = [(k, originals[v["headline_of"]]) for k, v in truth.items() if v["role"] == "headline-twin"]
    alike += same_topic_pairs({k: articles[k] for k in originals.values()}, 200)
    others = [e for a, b in alike if (e := ev(a, b))]
    return (f"margins: copies with their original: lowest Jaccard {min(e.jaccard for e in copies):.2f}, "
            f"lowest containment {min(e.containment for e in copies):.2f}; 5th percentile containment "
            f"{sorted(e.containment for e in copies)[len(copies) // 20]:.2f}. Look-alikes: highest Jaccard "
            f"{max(e.jaccard for e in others):.2f}, highest containment {max(e.containment for e in others):.2f}")


def negative_kinds(truth: dict, predicted: dict, articles: dict) -> list[list]:
    """Different-story pairs by kind of look-alike, with how many were wrongly grouped."""
    keys = list(truth)
    rows = []
    twins = [(k, v) for k, v in truth.items() if v["role"] == "headline-twin"]
    originals = {v["story"]: k for k, v in truth.items() if v["role"] == "original"}
    same_head = [(k, originals[v["headline_of"]]) for k, v in twins if v["headline_of"] in originals]
    rows.append(["same headline, other story", len(same_head), sum(predicted[a] == predicted[b] for a, b in same_head)])
    by_outlet = collections.defaultdict(list)
    for k, v in truth.items():
        if v["role"] != "original":
            by_outlet[v["outlet"]].append(k)
    same_site = [(a, b) for ks in by_outlet.values() for a, b in itertools.combinations(ks, 2)
                 if truth[a]["story"] != truth[b]["story"]]
    rows.append(["same outlet and furniture", len(same_site), sum(predicted[a] == predicted[b] for a, b in same_site)])
    topic = same_topic_pairs({k: articles[k] for k in keys if truth[k]["role"] == "original"}, 200)
    rows.append(["same subject (top-200 word overlap)", len(topic), sum(predicted[a] == predicted[b] for a, b in topic)])
    short = [k for k in keys if truth[k]["role"] == "original" and len(articles[k].body.split()) < 150]
    short_pairs = [(a, b) for a, b in itertools.combinations(short, 2)]
    rows.append(["short originals (<150 words), any pair", len(short_pairs),
                 sum(predicted[a] == predicted[b] for a, b in short_pairs)])
    return rows


_TOPIC_PAIRS: dict[tuple, list] = {}


def same_topic_pairs(articles: dict[str, RawArticle], top: int) -> list[tuple[str, str]]:
    """The ``top`` pairs of different articles sharing the most content words (tf-idf cosine):
    different stories about the same event, place or organisation (kept between calls)."""
    key = (tuple(sorted(articles)), tuple(id(a) for a in articles.values()), top)
    if key not in _TOPIC_PAIRS:
        _TOPIC_PAIRS[key] = _same_topic_pairs(articles, top)
    return _TOPIC_PAIRS[key]


def _same_topic_pairs(articles: dict[str, RawArticle], top: int) -> list[tuple[str, str]]:
    import math
    docs = {k: collections.Counter(w for w in re.findall(r"[a-z]{4,}", a.body.lower())) for k, a in articles.items()}
    df = collections.Counter(w for c in docs.values() for w in c)
    n = len(docs)
    vecs = {}
    for k, c in docs.items():
        v = {w: (1 + math.log(f)) * math.log(n / df[w]) for w, f in c.items() if df[w] > 1}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1
        vecs[k] = {w: x / norm for w, x in v.items()}
    scored = []
    for a, b in itertools.combinations(sorted(vecs), 2):
        va, vb = vecs[a], vecs[b]
        if len(va) > len(vb):
            va, vb = vb, va
        scored.append((sum(x * vb.get(w, 0.0) for w, x in va.items()), a, b))
    scored.sort(reverse=True)
    return [(a, b) for _, a, b in scored[:top]]


def reuters_paragraphs(rng: random.Random, count: int = 400) -> list[str]:
    """Paragraphs of Reuters text (30+ words) used as the added paragraphs of an updated copy."""
    from indexer.ingest.readers.reuters import read_reuters
    paras = []
    for item in read_reuters(REUTERS / "reut2-003.sgm", 1 << 26):
        if isinstance(item, RawArticle):
            paras.extend(p for p in _paragraphs(item.body) if len(p.split()) >= 30)
    return rng.sample(paras, min(count, len(paras)))


def _ratio(a: int, b: int):
    return round(a / b, 4) if b else None


# ----------------------------------------------------------------------------- Reuters

def reuters_articles() -> dict[str, RawArticle]:
    """NEWID → RawArticle for every Reuters-21578 document the reader yields."""
    from indexer.ingest.readers.reuters import read_reuters
    out = {}
    for path in sorted(REUTERS.glob("reut2-*.sgm")):
        for item in read_reuters(path, 1 << 26):
            if isinstance(item, RawArticle):
                out[item.given_id] = item
    return out


def reuters_groups(articles: dict[str, RawArticle]) -> dict[str, str]:
    """NEWID → story, grouping in NEWID order."""
    return group_articles(dict(sorted(articles.items(), key=lambda kv: int(kv[0]))))


def exact_candidates(articles: dict[str, RawArticle], floor: float = 0.15) -> list[tuple]:
    """Every pair whose exact shingle sets (the fingerprint's words) have Jaccard ≥ ``floor`` or
    containment ≥ .5: (a, b, jaccard, containment). Independent of MinHash and of the story rule."""
    sets = {}
    for k, a in articles.items():
        words = fingerprint_words(a.title, a.body, a.dateline)
        if words:
            sets[k] = set(word_shingles(words).tolist())
    postings = collections.defaultdict(list)
    for k, s in sets.items():
        for h in s:
            postings[h].append(k)
    shared = collections.Counter()
    for ks in postings.values():
        if 1 < len(ks) <= 300:
            shared.update(itertools.combinations(sorted(ks, key=int), 2))
    out = []
    for (a, b), n in shared.items():
        j = n / (len(sets[a]) + len(sets[b]) - n)
        c = n / min(len(sets[a]), len(sets[b]))
        if j >= floor or c >= 0.5:
            out.append((a, b, round(j, 3), round(c, 3)))
    return out


STRATA = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]


def stratum(j: float) -> int:
    """Which exact-Jaccard stratum a candidate pair falls in."""
    return next(i for i, (lo, hi) in enumerate(STRATA) if lo <= j < hi)


def load_labels() -> dict[tuple[str, str], str]:
    """(newid a, newid b) → "same" | "different" from the labels file."""
    labels = {}
    with open(LABELS, encoding="utf-8") as fh:
        for row in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            labels[(row["a"], row["b"])] = row["label"]
    return labels


def score_reuters(articles: dict, candidates: dict, labels: dict, show: bool = True) -> dict:
    """P/R of the grouping on the judged Reuters pairs, per stratum and weighted to all candidates."""
    predicted = reuters_groups(articles)
    per = collections.defaultdict(collections.Counter)
    for (a, b), label in labels.items():
        s = stratum(candidates.get((a, b), 0.0))
        per[s][(label, predicted.get(a) == predicted.get(b))] += 1
    population = collections.Counter(stratum(j) for j in candidates.values())
    rows, w_tp, w_pp, w_tt = [], 0.0, 0.0, 0.0
    for s, (lo, hi) in enumerate(STRATA):
        c = per[s]
        n = sum(c.values())
        same, tp = c[("same", True)] + c[("same", False)], c[("same", True)]
        grouped = tp + c[("different", True)]
        rows.append([f"J {lo:.1f}–{min(hi, 1):.1f}", population[s], n, same, grouped, tp,
                     _ratio(tp, grouped), _ratio(tp, same)])
        if n:
            scale = population[s] / n
            w_tp, w_pp, w_tt = w_tp + tp * scale, w_pp + grouped * scale, w_tt + same * scale
    sizes = collections.Counter(predicted.values())
    multi = sum(1 for v in sizes.values() if v > 1)
    members = collections.defaultdict(list)
    for key, story in predicted.items():
        members[story].append(key)
    grouped_pairs = [tuple(sorted(p, key=int)) for m in members.values() if len(m) > 1
                     for p in itertools.combinations(m, 2)]
    outside = sum(p not in candidates for p in grouped_pairs)
    result = {"precision": round(w_tp / w_pp, 4) if w_pp else None, "recall": round(w_tt and w_tp / w_tt, 4),
              "multi_article_stories": multi, "articles_in_them": sum(v for v in sizes.values() if v > 1),
              "grouped_pairs": len(grouped_pairs), "grouped_outside_candidates": outside, "rows": rows}
    if show:
        print(table(["exact Jaccard stratum", "candidate pairs", "judged", "same", "grouped", "both",
                     "precision", "recall"], rows,
                    title=f"Reuters-21578: {len(articles)} articles, {len(candidates)} candidate pairs, "
                          f"{sum(v != 'unsure' for v in labels.values())} judged pairs counted"))
        print(f"weighted to all candidate pairs: precision {result['precision']}, recall {result['recall']}; "
              f"stories with more than one article: {multi} ({result['articles_in_them']} articles, "
              f"{len(grouped_pairs)} pairs, {outside} of them outside the candidate pairs)")
    return result


def sweep(wikinews: list[tuple[str, dict, dict]], reuters: tuple) -> None:
    """Each threshold of the story rule moved around its chosen value, the others held: P/R on every set."""
    from indexer import stories
    grid = {
        "SAME_JACCARD": [0.3, 0.4, 0.5, 0.6, 0.7],
        "SAME_CONTAINMENT": [0.6, 0.7, 0.75, 0.8, 0.9],
        "CONTAINED_JACCARD": [0.1, 0.2, 0.3],
        "NUMBERS_BELOW": [0.0, 0.5, 0.7, 0.9],
        "MISSING_NUMBERS": [0.1, 0.25, 0.5],
        "SHORT_SHINGLES": [0, 25, 50, 100],
        "SHORT_JACCARD": [0.5, 0.6, 0.8, 0.9],
        "SHORT_TITLE": [0.0, 0.3, 0.5, 0.8],
        "STORY_DAYS": [1, 3, 7, 10_000],
    }
    rows = []
    for name, values in grid.items():
        chosen = getattr(stories, name)
        for value in values:
            setattr(stories, name, value)
            row = [f"{name} = {value}" + (" (chosen)" if value == chosen else "")]
            for _, truth, articles in wikinews:
                r = score_wikinews(truth, articles, show=False)
                row += [r["precision"], r["recall"]]
            r = score_reuters(*reuters, show=False)
            rows.append(row + [r["precision"], r["recall"]])
        setattr(stories, name, chosen)
    headers = ["threshold"] + [f"{n} {m}" for n, _, _ in wikinews for m in ("P", "R")] + ["Reuters P", "Reuters R"]
    print(table(headers, rows, title="Story rule sweep (one threshold moved at a time)"))


# ----------------------------------------------------------------------------- main

def compare_simhash(wikinews: list[tuple[str, dict, dict]], reuters: Optional[tuple]) -> None:
    """SimHash (``simhash`` package, 64 bits over the same 5-word shingles) against the MinHash story
    rule on the same pairs: copies with their original and look-alikes (Wikinews), judged pairs (Reuters)."""
    from simhash import Simhash
    from indexer.ingest.fingerprint import SHINGLE_WORDS
    from indexer.stories import evidence, same_story

    def features(raw):
        words = [w.decode() for w in fingerprint_words(raw.title, raw.body, raw.dateline)]
        return [" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]

    def pairs_of(name, truth, articles):
        originals = {v["story"]: k for k, v in truth.items() if v["role"] == "original"}
        pos = [(k, originals[v["story"]]) for k, v in truth.items() if v["role"] == "copy"]
        neg = [(k, originals[v["headline_of"]]) for k, v in truth.items() if v["role"] == "headline-twin"]
        neg += same_topic_pairs({k: articles[k] for k in originals.values()}, 200)
        return [(a, b, True) for a, b in pos] + [(a, b, False) for a, b in neg]

    sets = [(name, articles, pairs_of(name, truth, articles)) for name, truth, articles in wikinews]
    if reuters:
        articles, _, labels = reuters
        sets.append(("Reuters judged", articles, [(a, b, lab == "same") for (a, b), lab in labels.items()
                                                   if lab != "unsure"]))
    rows = []
    for name, articles, pairs in sets:
        keys = {k for a, b, _ in pairs for k in (a, b)}
        started = time.process_time()
        sims = {k: Simhash(features(articles[k]), f=64) for k in keys}
        sim_ms = (time.process_time() - started) / len(keys) * 1000
        started = time.process_time()
        fps = {k: fingerprint(articles[k].title, articles[k].body, articles[k].dateline) for k in keys}
        min_ms = (time.process_time() - started) / len(keys) * 1000
        pos = sum(same for _, _, same in pairs)
        neg = len(pairs) - pos

        def minhash_same(a, b):
            if fps[a] is None or fps[b] is None:
                return False
            da, db = articles[a].date, articles[b].date
            return same_story(evidence(fps[a], fps[b], abs((da - db).days) if da and db else None))
        tp = sum(same and minhash_same(a, b) for a, b, same in pairs)
        fp = sum(not same and minhash_same(a, b) for a, b, same in pairs)
        rows.append([f"{name}: MinHash story rule", pos, neg, _ratio(tp, pos), fp, round(min_ms, 3)])
        for k in (3, 6, 10, 14, 18):
            tp = sum(same and sims[a].distance(sims[b]) <= k for a, b, same in pairs)
            fp = sum(not same and sims[a].distance(sims[b]) <= k for a, b, same in pairs)
            rows.append([f"{name}: SimHash distance ≤ {k}", pos, neg, _ratio(tp, pos), fp, round(sim_ms, 3)])
    print(table(["method", "copy pairs", "look-alike pairs", "recall", "look-alikes grouped", "ms/article"], rows,
                title="MinHash story rule against SimHash on the same pairs"))


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def measure_cost(copies: int) -> dict:
    """CPU per article of fingerprinting and of grouping, and the memory of the grouping, on Reuters ×N
    (bench/scale_corpus.py: the same texts with their years shifted, so every story has N copies).
    Articles are read file by file (reading is not counted) and dropped once grouped."""
    from scale_corpus import write_copies
    from indexer.ingest.readers.reuters import read_reuters
    folder = write_copies(HERE / "data" / f"reuters-x{copies}", copies)
    files = sorted(folder.glob("copy-*/reut2-*.sgm"))
    base = rss_mb()
    index = StoryIndex()
    fp_cpu = group_cpu = 0.0
    n = 0
    for path in files:
        raws = [r for r in read_reuters(path, 1 << 26) if isinstance(r, RawArticle)]
        rel = path.relative_to(folder)
        hashes = [content_hash(r.title, r.date, r.body) for r in raws]      # the pipeline's, not counted
        started = time.process_time()
        fps = [fingerprint(r.title, r.body, r.dateline) for r in raws]
        fp_cpu += time.process_time() - started
        started = time.process_time()
        for r, chash, fp in zip(raws, hashes, fps):
            index.add(f"{rel}#{r.given_id}", chash, fp, r.date)
        group_cpu += time.process_time() - started
        n += len(raws)
    grown = rss_mb() - base
    state = index.state().to_bytes()
    sizes = collections.Counter(story for _, story in index.items())
    result = {"copies": copies, "articles": n, "stories": len(sizes),
              "fingerprint_ms": round(fp_cpu / n * 1000, 4), "group_ms": round(group_cpu / n * 1000, 4),
              "total_ms": round((fp_cpu + group_cpu) / n * 1000, 4), "index_rss_mb": round(grown, 1),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
              "state_mb": round(len(state) / 2**20, 1), "band_keys_mb": round(index._bands.nbytes() / 2**20, 1)}
    print(table(["Reuters ×N", "articles", "stories", "fingerprint ms", "grouping ms", "together ms",
                 "grouping RSS MB", "saved state MB"],
                [[f"×{copies}", n, len(sizes), result["fingerprint_ms"], result["group_ms"], result["total_ms"],
                  result["index_rss_mb"], result["state_mb"]]],
                title="CPU per article (process time, reading not counted) and memory of the story index"))
    return result


def measure_peer() -> None:
    """The same Reuters ×1 articles through datasketch's own MinHash.update_batch (SHA-1 of each
    shingle) and MinHashLSH (same 64×2 bands), the peer of the fingerprint and band index here."""
    from datasketch import MinHash, MinHashLSH
    from indexer.ingest.fingerprint import NUM_PERM, SHINGLE_WORDS
    from indexer.stories import LSH_BANDS, LSH_ROWS
    articles = list(reuters_articles().values())
    rows = []
    started = time.process_time()
    ours = [fingerprint(a.title, a.body, a.dateline) for a in articles]
    ours_fp = time.process_time() - started
    started = time.process_time()
    index = StoryIndex()
    for i, (a, fp) in enumerate(zip(articles, ours)):
        index.add(str(i), content_hash(a.title, a.date, a.body), fp, a.date)
    ours_group = time.process_time() - started
    rows.append(["fingerprint.py + stories.py", ours_fp / len(articles) * 1000, ours_group / len(articles) * 1000])
    base = rss_mb()
    started = time.process_time()
    sketches = []
    for a in articles:
        words = [w.decode() for w in fingerprint_words(a.title, a.body, a.dateline)]
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(max(1, len(words) - 4))])
        sketches.append(m)
    peer_fp = time.process_time() - started
    started = time.process_time()
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
    for i, m in enumerate(sketches):
        lsh.query(m)
        lsh.insert(i, m, check_duplication=False)
    peer_group = time.process_time() - started
    lsh_mb = rss_mb() - base
    rows.append([f"datasketch MinHash + MinHashLSH (+{lsh_mb:.0f} MB RSS)", peer_fp / len(articles) * 1000,
                 peer_group / len(articles) * 1000])
    print(table(["Reuters ×1, same run", "fingerprint ms/article", "look-up + insert ms/article"], rows,
                title="Peer: datasketch's own MinHash and LSH on the same articles"))


def print_groups(count: int, seed: int) -> None:
    """``count`` random multi-article Reuters stories, each member's NEWID, date, headline and opening,
    so that a reader can judge them."""
    articles = reuters_articles()
    predicted = reuters_groups(articles)
    members = collections.defaultdict(list)
    for key, story in predicted.items():
        members[story].append(key)
    multi = sorted((m for m in members.values() if len(m) > 1), key=lambda m: int(m[0]))
    for group in random.Random(seed).sample(multi, min(count, len(multi))):
        print(f"story of {len(group)}:")
        for key in sorted(group, key=int):
            a = articles[key]
            print(f"  {key} {a.date} {a.title[:70]}\n      {' '.join(a.body.split()[:40])} … ({len(a.body.split())} words)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--no-wikinews", action="store_true")
    ap.add_argument("--no-reuters", action="store_true")
    ap.add_argument("--sweep", action="store_true", help="move each threshold of the story rule")
    ap.add_argument("--simhash", action="store_true", help="SimHash on the same pairs, for comparison")
    ap.add_argument("--cost", type=int, metavar="N", help="only CPU and memory on Reuters ×N (and the peer)")
    ap.add_argument("--reuters-groups", type=int, metavar="N", help="only print N multi-article Reuters stories")
    args = ap.parse_args(argv)
    if args.cost:
        result = measure_cost(args.cost)          # first: its memory is measured from this process's start
        measure_peer()
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"stories-cost-x{args.cost}.json").write_text(json.dumps(result, indent=1))
        return 0
    if args.reuters_groups:
        print_groups(args.reuters_groups, args.seed)
        return 0
    if not WIKINEWS.exists() or not REUTERS.exists():
        print(f"corpora not found under {CORPUS}: set NEWSFACET_SHARED", file=sys.stderr)
        return 2
    sets = []
    if not args.no_wikinews:
        for name, mode in (("Wikinews outlet copies", NORMAL), ("Wikinews outlet copies, hard", HARD)):
            truth, articles = build_wikinews(args.seed, mode)
            score_wikinews(truth, articles, f"{name} (seed {args.seed})")
            sets.append((name, truth, articles))
    reuters = None
    if not args.no_reuters and LABELS.exists():
        articles = reuters_articles()
        candidates = {(a, b): j for a, b, j, c in exact_candidates(articles)}
        reuters = (articles, candidates, load_labels())
        score_reuters(*reuters)
    if args.sweep and sets and reuters:
        sweep(sets, reuters)
    if args.simhash:
        compare_simhash(sets, reuters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
