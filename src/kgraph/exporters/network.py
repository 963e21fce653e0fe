"""Network files written by networkx: GraphML (yEd, Gephi), GEXF (Gephi), Cytoscape JSON.

Each writer takes a :class:`~kgraph.network.projection.Projection` and returns bytes.
The graph is a directed multigraph: one node per actor, one edge per piece of
evidence (see :mod:`kgraph.exporters.rows`), keyed by the claim, so parallel
edges between two actors stay apart. Nodes and edges are added in sorted
order, so the same projection gives the same bytes.
"""

from __future__ import annotations

import io
import json

from ..errors import KgraphError
from ..network.projection import Projection
from ..util.patterns import XML_FORBIDDEN
from .rows import edge_rows, node_rows

__all__ = ["to_multidigraph", "graphml", "gexf", "cytoscape"]


def to_multidigraph(projection: Projection):
    """A ``networkx.MultiDiGraph`` of the rows: node and edge attributes are plain strings and ints."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for actor_id, attrs in node_rows(projection):
        graph.add_node(actor_id, **attrs)
    for source, target, key, attrs in edge_rows(projection):
        graph.add_edge(source, target, key=key, **attrs)
    return graph


def _check_xml(graph, fmt: str) -> None:
    """Refuse text XML cannot carry, naming where it is, instead of writing a file no tool can read."""
    places = [(f"actor {n!r}", {"id": n, **a}) for n, a in graph.nodes(data=True)]
    places += [(f"edge {k!r}", {"source": u, "target": v, **a}) for u, v, k, a in graph.edges(keys=True, data=True)]
    for where, attrs in places:
        for name, value in attrs.items():
            found = XML_FORBIDDEN.search(value) if isinstance(value, str) else None
            if found:
                raise KgraphError(f"{where}: {name} contains U+{ord(found.group()):04X}, which {fmt} (XML) "
                                  f"cannot hold; export to jsonld, nt, csv or cytoscape instead")


def graphml(projection: Projection) -> bytes:
    """GraphML with typed attributes (``post`` is a long); edge ids are the claim keys."""
    import networkx as nx

    graph = to_multidigraph(projection)
    _check_xml(graph, "GraphML")
    out = io.BytesIO()
    # The ElementTree writer, not lxml's, so the bytes do not depend on whether lxml is installed.
    nx.write_graphml_xml(graph, out, encoding="utf-8")
    # ElementTree leaves a carriage return raw in element text, where every XML
    # parser turns it into a line feed; as a character reference it survives.
    return out.getvalue().replace(b"\r", b"&#13;")


def gexf(projection: Projection) -> bytes:
    """GEXF 1.2: the relation label is the edge label Gephi shows; the edge id is the claim key."""
    from networkx.readwrite.gexf import GEXFWriter

    graph = to_multidigraph(projection)
    _check_xml(graph, "GEXF")
    for _, _, key, attrs in graph.edges(keys=True, data=True):
        attrs["id"] = key
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    # networkx stamps today's date; without it the same graph gives the same bytes every day.
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    writer.add_graph(graph)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cytoscape(projection: Projection) -> bytes:
    """Cytoscape.js JSON (``elements`` with ``data``); Cytoscape shows ``name``, set to the label."""
    from networkx.readwrite.json_graph import cytoscape_data

    graph = to_multidigraph(projection)
    data = cytoscape_data(graph, name="label", ident="id")
    for edge in data["elements"]["edges"]:
        edge["data"]["id"] = edge["data"]["key"]
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
