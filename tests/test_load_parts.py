"""`kgraph load` cuts large Turtle and N-Triples files into parts that load at once.

Whatever the cut, the store must hold exactly what a parse of the whole file
gives; a cut that does not hold (inside a long literal, a bad line) falls
back to a load in one piece, with the file's own line numbers in errors.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kgraph.errors import StoreError
from kgraph.rdf.namespaces import ONTOLOGY_GRAPH, in_vocabulary
from kgraph.stores import loading
from kgraph.stores.base import file_graph
from kgraph.stores.loading import load_files
from kgraph.stores.oxi import to_rdflib

# Cut loading: files loaded whole and in parts (about 6 s of CPU): make test runs them, make check not.
pytestmark = pytest.mark.slow

LITERAL_WITH_STATEMENTS = '''@prefix ex: <http://example.org/> .
# a comment the header keeps
ex:a ex:p "{pad}" .

ex:b ex:q """first line of a literal .
ex:c ex:p ex:d .
last line of the literal""" .
ex:e ex:p "y" ; ex:q [ ex:r ( 1 2 ) ] .
'''


@pytest.fixture
def parts(monkeypatch):
    """Cut every file, into ``parts.workers`` parts; ``parts.tried`` counts the files cut."""

    class Parts:
        workers = 3
        tried = 0

    real = loading._load_parts

    def counting(*args, **kwargs):
        Parts.tried += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(loading, "SPLIT_FROM_BYTES", 0)
    monkeypatch.setattr(loading, "_workers", lambda: Parts.workers)
    monkeypatch.setattr(loading, "_load_parts", counting)
    return Parts


def parsed_whole(source) -> Graph:
    """The file as Oxigraph's parser reads it in one piece (rdflib cannot read Turtle 1.2's VERSION)."""
    graph = Graph()
    for quad in ox.parse(path=str(source), format=ox.RdfFormat.TURTLE, base_iri=source.resolve().as_uri()):
        graph.add(tuple(to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
    return graph


def stored(path) -> Graph:
    graph = Graph()
    for quad in ox.Store.read_only(str(path)):
        graph.add(tuple(to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
    return graph


@pytest.mark.parametrize("workers", [2, 3, 4, 7])
def test_cut_turtle_loads_what_the_whole_file_holds(built_dir, tmp_path, parts, workers):
    parts.workers = workers
    source = next(built_dir.glob("*.ttl"))  # quotes span lines: some cuts land inside them
    report = load_files(tmp_path / "store", [source])
    assert parts.tried == 1
    reference = Graph().parse(source)
    assert report.triples == len(reference)
    assert isomorphic(stored(tmp_path / "store"), reference)


def test_cut_ntriples_loads_what_the_whole_file_holds(built_dir, tmp_path, parts):
    source = tmp_path / "graph.nt"
    reference = Graph().parse(next(built_dir.glob("*.ttl")))
    source.write_bytes(reference.serialize(format="nt", encoding="utf-8"))
    load_files(tmp_path / "store", [source])
    assert parts.tried == 1
    assert isomorphic(stored(tmp_path / "store"), reference)


def test_a_cut_inside_a_long_literal_falls_back_to_one_piece(tmp_path, parts):
    source = tmp_path / "literal.ttl"
    text = LITERAL_WITH_STATEMENTS.format(pad="x" * 20)
    source.write_text(text, encoding="utf-8")
    parts.workers = 2
    header, offsets = loading._cuts(source, ox.RdfFormat.TURTLE, 2)
    assert header.decode().endswith("# a comment the header keeps\n")
    inside = text.encode().index(b"ex:c ex:p ex:d")
    assert offsets[1] == inside, "the test needs a cut that looks like a statement boundary inside the literal"
    load_files(tmp_path / "store", [source])
    assert parts.tried == 1  # the cut failed; the whole file loaded in one piece
    graph = stored(tmp_path / "store")
    assert isomorphic(graph, Graph().parse(source))
    assert URIRef("http://example.org/c") not in set(graph.subjects())


def test_an_error_in_a_later_part_names_the_files_own_line(built_dir, tmp_path, parts):
    broken = tmp_path / "broken.ttl"
    load_files(tmp_path / "store", [next(built_dir.glob("*.ttl"))])
    before = len(ox.Store.read_only(str(tmp_path / "store")))
    lines = ["@prefix ex: <http://example.org/> ."] + [f"ex:s{i} ex:p {i} ." for i in range(3000)]
    lines[2500] = "ex:s2500 ex:p ."
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"broken\.ttl.*line 2501"):
        load_files(tmp_path / "store", [broken])
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == before
    assert not list(tmp_path.glob(".store.*")), "staging copy left behind"


LATE_DIRECTIVES = {
    "after-a-statement.ttl": "@prefix ex: <http://example.org/> .\nex:a ex:p 1 . @prefix ex: <http://other.org/> .\n"
                             "ex:a ex:p 2 .\n",
    "sparql-style.ttl": "PREFIX ex: <http://example.org/>\nex:a ex:p 1 .\n# then\nprefix ex: <http://other.org/>\n"
                        "ex:a ex:p 2 .\n",
    "base-below.ttl": "@prefix ex: <http://example.org/> .\nex:a ex:p <rel> .\n  BASE <http://other.org/>\n"
                      "ex:a ex:p <rel> .\n",
    "not-one-line.ttl": "@prefix ex:\n   <http://example.org/> .\nex:a ex:p 1 .\nex:a ex:p 2 .\n",
    "after-a-version.ttl": 'VERSION "1.2"\nBASE <http://example.org/>\n<t> <p> 0 .\n'
                           '@prefix ex: <http://example.org/> .\n',
    "comment-after-the-keyword.ttl": "@prefix ex: <http://example.org/> .\nex:a ex:p 1 .\nPREFIX#c\n"
                                     "ex: <http://other.org/>\n",
    "statement-on-a-header-line.ttl": "@prefix ex: <http://example.org/> . ex:a ex:p \"\"\"x .\n"
                                      "ex:b ex:p 1 .\n\"\"\" .\nex:c ex:p 1 .\n",
}


HEADERS = {
    "version-then-base": 'VERSION "1.2"\nBASE <http://example.org/>\n',
    "prefix-redefined": '@prefix ex: <http://example.org/> .\n@version "1.2" .\nPREFIX ex: <http://other.org/>\n',
}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_every_part_gets_the_whole_header(tmp_path, parts, name):
    source = tmp_path / f"{name}.ttl"
    statement = "<t{0}> <p> {0} .\n" if name == "version-then-base" else "ex:t{0} ex:p {0} .\n"
    source.write_text(HEADERS[name] + "".join(statement.format(i) for i in range(30)), encoding="utf-8")
    header, offsets = loading._cuts(source, ox.RdfFormat.TURTLE, 3)
    assert header.decode() == HEADERS[name] and len(offsets) == 4
    load_files(tmp_path / "store", [source])
    assert parts.tried == 1
    assert isomorphic(stored(tmp_path / "store"), parsed_whole(source))


def test_a_statement_after_a_carriage_return_stays_out_of_the_header(tmp_path, parts):
    # Oxigraph ends a comment at "\r": what follows is a statement, not part of the comment.
    source = tmp_path / "cr.ttl"
    tail = "".join(f"ex:t{i} ex:p {i} .\n" for i in range(30))
    source.write_bytes(("@prefix ex: <http://example.org/> .\n# note\r[] ex:p 1 .\n" + tail).encode())
    header, _ = loading._cuts(source, ox.RdfFormat.TURTLE, 3)
    assert header == b"@prefix ex: <http://example.org/> .\n"
    load_files(tmp_path / "store", [source])
    assert parts.tried == 1
    assert len(stored(tmp_path / "store")) == 31


@pytest.mark.parametrize("name", sorted(LATE_DIRECTIVES))
def test_directives_below_the_header_keep_a_file_whole(tmp_path, parts, name):
    source = tmp_path / name
    # Statements after the directive, so that it lies before a cut.
    tail = "".join(f"ex:t{i} ex:p {i} .\n" for i in range(30))
    source.write_text(LATE_DIRECTIVES[name] + tail, encoding="utf-8")
    assert loading._cuts(source, ox.RdfFormat.TURTLE, 3) is None
    load_files(tmp_path / "store", [source])
    assert parts.tried == 0
    assert isomorphic(stored(tmp_path / "store"), parsed_whole(source))


def test_labelled_blank_nodes_keep_a_file_whole_and_apart_from_other_files(tmp_path, parts):
    labelled = tmp_path / "labelled.ttl"
    labelled.write_text("@prefix ex: <http://example.org/> .\n_:b ex:p 1 .\n_:b ex:q 2 .\n", encoding="utf-8")
    again = tmp_path / "again.nt"
    again.write_text("_:b <http://example.org/p> \"3\" .\n", encoding="utf-8")
    assert loading._cuts(labelled, ox.RdfFormat.TURTLE, 3) is None
    assert loading._cuts(again, ox.RdfFormat.N_TRIPLES, 3) is None
    load_files(tmp_path / "store", [labelled, again])
    assert parts.tried == 0
    graph = stored(tmp_path / "store")
    # One node for _:b within a file, another for the _:b of the next file.
    assert len(set(graph.subjects())) == 2
    assert isomorphic(graph, Graph().parse(labelled) + Graph().parse(again))


def test_small_files_and_single_cores_are_not_cut(tmp_path, monkeypatch):
    source = tmp_path / "small.nt"
    source.write_text("<urn:a> <urn:b> <urn:c> .\n" * 10, encoding="utf-8")
    assert loading._cuts(source, ox.RdfFormat.N_TRIPLES, 4) is None
    monkeypatch.setattr(loading, "SPLIT_FROM_BYTES", 0)
    assert loading._cuts(source, ox.RdfFormat.N_TRIPLES, 1) is None
    assert loading._cuts(source, ox.RdfFormat.RDF_XML, 4) is None
    assert loading._cuts(source, ox.RdfFormat.N_TRIPLES, 4) is not None


@pytest.mark.parametrize("name", ["bom.ttl", "bom.nt", "bom.nt.gz"])
def test_a_byte_order_mark_is_not_data(tmp_path, parts, name):
    import gzip

    text = "<http://example.org/a> <http://example.org/p> \"1\" .\n" * 3 + \
           "<http://example.org/b> <http://example.org/p> \"2\" .\n"
    data = b"\xef\xbb\xbf" + text.encode()
    source = tmp_path / name
    source.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    if not name.endswith(".gz"):
        assert loading._cuts(source, loading.rdf_format(source)[0], 3) is None
    report = load_files(tmp_path / "store", [source])
    assert report.triples == 2
    assert parts.tried == 0


def _triples_of(store: ox.Store, graph) -> set:
    return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}


def test_a_cut_file_is_loaded_into_the_default_graph_too_not_copied(built_dir, tmp_path, parts, monkeypatch):
    copied = []
    monkeypatch.setattr(loading, "copy_to_default", lambda store, graphs: copied.extend(graphs))
    source = next(built_dir.glob("*.ttl"))
    load_files(tmp_path / "store", [source])
    assert parts.tried == 1 and copied == []
    store = ox.Store.read_only(str(tmp_path / "store"))
    own, ontology = (ox.NamedNode(iri) for iri in (file_graph(source), ONTOLOGY_GRAPH))
    ontology_subjects = {s for s, _, _ in _triples_of(store, ontology)}
    assert ontology_subjects and all(in_vocabulary(s.value) for s in ontology_subjects)
    assert not any(in_vocabulary(s.value) for s, _, _ in _triples_of(store, own))
    assert _triples_of(store, ox.DefaultGraph()) == _triples_of(store, own) | _triples_of(store, ontology)


# Each of "[", "(", and Turtle 1.2's reified triple and annotation alone makes blank nodes (the load
# looks for their bytes before it asks the store).
ANONYMOUS = {"both": ("ex:s{i} ex:p [ ex:q {i} ] ; ex:r ( {i} {j} ) .\n", 30 * 2 + 30 + 30 * 4),
             "brackets": ("ex:s{i} ex:p [ ex:q {i} ] .\n", 30 * 2),
             "collection": ("ex:s{i} ex:r ( {i} {j} ) .\n", 30 + 30 * 4),
             "reified": ("<< ex:s{i} ex:p ex:o{i} >> ex:q {i} .\n", 30 * 2),
             "annotation": ("ex:s{i} ex:p ex:o{i} {{| ex:q {i} |}} .\n", 30 * 3)}


@pytest.mark.parametrize("name", sorted(ANONYMOUS))
def test_anonymous_blank_nodes_of_a_cut_file_are_the_same_nodes_in_the_default_graph(tmp_path, parts, name):
    # A second parse of a part would make new blank nodes: such a file is copied instead.
    line, triples = ANONYMOUS[name]
    source = tmp_path / "anonymous.ttl"
    body = "".join(line.format(i=i, j=i + 1) for i in range(30))
    source.write_text("@prefix ex: <http://example.org/> .\n" + body, encoding="utf-8")
    load_files(tmp_path / "store", [source])
    assert parts.tried == 1
    store = ox.Store.read_only(str(tmp_path / "store"))
    own = _triples_of(store, ox.NamedNode(file_graph(source)))
    assert len(own) == triples and _triples_of(store, ox.DefaultGraph()) == own
