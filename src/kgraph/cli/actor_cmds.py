"""Commands about actors: actors, show, path, neighbours, central, factions."""

from __future__ import annotations

import shutil

import click

from .options import echo_data, echo_json, echo_safe, format_option, store_option

__all__ = ["COMMANDS"]


def _projection(store, graph_dir):
    from ..projection import load_projection

    return load_projection(store, graph_dir=graph_dir)


def _is_local(store) -> bool:
    return store in ("memory", "rdflib")


def _around(store, graph_dir, names, depth):
    """Actors named ``names`` and the network within ``depth`` hops of them.

    A local graph is read whole (and cached); a remote or on-disk store of
    millions of triples is asked only for its actors and the layers needed.
    """
    if _is_local(store):
        projection = _projection(store, graph_dir)
        return [_resolve(projection, n) for n in names], projection
    from ..names import NameIndex
    from ..neighbourhood import fetch_neighbourhood
    from ..projection import cached_actors
    from ..stores import open_store

    opened = open_store(store, graph_dir=graph_dir)
    actors = cached_actors(opened)
    index = NameIndex(actors.values())
    found = [index.resolve(n) for n in names]
    return found, fetch_neighbourhood(opened, sorted({a.id for a in found}), depth, actors=actors)


def _resolve(projection, name):
    from ..names import NameIndex

    return NameIndex(projection.actors.values()).resolve(name)


def _width() -> int:
    return shutil.get_terminal_size((120, 24)).columns


def _echo_evidence(evidence: list[dict], datasets: list[str]) -> None:
    """Each piece of evidence with its caveats; the post names its dataset when the store holds several."""
    from .evidence_text import evidence_lines

    for ev in evidence:
        for line in evidence_lines(ev, indent="      ", width=_width(), name_dataset=len(datasets) > 1):
            echo_safe(line)


