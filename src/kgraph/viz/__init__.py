"""The interactive network: one self-contained HTML file that works offline.

>>> from kgraph.network.projection import load_projection
>>> from kgraph.viz import render_html, select_view
>>> view = select_view(load_projection(), focus="Toqajev", depth=1)
>>> page = render_html(view.projection, title="Tokayev")   # write it to a .html file and open it
>>> page.startswith(b"<!DOCTYPE html>"), "tokayev" in view.projection.actors
(True, True)

``render_html`` lays the actors out once (seeded, so the same data gives the
same picture and the same bytes), draws them with pyvis/vis-network, and wraps
them in a page with a side panel (names, aliases, description, Wikidata,
relations; for a line, every piece of evidence with post number and verbatim
quote), a search box, filters by actor kind and relation family, a path mode
and a reset. ``select_view`` applies the ``kgraph viz`` options.
"""

from .page import render_html
from .view import View, select_view

__all__ = ["render_html", "select_view", "View"]
