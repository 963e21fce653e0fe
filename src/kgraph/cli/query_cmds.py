"""``kgraph query``, ``kgraph queries`` and ``kgraph relations``."""

from __future__ import annotations

import click

from ..rdf.namespaces import PREFIXES
from ..stores.query import DEFAULT_TIMEOUT
from .options import echo_data, echo_json, echo_safe, format_option, open_graph, store_option, table_width

__all__ = ["COMMANDS"]

_PREFIX_HELP = "\b\nPre-bound prefixes:\n" + "\n".join(f"  {p}: <{iri}>" for p, iri in PREFIXES.items())


@click.command(help=f"""Run a SPARQL query (text, --file or --name) against the graph.

\b
Examples:
  kgraph query 'SELECT ?m WHERE {{ ?m kg:memberOf actor:eaeu }}'
  kgraph query --name csto-contingents --format csv
  kgraph query --name no-wikidata --limit 100 --offset 200
  kgraph query --file my.rq --store oxigraph:store/

SELECT results print as a table of labels (json, csv, tsv: the W3C SPARQL
results formats); ASK prints true/false; CONSTRUCT/DESCRIBE print Turtle
(or --format nt|jsonld). SPARQL Update is refused.

The table wraps long cells to the terminal's width (COLUMNS when set), or
prints one block per row when its columns cannot fit; into a pipe or file
each row is one whole line. Rows print as the store finds them: json, csv
and tsv row by row, a table in blocks of up to 1024 rows, each block laid
out to its own widths.

{_PREFIX_HELP}""")
@click.argument("sparql", required=False)
@click.option("--file", "file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a file ('-' for stdin).")
@click.option("--name", "name", help="Run a named query (see 'kgraph queries').")
@click.option("--limit", type=click.IntRange(min=0), help="With --name: at most this many rows (one page).")
@click.option("--offset", type=click.IntRange(min=0), help="With --name: skip this many rows first.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Give up on a query still running after this long.")
@format_option("table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld")
@store_option
def query(sparql, file, name, limit, offset, timeout, fmt, store, graph_dir):
    from ..stores.query import stream_query

    given = [x for x in (sparql, file, name) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: a SPARQL string, --file or --name")
    if not name and (limit, offset) != (None, None):
        raise click.UsageError("--limit and --offset go with --name; put LIMIT and OFFSET in your own query")
    kg = open_graph(store, graph_dir)
    if name:
        result = kg.named_query(name, limit, offset=offset, timeout=timeout, stream=True)
    else:
        result = stream_query(file.read() if file else sparql, store=kg.store, timeout=timeout)
    _print_result(result, fmt, kg.store)


def _print_result(result, fmt, store):
    from ..errors import KgraphError
    from ..stores.results import STREAM_FORMATS, RowStream, write_rows

    if result.kind == "ASK" and fmt == "table":
        click.echo("true" if result.boolean else "false")
        return
    if result.kind == "CONSTRUCT":
        if fmt not in ("ttl", "nt", "jsonld", "table"):
            raise KgraphError(f"a CONSTRUCT/DESCRIBE result prints as ttl, nt or jsonld, not {fmt}")
        echo_data(result.serialize("ttl" if fmt == "table" else fmt))
        return
    if fmt in ("ttl", "nt", "jsonld"):
        raise KgraphError(f"a {result.kind} result prints as table, json, csv, tsv or xml, not {fmt}")
    if fmt in STREAM_FORMATS and isinstance(result, RowStream):
        for chunk in write_rows(fmt, result.vars, result.rows):
            echo_data(chunk)
        return
    if fmt != "table":
        echo_data((result.result() if isinstance(result, RowStream) else result).serialize(fmt))
        return
    from ..stores.query import display_term, label_terms
    from ..stores.results import BLOCK_CAP, row_blocks
    from .tables import format_table

    count = 0
    for block in row_blocks(result, first=BLOCK_CAP):
        labels = label_terms(store, [t for row in block for t in row])
        rows = [[display_term(t, labels) for t in row] for row in block]
        if count:
            click.echo()
        click.echo(format_table(result.vars, rows, width=table_width()))
        count += len(rows)
    if not count:
        click.echo(format_table(result.vars, [], width=table_width()))
    click.echo(f"({count} row{'s' * (count != 1)})")


@click.command()
@click.option("--show", "show", metavar="NAME", help="Print this named query's SPARQL instead of the list.")
@format_option("table", "json")
def queries(show, fmt):
    """List the named analyst queries (run one with 'kgraph query --name NAME').

    
    Examples:
      kgraph queries
      kgraph queries --show hedged-claims > hedged.rq
    """
    from ..stores.named_queries import get_query, named_queries

    if show is not None:
        echo_safe(get_query(show).text, nl=False)
        return
    found = named_queries()
    if fmt == "json":
        echo_json([{"name": q.name, "title": q.title, "description": q.description} for q in found.values()])
        return
    for q in found.values():
        click.echo(f"{q.name}\n    {q.title}: {q.description}")


@click.command()
@click.option("--ontology", "ontology_dir", default="ontology", show_default=True,
              type=click.Path(file_okay=False), help="Folder of the vocabulary.")
@format_option("table", "json")
def relations(ontology_dir, fmt):
    """List the relations of the vocabulary with their family, domain, range and
    CAMEO event code (the codes of GDELT and ICEWS; '-' where CAMEO has none)."""
    from ..rdf.ontology import load_vocabulary

    vocabulary = load_vocabulary(ontology_dir)
    rows = [{"id": r.id, "label": r.label, "label_de": r.labels.get("de", ""), "family": r.family,
             "domain": r.domain, "range": r.range, "cameo": r.cameo or "-"} for r in vocabulary.relations.values()]
    if fmt == "json":
        echo_json(rows)
        return
    from .tables import format_table

    echo_safe(format_table(list(rows[0]), [list(r.values()) for r in rows], width=table_width()))


COMMANDS = [query, queries, relations]
