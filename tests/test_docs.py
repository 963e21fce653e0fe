"""Meta-tests: every command teaches in --help and is documented in the README."""

from __future__ import annotations

import inspect
import re

import pytest

import kgraph
from conftest import ROOT
from kgraph.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_has_help(runner, name):
    command = main.commands[name]
    assert command.help and len(command.help.split()) >= 5, name
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_is_in_the_readme(name):
    assert re.search(rf"`kgraph {name}\b|\$ kgraph {name}\b|^kgraph {name}\b", README, re.M), \
        f"'kgraph {name}' is not documented in README.md"


def test_every_command_module_is_known_by_its_commands_names():
    import importlib
    import pkgutil

    import kgraph.cli as cli

    defined = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"kgraph.cli.{info.name}")
        defined |= {command.name: info.name for command in getattr(module, "COMMANDS", [])}
    assert cli._MODULES == defined


def test_a_command_imports_only_its_own_module(built_dir):
    import subprocess
    import sys

    code = ("import sys; from kgraph.cli import main\n"
            "try: main(['show', 'Masimov', '--graph', sys.argv[1]])\n"
            "except SystemExit: print(sorted(m for m in sys.modules if m.startswith('kgraph.cli.')))")
    found = subprocess.run([sys.executable, "-c", code, str(built_dir)], capture_output=True, text=True, check=True)
    imported = found.stdout.splitlines()[-1]
    assert imported == "['kgraph.cli.actor_cmds', 'kgraph.cli.evidence_text', 'kgraph.cli.options']"


def test_quick_start_has_exactly_two_commands():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands == ["make run", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_counts_the_named_queries():
    from kgraph.stores.named_queries import named_queries

    counts = re.findall(r"`kgraph queries` lists the (\d+) named analyst queries", README)
    assert counts == [str(len(named_queries()))]


@pytest.mark.parametrize("name", sorted(kgraph.__all__))
def test_public_name_has_a_docstring_with_an_example(name):
    # kgraph.__getattr__, not getattr: once kgraph.build (the module) is imported, the package
    # attribute "build" is that module, not the function.
    doc = inspect.getdoc(kgraph.__getattr__(name)) or ""
    assert "\nExamples\n--------\n>>> " in doc, f"kgraph.{name} has no numpydoc Examples section"
