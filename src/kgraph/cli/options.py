"""Options shared by several commands, defined once."""

from __future__ import annotations

import click

__all__ = ["data_options", "store_option", "graph_dir_option", "format_option", "KgraphGroup", "echo_safe"]


def data_options(func):
    func = click.option("--ontology", "ontology_dir", default="ontology", show_default=True,
                        type=click.Path(file_okay=False), help="Folder of the vocabulary and SHACL shapes.")(func)
    func = click.option("--data", "data_dir", default="data", show_default=True,
                        type=click.Path(file_okay=False), help="Folder of the source datasets.")(func)
    return func


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


def echo_safe(text: str = "", **kwargs) -> None:
    from ..textsafe import term_safe

    click.echo(term_safe(text), **kwargs)


class KgraphGroup(click.Group):
    """Turns library errors into a one-line message and exit code 1."""

    def invoke(self, ctx):
        from ..errors import KgraphError

        try:
            return super().invoke(ctx)
        except KgraphError as exc:
            from ..textsafe import term_safe

            click.echo(f"kgraph: error: {term_safe(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("kgraph: interrupted", err=True)
            ctx.exit(130)
