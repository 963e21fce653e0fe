"""Commands about actors: actors, show, path, neighbours, central, factions."""

from __future__ import annotations

import click

from .options import (
    delimited,
    echo_data,
    echo_notes,
    echo_safe,
    format_option,
    modality_options,
    open_graph,
    store_option,
    table_width,
)

__all__ = ["COMMANDS"]


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
    from ..errors import UnknownType

    try:
        found = open_graph(store, graph_dir).actors(kind)
    except UnknownType as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "json":
        click.echo(found.to_json())
    elif fmt == "csv":
        columns = ["id", "type", "label", "relations"]
        echo_data(delimited(columns, [[r[c] for c in columns] for r in found]))
    else:
        from .tables import format_table

        click.echo(format_table(["id", "type", "label", "relations"],
                                [[r["id"], r["type"], r["label"], str(r["relations"])] for r in found], table_width()))


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
    found = open_graph(store, graph_dir).show(name)
    echo_notes(found.resolved)
    if fmt == "json":
        click.echo(found.to_json())
        return
    info = found.info
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
        _echo_evidence(rel["evidence"], found.datasets)
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
    from ..network.algorithms import evidence_dict

    found = open_graph(store, graph_dir).path(source, target, max_hops=max_hops, k=k, directed=directed,
                                              avoid_hubs=avoid_hubs, relations=relations, families=families,
                                              exclude=exclude, modalities=modalities)
    echo_notes(found.resolved)
    if fmt == "json":
        click.echo(found.to_json())
        return
    a, b, actors = found.source, found.target, found.network.actors
    if a.id == b.id:
        echo_safe(f"{a.label} and {b.label} are the same actor ({a.id}).")
        return
    for i, found_path in enumerate(found, 1):
        cost = "" if found_path.cost is None else f", cost {found_path.cost}"
        echo_safe(f"Path {i} of {len(found)} ({found_path.length} hop{'s' * (found_path.length != 1)}{cost}): "
                  f"{a.label} → {b.label}")
        for hop in found_path.hops:
            left, right = actors[hop.source].label, actors[hop.target].label
            link = f"—{hop.edge.label}→" if hop.direction == "forward" else f"←{hop.edge.label}—"
            echo_safe(f"  {left} {link} {right}")
            if not hop.edge.evidence:
                echo_safe("      [no statement in the graph]")
            _echo_evidence([evidence_dict(e) for e in hop.edge.evidence], found.datasets)
        if i < len(found):
            click.echo()


@click.command()
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, help="How many hops out.")
@format_option("text", "json")
@store_option
def neighbours(name, depth, fmt, store, graph_dir):
    """The actors within --depth hops of NAME, nearest first."""
    found = open_graph(store, graph_dir).neighbours(name, depth=depth)
    echo_notes(found.resolved)
    if fmt == "json":
        click.echo(found.to_json())
        return
    echo_safe(f"{found.actor.label}: {len(found)} actor(s) within {depth} hop(s)")
    for row in found:
        echo_safe(f"  {row['distance']}  {row['label']}  ({', '.join(row['relations'])})")


@click.command()
@click.option("--measure", type=click.Choice(["degree", "betweenness", "pagerank"]), default="degree",
              show_default=True, help="Centrality measure (networkx).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many actors to show.")
@format_option("text", "json")
@store_option
def central(measure, top, fmt, store, graph_dir):
    """The most central actors of the network."""
    ranked = open_graph(store, graph_dir).central(measure, top)
    if fmt == "json":
        click.echo(ranked.to_json())
        return
    for row in ranked:
        echo_safe(f"{ranked.score_text(row['score']):>7}  {row['label']}")


@click.command()
@format_option("text", "json")
@store_option
def factions(fmt, store, graph_dir):
    """Factions: communities of actors bound by cooperation, membership and kinship."""
    found = open_graph(store, graph_dir).factions()
    if fmt == "json":
        click.echo(found.to_json())
        return
    for n, group in enumerate(found, 1):
        echo_safe(f"Faction {n} ({len(group)}): " + ", ".join(a["label"] for a in group))


COMMANDS = [actors, show, path, neighbours, central, factions]
