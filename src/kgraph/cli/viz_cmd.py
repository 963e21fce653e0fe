"""``kgraph viz``: the interactive network as one offline HTML file."""

from __future__ import annotations

import click

from .options import echo_notes, echo_safe, modality_options, store_option

__all__ = ["COMMANDS"]


@click.command()
@click.option("--out", default="network.html", show_default=True, metavar="FILE|-",
              help="HTML file to write; - writes it to standard output.")
@click.option("--focus", metavar="NAME", help="Only the actors around this one (any name or spelling).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="With --focus: how many hops around it.")
@click.option("--path", "path", nargs=2, metavar="A B",
              help="Only the shortest path between two actors, highlighted when the page opens.")
@click.option("--family", "families", multiple=True, help="Only relations of this family (repeatable).")
@modality_options
@click.option("--title", help="Page title (default: what was selected).")
@store_option
def viz(out, focus, depth, path, families, modalities, title, store, graph_dir):
    """Draw the actor network as one HTML file that works offline.

    Open the file in any browser: click an actor for its names, description,
    Wikidata link and relations; click a line for its evidence (post number,
    verbatim quote, who asserts it, how). Search by any spelling, filter by
    kind of actor or family of relation, highlight a path, reset.
    'kgraph build' writes the whole graph's page as graph/<dataset>.html.

    \b
      kgraph viz --out kazakhstan.html
      kgraph viz --focus Toqajev --depth 1 --out tokayev.html
      kgraph viz --path Tokayev Biden --out path.html
      kgraph viz --family hostility --family cooperation --stated-only
      kgraph viz --modality speculated,reported --out hedged.html
    """
    if focus and path:
        raise click.UsageError("use either --focus or --path, not both")
    from ..network.projection import load_projection
    from ..util.atomic import write_atomic
    from ..viz import render_html, select_view

    view = select_view(load_projection(store, graph_dir=graph_dir), focus=focus, depth=depth, path=path or None,
                       families=families, modalities=modalities, title=title)
    echo_notes(view.resolved)
    page = render_html(view.projection, title=view.title, path=view.path,
                       notes=[m.note() for m in view.resolved if m.note()])
    if out == "-":
        click.echo(page, nl=False)  # bytes go to the binary stream as they are
        return
    write_atomic(out, page)
    echo_safe(f"wrote {out}: {len(view.projection.actors)} actors, {len(view.projection.edges)} relations, "
              f"{len(page) / 1024:.0f} KiB")


COMMANDS = [viz]
