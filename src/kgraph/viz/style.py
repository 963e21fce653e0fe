"""How actors and relations look in the network: shape, colour, size.

Actor types from the data fold into seven kinds a reader can tell apart at a
glance (shape *and* colour, so the legend works for colour-blind readers);
relation families get one colour each. Every table is keyed by the ids used
in ``data/`` and ``ontology/``, so the legend, the filters and the tests read
the same source.

>>> kind_of("security-body"), kind_of("city"), kind_of("country")
('organisation', 'place', 'state')
>>> node_size(0) < node_size(4) < node_size(16)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Kind", "KINDS", "TYPE_KIND", "FAMILY_COLOURS", "kind_of", "node_size", "MUTED"]


@dataclass(frozen=True)
class Kind:
    label: str
    shape: str  # a vis-network shape with the label drawn below it
    colour: str


# Okabe-Ito-like hues, dark enough for white label outlines to stay legible.
KINDS: dict[str, Kind] = {
    "person": Kind("person", "dot", "#2f6db5"),
    "organisation": Kind("organisation", "square", "#e08a1e"),
    "state": Kind("state (country)", "hexagon", "#3a9a5b"),
    "alliance": Kind("alliance", "star", "#8e5bb5"),
    "place": Kind("place", "triangleDown", "#8c6046"),
    "group": Kind("group", "triangle", "#d0568f"),
    "event": Kind("event", "diamond", "#c9a227"),
    "other": Kind("other", "dot", "#8a8a8a"),
}

# Actor type in data/ -> kind shown.
TYPE_KIND: dict[str, str] = {
    "person": "person",
    "organisation": "organisation",
    "state-body": "organisation",
    "security-body": "organisation",
    "company": "organisation",
    "country": "state",
    "alliance": "alliance",
    "city": "place",
    "place": "place",
    "group": "group",
    "event": "event",
}

# One per family of kgraph.rdf.ontology.FAMILIES (a test checks none is missing), plus "other".
FAMILY_COLOURS: dict[str, str] = {
    "cooperation": "#2e9d4b",
    "hostility": "#d62728",
    "membership": "#1f63b4",
    "kinship": "#e377c2",
    "location": "#8c564b",
    "participation": "#7f7f7f",
    "economic": "#f08c00",
    "symbolic": "#9467bd",
    "other": "#444444",
}

# Colour of whatever is not on a highlighted path.
MUTED = "#d9d9d9"


def kind_of(actor_type: str) -> str:
    """The kind an actor of ``actor_type`` is drawn as (``other`` when unknown)."""
    return TYPE_KIND.get(actor_type, "other")


def node_size(degree: int) -> int:
    """Node radius in pixels: grows with the square root of the degree, so hubs stand out without swamping."""
    return 10 + round(4 * math.sqrt(degree))
