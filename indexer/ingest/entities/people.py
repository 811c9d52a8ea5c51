"""People: capitalised name spans, accepted on evidence, titles stripped, coreference in-document.

A span is a run of capitalised words (with particles and initials). Leading titles, roles,
places and common words are stripped; the rest is a person when it starts with a known given
name, follows a title or role word, or stands beside a reporting verb, an age or a bracketed
country. Single surnames ("Kelly", "Mr. Kelly") then point to the full name found in the article.

This module holds the entry point and the acceptance loop; candidate spans are found in
``name_spans``, the signs of a non-person are in ``not_people``, the word lists in ``name_words``
and the merging of variants and surnames in ``coreference``.
"""
from __future__ import annotations

from typing import NamedTuple

from .coreference import resolve
from .name_spans import Doc, credit_tokens, spans, strip_lead, unglue
from .name_words import (ADJECTIVE_ROLES, ATTRIBUTIVE, COMMON, COMPOUND_SUFFIXES, CREDIT, ENGLISH,
                         EVENT_ENDS, FACILITIES, FAITHS, FIRST_NAMES, KIN, LOCATIVE, NUMBER_WORDS, ORG,
                         ORG_HEADS, ORG_KINDS, ORG_LEAD, PLACE_LEAD, REGNAL_NUMBERS, ROLES, SAY, TITLES,
                         WEAK_HEADS)
from .not_people import (AUXILIARIES, TITLE_CASE_WORDS, after_determiner, among_organisations, asks,
                         by_author, expands_acronym, kind_after, kind_before, legal_form, model_year,
                         possessed_facility, role_word, wordlike)
from .text import Token
from .vocabulary import ENGLISH_WORDS, Vocabulary


class FoundPeople(NamedTuple):
    """People in salience order, the token indexes of their names, the capitalised spans set aside
    as names of something else (start, end, True when the sign was an organisation's), and the token
    indexes of bylines and picture credits."""
    names: list[str]
    covered: set[int]
    set_aside: list[tuple[int, int, bool]]
    credits: set[int]
    lower_words: set[str]       # words the article writes in lower case
    mentions: dict[str, list[int]] = {}     # name -> token indexes of its mentions
    first: dict[str, int] = {}              # name -> index of its first accepted mention (salience ties)
    singles: tuple[int, ...] = ()           # one-word candidate spans, for names by evidence (``bare_names``)


