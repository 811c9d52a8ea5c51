"""The facet registry (indexer/facets.py) drives every layer: URL parameters, the request, the query
language's fields, both engines' fields, the JSON, the page, the exports and the CLI options.

Besides the registry's own facets, a process of its own registers two more (a single-valued keyword
facet with value labels, and a hidden one) before importing anything else, and builds, searches,
serves and exports with them: nothing outside the registry has to name a facet."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner
from conftest import REPO, make_article

from indexer import facets
from indexer.cli import main
from indexer.engines import open_engine
from indexer.facets import BY_NAME, FACETS, KEYWORDS, VALUE_FACET_NAMES, VALUE_FACETS, FacetSpec, spec
from indexer.model import SearchRequest, result_to_json
from indexer.querylang import FIELD_ALIASES, parse
from indexer.request import from_mapping, params, to_params
from indexer.stories import story_id_for

# The story of art0001 (its id is made from its content hash when the build starts the story).
VALUES = {"country": "Japan", "person": "James Kelly", "org": "Bank of Japan", "author": "Ann Lee",
          "language": "en", "story": story_id_for("hash1")}


def test_every_facet_has_a_unique_name_and_values_facets_a_parameter():
    assert len(BY_NAME) == len(FACETS) and spec("date").kind == "dates"
    assert VALUE_FACET_NAMES == ("country", "person", "org", "author", "language", "story")
    assert facets.GROUP is spec("story") and not spec("story").sidebar and not spec("story").multi
    assert all(s.param and s.json and s.label and s.noun for s in VALUE_FACETS)
    assert [s.order for s in FACETS] == sorted(s.order for s in FACETS)
    with pytest.raises(KeyError):
        spec("colour")


def test_a_spec_the_layers_cannot_render_is_refused():
    for bad in (dict(kind="shapes"), dict(lookup="first"), dict(source="guessed"), dict(display="blink"),
                dict(param=""), dict(source="given", given_keys=())):
        fields = {**dict(name="x", label="X", kind=KEYWORDS, param="x", json="xs", noun="x"), **bad}
        with pytest.raises(ValueError):
            facets._check(FacetSpec(**fields))


@pytest.mark.parametrize("facet", VALUE_FACETS, ids=lambda s: s.name)
def test_a_values_facet_round_trips_through_the_url(facet):
    req, messages = from_mapping({facet.param: ["Alpha", "Beta", "alpha"]})
    assert req.chosen(facet.name) == ["Alpha", "Beta"] and not messages
    assert to_params(req)[facet.param] == ["Alpha", "Beta"]
    assert facet.param in params()
    if facet.scoped:
        req, _ = from_mapping({facet.param: ["Alpha"], facet.scope_param: "about"})
        assert req.scope(facet.name) == "about" and to_params(req)[facet.scope_param] == "about"


@pytest.mark.parametrize("facet", VALUE_FACETS, ids=lambda s: s.name)
def test_the_query_language_reads_each_facet_by_its_name_and_aliases(facet):
    for field in (facet.name, *facet.aliases):
        assert FIELD_ALIASES[field] == facet.name
        query = parse(f'{field}:"{VALUES[facet.name]}" talks')
        assert query.tree.children[0] == type(query.tree.children[0])(facet.name, VALUES[facet.name]), field
        assert not query.messages


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_engine("whoosh", index_dir=tmp_path_factory.mktemp("registry") / "i")
    engine.index_articles([
        make_article(1, "Reactor talks", "Envoys met about the reactor.", "2004-02-20", people=["James Kelly"],
                     countries=["Japan"], authors=["Ann Lee"], orgs=["Bank of Japan"], language=["en"]),
        make_article(2, "Trade figures", "Tokyo trade figures rose.", "2004-03-01", countries=["China"],
                     language=["de"]),
    ])
    return engine


@pytest.mark.parametrize("facet", facets.SIDEBAR_FACETS, ids=lambda s: s.name)
def test_the_engine_filters_counts_and_labels_each_facet_by_its_entry(engine, facet):
    req, _ = from_mapping({facet.param: [VALUES[facet.name]]})
    with engine.session() as session:
        result = session.search(req)
    assert result.total == 1 and result.hits[0].id == "art0001"
    got = result.facets[facet.name]
    assert got.label == facet.label and got.selected == [VALUES[facet.name]]
    shaped = result_to_json(result)
    assert shaped["facets"][facet.name]["label"] == facet.label
    assert shaped["filters"][facet.param] == [VALUES[facet.name]]
    assert VALUES[facet.name] in shaped["hits"][0][facet.json]


def test_hits_json_has_every_facet_s_field_in_registry_order(engine):
    with engine.session() as session:
        hit = result_to_json(session.search(SearchRequest(q="reactor")))["hits"][0]
    fields = [f for s in VALUE_FACETS for f in (s.json, s.mentioned_json) if f]
    assert [k for k in hit if k in fields] == fields


def test_the_cli_has_one_option_per_values_facet(engine):
    for facet in VALUE_FACETS:
        result = CliRunner().invoke(main, ["search", "", "--index", engine.location(), "--json",
                                           f"--{facet.param}", VALUES[facet.name]])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["total"] == 1


# ---------------------------------------------------------------- facets added by registering a spec

EXTENDED = textwrap.dedent('''
    import json, sys
    from indexer import facets
    from indexer.facets import KEYWORDS, FacetSpec

    facets.register(FacetSpec(
        "colour", "Colours", KEYWORDS, param="colour", json="colour", noun="colour", aliases=("hue",), order=35,
        source="given", given_keys=("colour",), chips=1, multi=False, value_label={"rd": "Red", "bl": "Blue"}.get,
        help=((("colour:rd",), "articles of a colour"),), cli_help="Filter by colour."))
    facets.register(FacetSpec(
        "batch", "Batches", KEYWORDS, param="batch", json="batch", noun="batch", order=36, source="given",
        given_keys=("batch",), display="hidden", sidebar=False, multi=False))

    from click.testing import CliRunner
    from indexer.cli import main
    from indexer.engines.opensearch import mapping
    from indexer.request import from_mapping
    from webui import create_app

    corpus, index = sys.argv[1], sys.argv[2]
    run = lambda *args: CliRunner().invoke(main, list(args))
    out = {"rebuild": run("rebuild", corpus, "--index", index, "--workers", "1", "--quiet").exit_code}
    search = lambda *args: json.loads(run("search", *args, "--index", index, "--json").output)
    out["by_option"] = search("", "--colour", "rd")
    out["by_alias"] = search("hue:bl")["total"]
    out["by_field"] = search("colour:RD")["total"]
    out["hidden"] = search("batch:b7")
    out["help"] = run("search", "--help").output
    out["extract"] = json.loads(run("extract", corpus + "/a.jsonl", "--json").output.splitlines()[0])
    req, _ = from_mapping({"colour": ["rd"], "batch": ["b7"]})
    out["filters"] = req.filters
    client = create_app({"INDEX": index, "TESTING": True}).test_client()
    out["page"] = client.get("/?colour=rd").get_data(as_text=True)
    out["csv"] = client.get("/search.csv").get_data(as_text=True).splitlines()[0]
    out["api_colour"] = client.get("/api/facets/colour?prefix=r").get_json()
    out["api_batch"] = client.get("/api/facets/batch").status_code
    out["os_fields"] = sorted(mapping.index_body()["mappings"]["properties"])
    print(json.dumps(out))
''')


def test_a_registered_facet_is_read_indexed_searched_served_and_exported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(o) for o in (
        {"title": "Red one", "body": "A red story about paint.", "date": "2020-01-01", "colour": "rd", "batch": "b7"},
        {"title": "Blue one", "body": "A blue story about the sea.", "date": "2020-01-02", "colour": "bl",
         "batch": "b8"},
        {"title": "Another red", "body": "More red paint on the wall.", "date": "2020-01-03", "colour": "rd"},
    )) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", EXTENDED, str(corpus), str(tmp_path / "index")], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out["rebuild"] == 0
    red = out["by_option"]
    assert red["total"] == 2 and red["filters"]["colour"] == ["rd"]
    assert [h["colour"] for h in red["hits"]] == ["rd", "rd"]                       # single-valued: a scalar
    assert {(v["value"], v.get("label"), v["count"]) for v in red["facets"]["colour"]["values"]} == {
        ("rd", "Red", 2), ("bl", "Blue", 1)}                                          # counted disjunctively
    assert out["by_alias"] == 1 and out["by_field"] == 2
    hidden = out["hidden"]
    assert hidden["total"] == 1 and hidden["hits"][0]["batch"] == "b7" and "batch" not in hidden["facets"]
    assert "--colour" in out["help"] and "--batch" in out["help"]
    assert out["extract"]["colour"] == "rd" and out["extract"]["batch"] == "b7"
    assert out["filters"] == {"colour": ["rd"], "batch": ["b7"]}
    page = out["page"]
    assert 'id="facet-colour"' in page and "Colours" in page and 'id="facet-batch"' not in page
    assert ">Red</span>" in page and "articles of a colour" in page and "<code>colour:rd</code>" in page
    assert "chip-colour" in page and "chip-batch" not in page
    assert out["csv"].split(",")[6:] == ["countries", "people", "organisations", "colour", "authors", "language",
                                         "score", "article_url"]
    assert [v["value"] for v in out["api_colour"]["values"]] == ["rd"] and out["api_batch"] == 404
    assert {"colour", "batch"} <= set(out["os_fields"])
