"""One entry per person in an article: variants of a name merged ("Brian T. Carroll" and
"Brian Carroll"), surnames and titled single names ("Kelly", "Mr. Kelly", "Melania") pointed to
the full name the article gives.

Kept apart from finding and accepting names: it works on the accepted names and their mention
indexes only, and decides salience (most mentioned first).
"""
from __future__ import annotations

from indexer.textkeys import lower_key

from .name_words import FIRST_NAMES, KIN, NAME_SUFFIXES, TITLES
from .text import Token

def _name_words(name: str) -> list[str]:
    """A name's words for comparing variants: folded, without initials and suffixes."""
    return [w for w in (lower_key(x) for x in name.replace(".", " ").split()) if len(w) > 1 and w not in NAME_SUFFIXES]


def _initials(name: str) -> tuple[str, ...]:
    """A name's middle initials ("George H. W. Bush" -> ("h", "w")), which tell namesakes apart."""
    return tuple(w.lower() for w in name.replace(".", " ").split()[1:-1] if len(w) == 1)


def _within(short: list[str], long: list[str]) -> bool:
    """``short``'s words appear in ``long`` in order, sharing its first or its last word."""
    if not short or len(short) > len(long) or (short[0] != long[0] and short[-1] != long[-1]):
        return False
    it = iter(long)
    return all(w in it for w in short)


def merge_variants(full: dict[str, list[int]], order: dict[str, int]) -> None:
    """One entry per person: "Brian T. Carroll" and "Brian Carroll", "Rivera Schatz" and "Thomas
    Rivera Schatz" merge. In place."""
    if len(full) < 2:
        return
    names = sorted(full, key=lambda x: order[x])
    words = {name: _name_words(name) for name in names}
    sharing: dict[str, list[str]] = {}     # first or last word -> names with it (in article order)
    for name in names:
        for key in {words[name][0], words[name][-1]} if words[name] else ():
            sharing.setdefault(key, []).append(name)
    for name in list(names):
        w = words[name]
        if len(w) < 2 or name not in full:
            continue
        others = sharing.get(w[0], []) + (sharing.get(w[-1], []) if w[-1] != w[0] else [])
        for other in sorted(set(others), key=lambda x: order[x]):
            if other is name or other not in full:
                continue
            wo = words[other]
            if _initials(name) and _initials(other) and _initials(name) != _initials(other):
                continue            # "George H. W. Bush" and "George W. Bush": two people
            if len(wo) >= len(w) and _within(w, wo) and (len(wo) > len(w) or order[other] < order[name]):
                # the fuller form is kept ("Jose Ramos Horta", not "Ramos Horta"), unless a form with
                # the same first word is used more; of equal forms, the first
                uses, uses_o = len(full[name]) / len(w), len(full[other]) / len(wo)
                keep_short = (w[0] == wo[0] and uses > uses_o) or (len(wo) == len(w) and order[name] < order[other]) \
                    or (w[0] in FIRST_NAMES and wo[0] not in FIRST_NAMES)    # not "Is Rock Hudson"
                target, gone = (name, other) if keep_short else (other, name)
                full[target].extend(full.pop(gone))
                order[target] = min(order[target], order[gone])
                if gone is name:
                    break


def merge_genitives(full: dict[str, list[int]], order: dict[str, int]) -> None:
    """German genitives joined to the name ("Mao Zedongs" to "Mao Zedong"). In place."""
    for name in [x for x in full if x.endswith("s") and x[:-1] in full]:
        full[name[:-1]].extend(full.pop(name))
        order[name[:-1]] = min(order[name[:-1]], order.pop(name, order[name[:-1]]))


def resolve(tokens: list[Token], full: dict[str, list[int]], order: dict[str, int],
            single_titled: dict[str, list[int]], formal: set[str], pending: list[tuple[int, int]],
            blocked: set[tuple], vouched: set[tuple], genitive_s: bool = False) -> tuple[list[str], set[int]]:
    """Accepted names merged and given their other mentions: people in salience order, and their tokens;
    ``genitive_s``: a surname with an "s" added is the same person's (German "Doskozils")."""
    # coreference: surnames (and single titled names) to full names
    for name in [x for x in full if tuple(t.lower() for t in x.split()) in blocked - vouched]:
        del full[name]                            # named as a thing elsewhere in the article
    if genitive_s:
        merge_genitives(full, order)
    merge_variants(full, order)
    by_last: dict[str, str] = {}
    by_first: dict[str, set[str]] = {}
    ranked = sorted(full, key=lambda x: order[x])
    for name in ranked:
        parts = name.split()
        by_last.setdefault(parts[-1].lower(), name)
        by_last.setdefault(lower_key(parts[-1]), name)
        by_first.setdefault(lower_key(parts[0]), set()).add(name)
    for name in ranked:                           # "Rosselló" for "Ricardo Rosselló Nevares"
        parts = name.split()
        for part in parts[1:-1]:
            if len(part) > 2 and part[0].isupper():
                by_last.setdefault(part.lower(), name)
                by_last.setdefault(lower_key(part), name)
    regnal = {lower_key(x.split()[0]): x for x in single_titled if " " in x}    # "Elizabeth II"
    for name, idx in single_titled.items():
        key = lower_key(name)
        target = by_last.get(key)
        if target is None and len(by_first.get(key, ())) == 1:
            target = next(iter(by_first[key]))    # "Melania" after "Melania Trump"
        if target is None and " " not in name and regnal.get(key):
            target = regnal[key]                  # "Queen Elizabeth" beside "Queen Elizabeth II"
            full.setdefault(target, list(single_titled[target]))
        if target:
            full[target].extend(idx)
        elif name not in formal or key in FIRST_NAMES and not any(
                i > 0 and tokens[i - 1].key in TITLES and tokens[i - 1].key not in KIN for i in idx):
            continue                              # "his wife Mary", "son Barron": a given name alone says too little
        elif name not in full:
            full[name] = list(idx)
            by_last.setdefault(key, name)
    for start, end in pending:
        for i in range(start, end):
            key = tokens[i].key
            target = by_last.get(key)
            if target is None and genitive_s and key.endswith("s"):
                target = by_last.get(key[:-1])
            if target is not None:
                full[target].append(i)
    names = sorted(full, key=lambda x: (-len(set(full[x])), order[x]))
    covered = {i for idx in full.values() for i in idx}
    return names, covered
