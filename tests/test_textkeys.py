"""The two matching keys: the same on everyday names, different (on purpose) where casefold and lower differ."""
from indexer.textkeys import casefold_key, lower_key


def test_both_keys_ignore_case_and_accents():
    for a, b in [("Erdoğan", "erdogan"), ("SÃO TOMÉ", "sao tome"), ("Zürich", "ZURICH"), ("Kelly", "kelly")]:
        assert casefold_key(a) == casefold_key(b)
        assert lower_key(a) == lower_key(b)


def test_casefold_key_folds_fully_and_trims_for_typed_names():
    assert casefold_key("  Straße ") == casefold_key("STRASSE") == "strasse"
    assert casefold_key("ΣΊΣΥΦΟΣ") == casefold_key("σίσυφος")      # final sigma


def test_lower_key_is_the_vocabulary_key_and_differs_from_casefold_only_beyond_ascii():
    """words.tsv of existing indexes is keyed with str.lower: "straße" stays, where casefold gives "strasse"."""
    from indexer.engines.whoosh.vocabulary import article_words
    assert article_words("Straße", "Erdoğan ÉCOLES") == {"straße", "erdogan", "ecoles"}
    assert lower_key("Straße") == "straße" != casefold_key("Straße")
    for word in ("Kelly", "OPEC", "Zürich", "Erdoğan"):
        assert lower_key(word) == casefold_key(word)
