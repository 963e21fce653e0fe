"""--modality LIST on path, viz, export and claims; --stated-only means exactly 'stated'."""

from __future__ import annotations

import csv
import json
import re

import pytest

from kgraph.cli import main
from kgraph.errors import KgraphError
from kgraph.exporters import export
from kgraph.network.selection import modalities_kept, select
from kgraph.viz import select_view
from test_viz import page_json

FILTERED = ["path", "viz", "export", "claims"]


def evidence_of(projection):
    return [ev for edge in projection.edges for ev in edge.evidence]


def test_stated_only_drops_assessed_claims(projection):
    kept = evidence_of(select(projection, stated_only=True))
    assert kept and {ev.modality for ev in kept} == {"stated"}
    assert not any(ev.claim == "c16-1" for ev in kept)  # Masimov loyal to Nazarbayev: "gilt als", assessed


def test_modalities_keep_exactly_those(projection):
    both = evidence_of(select(projection, modalities="stated,assessed"))
    assert {ev.modality for ev in both} == {"stated", "assessed"}
    hedged = select(projection, modalities=["speculated", "reported"])
    assert {ev.modality for ev in evidence_of(hedged)} == {"speculated", "reported"}
    assert all(edge.evidence for edge in hedged.edges)


def test_modalities_are_validated():
    assert modalities_kept(" reported ,stated") == ("stated", "reported")
    assert modalities_kept() == ()
    with pytest.raises(KgraphError, match="unknown modality 'rumoured'"):
        modalities_kept("stated,rumoured")
    with pytest.raises(KgraphError):
        modalities_kept("assessed", stated_only=True)


def test_path_stated_only_is_stated(runner, built_dir):
    def hops(*args):
        result = runner.invoke(main, ["path", "Masimov", "Nazarbayev", "--max-hops", "1", "--format", "json",
                                      "--graph", str(built_dir), *args])
        return result, json.loads(result.output) if result.exit_code == 0 else None

    result, both = hops("--modality", "stated,assessed")
    assert result.exit_code == 0, result.output
    assert [ev["modality"] for ev in both["paths"][0]["hops"][0]["evidence"]] == ["assessed"]
    result, _ = hops("--stated-only")
    assert result.exit_code == 1 and "no path" in result.output  # the only link is assessed


@pytest.mark.parametrize("command", FILTERED)
def test_unknown_modality_is_a_usage_error(runner, built_dir, command):
    args = {"path": ["Tokayev", "Biden"], "viz": ["--out", "-"], "export": ["--format", "ttl"], "claims": []}
    result = runner.invoke(main, [command, *args[command], "--modality", "stated,rumoured",
                                  "--graph", str(built_dir)])
    assert result.exit_code == 2 and "unknown modality 'rumoured'" in result.output
    both = runner.invoke(main, [command, *args[command], "--modality", "assessed", "--stated-only",
                                "--graph", str(built_dir)])
    assert both.exit_code == 2


@pytest.mark.parametrize("command", FILTERED)
def test_help_says_what_stated_only_means(runner, command):
    text = " ".join(runner.invoke(main, [command, "--help"]).output.split())
    assert "--modality LIST" in text and "Same as --modality stated" in text


def test_viz_modality(runner, built_dir, tmp_path):
    out = tmp_path / "hedged.html"
    result = runner.invoke(main, ["viz", "--modality", "speculated,reported", "--out", str(out),
                                  "--graph", str(built_dir)])
    assert result.exit_code == 0, result.output
    infos = page_json(out.read_bytes())["edgeInfo"].values()
    assert {ev["modality"] for e in infos for ev in e["evidence"]} == {"speculated", "reported"}



def test_select_view_stated_only(projection, fixture_claims):
    view = select_view(projection, stated_only=True)
    assert {ev.modality for ev in evidence_of(view.projection)} == {"stated"}
    assessed = select_view(projection, focus="Masimov", depth=1, modalities="assessed")
    assert {ev.claim for ev in evidence_of(assessed.projection)} == {
        c.id for c in fixture_claims if c.modality == "assessed" and "masimov" in (c.subject, c.object)}


def test_export_modality(built_dir, tmp_path):
    export("csv", graph_dir=built_dir, stated_only=True).save(tmp_path / "stated")
    with open(tmp_path / "stated" / "edges.csv", encoding="utf-8") as f:
        modalities = {row["modality"] for row in csv.DictReader(f)}
    assert modalities == {"stated"}
    hedged = export("ttl", graph_dir=built_dir, modalities="assessed").data.decode("utf-8")
    assert "kg:assessed" in hedged and "kg:stated" not in hedged and "kg:speculated" not in hedged


def test_page_filters_by_modality_with_counts(built_dir, fixture_claims):
    page = (built_dir / "kazakhstan-2022.html").read_text(encoding="utf-8")
    boxes = re.findall(r'data-modality="(\w+)" checked> \w+ <span class="kg-count">(\d+)</span>', page)
    assert boxes == [(m, str(sum(c.modality == m for c in fixture_claims)))
                     for m in ("stated", "assessed", "speculated", "reported")]
    assert "hide dashed" not in page
