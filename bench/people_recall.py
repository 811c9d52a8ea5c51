"""English people recall per phenomenon: which kinds of mention extraction finds and which it loses.

Usage: python bench/people_recall.py [--sets conll:eng.train,conll:eng.testa,wikinews,chosen]
                                     [--baseline REF] [--json] [--misses FILE]

A development view, not a score to chase: the sets are CoNLL-2003 train and testa (never testb, the
final check of ``bench/entities.py``), the 60 labelled Wikinews 2019-2020 articles
(``labels/wikinews_entities.jsonl``) and 30 more chosen for lists, quotes, sports, obituaries and
court reports (``labels/wikinews_people_en.jsonl``).

Each person of a document (a CoNLL PER mention string, or a Wikinews label with its variants) is one
unit, found or not as ``bench/entities.py`` scores it. A unit is first sorted by its form:

- ``full``: a name of two words or more;
- ``surname+full``: one word, the last word of a longer name of the same document ("Shearer" beside
  "Alan Shearer"): found through coreference;
- ``bare``: one word the document never completes ("Shearer scored", "Ponting 45").

and then tagged with every phenomenon one of its mentions shows (a unit may have several):
``headline`` (a line in capitals only: every mention there), ``results`` (a number right after it, or a
line mostly numbers: "Ponting 45", "1. Shearer ( England ) 5"), ``list`` (beside another person's
mention across ",", "and", "&"), ``bracket`` (inside "( )" or "[ ]"), ``role`` (a title or role word
right before: "the senator Smith", "coach Smith", "Mr Smith"), ``apposition`` ("Smith, the chairman,",
"Smith, 45,"), ``say`` (a reporting verb after or before it: "Smith said", "said Smith"),
``possessive`` ("Smith's"), ``quote`` (inside quotation marks), ``none`` (none of these).
Recall is printed per form and per (form, phenomenon), with ``--baseline REF`` beside the same figures
for another git revision's extraction code, measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import entities as scores  # noqa: E402  (bench/entities.py: the scorers and the code under test)

CHOSEN = HERE / "labels" / "wikinews_people_en.jsonl"
DEFAULT_SETS = "conll:eng.train,conll:eng.testa,wikinews,chosen"
PHENOMENA = ("headline", "results", "list", "bracket", "role", "apposition", "say", "possessive", "quote", "none")
FORMS = ("full", "surname+full", "bare")
_QUOTES = frozenset("\"“”")


def _words():
    """The title, role and reporting-verb words of the code under test (to describe contexts only)."""
    from indexer.ingest.entities.name_words import ROLES, SAY, TITLES
    return TITLES | ROLES, SAY


# --- contexts ---------------------------------------------------------------------------------------

def _caps(words: list[str]) -> bool:
    letters = [w for w in words if w.isalpha() and len(w) > 1]
    return len(letters) >= 2 and sum(w.isupper() for w in letters) >= 0.75 * len(letters)


def _number(word: str) -> bool:
    return any(c.isdigit() for c in word) and not any(c.isalpha() for c in word.replace("-", ""))


def tags_of(words: list[str], start: int, end: int, is_person, roles, say, in_quote: bool) -> set[str]:
    """The phenomena of one mention ``words[start:end]`` in its line (or sentence) ``words``;
    ``is_person(i)`` says whether word ``i`` belongs to another person's mention."""
    tags: set[str] = set()
    prev = words[start - 1] if start else ""
    prev2 = words[start - 2] if start > 1 else ""
    nxt = words[end] if end < len(words) else ""
    nxt2 = words[end + 1] if end + 1 < len(words) else ""
    if _number(nxt) or (nxt in ("(", ",") and end + 2 < len(words) and _number(words[end + 2])
                        and words[end + 1][:1].isupper() is False) \
            or sum(_number(w) for w in words) >= max(3, 0.3 * len(words)):
        tags.add("results")
    if (prev in (",", "and", "&") and start >= 2 and is_person(start - 2)) or \
            (prev == "and" and prev2 == "," and start >= 3 and is_person(start - 3)) or \
            (nxt in (",", "and", "&") and end + 1 < len(words) and is_person(end + 1)) or \
            (nxt == "," and nxt2 == "and" and end + 2 < len(words) and is_person(end + 2)):
        tags.add("list")
    if prev in ("(", "[") or nxt in (")", "]"):
        tags.add("bracket")
    if prev.lower().rstrip(".") in roles:
        tags.add("role")
    if nxt == "," and (nxt2.lower() in ("the", "a", "an", "who") or _number(nxt2)):
        tags.add("apposition")
    if nxt.lower() in say or prev.lower() in say or (nxt.lower() in ("has", "had", "was") and nxt2.lower() in say):
        tags.add("say")
    if nxt in ("'s", "’s") or words[end - 1].endswith(("'s", "’s")):
        tags.add("possessive")
    if in_quote:
        tags.add("quote")
    return tags


# --- CoNLL ------------------------------------------------------------------------------------------

