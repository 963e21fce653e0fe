"""The ``kgraph`` command line: thin commands over the library.

Exit codes: 0 success; 1 the input, data or query is wrong (one-line reason on
stderr); 2 usage error (unknown command or option, bad option value).
"""

from __future__ import annotations

import click

from .options import KgraphGroup

__all__ = ["main"]


@click.group(cls=KgraphGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kgraph")
def main():
    """kgraph: evidence-backed knowledge graphs from first-hand conflict reporting.

    Source data lives in data/ (YAML, edited by hand), the vocabulary and SHACL
    shapes in ontology/, the built graph in graph/. Start with 'kgraph build',
    then ask questions with 'kgraph path', 'kgraph show' or 'kgraph query'.

    Exit codes: 0 ok, 1 bad input or data (one-line reason), 2 usage error.
    """


def _register() -> None:
    from . import actor_cmds, build_cmds, claim_cmds, export_cmd, ingest_cmd, query_cmds, serve_cmds, viz_cmd

    for module in (build_cmds, query_cmds, actor_cmds, claim_cmds, export_cmd, viz_cmd, ingest_cmd, serve_cmds):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
