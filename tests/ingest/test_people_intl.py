"""People and organisations in articles of other languages, on invented sentences: each language's
titles, roles, reporting verbs, particles and capitalisation, and English read as before."""
import pytest

from indexer.ingest.entities import extract
from indexer.ingest.entities.not_people import role_word
from indexer.ingest.entities.vocabulary import ENGLISH_WORDS, LANGUAGES, vocabulary


def people(body, language, title=""):
    return extract(title, body, None, language).people


def orgs(body, language, title=""):
    return extract(title, body, None, language).organisations


def test_english_and_unknown_languages_keep_the_english_lists():
    assert vocabulary("en") is ENGLISH_WORDS
    assert vocabulary(None) is ENGLISH_WORDS
    assert vocabulary("sv") is ENGLISH_WORDS          # no lists of its own yet
    for lang in LANGUAGES:
        v = vocabulary(lang)
        assert v.titles >= ENGLISH_WORDS.titles and v.first_names - ENGLISH_WORDS.first_names
        assert not (v.first_names & v.function)       # "El", "Van" are no given names there


@pytest.mark.parametrize("language, body, expected", [
    ("es", "El presidente Ernesto Valdivia Quintana dijo que no habrá cambios.", ["Ernesto Valdivia Quintana"]),
    ("fr", "Le ministre Aurélien Castagnède a déclaré que la réforme attendra.", ["Aurélien Castagnède"]),
    ("it", "Il sindaco Ottavio Brambillasca ha detto che la piazza sarà chiusa.", ["Ottavio Brambillasca"]),
    ("pt", "O governador Anselmo Vasconcelos disse que a estrada será reaberta.", ["Anselmo Vasconcelos"]),
    ("nl", "Burgemeester Joris van der Hulstbeek zei dat de markt open blijft.", ["Joris van der Hulstbeek"]),
    ("de", "Verkehrsminister Ansgar Wendelhorst sagte, die Maut komme.", ["Ansgar Wendelhorst"]),
])
def test_titles_and_roles_are_not_part_of_the_name(language, body, expected):
    assert people(body, language) == expected


def test_a_german_capitalised_noun_is_no_name():
    body = ("Die Zahl der Zusatzfelder stieg. Strengere Maßnahmen folgen im Tiergarten Schönbrunn, "
            "sagte Ansgar Wendelhorst. Wendelhorst sagte, die Zahl der Zusatzfelder sei hoch.")
    assert people(body, "de") == ["Ansgar Wendelhorst"]
    assert "Tiergarten Schönbrunn" in people(body, None)    # read as English, the old mistake


def test_a_german_compound_role_and_genitive():
    body = ("Der Vorschlag von Adidas-Chef Ansgar Wendelhorst wurde abgelehnt. "
            "Wendelhorsts Nachfolger sagte nichts.")
    assert people(body, "de") == ["Ansgar Wendelhorst"]
    assert role_word("verkehrsminister", vocabulary("de").role_ends)
    assert role_word("henkel-chef", vocabulary("de").role_ends)
    assert not role_word("verkehrsminister")              # English reads no compounds


@pytest.mark.parametrize("language, body", [
    ("es", "La Corte Suprema y la Casa Blanca respondieron el lunes en Ciudad Quebrada."),
    ("it", "La Corte Suprema ha respinto il ricorso della Guardia Costiera."),
    ("pt", "A Casa Branca e o Colégio Eleitoral responderam na segunda-feira."),
])
def test_institutions_made_of_common_words_are_no_people(language, body):
    assert people(body, language) == []


@pytest.mark.parametrize("language, body, expected", [
    ("es", "Los Estados Unidos y el Reino Unido firmaron el acuerdo.", {"United States", "United Kingdom"}),
    ("it", "Gli Stati Uniti hanno risposto.", {"United States"}),
    ("nl", "Het Verenigd Koninkrijk stemde tegen.", {"United Kingdom"}),
    ("fr", "Les États-Unis ont répondu.", {"United States"}),
])
def test_country_names_are_countries_not_people(language, body, expected):
    ents = extract("", body, None, language)
    assert ents.people == []
    assert set(ents.countries) | set(ents.countries_mentioned) == expected


def test_a_preposition_or_common_noun_before_a_name_is_not_part_of_it():
    assert people("Volgens Marjolein Dekkerhuis is het plan haalbaar.", "nl") == ["Marjolein Dekkerhuis"]
    assert people("Según Ernesto Valdivia, el plan es viable.", "es") == ["Ernesto Valdivia"]
    assert "Volgens Airbus" not in people("Volgens Airbus is het vliegtuig veilig.", "nl")


def test_a_particle_joins_a_name_only_after_a_given_name():
    assert people("Het contract van Verstraete van Sidmar werd verlengd, zei Joris van der Hulstbeek.",
                  "nl") == ["Joris van der Hulstbeek"]


def test_two_people_joined_by_a_conjunction_stay_two():
    got = people("Los toreros Ernesto Valdivia y Anselmo Quintana salieron a hombros.", "es")
    assert sorted(got) == ["Anselmo Quintana", "Ernesto Valdivia"]


def test_reporting_verbs_of_each_language_are_evidence():
    assert people("La decisión es firme, añadió Tadeo Ruvalcaba.", "es") == ["Tadeo Ruvalcaba"]
    assert people("Zorbeck Strocka a déclaré qu'il viendrait.", "fr") == ["Zorbeck Strocka"]
    assert people("Zorbeck Strocka kwam niet.", "nl") == []         # an unknown pair opening a sentence
    assert people("Zorbeck Strocka heeft verklaard dat hij komt.", "nl") == ["Zorbeck Strocka"]


def test_an_elided_article_opens_no_name():
    got = people("L'avvocato di Ottavio Brambillasca ha parlato.", "it")
    assert got == ["Ottavio Brambillasca"]


@pytest.mark.parametrize("language, body, expected", [
    ("fr", "Le Parti socialiste a gagné. Selon la NASA, la mission est prête.", {"Parti socialiste", "NASA"}),
    ("it", "La Banca centrale europea ha alzato i tassi, secondo l'agenzia Ansa.", {"Banca centrale europea", "Ansa"}),
    ("de", "Das teilte die Nachrichtenagentur Xinhua mit. Die Polizei schwieg.", {"Xinhua"}),
    ("nl", "Autofabrikant Brellmark sluit een fabriek.", {"Brellmark"}),
    ("es", "Madrid , 25 may ( EFE ) . El paro bajó , según el PSOE .", {"EFE", "PSOE"}),
])
def test_organisations_by_the_signs_of_each_language(language, body, expected):
    assert set(orgs(body, language)) == expected


def test_common_nouns_in_capitals_are_no_acronyms():
    assert orgs("El PIB creció y el IVA subió, según el Gobierno.", "es") == []
