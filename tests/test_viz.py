"""The HTML network page, without a browser: contents, styles, escaping, bytes, ``kgraph viz``.

What the page does when clicked is in test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import DATA, DATASET, ONTOLOGY, ROOT
from kgraph.cli import main
from kgraph.network.projection import ActorInfo, Edge, Evidence, Projection
from kgraph.source.model import ACTOR_TYPES, FAMILIES
from kgraph.viz import render_html
from kgraph.viz.page import json_for_script, search_key
from kgraph.viz.style import FAMILY_COLOURS, KINDS, TYPE_KIND, kind_of

HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "</SCRIPT >", "<!--", "&amp;"]
# vis-network shapes that draw the label below the node, so every label reads the same way
LABEL_BELOW = {"dot", "square", "hexagon", "star", "triangle", "triangleDown", "diamond"}


def page_json(html: bytes) -> dict:
    """The data block the page's script reads."""
    text = html.decode("utf-8")
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def scripts(html: bytes) -> list[str]:
    """The page's executable inline scripts, in order."""
    return re.findall(r"<script>(.*?)</script>", html.decode("utf-8"), re.S)


@pytest.fixture(scope="module")
def page(built_dir) -> bytes:
    return (built_dir / f"{DATASET}.html").read_bytes()


@pytest.fixture(scope="module")
def data(page) -> dict:
    return page_json(page)


def test_build_writes_the_page_beside_the_turtle(built_dir, page):
    assert (built_dir / f"{DATASET}.ttl").exists()
    assert page.startswith(b"<!DOCTYPE html>") and page.rstrip().endswith(b"</html>")
    assert 300_000 < len(page) < 1_500_000  # vis-network inlined, nothing else big


@pytest.mark.slow
def test_same_bytes_across_runs_and_hash_seeds(tmp_path, page):
    code = "import sys; from kgraph.compose import build; build(sys.argv[1], sys.argv[2], sys.argv[3])"
    for seed in ("0", "4242"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(DATA), str(ONTOLOGY), str(out)], check=True, env=env)
        assert (out / f"{DATASET}.html").read_bytes() == page, f"PYTHONHASHSEED={seed} changed the page"


def test_nothing_is_loaded_from_anywhere(page):
    text = page.decode("utf-8")
    outside_scripts = re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", text, flags=re.S)
    tags = re.findall(r"<(?:script|link|img|iframe|object|embed|base)\b[^>]*>", outside_scripts)
    assert tags == ['<script type="application/json" id="kg-data">', "<script>", "<script>"]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]


def test_the_policy_allows_exactly_the_page_scripts(page):
    csp = re.search(r"script-src ([^;]*);", page.decode("utf-8")).group(1).split()
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts(page)]
    assert sorted(csp) == sorted(hashes) and len(hashes) == 2


def _panel_js() -> str:
    return (ROOT / "src/kgraph/viz/templates/panel.js").read_text(encoding="utf-8")


def test_the_page_script_begins_with_the_shared_panel_script(page):
    assert scripts(page)[-1].startswith(_panel_js())


def test_neither_network_page_keeps_its_own_copy_of_the_panel():
    # The web app's /network loads the same panel.js (test_serve checks it is served); a page that
    # defines one of its builders again has started a copy that will drift from the other page.
    shared = set(re.findall(r"^  function (\w+)\(", _panel_js(), re.M))
    assert {"h", "show", "actorParts", "evidenceBlock", "showEdge", "hopRows"} <= shared
    for page_script in ("src/kgraph/viz/templates/network.js", "src/kgraph/serve/static/network-app.js"):
        text = (ROOT / page_script).read_text(encoding="utf-8")
        assert "kgraphPanel(" in text
        assert not shared & set(re.findall(r"function (\w+)\(", text)), page_script


def test_every_actor_and_relation_is_drawn_with_its_evidence(data, projection):
    assert [n["id"] for n in data["nodes"]] == list(projection.actors)
    assert len(data["edges"]) == len(projection.edges)
    for drawn, edge in zip(data["edges"], projection.edges):
        info = data["edgeInfo"][drawn["id"]]
        assert (drawn["from"], drawn["to"], drawn["label"]) == (edge.source, edge.target, edge.label)
        assert [(e["post"], e["quote"], e["modality"]) for e in info["evidence"]] == \
            [(e.post, e.quote, e.modality) for e in edge.evidence]
    tokayev = data["actors"]["tokayev"]
    assert tokayev["labels"]["ru"] == "Касым-Жомарт Токаев" and "Toqajev" in tokayev["aliases"]
    assert data["actors"]["joe-biden"]["wikidata"] == "Q6279"


