"""`kgraph ingest` end to end: files written (or not), then `kgraph build` with
the new dataset, and the merged graph with one node per actor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from ruamel.yaml import YAML

from conftest import DATA, DATASET, ONTOLOGY, SEED
from kgraph.cli import main
from kgraph.compose import build
from kgraph.rdf.iris import ACTOR, KG, SCHEMA, actor_iri
from kgraph.rdf.manifest import MANIFEST
from kgraph.source.reading import read_dataset

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NAME = "gerassimow-2022-01-11"


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def ingest_args(data: Path, *extra: str, source: Path = SEED) -> list[str]:
    return ["ingest", str(source), "--data", str(data), *extra]


def test_the_seed_becomes_a_dataset_with_the_bundled_texts(runner, data):
    result = runner.invoke(main, ingest_args(data, "--name", NAME))
    assert result.exit_code == 0, result.output
    assert f"wrote {data / NAME / 'thread.yaml'}" in result.output
    assert "23 posts (N/M markers at the end of posts); author nikita-gerassimow, date 2022-01-11, " \
           "language de (detected)" in result.output
    assert sorted(p.name for p in (data / NAME).iterdir()) == ["thread.yaml"]   # the author is known
    ingested, problems = read_dataset(data / NAME)
    bundled, _ = read_dataset(DATA / DATASET)
    assert problems == []
    assert [(p.number, p.text) for p in ingested.posts] == [(p.number, p.text) for p in bundled.posts]
    assert [p.hashtags for p in ingested.posts] == [p.hashtags for p in bundled.posts]
    assert (ingested.author, ingested.date, ingested.language, ingested.declared_posts) == \
        ("nikita-gerassimow", "2022-01-11", "de", 23)
    assert "tokayev" in ingested.post(2).mentions


def test_an_existing_dataset_is_never_overwritten_without_force(runner, data):
    assert runner.invoke(main, ingest_args(data, "--name", NAME)).exit_code == 0
    target = data / NAME / "thread.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# curated by hand\n", encoding="utf-8")
    curated = target.read_bytes()
    again = runner.invoke(main, ingest_args(data, "--name", NAME))
    assert again.exit_code == 1
    assert again.output.strip() == f"kgraph: error: {target} exists; use --force to replace it"
    assert target.read_bytes() == curated
    forced = runner.invoke(main, ingest_args(data, "--name", NAME, "--force"))
    assert forced.exit_code == 0 and target.read_bytes() != curated
    hand_made = (data / DATASET / "thread.yaml").read_bytes()
    assert runner.invoke(main, ingest_args(data, "--name", DATASET)).exit_code == 1
    assert (data / DATASET / "thread.yaml").read_bytes() == hand_made


def test_dry_run_prints_what_it_would_write_and_writes_nothing(runner, data):
    result = runner.invoke(main, ingest_args(data, "--name", NAME, "--dry-run"))
    assert result.exit_code == 0, result.output
    assert not (data / NAME).exists()
    assert result.stdout.startswith(f"# ==> {data / NAME / 'thread.yaml'} (dry run: not written) <==\n")
    assert "  text: |-\n    Update #Kazakhstan .\n" in result.stdout
    assert "23 posts" in result.stderr and "wrote" not in result.output
    written = runner.invoke(main, ingest_args(data, "--name", NAME))
    assert written.exit_code == 0
    printed = result.stdout.split("\n", 1)[1]
    assert printed == (data / NAME / "thread.yaml").read_text(encoding="utf-8") + "\n"


def test_stdin_and_a_new_author(runner, data):
    source = (FIXTURES / "slash_end_inline.txt").read_bytes()
    result = runner.invoke(main, ["ingest", "-", "--data", str(data)], input=source)
    assert result.exit_code == 0, result.output
    folder = data / "jane-doe-2022-01-12"
    assert sorted(p.name for p in folder.iterdir()) == ["actors.yaml", "thread.yaml"]
    assert "note: the author 'Jane Doe' is no actor yet" in result.output
    assert "standard input" in (folder / "thread.yaml").read_text(encoding="utf-8")
    dataset, problems = read_dataset(folder)
    assert problems == [] and dataset.author == "jane-doe"
    assert [a.id for a in dataset.actors] == ["jane-doe"]
    assert dataset.post(1).mentions == ["tokayev", "csto", "kazakh-government"]
    assert dataset.language == "en"


def test_missing_author_and_date_without_a_terminal_name_the_option(runner, data):
    source = FIXTURES / "slash_start.txt"
    no_author = runner.invoke(main, ingest_args(data, source=source))
    assert no_author.exit_code == 2
    assert no_author.output.strip() == "kgraph: error: slash_start.txt: the thread names no author; give --author NAME"
    no_date = runner.invoke(main, ingest_args(data, "--author", "Nikita Gerassimow", source=source))
    assert no_date.exit_code == 2
    assert no_date.output.strip() == \
        "kgraph: error: slash_start.txt: the thread gives no date; give --date YYYY-MM-DD"
    ok = runner.invoke(main, ingest_args(data, "--author", "Gerassimow", "--date", "2022-01-13", source=source))
    assert ok.exit_code == 0, ok.output
    dataset, problems = read_dataset(data / "nikita-gerassimow-2022-01-13")
    assert problems == [] and dataset.author == "nikita-gerassimow" and dataset.language == "de"
    assert dataset.post(3).mentions == ["nazarbayev"]


@pytest.mark.parametrize("option, value", [("--name", "Not A Name"), ("--date", "someday"), ("--lang", "German!")])
def test_bad_option_values_are_usage_errors(runner, data, option, value):
    result = runner.invoke(main, ingest_args(data, option, value))
    assert result.exit_code == 2 and option in result.output


def test_options_override_the_header(runner, data):
    result = runner.invoke(main, ingest_args(data, "--name", NAME, "--lang", "en", "--date", "2022-01-12"))
    assert result.exit_code == 0
    assert "note: date 2022-01-12 given; the header says 2022-01-11" in result.output
    dataset, _ = read_dataset(data / NAME)
    assert (dataset.language, dataset.date) == ("en", "2022-01-12")


def test_warnings_name_the_numbers(runner, data):
    result = runner.invoke(main, ingest_args(data, source=FIXTURES / "skips.txt"))
    assert result.exit_code == 0
    assert "kgraph: warning: post number(s) skipped: 3, 6" in result.stderr
    assert "kgraph: warning: post number(s) repeated: 4" in result.stderr


def test_json_report(runner, data):
    result = runner.invoke(main, ingest_args(data, "--name", NAME, "--format", "json", "--dry-run"))
    report = json.loads(result.stdout)
    assert report["written"] == [] and len(report["posts"]) == 23
    assert report["posts"][2]["names"]["tokayev"] == ["Toqaev"]
    assert report["contents"][str(data / NAME / "thread.yaml")].count("- number: ") == 23


def test_build_includes_the_new_dataset_and_merges_actors(runner, data, tmp_path):
    assert runner.invoke(main, ingest_args(data, "--name", NAME)).exit_code == 0
    # The second dataset also defines an actor of the first, as a curator would.
    (data / NAME / "actors.yaml").write_text(
        (DATA / DATASET / "actors.yaml").read_text(encoding="utf-8").split("\n- id: nazarbayev")[0] + "\n",
        encoding="utf-8")
    out = tmp_path / "graph"
    report = build(data, ONTOLOGY, out, html=False)
    assert sorted(p.name for p in out.iterdir()) == sorted(["all.ttl", f"{DATASET}.ttl", f"{NAME}.ttl", MANIFEST])
    assert sorted(report.datasets) == [NAME, DATASET]
    merged = Graph().parse(out / "all.ttl")
    actors = {s for s in merged.subjects(KG.actorType, None)}
    bundled_ids = {a.id for a in read_dataset(DATA / DATASET)[0].actors}
    assert actors == {actor_iri(i) for i in bundled_ids}       # one node per actor, none added
    for actor in actors:
        assert len(list(merged.objects(actor, KG.actorType))) == 1
        languages = [label.language for label in merged.objects(actor, RDFS.label)]
        assert len(languages) == len(set(languages)), actor
    tokayev_posts = {str(p) for p in merged.subjects(KG.mentions, actor_iri("tokayev"))}
    assert any(p.endswith(f"/{NAME}-2") for p in tokayev_posts)
    threads = set(merged.subjects(RDF.type, KG.Thread))
    assert len(threads) == 2
    for thread in threads:
        assert merged.value(thread, SCHEMA.author) == URIRef(str(ACTOR) + "nikita-gerassimow")
    own = Graph().parse(out / f"{NAME}.ttl")
    assert len(set(own.subjects(RDF.type, SCHEMA.SocialMediaPosting))) == 23


def test_hostile_text_is_escaped_in_terminal_and_json_output(runner, data):
    thread = "Feb 1, 2022, 2 tweets\n\nTokayev \u202e\x9b31m spricht (1/2)\n\n#Evil\u202eTag (2/2)\n".encode()
    args = ["ingest", "-", "--data", str(data), "--author", "Gerassimow", "--dry-run"]
    text = runner.invoke(main, args, input=thread)
    assert text.exit_code == 0
    assert "\u202e" not in text.output and "\x9b" not in text.output and "\\u202e" in text.output
    as_json = runner.invoke(main, [*args, "--format", "json"], input=thread)
    assert "\u202e" not in as_json.stdout and "\x9b" not in as_json.stdout
    written = next(iter(json.loads(as_json.stdout)["contents"].values()))
    assert str(YAML(typ="safe").load(written)["posts"][0]["text"]) == "Tokayev \u202e\x9b31m spricht (1/2)"


def test_missing_author_and_date_are_asked_for_on_a_terminal(runner, data, monkeypatch):
    from kgraph.cli import ingest_cmd

    monkeypatch.setattr(ingest_cmd, "_interactive", lambda: True)
    source = FIXTURES / "slash_start.txt"
    result = runner.invoke(main, ingest_args(data, source=source), input="Gerassimow\n2022-01-13\n")
    assert result.exit_code == 0, result.output
    assert "The thread names no author. Author (name or actor id): Gerassimow" in result.output
    assert "The thread gives no date. Date (YYYY-MM-DD): 2022-01-13" in result.output
    dataset, problems = read_dataset(data / "nikita-gerassimow-2022-01-13")
    assert problems == [] and dataset.author == "nikita-gerassimow"
