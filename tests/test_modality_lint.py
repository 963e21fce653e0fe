"""kgraph validate warns where a claim's modality or asserted_by disagrees with the cues around its quote."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import DATA, DATASET, ONTOLOGY
from kgraph.cli import main
from kgraph.source.cues import cues_for_quote
from kgraph.source.modality_lint import lint
from kgraph.source.reading import read_datasets


def _claims():
    [dataset], problems = read_datasets(DATA)
    assert not problems
    return dataset


def _set_field(claims_file, line: int, key: str, value: str) -> None:
    lines = claims_file.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].strip().startswith(f"{key}:"), lines[line - 1]
    lines[line - 1] = f"  {key}: {value}"
    claims_file.write_text("\n".join(lines), encoding="utf-8")


def _insert_after(claims_file, line: int, text: str) -> None:
    lines = claims_file.read_text(encoding="utf-8").split("\n")
    lines.insert(line, text)
    claims_file.write_text("\n".join(lines), encoding="utf-8")


def _set_note(claims_file, claim_id: str, note: str) -> None:
    """Give claim ``claim_id`` this note, in place of the one it has."""
    lines = claims_file.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"- id: {claim_id}")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    block = lines[start:end]
    if any(line.startswith("  note:") for line in block):
        first = next(i for i, line in enumerate(block) if line.startswith("  note:"))
        last = next((i for i in range(first + 1, len(block)) if not block[i].startswith("    ")), len(block))
        del block[first:last]
    block.append(f"  note: {json.dumps(note, ensure_ascii=False)}")
    lines[start:end] = block
    claims_file.write_text("\n".join(lines), encoding="utf-8")


def _warned(warnings) -> set[str]:
    return {w.message.split("claim ", 1)[1].split(" ", 1)[0] for w in warnings}


def _has_cue(dataset, claim) -> bool:
    text = dataset.post(claim.post).text
    start = text.index(claim.quote)
    return bool(cues_for_quote(text, start, start + len(claim.quote), dataset.language))


@pytest.mark.slow
def test_lint_flags_hedged_claims_set_to_stated_and_spares_stated_ones(tmp_path):
    dataset = _claims()
    hedged = [c for c in dataset.claims if c.modality != "stated"]
    stated = [c for c in dataset.claims if c.modality == "stated"]
    with_cue = [c for c in hedged if _has_cue(dataset, c)]
    assert len(with_cue) >= 10  # the figures below mean something only over enough claims
    flagged = []
    for claim in with_cue:
        copy = tmp_path / claim.id
        shutil.copytree(DATA, copy)
        _set_field(copy / DATASET / "claims.yaml", claim.modality_line, "modality", "stated")
        if claim.id in _warned(lint(copy)):
            flagged.append(claim.id)
    stated_warned = _warned(lint(DATA)) & {c.id for c in stated}
    recall = len(flagged) / len(with_cue)
    false_alarms = len(stated_warned) / len(stated)
    print(f"\nmodality lint: {len(flagged)}/{len(with_cue)} hedged claims with a cue flagged once stated "
          f"({recall:.0%}); {len(stated_warned)}/{len(stated)} stated claims warned ({false_alarms:.0%}): "
          f"{', '.join(sorted(stated_warned))}")
    assert recall >= 0.9, sorted({c.id for c in with_cue} - set(flagged))
    assert false_alarms <= 0.1, sorted(stated_warned)


def test_warning_points_at_the_modality_line_and_names_the_cue(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    c06 = next(c for c in _claims().claims if c.id == "c06-1")
    _set_field(claims, c06.modality_line, "modality", "stated")
    [warning] = [w for w in lint(data_copy) if "c06-1" in w.message]
    assert str(warning) == (
        f"{claims}:{c06.modality_line}: warning: claim c06-1 is stated but its quote says \"anscheinend\" "
        "(hedge); make it assessed, or explain why in its note")


def test_attribution_with_a_named_source_needs_the_source_as_asserted_by(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("  asserted_by: kazakh-observers\n  modality: reported\n  period: under",
                                   "  modality: reported\n  period: under"), encoding="utf-8")
    [warning] = [str(w) for w in lint(data_copy) if "c14-1" in w.message]
    assert warning.endswith(
        'claim c14-1 is reported by the author but its quote says "Laut" (attribution naming '
        '"kaz.Beobachtern"); set asserted_by to the actor "kaz.Beobachtern" names, or explain why in its note')


def test_hedges_agree_with_assessed_speculated_and_reported_claims(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    c03 = next(c for c in _claims().claims if c.id == "c03-1")   # "wohl", speculated
    for modality in ("assessed", "reported", "stated"):
        _set_field(claims, c03.modality_line, "modality", modality)
        assert ("c03-1" in _warned(lint(data_copy))) == (modality == "stated"), modality


def test_an_attribution_disagrees_with_every_modality_but_reported(data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    c11 = next(c for c in _claims().claims if c.id == "c11-1")   # "Laut kaz.Beobachtern", reported
    assert "c11-1" not in _warned(lint(data_copy))
    for modality in ("assessed", "speculated"):
        _set_field(claims, c11.modality_line, "modality", modality)
        assert "c11-1" in _warned(lint(data_copy)), modality


@pytest.mark.parametrize("note, warned", [
    ("stated: the hedge 'mutmaßlichen' qualifies only the cells.", False),
    ("STATED: MUTMASSLICH in the post qualifies the cells only.", False),  # any case; ß and ss alike
    ("stated: not 'vermutlich', a weaker word.", True),                     # another cue word
    ("Stated. Mutmaßlich qualifies the cells only.", False),                # the base form, any case
    ("The raids are a fact.", True),
    ("'mutmaßlichen' qualifies only the cells.", True),                      # the cue without the modality
    ("speculated: 'mutmaßlichen' marks a guess.", True),                     # explains another choice
])
def test_a_note_naming_the_cue_and_the_modality_explains_the_choice(data_copy, note, warned):
    claims = data_copy / DATASET / "claims.yaml"
    _set_note(claims, "c04-2", "The raids are a fact.")
    assert "c04-2" in _warned(lint(data_copy))
    _set_note(claims, "c04-2", note)
    assert ("c04-2" in _warned(lint(data_copy))) == warned


def test_a_note_explains_only_the_cue_it_names(data_copy):
    claims = data_copy / DATASET / "claims.yaml"   # c03-2 has "wohl" and "womöglich" in its sentence
    _set_note(claims, "c03-2", "stated: the deployment itself is a fact; 'wohl' bears on Tokayev.")
    [warning] = [w.message for w in lint(data_copy) if "c03-2" in w.message]
    assert '"womöglich"' in warning and '"wohl"' not in warning


def test_validate_prints_warnings_and_exits_0(runner, data_copy):
    claims = data_copy / DATASET / "claims.yaml"
    c06 = next(c for c in _claims().claims if c.id == "c06-1")
    _set_field(claims, c06.modality_line, "modality", "stated")
    result = runner.invoke(main, ["validate", "--data", str(data_copy), "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    assert f"{claims}:{c06.modality_line}: warning: claim c06-1 is stated" in result.stderr
    assert result.stdout.startswith("valid: 1 dataset(s)")
    assert result.stdout.rstrip().endswith(("(1 warning)", "warnings)"))


def test_warnings_never_block_a_build(runner, data_copy, tmp_path):
    claims = data_copy / DATASET / "claims.yaml"
    c06 = next(c for c in _claims().claims if c.id == "c06-1")
    _set_field(claims, c06.modality_line, "modality", "stated")
    assert "c06-1" in _warned(lint(data_copy))
    result = runner.invoke(main, ["build", "--data", str(data_copy), "--ontology", str(ONTOLOGY),
                                  "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output
    turtle = (tmp_path / "out" / f"{DATASET}.ttl").read_text(encoding="utf-8")
    statement = turtle.split(f"claim:{DATASET}-c06-1 a ", 1)[1].split(" .\n", 1)[0]
    assert "kg:modality kg:stated ;" in statement  # the graph follows the data, not the lint
