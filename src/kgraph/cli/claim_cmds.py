"""Commands about the evidence itself: claims, post, search."""

from __future__ import annotations

import click

from .options import (
    delimited,
    echo_data,
    echo_safe,
    format_option,
    modality_options,
    open_graph,
    store_option,
    table_width,
)

__all__ = ["COMMANDS"]


@click.group(invoke_without_command=True)
@modality_options
@click.option("--asserted-by", "asserted_by", multiple=True, metavar="NAME",
              help="Only claims this source asserts (any spelling; repeatable).")
@click.option("--actor", "actors", multiple=True, metavar="NAME",
              help="Only claims with this actor as subject or object (repeatable).")
@click.option("--relation", "relations", multiple=True, help="Only this relation id or label (repeatable).")
@click.option("--family", "families", multiple=True, help="Only relations of this family (repeatable).")
@click.option("--post", "posts", multiple=True, type=click.IntRange(min=1), metavar="N",
              help="Only claims from this post (repeatable).")
@click.option("--dataset", "datasets", multiple=True, metavar="NAME", help="Only this dataset (repeatable).")
@format_option("table", "json", "csv", "tsv")
@store_option
@click.pass_context
def claims(ctx, modalities, asserted_by, actors, relations, families, posts, datasets, fmt, store, graph_dir):
    """List the claims with their evidence: post, subject, relation, object,
    modality, who asserts it, the verbatim quote, the note and the time.
    'kgraph claims promote' moves reviewed drafts into claims.yaml.

    Filters combine (all must hold); a filter given twice matches either value.

    \b
    Examples:
      kgraph claims --modality speculated,reported      # what the thread only suspects or passes on
      kgraph claims --asserted-by "Kazakh observers"
      kgraph claims --actor Masimov --format json
      kgraph claims --family hostility --modality stated --format csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..network.claimlist import COLUMNS

    found = open_graph(store, graph_dir).claims(modalities=modalities, asserted_by=asserted_by, actors=actors,
                                                relations=relations, families=families, posts=posts,
                                                datasets=datasets)
    if fmt == "json":
        click.echo(found.to_json())
    elif fmt in ("csv", "tsv"):
        headers = ["dataset", "claim", *(c.replace(" ", "_") for c in COLUMNS)]
        echo_data(delimited(headers, [[c.dataset, c.claim, *c.cells()] for c in found],
                             "," if fmt == "csv" else "\t"))
    else:
        from .tables import format_table

        click.echo(format_table(list(COLUMNS), [c.cells() for c in found], width=table_width()))
        click.echo(f"({len(found)} claim{'s' * (len(found) != 1)})")


@claims.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--dataset", "folder", required=True, type=click.Path(file_okay=False, exists=True),
              help="The dataset folder, e.g. data/jane-doe-2022-01-12.")
def promote(ids, folder):
    """Move the reviewed drafts ID... from claims.draft.yaml into claims.yaml.

    Each goes after the last claim of its post; the rest of claims.yaml,
    comments and layout included, stays byte for byte. A draft still at
    'relation: ?' or an id claims.yaml already has is refused.

    \b
    Example:
      kgraph claims promote d01-1 d02-3 --dataset data/jane-doe-2022-01-12
    """
    from ..ingest.promote import promote as run

    for moved in run(folder, list(ids)):
        echo_safe(f"promoted {moved}")


@click.command()
@click.argument("number", type=click.IntRange(min=1))
@click.option("--dataset", metavar="NAME", help="The dataset (thread), when several have a post NUMBER.")
@format_option("text", "json")
@store_option
def post(number, dataset, fmt, store, graph_dir):
    """Print post NUMBER verbatim, with its claims and the actors it mentions.

    \b
    Examples:
      kgraph post 16
      kgraph post 3 --dataset kazakhstan-2022 --format json
    """
    answer = open_graph(store, graph_dir).post(number, dataset=dataset)
    if fmt == "json":
        click.echo(answer.to_json())
        return
    found = answer.data
    by = f" by {found['author']['label']}" if found["author"] else ""
    echo_safe(f"Post {found['post']} of {found['dataset'] or 'the graph'}{by}, {found['date'] or 'undated'}")
    click.echo()
    echo_safe(found["text"])
    if found["links"]:
        echo_safe("\nLinks: " + ", ".join(found["links"]))
    click.echo(f"\nClaims ({len(found['claims'])}):")
    for c in found["claims"]:
        echo_safe(f"  {c['claim']}  {c['subject']['label']} —{c['relation']['label']}→ {c['object']['label']}  "
                  f"[{c['modality']}, {c['asserted_by']['label']}]")
        echo_safe(f"      \"{c['quote']}\"" + (f"  ({c['time']})" if c["time"] else ""))
        if c["note"]:
            echo_safe(f"      note: {c['note']}")
    mentions = found["mentions"]
    echo_safe(f"\nMentions ({len(mentions)}): " + ", ".join(f"{a['label']} ({a['id']})" for a in mentions))


@click.command()
@click.argument("text")
@format_option("table", "json")
@store_option
def search(text, fmt, store, graph_dir):
    """Find TEXT in the posts, claim quotes, claim notes and actor descriptions.

    Every word must occur; case, accents and Cyrillic are folded as for
    names, so 'staatsverrat' finds "Staatsverrat" and 'masimov' finds "Масимов".

    \b
    Examples:
      kgraph search staatsverrat
      kgraph search "hunter biden" --format json
    """
    hits = open_graph(store, graph_dir).search(text)
    if fmt == "json":
        click.echo(hits.to_json())
        return
    from .tables import format_table

    rows = []
    for hit in hits:
        if hit["field"] == "post":
            where = f"post {hit['post']}"
        elif hit["field"] == "description":
            where = f"{hit['label']} ({hit['id']})"
        else:
            where = f"{hit['id']}, post {hit['post']}"
        rows.append([hit["field"], where, hit["snippet"]])
    click.echo(format_table(["found in", "where", "text"], rows, width=table_width()))
    click.echo(f"({len(hits)} hit{'s' * (len(hits) != 1)})")


COMMANDS = [claims, post, search]
