"""Fuzzing ``kgraph query`` with arbitrary SPARQL text.

Property: an answer (exit 0), or one line on stderr and exit 1 — a syntax
error, a refused update, a time-out; never a traceback, never a hang, never
a change to the graph. Queries run in a forked worker process so that one
that runs forever (a cartesian product) can be killed without harming the
test session; ``--timeout`` must end it first.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from hardening import HANG_SECONDS, HOSTILE, any_text, assert_clean_exit, fuzz_settings
from kgraph.util.textsafe import term_safe

UPDATES = ["INSERT DATA { <a:s> <a:p> <a:o> }", "DELETE WHERE { ?s ?p ?o }", "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "LOAD <http://127.0.0.1:9/x.ttl>", "CLEAR ALL", "DROP ALL", "CREATE GRAPH <a:g>", "COPY DEFAULT TO <a:g>",
           "MOVE DEFAULT TO <a:g>", "ADD DEFAULT TO <a:g>", "WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "SELECT * { ?s ?p ?o } ; DROP ALL", "PREFIX x: <a:> DROP ALL", "# comment\nCLEAR DEFAULT"]
TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "*", "?s", "?p", "?o", "?x", "{", "}", ".", ";", ",",
          "(", ")", "FILTER", "regex(?o, \"(a+)+$\")", "OPTIONAL", "UNION", "MINUS", "GRAPH ?g", "VALUES ?x { 1 2 }",
          "BIND(1 AS ?x)", "LIMIT 3", "OFFSET 1", "ORDER BY ?s", "GROUP BY ?s", "(COUNT(*) AS ?n)", "DISTINCT",
          "kg:memberOf", "actor:tokayev", "rdfs:label", "\"lit\"@en", "'x'", "\"\"\"long\"\"\"", "123", "1.5e3",
          "<http://x/>", "#", "\n", "a", "|", "/", "^", "+", "?", "!", "undefined:x", "PREFIX", "BASE <a:>",
          "STRLEN(?o)", "REPLACE(?o, \"a\", \"b\")", "SERVICE <http://127.0.0.1:9/>", "FROM <a:g>", "<<", ">>",
          "true", "UNDEF", "NOW()", "RAND()", "STRUUID()", "sameTerm(?s, ?o)", "EXISTS", "NOT", "IN (1)", "@de"]
# Well-formed queries with arbitrary pieces in them, so that many get answered.
TEMPLATES = [
    "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {n}",
    "SELECT ?s ?label WHERE {{ ?s rdfs:label ?label FILTER(CONTAINS(?label, {lit})) }}",
    "SELECT * WHERE {{ ?s {pred} ?o }} ORDER BY ?s LIMIT {n}",
    "SELECT ?s (COUNT(?o) AS ?n) WHERE {{ ?s {pred} ?o }} GROUP BY ?s",
    "SELECT ?q WHERE {{ ?st kg:quote ?q FILTER(REGEX(?q, {lit}, \"i\")) }} LIMIT {n}",
    "SELECT ?label WHERE {{ {iri} rdfs:label ?label }}",
    "SELECT ?x WHERE {{ VALUES ?x {{ {lit} {iri} {n} }} }}",
    "ASK {{ ?s ?p {lit} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {n}",
    "CONSTRUCT {{ {iri} rdfs:label {lit} }} WHERE {{}}",
    "DESCRIBE {iri}",
]
IRIS = ["actor:tokayev", "actor:csto", "<https://kgraph.example/id/actor/masimov>", "kg:memberOf", "<a:b>",
        "<http://example.org/\u00e9>", "post:kazakhstan-2022-1"]
PREDICATES = ["kg:memberOf", "rdfs:label", "skos:altLabel", "kg:quote", "prov:wasDerivedFrom", "a", "?p",
              "kg:memberOf|kg:loyalTo", "^kg:memberOf", "kg:relation*", "(kg:memberOf/kg:memberOf)?"]


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def sparql_texts():
    filled = st.builds(
        lambda template, lit, iri, pred, n: template.format(lit=lit, iri=iri, pred=pred, n=n),
        st.sampled_from(TEMPLATES), st.one_of(any_text.map(_literal), st.sampled_from(['"x"@en', "42", "true"])),
        st.sampled_from(IRIS), st.sampled_from(PREDICATES), st.integers(0, 10**6))
    return st.one_of(
        filled, filled,
        any_text,
        st.sampled_from(UPDATES + HOSTILE),
        st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25).map(" ".join),
    )


# --- a worker that can be killed ------------------------------------------------

def _limit_memory():
    # A runaway answer must fail inside the worker, not swap the machine.
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))


def _run_cli(args):
    from click.testing import CliRunner

    from kgraph.cli import main

    result = CliRunner().invoke(main, args)
    exception = None if result.exception is None or isinstance(result.exception, SystemExit) \
        else repr(result.exception)
    # The bytes, not result.stdout, which turns CSV's "\r\n" into "\n".
    return result.exit_code, result.stdout_bytes.decode("utf-8", "replace"), result.stderr, exception


def _serve_cli(conn):
    _limit_memory()
    while True:
        try:
            args = conn.recv()
        except EOFError:
            return
        conn.send(_run_cli(args))


def _oxigraph_sort_panic(args) -> bool:
    done = subprocess.run([sys.executable, "-m", "kgraph", *args], capture_output=True, timeout=HANG_SECONDS)
    return done.returncode == -signal.SIGABRT and b"does not correctly implement a total order" in done.stderr


class Worker:
    """One forked process running CLI invocations; replaced after a time-out."""

    def __init__(self):
        self.process = None

    def run(self, args, timeout=HANG_SECONDS):
        if self.process is None:
            context = multiprocessing.get_context("fork")
            self.conn, child = context.Pipe()
            self.process = context.Process(target=_serve_cli, args=(child,), daemon=True)
            self.process.start()
            child.close()
        self.conn.send(args)
        if not self.conn.poll(timeout):
            self.close()
            pytest.fail(f"kgraph {args[:2]} hung for more than {timeout} s")
        try:
            outcome = self.conn.recv()
        except EOFError:
            self.process.join(5)
            code = self.process.exitcode
            self.close()
            if code == -signal.SIGABRT and _oxigraph_sort_panic(args):
                reject()  # the known Oxigraph bug below, not kgraph's
            pytest.fail(f"the process running kgraph {args[:2]} died (exit code {code})")
        if "ran longer than" in outcome[2]:
            # The abandoned query still runs in the worker's background thread.
            self.close()
        return outcome

    def close(self):
        if self.process is not None:
            self.process.kill()
            self.process.join(5)
            self.conn.close()
            self.process = None


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


class Outcome:
    def __init__(self, code, stdout, stderr, exception):
        self.exit_code, self.stdout, self.stderr, self.exception = code, stdout, stderr, exception


@pytest.mark.slow
@fuzz_settings(ci=200)
@given(text=sparql_texts(), fmt=st.sampled_from(["table", "json", "csv", "tsv", "xml", "ttl"]))
def test_any_sparql_text_gets_an_answer_or_one_line(worker, built_dir, text, fmt):
    code, stdout, stderr, exception = worker.run(
        ["query", text, "--graph", str(built_dir), "--format", fmt, "--timeout", "3"])
    assert exception is None, exception
    assert_clean_exit(Outcome(code, stdout, stderr, exception), allowed=(0, 1))
    if fmt == "table":
        assert term_safe(stdout) == stdout


@pytest.mark.parametrize("update", UPDATES)
def test_updates_never_get_through(worker, built_dir, update):
    before = (built_dir / "kazakhstan-2022.ttl").read_bytes()
    code, stdout, stderr, exception = worker.run(["query", update, "--graph", str(built_dir)])
    assert code == 1 and exception is None, (stdout, stderr)
    assert "refused" in stderr or "syntax" in stderr.lower(), stderr
    assert (built_dir / "kazakhstan-2022.ttl").read_bytes() == before


@pytest.mark.parametrize("sparql", [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a",
    "ASK { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(STR(?c) = CONCAT(STR(?f), STR(?i))) }",
])
def test_a_query_that_would_run_forever_times_out(worker, built_dir, sparql):
    code, _, stderr, exception = worker.run(["query", sparql, "--graph", str(built_dir), "--timeout", "0.5"],
                                            timeout=8)
    assert exception is None
    assert code == 1 and stderr.startswith("kgraph: error: the query ran longer than 0.5 s"), stderr


@pytest.mark.parametrize("fmt, expected", [("csv", "_askResult\r\ntrue\r\n"), ("tsv", "?_askResult\ntrue\n"),
                                           ("table", "true\n")])
def test_ask_answers_in_every_tabular_format(worker, built_dir, fmt, expected):
    # Found by the fuzzer: ASK with --format csv ended in a traceback from rdflib's CSV writer.
    code, stdout, stderr, exception = worker.run(["query", "ASK { ?s ?p ?o }", "--graph", str(built_dir),
                                                  "--format", fmt])
    assert (code, stdout, exception) == (0, expected, None), stderr


def test_a_one_megabyte_query_is_answered_or_refused_in_one_line(worker, built_dir):
    huge = "SELECT * WHERE { ?s ?p ?o FILTER(?o = \"" + "x" * 1_000_000 + "\") }"
    code, _, stderr, exception = worker.run(["query", huge, "--graph", str(built_dir)])
    assert exception is None and code == 1 and stderr.count("\n") == 1, stderr[:300]


@pytest.mark.xfail(strict=True, reason="Oxigraph 0.5.13 bug: its ORDER BY sort panics ('comparison function "
                   "does not correctly implement a total order') and aborts the process; found by the fuzzer. "
                   "When this passes, Oxigraph is fixed: drop the marker and the reject() in Worker.run")
def test_order_by_over_a_zero_length_path_answers():
    # The panic depends on the order Oxigraph's store holds the terms in, which kgraph's own
    # loading (named graphs, their union) changes from build to build; so the canary asks
    # Oxigraph itself, loading a frozen graph that triggers it into a plain store.
    frozen = Path(__file__).parent / "fixtures" / "oxigraph-order-panic" / "kazakhstan-2022.ttl"
    script = ("import sys, pyoxigraph as ox; s = ox.Store(); s.load(path=sys.argv[1], format=ox.RdfFormat.TURTLE); "
              "print(list(s.query('PREFIX kg: <https://kgraph.example/ns#> "
              "SELECT ?s WHERE { ?s kg:memberOf? ?s } ORDER BY ?s LIMIT 1')))")
    done = subprocess.run([sys.executable, "-c", script, str(frozen)], capture_output=True, timeout=HANG_SECONDS)
    assert done.returncode == 0, done.stderr.decode()[-300:]

