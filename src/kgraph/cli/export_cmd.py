"""``kgraph export``: the graph as a file for Gephi, yEd, Cytoscape, Neo4j, Excel or a triple store."""

from __future__ import annotations

import sys

import click

from ..exporters import FORMATS
from .options import echo_notes, echo_safe, modality_options, open_graph, store_option

__all__ = ["COMMANDS"]


@click.command()
@click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)),
              help="graphml (yEd, Gephi), gexf (Gephi), cytoscape (Cytoscape JSON), csv (Neo4j, Excel: "
                   "nodes.csv + edges.csv), jsonld, nt, ttl, trig (a named graph per dataset).")
@click.option("--out", default="-", show_default=True, metavar="FILE|FOLDER|-",
              help="File to write (a folder for csv); - writes to standard output.")
@click.option("--focus", metavar="NAME", help="Only the actors around this one (any spelling).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="With --focus: how many hops around it.")
@click.option("--family", "families", multiple=True, help="Only relations of this family (repeatable).")
@modality_options
@store_option
def export(fmt, out, focus, depth, families, modalities, store, graph_dir):
    """Write the graph in a format another tool opens; all files or none.

    Network formats (graphml, gexf, cytoscape, csv) hold the actors and one
    edge per claim, with its post, quote, speaker and modality. RDF formats
    (jsonld, nt, ttl, trig) hold every triple, or with --focus, --family or
    --modality the selected actors, relations, statements and posts.

    \b
      kgraph export --format gexf --out kazakhstan.gexf
      kgraph export --format csv --out neo4j-import/ --stated-only
      kgraph export --format ttl --focus Toqajev --depth 1 > tokayev.ttl
    """
    if FORMATS[fmt].folder and out == "-":
        raise click.UsageError(f"{fmt} writes two files (nodes.csv, edges.csv); give --out FOLDER")
    output = open_graph(store, graph_dir).export(fmt, focus=focus, depth=depth, families=families,
                                                 modalities=modalities)
    echo_notes(output.resolved)
    if out != "-":
        for path in output.save(out):
            echo_safe(f"wrote {path}")
    elif sys.stdout.isatty():
        echo_safe(output.data.decode("utf-8"), nl=False)
    else:
        sys.stdout.buffer.write(output.data)
        sys.stdout.flush()


COMMANDS = [export]
