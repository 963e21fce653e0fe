"""The Python API a notebook uses: the same answers as the CLI, without click."""

from __future__ import annotations

import builtins
import sys

import pytest

import kgraph
from kgraph.errors import KgraphError


def test_query_returns_rows(built_dir):
    result = kgraph.query("SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m", graph_dir=built_dir)
    assert [r["m"].rsplit("/", 1)[-1] for r in result.dicts()] == [
        "armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia"]


def test_query_binds_values_as_data_not_text(built_dir):
    text = "SELECT ?o WHERE { ?a kg:loyalTo ?o }"
    result = kgraph.query(text, graph_dir=built_dir, bindings={"a": "https://kgraph.example/id/actor/masimov"})
    assert [r["o"] for r in result.dicts()] == ["https://kgraph.example/id/actor/nazarbayev"]
    with pytest.raises(KgraphError):
        kgraph.query(text, graph_dir=built_dir, bindings={"a": "x> } ; DROP ALL ; <y"})


def test_to_dataframe_without_pandas_says_how_to_get_it(built_dir, monkeypatch):
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas here")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    result = kgraph.query("SELECT ?s WHERE { ?s a kg:Person }", graph_dir=built_dir)
    with pytest.raises(KgraphError, match="pip install pandas"):
        result.to_dataframe()


def test_to_dataframe_with_pandas(built_dir):
    pd = pytest.importorskip("pandas", reason="pandas is optional and not installed")
    frame = kgraph.query("SELECT ?s WHERE { ?s a kg:Person }", graph_dir=built_dir).to_dataframe()
    assert isinstance(frame, pd.DataFrame) and len(frame) == 7


def test_network_functions(built_dir):
    net = kgraph.load_projection(graph_dir=built_dir)
    assert net.to_networkx().number_of_nodes() == 50
    paths = kgraph.shortest_paths(net, "tokayev", "joe-biden")
    assert [p.length for p in paths] == [3, 3, 4]
    around = kgraph.shortest_paths(net, "tokayev", "joe-biden", avoid_hubs=True, k=1)[0]
    assert (around.length, around.cost, around.hops[0].target) == (4, 15, "security-purge")
    assert kgraph.NameIndex(net.actors.values()).resolve("Токаев").id == "tokayev"
    assert kgraph.centrality(net, "degree")[0][0] == "kazakhstan"


def test_public_names_are_listed():
    assert set(dir(kgraph)) == set(kgraph.__all__)
    with pytest.raises(AttributeError):
        kgraph.no_such_thing  # noqa: B018


def test_public_functions_stay_functions_once_their_modules_are_imported():
    # No module at the top is called like a public function: importing it would put the module in its place.
    import importlib
    import inspect

    for name in kgraph.__all__:
        importlib.import_module(kgraph._WHERE[name])
        assert not inspect.ismodule(getattr(kgraph, name)), name
