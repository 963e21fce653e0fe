"""A data error names the line of the field that is wrong, not the first line of its record.

Each test writes a small dataset whose records spread over several lines, breaks
one field, and expects ``FILE:LINE`` of that field from the library, ``kgraph
validate`` and ``kgraph build`` (one line, exit 1, no traceback).
"""

from __future__ import annotations

import pytest

from conftest import ONTOLOGY
from kgraph.cli import main
from kgraph.compose import build
from kgraph.errors import DataError
from kgraph.rdf.validate import validate

THREAD = """\
dataset: tiny
title:
  en: A tiny thread
  de: Ein kleiner Thread
author: author
date: 2022-01-11
language: de
posts:
- number: 1
  text: Tokayev hat den Chef des KNB entlassen.
  mentions:
  - tokayev
- number: 2
  text: Der Sicherheitsapparat hat wohl Schläferzellen versteckt.
"""

ACTORS = """\
actors:
- id: author
  type: person
  label: {en: The author, de: Der Autor}
- id: tokayev
  type: person
  label: {en: Tokayev, de: Toqajev}
- id: knb-chief
  type: person
  label: {en: KNB chief, de: KNB-Chef}
"""

CLAIMS = """\
claims:
- id: c1
  post: 1
  subject: tokayev
  relation: dismissed
  object: knb-chief
  asserted_by: author
  modality: stated
  when: 2022-01-08
  quote: Tokayev hat den Chef des KNB entlassen
"""


def _write(root, thread=THREAD, actors=ACTORS, claims=CLAIMS, name="tiny"):
    folder = root / "data" / name
    folder.mkdir(parents=True)
    for file, text in (("thread.yaml", thread), ("actors.yaml", actors), ("claims.yaml", claims)):
        (folder / file).write_text(text.replace("dataset: tiny", f"dataset: {name}"), encoding="utf-8")
    return root / "data"


def _line(text: str, needle: str) -> int:
    (number,) = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return number


def _expect(tmp_path, runner, data, file: str, line: int, message: str) -> None:
    """The library and both commands report ``message`` at ``file:line`` of the tiny dataset."""
    where = f"{data / 'tiny' / file}:{line}: "
    problems = [str(p) for p in validate(data, ONTOLOGY).problems]
    assert problems == [where + message]
    with pytest.raises(DataError) as raised:
        build(data, ONTOLOGY, tmp_path / "graph", html=False)
    assert str(raised.value) == where + message
    checked = runner.invoke(main, ["validate", "--data", str(data)])
    assert checked.exit_code == 1 and checked.output.splitlines() == [where + message, "kgraph: error: 1 problem found"]
    built = runner.invoke(main, ["build", "--data", str(data), "--out", str(tmp_path / "graph"), "--no-html"])
    assert built.exit_code == 1 and built.output == f"kgraph: error: {where}{message}\n"
    assert not (tmp_path / "graph" / "tiny.ttl").exists()


def test_the_clean_tiny_dataset_builds(tmp_path):
    assert validate(_write(tmp_path), ONTOLOGY).ok


def test_a_quote_not_verbatim_names_the_quote_line(tmp_path, runner):
    claims = CLAIMS.replace("quote: Tokayev hat den Chef des KNB entlassen",
                            "quote: Tokayev hat den KNB-Chef entlassen")
    data = _write(tmp_path, claims=claims)
    line = _line(claims, "quote:")
    assert line == _line(claims, "- id: c1") + 8
    _expect(tmp_path, runner, data, "claims.yaml", line,
            "quote of claim c1 is not verbatim in post 1: it matches up to 'Tokayev hat den ', "
            "then differs at 'KNB-Chef entlassen'")


def test_a_folded_quote_names_the_line_of_its_key(tmp_path, runner):
    claims = CLAIMS.replace("  quote: Tokayev hat den Chef des KNB entlassen",
                            "  quote: >-\n    Tokayev hat den Chef\n    des FSB entlassen")
    data = _write(tmp_path, claims=claims)
    _expect(tmp_path, runner, data, "claims.yaml", _line(claims, "quote:"),
            "quote of claim c1 is not verbatim in post 1: it matches up to 'Tokayev hat den Chef des ', "
            "then differs at 'FSB entlassen'")


