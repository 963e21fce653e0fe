"""The network page in headless Chromium, offline: clicks, search, filters, path, reset, hostile data.

Every page is opened with all network access blocked and recorded
(kgraph.viz.headless); each test checks that nothing was requested, nothing
was logged as an error and no dialog opened. Needs playwright and Debian's
chromium (``make test`` installs it); without them the tests skip with the
reason, except under CI, where that is an error.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, DATASET, ONTOLOGY
from kgraph.viz.headless import PAGE_URL, find_chromium
from kgraph.viz.style import FAMILY_COLOURS

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if find_chromium() is None:
        return "chromium is not installed (apt-get install chromium, or 'make test')"
    return None


if (reason := _missing()) is not None:
    if os.environ.get("CI"):
        raise RuntimeError(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason, allow_module_level=True)

EVIL_LABEL = "<img src=x onerror=alert(1)>"
EVIL_SCRIPT = "</script><script>window.__pwned=1;alert(1)</script>"
EVIL_QUOTE = f"{EVIL_LABEL} {EVIL_SCRIPT}"

# DOM position of a node / of a point on an edge that hits only that edge, after bringing it into view.
NODE_AT = """(id) => { const n = kgraph.network;
  n.moveTo({ position: n.getPosition(id), scale: 1, animation: false });
  n.redraw();  // hit-testing and the click must see the same view, even on a busy machine
  const p = n.canvasToDOM(n.getPosition(id)); const r = document.getElementById('kg-network').getBoundingClientRect();
  if (n.getNodeAt(p) !== id) return null;
  return [p.x + r.left, p.y + r.top]; }"""
EDGE_AT = """(eid) => { const n = kgraph.network, line = n.body.edges[eid].edgeType;  // follows curves too
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.35, 0.65]) {
    const c = line.getPoint(t);
    n.moveTo({ position: c, scale: 1.5, animation: false });
    const p = n.canvasToDOM(c);
    if (n.getEdgeAt(p) === eid && n.getNodeAt(p) === undefined) {
      const r = document.getElementById('kg-network').getBoundingClientRect();
      return [p.x + r.left, p.y + r.top];
    }
  }
  return null; }"""
EDGE_ID = """([from, label, to]) => Object.keys(kgraph.data.edgeInfo).find(k => {
  const e = kgraph.data.edgeInfo[k]; return e.from === from && e.label === label && e.to === to; })"""
HIDDEN = """() => ({ nodes: kgraph.nodes.get({ filter: n => n.hidden }).map(n => n.id),
  edges: kgraph.edges.get({ filter: e => e.hidden }).map(e => e.id) })"""


@pytest.fixture(scope="module")
def browser():
    from kgraph.viz.headless import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def open_page(browser):
    """open_page(path or bytes) -> Visit; checks afterwards that the page stayed offline and quiet."""
    from kgraph.viz.headless import open_offline

    visits = []

    def opener(html: Path | bytes):
        visit = open_offline(browser, html)
        visits.append(visit)
        return visit

    yield opener
    for visit in visits:
        assert visit.requests == [], f"requests beyond the page: {visit.requests}"
        assert visit.errors == [], f"console errors: {visit.errors}"
        assert visit.dialogs == [], f"dialogs opened: {visit.dialogs}"
        visit.close()


@pytest.fixture
def page(open_page, built_dir):
    return open_page(built_dir / f"{DATASET}.html").page


def panel(page) -> str:
    return page.inner_text("#kg-panel")


def search(page, text: str, box: str = "#kg-search") -> None:
    page.fill(box, text)
    page.keyboard.press("Enter")


def test_opens_offline_without_errors(page, projection):
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    assert page.evaluate("kgraph.nodes.length") == len(projection.actors)
    assert page.evaluate("kgraph.edges.length") == len(projection.edges)
    assert "Click an actor" in panel(page)


def test_served_from_a_web_origin_it_requests_nothing_else(open_page, built_dir):
    visit = open_page((built_dir / f"{DATASET}.html").read_bytes())
    assert visit.page.url == PAGE_URL
    search(visit.page, "Masimov")
    assert panel(visit.page).startswith("Karim Massimov")


def test_labels_readable_at_laptop_size(page):
    scale = page.evaluate("kgraph.network.getScale()")
    font = page.evaluate("kgraph.data.options.nodes.font.size")
    assert scale * font >= 12.5, f"labels drawn at {scale * font:.1f} px"
    visible = page.evaluate("""() => { const n = kgraph.network, box = document.getElementById('kg-network');
      return kgraph.nodes.getIds().filter(id => { const p = n.canvasToDOM(n.getPosition(id));
        return p.x > 0 && p.y > 0 && p.x < box.clientWidth && p.y < box.clientHeight; }).length; }""")
    assert visible >= 25


def test_click_on_actor_shows_names_aliases_description_wikidata_relations(page):
    page.mouse.click(*page.evaluate(NODE_AT, "joe-biden"))
    text = panel(page)
    for expected in ("Joe Biden", "Джо Байден", "Joseph R. Biden", "Байден", "Father of Hunter Biden",
                     "President of the United States since January 2021.", "RELATIONS (3)",
                     "depicted in · Older photo of Rakishev, the Bidens and Massimov"):
        assert expected in text
    assert page.get_attribute("#kg-panel a", "href") == "https://www.wikidata.org/wiki/Q6279"
    assert page.evaluate("kgraph.network.getSelectedNodes()") == ["joe-biden"]


def test_click_on_relation_shows_its_evidence(page):
    eid = page.evaluate(EDGE_ID, ["tokayev", "announced", "crackdown"])
    point = page.evaluate(EDGE_AT, eid)
    assert point is not None, "no point on the edge that hits only it"
    page.mouse.click(*point)
    text = panel(page)
    assert "Kassym-Jomart Tokayev — announced → Tokayev's crackdown" in text
    assert "Post 1" in text and "“Toqajev kündigt hartes Durchgreifen im Sicherheitsapparat an”" in text
    assert "stated" in text and "Nikita Gerassimow" in text and "c01-2" in text


def test_speculated_relation_says_so(page):
    eid = page.evaluate(EDGE_ID, ["tokayev", "seeks to limit", "csto-deployment"])
    page.mouse.click(*page.evaluate(EDGE_AT, eid))
    text = panel(page)
    assert "Post 3" in text and "speculated" in text and "Dashed: every piece of evidence" in text


def test_evidence_shows_its_time_note_and_figures(page):
    eid = page.evaluate(EDGE_ID, ["unrest-2022", "caused damage to", "kazakhstan"])
    page.mouse.click(*page.evaluate(EDGE_AT, eid))
    text = panel(page)
    assert "The thread does not name who made this estimate." in text
    assert "immediate damage: 100,000,000 USD" in text
    assert "total damage to the economy: 2,000,000,000\u20133,000,000,000 USD" in text
    eid = page.evaluate(EDGE_ID, ["tokayev", "president of", "kazakhstan"])
    page.mouse.click(*page.evaluate(EDGE_AT, eid))
    assert "from 2019" in panel(page)


def test_hover_shows_a_short_tooltip(page):
    x, y = page.evaluate(NODE_AT, "masimov")
    page.mouse.move(x, y)
    page.wait_for_selector("#kg-tooltip:not([hidden])")
    assert page.inner_text("#kg-tooltip") == "Karim Massimov\nperson · 8 relations"


def test_search_finds_any_spelling(page):
    for query in ("Toqajev", "TOQAJEV", "tokáyev", "Токаев", "kassym jomart"):
        page.click("#kg-reset")
        search(page, query)
        assert panel(page).startswith("Kassym-Jomart Tokayev"), query
        assert page.evaluate("kgraph.network.getSelectedNodes()") == ["tokayev"], query


def test_search_suggests_while_typing(page):
    page.fill("#kg-search", "naz")
    page.wait_for_selector("#kg-search-list:not([hidden])")
    items = page.locator("#kg-search-list li").all_inner_texts()
    assert any(i.startswith("Nursultan Nazarbayev") for i in items) and len(items) >= 3
    page.keyboard.press("Escape")
    assert page.is_hidden("#kg-search-list")


def test_filters_hide_families_kinds_and_dashed_relations(page):
    info = page.evaluate("kgraph.data.edgeInfo")  # the page adds each relation's ends, from/to
    page.uncheck("input[data-family='hostility']")
    hidden = page.evaluate(HIDDEN)
    assert set(hidden["edges"]) == {k for k, e in info.items() if e["family"] == "hostility"} and not hidden["nodes"]
    page.check("input[data-family='hostility']")
    page.uncheck("input[data-kind='event']")
    hidden = page.evaluate(HIDDEN)
    events = set(page.evaluate("Object.keys(kgraph.data.actors).filter(id => kgraph.data.actors[id].kind === 'event')"))
    assert set(hidden["nodes"]) == events
    assert set(hidden["edges"]) == {k for k, e in info.items() if e["from"] in events or e["to"] in events}
    page.check("input[data-kind='event']")
    page.uncheck("input[data-modality='speculated']")
    page.uncheck("input[data-modality='reported']")
    assert set(page.evaluate(HIDDEN)["edges"]) == {k for k, e in info.items() if not e["stated"]}
    page.uncheck("input[data-modality='assessed']")  # as --stated-only
    assert set(page.evaluate(HIDDEN)["edges"]) == \
        {k for k, e in info.items() if e["evidence"] and all(ev["modality"] != "stated" for ev in e["evidence"])}
    page.click("#kg-reset")
    assert page.evaluate(HIDDEN) == {"nodes": [], "edges": []}


def test_path_mode_highlights_tokayev_to_biden(page, projection):
    from kgraph.network.algorithms import shortest_paths

    page.click("#kg-path-toggle")
    search(page, "Tokayev", "#kg-path-from")
    search(page, "Biden", "#kg-path-to")
    text = panel(page)
    hops = shortest_paths(projection, "tokayev", "joe-biden", max_hops=10, k=1)[0].hops
    assert text.startswith("Path: Kassym-Jomart Tokayev → Joe Biden")
    assert f"{len(hops)} hops" in text
    muted = page.evaluate("kgraph.nodes.get().filter(n => n.color.background === '#e4e4e4').map(n => n.id)")
    on_path = set(projection.actors) - set(muted)
    assert len(on_path) == len(hops) + 1 and {"tokayev", "joe-biden"} <= on_path
    for hop in hops:  # every hop of `kgraph path` is on the page, with its first post and quote
        first = hop.edge.evidence[0]
        assert hop.source in on_path and hop.target in on_path
        assert f"— {hop.edge.label} →" in text and f"Post {first.post} ({first.modality}): “{first.quote}”" in text
    page.click("#kg-reset")
    assert page.evaluate("kgraph.nodes.get().filter(n => n.color.background === '#e4e4e4').length") == 0
    colours = page.evaluate("Object.fromEntries(kgraph.edges.get().map(e => [e.id, e.color]))")
    families = page.evaluate("Object.fromEntries(Object.entries(kgraph.data.edgeInfo).map(([k, e]) => [k, e.family]))")
    assert colours == {k: FAMILY_COLOURS[f] for k, f in families.items()}  # every line back in its family colour
    assert page.is_hidden("#kg-pathbar") and "Click an actor" in panel(page)


def test_path_by_clicking_two_actors(page):
    page.click("#kg-path-toggle")
    page.mouse.click(*page.evaluate(NODE_AT, "masimov"))
    page.mouse.click(*page.evaluate(NODE_AT, "nazarbayev"))
    text = panel(page)
    assert text.startswith("Path: Karim Massimov → Nursultan Nazarbayev") and "\n1 hop," in text
    assert "Karim Massimov — loyal to → Nursultan Nazarbayev" in text
    assert page.input_value("#kg-path-from") == "Karim Massimov"


def test_viz_path_page_opens_with_the_path(open_page, runner, built_dir, tmp_path):
    from kgraph.cli import main

    out = tmp_path / "path.html"
    result = runner.invoke(main, ["viz", "--graph", str(built_dir), "--path", "Toqajev", "Biden", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = open_page(out).page
    assert panel(page).startswith("Path: Kassym-Jomart Tokayev → Joe Biden")
    assert page.is_visible("#kg-pathbar")


# The listed hops, in order: the two actors each links (either direction).
LISTED_HOPS = """() => Array.from(document.querySelectorAll('#kg-panel .kg-hop')).map(li => {
  const links = li.querySelector('div').querySelectorAll('.kg-link');
  return [links[0].textContent, links[2].textContent].sort(); })"""


def _path_through_controls(page, source: str, target: str) -> None:
    page.fill("#kg-path-from", source)
    page.keyboard.press("Enter")
    page.fill("#kg-path-to", target)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("source, target", [
    ("Tokayev", "Hunter Biden"), ("Masimov", "Russia"), ("Armenia", "Nazarbayev"), ("Joe Biden", "CSTO"),
    ("Kyrgyzstan", "sleeper cells")])
def test_avoid_hubs_on_the_page_is_the_cli_path(page, runner, built_dir, source, target):
    import json

    from kgraph.cli import main

    result = runner.invoke(main, ["path", source, target, "--avoid-hubs", "--paths", "1", "--format", "json",
                                  "--graph", str(built_dir)])
    cli = json.loads(result.output)["paths"][0]
    page.click("#kg-path-toggle")
    page.check("#kg-path-avoid")
    _path_through_controls(page, source, target)
    hops = "1 hop" if cli["length"] == 1 else f"{cli['length']} hops"
    assert f"\n{hops}, cost {cli['cost']} (the relations of the actors passed)" in panel(page)
    assert page.evaluate(LISTED_HOPS) == [sorted([h["from"]["label"], h["to"]["label"]]) for h in cli["hops"]]


def test_avoid_hubs_toggle_and_exclude_control(page):
    page.click("#kg-path-toggle")
    _path_through_controls(page, "Tokayev", "Hunter Biden")
    assert "Nazarbayev loyalists" in [a for hop in page.evaluate(LISTED_HOPS) for a in hop]
    page.check("#kg-path-avoid")
    assert panel(page).splitlines()[2].startswith("4 hops, cost 15")
    page.uncheck("#kg-path-avoid")
    page.fill("#kg-path-exclude", "nazarbayev loyalists")  # found by any name, as in the search box
    page.keyboard.press("Enter")
    assert page.inner_text("#kg-path-excluded") == "Nazarbayev loyalists ×"
    assert page.input_value("#kg-path-exclude") == ""
    text = panel(page)
    assert "3 hops, shortest over the relations shown, around Nazarbayev loyalists." in text
    assert "Nazarbayev loyalists" not in [a for hop in page.evaluate(LISTED_HOPS) for a in hop]
    page.fill("#kg-path-exclude", "Tokayev")
    page.keyboard.press("Enter")
    assert page.inner_text("#kg-path-status") == "Kassym-Jomart Tokayev is excluded."
    page.click("#kg-path-excluded button[data-id='tokayev']")
    page.click("#kg-path-excluded button[data-id='nazarbayev-loyalists']")
    assert page.inner_text("#kg-path-excluded") == "" and "\n3 hops, shortest" in panel(page)
    page.fill("#kg-path-exclude", "Kazakhstan")
    page.keyboard.press("Enter")
    page.click("#kg-reset")
    assert page.inner_text("#kg-path-excluded") == "" and not page.is_checked("#kg-path-avoid")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    """The bundled dataset plus an actor, a post line and a claim made of script payloads."""
    from kgraph.compose import build

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data)
    folder = data / DATASET
    with open(folder / "actors.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"""