def test_shape_colour_and_size_follow_kind_and_degree(data, projection):
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["tokayev"]["shape"] == "dot" and nodes["kazakhstan"]["shape"] == "hexagon"
    assert nodes["csto"]["shape"] == "star" and nodes["knb"]["shape"] == "square"
    for actor in projection.actors.values():
        kind = KINDS[kind_of(actor.type)]
        group = data["options"]["groups"][nodes[actor.id]["group"]]
        assert (nodes[actor.id]["shape"], group["shape"], group["color"]["background"]) == \
            (kind.shape, kind.shape, kind.colour)
    degree = projection.degree()
    by_degree = sorted(projection.actors, key=degree.get)
    sizes = [nodes[a]["size"] for a in by_degree]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


def test_edge_colour_is_the_family_and_dashes_mean_no_stated_evidence(data):
    edges = {(e["from"], e["label"], e["to"]): e for e in data["edges"]}
    # c03-1: "Toqaev will wohl ..." is the only evidence and it is speculated
    assert edges[("tokayev", "seeks to limit", "csto-deployment")]["dashes"] is True
    # c01-2: stated in post 1
    assert "dashes" not in edges[("tokayev", "announced", "crackdown")]
    for drawn in data["edges"]:
        info = data["edgeInfo"][drawn["id"]]
        assert drawn["color"] == FAMILY_COLOURS[info["family"]]
        weak = all(e["modality"] in ("speculated", "reported") for e in info["evidence"])
        assert drawn.get("dashes", False) is weak


def test_every_type_and_family_has_a_distinct_style():
    assert set(ACTOR_TYPES) <= set(TYPE_KIND)
    assert set(FAMILIES) <= set(FAMILY_COLOURS)
    assert len({FAMILY_COLOURS[f] for f in FAMILIES}) == len(FAMILIES)
    assert len({(k.shape, k.colour) for k in KINDS.values()}) == len(KINDS)
    assert {k.shape for k in KINDS.values()} <= LABEL_BELOW


def test_legend_explains_kinds_families_and_dashes(page, projection):
    text = page.decode("utf-8")
    for kind in {kind_of(a.type) for a in projection.actors.values()}:
        assert f'data-kind="{kind}"' in text and KINDS[kind].label in text
    for family in {e.family for e in projection.edges}:
        assert f'data-family="{family}"' in text
    assert "only speculated or reported" in text and "size = number of relations" in text


def test_layout_keeps_labels_apart(data):
    from kgraph.viz.page import _label_box

    nodes = data["nodes"]
    for i, a in enumerate(nodes):
        wa, ha = _label_box(a["label"], a["size"])
        for b in nodes[i + 1:]:
            wb, hb = _label_box(b["label"], b["size"])
            upper_height = ha if a["y"] <= b["y"] else hb
            assert abs(a["x"] - b["x"]) >= (wa + wb) / 2 or abs(a["y"] - b["y"]) >= upper_height, \
                (a["label"], b["label"])