def extract_people(tokens: list[Token], places: set[int], v: Vocabulary = ENGLISH_WORDS) -> FoundPeople:
    """People in salience order, the token indexes of their names and the spans set aside; ``v`` is
    the vocabulary of the article's language (English's by default)."""
    TITLES, ROLES, SAY, COMMON, FIRST_NAMES = v.titles, v.roles, v.say, v.common, v.first_names
    WORDS = v.words                 # ordinary words of the language (English's: ENGLISH)
    doc = Doc(tokens, places, v)
    n = len(tokens)
    full: dict[str, list[int]] = {}          # display name -> token indexes of its mentions
    single_titled: dict[str, list[int]] = {}
    formal: set[str] = set()                 # single names seen after a title, not only a kin word
    order: dict[str, int] = {}
    pending: list[tuple[int, int]] = []
    accepted: list[tuple[int, int]] = []
    unsure: list[tuple[int, int]] = []
    found = spans(tokens, v)
    alone = {tokens[s].key for s, e in found if e - s == 1 and not tokens[s].caps_line
             and tokens[s].key not in COMMON and tokens[s].key not in doc.lower_words}
    credits = credit_tokens(tokens)
    blocked: set[tuple] = set()     # names this article uses for something else ("the Harry Potter series")
    set_aside: list[tuple[int, int, bool]] = []

    def aside(s: int, e: int, organisation: bool = False) -> None:
        blocked.add(tuple(t.key for t in tokens[s:e]))
        set_aside.append((s, e, organisation))
    vouched: set[tuple] = set()     # names with a title or role somewhere: people whatever else
    for start, end in found:
        if tokens[start].caps_line:
            pending.append((start, end))
            continue
        if any(k in credits for k in range(start, end)):
            continue
        s, titled = strip_lead(doc, start, end)
        if s >= end:
            pending.append((start, end))
            continue
        kind = "" if titled else kind_before(tokens, start)
        if kind:
            aside(s, end, kind in ORG_KINDS)
            continue                # "the law firm Sidley Austin", "the band Pink Floyd": a thing's name
        if tokens[start].key == "the" and not tokens[start].sent_start and start and \
                tokens[start - 1].line == tokens[start].line:
            aside(s, end)
            continue                # "… of The Mustard Seed": a capitalised "The" inside a sentence opens a title
        if end - s > 1 and tokens[end - 1].key in CREDIT and end < n and tokens[end].text == ":":
            end -= 1                # "Markham Robinson Image: …": a caption's credit glued to the name
        if end - s > 1 and tokens[s].sent_start and tokens[s].key in AUXILIARIES and asks(tokens, s):
            s += 1                  # "Will Red Hat employees …?", "Is Rock Hudson …?": a question's verb
        if tokens[s].key not in FIRST_NAMES and model_year(tokens, s):
            aside(s, end)
            continue                # "a recalled 2005 Opel Zafira": a model, not a person
        if tokens[s].key not in FIRST_NAMES and (
                any(t.key in TITLE_CASE_WORDS for t in tokens[s + 1:end]) or by_author(tokens, end)):
            aside(s, end)
            continue                # "Get On Up", "Homo Deus (by …)": the title of a work
        kind = "" if tokens[s].key in FIRST_NAMES else kind_after(tokens, end)
        if kind:
            aside(s, end, kind in ORG_KINDS)
            continue                # "Milltech Marine, a firm specialising in …"
        if end - s > 1 and legal_form(tokens[end - 1]):
            aside(s, end, True)
            blocked.add(tuple(t.key for t in tokens[s:end - 1]))
            continue                # "Quarnby Holdings Ltd": a company, also without its legal form
        if end < n and tokens[end].line == tokens[end - 1].line and legal_form(tokens[end]) \
                and not tokens[end - 1].poss:
            aside(s, end, True)
            continue                # "Brellwick Aerostructures SAS" (a legal form in capitals ends the run)
        if tokens[s].key in ORG_LEAD and end - s > 1:
            aside(s, end, True)
            continue                # Deutsche Bahn, Gazeta Wyborcza
        if tokens[s].key in PLACE_LEAD and not tokens[s].dot and end - s > 1:
            aside(s, end)
            continue                # San Diego, Rio Grande, Tell Tamer
        if any(tokens[k].key in ORG or (tokens[k].key in WEAK_HEADS and tokens[s].key not in FIRST_NAMES)
               for k in range(s + 1, end)):
            aside(s, end, tokens[end - 1].key in ORG_HEADS)
            continue                # "Durham Hall" (but "Darrell Castle")
        if end - s > 2 and tokens[s].key in FIRST_NAMES and tokens[end - 1].key in doc.lower_words \
                and tokens[end - 1].key in WORDS and not tokens[end - 1].poss:
            end -= 1                # "Hugh McGuire Interview": a word the article writes in lower case
        if end - s > 1 and tokens[end - 1].key in NUMBER_WORDS and not tokens[end - 1].poss:
            aside(s, end)
            continue                # "Marine One", "Formula One": a vehicle or a series, not a person
        if end - s > 1 and tokens[end - 1].key in EVENT_ENDS:
            aside(s, end - 1)
            continue                # "Sacred Defence Week", "Martin Luther King Jr. Day": an event
        while (end - s > 1 and tokens[end - 1].key in COMMON or end - s > 2 and (end - 1) in places) \
                and not tokens[end - 1].poss and not (end - s == 2 and tokens[end - 1].key not in FAITHS and (
                    tokens[s].key in FIRST_NAMES or not (tokens[s].key in COMMON or tokens[s].key in ENGLISH))):
            end -= 1                # ("Theresa May", "Martin How", "Kanye West": not a given name alone)
        words = tokens[s:end]
        keys = [t.key for t in words]
        if not words[0].cap:
            pending.append((s, end))      # "de Blasio": a surname, for coreference only
            continue
        if len(words) > 1 and len(words[-1].text) == 1:
            continue                      # "George W.": a name cut short, not a name
        if len(words) > 1 and keys[-1] in TITLES and keys[0] not in FIRST_NAMES:
            continue                      # "Health Director": a post, not a person (but "John Major")
        prev = tokens[s - 1] if s > 0 else None
        nxt = tokens[end] if end < n else None
        role = prev is not None and prev.kind == "word" and not prev.cap and not prev.dot \
            and prev.line == words[0].line and (prev.key in ROLES or role_word(prev.key, v.role_ends))
        if keys[0] not in FIRST_NAMES and possessed_facility(tokens, end):
            aside(s, end)
            continue                # "Santos Doctors' Hospital", "Kell's Hotel": a facility's name
        if nxt is not None and (nxt.line != words[-1].line or words[-1].poss or words[-1].dot):
            nxt = None              # after "Hillary Clinton's" or a full stop, the next word is no part of it
        if not titled and not role and after_determiner(tokens, s):
            k = next((k for k in range(s + 1, end - 1) if tokens[k].key in FIRST_NAMES), None)
            if k is not None:             # "the Exchequer Kenneth Clarke": a name after a title
                s, words, keys = k, tokens[k:end], keys[k - s:]
                prev, titled = tokens[k - 1], True
        if not titled and not role and (
                (after_determiner(tokens, s) and not (nxt is not None and nxt.key in ATTRIBUTIVE))
                or (nxt is not None and nxt.kind == "word" and nxt.key in FACILITIES)
                or (nxt is not None and nxt.cap and nxt.key in ORG)
                or (nxt is not None and not nxt.cap and (nxt.key in ROLES or nxt.key in TITLES)
                    and keys[0] not in FIRST_NAMES)):    # "Sinn Féin leader Mary Lou McDonald"
            aside(s, end)      # "the Abraham Accords", "Notre Dame cathedral", "Abu Dhabi TV"
            continue                      # ("the Suharto government", "the James Cagney film" may be)
        if titled or role:
            vouched.add(tuple(keys))
        if any(i in places for i in range(s, end)) and keys[0] not in FIRST_NAMES and not (
                titled or role or (nxt is not None and (nxt.key in SAY or (
                    nxt.text == "," and end + 1 < n and tokens[end + 1].kind == "num")))):
            continue                      # a place; "Sudesh Amman, 20," is a person all the same
        if len(words) == 1:
            if role and not titled and prev.key in ADJECTIVE_ROLES:
                role = False                # "an official Android version"
            if (titled or role) and keys[0] not in COMMON and keys[0] not in ORG and keys[0] not in ENGLISH:
                name = words[0].text
                if nxt is not None and nxt.text in REGNAL_NUMBERS and nxt.line == words[0].line:
                    name += " " + nxt.text  # "Queen Elizabeth II"
                single_titled.setdefault(name, []).append(s)
                order.setdefault(name, s)
                if titled or prev.key not in KIN:
                    formal.add(name)    # "son Barron" alone says less than "President Macron"

            else:
                pending.append((s, end))
            continue
        evidence = titled or role or keys[0] in FIRST_NAMES or (len(keys[0]) == 1 and words[0].dot)
        if not evidence and s >= 2 and prev.key in ("of", "on", "for", "to") and not prev.cap \
                and tokens[s - 2].cap and tokens[s - 2].key in ORG:
            continue           # "Commission on Presidential Debates": the rest of an organisation's name
        if not evidence and keys[-1] in WORDS:
            continue           # "Lives Matter said": ordinary words, not a person however they are used
        if keys[0] not in FIRST_NAMES and expands_acronym(tokens, s, end):
            aside(s, end)
            continue           # "CV (Curriculum Vitae)", "Non-Governmental Organisations (NGO)"
        if not evidence and nxt is not None:
            if nxt.key in SAY or (nxt.text == "," and end + 1 < n and tokens[end + 1].kind == "num"):
                evidence = True
            elif nxt.key in v.aux and end + 1 < n and tokens[end + 1].key in SAY:
                evidence = True    # "X a déclaré", "X ha detto", "X heeft gezegd"
            elif nxt.text == "(" and end + 2 < n and (end + 1) in places and tokens[end + 2].text == ")":
                evidence = True
            elif nxt.text == "," and end + 1 < n and tokens[end + 1].key in ("who", "whose"):
                evidence = True
            elif nxt.text == "," and end + 2 < n and tokens[end + 1].key == "the" and any(
                    t.key in TITLES or t.key in ROLES for t in tokens[end + 2:end + 5]):
                evidence = True    # "Adil Abdul-Mahdi, the acting Prime Minister of Iraq"
        if not evidence and prev is not None and prev.text == "," and s >= 2 and tokens[s - 2].kind == "word" \
                and not tokens[s - 2].cap and tokens[s - 2].key in ROLES:
            evidence = True        # "his successor, Haitham bin Tariq Al Said,"
        if not evidence and prev is not None and (prev.key in SAY or prev.key in v.say_before) and not prev.cap:
            evidence = True        # "said John Smith", "según Juan Pérez", "aldus Jan Peeters"
        if not evidence and keys[-1] in alone and not wordlike(keys, FIRST_NAMES, WORDS) \
                and not v.nouns_capitalised:      # a German noun stands alone as often as a surname
            evidence = True
        if not evidence and len(words) in (2, 3) and (not words[0].sent_start or _affiliated(tokens, end)) \
                and not v.nouns_capitalised \
                and not (v.foreign and any(k in WORDS for k in keys)) \
                and not (prev is not None and prev.key in LOCATIVE and not prev.cap) \
                and not (prev is not None and prev.key in ("to", "and", "or") and (s - 2) in places) \
                and not among_organisations(tokens, s, end) \
                and not (keys[0].endswith("ing") and len(keys[0]) > 5) \
                and all(len(k) > 1 and k not in COMMON and k not in ORG and k not in doc.lower_words
                        for k in keys) \
                and not (nxt is not None and nxt.key in ORG) and not wordlike(keys, FIRST_NAMES, WORDS):
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
            if before >= 1 and tokens[before].key in ("and", "or") and tokens[before - 1].text == ",":
                before -= 1                  # "A B, C D, and E F": the serial comma
            left = before >= 0 and tokens[before].text in (",", "and", "&") and before in accepted_ends
            right = after < n and tokens[after].text in (",", "and", "&") and after + 1 in accepted_starts
            if not (left or right) and _line_of_its_own(tokens, s, end):
                left = any(_line_of_its_own(tokens, a, b) and tokens[a].line in (tokens[s].line - 1, tokens[s].line + 1)
                           for a, b in accepted)   # "- Halina Szymczak" between two named lines of a list
            if left or right:
                unsure.remove((s, end))
                accepted.append((s, end))
                accepted_ends[end] = s
                accepted_starts.add(s)
    headlines = [x for x in pending if tokens[x[0]].caps_line]
    if headlines:
        surnames = {tokens[a].key for a, b in pending if b - a == 1 and not tokens[a].caps_line}
        surnames -= doc.lower_words
        for s, end in headlines:
            accepted.extend(x for x in _headline_names(tokens, s, end, surnames, v)
                            if tokens[x[0]].key not in doc.lower_words and x[1] - 1 not in places)
    pending.extend(unsure)
    for s, end in sorted(accepted):
        words = tokens[s:end]
        name = " ".join((t.text.capitalize() if t.caps_line and t.upper else t.text)
                        + ("." if len(t.text) == 1 and t.dot else "") for t in words)
        last = words[-1].text
        if "-" in last and last.rsplit("-", 1)[1] in COMPOUND_SUFFIXES:
            name = name[:len(name) - len(last)] + last.rsplit("-", 1)[0]   # "Bernie Sanders-backed"
        name = unglue(name)
        full.setdefault(name, []).extend(range(s, end))
        order.setdefault(name, s)
    names, covered = resolve(tokens, full, order, single_titled, formal, pending, blocked, vouched,
                             v.language == "de")
    return FoundPeople(names, covered, set_aside, credits, doc.lower_words, full, order,
                       tuple(s for s, e in found if e - s == 1))


