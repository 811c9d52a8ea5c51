"""The word lists people extraction reads: titles, roles, reporting verbs, organisation and place
words, given names and English words, from ``data/`` plus a few small fixed sets.

Kept apart from the code so that finding names, the rules that drop non-people and the merging of
variants all read one vocabulary, and a list can be extended without touching the logic.
"""
from __future__ import annotations

from pathlib import Path

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
TITLES, ROLES, SAY, COMMON = _W["titles"], _W["roles"], _W["say"], _W["common"]
PLACE_LEAD, REGNAL, CREDIT, WEAK_HEADS = _W["place_lead"], _W["regnal"], _W["credit"], _W["weak_heads"]
ORG_LEAD = _W["org_lead"]
# What a name's head word says it names. Organisations read the organisation heads; people read them
# all as one set (ORG): a name with any of them is not a person's.
LEGAL_FORMS, ORG_HEADS, ORG_HEADS_ABROAD = _W["legal_forms"], _W["org_heads"], _W["org_heads_abroad"]
EVENT_HEADS, WORK_HEADS, PLACE_HEADS = _W["event_heads"], _W["work_heads"], _W["place_heads"]
ORG = LEGAL_FORMS | ORG_HEADS | ORG_HEADS_ABROAD | EVENT_HEADS | WORK_HEADS | PLACE_HEADS | _W["other_names"]
# Lower-case words that say what a name beside them names ("the law firm X", "X, a company that …").
ORG_KINDS = _W["org_kinds"]
KINDS = ORG_KINDS | _W["kinds"]
CAPITALISED_NOUNS = _W["abbreviations"]   # capitals that are no acronym of a name ("GDP", "UTC")
LOCATIVE = frozenset({"in", "at", "near", "into", "across", "outside", "inside", "throughout", "around"})
FAITHS = frozenset("""catholic catholics christian christians muslim muslims islam islamic jewish jews protestant
hindu buddhist arab arabs kurd kurds kurdish shi'ite shiite sunni""".split())
DETERMINERS = frozenset({"the", "a", "an"})
ADJECTIVE_ROLES = frozenset({"official", "chief", "general", "executive", "master", "member", "senior"})
REGNAL_NUMBERS = frozenset("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI".split())
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve hundred".split())
EVENT_ENDS = frozenset({"week", "day", "weekend", "eve", "night"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
COMPOUND_SUFFIXES = frozenset("""backed led based born era style owned linked aligned allied funded run
controlled made like type inspired affiliated appointed supported ruled held nominated endorsed""".split())
KIN = frozenset("""wife husband son daughter brother sister father mother uncle aunt cousin widow widower
children child boy girl boyfriend girlfriend fiancé fiancée partner friend nephew niece grandson
granddaughter grandmother grandfather stepson stepdaughter""".split())
ATTRIBUTIVE = frozenset("""government administration family era years regime campaign camp presidency case
trial household dynasty estate legacy cabinet film films movie movies book books novel novels series album
song show supporters supporter loyalists allies fans documentary biography goal cross shot pass header
penalty strike corner tackle""".split())    # "the Suharto government", "a Guy Whittingham goal": a person
FACILITIES = frozenset("""cathedral church mosque temple synagogue hotel university college school hospital
airport station stadium arena museum theatre theater bridge river lake mountain island street road avenue
square park palace castle tower building mall market prison cemetery library""".split())
FIRST_NAMES = frozenset(w.lower() for line in (DATA / "first_names.txt").read_text(encoding="utf-8")
                        .splitlines() if not line.startswith("#") for w in line.split())
PARTICLES = frozenset("van von de der den da das dos du la le del della di bin ibn al el ter ten y st"
                      .split())
ENGLISH = frozenset(line.strip() for line in (DATA / "english_words.txt").read_text(encoding="utf-8")
                    .splitlines() if line.strip() and not line.startswith("#"))
# Family names (generated from faker by build_surnames.py): a single capitalised word that is one may
# be a person's surname when a reporting verb, a possessive or an apposition says so ("Shearer said").
SURNAMES = frozenset(line.strip() for line in (DATA / "surnames.txt").read_text(encoding="utf-8")
                     .splitlines() if line.strip() and not line.startswith("#"))