- id: hostile
  type: person
  label:
    en: "{EVIL_LABEL}"
    de: "{EVIL_SCRIPT}"
  aliases: ["<b>bold</b>", "</script><script>alert(2)</script>"]
  description: "<img src=x onerror=\\"window.__pwned=1;alert(3)\\"> and {EVIL_SCRIPT}"
""")
    with open(folder / "claims.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"""
- id: c01-hostile
  post: 1
  subject: hostile
  relation: goodRelationsWith
  object: tokayev
  quote: "{EVIL_QUOTE}"
  asserted_by: hostile
  modality: speculated
  note: "<script>window.__pwned=1;alert('note')</script>"
""")
    thread = folder / "thread.yaml"
    text = thread.read_text(encoding="utf-8")
    marker = "    - neue Videos der Straßenkämpfe.\n"
    assert marker in text
    thread.write_text(text.replace(marker, marker + f"    {EVIL_QUOTE}\n", 1), encoding="utf-8")
    build(data, ONTOLOGY, root / "graph")
    return root / "graph" / f"{DATASET}.html"


def test_hostile_data_shows_as_text_and_runs_nothing(open_page, hostile_page):
    page = open_page(hostile_page).page
    page.fill("#kg-search", "<img")
    assert page.locator("#kg-search-list li").first.inner_text().startswith(EVIL_LABEL)
    page.keyboard.press("Enter")
    text = panel(page)
    assert text.startswith(EVIL_LABEL)
    assert EVIL_SCRIPT in text and "<b>bold</b>" in text and "window.__pwned=1;alert(3)" in text
    page.click("#kg-panel .kg-relations button")
    text = panel(page)
    assert f"“{EVIL_QUOTE}”" in text and "<script>window.__pwned=1;alert('note')</script>" in text
    x, y = page.evaluate(NODE_AT, "hostile")
    page.mouse.move(x, y)
    page.wait_for_selector("#kg-tooltip:not([hidden])")
    assert page.inner_text("#kg-tooltip").startswith(EVIL_LABEL)
    page.click("#kg-path-toggle")
    page.fill("#kg-path-from", "bold")
    page.keyboard.press("Enter")
    search(page, "Biden", "#kg-path-to")
    assert panel(page).startswith(f"Path: {EVIL_LABEL} → Joe Biden")
    page.fill("#kg-path-exclude", "bold")
    page.keyboard.press("Enter")
    assert page.inner_text("#kg-path-excluded") == f"{EVIL_LABEL} ×"
    assert page.inner_text("#kg-path-status") == f"{EVIL_LABEL} is excluded."
    page.wait_for_timeout(200)
    injected = page.evaluate("""document.querySelectorAll(
        '#kg-panel img, #kg-panel script, #kg-panel b, #kg-tooltip *, #kg-search-list img, body > img, ' +
        '#kg-pathbar img, #kg-pathbar b, #kg-pathbar script').length""")
    assert injected == 0
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.scripts.length") == 3  # the data block and the two page scripts


def test_overview_says_how_a_typed_name_was_taken(open_page, built_dir):
    from kgraph.network.projection import load_projection
    from kgraph.viz import render_html, select_view

    projection = load_projection(graph_dir=built_dir)
    for options, note in (({"path": ("Tokayev", "Biden")}, "taking 'Biden' as Joe Biden; also matches: Hunter Biden"),
                          ({"focus": "Massimof"}, "taking 'Massimof' as Karim Massimov (close spelling)")):
        view = select_view(projection, **options)
        page = open_page(render_html(view.projection, title=view.title, path=view.path,
                                     notes=[m.note() for m in view.resolved])).page
        assert note in panel(page)
