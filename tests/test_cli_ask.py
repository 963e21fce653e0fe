"""kgraph query/queries/actors/show/path/neighbours/central/factions, in-process and as a real process."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from kgraph.cli import main


@pytest.fixture
def kg(runner, built_dir):
    def invoke(*args):
        return runner.invoke(main, [*args, "--graph", str(built_dir)])

    return invoke


def test_query_table_shows_labels(kg):
    result = kg("query", "SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].strip() == "m" and "Armenia" in lines[2] and lines[-1] == "(5 rows)"
    assert "https://" not in result.output


def test_query_json_is_sparql_results_json(kg):
    result = kg("query", "--name", "eaeu-members", "--format", "json")
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["member", "dataset", "post", "quote"]
    assert len(data["results"]["bindings"]) == 5
    assert data["results"]["bindings"][0]["member"] == {
        "type": "uri", "value": "https://kgraph.example/id/actor/armenia"}


def test_query_csv_and_tsv(kg):
    rows = list(csv.reader(io.StringIO(kg("query", "--name", "csto-contingents", "--format", "csv").output)))
    assert rows[0] == ["country", "dataset", "firstPost", "mentions"] and len(rows) == 5
    tsv = kg("query", "--name", "csto-contingents", "--format", "tsv").output.splitlines()
    assert tsv[0] == "?country\t?dataset\t?firstPost\t?mentions"
    assert tsv[1].startswith('<https://kgraph.example/id/actor/armenia>\t"kazakhstan-2022"\t21\t1')


def test_ask_and_construct(kg):
    assert kg("query", "ASK { actor:masimov kg:loyalTo actor:nazarbayev }").output == "true\n"
    out = kg("query", "CONSTRUCT { ?a kg:loyalTo ?b } WHERE { ?a kg:loyalTo ?b }").output
    assert "actor:masimov kg:loyalTo actor:nazarbayev ." in out
    nt = kg("query", "CONSTRUCT { ?a kg:loyalTo ?b } WHERE { ?a kg:loyalTo ?b }", "--format", "nt").output
    assert len(nt.strip().splitlines()) == 2


def test_query_from_file(kg, tmp_path):
    (tmp_path / "q.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a schema:SocialMediaPosting }")
    result = kg("query", "--file", str(tmp_path / "q.rq"), "--format", "csv")
    assert result.output.splitlines() == ["n", "23"]


def test_update_is_refused(kg):
    for update in ("DROP ALL", "PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }", "delete where { ?s ?p ?o }"):
        result = kg("query", update)
        assert result.exit_code == 1
        assert result.output.startswith("kgraph: error: SPARQL UPDATE is refused")


def test_syntax_error_has_line_and_column(kg):
    result = kg("query", "SELECT ?s WHERE {\n  ?s ?p\n}")
    assert result.exit_code == 1
    assert result.output.startswith("kgraph: error: SPARQL syntax error at 3:")
    assert "Traceback" not in result.output


def test_query_help_lists_prefixes(runner):
    out = runner.invoke(main, ["query", "--help"]).output
    for prefix in ("kg:", "rdf:", "rdfs:", "owl:", "skos:", "prov:", "schema:", "xsd:", "dcterms:", "wd:", "wdt:"):
        assert prefix in out


def test_queries_lists_named_queries(runner):
    out = runner.invoke(main, ["queries"]).output
    assert "csto-contingents\n    CSTO contingents by country:" in out


def test_unknown_named_query(kg):
    result = kg("query", "--name", "csto-contingent")
    assert result.exit_code == 1 and "did you mean: csto-contingents" in result.output


def test_actors_table_json_csv(kg):
    data = json.loads(kg("actors", "--format", "json").output)
    assert len(data) == 50
    tokayev = next(a for a in data if a["id"] == "tokayev")
    assert tokayev == {"id": "tokayev", "type": "person", "label": "Kassym-Jomart Tokayev", "relations": 12}
    events = list(csv.DictReader(io.StringIO(kg("actors", "--type", "event", "--format", "csv").output)))
    assert len(events) == 13 and all(e["type"] == "event" for e in events)
    assert kg("actors", "--type", "spaceship").exit_code == 2


def test_show_text(kg):
    out = kg("show", "Toqajev").output
    assert out.startswith("Kassym-Jomart Tokayev  (tokayev, person)")
    assert "ru: Касым-Жомарт Токаев" in out
    assert '—in a power struggle with→ Nazarbayev clan' in out
    assert 'post 7: "erbitterte innerpolitische Machtkämpfe zwischen dem Nasarbajev-Clan und Toqajev" ' \
           '— Nikita Gerassimow, assessed' in " ".join(out.split())  # wrapped to the terminal


def test_show_json_contract(kg, fixture_claims):
    data = json.loads(kg("show", "masimov", "--format", "json").output)
    assert {"id", "label", "aliases", "types", "relations"} <= set(data)
    assert data["id"] == "masimov" and isinstance(data["aliases"], list) and data["types"] == ["person"]
    loyal = next(r for r in data["relations"] if r["relation_id"] == "loyalTo")
    assert loyal["direction"] == "out" and loyal["other"]["id"] == "nazarbayev"
    assert loyal["evidence"][0] == {"post": 16,
                                    "quote": "Masimov als einer der engsten Gefolgsleute von Nasarbajev gilt",
                                    "asserted_by": "Nikita Gerassimow", "modality": "assessed", "claim": "c16-1",
                                    "dataset": "kazakhstan-2022", "time": None, "quantities": [],
                                    "note": next(c.note for c in fixture_claims if c.id == "c16-1")}
    arrested = next(r for r in data["relations"] if r["relation_id"] == "targeted")
    assert arrested["direction"] == "in" and arrested["other"]["id"] == "masimov-arrest"


@pytest.mark.parametrize("name", ["Präsident", "Regierung", "Sicherheit", "Kazakh"])
def test_show_refuses_a_generic_word(kg, name):
    result = kg("show", name)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"kgraph: error: no actor named {name!r}; did you mean: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("name, note", [
    ("Massimof", "taking 'Massimof' as Karim Massimov (close spelling)\n"),
    ("Biden", "taking 'Biden' as Joe Biden; also matches: Hunter Biden\n"),
    ("National Security Committee",
     "taking 'National Security Committee' as National Security Committee of Kazakhstan (words of its name)\n"),
    ("Токаев", ""),
])
def test_show_says_on_stderr_how_a_name_was_taken(kg, name, note):
    result = kg("show", name)
    assert result.exit_code == 0 and result.stderr == note
    assert result.stdout == kg("show", json.loads(kg("show", name, "--format", "json").stdout)["id"]).stdout


def test_json_carries_how_names_were_resolved(kg):
    shown = json.loads(kg("show", "Massimof", "--format", "json").stdout)
    assert shown["id"] == "masimov"
    assert shown["resolved"] == {"query": "Massimof", "id": "masimov", "label": "Karim Massimov", "how": "close",
                                 "matched": "Masimov", "score": 80.0, "alternatives": []}
    path = json.loads(kg("path", "Tokayev", "Biden", "--exclude", "Kasachstn", "--max-hops", "6",
                         "--format", "json").stdout)
    assert {"from", "to", "paths"} < set(path) and path["to"] == {"id": "joe-biden", "label": "Joe Biden"}
    resolved = path["resolved"]
    assert (resolved["from"]["how"], resolved["to"]["how"]) == ("exact", "ambiguous")
    assert resolved["to"]["alternatives"] == [{"id": "hunter-biden", "label": "Hunter Biden"}]
    assert [(m["id"], m["how"]) for m in resolved["exclude"]] == [("kazakhstan", "close")]
    near = json.loads(kg("neighbours", "Nasarbayef", "--format", "json").stdout)
    assert (near["actor"]["id"], near["resolved"]["how"]) == ("nazarbayev", "close")


def test_wikidata_link_shown(kg):
    assert "Wikidata: https://www.wikidata.org/wiki/Q6279" in kg("show", "Joe Biden").output


def test_path_text(kg):
    result = kg("path", "Tokayev", "Biden")
    assert result.stderr == "taking 'Biden' as Joe Biden; also matches: Hunter Biden\n"
    out = result.stdout
    assert out.startswith("Path 1 of 3 (3 hops): Kassym-Jomart Tokayev → Joe Biden\n")
    assert "  Karim Massimov ←has connections to— Joe Biden\n      post 17:" in out
    assert '  Kassym-Jomart Tokayev —president of→ Kazakhstan\n' \
           '      post 2: "der kasachische Präsident" — Nikita Gerassimow, stated\n' in out
    assert "  Kazakhstan ←prime minister of— Karim Massimov\n      post 15:" in out


def test_path_options(kg):
    stated = json.loads(kg("path", "Tokayev", "Masimov", "--stated-only", "--paths", "5", "--format", "json").output)
    for p in stated["paths"]:
        for hop in p["hops"]:
            assert all(e["modality"] not in ("speculated", "reported") for e in hop["evidence"])
    excluded = json.loads(kg("path", "Tokayev", "Joe Biden", "--exclude", "Kazakhstan", "--max-hops", "6",
                             "--format", "json").output)
    assert all(h["to"]["id"] != "kazakhstan" for p in excluded["paths"] for h in p["hops"])
    family = json.loads(kg("path", "Armenia", "Russia", "--family", "membership", "--format", "json").output)
    assert family["paths"][0]["hops"][0]["relation"] == "member of"
    directed = kg("path", "Tokayev", "Biden", "--directed")
    assert directed.exit_code == 1
    assert "no path between Kassym-Jomart Tokayev and Joe Biden within 4 hops" in directed.output


def _degrees(kg):
    return {a["id"]: a["relations"] for a in json.loads(kg("actors", "--format", "json").output)}


def test_path_avoid_hubs_goes_around_kazakhstan(kg):
    # Without it one of the three shortest paths runs through Kazakhstan (13 relations);
    # with it the paths are ranked by the relations of the actors they pass.
    plain = json.loads(kg("path", "Tokayev", "Hunter Biden", "--format", "json").output)
    assert "kazakhstan" in [p["hops"][0]["to"]["id"] for p in plain["paths"]] and "cost" not in plain["paths"][0]
    result = kg("path", "Tokayev", "Hunter Biden", "--avoid-hubs")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Path 1 of 3 (4 hops, cost 15): Kassym-Jomart Tokayev → Hunter Biden\n"
                                    "  Kassym-Jomart Tokayev —initiated→ Purge of the security apparatus")
    data = json.loads(kg("path", "Tokayev", "Hunter Biden", "--avoid-hubs", "--format", "json").output)
    degree = _degrees(kg)
    for found in data["paths"]:
        passed = [h["to"]["id"] for h in found["hops"]][:-1]
        assert found["cost"] == sum(degree[a] for a in passed)
        assert "kazakhstan" not in passed
    assert [p["cost"] for p in data["paths"]] == sorted(p["cost"] for p in data["paths"])
    assert [h["to"]["id"] for h in data["paths"][0]["hops"]] == ["security-purge", "knb", "masimov", "hunter-biden"]


def test_path_avoid_hubs_counts_degrees_in_the_whole_graph(kg):
    # Excluding Joe Biden takes one relation from Masimov in the filtered network; the cost
    # still counts all of Masimov's relations, as the whole graph has them.
    degree = _degrees(kg)
    data = json.loads(kg("path", "Tokayev", "Hunter Biden", "--avoid-hubs", "--exclude", "purge of the security",
                         "--exclude", "Joe Biden", "--paths", "1", "--format", "json").stdout)
    assert [h["to"]["id"] for h in data["paths"][0]["hops"]] == ["nazarbayev-loyalists", "masimov", "hunter-biden"]
    assert data["paths"][0]["cost"] == degree["nazarbayev-loyalists"] + degree["masimov"]


def test_path_same_actor(kg):
    result = kg("path", "Tokayev", "Toqajev")
    assert result.exit_code == 0
    assert result.output == "Kassym-Jomart Tokayev and Kassym-Jomart Tokayev are the same actor (tokayev).\n"
    data = json.loads(kg("path", "Tokayev", "Toqajev", "--format", "json").output)
    assert data["paths"] == [{"length": 0, "hops": []}]


@pytest.mark.parametrize("args, code, message", [
    (["path", "Tokayev", "Putin"], 1, "kgraph: error: no actor named 'Putin'"),
    (["path", "Tokayev", ""], 1, "kgraph: error: empty actor name"),
    (["path", "Tokayev", "x" * 100_000], 1, "kgraph: error: actor name too long"),
    (["path", "Tokayev", "Biden", "--max-hops", "-1"], 2, "Invalid value for '--max-hops'"),
    (["path", "Tokayev", "Biden", "--max-hops", "many"], 2, "Invalid value for '--max-hops'"),
    (["path", "Tokayev", "Joe Biden", "--family", "friendship"], 1, "kgraph: error: unknown relation family"),
    (["path", "Tokayev", '"} ; DROP ALL #'], 1, "kgraph: error: no actor named"),
    (["path", "Tokayev", "Joe Biden", "--max-hops", "1"], 1, "kgraph: error: no path between"),
    (["show", "Tokayev", "--store", "mongodb://x"], 1, "kgraph: error: unknown store"),
    (["frobnicate"], 2, "No such command 'frobnicate'"),
])
def test_bad_input_is_one_line(kg, runner, args, code, message):
    result = runner.invoke(main, args) if args == ["frobnicate"] else kg(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    if code == 1:
        assert len(result.output.strip().splitlines()) == 1


def test_missing_graph_folder(runner, tmp_path):
    result = runner.invoke(main, ["show", "Tokayev", "--graph", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.strip() == (f"kgraph: error: {tmp_path / 'none'}: no such graph folder; "
                                     "run 'kgraph build' first")


def test_neighbours_central_factions(kg):
    out = kg("neighbours", "Masimov").output
    assert out.startswith("Karim Massimov: 8 actor(s) within 1 hop(s)")
    deeper = json.loads(kg("neighbours", "Masimov", "--depth", "2", "--format", "json").output)
    assert {n["distance"] for n in deeper["neighbours"]} == {1, 2}
    top = json.loads(kg("central", "--format", "json").output)
    assert top[0]["id"] == "kazakhstan"
    between = json.loads(kg("central", "--measure", "betweenness", "--top", "3", "--format", "json").output)
    assert len(between) == 3 and between[0]["id"] == "kazakhstan"
    # PageRank needs scipy (networkx's implementation): a dependency, not a traceback.
    ranks = json.loads(kg("central", "--measure", "pagerank", "--top", "100", "--format", "json").output)
    assert ranks[0]["id"] == "kazakhstan" and abs(sum(r["score"] for r in ranks) - 1) < 0.01
    groups = json.loads(kg("factions", "--format", "json").output)
    members = [{a["id"] for a in g} for g in groups]
    assert any({"armenia", "belarus", "russia", "eaeu"} <= g for g in members)
    assert any({"nazarbayev", "nazarbayev-clan", "the-west"} <= g for g in members)


def test_path_json_contract_from_the_console_script(built_dir):
    exe = [sys.executable, "-m", "kgraph"]
    proc = subprocess.run([*exe, "path", "Tokayev", "Biden", "--format", "json", "--graph", str(built_dir)],
                          capture_output=True, text=True, check=True)
    assert proc.stderr == "taking 'Biden' as Joe Biden; also matches: Hunter Biden\n"
    data = json.loads(proc.stdout)
    assert data["from"] == {"id": "tokayev", "label": "Kassym-Jomart Tokayev"}
    assert data["to"] == {"id": "joe-biden", "label": "Joe Biden"}
    first = data["paths"][0]
    assert first["length"] == len(first["hops"]) == 3
    for hop in first["hops"]:
        assert {"from", "to", "relation", "direction", "evidence"} <= set(hop)
        assert set(hop["from"]) >= {"id", "label"} and hop["direction"] in ("forward", "backward")
        for ev in hop["evidence"]:
            assert isinstance(ev["post"], int) and isinstance(ev["quote"], str)
            assert ev["modality"] in ("stated", "assessed", "speculated", "reported") and ev["asserted_by"]
    assert [h["to"]["id"] for h in first["hops"]] == ["nazarbayev-loyalists", "masimov", "joe-biden"]
    assert first["hops"][1]["direction"] == "backward"


def test_bad_input_exit_codes_from_the_console_script(built_dir):
    proc = subprocess.run([sys.executable, "-m", "kgraph", "path", "Tokayev", "Putin", "--graph", str(built_dir)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("kgraph: error: no actor named 'Putin'") and proc.stderr.count("\n") == 1


def test_path_and_show_on_an_on_disk_store_fetch_only_what_they_need(runner, built_dir, tmp_path, monkeypatch):
    from kgraph.network import projection as projection_module

    store = f"oxigraph:{tmp_path / 'store'}"
    assert runner.invoke(main, ["load", "--store", store, str(built_dir / "kazakhstan-2022.ttl")]).exit_code == 0
    local = {args: runner.invoke(main, [*args, "--format", "json", "--graph", str(built_dir)]).output
             for args in (("path", "Tokayev", "Biden"), ("show", "Masimov"))}

    def no_full_fetch(_store):
        raise AssertionError("the whole network was fetched")

    monkeypatch.setattr(projection_module, "fetch_projection", no_full_fetch)
    for args, expected in local.items():
        result = runner.invoke(main, [*args, "--format", "json", "--store", store])
        assert result.exit_code == 0, result.output
        assert result.output == expected
