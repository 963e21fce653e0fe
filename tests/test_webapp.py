"""The web app of `kgraph serve` (`/` and `/network`), driven in headless Chromium through its controls.

A real `kgraph serve` runs on the bundled graph and on the hostile-label
graph of the page tests; every request that would leave the server is
blocked and recorded, and each visit checks that there was none, that no
error was logged and that no dialog opened.
"""

from __future__ import annotations

import csv
import io
import json
import re

import httpx
import pytest

from servers import free_port
from test_browser import EVIL_LABEL, EVIL_QUOTE, EVIL_SCRIPT, hostile_page  # noqa: F401  (a fixture)
from test_serve import _start, _wait_healthy

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]  # every test drives Chromium

EAEU = "SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m"


def _serve(graph_dir):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    process = _start(["--graph", str(graph_dir), "--workers", "2"], port)
    try:
        _wait_healthy(base, process)
        yield base
    finally:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="module")
def base(built_dir):
    yield from _serve(built_dir)


@pytest.fixture(scope="module")
def hostile_base(hostile_page):  # noqa: F811
    yield from _serve(hostile_page.parent)


@pytest.fixture(scope="module")
def browser():
    from kgraph.viz.headless import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def visit(browser):
    """visit(url) -> page, with every request off the server blocked; checked for quiet afterwards."""
    opened = []

    def opener(url: str):
        origin = re.match(r"https?://[^/]+/", url).group(0)
        context = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True)
        page = context.new_page()
        record = {"elsewhere": [], "errors": [], "dialogs": []}
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin)
                      else (record["elsewhere"].append(route.request.url), route.abort()))
        # A 400 is the answer to a bad query, which the page shows; the browser logs it too.
        page.on("console", lambda msg: msg.type == "error" and "status of 400" not in msg.text
                and record["errors"].append(msg.text))
        page.on("pageerror", lambda exc: record["errors"].append(str(exc)))
        page.on("dialog", lambda d: (record["dialogs"].append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_selector("html[data-ready='1']", state="attached", timeout=30_000)
        opened.append((context, record))
        return page

    yield opener
    for context, record in opened:
        assert record == {"elsewhere": [], "errors": [], "dialogs": []}
        context.close()


def _type_in_editor(page, text: str) -> None:
    page.click(".CodeMirror")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def _cells(page, column: int) -> list[str]:
    return page.eval_on_selector_all(f"#results tbody tr td:nth-child({column})", "cs => cs.map(c => c.innerText)")


def _links(page, column: int) -> list[str]:
    return page.eval_on_selector_all(f"#results tbody tr td:nth-child({column}) a.iri",
                                     "as => as.map(a => a.textContent)")


def _labels(store, ids):
    from kgraph.network.projection import fetch_actors

    actors = fetch_actors(store)
    return [actors[i].label for i in ids]


def test_editor_completes_runs_shows_labels_downloads_and_shares(visit, base, store):
    page = visit(base)
    assert page.locator(".cm-keyword", has_text="SELECT").count() == 1  # the example query, highlighted
    _type_in_editor(page, "SELECT ?m WHERE { ?m kg:memb")
    page.wait_for_selector(".CodeMirror-hint")
    assert page.inner_text(".CodeMirror-hint-active") == "kg:memberOf"
    page.keyboard.press("Enter")
    page.keyboard.type(" actor:eaeu } ORDER BY ?m")
    page.click("#run")
    page.wait_for_selector("#answer[data-done='1']")
    members = ["armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia"]
    assert _links(page, 1) == _labels(store, members)
    iris = page.eval_on_selector_all("#results td[data-iri]", "cs => cs.map(c => c.dataset.iri)")
    assert iris == [f"https://kgraph.example/id/actor/{m}" for m in members]
    assert page.get_attribute("#results td a.to-network", "href") == "network?actor=armenia"
    assert "5 rows" in page.inner_text("#timing")
    with page.expect_download() as download:
        page.click("#download-csv")
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows == [["m"], *[[iri] for iri in iris]]
    shared = page.url
    assert "query=" in shared and EAEU.replace(" ", "") in httpx.URL(shared).params["query"].replace(" ", "")
    again = visit(shared)
    again.wait_for_selector("#answer[data-done='1']")
    assert _links(again, 1) == _links(page, 1)


def test_language_tags_are_discreet_and_errors_are_shown(visit, base):
    page = visit(base + "?query=" + httpx.QueryParams({"q": 'SELECT ?l WHERE { actor:tokayev rdfs:label ?l '
                                                           'FILTER(LANG(?l) = "de") }'})["q"])
    page.wait_for_selector("#answer[data-done='1']")
    assert page.inner_text("#results tbody td span.lang") == "de"
    assert "@de" not in page.inner_text("#results")
    _type_in_editor(page, "SELECT nonsense")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error").startswith("400")


def test_network_search_expand_evidence_and_path(visit, base, runner, built_dir):
    page = visit(base + "network")
    page.fill("#kg-search", "toqajev")
    page.wait_for_selector("#kg-search-list li")
    assert page.inner_text("#kg-search-list li >> nth=0").startswith("Kassym-Jomart Tokayev")
    page.keyboard.press("Enter")
    page.wait_for_function("() => Object.keys(kgraph.actors).length > 1")
    assert page.inner_text("#kg-panel h2") == "Kassym-Jomart Tokayev"
    before = page.evaluate("kgraph.nodes.length")
    # Click a neighbour on the canvas: its own neighbours are drawn around it.
    page.wait_for_function("() => kgraph.settled", timeout=15_000)
    x, y = page.evaluate("""(id) => { const n = kgraph.network; n.moveTo({ position: n.getPosition(id), scale: 1,
        animation: false }); n.redraw(); const p = n.canvasToDOM(n.getPosition(id));
        const r = document.getElementById('kg-network').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }""",
                         "nazarbayev-loyalists")
    page.mouse.click(x, y)
    page.wait_for_function("(n) => kgraph.nodes.length > n", arg=before)
    assert page.inner_text("#kg-panel h2") == "Nazarbayev loyalists"
    assert page.evaluate("() => 'masimov' in kgraph.actors")  # two hops from Tokayev: drawn by the click
    page.click("#kg-panel .kg-relations button >> text=Karim Massimov")
    text = page.inner_text("#kg-panel")
    assert text.startswith("Karim Massimov — member of → Nazarbayev loyalists")
    assert "EVIDENCE (1)" in text and "Post 16" in text and "Masimov als einer der engsten" in text
    page.click("#kg-path-toggle")
    for box, name in (("#kg-path-from", "Tokayev"), ("#kg-path-to", "Biden")):
        page.fill(box, name)
        page.wait_for_selector(f"{box} + .kg-suggest li")
        page.keyboard.press("Enter")
    page.wait_for_selector("#kg-panel .kg-path")
    cli = json.loads(runner.invoke(__import__("kgraph.cli", fromlist=["main"]).main,
                                   ["path", "Tokayev", "Joe Biden", "--paths", "1", "--format", "json",
                                    "--graph", str(built_dir)]).stdout)
    hops = cli["paths"][0]["hops"]
    assert page.inner_text("#kg-panel h2") == "Path: Kassym-Jomart Tokayev → Joe Biden"
    shown = page.eval_on_selector_all("#kg-panel .kg-hop", "hs => hs.map(h => h.innerText)")
    assert len(shown) == len(hops)
    for line, hop in zip(shown, hops):
        assert hop["relation"] in line and f"“{hop['evidence'][0]['quote']}”" in line


def test_hostile_labels_show_as_text_on_both_pages(visit, hostile_base):
    page = visit(hostile_base + "?query=" + httpx.QueryParams(
        {"q": "SELECT ?a ?d WHERE { ?a kg:actorType ?t ; schema:description ?d FILTER(?a = actor:hostile) }"})["q"])
    page.wait_for_selector("#answer[data-done='1']")
    assert _links(page, 1) == [EVIL_LABEL]
    assert EVIL_SCRIPT in _cells(page, 2)[0]
    net = visit(hostile_base + "network")
    net.fill("#kg-search", "<img")
    net.wait_for_selector("#kg-search-list li")
    assert net.inner_text("#kg-search-list li >> nth=0").startswith(EVIL_LABEL)
    net.keyboard.press("Enter")
    net.wait_for_function("() => Object.keys(kgraph.actors).length > 1")
    assert net.inner_text("#kg-panel").startswith(EVIL_LABEL)
    net.click("#kg-panel .kg-relations button")
    assert f"“{EVIL_QUOTE}”" in net.inner_text("#kg-panel")
    for p in (page, net):
        p.wait_for_timeout(200)
        assert p.evaluate("document.querySelectorAll('main img, main script, main b, #kg-panel img, "
                          "#kg-panel script, #kg-search-list img').length") == 0
        assert p.evaluate("window.__pwned") is None
