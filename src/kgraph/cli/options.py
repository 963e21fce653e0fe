"""Options shared by several commands, defined once."""

from __future__ import annotations

import functools
import os
import sys

import click

__all__ = ["data_options", "store_option", "graph_dir_option", "format_option", "modality_options", "KgraphGroup",
           "echo_safe", "echo_json", "echo_data", "delimited", "echo_notes", "table_width", "open_graph"]


def data_options(func):
    func = click.option("--ontology", "ontology_dir", default="ontology", show_default=True,
                        type=click.Path(file_okay=False), help="Folder of the vocabulary and SHACL shapes.")(func)
    func = click.option("--data", "data_dir", default="data", show_default=True,
                        type=click.Path(file_okay=False), help="Folder of the source datasets.")(func)
    return func


def open_graph(store: str, graph_dir: str):
    """The :class:`kgraph.KGraph` that ``--store`` and ``--graph`` name."""
    from ..graph import open as open_kgraph

    return open_kgraph(store, graph_dir=graph_dir)


def graph_dir_option(func):
    return click.option("--graph", "graph_dir", default="graph", show_default=True, envvar="KGRAPH_GRAPH",
                        type=click.Path(file_okay=False),
                        help="Folder of the built graph (for --store memory/rdflib).")(func)


def store_option(func):
    func = click.option("--store", "store", default="memory", show_default=True, envvar="KGRAPH_STORE",
                        help="Where to read the graph: memory, rdflib, oxigraph:PATH, or an "
                             "http(s):// SPARQL endpoint.")(func)
    return graph_dir_option(func)


def format_option(*choices: str, default: str | None = None):
    default = default or choices[0]

    def decorate(func):
        return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                            help="Output format: text for people, the others for programs.")(func)

    return decorate


def _modality_list(ctx, param, value):
    if value is None:
        return ()
    from ..errors import KgraphError
    from ..network.selection import modalities_kept

    try:
        return modalities_kept(value)
    except KgraphError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def modality_options(func):
    """``--modality LIST`` and its alias ``--stated-only``, handed to ``func`` as ``modalities`` (a tuple)."""

    @functools.wraps(func)
    def merged(*args, modality, stated_only, **kwargs):
        if stated_only and modality:
            raise click.UsageError("--stated-only is --modality stated; give one of them")
        return func(*args, modalities=("stated",) if stated_only else modality, **kwargs)

    merged = click.option("--stated-only", is_flag=True,
                          help="Same as --modality stated: only what the source states as fact "
                               "(not assessed, speculated or reported).")(merged)
    return click.option("--modality", callback=_modality_list, metavar="LIST",
                        help="Only claims of these modalities, comma-separated: "
                             "stated, assessed, speculated, reported (default: all).")(merged)


def echo_safe(text: str = "", **kwargs) -> None:
    from ..util.textsafe import term_safe

    click.echo(term_safe(text), **kwargs)


def table_width() -> int | None:
    """The width tables wrap to: COLUMNS when set, else the terminal's; None into a pipe or
    file, where each row stays one line, whole."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def echo_notes(matches) -> None:
    """On stderr, what each name was taken as when it was not an exact match (:class:`kgraph.network.names.Match`)."""
    for match in matches:
        if match.note():
            echo_safe(match.note(), err=True)


def echo_json(data) -> None:
    """``data`` as indented JSON, control and bidi characters as ``\\u`` escapes (the same JSON data)."""
    from ..util.textsafe import json_text

    click.echo(json_text(data))


def delimited(headers: list[str], rows, delimiter: str = ",") -> bytes:
    """A header and ``rows`` as CSV (or TSV with ``delimiter="\\t"``), lines ending in ``\\n``.

    >>> delimited(["id", "label"], [["kz", "Kazakhstan, the country"]])
    b'id,label\\nkz,"Kazakhstan, the country"\\n'
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def echo_data(data: bytes) -> None:
    """Output for programs: unchanged into a pipe or file; control characters shown as escapes on a terminal."""
    if sys.stdout.isatty():
        echo_safe(data.decode("utf-8", "replace"), nl=False)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


class KgraphGroup(click.Group):
    """Turns library errors into a one-line message and exit code 1."""

    def invoke(self, ctx):
        from ..errors import KgraphError

        try:
            return super().invoke(ctx)
        except KgraphError as exc:
            from ..util.textsafe import one_line

            echo_notes(exc.resolved)

            # One line, whatever the message carries (a remote server's HTML error page, a 1 MB label).
            message = one_line(str(exc))
            click.echo(f"kgraph: error: {message if len(message) <= 2000 else message[:2000] + '…'}", err=True)
            ctx.exit(exc.exit_code)
        except MemoryError:
            click.echo("kgraph: error: out of memory; narrow the query or the selection", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("kgraph: interrupted", err=True)
            ctx.exit(130)
