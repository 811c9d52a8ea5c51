"""Unit tests for indexer.ingest.entities.organisations, on invented sentences: each sign of an
organisation's name, the joining of an article's forms into one value, and the names that are not
organisations."""
from indexer.ingest.entities import extract
from indexer.ingest.entities.organisations import abbreviates, legal_form
from indexer.ingest.entities.text import tokenize


def orgs(body, title=""):
    return extract(title, body).organisations


def test_an_acronym_joins_the_full_name_the_article_spells_out():
    got = orgs("The Northern Fisheries Protection Agency (NFPA) closed the bay on Monday. "
               "Later the NFPA said the ban would last a month.")
    assert got == ["Northern Fisheries Protection Agency"]


def test_an_acronym_joins_a_name_written_without_brackets():
    got = orgs("Former Valdoria Central Statistics Bureau analyst Mira Lenko left. She had joined the CSB in 2001.")
    assert got == ["Central Statistics Bureau"]       # the acronym says where the name starts


def test_an_acronym_with_letters_from_inside_the_words():
    assert abbreviates("Phivolcs", "Philippine Institute of Volcanology and Seismology".split())
    assert abbreviates("IAEA", "International Atomic Energy Agency".split())
    assert not abbreviates("NATO", "Northern Fisheries Protection Agency".split())


def test_variants_of_a_company_merge_without_the_legal_form():
    got = orgs("Brellwick Aerostructures SAS won the contract. Brellwick Aerostructures said deliveries start in May.")
    assert got == ["Brellwick Aerostructures"]
    assert orgs("Quarnby Holdings Ltd. reported a loss.") == ["Quarnby Holdings"]
    assert orgs("Shares of Tessaline GmbH rose.") == ["Tessaline"]


def test_a_short_form_joins_the_one_long_form_it_belongs_to():
    got = orgs("She worked at the Halvorsen Institution of Oceanography for years. "
               "Halvorsen scientists later joined her, and Halvorsen praised her work.")
    assert got == ["Halvorsen Institution of Oceanography"]


def test_legal_forms_come_from_a_table_and_need_their_written_shape():
    assert legal_form(tokenize("Inc")[0]) and legal_form(tokenize("GmbH")[0]) and legal_form(tokenize("AG")[0])
    assert not legal_form(tokenize("Ag")[0])          # a short form only in capitals
    assert not legal_form(tokenize("inc")[0])


def test_kinds_of_organisation_by_their_head_word():
    body = ("The Ministry of Coastal Affairs, the Velmora Workers Union, the Green Harbour Party, "
            "the Ostrava Savings Bank, the University of Kelburn, the Tarrant Daily Herald, "
            "the Rivermouth Broadcasting Corporation, the Halden Chamber Orchestra and "
            "the International Federation of Kite Fliers all signed the letter.")
    assert set(orgs(body)) == {
        "Ministry of Coastal Affairs", "Velmora Workers Union", "Green Harbour Party", "Ostrava Savings Bank",
        "University of Kelburn", "Tarrant Daily Herald", "Rivermouth Broadcasting Corporation",
        "Halden Chamber Orchestra", "International Federation of Kite Fliers"}


def test_joining_words_inside_a_name():
    assert orgs("Grants came from the Centers for Soil Research and Conservation last year.") == [
        "Centers for Soil Research and Conservation"]
    assert orgs("The Committee to Protect Lighthouse Keepers wrote to them.") == [
        "Committee to Protect Lighthouse Keepers"]
    assert orgs("Dorrance & Pike won the tender.") == []   # no sign: a name, but of what?


def test_two_organisations_in_a_list_stay_two():
    got = orgs("Researchers from the University of Kelburn and Tallis Marine Labs published the study.")
    assert got == ["University of Kelburn", "Tallis Marine Labs"]
    assert set(orgs("The Senate and House passed the bill.")) == {"Senate"}


def test_kind_words_before_and_in_apposition():
    assert orgs("The law firm Brandt Okoro represented them.") == ["Brandt Okoro"]
    assert orgs("Vessmark, a company that makes bicycle chains, said sales fell.") == ["Vessmark"]
    assert orgs("State news agency Qarawi reported the attack.") == ["Qarawi"]


def test_news_outlets_by_what_they_do():
    assert orgs("Tolvane reported that the talks had failed.") == ["Tolvane"]
    assert orgs("One minister told Halbrook on Tuesday that talks would resume.") == ["Halbrook"]
    assert orgs("According to the Kestrel Gazette, the mayor resigned.") == ["Kestrel Gazette"]
    assert orgs("The findings were published on Monday in Coastal Ecology Letters.") == ["Coastal Ecology Letters"]


def test_acronyms_used_as_organisations_are():
    assert orgs("The talks were hosted by the WFCB in Geneva.") == ["WFCB"]
    assert orgs("A QTVN correspondent saw the convoy.") == ["QTVN"]
    assert orgs("GDP grew by 2% and the flight left at 1700 UTC.") == []
    assert orgs("Cases of COVID-19 rose.") == []


def test_a_party_written_in_lower_case():
    assert orgs("She left the Progressive Farmers party in May.") == ["Progressive Farmers Party"]


def test_teams_in_results():
    assert orgs("Harwick defeated Ellsby 31 points to 12 on Saturday.") == ["Harwick", "Ellsby"]
    table = "Results:\nPortlow 3 Daneby 1\nKessfield 2 Morvale 2\n"
    assert set(orgs(table)) == {"Portlow", "Daneby", "Kessfield", "Morvale"}
    standings = "Standings:\nPortlow 12 8 2 2 20\nDaneby 12 7 3 2 18\nKessfield 12 5 4 3 14\n"
    assert set(orgs(standings)) == {"Portlow", "Daneby", "Kessfield"}


def test_countries_sides_in_results_are_countries_not_organisations():
    assert orgs("Results:\nItaly 2 Norway 1\nSpain 0 Japan 0\n") == []


def test_people_places_products_and_works_are_not_organisations():
    body = ("Martina Okello, the finance minister, flew to Paris on Monday. She drove a 2019 Volvo V60 "
            "and read The Silent Harbour by Ines Marlow. The Affordable Housing Act passed, and the "
            "World Kite Cup opened in Greater Velmora.")
    assert orgs(body) == []


def test_a_show_or_a_ship_named_like_an_organisation_is_not_one():
    assert orgs("She starred in the reality show Harbour House last year.") == []


def test_salience_counts_every_form():
    body = ("The Velmora Port Authority (VPA) met the Ostrava Savings Bank. The VPA said fees would rise. "
            "The VPA later confirmed it.")
    assert orgs(body) == ["Velmora Port Authority", "Ostrava Savings Bank"]


def test_organisations_set_aside_by_people_extraction_are_found():
    e = extract("", "Milltech Marine, a firm specialising in sonar, said it would hire.")
    assert e.people == [] and e.organisations == ["Milltech Marine"]


def test_heads_in_other_languages_are_not_absurd():
    assert orgs("El Ministerio de Hacienda y el Partido Popular firmaron.") == [
        "Ministerio de Hacienda", "Partido Popular"]
    assert set(orgs("Le Parti socialiste et la Banque de France ont parlé.")) >= {"Banque de France"}
    assert orgs("Das Bundesministerium der Finanzen und die Universität Leipzig.")[:1] == [
        "Bundesministerium der Finanzen"]


def test_a_website_named_by_its_address():
    assert orgs("One news site, Harbourwatch.com, claims the opposite.") == ["Harbourwatch.com"]
