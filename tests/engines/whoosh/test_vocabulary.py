"""The vocabulary behind "did you mean": corrections equal a plain scan of every word."""
from __future__ import annotations

import random
from collections import Counter
from typing import Optional

from whoosh.support.levenshtein import distance

from indexer.engines.whoosh import vocabulary
from indexer.engines.whoosh.vocabulary import MIN_DOCS, Vocabulary
from indexer.textkeys import lower_key


def scan_correction(vocab: Vocabulary, word: str) -> Optional[str]:
    """The rule, spelled out: every word with the same first letter, length within two."""
    key = lower_key(word)
    if len(key) < 3:
        return None
    floor = max(vocab.freq.get(key, 0) * 10, MIN_DOCS)
    best = None
    for cand in vocab.words:
        if cand[0] != key[0] or abs(len(cand) - len(key)) > 2 or cand == key or vocab.freq[cand] <= floor:
            continue
        d = distance(key, cand, limit=2)
        if d <= 2 and (len(key) > 4 or d == 1):
            rank = (d, -vocab.freq[cand], cand)
            if best is None or rank < best:
                best = rank
    return best[2] if best else None


def _typos(rng: random.Random, word: str) -> str:
    chars = list(word)
    for _ in range(rng.randint(1, 3)):
        op = rng.choice("dis")
        i = rng.randrange(1, len(chars)) if len(chars) > 1 else 0
        if op == "d" and len(chars) > 3:
            del chars[i]
        elif op == "i":
            chars.insert(i, rng.choice("aeiourstn"))
        else:
            chars[i] = rng.choice("aeiourstn")
    return "".join(chars)


def test_corrections_equal_a_scan_of_every_word():
    rng = random.Random(3)
    letters = "abcdeilnorst"
    counts = Counter()
    for _ in range(3000):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
        counts[word] += rng.choice([1, 1, 2, 3, 5, 20, 100, 400])
    vocab = Vocabulary(counts)
    words = list(counts)
    asked = [_typos(rng, rng.choice(words)) for _ in range(600)] + rng.sample(words, 200) + ["xyzzy", "ab", "Écoles"]
    answered = 0
    for word in asked:
        expected = scan_correction(vocab, word)
        assert vocab.correction(word) == expected, word
        answered += expected is not None
    assert answered > 100        # the comparison covers real corrections, not only "none"


def test_correction_prefers_fewer_edits_then_more_documents():
    vocab = Vocabulary(Counter({"reactor": 50, "redactor": 900, "reactr": 1}))
    assert vocab.correction("reactr") == "reactor"          # one edit beats two, however common
    vocab = Vocabulary(Counter({"reactor": 50, "reacts": 500, "redactor": 900, "reactr": 1}))
    assert vocab.correction("reactr") == "reacts"           # of two one-edit words, the commoner
    assert vocab.correction("Redactor") is None              # known, and nothing ten times commoner
    assert vocab.correction("re") is None                    # too short to guess
    assert lower_key("Écoles") == "ecoles"


def test_wildcard_matching_equals_fnmatch_over_every_word_most_frequent_first():
    import fnmatch
    rng = random.Random(21)
    letters = "aeinrst"
    counts = Counter({"".join(rng.choice(letters) for _ in range(rng.randint(2, 7))): rng.randint(1, 500)
                      for _ in range(3000)})
    vocab = Vocabulary(counts)
    for pattern in ["*", "a*", "*s", "*e*", "??", "?a*t", "r?n*", "zz*", "s*a*e", "a.b*", "[a]*"]:
        expected = sorted((w for w in counts if fnmatch.fnmatchcase(w, pattern.replace("[", "[[]"))),
                          key=lambda w: (-counts[w], w))
        assert list(vocab.matching(pattern)) == expected, pattern
    assert list(Vocabulary(Counter({"cafe": 3})).matching("CAFÉ*")) == ["cafe"]     # folded as the words are