def conll_units(split: str, limit: int | None = None) -> list[dict]:
    """CoNLL-2003 documents with their PER units, forms and phenomena."""
    path = scores.shared_dir() / "corpus" / "conll2003" / split
    if not path.is_file():
        return []
    roles, say = _words()
    docs, sentences, current = [], [], []

    def close():
        if current:
            sentences.append(list(current))
            current.clear()
        if sentences:
            docs.append(_conll_doc(list(sentences), roles, say))
            sentences.clear()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            close()
            if limit and len(docs) >= limit:
                break
        elif not line.strip():
            if current:
                sentences.append(list(current))
                current.clear()
        else:
            parts = line.split()
            current.append((parts[0], parts[-1]))
    close()
    return docs[:limit] if limit else docs


def _conll_doc(sentences: list[list[tuple[str, str]]], roles, say) -> dict:
    mentions = []                       # (sentence, start, end, text)
    for si, sent in enumerate(sentences):
        start = None
        for i, (_, tag) in enumerate(sent + [("", "O")]):
            if start is not None and (tag != "I-PER"):
                mentions.append((si, start, i, " ".join(w for w, _ in sent[start:i])))
                start = None
            if tag == "B-PER" or (tag == "I-PER" and start is None):
                start = i
    units: dict[str, set[str]] = {}
    for si, s, e, text in mentions:
        words = [w for w, _ in sentences[si]]
        quote = sum(w in _QUOTES or w == '"' for w in words[:s]) % 2 == 1
        person = {i for sj, a, b, _ in mentions if sj == si and (a, b) != (s, e) for i in range(a, b)}
        tags = tags_of(words, s, e, person.__contains__, roles, say, quote)
        if si == 0 or _caps(words):
            tags.add("@caps")
        units.setdefault(text, set()).update(tags or {"none"})
        if not tags - {"@caps"}:
            units[text].add("none")
    out = {}
    for text, tags in units.items():
        out[text] = _finish(text, tags, units)
    text = [" ".join(w for w, _ in s) for s in sentences]
    return {"title": text[0], "body": "\n".join(text[1:]), "units": out}


def _finish(text: str, tags: set[str], units) -> dict:
    """A unit's form and tags: "headline" only when every mention was in a line in capitals."""
    tags = set(tags)
    if "@caps" in tags:
        tags.discard("@caps")
        if tags == {"none"}:
            tags = {"headline"}
    if " " in text:
        form = "full"
    elif any(" " in other and other.split()[-1].lower() == text.lower() for other in units):
        form = "surname+full"
    else:
        form = "bare"
    return {"form": form, "tags": sorted(tags)}


def conll_found(doc: dict, pred: list[str]) -> dict[str, bool]:
    """Which units the predicted names find, as ``entities.score_people`` counts them."""
    lasts = {p.split()[-1].lower() for p in pred}
    return {g: (g in pred or (" " not in g and g.lower() in lasts)) for g in doc["units"]}


# --- Wikinews ---------------------------------------------------------------------------------------

def wikinews_units(labels: Path) -> list[dict]:
    """The labelled Wikinews articles with each labelled person's form and phenomena, found by
    locating the label's words (each variant, and its last word alone) in the article's lines."""
    roles, say = _words()
    gold = {}
    for line in labels.read_text(encoding="utf-8").splitlines() if labels.is_file() else []:
        if line.strip():
            item = json.loads(line)
            gold[item["url"]] = item
    out = []
    for article in scores.load_wikinews(scores.shared_dir(), None, labels):
        item = gold[article["url"]]
        people = [p.split("|") for p in item["people"]]
        lines = [_split(line) for line in f"{article['title']}\n{article['body']}".splitlines()]
        spans = []                       # (line, start, end, person index, full form?)
        for pi, variants in enumerate(people):
            for v in variants:
                w = _split(v)
                for li, words in enumerate(lines):
                    for i in range(len(words) - len(w) + 1):
                        if [x.lower() for x in words[i:i + len(w)]] == [x.lower() for x in w]:
                            spans.append((li, i, i + len(w), pi, len(w) > 1))
                        elif len(w) > 1 and words[i] == w[-1] and not (i and words[i - 1] in w[:-1]):
                            spans.append((li, i, i + 1, pi, False))
        units = []
        for pi, variants in enumerate(people):
            tags: set[str] = set()
            mine = [s for s in spans if s[3] == pi]
            for li, s, e, _, _ in mine:
                words = lines[li]
                person = {i for lj, a, b, pj, _ in spans if lj == li and pj != pi for i in range(a, b)}
                quote = sum(w in _QUOTES for w in words[:s]) % 2 == 1
                t = tags_of(words, s, e, person.__contains__, roles, say, quote)
                tags |= t or {"none"}
            one_word = all(" " not in v.strip() for v in variants)
            full_seen = any(f for *_, f in mine)
            if not mine:
                tags = {"none"}
            form = "bare" if one_word else ("full" if full_seen else "bare")
            units.append({"variants": variants, "form": form, "tags": sorted(tags - {"@caps"} or {"none"})})
        out.append({"url": article["url"], "title": article["title"], "people": article["people"],
                    "units": units, "chosen_for": item.get("chosen_for", "")})
    return out


