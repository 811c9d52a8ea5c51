"""The table of languages (indexer.languages): every stemmed language brings an inflected pair to one
term, stemmers exist in both engines' names, names come from CLDR."""
import threading

import pytest

from indexer import languages
from indexer.ingest.languages import DETECTED
from indexer.languages import LANGUAGES, display_name, fold, native_name, stemmer, term

# (plural or inflected form, other form): one news word per language, invented for the test.
PAIRS = {
    "en": ("elections", "election"),
    "es": ("elecciones", "elección"),
    "fr": ("élections", "élection"),
    "de": ("Wahlen", "Wahl"),
    "it": ("governi", "governo"),
    "pt": ("eleições", "eleição"),
    "nl": ("verkiezingen", "verkiezing"),
    "ru": ("выборы", "выбор"),
    "sv": ("regeringen", "regeringens"),
    "da": ("valgene", "valget"),
    "no": ("valgene", "valget"),
    "nn": ("vala", "valet"),
    "fi": ("hallituksen", "hallitukseen"),
    "ca": ("eleccions", "elecció"),
    "ro": ("alegerile", "alegeri"),
    "hu": ("választások", "választás"),
    "tr": ("seçimlerde", "seçimler"),
    "el": ("εκλογές", "εκλογών"),
    "ar": ("الحكومة", "حكومة"),
    "hi": ("चुनावों", "चुनाव"),
    "id": ("pemilihan", "pilihan"),
}


def test_every_stemmed_language_has_a_pair():
    stemmed = {code for code, lang in LANGUAGES.items() if lang.snowball}
    assert stemmed == set(PAIRS)


@pytest.mark.parametrize("code", sorted(PAIRS))
def test_an_inflected_pair_becomes_one_term(code):
    a, b = PAIRS[code]
    assert term(code, a) == term(code, b)
    assert term(code, a) != a.lower() or term(code, b) != b.lower()      # the stemmer did something


def test_required_pairs_stem_and_fold():
    assert term("es", "elecciones") == term("es", "elección") == "eleccion"
    assert term("de", "Wahlen") == term("de", "Wahl") == "wahl"
    assert term("it", "governi") == term("it", "governo") == "govern"
    assert term("fr", "élections") == term("fr", "élection") == "elect"
    assert term("nl", "verkiezingen") == term("nl", "verkiezing")


def test_portuguese_plurals_in_oes_meet_their_singular():
    # Snowball alone leaves eleições (eleiçõ) and eleição (eleiçã) apart; the table's fix joins them.
    import Stemmer
    raw = Stemmer.Stemmer("portuguese")
    assert raw.stemWord("eleições") != raw.stemWord("eleição")
    for plural, singular in (("nações", "nação"), ("milhões", "milhão"), ("opiniões", "opinião")):
        assert term("pt", plural) == term("pt", singular)


def test_a_language_without_a_stemmer_is_lowercased_and_folded():
    assert stemmer("cs") is None and stemmer("zh") is None and stemmer("") is None and stemmer(None) is None
    assert term("cs", "Volby") == "volby"
    assert term("", "Élections") == "elections"
    assert term(None, "Zürich") == "zurich"


def test_accents_are_folded_after_stemming():
    # Folding first would change what the stemmer sees: French "é" endings are suffixes.
    assert fold("élect") == "elect"
    assert term("fr", "créée") == fold(stemmer("fr")("créée"))


def test_every_detected_language_is_in_the_table():
    assert set(DETECTED) == set(LANGUAGES)


def test_stemmed_languages_name_a_lucene_stemmer():
    for code, lang in LANGUAGES.items():
        if lang.snowball and code != "en":
            assert lang.lucene and lang.lucene[0].isupper(), code
        if lang.cjk:
            assert not lang.snowball
    assert languages.LUCENE_ENGLISH == "porter_stem"


def test_names_come_from_cldr():
    assert LANGUAGES["es"].name == "Spanish"
    assert LANGUAGES["es"].native == "español"
    assert LANGUAGES["de"].native == "Deutsch"
    assert display_name("de", "fr") == "allemand"
    assert display_name("ja", "pt_BR") == "japonês"
    assert native_name("ja") == "日本語"
    assert display_name("it", "not-a-locale") == "Italian"
    assert all(LANGUAGES[c].name != c for c in LANGUAGES)


def test_stemmers_are_one_per_thread():
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(stemmer("es"))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stemmer("es") is stemmer("es")
    assert len({id(s) for s in seen}) == 3
    assert {s("elecciones") for s in seen} == {"eleccion"}
