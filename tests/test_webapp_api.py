"""The web app's server side: the JSON API (kgraph.serve.api), --cors, --open and the bundled editor."""

from __future__ import annotations

import subprocess
from importlib import resources

import httpx
import pytest

from kgraph.cli import main
from kgraph.serve import api
from servers import free_port
from test_serve import KGRAPH, _wait_healthy


def test_search_takes_any_spelling_and_misspellings(store):
    assert [a["id"] for a in api.search_actors(store, "Токаев")][:1] == ["tokayev"]
    assert api.search_actors(store, "toqajev")[0] == {"id": "tokayev", "label": "Kassym-Jomart Tokayev",
                                                       "kind": "person", "type": "person"}
    assert [a["id"] for a in api.search_actors(store, "Masimof")] == ["masimov"]  # only by close spelling
    assert api.search_actors(store, "  ") == [] and api.search_actors(store, "zzzzqqq") == []


def test_neighbourhood_is_the_actor_and_its_neighbours_with_evidence(store, projection):
    from kgraph.network.algorithms import neighbours

    found = api.neighbourhood(store, "tokayev")
    assert set(found["actors"]) == {"tokayev"} | {a for a, _, _ in neighbours(projection, "tokayev", depth=1)}
    edge = found["edges"]["tokayev|dismissed|nazarbayev-loyalists"]
    assert edge["label"] == "dismissed" and edge["evidence"][0]["post"] == 10 and edge["evidence"][0]["quote"]
    with pytest.raises(api.UnknownActor):
        api.neighbourhood(store, "nobody")


@pytest.mark.parametrize("avoid_hubs", [False, True])
def test_path_is_the_cli_path(store, runner, built_dir, avoid_hubs):
    import json

    args = ["path", "tokayev", "joe-biden", "--paths", "1", "--format", "json", "--graph", str(built_dir)]
    cli = json.loads(runner.invoke(main, args + ["--avoid-hubs"] * avoid_hubs).stdout)["paths"][0]
    found = api.path(store, "tokayev", "joe-biden", avoid_hubs=avoid_hubs)
    assert found["path"] == [h["from"]["id"] for h in cli["hops"]] + [cli["hops"][-1]["to"]["id"]]
    assert found["cost"] == cli.get("cost")
    assert [found["edges"][e]["label"] for e in found["hops"]] == [h["relation"] for h in cli["hops"]]
    around = api.path(store, "tokayev", "joe-biden", avoid_hubs=avoid_hubs, exclude=("masimov",))
    assert "masimov" not in around["path"]


def test_path_refuses_an_excluded_end(store):
    with pytest.raises(api.KgraphError, match="is excluded"):
        api.path(store, "tokayev", "joe-biden", exclude=("tokayev",))


def test_open_asks_the_desktop_browser_only_where_there_is_one(monkeypatch):
    import webbrowser

    from kgraph.serve.runner import open_browser

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert open_browser("http://127.0.0.1:8000/") is False and opened == []
    monkeypatch.setenv("DISPLAY", ":0")
    assert open_browser("http://127.0.0.1:8000/") is True and opened == ["http://127.0.0.1:8000/"]


@pytest.mark.parametrize("origin", ["tools.example.org", "https://tools.example.org/app", "ftp://x.org"])
def test_cors_wants_an_origin(runner, origin):
    result = runner.invoke(main, ["serve", "--cors", origin])
    assert result.exit_code == 2 and "is not an origin" in result.output


def test_every_vendored_file_is_listed_with_version_and_licence():
    vendor = resources.files("kgraph.serve") / "static" / "vendor"
    listed = (vendor / "VENDOR.md").read_text(encoding="utf-8")
    files = sorted(f.name for f in vendor.iterdir() if f.name != "VENDOR.md")
    assert files and all(name in listed for name in files)
    assert "5.65.19" in listed and "MIT" in listed
    page = (resources.files("kgraph.serve") / "static" / "index.html").read_text(encoding="utf-8")
    assert "codemirror-5.65.19.min.js" in page and "http" not in page


@pytest.mark.server
@pytest.mark.slow
def test_cors_for_the_origin_given_and_api_errors_as_json(built_dir):
    port = free_port()
    process = subprocess.Popen([str(KGRAPH), "serve", "--port", str(port), "--graph", str(built_dir), "--workers", "1",
                                "--cors", "https://tools.example.org/"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(url, process)
        preflight = httpx.options(url + "sparql", headers={
            "Origin": "https://tools.example.org", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://tools.example.org"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        simple = httpx.get(url + "sparql", params={"query": "ASK {}"}, headers={
            "Origin": "https://tools.example.org", "Accept": "application/sparql-results+json"})
        assert simple.json() == {"head": {}, "boolean": True}
        assert simple.headers["access-control-allow-origin"] == "https://tools.example.org"
        other = httpx.get(url + "api/actors", params={"q": "toka"}, headers={"Origin": "https://evil.example"})
        assert other.json()[0]["id"] == "tokayev" and "access-control-allow-origin" not in other.headers
        missing = httpx.get(url + "api/neighbours", params={"id": "nobody"})
        assert missing.status_code == 404 and missing.json() == {"error": "no actor named 'nobody'"}
        deep = httpx.get(url + "api/neighbours", params={"id": "tokayev", "depth": "9"})
        assert deep.status_code == 400 and "depth" in deep.json()["error"]
        assert httpx.get(url + "api/path", params={"from": "tokayev"}).status_code == 400
        assert httpx.get(url + "lib/app.py").status_code == 404
    finally:
        process.kill()
        process.wait(10)

