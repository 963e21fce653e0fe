"""Fuzzing the data files: whatever is in data/, kgraph builds a sound graph or names the problem.

Property, for random documents, random mutations of a valid dataset and
random bytes: ``read_dataset`` never raises; a build either writes Turtle
that a second parser (Oxigraph) reads back with every string verbatim, or
fails with :class:`DataError` whose problems all point at ``FILE:LINE`` and
leaves the output folder as it was.
"""

from __future__ import annotations

import functools
import io
import json
import random
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import DATA, DATASET, ONTOLOGY
from hardening import HOSTILE, STRESS, Raw, any_char, any_text, assert_linear_time, fuzz_settings, to_yaml
from kgraph.errors import DataError
from kgraph.rdf import build as build_module
from kgraph.rdf.manifest import MANIFEST
from kgraph.rdf.ontology import load_vocabulary
from kgraph.source.reading import read_dataset

FILES = ("thread.yaml", "actors.yaml", "claims.yaml")
# Fields whose text must come out of the graph exactly as it went in.
VERBATIM_KEYS = {"text", "quote", "label", "aliases", "title", "period", "what", "unit", "source"}
# Fields the graph stores with runs of white space folded to one space.
FOLDED_KEYS = {"description", "note"}


def _seed() -> dict[str, dict]:
    """Posts 1-3 of the bundled thread with their claims and actors: small, valid, realistic."""
    yaml = YAML(typ="safe")
    docs = {name: yaml.load((DATA / DATASET / name).read_text(encoding="utf-8")) for name in FILES}
    thread = docs["thread.yaml"]
    thread["posts"] = [p for p in thread["posts"] if p["number"] <= 3]
    claims = [c for c in docs["claims.yaml"]["claims"] if c["post"] <= 3]
    used = {thread["author"]} | {c[k] for c in claims for k in ("subject", "object", "asserted_by") if k in c}
    actors = [a for a in docs["actors.yaml"]["actors"] if a["id"] in used]
    for post in thread["posts"]:
        post.pop("mentions", None)
    thread["date"] = str(thread["date"])
    return {"thread.yaml": thread, "actors.yaml": {"actors": actors}, "claims.yaml": {"claims": claims}}


SEED = _seed()


@functools.cache
def _vocabulary():
    return load_vocabulary(ONTOLOGY)


@pytest.fixture(autouse=True)
def _cached_vocabulary(monkeypatch):
    # The ontology never changes here; loading it once keeps hundreds of builds fast.
    monkeypatch.setattr(build_module, "load_vocabulary", lambda _dir: _vocabulary())


# --- strategies -----------------------------------------------------------------

huge_text = st.builds(lambda c, n: c * n, any_char,
                      st.sampled_from([1_000, 20_000, 1_000_000] if STRESS else [1_000, 20_000]))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**80), 2**80),
    st.floats(allow_nan=True, allow_infinity=True), any_text, huge_text,
    st.sampled_from([Raw("1" + "0" * 5000), Raw("!!binary aGVsbG8="), Raw("!!timestamp 2022-01-11T10:00:00Z"),
                     Raw("&a [1, 2]"), Raw("*nowhere"), Raw("!!python/object:os.system {}"), Raw("0x1F"),
                     Raw("2022-13-45"), Raw("~"), Raw("'single ''quoted'''"), Raw("!custom x")]),
)
values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                      | st.dictionaries(st.one_of(any_text, st.integers()), kids, max_size=4), max_leaves=8)
keys = st.one_of(st.sampled_from(sorted({
    "dataset", "title", "author", "date", "language", "declared_posts", "source", "posts", "actors", "claims",
    "number", "text", "mentions", "id", "type", "label", "aliases", "wikidata", "description", "post",
    "subject", "relation", "object", "quote", "asserted_by", "modality", "when", "from", "until", "period",
    "note", "quantities"})), any_text)
# Values that look right but are not: the edge of each field's grammar.
near_misses = st.sampled_from([
    "tokayev\n", "Tokayev", "tokayev ", "-x", "kazakhstan-2022\n", "2022-01-11\n", "2022-1-1", "Q1\n", "Q0",
    "de de", "x y", "", " ", "\t", "\u00a0", "e\u0301", "Q232", "stated\n", "memberOf", "person",
    "1", "1.5", "-1", "0", "en", "ru", "zz-ZZ-1234", "123",
])


def _entries(docs):
    """Every mutable spot: (file, the mapping, label)."""
    spots = [(name, doc, name) for name, doc in docs.items() if isinstance(doc, dict)]
    for name, doc in docs.items():
        if not isinstance(doc, dict):
            continue
        for section in ("posts", "actors", "claims"):
            items = doc.get(section)
            if isinstance(items, list):
                spots += [(name, item, f"{section}[{i}]") for i, item in enumerate(items) if isinstance(item, dict)]
    return spots