@pytest.mark.parametrize(("field", "old", "new", "message"), [
    ("subject:", "subject: tokayev", "subject: tokayew",
     "unknown actor 'tokayew' as subject of claim c1; did you mean 'tokayev'?"),
    ("object:", "object: knb-chief", "object: knb-chef",
     "unknown actor 'knb-chef' as object of claim c1; did you mean 'knb-chief'?"),
    ("asserted_by:", "asserted_by: author", "asserted_by: authors",
     "unknown actor 'authors' as asserted_by of claim c1; did you mean 'author'?"),
    ("relation:", "relation: dismissed", "relation: dismised",
     "unknown relation 'dismised' in claim c1; did you mean 'dismissed'?"),
    ("post:", "post: 1", "post: 3", "claim c1 cites post 3, out of range 1..2"),
    ("object:", "object: knb-chief", "object: tokayev", "claim c1 links 'tokayev' to itself"),
])
def test_a_claim_field_names_its_own_line(tmp_path, runner, field, old, new, message):
    claims = CLAIMS.replace(old, new)
    data = _write(tmp_path, claims=claims)
    _expect(tmp_path, runner, data, "claims.yaml", _line(claims, field), message)


def test_the_wrong_kind_of_actor_names_the_line_of_that_end(tmp_path, runner):
    actors = ACTORS + "- id: kazakhstan\n  type: country\n  label: {en: Kazakhstan, de: Kasachstan}\n"
    claims = CLAIMS.replace("relation: dismissed", "relation: presidentOf").replace(
        "object: knb-chief", "object: kazakhstan").replace("subject: tokayev", "subject: kazakhstan")
    claims = claims.replace("quote: Tokayev hat den Chef des KNB entlassen", "quote: Tokayev")
    data = _write(tmp_path, actors=actors, claims=claims)
    problems = [str(p) for p in validate(data, ONTOLOGY).problems]
    where = data / "tiny" / "claims.yaml"
    assert f"{where}:{_line(claims, 'subject:')}: 'presidentOf' needs a Person as subject, but 'kazakhstan' " \
           "is a country (claim c1)" in problems


def test_the_thread_author_names_the_author_line(tmp_path, runner):
    thread = THREAD.replace("author: author", "author: autor")
    data = _write(tmp_path, thread=thread, claims="claims: []\n")
    _expect(tmp_path, runner, data, "thread.yaml", _line(thread, "author:"),
            "unknown actor 'autor' as the dataset's author; did you mean 'author'?")


def test_an_unknown_mention_names_the_mentions_line(tmp_path, runner):
    thread = THREAD.replace("  - tokayev", "  - tokajev")
    data = _write(tmp_path, thread=thread)
    _expect(tmp_path, runner, data, "thread.yaml", _line(thread, "mentions:"),
            "unknown actor 'tokajev' as a mention in post 1; did you mean 'tokayev'?")


def test_a_post_number_twice_names_the_number_line(tmp_path, runner):
    thread = THREAD.replace("- number: 2\n  text:", "- text:") + "  number: 1\n"
    data = _write(tmp_path, thread=thread, claims="claims: []\n")
    where = data / "tiny" / "thread.yaml"
    first = _line(thread, "- number: 1")
    _expect(tmp_path, runner, data, "thread.yaml", _line(thread, "  number: 1"),
            f"post 1 appears twice (first at {where}:{first})")


def test_an_actor_defined_twice_names_the_id_line(tmp_path, runner):
    actors = ACTORS + "- type: person\n  label: {en: Tokayev again, de: Toqajev}\n  id: tokayev\n"
    data = _write(tmp_path, actors=actors)
    where = data / "tiny" / "actors.yaml"
    _expect(tmp_path, runner, data, "actors.yaml", _line(actors, "  id: tokayev"),
            f"actor id 'tokayev' is defined twice (first at {where}:{_line(actors, '- id: tokayev')})")


def test_an_actor_type_that_differs_across_datasets_names_the_type_line(tmp_path):
    data = _write(tmp_path)
    other = ACTORS.replace("- id: knb-chief\n  type: person", "- id: knb-chief\n  type: group")
    _write(tmp_path, actors=other, claims="claims: []\n", name="uvw")
    problems = [str(p) for p in validate(data, ONTOLOGY).problems]
    first = f"{data / 'tiny' / 'actors.yaml'}:{_line(ACTORS, '- id: knb-chief')}"
    assert problems == [f"{data / 'uvw' / 'actors.yaml'}:{_line(other, 'type: group')}: actor 'knb-chief' has type "
                        f"'group' here but 'person' at {first}"]