def _split(text: str) -> list[str]:
    import re
    return re.findall(r"[\w.'’-]+|[^\w\s]", text.replace("'s ", " 's ").replace("’s ", " ’s "))


def wikinews_found(doc: dict) -> list[bool]:
    """Which labelled people the article's extracted names find, as ``entities.score_wikinews`` does."""
    gold = [{scores.casefold_key(v) for v in u["variants"]} for u in doc["units"]]
    matched = [False] * len(gold)
    for name in dict.fromkeys(doc["people"]):
        key = scores.casefold_key(name)
        hit = next((i for i, keys in enumerate(gold) if not matched[i] and key in keys), None)
        if hit is None and key[0] == key[1]:
            hit = next((i for i, keys in enumerate(gold) if not matched[i]
                        and any(k[1] == key[1] for k in keys)), None)
        if hit is not None:
            matched[hit] = True
    return matched


# --- figures ----------------------------------------------------------------------------------------

def measure(sets: list[str], limit: int | None = None, misses: dict | None = None) -> dict:
    """Per set: units and found units per form, per (form, phenomenon) and per chosen kind."""
    figures = {}
    for name in sets:
        counts: dict[str, list[int]] = {}

        def add(key: str, found: bool) -> None:
            c = counts.setdefault(key, [0, 0])
            c[0] += found
            c[1] += 1
        lost = []
        if name.startswith("conll:"):
            for doc in conll_units(name.split(":", 1)[1], limit):
                pred = scores.extract(doc["title"], doc["body"]).people
                for g, ok in conll_found(doc, pred).items():
                    u = doc["units"][g]
                    _count(add, u, ok)
                    if not ok:
                        lost.append({"title": doc["title"], "name": g, **u})
        else:
            labels = scores.LABELS if name == "wikinews" else CHOSEN
            for doc in wikinews_units(labels)[:limit]:
                for u, ok in zip(doc["units"], wikinews_found(doc)):
                    _count(add, u, ok)
                    if doc["chosen_for"]:
                        add(f"chosen {doc['chosen_for']}", ok)
                    if not ok:
                        lost.append({"title": doc["title"], "name": u["variants"][0], **u})
        figures[name] = counts
        if misses is not None:
            misses[name] = lost
    return figures


def _count(add, unit: dict, ok: bool) -> None:
    add("all", ok)
    add(unit["form"], ok)
    for t in unit["tags"]:
        add(f"{unit['form']} {t}", ok)


def baseline(ref: str, sets: list[str], limit: int | None) -> dict:
    """The same figures for the extraction code of git revision ``ref`` (a child process over an
    exported copy of its ``indexer`` package)."""
    args = ["--json", "--sets", ",".join(sets)] + (["--limit", str(limit)] if limit else [])
    return scores.json_at_revision(ref, Path(__file__).resolve(), args)


def _order(key: str) -> tuple:
    parts = key.split(" ", 1)
    head = ("all",) + FORMS
    if parts[0] == "chosen":
        return (9, key)
    return (head.index(parts[0]) if parts[0] in head else 8, len(parts) > 1,
            PHENOMENA.index(parts[1]) if len(parts) > 1 and parts[1] in PHENOMENA else 0)


def lines(figures: dict, base: dict | None, ref: str | None) -> list[str]:
    """The figures as a table: per set, recall (found/units) of this code, and the baseline's."""
    out = []
    for name, counts in figures.items():
        out.append(f"== {name}" + (f"   (this code | baseline {ref})" if base else ""))
        for key in sorted(counts, key=_order):
            f, n = counts[key]
            cell = f"{f / n:.3f} ({f}/{n})" if n else "-"
            other = (base or {}).get(name, {}).get(key)
            if other:
                cell += f"   | {other[0] / other[1]:.3f} ({other[0]}/{other[1]})"
            out.append(f"  {key:28} {cell}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=DEFAULT_SETS, help=f"comma-separated (default {DEFAULT_SETS})")
    ap.add_argument("--baseline", default=None, metavar="REF", help="also measure this git revision")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents of each set")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--misses", type=Path, default=None, help="write the units not found here (JSON)")
    args = ap.parse_args(argv)
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    if any(s.endswith("testb") for s in sets):
        ap.error("CoNLL testb is the final check of bench/entities.py: not a development set")
    if not (scores.shared_dir() / "corpus").is_dir():
        print(f"skipped: shared corpora not found at {scores.shared_dir()}")
        return 0
    base = baseline(args.baseline, sets, args.limit) if args.baseline else None
    misses: dict | None = {} if args.misses else None
    figures = measure(sets, args.limit, misses)
    if args.misses:
        args.misses.write_text(json.dumps(misses, indent=1, ensure_ascii=False))
    if args.json:
        print(json.dumps(figures))
        return 0
    print("\n".join(lines(figures, base, args.baseline)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
