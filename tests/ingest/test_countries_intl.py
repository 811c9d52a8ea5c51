"""Countries in other languages: CLDR names, demonyms inflected by rule, capitals, false friends and
the article's language (invented sentences)."""
import pytest

from indexer.ingest.entities import canonical_country, extract
from indexer.ingest.entities.build_countries_intl import inflect, name_forms
from indexer.ingest.entities.countries import gazetteer, language_key


def countries(text: str, language: str | None, title: str = "") -> set[str]:
    found = extract(title, text, None, language)
    return set(found.countries) | set(found.countries_mentioned)


def test_a_french_title_gives_the_country_of_the_demonym_and_the_named_one():
    assert countries("", "fr", "Un troisième Français mort dans le séisme au Népal") == {"France", "Nepal"}


@pytest.mark.parametrize("language, text, expected", [
    ("es", "El gobierno de Japón habló con Estados Unidos y el Reino Unido.", {"Japan", "United States", "United Kingdom"}),
    ("fr", "Le ministre est arrivé au Japon, puis à Pékin.", {"Japan", "China"}),
    ("it", "La delegazione è partita per il Giappone e gli Stati Uniti.", {"Japan", "United States"}),
    ("de", "Der Präsident Frankreichs sprach über Nordkorea.", {"France", "North Korea"}),
    ("nl", "Het Verenigd Koninkrijk en de Verenigde Staten tekenden het verdrag.", {"United Kingdom", "United States"}),
    ("pt", "A reunião com o Reino Unido e a Alemanha terminou.", {"United Kingdom", "Germany"}),
    ("de", "Die Delegation der Vereinigten Staaten reiste ab.", {"United States"}),
])
def test_country_names_of_each_language_map_to_the_english_facet_name(language, text, expected):
    assert countries(text, language) == expected


@pytest.mark.parametrize("language, text, expected", [
    ("it", "Il governo giapponese ha risposto alle critiche.", {"Japan"}),
    ("it", "Due turisti giapponesi sono stati soccorsi.", {"Japan"}),
    ("es", "Un portavoz norcoreano negó las acusaciones.", {"North Korea"}),
    ("es", "Las autoridades mexicanas detuvieron a dos hombres.", {"Mexico"}),
    ("fr", "Les autorités italiennes ont confirmé la nouvelle.", {"Italy"}),
    ("de", "Die japanische Regierung reagierte sofort.", {"Japan"}),
    ("pt", "O ministro português chegou ontem.", {"Portugal"}),
])
def test_nationality_adjectives_in_lower_case_and_their_inflected_forms(language, text, expected):
    assert countries(text, language) == expected


def test_an_elided_article_does_not_hide_the_country():
    assert countries("Le président a quitté l'Allemagne pour l'Italie.", "fr") == {"Germany", "Italy"}
    assert countries("Il ministro dell'Ucraina è arrivato.", "it") == {"Ukraine"}


def test_a_false_friend_matches_only_in_its_own_language():
    assert countries("Die Regierung in Island kündigte Wahlen an.", "de") == {"Iceland"}
    assert countries("Island hopping is popular with tourists this summer.", None) == set()
    assert countries("Island hopping is popular with tourists this summer.", "en") == set()


def test_a_name_that_is_also_a_given_name_is_no_country_before_a_surname():
    assert countries("Hier soir, Maurice Chevalier chantait encore.", "fr") == set()
    assert countries("Le cyclone a touché Maurice hier soir.", "fr") == {"Mauritius"}


def test_english_articles_are_read_as_before():
    text = "Officials in Japan and France met in Washington on Monday."
    assert countries(text, None) == countries(text, "en") == {"Japan", "France", "United States"}


def test_language_codes_are_normalised():
    assert language_key("pt-BR") == "pt" and language_key("no") == "nb" and language_key(None) == ""
    assert gazetteer("fr_FR") is gazetteer("fr")


def test_canonical_country_knows_names_of_other_languages():
    assert canonical_country("Alemania") == "Germany"
    assert canonical_country("Giappone") == "Japan"


@pytest.mark.parametrize("word, language, forms", [
    ("giapponese", "it", {"giapponese", "giapponesi"}),
    ("tedesco", "it", {"tedesco", "tedesca", "tedeschi", "tedesche"}),
    ("japonés", "es", {"japonés", "japonesa", "japoneses", "japonesas"}),
    ("mexicano", "es", {"mexicano", "mexicana", "mexicanos", "mexicanas"}),
    ("italien", "fr", {"italien", "italienne", "italiens", "italiennes"}),
    ("japonais", "fr", {"japonais", "japonaise", "japonaises"}),
    ("alemão", "pt", {"alemão", "alemã", "alemães"}),
    ("japanisch", "de", {"japanisch", "japanische", "japanischen", "japanischer", "japanisches"}),
    ("Japans", "nl", {"Japans", "Japanse"}),
])
def test_inflections_are_generated_by_each_language_rule(word, language, forms):
    assert forms <= set(inflect(word, language))


def test_german_genitive_and_weak_adjective_forms_of_names():
    assert "Frankreichs" in name_forms("Frankreich", "de")
    assert "Vereinigten Staaten" in name_forms("Vereinigte Staaten", "de")
    assert name_forms("Schweiz", "de") == ["Schweiz"]        # no genitive -s after -z
