"""People, countries and organisations in other languages: the hand-labelled development articles
(``bench/labels/multilingual_entities.jsonl``, read by ``multilingual_sets``) and the human-annotated
final-check sets (CoNLL-2002 es/nl testb, HIPE-2022 German dev, read by ``annotated_ner``).

Part of ``bench/entities.py`` (which prints these figures beside the English ones and, with
``--baseline REF``, those of another revision in the same run); not run alone.

Each article is extracted three ways: with its language given (as the pipeline gives the detected
one), with the language ``indexer.ingest.languages.detect`` finds on title + body (what the product
does), and, for the record, unknown. Document level, micro-averaged, per language and overall.

- Labelled articles: people as the Wikinews labels are scored (variants "A|B"; first and last word
  folded, or a surname alone by the last word), countries (about + mentioned) against the labels, a
  predicted country the article gives only by a demonym or a place inside it (the gazetteer's own
  mentions: no name, no abbreviation) not counted wrong, as the held-out check does; organisations
  as the Wikinews labels.
- Annotated sets: people as CoNLL-2003 is scored (a gold mention found when a predicted name equals
  it, or it is one word equal to a predicted name's last; a prediction right when it equals a
  mention or its last word is a one-word mention); countries against the LOC entities that are
  country names, a predicted country not counted wrong when the document's LOC and MISC entities
  alone give it (a demonym or a city inside it: "a country taken from a demonym or from a place
  inside it is not counted wrong"); organisations as CoNLL-2003 ORG is scored.

The annotated sets are a final check: look at their figures rarely and never write rules to their
errors (docs/dev-sets.md).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import entities as scores  # noqa: E402  (bench/entities.py: the scorers and the code under test)

MODES = ("given", "detected", "unknown")
FINAL_SETS = (("conll2002", "es", "testb"), ("conll2002", "nl", "testb"),
              ("hipe2022-newseye", "de", "dev"), ("hipe2022-sonar", "de", "dev"))


def _extract(title: str, body: str, language: str | None):
    try:
        return scores.extract(title, body, None, language)
    except TypeError:                       # a revision whose extract takes no language
        return scores.extract(title, body, None)


def _language(doc: dict, mode: str) -> str | None:
    if mode == "given":
        return doc["lang"]
    if mode == "unknown":
        return None
    try:
        from indexer.ingest.languages import detect
    except ImportError:                     # a revision from before detection: its product told none
        return None
    return detect(f"{doc['title']}\n{doc['body']}") or None


def load_labelled() -> list[dict]:
    """The labelled articles whose text is on this machine."""
    from multilingual_sets import articles
    return [{"lang": lang, "key": key, "title": title, "body": body,
             "gold_people": [p.split("|") for p in gold["people"]],
             "gold_countries": set(gold["countries"]),
             "gold_organisations": [o.split("|") for o in gold["organisations"]]}
            for lang, key, title, body, gold in articles()]


def load_final() -> list[dict]:
    """The annotated final-check documents whose files are on this machine."""
    from annotated_ner import conll2002, hipe2022
    docs = []
    for name, lang, split in FINAL_SETS:
        found = conll2002(lang, split) if name == "conll2002" else hipe2022(name.split("-")[1], lang, split)
        for d in found:
            docs.append({"lang": lang, "set": f"{name} {lang} {split}", "title": d["title"], "body": d["body"],
                         "gold": d["PER"], "gold_organisations": d["ORG"], "gold_countries": d["countries"],
                         "places": d["LOC"] | d["MISC"]})
    return docs


def _inside(title: str, body: str, language: str | None) -> set[str]:
    """Countries the article gives only by a demonym or a place inside them (never by name): a
    prediction of one is not counted wrong, as the held-out check does not count it."""
    try:
        from indexer.ingest.entities.countries import NAMES, find_mentions
        from indexer.ingest.entities.text import tokenize
        mentions = find_mentions(tokenize(f"{title}\n{body}"), "body", language=language)
    except (ImportError, TypeError):
        return set()
    kinds: dict[str, set[str]] = {}
    for m in mentions:
        kinds.setdefault(m.iso, set()).add(m.kind)
    return {NAMES[iso] for iso, k in kinds.items() if iso in NAMES and not k & {"name", "abbr"}}


def _add(totals: dict, keys: tuple, kind: str, tp: int, fp: int, fn: int) -> None:
    for key in keys:
        t = totals.setdefault(key, {}).setdefault(kind, [0, 0, 0])
        t[0] += tp
        t[1] += fp
        t[2] += fn


def _people_labels(pred: list[str], gold_people: list[list[str]]) -> tuple[int, list[str], list[str]]:
    """(found, wrong predictions, missed labels) as the Wikinews people labels are scored."""
    gold = [{scores.casefold_key(v) for v in variants} for variants in gold_people]
    matched = [False] * len(gold)
    bad = []
    for name in dict.fromkeys(pred):
        key = scores.casefold_key(name)
        hit = next((i for i, keys in enumerate(gold) if not matched[i] and key in keys), None)
        if hit is None and key[0] == key[1]:
            hit = next((i for i, keys in enumerate(gold) if not matched[i] and any(k[1] == key[1] for k in keys)),
                       None)
        if hit is None and any(key in keys or (key[0] == key[1] and any(k[1] == key[1] for k in keys))
                               for keys in gold):
            continue                        # a second form of a person already found
        if hit is None:
            bad.append(name)
        else:
            matched[hit] = True
    return sum(matched), bad, [gold_people[i][0] for i, m in enumerate(matched) if not m]


def _people_mentions(pred: list[str], gold: set[str]) -> tuple[int, int, list[str], list[str]]:
    """(right predictions, found mentions, wrong predictions, missed mentions) as CoNLL is scored."""
    one_token = {g.lower() for g in gold if " " not in g}
    lasts = {p.split()[-1].lower() for p in pred}
    bad = [p for p in pred if not (p in gold or p.split()[-1].lower() in one_token)]
    missed = [g for g in gold if not (g in pred or (" " not in g and g.lower() in lasts))]
    return len(pred) - len(bad), len(gold) - len(missed), bad, missed


def score(docs: list[dict], mode: str, final: bool, errors: list | None = None) -> dict:
    """Figures per language (and per set for the final check) and overall, with CPU ms per article."""
    totals: dict[str, dict] = {}
    cpu: dict[str, list[float]] = {}
    for d in docs:
        language = _language(d, mode)
        start = time.process_time()
        ents = _extract(d["title"], d["body"], language)
        spent = time.process_time() - start
        keys = (d["lang"], "all") if not final else (d["lang"], d["set"], "all")
        for key in keys:
            c = cpu.setdefault(key, [0.0, 0])
            c[0] += spent
            c[1] += 1
        people = list(ents.people)
        countries = set(ents.countries) | set(ents.countries_mentioned)
        orgs = scores.organisations_of(ents, d["title"], d["body"])
        if final:
            right, found, bad_people, missed_people = _people_mentions(people, d["gold"])
            _add(totals, keys, "people_p", right, len(bad_people), 0)
            _add(totals, keys, "people_r", found, 0, len(missed_people))
            excused = set()
            if d["places"]:                 # the countries the annotated places and demonyms alone give
                alone = _extract(" . ".join(sorted(d["places"])), "", d["lang"])
                excused = set(alone.countries) | set(alone.countries_mentioned)
            gold_c = d["gold_countries"]
            groups = scores.org_groups(d["gold_organisations"])
        else:
            found, bad_people, missed_people = _people_labels(people, d["gold_people"])
            _add(totals, keys, "people_p", found, len(bad_people), 0)
            _add(totals, keys, "people_r", found, 0, len(missed_people))
            excused, gold_c = _inside(d["title"], d["body"], language), d["gold_countries"]
            groups = [{scores.org_key(v) for v in variants} for variants in d["gold_organisations"]]
        bad_c = countries - gold_c - excused
        _add(totals, keys, "countries", len(countries & gold_c), len(bad_c), len(gold_c - countries))
        bad_o, missed_o = scores.match_organisations(orgs, groups)
        _add(totals, keys, "organisations", len(groups) - len(missed_o), len(bad_o), len(missed_o))
        if errors is not None and (bad_people or missed_people or bad_c or gold_c - countries or bad_o or missed_o):
            errors.append({"lang": d["lang"], "key": d.get("key") or d.get("set"), "title": d["title"][:80],
                           "language": language, "people_fp": bad_people, "people_fn": missed_people,
                           "countries_fp": sorted(bad_c), "countries_fn": sorted(gold_c - countries),
                           "organisations_fp": bad_o,
                           "organisations_fn": [sorted(groups[i])[0] for i in missed_o]})
    out = {}
    for key, t in totals.items():
        pp, pr = t["people_p"], t["people_r"]
        precision = pp[0] / (pp[0] + pp[1]) if pp[0] + pp[1] else 0.0
        recall = pr[0] / (pr[0] + pr[2]) if pr[0] + pr[2] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[key] = {"people": {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                               "fp": pp[1], "fn": pr[2]},
                    "countries": scores._prf(*t["countries"]), "organisations": scores._prf(*t["organisations"]),
                    "articles": cpu[key][1], "ms_per_article": round(1000 * cpu[key][0] / cpu[key][1], 3)}
    return out


def measure(errors: dict | None = None, final: bool = True) -> dict:
    """Every figure of the multilingual part: labelled articles by mode, and the final check."""
    labelled = load_labelled()
    for lang in {d["lang"] for d in labelled}:
        _extract("Warm-up", "Tables loaded before the clock runs.", lang)   # per-language tables built once
    out = {}
    for mode in MODES:
        err = [] if errors is not None else None
        out[f"labels_{mode}"] = score(labelled, mode, False, err)
        if errors is not None:
            errors[f"labels_{mode}"] = err
    if final:
        docs = load_final()
        for mode in ("given", "detected"):
            err = [] if errors is not None else None
            out[f"final_{mode}"] = score(docs, mode, True, err)
            if errors is not None:
                errors[f"final_{mode}"] = err
    return out


def _cell(f: dict | None) -> str:
    return f"{f['precision']:.3f} {f['recall']:.3f} {f['f1']:.3f}" if f else " " * 17


def lines(figures: dict, base: dict | None) -> list[str]:
    """The table printed by bench/entities.py: P R F1 per kind, this code then the baseline."""
    out = []
    head = "P R F1 (this" + (" | baseline)" if base else ")")
    for part, f in figures.items():
        out.append(f"-- {part.replace('_', ', language ')}: people, countries, organisations {head}; ms/article")
        for key, row in sorted(f.items(), key=lambda kv: (kv[0] == "all", kv[0])):
            other = (base or {}).get(part, {}).get(key)
            cells = []
            for kind in ("people", "countries", "organisations"):
                cells.append(_cell(row[kind]) + (f" | {_cell(other[kind])}" if other else ""))
            ms = f"{row['ms_per_article']:.2f}" + (f" | {other['ms_per_article']:.2f}" if other else "")
            out.append(f"{key:24} n={row['articles']:<4} " + "   ".join(cells) + f"   {ms}")
    return out
