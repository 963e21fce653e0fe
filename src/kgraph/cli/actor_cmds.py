"""Commands about actors: actors, show, path, neighbours, central, factions."""

from __future__ import annotations

import click

from .options import (
    echo_data,
    echo_json,
    echo_notes,
    echo_safe,
    format_option,
    modality_options,
    store_option,
    table_width,
)

__all__ = ["COMMANDS"]


def _projection(store, graph_dir):
    from ..network.projection import load_projection

    return load_projection(store, graph_dir=graph_dir)


def _is_local(store) -> bool:
    return store in ("memory", "rdflib")


def _around(store, graph_dir, names, depth, *, degrees=False):
    """How ``names`` matched actors (:class:`kgraph.network.names.Match`), the network within ``depth`` hops
    of them, and with ``degrees`` the number of relations its actors have in the whole graph (else None).

    A local graph is read whole (and cached); a remote or on-disk store of
    millions of triples is asked only for its actors and the layers needed.
    """
    if _is_local(store):
        projection = _projection(store, graph_dir)
        found = [_resolve(projection, n) for n in names]
        return found, projection, projection.degree() if degrees else None
    from ..network.names import NameIndex
    from ..network.neighbourhood import fetch_neighbourhood
    from ..network.projection import cached_actors
    from ..stores import open_store

    opened = open_store(store, graph_dir=graph_dir)
    actors = cached_actors(opened)
    index = NameIndex(actors.values())
    found = [index.match(n) for n in names]
    echo_notes(found)
    near = fetch_neighbourhood(opened, sorted({m.actor.id for m in found}), depth, actors=actors)
    if not degrees:
        return found, near, None
    from ..network.neighbourhood import fetch_degrees

    return found, near, fetch_degrees(opened, near.actors)


def _resolve(projection, name):
    """How ``name`` matched an actor; a match that is not exact is told on stderr."""
    from ..network.names import NameIndex

    found = NameIndex(projection.actors.values()).match(name)
    echo_notes([found])
    return found


def _echo_evidence(evidence: list[dict], datasets: list[str]) -> None:
    """Each piece of evidence with its caveats; the post names its dataset when the store holds several."""
    from .evidence_text import evidence_lines

    for ev in evidence:
        for line in evidence_lines(ev, indent="      ", width=table_width(), name_dataset=len(datasets) > 1):
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
        from .tables import format_table

        click.echo(format_table(["id", "type", "label", "relations"],
                                [[r["id"], r["type"], r["label"], str(r["relations"])] for r in rows], table_width()))


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
    from ..network.showing import describe

    (found,), projection, _ = _around(store, graph_dir, [name], 1)
    info = describe(projection, found.actor.id)
    if fmt == "json":
        echo_json({**info, "resolved": found.to_dict()})
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
    for item in info["background"]:
        echo_safe(f"  background (not from the thread): {item['text']} — source: {item['source']}")
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
    func = modality_options(func)
    func = click.option("--exclude", multiple=True, metavar="NAME",
                        help="Do not pass through this actor (repeatable).")(func)
    func = click.option("--family", "families", multiple=True,
                        help="Only follow relations of this family (repeatable).")(func)
    func = click.option("--relation", "relations", multiple=True,
                        help="Only follow this relation id or label (repeatable).")(func)
    return func


def _filtered(projection, families, relations, exclude, modalities):
    from ..network.selection import filter_edges

    excluded = [_resolve(projection, n) for n in exclude]
    return filter_edges(projection, families=families, relations=relations, modalities=modalities,
                        exclude=[m.actor.id for m in excluded]), excluded


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", type=click.IntRange(min=1),
              help="Longest path to look for.  [default: 4, or 8 with --avoid-hubs]")
@click.option("--paths", "k", type=click.IntRange(min=1), default=3, show_default=True,
              help="Up to this many shortest paths.")
@click.option("--directed", is_flag=True, help="Follow relations only in their own direction.")
@click.option("--avoid-hubs", is_flag=True,
              help="Rank paths by cost, not hops: a path costs the sum of the numbers of relations of the actors "
                   "it passes through (its ends are free), so links through busy hubs come last.")
@_path_options
@format_option("text", "json")
@store_option
def path(source, target, max_hops, k, directed, avoid_hubs, relations, families, exclude, modalities, fmt, store,
         graph_dir):
    """How are two actors linked? Shortest paths, every hop with its evidence.

    \b
    Examples:
      kgraph path Tokayev Biden
      kgraph path Tokayev "Hunter Biden" --avoid-hubs
      kgraph path Toqajev Masimov --stated-only --paths 5
      kgraph path Tokayev Nazarbayev --modality stated,assessed
      kgraph path Masimov Biden --format json
    """
    from ..network.algorithms import default_max_hops, evidence_dict, shortest_paths
    from ..network.neighbourhood import path_depth

    max_hops = max_hops or default_max_hops(avoid_hubs)
    (from_match, to_match), projection, degree = _around(store, graph_dir, [source, target], path_depth(max_hops),
                                                         degrees=avoid_hubs)
    a, b = from_match.actor, to_match.actor
    chosen, excluded = _filtered(projection, families, relations, exclude, modalities)
    for actor in (a, b):
        if actor.id not in chosen.actors:
            from ..errors import KgraphError

            raise KgraphError(f"{actor.label} is excluded by --exclude")
    # The degrees are the whole graph's, whatever the filters: a hub stays a hub.
    found = shortest_paths(chosen, a.id, b.id, max_hops=max_hops, k=k, directed=directed, avoid_hubs=avoid_hubs,
                           degree=degree)
    if fmt == "json":
        echo_json({"from": {"id": a.id, "label": a.label}, "to": {"id": b.id, "label": b.label},
               "paths": [p.to_dict(chosen.actors) for p in found],
               "resolved": {"from": from_match.to_dict(), "to": to_match.to_dict(),
                            "exclude": [m.to_dict() for m in excluded]}})
        return
    if a.id == b.id:
        echo_safe(f"{a.label} and {b.label} are the same actor ({a.id}).")
        return
    for i, found_path in enumerate(found, 1):
        cost = "" if found_path.cost is None else f", cost {found_path.cost}"
        echo_safe(f"Path {i} of {len(found)} ({found_path.length} hop{'s' * (found_path.length != 1)}{cost}): "
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
    from ..network.algorithms import neighbours as find

    projection = _projection(store, graph_dir)
    matched = _resolve(projection, name)
    actor = matched.actor
    found = find(projection, actor.id, depth=depth)
    if fmt == "json":
        echo_json({"actor": {"id": actor.id, "label": actor.label},
               "neighbours": [{"id": i, "label": projection.actors[i].label, "distance": d,
                               "relations": sorted({e.label for e in edges})} for i, d, edges in found],
               "resolved": matched.to_dict()})
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
    from ..network.algorithms import centrality

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
    from ..network.algorithms import factions as find

    projection = _projection(store, graph_dir)
    found = find(projection)
    if fmt == "json":
        echo_json([[{"id": i, "label": projection.actors[i].label} for i in group] for group in found])
        return
    for n, group in enumerate(found, 1):
        echo_safe(f"Faction {n} ({len(group)}): " + ", ".join(projection.actors[i].label for i in group))


COMMANDS = [actors, show, path, neighbours, central, factions]