@st.composite
def mutated(draw):
    """The seed dataset with 1-3 random changes; returns (docs, strings that must survive)."""
    docs = json.loads(json.dumps(SEED))
    touched: list[tuple[dict, object]] = []  # (entry, key) whose final text must reach the graph
    for _ in range(draw(st.integers(1, 3))):
        spots = _entries(docs)
        if not spots:
            break
        name, entry, _ = draw(st.sampled_from(spots))
        op = draw(st.sampled_from(["set", "set", "near", "delete", "quote", "duplicate", "whole"]))
        key = draw(st.sampled_from(sorted(entry, key=str)) if entry and op != "set" else keys)
        if op == "set":
            entry[key] = draw(values)
        elif op == "near":
            entry[key] = draw(near_misses)
        elif op == "delete":
            entry.pop(key, None)
            continue
        elif op == "quote":
            # Hostile text added to a post and a quote cut from it: the verbatim check passes.
            added = draw(st.one_of(any_text, huge_text, st.sampled_from(HOSTILE))) or "x"
            thread, claims_doc = docs["thread.yaml"], docs["claims.yaml"]
            posts = thread.get("posts") if isinstance(thread, dict) else None
            claims = claims_doc.get("claims") if isinstance(claims_doc, dict) else None
            if not posts or not claims or not isinstance(posts[0], dict) or not isinstance(claims[0], dict) \
                    or not isinstance(posts[0].get("text"), str):
                continue
            posts[0]["text"] += "\n" + added
            start = draw(st.integers(0, len(added) - 1))
            claims[0]["quote"] = added[start:start + draw(st.integers(1, 200))]
            claims[0]["post"] = posts[0].get("number")
            touched += [(posts[0], "text"), (claims[0], "quote")]
            continue
        elif op == "duplicate":
            for section in ("posts", "actors", "claims"):
                if isinstance(entry.get(section), list) and entry[section]:
                    entry[section].append(json.loads(json.dumps(entry[section][0])))
            continue
        else:
            docs[name] = draw(values)
            continue
        touched.append((entry, key))
    return docs, _final_texts(docs, touched)


def _final_texts(docs, touched) -> list[tuple[str, str]]:
    """The texts the touched fields hold in the end (a later change may replace an earlier one)."""
    alive, stack = set(), list(docs.values())
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            alive.add(id(node))
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    found = []
    for entry, key in touched:
        if id(entry) not in alive or not isinstance(key, str) or key not in entry:
            continue
        value = entry[key]
        for text in value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]:
            if isinstance(text, str) and not isinstance(text, Raw):
                found.append((key, text))
    return found


def _write(folder: Path, docs: dict, style: str) -> int:
    """Write ``docs`` as YAML files into ``folder``; return how many bytes that made."""
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for name, doc in docs.items():
        text = to_yaml(doc)
        if style == "ruamel":
            try:
                out = io.StringIO()
                yaml = YAML(typ="safe", pure=True)
                yaml.allow_unicode = True
                yaml.dump(json.loads(json.dumps(doc)), out)
                text = out.getvalue()
            except Exception:  # noqa: BLE001 - ruamel cannot write some values; our writer can
                pass
        size += (folder / name).write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return size


def _check_problems(problems, folder: Path) -> None:
    for problem in problems:
        assert Path(problem.file).parent == folder or Path(problem.file) == folder, problem
        assert problem.line >= 1, problem
        assert "\n" not in str(problem), repr(str(problem))


def _literals(ttl: bytes) -> set[str]:
    store = ox.Store()
    store.load(ttl, format=ox.RdfFormat.TURTLE)
    return {q.object.value for q in store if isinstance(q.object, ox.Literal)}


def _build_or_explain(tmp_path: Path, docs: dict, style: str) -> set[str] | None:
    """Build ``docs``; return the literals of the graph, or None when the data was refused."""
    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    folder = data / DATASET
    size = _write(folder, docs, style)
    started = time.perf_counter()
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    (out / "previous.ttl").write_bytes(b"# the previous build\n")
    try:
        build_module.build(data, ONTOLOGY, out)
    except DataError as exc:
        assert_linear_time(started, size)
        assert exc.problems
        _check_problems(exc.problems, folder)
        assert sorted(p.name for p in out.iterdir()) == ["previous.ttl"]
        return None
    assert_linear_time(started, size)
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{DATASET}.ttl", MANIFEST, "previous.ttl"])
    return _literals((out / f"{DATASET}.ttl").read_bytes())


@pytest.mark.slow
@fuzz_settings(ci=50, stress=1000, deadline=None)
@given(case=mutated(), style=st.sampled_from(["ours", "ruamel"]))
def test_mutated_dataset_builds_verbatim_or_names_the_problem(tmp_path, case, style):
    docs, expected = case
    literals = _build_or_explain(tmp_path, docs, style)
    if literals is None:
        return
    for key, text in expected:
        if key in VERBATIM_KEYS:
            assert text in literals, (key, text[:80])
        elif key in FOLDED_KEYS:
            assert " ".join(text.split()) in literals, (key, text[:80])


@pytest.mark.slow
@fuzz_settings(ci=40, stress=600, deadline=None)
@given(docs=st.fixed_dictionaries({name: values for name in FILES}))
def test_random_documents_are_refused_with_a_location(tmp_path, docs):
    folder = tmp_path / DATASET
    shutil.rmtree(folder, ignore_errors=True)
    size = _write(folder, docs, "ours")
    started = time.perf_counter()
    dataset, problems = read_dataset(folder)
    assert_linear_time(started, size)
    _check_problems(problems, folder)
    assert problems, "random documents cannot be a complete dataset"


