"""People named by one word (indexer.ingest.entities.bare_names), on invented sentences."""
from indexer.ingest.entities import extract
from indexer.ingest.entities.name_words import SURNAMES


def people(body: str, title: str = "") -> list[str]:
    return extract(title, body).people


def test_the_surname_table_holds_family_names_and_no_words_or_agencies():
    assert {"okonkwo", "mwangi", "hegarty"} <= SURNAMES
    assert not {"interfax", "reuters", "price", "church", "the"} & SURNAMES


def test_a_known_surname_that_speaks_is_a_person():
    assert people("Okonkwo said the plan would work.") == ["Okonkwo"]
    assert people('"The plan will work," said Mwangi.') == ["Mwangi"]


def test_an_unknown_word_that_speaks_is_not():
    assert people("Interfax said the plan would work.") == []
    assert people("Novosti said the plan would work.") == []


def test_a_word_the_article_uses_for_a_company_is_no_person():
    assert people("Ford said sales rose. Ford's shares fell by a tenth.") == []


def test_possessive_and_age_of_a_known_surname():
    assert people("Mwangi's goal won the match for the visitors.") == ["Mwangi"]
    assert people("Police said Otieno, 34, was arrested on Monday.") == ["Otieno"]
    assert people("Parkinson's disease affects millions.") == []


def test_an_apposition_with_a_role_gives_a_person():
    assert people("Trabelsi, the team's captain, scored twice.") == ["Trabelsi"]
    assert people("Novosti, the news agency, reported it.") == []
    assert people("It sells in Europe, a Bertelsmann official said.") == []


def test_a_role_before_a_name_in_brackets_and_a_title_in_capitals():
    assert people("The side was led by the coach (Trabelsi) all season.") == ["Trabelsi"]
    assert people("Jordanian PM Kabariti met the envoy.") == ["Kabariti"]


def test_editorial_brackets_around_a_surname():
    assert people('"[Okonkwo] had been released a year ago," a reporter said.') == ["Okonkwo"]


def test_scorers_with_minutes_in_results():
    found = people("Norden 2 ( Kovalchuk 12th , Brandvik 67th pen ) Ostby 1 ( Trabelsi 30th ) .\n"
                   "Halftime 1-1 .")
    assert set(found) == {"Kovalchuk", "Brandvik", "Trabelsi"}


def test_a_list_whose_other_items_are_people():
    body = ("Coach Maria Dalton named Tom Ferris, Alan Hegarty and Pat Quill.\n"
            "The line-up : Ferris , Hegarty , Quill , Kovalchuk , Brandvik .")
    assert {"Kovalchuk", "Brandvik"} <= set(people(body))


def test_lists_opened_by_roles_or_of_given_names():
    assert people("The club signed players including Okafor, Mbeki and Dlamini.") == ["Okafor", "Mbeki", "Dlamini"]
    assert people("The club beat sides including Ajaccio, Brest and Lorient.") == []
    assert people("The girls, Julie and Melissa, were found alive.") == ["Julie", "Melissa"]
    assert people("He toured Georgia and Virginia.") == []


def test_a_first_name_alone_points_to_the_full_name():
    assert people("Sara Mbeki spoke first. Later, Sara said the club would appeal.") == ["Sara Mbeki"]


def test_fielders_and_bowlers_in_a_cricket_scorecard():
    body = "Pakistan first innings\nSaeed Anwar c Trabelsi b Kovalchuk 176\nIjaz Ahmed b Kovalchuk 61"
    assert {"Trabelsi", "Kovalchuk"} <= set(people(body))
    assert "Kovalchuk" not in people("He went to b Kovalchuk and waited.")
