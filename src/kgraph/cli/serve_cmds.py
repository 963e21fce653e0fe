"""``kgraph serve`` (the SPARQL endpoint) and ``kgraph load`` (fill an on-disk store)."""

from __future__ import annotations

import click

from .options import echo_safe, store_option

__all__ = ["COMMANDS"]


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the endpoint to your network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped (the client gets 503).")
@click.option("--max-rows", type=click.IntRange(min=0), default=100_000, show_default=True,
              help="Longest answer in rows (or triples) before the client gets 422; 0 for no limit.")
@click.option("--workers", type=click.IntRange(min=1), help="Query worker processes [default: CPUs, at least 2].")
@click.option("--max-memory", type=click.IntRange(min=0), default=1024, show_default=True, metavar="MIB",
              help="Memory a worker may take for one query, beyond its copy of the store (the client gets "
                   "503); 0 for no limit.")
def serve(store, graph_dir, host, port, timeout, max_rows, workers, max_memory):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at /sparql.

    Any SPARQL client works (SPARQLWrapper, curl, YASGUI); the page at / has a
    query box with the named queries. Updates are refused (403). Ctrl-C or
    SIGTERM stops the server cleanly.

    \b
      kgraph serve
      curl 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'
      kgraph serve --store oxigraph:big.oxigraph --port 8080 --timeout 60
    """
    from ..serve import serve as run_serve

    def ready(url):
        echo_safe(f"serving {store} at {url}sparql (page at {url}); Ctrl-C to stop", err=True)

    run_serve(store, graph_dir=graph_dir, host=host, port=port, timeout=timeout, max_rows=max_rows or None,
              workers=workers, max_memory=max_memory or None, on_ready=ready)
    click.echo("kgraph serve: stopped", err=True)


@click.command()
@store_option
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Empty the store first instead of adding to it.")
def load(store, graph_dir, files, replace):
    """Load RDF FILES (default: the built graph) into an on-disk Oxigraph store.

    FILES may be Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD (by
    extension, optionally .gz); they are streamed, with a progress bar on
    large files. All files load or none do. Then use the store anywhere:

    \b
      kgraph load --store oxigraph:big.oxigraph graph/*.ttl wikidata-extract.nt.gz
      kgraph path Tokayev Biden --store oxigraph:big.oxigraph
    """
    if not store.startswith("oxigraph:") or not store[len("oxigraph:"):]:
        raise click.UsageError("'kgraph load' fills an on-disk store: pass --store oxigraph:PATH")
    from ..stores import graph_files
    from ..stores.loading import load_files
    from ..util.textsafe import term_safe

    def progress(file, total):
        if total > 16 * 1024 * 1024:
            return click.progressbar(length=total, label=term_safe(str(file)), file=click.get_text_stream("stderr"))
        return None

    report = load_files(store[len("oxigraph:"):], files or graph_files(graph_dir), replace=replace,
                        progress=progress)
    echo_safe(report.summary())


COMMANDS = [serve, load]
