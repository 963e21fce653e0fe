"""``kgraph validate``: the source data, then SHACL on the built graph.

All data problems are reported at once as ``FILE:LINE: message``; the SHACL
shapes in ``ontology/shapes.ttl`` run only when the data itself is clean.
Files in the graph folder that match no dataset are warnings: they are not
wrong data, and ``kgraph build`` removes those it wrote.
Claims whose modality disagrees with the hedges and attributions around their
quote are warnings (:mod:`kgraph.source.modality_lint`): listed, never a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, KgraphError, Problem
from ..source.modality_lint import lint
from .build import MERGED, build_graphs

__all__ = ["validate", "ValidationReport", "shacl_check"]


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    shacl_violations: list[str] = field(default_factory=list)
    #: claims whose modality or source disagrees with the cues around their quote
    warnings: list[Problem] = field(default_factory=list)
    #: files in the graph folder that match no dataset
    stray_files: list[str] = field(default_factory=list)
    summary: str = ""
    #: dataset folder -> drafts waiting in its claims.draft.yaml (not part of the graph)
    drafts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.shacl_violations


def shacl_check(graph, ontology_dir: Path | str = "ontology") -> list[str]:
    """SHACL violations of ``graph`` against ``ontology/shapes.ttl``, one line each."""
    from pyshacl import validate as pyshacl_validate
    from rdflib import Graph
    from rdflib.namespace import SH

    shapes_file = Path(ontology_dir) / "shapes.ttl"
    if not shapes_file.exists():
        raise KgraphError(f"{shapes_file}: no SHACL shapes found")
    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, results, _ = pyshacl_validate(graph, shacl_graph=shapes, inference="none",
                                            allow_warnings=True)
    if conforms:
        return []
    lines = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        lines.append(f"{focus}{' ' + str(path) if path else ''}: {message}")
    return sorted(lines)


def validate(data_dir="data", ontology_dir="ontology", graph_dir=None) -> ValidationReport:
    """Check the data, then the graph built from it; with ``graph_dir``, warn of its stray files.

    Parameters
    ----------
    data_dir, ontology_dir : path
        The source datasets and the vocabulary with its SHACL shapes.
    graph_dir : path, optional
        A graph folder whose files matching no dataset are reported as ``stray_files``.

    Returns
    -------
    ValidationReport
        ``ok`` is true when there is no data problem and no SHACL violation;
        modality warnings never make it false.

    Examples
    --------
    >>> from kgraph.rdf.validate import validate
    >>> report = validate("data", "ontology")
    >>> report.ok, report.problems
    (True, [])
    """
    report = ValidationReport(warnings=lint(data_dir), drafts=_drafts(data_dir))
    try:
        graphs, build_report = build_graphs(data_dir, ontology_dir)
    except DataError as exc:
        report.problems = exc.problems
        return report
    # A dataset may use actors another dataset defines; only the merged graph has them all.
    checked = [graphs[MERGED]] if MERGED in graphs else list(graphs.values())
    for graph in checked:
        report.shacl_violations += shacl_check(graph, ontology_dir)
    report.summary = build_report.summary()
    if graph_dir is not None:
        report.stray_files = _stray_warnings(graph_dir, set(graphs))
    return report


def _drafts(data_dir) -> dict[str, int]:
    from ..source.drafts import count_drafts

    folders = sorted(p for p in Path(data_dir).iterdir() if p.is_dir()) if Path(data_dir).is_dir() else []
    return {str(folder): n for folder in folders if (n := count_drafts(folder))}


def _stray_warnings(graph_dir, stems: set[str]) -> list[str]:
    from .manifest import strays

    return [f"{path}: matches no dataset in data/; " + (
        "'kgraph build' removes it" if removable
        else "not written by 'kgraph build' or changed since, so build leaves it: delete it if you no longer need it")
        for path, removable in strays(graph_dir, stems)]