@click.command()
@click.option("--type", "kind", help="Only actors of this type (person, country, event, ...).")
@format_option("table", "json", "csv")
@store_option
def actors(kind, fmt, store, graph_dir):
    """List all actors with type, label and number of relations."""
    projection = _projection(store, graph_dir)
    degree = projection.degree()
    rows = [{"id": a.id, "type": a.type, "label": a.label, "relations": degree.get(a.id, 0)}
            for a in projection.actors.values() if kind is None or a.type == kind]
    if kind is not None and not rows:
        known = sorted({a.type for a in projection.actors.values()})
        raise click.UsageError(f"no actors of type {kind!r}; types: {', '.join(known)}")
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["id", "type", "label", "relations"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        echo_data(out.getvalue().encode("utf-8"))
    else:
        from ..tables import format_table

        click.echo(format_table(["id", "type", "label", "relations"],
                                [[r["id"], r["type"], r["label"], str(r["relations"])] for r in rows], _width()))


@click.command()
@click.argument("name")
@format_option("text", "json")
@store_option
def show(name, fmt, store, graph_dir):
    """Everything about one actor: labels, aliases, description, Wikidata,
    and every relation in and out with its evidence.

    NAME is an id, label or alias in any language, any case, with or without
    accents, in Cyrillic, or with a small typo (Tokayev, toqajev, Токаев).
    """
    from ..showing import describe

    (actor,), projection = _around(store, graph_dir, [name], 1)
    info = describe(projection, actor.id)
    if fmt == "json":
        echo_json(info)
        return
    echo_safe(f"{info['label']}  ({info['id']}, {', '.join(info['types'])})")
    for lang, label in info["labels"].items():
        echo_safe(f"  {lang}: {label}")
    if info["aliases"]:
        echo_safe(f"  also: {', '.join(info['aliases'])}")
    if info["description"]:
        echo_safe(f"  {info['description']}")
    if info["wikidata"]:
        echo_safe(f"  Wikidata: https://www.wikidata.org/wiki/{info['wikidata']}")
    click.echo(f"\nRelations ({len(info['relations'])}):")
    for rel in info["relations"]:
        arrow = f"—{rel['relation']}→ {rel['other']['label']}" if rel["direction"] == "out" \
            else f"←{rel['relation']}— {rel['other']['label']}"
        echo_safe(f"  {arrow}")
        _echo_evidence(rel["evidence"], projection.datasets)
    if info["mentioned_in"]:
        posts = ", ".join(f"{m['dataset']} #{m['post']}" for m in info["mentioned_in"])
        echo_safe(f"\nMentioned in posts: {posts}")


def _path_options(func):
    func = click.option("--stated-only", is_flag=True, help="Ignore claims that are only speculated or reported.")(func)
    func = click.option("--exclude", multiple=True, metavar="NAME", help="Do not pass through this actor (repeatable).")(func)
    func = click.option("--family", "families", multiple=True, help="Only follow relations of this family (repeatable).")(func)
    func = click.option("--relation", "relations", multiple=True, help="Only follow this relation id or label (repeatable).")(func)
    return func


def _filtered(projection, families, relations, exclude, stated_only):
    from ..selection import filter_edges

    excluded = [_resolve(projection, n).id for n in exclude]
    return filter_edges(projection, families=families, relations=relations, stated_only=stated_only,
                        exclude=excluded)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", type=click.IntRange(min=1), default=4, show_default=True, help="Longest path to look for.")
@click.option("--paths", "k", type=click.IntRange(min=1), default=3, show_default=True,
              help="Up to this many shortest paths.")
@click.option("--directed", is_flag=True, help="Follow relations only in their own direction.")
@_path_options
@format_option("text", "json")
@store_option
def path(source, target, max_hops, k, directed, relations, families, exclude, stated_only, fmt, store, graph_dir):
    """How are two actors linked? Shortest paths, every hop with its evidence.

    \b
    Examples:
      kgraph path Tokayev Biden
      kgraph path Toqajev Masimov --stated-only --paths 5
      kgraph path Masimov Biden --format json
    """
    from ..neighbourhood import path_depth
    from ..network import evidence_dict, shortest_paths

    (a, b), projection = _around(store, graph_dir, [source, target], path_depth(max_hops))
    chosen = _filtered(projection, families, relations, exclude, stated_only)
    for actor in (a, b):
        if actor.id not in chosen.actors:
            from ..errors import KgraphError

            raise KgraphError(f"{actor.label} is excluded by --exclude")
    found = shortest_paths(chosen, a.id, b.id, max_hops=max_hops, k=k, directed=directed)
    if fmt == "json":
        echo_json({"from": {"id": a.id, "label": a.label}, "to": {"id": b.id, "label": b.label},
               "paths": [p.to_dict(chosen.actors) for p in found]})
        return
    if a.id == b.id:
        echo_safe(f"{a.label} and {b.label} are the same actor ({a.id}).")
        return
    for i, found_path in enumerate(found, 1):
        echo_safe(f"Path {i} of {len(found)} ({found_path.length} hop{'s' * (found_path.length != 1)}): "
                  f"{a.label} → {b.label}")
        for hop in found_path.hops:
            left, right = chosen.actors[hop.source].label, chosen.actors[hop.target].label
            link = f"—{hop.edge.label}→" if hop.direction == "forward" else f"←{hop.edge.label}—"
            echo_safe(f"  {left} {link} {right}")
            if not hop.edge.evidence:
                echo_safe("      [no statement in the graph]")
            _echo_evidence([evidence_dict(e) for e in hop.edge.evidence], projection.datasets)
        if i < len(found):
            click.echo()


@click.command()
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, help="How many hops out.")
@format_option("text", "json")
@store_option
def neighbours(name, depth, fmt, store, graph_dir):
    """The actors within --depth hops of NAME, nearest first."""
    from ..network import neighbours as find

    projection = _projection(store, graph_dir)
    actor = _resolve(projection, name)
    found = find(projection, actor.id, depth=depth)
    if fmt == "json":
        echo_json({"actor": {"id": actor.id, "label": actor.label},
               "neighbours": [{"id": i, "label": projection.actors[i].label, "distance": d,
                               "relations": sorted({e.label for e in edges})} for i, d, edges in found]})
        return
    echo_safe(f"{actor.label}: {len(found)} actor(s) within {depth} hop(s)")
    for other, dist, edges in found:
        echo_safe(f"  {dist}  {projection.actors[other].label}  ({', '.join(sorted({e.label for e in edges}))})")


@click.command()
@click.option("--measure", type=click.Choice(["degree", "betweenness", "pagerank"]), default="degree",
              show_default=True, help="Centrality measure (networkx).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many actors to show.")
@format_option("text", "json")
@store_option
def central(measure, top, fmt, store, graph_dir):
    """The most central actors of the network."""
    from ..network import centrality

    projection = _projection(store, graph_dir)
    ranked = centrality(projection, measure)[:top]
    if fmt == "json":
        echo_json([{"id": i, "label": projection.actors[i].label, "score": s} for i, s in ranked])
        return
    for actor_id, score in ranked:
        shown = f"{score:.0f}" if measure == "degree" else f"{score:.3f}"
        echo_safe(f"{shown:>7}  {projection.actors[actor_id].label}")


@click.command()
@format_option("text", "json")
@store_option
def factions(fmt, store, graph_dir):
    """Factions: communities of actors bound by cooperation, membership and kinship."""
    from ..network import factions as find

    projection = _projection(store, graph_dir)
    found = find(projection)
    if fmt == "json":
        echo_json([[{"id": i, "label": projection.actors[i].label} for i in group] for group in found])
        return
    for n, group in enumerate(found, 1):
        echo_safe(f"Faction {n} ({len(group)}): " + ", ".join(projection.actors[i].label for i in group))


COMMANDS = [actors, show, path, neighbours, central, factions]