@pytest.mark.parametrize("text", HOSTILE)
def test_script_data_cannot_end_its_element(text):
    encoded = json_for_script({"label": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"label": text}


def test_hostile_text_stays_data():
    evil = " ".join(HOSTILE)
    actors = {i: ActorInfo(i, "person", evil, {"en": evil}, [evil], evil, "Q1\"><script>") for i in ("a", "b")}
    evidence = Evidence("c1", 1, evil, evil, "a", "speculated", note=evil, period=evil)
    projection = Projection(actors, [Edge("a", "b", "rel", evil, evil, "hostility", [evidence])])
    html = render_html(projection, title=evil)
    text = html.decode("utf-8")
    assert "<img" not in text and "<!--" not in text
    assert text.lower().count("</script") == 3  # the data block and the two scripts
    assert "&lt;img src=x onerror=alert(1)&gt;" in text  # the title, escaped by the template
    data = page_json(html)
    assert data["actors"]["a"]["label"] == evil and data["edgeInfo"]["e0"]["evidence"][0]["quote"] == evil


def test_search_keys_ignore_case_accents_and_punctuation(data):
    keys = set(data["actors"]["tokayev"]["keys"])
    assert {"toqajev", "tokayev", "токаев", "касым жомарт токаев", "kassym jomart tokayev"} <= keys
    assert search_key("TOKÁYEV") == "tokayev" and search_key("Qassym-Schomart") == "qassym schomart"


# --- kgraph viz ---------------------------------------------------------------


def viz(runner, built_dir, tmp_path, *args):
    out = tmp_path / "out.html"
    result = runner.invoke(main, ["viz", "--graph", str(built_dir), "--out", str(out), *args])
    return result, (page_json(out.read_bytes()) if result.exit_code == 0 else None)


def test_viz_writes_the_whole_graph(runner, built_dir, tmp_path, projection):
    result, data = viz(runner, built_dir, tmp_path)
    assert result.exit_code == 0, result.output
    counts = f"{len(projection.actors)} actors, {len(projection.edges)} relations"
    assert re.fullmatch(rf"wrote \S+out\.html: {counts}, \d+ KiB\n", result.output), result.output
    assert len(data["nodes"]) == len(projection.actors) and data["path"] == []


def test_viz_focus_keeps_the_neighbourhood(runner, built_dir, tmp_path, projection):
    result, data = viz(runner, built_dir, tmp_path, "--focus", "Toqajev", "--depth", "1")
    assert result.exit_code == 0, result.output
    expected = {"tokayev"} | {e.target for e in projection.edges if e.source == "tokayev"} \
        | {e.source for e in projection.edges if e.target == "tokayev"}
    assert {n["id"] for n in data["nodes"]} == expected
    assert data["title"] == "Kassym-Jomart Tokayev and 1 hop around"


def test_viz_path_is_the_path_command_first_answer(runner, built_dir, tmp_path, projection):
    from kgraph.network.algorithms import shortest_paths

    result, data = viz(runner, built_dir, tmp_path, "--path", "Tokayev", "Biden")
    assert result.exit_code == 0, result.output
    hops = shortest_paths(projection, "tokayev", "joe-biden", max_hops=10, k=1)[0].hops
    assert data["path"] == ["tokayev"] + [h.target for h in hops]
    assert data["path"][0] == "tokayev" and data["path"][-1] == "joe-biden"
    assert {n["id"] for n in data["nodes"]} == set(data["path"])
    for edge in data["edges"]:
        i, j = data["path"].index(edge["from"]), data["path"].index(edge["to"])
        assert abs(i - j) == 1


def test_viz_says_how_a_name_was_taken_on_stderr_and_on_the_page(runner, built_dir, tmp_path):
    from kgraph.network.projection import load_projection
    from kgraph.viz import select_view

    result, data = viz(runner, built_dir, tmp_path, "--path", "Tokayev", "Biden")
    assert result.stderr == "taking 'Biden' as Joe Biden; also matches: Hunter Biden\n"
    assert data["notes"] == ["taking 'Biden' as Joe Biden; also matches: Hunter Biden"]
    result, data = viz(runner, built_dir, tmp_path, "--focus", "Toqajev")
    assert result.stderr == "" and data["notes"] == []
    view = select_view(load_projection(graph_dir=built_dir), focus="Massimof", depth=1)
    assert [(m.actor.id, m.how) for m in view.resolved] == [("masimov", "close")]


def test_viz_family_and_stated_only(runner, built_dir, tmp_path):
    result, data = viz(runner, built_dir, tmp_path, "--family", "hostility", "--family", "cooperation", "--stated-only")
    assert result.exit_code == 0, result.output
    infos = list(data["edgeInfo"].values())
    assert infos and {e["family"] for e in infos} == {"hostility", "cooperation"}
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert {n["id"] for n in data["nodes"]} == linked  # no actor left floating without a relation
    assert all(e["stated"] for e in infos) and not any("dashes" in d for d in data["edges"])
    modalities = {ev["modality"] for e in infos for ev in e["evidence"]}
    assert modalities <= {"stated", "assessed"}


def test_viz_to_stdout(runner, built_dir):
    result = runner.invoke(main, ["viz", "--graph", str(built_dir), "--out", "-", "--focus", "Masimov", "--depth", "0"])
    assert result.exit_code == 0
    assert [n["id"] for n in page_json(result.stdout_bytes)["nodes"]] == ["masimov"]


@pytest.mark.parametrize("args, code, message", [
    (["--focus", "Nobody Atall"], 1, "no actor named 'Nobody Atall'"),
    (["--focus", "Präsident"], 1, "no actor named 'Präsident'; did you mean"),
    (["--family", "gossip"], 1, "unknown relation family 'gossip'"),
    (["--path", "Tokayev", "Kazakh observers"], 1,
     "no path between Kassym-Jomart Tokayev and Kazakh observers over the relations selected"),
    (["--focus", "Tokayev", "--path", "Tokayev", "Biden"], 2, "either --focus or --path"),
    (["--depth", "-1"], 2, "-1"),
])
def test_viz_refuses_bad_input_in_one_line(runner, built_dir, tmp_path, args, code, message):
    result = runner.invoke(main, ["viz", "--graph", str(built_dir), "--out", str(tmp_path / "x.html"), *args])
    assert result.exit_code == code and message in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.html").exists()
    if code == 1:
        assert result.output.count("\n") == 1


def test_readme_shows_the_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/screenshot.png" in readme and (ROOT / "docs" / "screenshot.png").stat().st_size > 10_000
