"""People: capitalised name spans, accepted on evidence, titles stripped, coreference in-document.

A span is a run of capitalised words (with particles and initials). Leading titles, roles,
places and common words are stripped; the rest is a person when it starts with a known given
name, follows a title or role word, or stands beside a reporting verb, an age or a bracketed
country. Single surnames ("Kelly", "Mr. Kelly") then point to the full name found in the article.
"""
from __future__ import annotations

from pathlib import Path

from .text import ABBREVIATIONS, Token

DATA = Path(__file__).with_name("data")


def _sections(path: Path) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = out.setdefault(line.strip("[]"), set())
            continue
        current.update(line.split())
    return {k: frozenset(v) for k, v in out.items()}


_W = _sections(DATA / "name_words.txt")
TITLES, ROLES, SAY, ORG, COMMON = _W["titles"], _W["roles"], _W["say"], _W["org"], _W["common"]
FIRST_NAMES = frozenset(w.lower() for line in (DATA / "first_names.txt").read_text(encoding="utf-8")
                        .splitlines() if not line.startswith("#") for w in line.split())
PARTICLES = frozenset("van von de der den da das dos du la le del della di bin ibn al el ter ten y st"
                      .split())
ENGLISH = frozenset(line.strip() for line in (DATA / "english_words.txt").read_text(encoding="utf-8")
                    .splitlines() if line.strip() and not line.startswith("#"))
UNKNOWN_PAIRS = True
BREAK_ABBR = ABBREVIATIONS - {"st"}


CONTRACTIONS = ("'m", "'t", "'re", "'ve", "'ll", "'d", "’m", "’t", "’re", "’ve", "’ll", "’d")


def _name_token(t: Token) -> bool:
    if t.kind != "word" or t.key.endswith(CONTRACTIONS):
        return False
    if t.cap:
        return not t.upper or t.caps_line or (len(t.text) == 1 and t.dot)
    return "-" in t.key and t.key.split("-")[0] in ("al", "el", "bin", "abu", "ad", "as", "ash", "at")


def spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Candidate (start, end) runs of name words; a possessive or a sentence end closes a run."""
    out = []
    n = len(tokens)
    i = 0
    while i < n:
        if not _name_token(tokens[i]):
            i += 1
            continue
        j = i
        while True:
            t = tokens[j]
            if t.poss or (t.dot and len(t.text) > 1 and t.key not in ABBREVIATIONS):
                break
            k = j + 1
            if k < n and tokens[k].kind == "word" and tokens[k].key in PARTICLES and not tokens[k].cap \
                    and k + 1 < n and _name_token(tokens[k + 1]):
                k += 1
            if k < n and _name_token(tokens[k]) and tokens[k].caps_line == tokens[i].caps_line:
                j = k
                continue
            break
        out.append((i, j + 1))
        i = j + 1
    return out


def _wordlike(keys: list[str]) -> bool:
    """An unknown name made of ordinary English words ("Grateful Dead"), not a person's name."""
    return keys[0] not in FIRST_NAMES and (keys[-1] in ENGLISH or keys[0] in ENGLISH)


def _unglue(name: str) -> str:
    """Drop a caption word glued to the end of a name by text extraction ("Jane DoeImage")."""
    last = name.rsplit(" ", 1)[-1]
    for i in range(len(last) - 1, 3, -1):
        if last[i].isupper() and last[i - 1].islower():
            if last[i:].lower() in ENGLISH and last[i:].istitle() and " " in name:
                return name[:len(name) - len(last) + i]
            break
    return name


class _Doc:
    def __init__(self, tokens: list[Token], places: set[int]):
        self.tokens = tokens
        self.places = places
        self.lower_words = {t.key for t in tokens if t.kind == "word" and not t.cap}


def _strip(doc: _Doc, start: int, end: int) -> tuple[int, bool]:
    """Skip leading titles, roles, places and common words; return new start and title seen."""
    toks = doc.tokens
    titled = False
    i = start
    for k in range(start + 1, end - 1):      # "Senior Advisors Jared Kushner": words, then a given name
        if toks[k].key in FIRST_NAMES:
            lead = [toks[j].key for j in range(start, k)]
            last_title = max((j for j, w in enumerate(lead) if w in TITLES or w in ROLES), default=-1)
            if all(w in ENGLISH or w in TITLES or w in ROLES or w in ORG or w in COMMON
                   for w in lead[last_title + 1:]) \
                    and not any(w in FIRST_NAMES or w in PARTICLES for w in lead):
                i, titled = k, any(w in TITLES or w in ROLES for w in lead)
            break
    for j in range(end - 2, i - 1, -1):
        if toks[j].key in TITLES and toks[j].key not in FIRST_NAMES:
            i, titled = j + 1, True
            break
    while i < end:
        t = toks[i]
        key = t.key
        if len(t.text) == 1:
            if t.dot and i + 1 < end:
                break              # an initial: "I. Healy"
        elif key in TITLES:
            titled = True
        elif key in FIRST_NAMES and i + 1 < end:
            break
        elif i in doc.places or key in COMMON or key in ORG or (
                "-" in key and not t.text.split("-")[-1][:1].isupper()):
            titled = titled and key not in COMMON
        elif i == start and t.sent_start and key in doc.lower_words:
            pass
        else:
            break
        i += 1
    return i, titled


