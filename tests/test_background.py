"""An actor's ``background:``: outside knowledge, kept apart from the thread and shown as such."""

from __future__ import annotations

import json

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF

from conftest import DATASET, ONTOLOGY
from kgraph.cli import main
from kgraph.rdf.build import build_graphs
from kgraph.rdf.iris import KG, actor_iri
from kgraph.rdf.validate import shacl_check
from kgraph.source.reading import read_dataset

CSTO_SOURCE = "https://en.wikipedia.org/wiki/Collective_Security_Treaty_Organization"


def _with_background(data_copy, block: str) -> None:
    """Give the actor 'police' the YAML ``block`` (indented as a field)."""
    actors = data_copy / DATASET / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    anchor = "- id: police\n"
    assert anchor in text
    actors.write_text(text.replace(anchor, anchor + block, 1), encoding="utf-8")


def test_background_is_read_with_its_source(data_copy):
    _with_background(data_copy, "  background:\n  - text: Police of the Republic.\n    source: Annual report 2021\n")
    dataset, problems = read_dataset(data_copy / DATASET)
    assert problems == []
    police = next(a for a in dataset.actors if a.id == "police")
    assert [(b.text, b.source) for b in police.background] == [("Police of the Republic.", "Annual report 2021")]


def test_a_background_without_source_is_a_problem_at_its_line(data_copy):
    _with_background(data_copy, "  background:\n  - text: Police of the Republic.\n")
    _, problems = read_dataset(data_copy / DATASET)
    assert [p.message for p in problems] == ["a background item of actor police is missing the field 'source'"]
    lines = (data_copy / DATASET / "actors.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problems[0].line - 1].strip() == "- text: Police of the Republic."


def test_a_background_that_is_not_a_list_is_a_problem(data_copy):
    _with_background(data_copy, "  background: Police of the Republic.\n")
    _, problems = read_dataset(data_copy / DATASET)
    assert [p.message for p in problems] == ["'background' of actor police must be a list of {text, source}"]


def test_background_is_its_own_node_with_text_and_source(data_copy):
    from rdflib.namespace import XSD  # imported here: pytest probing a module-level XSD warns

    graph = build_graphs(data_copy, ONTOLOGY)[0][DATASET]
    items = list(graph.objects(actor_iri("csto"), KG.background))
    assert len(items) == 1
    item = items[0]
    assert (item, RDF.type, KG.Background) in graph
    assert graph.value(item, DCTERMS.source) == Literal(CSTO_SOURCE, datatype=XSD.anyURI)
    assert "led by Russia" in str(graph.value(item, RDF.value))
    # the thread's own description says nothing of the kind
    assert "Russia" not in str(graph.value(actor_iri("csto"), KG.description, default=""))
    assert shacl_check(graph, ONTOLOGY) == []
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((item, DCTERMS.source, None))
    assert any("background needs its source" in v for v in shacl_check(broken, ONTOLOGY))


def test_show_marks_background_as_not_from_the_thread(runner, built_dir):
    out = runner.invoke(main, ["show", "CSTO", "--graph", str(built_dir)]).output
    line = next(x for x in out.splitlines() if "background" in x)
    assert line == ("  background (not from the thread): A military alliance of post-Soviet states led by "
                    f"Russia. — source: {CSTO_SOURCE}")
    data = json.loads(runner.invoke(main, ["show", "CSTO", "--format", "json", "--graph", str(built_dir)]).output)
    assert data["background"] == [{"text": "A military alliance of post-Soviet states led by Russia.",
                                   "source": CSTO_SOURCE}]
    tokayev = json.loads(runner.invoke(main, ["show", "Tokayev", "--format", "json", "--graph", str(built_dir)]).output)
    assert tokayev["background"] == []


def test_page_panel_shows_background_as_such(built_dir):
    from test_viz import page_json

    html = (built_dir / f"{DATASET}.html").read_bytes()
    actors = page_json(html)["actors"]
    assert actors["csto"]["background"] == [{"text": "A military alliance of post-Soviet states led by Russia.",
                                             "source": CSTO_SOURCE}]
    assert "background" not in actors["tokayev"]
    assert "Background (not from the thread)" in html.decode("utf-8")
