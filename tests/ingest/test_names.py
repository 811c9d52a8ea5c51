"""Names files (indexer/ingest/names.py): read and checked whole, every mistake one line naming its
line; the rules merge, move and drop values of an article, per facet, and chain."""
from __future__ import annotations

import pytest
from conftest import make_article

from indexer.ingest.names import Names, NamesError

HEADER = "facet,action,value,target\n"


def names_file(tmp_path, text: str, name: str = "names.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_from_a_spreadsheet_is_read_with_its_comments_and_blank_lines(tmp_path):
    path = tmp_path / "names.csv"
    path.write_bytes(("\ufeff" + HEADER + "# people\n\nperson,merge,Brian T. Carroll,Brian Carroll\n"
                      'people,move,"Al Jazeera",org\r\nORG,DROP,Bug Busters\n,,,\n').encode("utf-8"))
    names = Names.load(path)
    assert {(r.facet, r.action, r.value, r.target, r.line) for r in names.rules.values()} == {
        ("person", "merge", "Brian T. Carroll", "Brian Carroll", 4),
        ("person", "move", "Al Jazeera", "org", 5), ("org", "drop", "Bug Busters", "", 6)}
    assert names.summary() == f"{path}: 3 rules (1 merge, 1 move, 1 drop) for person 2, org 1."


@pytest.mark.parametrize("text,line,says", [
    ("value,facet,action,target\n", 1, "the first line must be the header facet,action,value,target"),
    (HEADER + "colour,drop,Red,\n", 2, "unknown facet “colour” (one of country, person, org, author)"),
    (HEADER + "date,drop,2004,\n", 2, "unknown facet “date”"),
    (HEADER + "\nperson,rename,Ann,Anne\n", 3, "unknown action “rename” (merge, move or drop)"),
    (HEADER + "person,merge,Ann,\n", 2, "merge needs a target"),
    (HEADER + "person,merge,Ann Lee,ANN LEE\n", 2, "“Ann Lee” is merged into itself"),
    (HEADER + "person,move,Ann,planet\n", 2, "unknown target facet “planet”"),
    (HEADER + "person,move,Ann,people\n", 2, "“Ann” is moved to the facet it is in"),
    (HEADER + "person,drop,Ann,org\n", 2, "drop takes no target"),
    (HEADER + "person,drop,,\n", 2, "no value"),
    (HEADER + ",drop,Ann,\n", 2, "no facet"),
    (HEADER + "person,drop,Ann,,extra\n", 2, "more than 4 columns"),
    (HEADER + "person,drop,Ann Lee,\nperson,merge,ann lee,Ann Leigh\n", 3,
     "“ann lee” in person already has a rule on line 2"),
    (HEADER + "person,merge,Ann,Anne\nperson,merge,Anne,Ann\n", 2, "the rules for “Ann” lead back to it"),
    (HEADER + "person,move,Acme,org\norg,move,Acme,person\n", 2, "the rules for “Acme” lead back to it"),
    (HEADER + 'person,drop,"Ann\n', 2, "not valid CSV"),
    (HEADER + "person,drop,A\x00nn,\n", 2, "a control character in a cell"),
    (HEADER + 'person,drop,"Ann\nLee",\n', 3, "a control character in a cell"),
])
def test_a_mistake_is_one_line_naming_the_file_and_its_line(tmp_path, text, line, says):
    path = names_file(tmp_path, text)
    with pytest.raises(NamesError) as error:
        Names.load(path)
    message = str(error.value)
    assert message.startswith(f"{path}, line {line}: ") and says in message and "\n" not in message


def test_a_file_that_is_missing_or_not_utf8_is_one_line_too(tmp_path):
    with pytest.raises(NamesError, match=r"^names file .*missing\.csv: no such file$"):
        Names.load(tmp_path / "missing.csv")
    (tmp_path / "latin.csv").write_bytes((HEADER + "person,drop,Müller,\n").encode("latin-1"))
    with pytest.raises(NamesError, match=r"latin\.csv, line 2: not UTF-8 text"):
        Names.load(tmp_path / "latin.csv")


def test_rules_merge_move_and_drop_an_article_s_values_however_they_are_typed(tmp_path):
    names = Names.load(names_file(tmp_path, HEADER + "person,merge,Brian T. Carroll,Brian Carroll\n"
                                  "person,move,al jazeera,org\nperson,drop,Bug Busters,\n"
                                  "country,drop,Atlantis,\ncountry,merge,Burma,Myanmar\n"))
    article = make_article(1, "t", "b", people=["Brian T. Carroll", "AL JAZEERA", "Brian Carroll", "bug busters",
                                                "Ann Lee"], orgs=["Reuters"], countries=["Burma", "Myanmar"],
                           mentioned=["Atlantis", "Burma", "Chile"])
    assert names.apply(article) == 6          # each value a rule changed, in both lists
    assert article.facets == {"person": ["Brian Carroll", "Ann Lee"], "org": ["Reuters", "AL JAZEERA"],
                              "country": ["Myanmar"]}
    assert article.mentioned == {"country": ["Chile"]}   # passing mentions never repeat the "about" ones
    untouched = make_article(2, "t", "b", people=["Ann Lee"], countries=["Chile"])
    assert names.apply(untouched) == 0 and untouched.facets == {"person": ["Ann Lee"], "country": ["Chile"]}


def test_rules_chain_across_facets(tmp_path):
    names = Names.load(names_file(tmp_path, HEADER + "person,merge,AJ,Al Jazeera\nperson,move,Al Jazeera,org\n"
                                  "org,merge,Al Jazeera,Al Jazeera Media Network\n"))
    article = make_article(1, "t", "b", people=["AJ", "Ann Lee"])
    assert names.apply(article) == 1
    assert article.facets == {"person": ["Ann Lee"], "org": ["Al Jazeera Media Network"]}


def test_the_digest_follows_the_rules(tmp_path):
    one = Names.load(names_file(tmp_path, HEADER + "person,drop,Ann,\n", "a.csv"))
    same = Names.load(names_file(tmp_path, HEADER + "person,drop,Ann,\n", "b.csv"))
    other = Names.load(names_file(tmp_path, HEADER + "person,drop,Bo,\n", "c.csv"))
    assert one.digest == same.digest != other.digest