def extract_people(tokens: list[Token], places: set[int]) -> tuple[list[str], set[int]]:
    """People in salience order, and the token indexes that belong to their names."""
    doc = _Doc(tokens, places)
    n = len(tokens)
    full: dict[str, list[int]] = {}          # display name -> token indexes of its mentions
    single_titled: dict[str, list[int]] = {}
    order: dict[str, int] = {}
    pending: list[tuple[int, int]] = []
    accepted: list[tuple[int, int]] = []
    unsure: list[tuple[int, int]] = []
    found = spans(tokens)
    alone = {tokens[s].key for s, e in found if e - s == 1 and not tokens[s].caps_line
             and tokens[s].key not in COMMON and tokens[s].key not in doc.lower_words}
    for start, end in found:
        if tokens[start].caps_line:
            pending.append((start, end))
            continue
        s, titled = _strip(doc, start, end)
        if s >= end:
            pending.append((start, end))
            continue
        if any(tokens[k].key in ORG for k in range(s + 1, end)):
            continue
        while (end - s > 1 and tokens[end - 1].key in COMMON or end - s > 2 and (end - 1) in places) \
                and not tokens[end - 1].poss:
            end -= 1
        words = tokens[s:end]
        keys = [t.key for t in words]
        if any(i in places for i in range(s, end)) and keys[0] not in FIRST_NAMES:
            continue
        prev = tokens[s - 1] if s > 0 else None
        nxt = tokens[end] if end < n else None
        role = prev is not None and prev.kind == "word" and not prev.cap and prev.key in ROLES
        if len(words) == 1:
            if (titled or role) and keys[0] not in COMMON and keys[0] not in ORG and keys[0] not in ENGLISH:
                name = words[0].text
                single_titled.setdefault(name, []).append(s)
                order.setdefault(name, s)
            else:
                pending.append((s, end))
            continue
        evidence = titled or role or keys[0] in FIRST_NAMES or (len(keys[0]) == 1 and words[0].dot)
        if not evidence and s >= 2 and prev.key in ("of", "on", "for") and not prev.cap \
                and tokens[s - 2].cap and tokens[s - 2].key in ORG:
            continue           # "Commission on Presidential Debates": the rest of an organisation's name
        if not evidence and keys[-1] in ENGLISH:
            continue           # "Lives Matter said": ordinary words, not a person however they are used
        if not evidence and nxt is not None:
            if nxt.key in SAY or (nxt.text == "," and end + 1 < n and tokens[end + 1].kind == "num"):
                evidence = True
            elif nxt.text == "(" and end + 2 < n and (end + 1) in places and tokens[end + 2].text == ")":
                evidence = True
            elif nxt.text == "," and end + 1 < n and tokens[end + 1].key in ("who", "whose"):
                evidence = True
        if not evidence and prev is not None and prev.key in SAY and not prev.cap:
            evidence = True
        if not evidence and keys[-1] in alone and not _wordlike(keys):
            evidence = True
        if not evidence and UNKNOWN_PAIRS and len(words) in (2, 3) and not words[0].sent_start \
                and not (keys[0].endswith("ing") and len(keys[0]) > 5) \
                and all(len(k) > 1 and k not in COMMON and k not in ORG and k not in doc.lower_words
                        for k in keys) \
                and not (nxt is not None and nxt.key in ORG) and not _wordlike(keys):
            evidence = True
        if not evidence:
            unsure.append((s, end))
            continue
        accepted.append((s, end))
    # names in a list with an accepted name ("A B, C D and E F") are names too
    accepted_ends = {e: s for s, e in accepted}
    accepted_starts = {s for s, _ in accepted}
    for _ in range(2):
        for s, end in list(unsure):
            before = s - 1
            after = end
            left = before >= 0 and tokens[before].text in (",", "and", "&") and before in accepted_ends
            right = after < n and tokens[after].text in (",", "and", "&") and after + 1 in accepted_starts
            if left or right:
                unsure.remove((s, end))
                accepted.append((s, end))
                accepted_ends[end] = s
                accepted_starts.add(s)
    pending.extend(unsure)
    for s, end in sorted(accepted):
        words = tokens[s:end]
        name = " ".join(t.text + ("." if len(t.text) == 1 and t.dot else "") for t in words)
        name = _unglue(name)
        full.setdefault(name, []).extend(range(s, end))
        order.setdefault(name, s)
    # coreference: surnames (and single titled names) to full names
    by_last: dict[str, str] = {}
    by_first: dict[str, set[str]] = {}
    for name in sorted(full, key=lambda x: order[x]):
        by_last.setdefault(name.split()[-1].lower(), name)
        by_first.setdefault(name.split()[0].lower(), set()).add(name)
    for name, idx in single_titled.items():
        target = by_last.get(name.lower())
        if target is None and len(by_first.get(name.lower(), ())) == 1:
            target = next(iter(by_first[name.lower()]))    # "Melania" after "Melania Trump"
        if target:
            full[target].extend(idx)
        else:
            full[name] = list(idx)
            by_last.setdefault(name.lower(), name)
    for start, end in pending:
        for i in range(start, end):
            key = tokens[i].key
            target = by_last.get(key)
            if target is not None:
                full[target].append(i)
    names = sorted(full, key=lambda x: (-len(set(full[x])), order[x]))
    covered = {i for idx in full.values() for i in idx}
    return names, covered
