"""kgraph validate reports each class of data error as FILE:LINE: message, all at once."""

from __future__ import annotations

import pytest

from conftest import DATA, DATASET, ONTOLOGY
from kgraph.cli import main
from kgraph.rdf.validate import validate


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path, needle) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _claim_start(path, claim_id) -> int:
    return _line_of(path, f"- id: {claim_id}")


def _field_line(path, claim_id, field) -> int:
    """The line of the claim's field that starts with ``field`` (e.g. ``"quote:"``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = _claim_start(path, claim_id)
    return next(n for n, line in enumerate(lines[start - 1:], start) if line.lstrip("- ").startswith(field))


def _problems(data):
    return [str(p) for p in validate(data, ONTOLOGY).problems]


def test_the_fixture_dataset_validates_without_a_warning(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--data", str(DATA), "--ontology", str(ONTOLOGY),
                                  "--graph", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.startswith("valid: 1 dataset(s): 23 posts, 50 actors, 91 claims,")


def test_quote_not_verbatim(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "quote: Masimov als einer der engsten Gefolgsleute von Nasarbajev gilt",
          "quote: Masimov als einer der treuesten Gefolgsleute von Nasarbajev gilt")
    line = _field_line(claims, "c16-1", "quote:")
    assert line > _claim_start(claims, "c16-1")
    assert _problems(data_copy) == [
        f"{claims}:{line}: quote of claim c16-1 is not verbatim in post 16: it matches up to "
        "'Masimov als einer der ', then differs at 'treuesten Gefolgsleute vo'"]


def test_unknown_actor_with_did_you_mean(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "subject: masimov\n  relation: loyalTo", "subject: masimow\n  relation: loyalTo")
    line = _field_line(claims, "c16-1", "subject:")
    assert _problems(data_copy) == [
        f"{claims}:{line}: unknown actor 'masimow' as subject of claim c16-1; did you mean 'masimov'?"]


def test_unknown_relation(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "relation: loyalTo", "relation: loyalTwo")
    line = _field_line(claims, "c10-5", "relation:")
    assert _problems(data_copy) == [
        f"{claims}:{line}: unknown relation 'loyalTwo' in claim c10-5; did you mean 'loyalTo'?"]


def test_duplicate_ids(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    actors = data_copy / DATASET / "actors.yaml"
    _edit(claims, "- id: c01-2\n", "- id: c01-1\n")
    _edit(actors, "- id: rakishev\n", "- id: masimov\n")
    problems = _problems(data_copy)
    first, again = [n for n, line in enumerate(claims.read_text().splitlines(), 1) if line == "- id: c01-1"]
    assert f"{claims}:{again}: claim id 'c01-1' is used twice (first at {claims}:{first})" in problems
    second = [n for n, line in enumerate(actors.read_text().splitlines(), 1) if line == "- id: masimov"][1]
    assert any(p.startswith(f"{actors}:{second}: actor id 'masimov' is defined twice") for p in problems)


def test_post_number_out_of_range(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "- id: c22-6\n  post: 22", "- id: c22-6\n  post: 24")
    line = _field_line(claims, "c22-6", "post:")
    assert _problems(data_copy) == [f"{claims}:{line}: claim c22-6 cites post 24, out of range 1..23"]


def test_missing_field(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "  quote: Nasarbajev-Gefolgsleute\n", "")
    line = _claim_start(claims, "c10-5")
    assert _problems(data_copy) == [f"{claims}:{line}: claim c10-5 is missing the field 'quote'"]


def test_malformed_yaml(data_copy):
    actors = data_copy / DATASET / "actors.yaml"
    _edit(actors, "  type: person\n  label:\n    en: Kenes Rakishev",
          "  type: [person\n  label:\n    en: Kenes Rakishev")
    problems = _problems(data_copy)
    assert len(problems) == 1 and problems[0].startswith(f"{actors}:") and "malformed YAML" in problems[0]


def test_unquoted_hash_cuts_a_quote(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "quote: 'die Hauptstadt des Landes nicht mehr #NurSultan genannt'",
          "quote: die Hauptstadt des Landes nicht mehr #NurSultan genannt")
    line = _line_of(claims, "quote: die Hauptstadt des Landes nicht mehr #NurSultan")
    assert _problems(data_copy) == [
        f"{claims}:{line}: 'quote' is cut at '#NurSultan genannt': YAML reads ' #' as a comment; "
        "put the text in quotes"]


def test_wrong_kind_of_actor_for_a_relation(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "subject: nazarbayev\n  relation: formerPresidentOf\n  object: kazakhstan",
          "subject: nazarbayev\n  relation: formerPresidentOf\n  object: almaty")
    line = _field_line(claims, "c11-4", "object:")
    assert _problems(data_copy) == [
        f"{claims}:{line}: 'formerPresidentOf' needs a Country as object, but 'almaty' is a city (claim c11-4)"]


def test_all_problems_at_once_and_exit_1(data_copy, runner):
    claims = data_copy / DATASET / "claims.yaml"
    _edit(claims, "relation: loyalTo", "relation: loyalTwo")
    _edit(claims, "- id: c22-6\n  post: 22", "- id: c22-6\n  post: 24")
    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len([x for x in lines if x.startswith(str(claims)) and ": warning: " not in x]) == 2
    assert lines[-1] == "kgraph: error: 2 problems found"
    assert "Traceback" not in result.output


def test_missing_data_folder_is_one_line(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output.strip() == f"kgraph: error: {tmp_path / 'nope'}: no such data folder"


@pytest.mark.parametrize("payload", [b"\xff\xfe\x00garbage\x00", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_binary_file_is_reported(data_copy, payload):
    (data_copy / DATASET / "actors.yaml").write_bytes(payload)
    problems = _problems(data_copy)
    assert problems and problems[0].startswith(str(data_copy / DATASET / "actors.yaml") + ":1:")
