"""``kgraph build`` and ``kgraph validate``."""

from __future__ import annotations

import time

import click

from .options import data_options, echo_safe, graph_dir_option

__all__ = ["COMMANDS"]


@click.command()
@data_options
@click.option("--out", "out_dir", default="graph", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write <dataset>.ttl and <dataset>.html into.")
@click.option("--no-html", is_flag=True, help="Write the Turtle only.")
def build(data_dir, ontology_dir, out_dir, no_html):
    """Build graph/<dataset>.ttl (and .html) from data/ and ontology/.

    Refuses to build from data with problems (see 'kgraph validate'). Writes
    every file or none; the same input gives the same bytes.

    The files it wrote are listed in graph/kgraph-manifest.json. Those of a
    dataset that no longer exists are removed; one changed since build wrote
    it is kept with a warning. Files build never wrote are never touched.
    """
    from ..compose import build as run_build

    started = time.perf_counter()
    report = run_build(data_dir, ontology_dir, out_dir, html=not no_html)
    for path in report.files:
        echo_safe(f"wrote {path}")
    for path, why in report.removed:
        echo_safe(f"removed {path} ({why})")
    for path, why in report.kept:
        echo_safe(f"kgraph: warning: kept {path} ({why}): it changed since kgraph build wrote it; "
                  "delete it if you no longer need it", err=True)
    click.echo(f"{report.summary()} in {time.perf_counter() - started:.2f} s")


@click.command()
@data_options
@graph_dir_option
def validate(data_dir, ontology_dir, graph_dir):
    """Check data/ and the graph built from it (SHACL); list every problem.

    Problems in the source data are printed as FILE:LINE: message, all at once.
    Exit 0 with a one-line summary when clean, 1 otherwise. Claims whose
    modality disagrees with the hedges ("wohl", "soll") or attributions
    ("laut X") around their quote are printed as FILE:LINE: warning: ...;
    a .ttl or .html file in graph/ that matches no dataset is a warning too
    (the next 'kgraph build' removes it if build wrote it and it is
    unchanged). Warnings never change the exit status.
    """
    from ..rdf.validate import validate as run_validate

    report = run_validate(data_dir, ontology_dir, graph_dir)
    for stray in report.stray_files:
        echo_safe(f"kgraph: warning: {stray}", err=True)
    for problem in report.problems:
        echo_safe(str(problem), err=True)
    for violation in report.shacl_violations:
        echo_safe(f"SHACL: {violation}", err=True)
    for warning in report.warnings:
        echo_safe(str(warning), err=True)
    if not report.ok:
        total = len(report.problems) + len(report.shacl_violations)
        click.echo(f"kgraph: error: {total} problem{'s' * (total != 1)} found", err=True)
        raise SystemExit(1)
    warned = len(report.warnings) + len(report.stray_files)
    click.echo(f"valid: {report.summary}" + (f" ({warned} warning{'s' * (warned != 1)})" if warned else ""))
    if report.drafts:
        where = ", ".join(f"{folder} {n}" for folder, n in report.drafts.items())
        click.echo(f"drafts: {sum(report.drafts.values())} draft claims to review, not in the graph ({where})")


COMMANDS = [build, validate]
