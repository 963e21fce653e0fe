"""A deleted dataset stops answering: build removes the files it wrote for it, and only those."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import DATASET, ONTOLOGY
from kgraph.cli import main
from kgraph.compose import build
from kgraph.rdf.manifest import MANIFEST

SECOND = "second"


@pytest.fixture
def two(data_copy):
    """data/ with a second dataset (a copy of the bundled one under another name)."""
    shutil.copytree(data_copy / DATASET, data_copy / SECOND)
    thread = data_copy / SECOND / "thread.yaml"
    thread.write_text(thread.read_text(encoding="utf-8").replace(f"dataset: {DATASET}", f"dataset: {SECOND}", 1),
                      encoding="utf-8")
    return data_copy


def _datasets_cited(runner, graph) -> set[str]:
    result = runner.invoke(main, ["show", "Masimov", "--graph", str(graph), "--format", "json"])
    assert result.exit_code == 0, result.output
    return {ev["dataset"] for rel in json.loads(result.stdout)["relations"] for ev in rel["evidence"]}


def _build(runner, data, graph, *more):
    return runner.invoke(main, ["build", "--data", str(data), "--ontology", str(ONTOLOGY), "--out", str(graph),
                                *more])


def test_a_deleted_dataset_stops_answering(runner, two, tmp_path):
    graph = tmp_path / "graph"
    build(two, ONTOLOGY, graph, html=True)
    (graph / "notes.ttl").write_text("# the user's own\n", encoding="utf-8")
    assert _datasets_cited(runner, graph) == {DATASET, SECOND}

    shutil.rmtree(two / SECOND)
    result = _build(runner, two, graph, "--no-html")

    assert result.exit_code == 0, result.output
    assert f"removed {graph / 'all.ttl'} (one dataset left, nothing to merge)\n" in result.stdout
    assert f"removed {graph / 'second.ttl'} (dataset 'second' no longer exists)\n" in result.stdout
    assert f"removed {graph / 'second.html'} (dataset 'second' no longer exists)\n" in result.stdout
    # The page of the dataset that is left was build's before --no-html and still is; the user's file is untouched.
    assert sorted(p.name for p in graph.iterdir()) == sorted([MANIFEST, f"{DATASET}.html", f"{DATASET}.ttl",
                                                              "notes.ttl"])
    assert (graph / "notes.ttl").read_text(encoding="utf-8") == "# the user's own\n"
    assert sorted(json.loads((graph / MANIFEST).read_text(encoding="utf-8"))["files"]) == \
        [f"{DATASET}.html", f"{DATASET}.ttl"]
    assert _datasets_cited(runner, graph) == {DATASET}


def test_a_file_changed_since_build_wrote_it_is_kept_with_a_warning_and_does_not_answer(runner, two, tmp_path):
    graph = tmp_path / "graph"
    build(two, ONTOLOGY, graph, html=False)
    edited = graph / "second.ttl"
    edited.write_bytes(edited.read_bytes() + b"# my note\n")

    shutil.rmtree(two / SECOND)
    result = _build(runner, two, graph)

    assert result.exit_code == 0, result.output
    assert edited.read_bytes().endswith(b"# my note\n")
    assert f"kgraph: warning: kept {edited} (dataset 'second' no longer exists): it changed since kgraph build " \
           "wrote it; delete it if you no longer need it\n" in result.stderr
    assert "second" not in result.stdout
    assert _datasets_cited(runner, graph) == {DATASET}
    # From now on it is the user's: the next build neither removes nor mentions it.
    again = _build(runner, two, graph, "--no-html")
    assert edited.exists() and "second" not in again.output


def test_validate_warns_of_graph_files_that_match_no_dataset(runner, two, tmp_path):
    graph = tmp_path / "graph"
    build(two, ONTOLOGY, graph, html=False)
    (graph / "mine.html").write_text("<p>mine</p>\n", encoding="utf-8")
    (graph / "mine.txt").write_text("not a graph file\n", encoding="utf-8")
    shutil.rmtree(two / SECOND)

    result = runner.invoke(main, ["validate", "--data", str(two), "--ontology", str(ONTOLOGY), "--graph", str(graph)])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("valid: 1 dataset(s)")
    assert result.stderr.splitlines() == [
        f"kgraph: warning: {graph / 'all.ttl'}: matches no dataset in data/; 'kgraph build' removes it",
        f"kgraph: warning: {graph / 'mine.html'}: matches no dataset in data/; not written by 'kgraph build' "
        "or changed since, so build leaves it: delete it if you no longer need it",
        f"kgraph: warning: {graph / 'second.ttl'}: matches no dataset in data/; 'kgraph build' removes it",
    ]


def test_a_build_stopped_before_its_manifest_finishes_the_job_next_time(two, tmp_path, monkeypatch):
    from kgraph.rdf import build as build_module

    graph = tmp_path / "graph"
    build(two, ONTOLOGY, graph, html=False)
    shutil.rmtree(two / SECOND)

    def killed(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(build_module, "_sweep", killed)
        with pytest.raises(KeyboardInterrupt):
            build(two, ONTOLOGY, graph, html=False)
    assert (graph / "second.ttl").exists()

    report = build(two, ONTOLOGY, graph, html=False)
    assert [p.name for p, _ in report.removed] == ["all.ttl", "second.ttl"]
    assert sorted(p.name for p in graph.iterdir()) == sorted([MANIFEST, f"{DATASET}.ttl"])


def test_a_manifest_cannot_point_build_outside_its_folder(data_copy, tmp_path):
    from kgraph.rdf.manifest import digest

    graph = tmp_path / "graph"
    victim = tmp_path / "victim.ttl"
    victim.write_bytes(b"# keep me\n")
    graph.mkdir()
    (graph / MANIFEST).write_text(json.dumps({"files": {"../victim.ttl": digest(b"# keep me\n")}}), encoding="utf-8")

    report = build(data_copy, ONTOLOGY, graph, html=False)

    assert victim.read_bytes() == b"# keep me\n" and report.removed == []
