"""The ``kgraph`` command line: thin commands over the library.

Exit codes: 0 success; 1 the input, data or query is wrong (one-line reason on
stderr); 2 usage error (unknown command or option, bad option value).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

import click

from .options import KgraphGroup

__all__ = ["main"]


# Each command's module is imported only when that command runs: importing all of
# them (the exporters, the query tables, the server) was a fifth of `kgraph show`.
_MODULES = {
    "build": "build_cmds", "validate": "build_cmds",
    "query": "query_cmds", "queries": "query_cmds", "relations": "query_cmds",
    "actors": "actor_cmds", "show": "actor_cmds", "path": "actor_cmds", "neighbours": "actor_cmds",
    "central": "actor_cmds", "factions": "actor_cmds",
    "claims": "claim_cmds", "post": "claim_cmds", "search": "claim_cmds",
    "export": "export_cmd", "viz": "viz_cmd", "ingest": "ingest_cmd", "serve": "serve_cmds", "load": "serve_cmds",
}


class _Commands(Mapping):
    """Command name -> command, its module imported when the command is first asked for (to run it,
    or for ``kgraph --help``, which shows every command's short help); click's "did you mean" reads
    the names alone."""

    def __getitem__(self, name):
        module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
        return next(command for command in module.COMMANDS if command.name == name)

    def __iter__(self):
        return iter(_MODULES)

    def __len__(self):
        return len(_MODULES)


class _LazyGroup(KgraphGroup):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = _Commands()


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kgraph")
def main():
    """kgraph: evidence-backed knowledge graphs from first-hand conflict reporting.

    Source data lives in data/ (YAML, edited by hand), the vocabulary and SHACL
    shapes in ontology/, the built graph in graph/. Start with 'kgraph build',
    then ask questions with 'kgraph path', 'kgraph show' or 'kgraph query'.

    Exit codes: 0 ok, 1 bad input or data (one-line reason), 2 usage error.
    """
