"""Fuzzing ``kgraph ingest``: random bytes, encodings, line ends, numbering and hostile text.

Property: ``ingest`` refuses the input with one line naming the problem, or
plans a dataset that, once written, reads back without a single problem,
with every post text exactly as ``ingest`` found it — the data it writes is
data ``kgraph build`` accepts.
"""

from __future__ import annotations

import functools
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, DATASET, ONTOLOGY
from hardening import HOSTILE, any_char, assert_clean_exit, fuzz_settings
from kgraph.cli import main
from kgraph.errors import KgraphError
from kgraph.ingest import ingest, write
from kgraph.rdf.checks import check_datasets
from kgraph.rdf.ontology import load_vocabulary
from kgraph.source.reading import read_dataset

MARKERS = ["({n}/{m})", "{n}/{m}", "{n}/", "({n})", "🧵{n}", "🧵 {n}/{m}", "{n}.", "[{n}/{m}]", "({n}/{m}) 👇",
           "{n}/{m} 🧵"]
HEADERS = ["", "Thread by @nikitagerassimow\n", "Nikita Gerassimow Profile picture\n@NGerassimow\n",
           "Jan 11, 2022, 3 tweets\n", "11.01.2022\n", "by Someone Else\n2022-01-12\n", "author: @x\n",
           "Thread by @\u202eevil\n2022-01-11\n", "Share this Scrolly Tale\n"]
WORDS = ["Tokayev", "Toqajev", "Nasarbajev", "OVKS", "Kasachstan", "Masimov", "Biden", "#Kazakhstan",
         "https://t.co/x", "@someone", "Almaty", "der", "und", "the", "Präsident", "\u202e", "\x9b31m", "\r"]


@functools.cache
def _bundled():
    return read_dataset(DATA / DATASET)[0], load_vocabulary(ONTOLOGY)


post_text = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
    st.text(any_char, max_size=80),
    st.sampled_from(HOSTILE),
)


@st.composite
def threads(draw):
    """The text of a saved thread: a header, posts with markers (in order or not), odd line ends."""
    count = draw(st.integers(1, 8))
    numbers = draw(st.one_of(
        st.just(list(range(1, count + 1))),
        st.lists(st.integers(0, 30), min_size=count, max_size=count),
        st.just([10**30 + i for i in range(count)]),
    ))
    marker = draw(st.sampled_from(MARKERS))
    at_end = draw(st.booleans())
    total = draw(st.sampled_from([count, count + 3, 0, 9999]))
    posts = []
    for n in numbers:
        text = draw(post_text)
        mark = marker.format(n=n, m=total or "")
        posts.append(f"{text}\n{mark}" if at_end else f"{mark} {text}")
    body = draw(st.sampled_from(HEADERS)) + "\n" + draw(st.sampled_from(["\n\n", "\n", "\n\n\n"])).join(posts)
    return body.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))


encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"])


@st.composite
def inputs(draw):
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=3000))
    text = draw(threads())
    encoding = draw(encodings)
    # Lone surrogates make invalid UTF-8/16/32 on purpose; other codecs write "?" for what they lack.
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") and draw(st.booleans())
                       else "replace")


def _ingest_or_refuse(tmp_path, data: bytes, **options):
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    try:
        result = ingest(data, source_name="fuzz.txt", data_dir=DATA, out_dir=out, **options)
    except KgraphError as exc:
        assert "\n" not in str(exc), str(exc)
        return None
    write(result)
    return result


@fuzz_settings(ci=100, stress=1500)
@given(data=inputs(), author=st.sampled_from([None, "Test Author", "nikita-gerassimow", "@\u202eevil", "!!"]),
       date=st.sampled_from([None, "2022-01-12", "12.01.2022"]))
@pytest.mark.slow
def test_ingested_data_reads_back_clean_and_verbatim(tmp_path, data, author, date):
    result = _ingest_or_refuse(tmp_path, data, author=author, date=date)
    if result is None:
        return
    dataset, problems = read_dataset(result.folder)
    assert problems == [], [str(p) for p in problems]
    assert [(p.number, p.text) for p in dataset.posts] == sorted((p.number, p.text) for p in result.posts)
    bundled, vocabulary = _bundled()
    assert check_datasets([bundled, dataset], vocabulary) == []


@pytest.mark.parametrize("option, value", [
    ("--name", "foo\n"), ("--name", "Foo"), ("--date", "2022-01-11\n"), ("--lang", "de\n"), ("--lang", "x y"),
    ("--author", "\x1b[31mred"), ("--author", "\u202eevil"), ("--author", "Some One"), ("--name", "ok-name"),
])
def test_odd_options_are_refused_or_read_back_clean(runner, tmp_path, option, value):
    thread = b"Jan 11, 2022\n\nFirst post\n(1/2)\n\nSecond post\n(2/2)\n"
    out = tmp_path / "out"
    author = [] if option == "--author" else ["--author", "Some One"]
    result = runner.invoke(main, ["ingest", "-", "--data", str(DATA), "--out", str(out), *author, option, value],
                           input=thread)
    assert_clean_exit(result)
    if value in ("Some One", "ok-name"):
        assert result.exit_code == 0, result.stderr
    if result.exit_code == 0:
        folder = next(out.iterdir())
        assert read_dataset(folder)[1] == []


@fuzz_settings(ci=40)
@given(data=inputs())
def test_the_ingest_command_answers_in_one_line(runner, tmp_path, data):
    out = tmp_path / "cli"
    shutil.rmtree(out, ignore_errors=True)
    result = runner.invoke(main, ["ingest", "-", "--data", str(DATA), "--out", str(out), "--date", "2022-01-12",
                                  "--author", "Test Author"], input=data)
    assert_clean_exit(result, allowed=(0, 1))


def test_more_posts_than_the_header_declares_still_builds(tmp_path):
    # Found by the fuzzer: "3 tweets" in the header, markers up to 4/4; the file said
    # declared_posts: 3 beside post 4, which the data reader refuses.
    thread = b"Jan 11, 2022, 3 tweets\n\n(1/4) \n\n(2/4) Tokayev\n\n(3/4) Tokayev\n\n(4/4) Tokayev"
    result = _ingest_or_refuse(tmp_path, thread, author="Test Author")
    dataset, problems = read_dataset(result.folder)
    assert problems == [] and dataset.declared_posts == 4
    assert any("beyond the 3 posts declared" in w for w in result.warnings)