yaml_tokens = st.sampled_from(["- ", ": ", "? ", "&a ", "*a ", "!!str ", "!!binary ", "<<: *a", "---", "...",
                               "%YAML 1.1", "%TAG ! tag:x:", "|", ">-", "\t", "  ", "#", "'", '"', "[", "]",
                               "{", "}", ",", "\n", "\r\n", "\ufeff", "\x00", "\x1b"])


@pytest.mark.slow
@fuzz_settings(ci=50, stress=600)
@given(raw=st.one_of(st.binary(max_size=2000),
                     st.lists(st.one_of(yaml_tokens, any_text), max_size=60).map(
                         lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))),
       at=st.integers(0, 2), splice=st.booleans())
def test_random_bytes_are_refused_with_a_location(tmp_path, raw, at, splice):
    folder = tmp_path / DATASET
    shutil.rmtree(folder, ignore_errors=True)
    _write(folder, SEED, "ours")
    target = folder / FILES[at]
    if splice:
        # Random bytes in the middle of a valid file reach deeper into the parser.
        original = target.read_bytes()
        cut = random.Random(len(raw)).randrange(len(original))
        raw = original[:cut] + raw + original[cut:]
    target.write_bytes(raw)
    dataset, problems = read_dataset(folder)
    _check_problems(problems, folder)


def test_the_seed_itself_builds(tmp_path):
    literals = _build_or_explain(tmp_path, SEED, "ours")
    assert literals is not None and SEED["thread.yaml"]["posts"][0]["text"] in literals


def _refusal(tmp_path, docs) -> str:
    """Every problem kgraph finds in ``docs``, one per line; fails if the data builds."""
    assert _build_or_explain(tmp_path, docs, "ours") is None, "built a graph from bad data"
    with pytest.raises(DataError) as info:
        build_module.build_graphs(tmp_path / "data", ONTOLOGY)
    return "\n".join(str(p) for p in info.value.problems)


@pytest.mark.parametrize("field, value, message", [
    ("id", "tokayev\n", "must be lower-case letters, digits and hyphens"),
    ("wikidata", "Q1\n", "is not a QID"),
    ("label", {"en": "Tokayev", "x y": "bad tag"}, "language tag"),
    ("label", {"en": "Tokayev", "de": "lone \ud800 surrogate"}, "surrogate"),
    ("aliases", ["red \x1b[31m alias"], "control character"),
])
def test_actor_field_regressions(tmp_path, field, value, message):
    docs = json.loads(json.dumps(SEED))
    docs["actors.yaml"]["actors"][0][field] = value
    assert message in _refusal(tmp_path, docs)


@pytest.mark.parametrize("file, field, value, message", [
    ("thread.yaml", "date", "2022-01-11\n", "not YYYY-MM-DD"),
    ("thread.yaml", "language", "de de", "language tag"),
    ("thread.yaml", "title", {"1": "numbered"}, "language tag"),
])
def test_thread_field_regressions(tmp_path, file, field, value, message):
    docs = json.loads(json.dumps(SEED))
    docs[file][field] = value
    assert message in _refusal(tmp_path, docs)


@pytest.mark.parametrize("value, message", [
    (Raw(".nan"), "must be a finite number"), (Raw(".inf"), "must be a finite number"),
    (Raw("1" + "0" * 400), "must be a finite number"),
    (Raw("1" + "0" * 5000), "claims.yaml:2: unreadable value: Exceeds the limit (4300 digits)"),
    (Raw("2022-13-45"), "claims.yaml:2: unreadable value: month must be in 1..12"),
])
def test_quantities_must_be_finite_numbers(tmp_path, value, message):
    docs = json.loads(json.dumps(SEED))
    claim = next(c for c in docs["claims.yaml"]["claims"] if c.get("quantities"))
    assert claim is docs["claims.yaml"]["claims"][0]
    claim["quantities"][0] = {**claim["quantities"][0], "value": value}
    assert message in _refusal(tmp_path, docs)


@pytest.mark.parametrize("text, message", [
    # The scanner's cost grows with the square of the depth: 1,200 brackets took 11 s before the guard.
    ("actors: " + "[" * 1200 + "]" * 1200, "malformed YAML: more than 64 nested brackets"),
    ("actors: " + "{a: " * 5000 + "}" * 5000, "malformed YAML: more than 64 nested brackets"),
    ("".join(f"{' ' * i}a{i}:\n" for i in range(3000)), "malformed YAML: nested too deeply"),
])
def test_yaml_nested_too_deeply_is_refused_quickly(tmp_path, text, message):
    folder = tmp_path / DATASET
    _write(folder, SEED, "ours")
    (folder / "actors.yaml").write_text(text + "\n", encoding="utf-8")
    started = time.perf_counter()
    _, problems = read_dataset(folder)
    assert [p.message for p in problems] == [message]
    assert time.perf_counter() - started < 2