def _affiliated(tokens: list[Token], end: int) -> bool:
    """The span is followed by "of" and a capitalised name ("Lucy Fischer of The Times told …"):
    a person's affiliation, which lets a name open a sentence."""
    return end + 1 < len(tokens) and tokens[end].key == "of" and not tokens[end].cap \
        and tokens[end + 1].cap and tokens[end + 1].line == tokens[end].line


def _line_of_its_own(tokens: list[Token], s: int, end: int) -> bool:
    """The span is all the words of its line, a list item's bullet or number aside."""
    line = tokens[s].line
    k = s - 1
    while k >= 0 and tokens[k].line == line:
        if tokens[k].kind in ("word", "abbr"):
            return False
        k -= 1
    k = end
    while k < len(tokens) and tokens[k].line == line:
        if tokens[k].kind in ("word", "abbr"):
            return False
        k += 1
    return True


def _headline_names(tokens: list[Token], s: int, end: int, surnames: set[str],
                    v: Vocabulary = ENGLISH_WORDS) -> list[tuple[int, int]]:
    """Full names in a headline written in capitals or title case, whose surname the body uses
    alone ("John Conyers Dies At 90" … "Conyers said"): a given name, maybe a middle name, a surname."""
    out = []
    i = s
    FIRST_NAMES, COMMON, TITLES, ENGLISH = v.first_names, v.common, v.titles, v.words
    while i < end - 1:
        if tokens[i].key in FIRST_NAMES and tokens[i].key not in COMMON and tokens[i].key not in TITLES \
                and tokens[i].key not in ORG:
            for j in (i + 1, i + 2):
                if j < end and tokens[j].key in surnames and tokens[j].key not in COMMON \
                        and tokens[j].key not in ORG and tokens[j].key not in ENGLISH:
                    out.append((i, j + 1))
                    i = j
                    break
        i += 1
    return out
