"""``kgraph serve`` (the SPARQL endpoint) and ``kgraph load`` (fill an on-disk store, or publish to a server)."""

from __future__ import annotations

import click

from .options import echo_safe, store_option

__all__ = ["COMMANDS"]


def _origin(value: str | None) -> str | None:
    """``--cors``: one origin as browsers send it (scheme://host[:port], no path), or '*'."""
    from urllib.parse import urlsplit

    if value is None or value == "*":
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") \
            or parts.query or parts.fragment:
        raise click.BadParameter(f"{value!r} is not an origin like https://tools.example.org or http://localhost:3000")
    return f"{parts.scheme}://{parts.netloc}"


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the endpoint to your network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped (the client gets 503).")
@click.option("--max-rows", type=click.IntRange(min=0), default=5_000_000, show_default=True,
              help="Longest answer in rows (or triples) before the client gets 422; 0 for no limit. "
                   "Big enough for a remote path or show at 10M triples (1.6M label rows); --max-memory "
                   "and --timeout stop a runaway query before it on slower formats and stores.")
@click.option("--workers", type=click.IntRange(min=1), help="Query worker processes [default: CPUs, at least 2].")
@click.option("--max-memory", type=click.IntRange(min=0), default=1024, show_default=True, metavar="MIB",
              help="Memory a worker may take for one query, beyond its copy of the store (the client gets "
                   "503); 0 for no limit.")
@click.option("--open", "open_page", is_flag=True, help="Open the web app in the desktop's browser once serving.")
@click.option("--cors", metavar="ORIGIN", callback=lambda ctx, param, value: _origin(value),
              help="Let pages from ORIGIN (https://host[:port]) query the endpoint and API from the browser.")
def serve(store, graph_dir, host, port, timeout, max_rows, workers, max_memory, open_page, cors):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at /sparql, with a web app.

    Any SPARQL client works (SPARQLWrapper, curl, YASGUI). The web app at /
    has a SPARQL editor with the named queries, answers with labels and
    links, CSV/JSON download; /network explores the actor network from the
    store. Updates are refused (403). Ctrl-C or SIGTERM stops the server cleanly.

    \b
      kgraph serve --open
      curl 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'
      kgraph serve --store oxigraph:big.oxigraph --port 8080 --timeout 60
      kgraph serve --cors https://tools.example.org
    """
    from ..serve import serve as run_serve
    from ..serve.runner import open_browser

    def ready(url):
        echo_safe(f"serving {store} at {url}sparql (web app at {url}); Ctrl-C to stop", err=True)
        if open_page and not open_browser(url):
            echo_safe(f"no desktop browser to open; open {url} yourself", err=True)

    run_serve(store, graph_dir=graph_dir, host=host, port=port, timeout=timeout, max_rows=max_rows or None,
              workers=workers, max_memory=max_memory or None, on_ready=ready, cors=cors)
    click.echo("kgraph serve: stopped", err=True)


@click.command()
@store_option
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Empty the on-disk store first instead of adding to it.")
@click.option("--graph-store", metavar="URL", envvar="KGRAPH_GRAPH_STORE",
              help="With an http(s) --store: the server's Graph Store Protocol endpoint [default: Oxigraph's "
                   "/store beside /query, Virtuoso's /sparql-graph-crud-auth beside /sparql].")
def load(store, graph_dir, files, replace, graph_store):
    """Load RDF FILES (default: the built graph) into an on-disk Oxigraph store,
    or publish them to a team's triplestore.

    FILES may be Turtle, N-Triples, N-Quads, TriG, RDF/XML or JSON-LD (by
    extension, optionally .gz); they are streamed, with a progress bar on
    large files. All files load or none do. Then use the store anywhere:

    \b
      kgraph load --store oxigraph:big.oxigraph graph/*.ttl wikidata-extract.nt.gz
      kgraph path Tokayev Biden --store oxigraph:big.oxigraph

    With --store http(s)://HOST/.../sparql, each dataset's Turtle (or
    N-Triples) replaces its own named graph, https://kgraph.example/graph/
    DATASET, through the SPARQL 1.1 Graph Store Protocol: one request per
    dataset, so each is published whole or not at all, and again is safe.
    Credentials: KGRAPH_USER and KGRAPH_PASSWORD, else ~/.netrc.

    \b
      KGRAPH_USER=dba KGRAPH_PASSWORD=... kgraph load --store http://team:8890/sparql
      kgraph show Tokayev --store http://team:8890/sparql
    """
    from ..stores import graph_files
    from ..util.textsafe import term_safe

    if store.startswith(("http://", "https://")):
        if replace:
            raise click.UsageError("--replace empties an on-disk store; a publish always replaces each "
                                   "dataset's own graph")
        from ..stores.publish import publish

        echo_safe(publish(files or graph_files(graph_dir), store, graph_store=graph_store).summary())
        return
    if graph_store:
        raise click.UsageError("--graph-store goes with an http(s):// --store")
    if not store.startswith("oxigraph:") or not store[len("oxigraph:"):]:
        raise click.UsageError("'kgraph load' fills an on-disk store or publishes to a server: pass "
                               "--store oxigraph:PATH or --store http(s)://HOST/.../sparql")
    from ..stores.loading import load_files

    def progress(file, total):
        if total > 16 * 1024 * 1024:
            return click.progressbar(length=total, label=term_safe(str(file)), file=click.get_text_stream("stderr"))
        return None

    report = load_files(store[len("oxigraph:"):], files or graph_files(graph_dir), replace=replace,
                        progress=progress)
    from ..network.actorindex import open_index
    from ..stores import open_store

    # The index of names and network, and the named queries' answers, are made now, so the first
    # 'kgraph path' or report does not wait for them.
    opened = open_store(store)
    try:
        index = open_index(opened, answers=True)
        if index is not None:  # None: another load swapped the store's files in meanwhile
            index.close()
    finally:
        opened.close()
    echo_safe(report.summary())


COMMANDS = [serve, load]
