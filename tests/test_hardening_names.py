"""Fuzzing the names people type: ``NameIndex.resolve`` and ``kgraph show``/``path``.

Property: any text finds one actor, or fails with UnknownActor,
AmbiguousActor or a one-line KgraphError (exit 1); never a traceback or a
hang, and what reaches the terminal shows control characters as escapes.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardening import HOSTILE, any_text, assert_clean_exit, fuzz_settings, kgraph
from kgraph.cli import main
from kgraph.errors import AmbiguousActor, KgraphError, UnknownActor
from kgraph.network.names import NameIndex
from kgraph.util.textsafe import term_safe


@pytest.fixture(scope="module")
def index(projection):
    return NameIndex(projection.actors.values())


def _names(projection):
    return sorted({n for a in projection.actors.values() for n in NameIndex.names_of(a)})


@st.composite
def typed_names(draw, names):
    """Arbitrary text, or a real name with typos, odd case, accents and controls mixed in."""
    if draw(st.booleans()):
        return draw(any_text)
    name = list(draw(st.sampled_from(names)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(name)))
        edit = draw(st.sampled_from(["insert", "delete", "upper", "accent"]))
        if edit == "insert":
            name.insert(at, draw(st.sampled_from(["\u202e", "\x1b", "\u0301", " ", "-", "x", "\u200b", "\x00"])))
        elif name and at < len(name):
            name[at] = {"delete": "", "upper": name[at].upper(), "accent": name[at] + "\u0301"}[edit]
    return "".join(name)


def test_every_name_of_an_actor_finds_it_or_is_shared(index, projection):
    for actor in projection.actors.values():
        assert index.resolve(actor.id) is actor
        for name in NameIndex.names_of(actor):
            try:
                assert index.resolve(name).id == actor.id, name
            except AmbiguousActor as exc:
                assert any(f"({actor.id})" in c for c in exc.candidates), (name, exc.candidates)


@fuzz_settings(ci=400)
@given(data=st.data())
def test_resolve_finds_one_actor_or_says_why(index, projection, data):
    name = data.draw(typed_names(_names(projection)))
    try:
        actor = index.resolve(name)
    except (UnknownActor, AmbiguousActor) as exc:
        assert "\n" not in str(exc)
        return
    except KgraphError as exc:
        assert str(exc) in ("empty actor name",) or str(exc).startswith("actor name too long")
        return
    assert actor.id in projection.actors


def _visible(text: str) -> None:
    """Terminal output holds no raw control characters: term_safe would change nothing."""
    assert term_safe(text) == text, [c for c in text if term_safe(c) != c][:5]


@fuzz_settings(ci=80)
@given(data=st.data(), command=st.sampled_from(["show", "path", "neighbours"]))
def test_show_and_path_take_any_name(runner, built_dir, projection, data, command):
    names = _names(projection)
    args = [command, data.draw(typed_names(names), label="name")]
    if command == "path":
        args.append(data.draw(typed_names(names), label="target"))
    result = runner.invoke(main, [*args, "--graph", str(built_dir)])
    # A name that starts with "-" reads as an option: a usage error unless written after "--".
    assert_clean_exit(result, allowed=(0, 1, 2) if any(a.startswith("-") for a in args[1:]) else (0, 1))
    _visible(result.stdout)
    _visible(result.stderr)


@pytest.mark.parametrize("name", [*HOSTILE, "x" * 10_000, "-", "\udcff\udcfe"])
def test_hostile_names_are_echoed_as_escapes(runner, built_dir, name):
    result = runner.invoke(main, ["show", name, "--graph", str(built_dir)])
    assert_clean_exit(result, allowed=(1,))
    _visible(result.stderr)


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"\xed\xa0\x80", b"Tok\x1b[31mayev", b"\xe2\x80\xae", b"--", b"-x"])
def test_undecodable_argv_in_the_real_console_script(built_dir, raw):
    result = kgraph("show", raw, "--graph", str(built_dir))
    assert_clean_exit(result)
    _visible(result.stdout.decode("utf-8"))
    _visible(result.stderr.decode("utf-8"))
