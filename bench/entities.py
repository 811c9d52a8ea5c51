"""Entity-extraction benchmark: countries vs Reuters-21578 PLACES, people and organisations vs
CoNLL-2003, and all three on hand-labelled modern news (Wikinews 2019-2020).

Usage: python bench/entities.py [--limit N] [--json] [--split eng.testb] [--baseline REF]
                                [--parts english,intl] [--final]

``--baseline REF`` scores the extraction code of a git revision (``main``, a commit) in the same run,
with this file's scorers, and prints both side by side (a revision without organisations scores 0).

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
token (in any case: "SHEARER" in a headline is "Alan Shearer"'s); a predicted name is
correct if it equals a gold mention or its last token equals a one-token gold mention.

Organisations (document level, micro-averaged): CoNLL-2003 ORG mentions, grouped per document
into one organisation when one is the acronym of another ("IAEA", "International Atomic Energy
Agency") or one word is the first word of another ("Rotor", "Rotor Volgograd"); Wikinews labels list
each organisation's forms ("World Health Organization|WHO"). Names are compared folded (case,
accents), without "the", punctuation, a possessive and a trailing legal form ("Airbus SAS" = "Airbus").
A prediction is correct if it equals a form of an organisation, or one of them is one word equal to
the other's first word; each organisation and each prediction counts once.

Modern news (document level, micro-averaged): ``bench/labels/wikinews_entities.jsonl`` holds,
for 60 articles of ``corpus/wikinews_2019_2020`` keyed by URL, every real person and every
country each article involves, labelled by reading the article (no text is kept). The articles
go through the whole reading pipeline (``pipeline.process_file``: what ``newsfacet extract --json``
prints). People: ``people`` against the labels; a label may list variants ("A|B"); names are
compared folded (case, accents), without initials, periods and "Jr."/"Sr.", by first and last
word ("Brian T. Carroll" = "Brian Carroll"), or a surname alone by the last word (as CoNLL is
scored: "President Trump" gives "Trump"); each label and each prediction counts once.
Countries: ``countries`` + ``countries_mentioned`` against the labels (canonical names).
``bench/labels/wikinews_people_en.jsonl`` labels people only, the same way, in 30 more articles of
that corpus chosen for lists, quotes, sports, obituaries and court reports ("Wikinews chosen 30").

Countries in other languages (document level, micro-averaged): ``bench/labels/countries_fr_it.jsonl``
holds, for the first 20 French and 20 Italian articles of ``corpus/wikinews_fr_it`` keyed by title,
the countries each article names or is about (``countries``) and those it only implies by a demonym
or a place inside them (``also``: not needed, not wrong). ``extract`` gets title and body, once with
the article's language and once with the language unknown; a prediction outside both lists is a
false positive.

Other languages (``--parts intl``, ``bench/entities_intl.py``): people, countries and organisations
per language on the hand-labelled development articles, with the language given, detected and
unknown, CPU ms per article; ``--final`` adds the annotated final-check sets (CoNLL-2002 testb,
HIPE-2022 German), to be looked at rarely.

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

# The extraction code scored: this checkout, or another revision's copy (``--baseline``).
sys.path.insert(0, os.environ.get("NEWSFACET_BENCH_CODE") or str(Path(__file__).resolve().parents[1]))

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


def organisations_of(ents, title: str, body: str, dateline: str | None = None) -> list[str]:
    """The organisations extraction found (none from code that predates them)."""
    return list(getattr(ents, "organisations", []) or [])


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
    text = [" ".join(w for w, _ in s) for s in sentences]
    return {"title": text[0], "body": "\n".join(text[1:]), "gold": _mentions(sentences, "PER"),
            "gold_organisations": _mentions(sentences, "ORG")}


def _mentions(sentences: list[list[tuple[str, str]]], kind: str) -> set[str]:
    """Maximal I-<kind> runs (B-<kind> starts a new one), as strings."""
    gold: set[str] = set()
    for sent in sentences:
        run: list[str] = []
        for word, tag in sent + [("", "O")]:
            if tag == f"I-{kind}" and run is not None:
                run.append(word)
                continue
            if run:
                gold.add(" ".join(run))
            run = [word] if tag == f"B-{kind}" else []
    return gold


def score_people(docs: list[dict], errors: list | None = None) -> dict:
    tp_pred = fp = tp_gold = fn = 0
    for d in docs:
        pred = extract(d["title"], d["body"]).people
        gold = d["gold"]
        one_token = {g.lower() for g in gold if " " not in g}
        lasts = {p.split()[-1].lower() for p in pred}
        bad_pred = [p for p in pred if not (p in gold or p.split()[-1].lower() in one_token)]
        missed = [g for g in gold if not (g in pred or (" " not in g and g.lower() in lasts))]
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


_ORG_NOISE = re.compile(r"[.,'’\"()]|\s+&\s+")


def org_key(name: str) -> str:
    """An organisation's name folded for comparison: case, accents, "the", punctuation, a possessive
    and trailing legal forms ("The Airbus SAS" = "airbus")."""
    from indexer.textkeys import casefold_key
    from cleanco.termdata import terms_by_country, terms_by_type
    global _LEGAL
    if _LEGAL is None:
        terms = {x.strip() for g in (*terms_by_type.values(), *terms_by_country.values()) for x in g}
        _LEGAL = {x.replace(".", "").lower() for x in terms if " " not in x and x.replace(".", "").isalpha()}
        _LEGAL -= {"company", "corporation", "group", "at", "ok", "private", "uk"}
    text = casefold_key(name).replace("’s ", " ").replace("'s ", " ")
    text = re.sub(r"['’]s$", "", text)
    words = _ORG_NOISE.sub(" ", text.replace("-", " ")).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL:
        words = words[:-1]
    return " ".join(words)


_LEGAL: set[str] | None = None


def _initials_match(short: str, long: str) -> bool:
    words = [w for w in long.split() if w not in ("of", "the", "and", "for", "to", "on", "de", "at")]
    s = short.replace(" ", "")
    return len(words) > 1 and " " not in short and 1 < len(s) == len(words) and s == "".join(w[0] for w in words)


def org_groups(mentions: set[str]) -> list[set[str]]:
    """A document's organisation mentions grouped into organisations: acronyms with their names, one
    word with the names it opens ("Rotor", "Rotor Volgograd")."""
    keys = sorted({org_key(m) for m in mentions if org_key(m)})
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k
    for a in keys:
        for b in keys:
            if a < b and (_initials_match(a, b) or _initials_match(b, a)
                          or (" " not in a and b.split()[0] == a) or (" " not in b and a.split()[0] == b)):
                parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for k in keys:
        groups.setdefault(find(k), set()).add(k)
    return list(groups.values())


def match_organisations(pred: list[str], groups: list[set[str]]) -> tuple[list[str], list[int]]:
    """(predictions matching no organisation, indexes of organisations no prediction matched)."""
    matched = [False] * len(groups)
    bad = []
    for name in dict.fromkeys(pred):
        key = org_key(name)
        first = key.split()[0] if key else ""
        hit = next((i for i, g in enumerate(groups) if not matched[i] and key in g), None)
        if hit is None:
            hit = next((i for i, g in enumerate(groups) if not matched[i] and any(
                (" " not in key and k.split()[0] == key) or (" " not in k and first == k) for k in g)), None)
        if hit is None and any(key in g for g in groups):
            continue                 # a second form of an organisation already counted: neither right nor wrong
        if hit is None:
            bad.append(name)
        else:
            matched[hit] = True
    return bad, [i for i, m in enumerate(matched) if not m]


def score_organisations(docs: list[dict], errors: list | None = None) -> dict:
    """Organisations against CoNLL ORG mentions, per document."""
    tp = fp = fn = 0
    for d in docs:
        ents = extract(d["title"], d["body"])
        pred = organisations_of(ents, d["title"], d["body"])
        groups = org_groups(d["gold_organisations"])
        bad, missed = match_organisations(pred, groups)
        tp += len(groups) - len(missed)
        fp += len(bad)
        fn += len(missed)
        if errors is not None and (bad or missed):
            errors.append({"title": d["title"], "fp": bad, "fn": [sorted(groups[i])[0] for i in missed]})
    return {**_prf(tp, fp, fn), "documents": len(docs)}


LABELS = Path(__file__).resolve().parent / "labels" / "wikinews_entities.jsonl"
PEOPLE_LABELS = Path(__file__).resolve().parent / "labels" / "wikinews_people_en.jsonl"   # people only
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


def load_wikinews(shared: Path, limit: int | None = None, labels_path: Path = LABELS) -> list[dict]:
    """The labelled articles as extracted by the reading pipeline: dicts url, people, countries,
    gold_people (list of variant lists), gold_countries (``labels_path``: the labels read)."""
    from indexer.ingest.pipeline import process_file
    from indexer.ingest.entities import canonical_country
    path = shared / WIKINEWS
    if not path.is_file() or not labels_path.is_file():
        return []
    labels = {}
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            labels[item["url"]] = item
    out = []
    for article in process_file(str(path), str(path.parent)).articles:
        gold = labels.get(article.url)
        if gold is None:
            continue
        facets = getattr(article, "facets", None)
        if facets is None:                # a baseline revision's Article, before facets were keyed by name
            facets = {"person": list(article.people), "country": list(article.countries),
                      "org": getattr(article, "organisations", None)}
            mentioned = list(article.countries_mentioned)
        else:
            mentioned = list(article.mentioned.get("country", []))
        organisations = facets.get("org")
        if organisations is None:         # an Article without the field: what the pipeline's extract found
            organisations = organisations_of(extract(article.title, article.body, article.dateline),
                                             article.title, article.body)
        out.append({
            "url": article.url, "title": article.title, "body": article.body,
            "people": list(facets.get("person", [])),
            "countries": list(facets.get("country", [])) + mentioned,
            "organisations": list(organisations),
            "gold_people": [p.split("|") for p in gold["people"]],
            "gold_countries": {canonical_country(c) or c for c in gold.get("countries", [])},
            "gold_organisations": [o.split("|") for o in gold.get("organisations", [])],
        })
        if limit and len(out) >= limit:
            break
    return out


def score_wikinews(docs: list[dict], errors: list | None = None) -> dict:
    people = [0, 0, 0]      # tp, fp, fn
    countries = [0, 0, 0]
    organisations = [0, 0, 0]
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
        groups = [{org_key(v) for v in variants} for variants in d["gold_organisations"]]
        org_bad, org_missed = match_organisations(d["organisations"], groups)
        organisations[0] += len(groups) - len(org_missed)
        organisations[1] += len(org_bad)
        organisations[2] += len(org_missed)
        if errors is not None and (bad or missed or pred != g or org_bad or org_missed):
            errors.append({"url": d["url"], "people_fp": bad, "people_fn": missed,
                           "countries_fp": sorted(pred - g), "countries_fn": sorted(g - pred),
                           "organisations_fp": org_bad,
                           "organisations_fn": [d["gold_organisations"][i][0] for i in org_missed]})
    return {"people": _prf(*people), "countries": _prf(*countries), "organisations": _prf(*organisations),
            "articles": len(docs)}


INTL_LABELS = Path(__file__).resolve().parent / "labels" / "countries_fr_it.jsonl"
INTL_CORPUS = Path("corpus") / "wikinews_fr_it"


def load_intl(shared: Path) -> list[dict]:
    """The labelled French and Italian articles: dicts title, body, lang, gold, also."""
    if not INTL_LABELS.is_file():
        return []
    labels = {}
    for line in INTL_LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            labels[(item["lang"], item["title"])] = item
    out = []
    for lang in ("fr", "it"):
        path = shared / INTL_CORPUS / f"wikinews_{lang}.jsonl"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            gold = labels.get((lang, article["title"]))
            if gold is not None:
                out.append({"title": article["title"], "body": article["body"], "lang": lang,
                            "gold": set(gold["countries"]), "also": set(gold["also"])})
    return out


def score_intl(docs: list[dict], known_language: bool, errors: list | None = None) -> dict:
    """Countries (about + mentioned) against the labels, per language and overall."""
    totals: dict[str, list[int]] = {}
    for d in docs:
        try:
            ents = extract(d["title"], d["body"], None, d["lang"] if known_language else None)
        except TypeError:      # a baseline revision whose extract takes no language
            ents = extract(d["title"], d["body"], None)
        pred = set(ents.countries) | set(ents.countries_mentioned)
        tp, fp, fn = len(pred & d["gold"]), len(pred - d["gold"] - d["also"]), len(d["gold"] - pred)
        for key in (d["lang"], "all"):
            t = totals.setdefault(key, [0, 0, 0])
            t[0] += tp
            t[1] += fp
            t[2] += fn
        if errors is not None and (pred - d["gold"] - d["also"] or d["gold"] - pred):
            errors.append({"title": d["title"], "language": d["lang"] if known_language else None,
                           "fp": sorted(pred - d["gold"] - d["also"]), "fn": sorted(d["gold"] - pred)})
    return {key: {**_prf(*t), "articles": sum(1 for d in docs if key in (d["lang"], "all"))}
            for key, t in totals.items()}


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


def measure(shared: Path, split: str, limit: int | None, errors: Path | None = None,
            parts: tuple[str, ...] = ("english", "intl"), final: bool = False) -> dict:
    """Every figure of this benchmark for the extraction code on ``sys.path``."""
    figures: dict = {}
    intl_errors: dict | None = {} if errors else None
    if "intl" in parts:
        sys.modules.setdefault("entities", sys.modules[__name__])
        import entities_intl
        figures["multilingual"] = entities_intl.measure(intl_errors, final)
    if "english" not in parts:
        if errors:
            errors.write_text(json.dumps({"multilingual": intl_errors}, indent=1, ensure_ascii=False))
        return figures
    reuters = load_reuters(shared, limit)
    conll = load_conll(shared / "corpus" / "conll2003" / split, limit)
    c_err: list | None = [] if errors else None
    p_err: list | None = [] if errors else None
    o_err: list | None = [] if errors else None
    w_err: list | None = [] if errors else None
    wp_err: list | None = [] if errors else None
    i_err: list | None = [] if errors else None
    intl = load_intl(shared)
    figures.update({
        "countries": score_countries(reuters, place_counts(shared), c_err),
        "people": score_people(conll, p_err),
        "organisations": score_organisations(conll, o_err),
        "wikinews": score_wikinews(load_wikinews(shared, limit), w_err),
        "wikinews_people": score_wikinews(load_wikinews(shared, limit, PEOPLE_LABELS), wp_err),
        "intl_language_known": score_intl(intl, True, i_err),
        "intl_language_unknown": score_intl(intl, False, i_err),
        "articles_per_s": round(speed(reuters[:2000]), 1),
    })
    if errors:
        errors.write_text(json.dumps({"countries": c_err, "people": p_err, "organisations": o_err,
                                      "wikinews": w_err, "wikinews_people": wp_err, "intl": i_err,
                                      "multilingual": intl_errors},
                                     indent=1, ensure_ascii=False))
    return figures


def baseline_figures(ref: str, split: str, limit: int | None, parts: tuple[str, ...] = ("english", "intl"),
                     final: bool = False) -> dict:
    """The same figures for the extraction code of git revision ``ref``, measured in a child process
    over an exported copy of that revision's ``indexer`` package, with this file's scorers."""
    args = ["--json", "--split", split] + (["--limit", str(limit)] if limit else [])
    args += ["--parts", ",".join(parts)] + (["--final"] if final else [])
    return json_at_revision(ref, Path(__file__).resolve(), args)


def json_at_revision(ref: str, script: Path, args: list[str]) -> dict:
    """Run a bench ``script`` (printing JSON on its last line) over an exported copy of revision
    ``ref``'s ``indexer`` package, in a child process; its JSON."""
    import subprocess
    import tempfile
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="entities-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(root), "archive", ref, "indexer"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        out = subprocess.run([sys.executable, str(script), *args], check=True, capture_output=True, text=True,
                             env={**os.environ, "NEWSFACET_BENCH_CODE": tmp}).stdout
    return json.loads(out.strip().splitlines()[-1])


