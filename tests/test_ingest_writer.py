"""The YAML ingest writes reads back, with ruamel and with kgraph's own reader,
to exactly the texts it was given."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kgraph.ingest.writer import author_yaml, literal_safe, post_yaml, thread_yaml
from kgraph.source.reading import read_dataset

META = {"dataset": "t", "title": {"de": "Update #Kazakhstan ."}, "author": "jane-doe", "date": "2022-01-11",
        "language": "de", "declared_posts": 2, "source": "x.txt, read by kgraph ingest"}


def load(text: str):
    return YAML(typ="rt").load(io.StringIO(text))


# Any text a decoded thread can hold: no surrogates, no NUL.
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1)


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True), max_size=3))
def test_any_post_text_reads_back_unchanged(text, mentions):
    item = load(post_yaml(3, text, mentions))[0]
    assert item["number"] == 3
    assert str(item["text"]) == text
    assert [str(m) for m in item.get("mentions", [])] == mentions


def test_ordinary_posts_are_literal_blocks():
    text = "Update #Kazakhstan .\nIm Überblick:\n\n- OVKS-Truppen ziehen ab\n(1/23)"
    assert literal_safe(text)
    assert post_yaml(1, text, []).startswith("- number: 1\n  text: |-\n    Update #Kazakhstan .\n")


def test_texts_a_literal_block_cannot_hold_are_quoted():
    long = "x\u2028" + "word " * 3000 + "\n\n  end"
    for text in ("line\u2028separator", "  indented", "trailing ", "nel\x85", "bom\ufeff", long):
        assert not literal_safe(text)
        assert str(load(post_yaml(1, text, []))[0]["text"]) == text


def test_ids_that_yaml_would_read_as_other_things_are_quoted():
    item = load(post_yaml(1, "x", ["true", "null", "2022", "tokayev"]))[0]
    assert list(item["mentions"]) == ["true", "null", "2022", "tokayev"]


def test_a_written_dataset_is_read_cleanly_by_kgraph(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    posts = [(1, "Toqajev spricht.\n(1/2)", ["jane-doe"]), (2, "Ende #Kazakhstan\n(2/2)", [])]
    (folder / "thread.yaml").write_text(thread_yaml(META, posts), encoding="utf-8")
    (folder / "actors.yaml").write_text(author_yaml("jane-doe", "Jane Doe", "t"), encoding="utf-8")
    dataset, problems = read_dataset(folder)
    assert problems == []
    assert [(p.number, p.text, p.mentions) for p in dataset.posts] == posts
    assert dataset.title == {"de": "Update #Kazakhstan ."} and dataset.date == "2022-01-11"
    assert dataset.posts[1].hashtags == ["Kazakhstan"]
    [author] = dataset.actors
    assert (author.id, author.type, author.labels) == ("jane-doe", "person", {"en": "Jane Doe", "de": "Jane Doe"})


def test_the_reader_takes_the_hashtags_ingest_takes(tmp_path):
    # One rule (kgraph.util.patterns.HASHTAG): a fragment in a link or a doubled sign is no hashtag.
    from kgraph.ingest.candidates import find_candidates

    text = "Quelle: https://example.org/bericht#abschnitt ##doppelt #Kazakhstan\n(1/1)"
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "thread.yaml").write_text(thread_yaml({**META, "declared_posts": 1}, [(1, text, [])]), encoding="utf-8")
    (folder / "actors.yaml").write_text(author_yaml("jane-doe", "Jane Doe", "t"), encoding="utf-8")
    dataset, problems = read_dataset(folder)
    assert problems == []
    tagged = [c.name.lstrip("#") for c in find_candidates(text, [], "de") if c.kind == "hashtag"]
    assert dataset.posts[0].hashtags == ["Kazakhstan"] == tagged
