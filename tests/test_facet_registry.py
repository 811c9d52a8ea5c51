"""The facet registry (indexer/facets.py) drives every layer: URL parameters, the request,
the engine's facets, the page's sidebar, the facet API, the JSON and the CLI options."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import make_article

from indexer.cli import main
from indexer.engines import open_engine
from indexer.facets import BY_NAME, FACETS, VALUE_FACET_NAMES, VALUE_FACETS, spec
from indexer.model import result_to_json
from indexer.request import from_mapping, to_params

VALUES = {"country": "Japan", "person": "James Kelly", "author": "Ann Lee"}


def test_every_facet_has_a_unique_name_and_values_facets_a_parameter():
    assert len(BY_NAME) == len(FACETS) and spec("date").kind == "dates"
    assert VALUE_FACET_NAMES == ("country", "person", "author")
    assert all(s.param and s.attr and s.label for s in VALUE_FACETS)
    with pytest.raises(KeyError):
        spec("colour")


@pytest.mark.parametrize("facet", VALUE_FACETS, ids=lambda s: s.name)
def test_a_values_facet_round_trips_through_the_url(facet):
    req, messages = from_mapping({facet.param: ["Alpha", "Beta", "alpha"]})
    assert getattr(req, facet.attr) == ["Alpha", "Beta"] and not messages
    assert to_params(req)[facet.param] == ["Alpha", "Beta"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_engine("whoosh", index_dir=tmp_path_factory.mktemp("registry") / "i")
    engine.index_articles([
        make_article(1, "Reactor talks", "Envoys met about the reactor.", "2004-02-20", people=["James Kelly"],
                     countries=["Japan"], authors=["Ann Lee"]),
        make_article(2, "Trade figures", "Tokyo trade figures rose.", "2004-03-01", countries=["China"]),
    ])
    return engine


@pytest.mark.parametrize("facet", VALUE_FACETS, ids=lambda s: s.name)
def test_the_engine_filters_counts_and_labels_each_facet_by_its_entry(engine, facet):
    req, _ = from_mapping({facet.param: [VALUES[facet.name]]})
    with engine.session() as session:
        result = session.search(req)
    assert result.total == 1 and result.hits[0].id == "art0001"
    got = result.facets[facet.name]
    assert got.label == facet.label and got.selected == [VALUES[facet.name]]
    assert result_to_json(result)["facets"][facet.name]["label"] == facet.label


def test_the_page_and_the_api_show_every_values_facet(engine):
    from webui import create_app
    client = create_app({"INDEX": engine.location(), "TESTING": True}).test_client()
    page = client.get("/").get_data(as_text=True)
    for facet in VALUE_FACETS:
        assert f'id="facet-{facet.name}"' in page and facet.label in page
        answer = client.get(f"/api/facets/{facet.name}?prefix={VALUES[facet.name][:3]}").get_json()
        assert [v["value"] for v in answer["values"]] == [VALUES[facet.name]]


def test_the_cli_has_one_option_per_values_facet(engine):
    for facet in VALUE_FACETS:
        result = CliRunner().invoke(main, ["search", "", "--index", engine.location(), "--json",
                                           f"--{facet.param}", VALUES[facet.name]])
        assert result.exit_code == 0, result.output
        assert '"total": 1' in result.output