def _rows(figures: dict, split: str) -> list[tuple[str, dict]]:
    w = figures["wikinews"]
    return [("countries  Reuters PLACES", figures["countries"]),
            (f"people     CoNLL {split}", figures["people"]),
            (f"orgs       CoNLL {split}", figures["organisations"]),
            ("people     Wikinews labels", w["people"]),
            ("people     Wikinews chosen 30", figures.get("wikinews_people", {}).get("people")),
            ("countries  Wikinews labels", w["countries"]),
            ("orgs       Wikinews labels", w["organisations"])]


def _cell(f: dict) -> str:
    return f"P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles/documents")
    ap.add_argument("--split", default="eng.testb", help="CoNLL split for people and organisations (default eng.testb)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", type=Path, default=None, help="write error listings (JSON) here")
    ap.add_argument("--baseline", default=None, metavar="REF",
                    help="also score the extraction code of this git revision, in the same run")
    ap.add_argument("--parts", default="english,intl",
                    help="english (Reuters, CoNLL-2003, Wikinews), intl (other languages); default both")
    ap.add_argument("--final", action="store_true",
                    help="add the annotated final-check sets in other languages (look rarely)")
    args = ap.parse_args(argv)
    parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    shared = shared_dir()
    if not (shared / "corpus").is_dir():
        print(f"skipped: shared corpora not found at {shared}")
        return 0
    base = baseline_figures(args.baseline, args.split, args.limit, parts, args.final) if args.baseline else None
    figures = measure(shared, args.split, args.limit, args.errors, parts, args.final)
    if args.json:
        print(json.dumps({**figures, "baseline": base} if base else figures))
        return 0
    if "multilingual" in figures:
        import entities_intl
        print("\n".join(entities_intl.lines(figures["multilingual"], (base or {}).get("multilingual"))))
    if "english" not in parts:
        return 0
    c = figures["countries"]
    print(f"{'':28}  {'this code':29}" + (f"  baseline {args.baseline}" if base else ""))
    for (label, f), other in zip(_rows(figures, args.split), _rows(base, args.split) if base else [None] * 7):
        print(f"{label:28}  {_cell(f)}" + (f"  {_cell(other[1])}" if other else ""))
    speed_line = f"speed: {figures['articles_per_s']:.0f} articles/s ({1000 / figures['articles_per_s']:.2f} ms/article)"
    if base:
        speed_line += (f"; baseline {base['articles_per_s']:.0f} articles/s "
                       f"({1000 / base['articles_per_s']:.2f} ms/article)")
    for mode in ("known", "unknown"):
        for key, f in figures[f"intl_language_{mode}"].items():
            other = (base or {}).get(f"intl_language_{mode}", {}).get(key)
            print(f"{'countries  ' + key + ' Wikinews, lang ' + mode:28}  {_cell(f)}"
                  + (f"  {_cell(other)}" if other else "") + f"  ({f['articles']} articles)")
    print(speed_line + " (CPU time, one process, Reuters bodies)")
    print(f"({c['articles']} Reuters articles, {c['skipped']} skipped: label outside the mapping; "
          f"{figures['people']['documents']} CoNLL documents; {figures['wikinews']['articles']} Wikinews "
          "articles, countries = about + mentioned)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
