"""The fourth stage: the graph read back from a store as a network of actors and evidence.

The projection and its cache (:mod:`~kgraph.network.projection`), the index
beside an on-disk store (:mod:`~kgraph.network.actorindex`), the part
around some actors (:mod:`~kgraph.network.neighbourhood`,
:mod:`~kgraph.network.selection`), names as people type them
(:mod:`~kgraph.network.names`), the algorithms (:mod:`~kgraph.network.algorithms`)
and the answers of ``show``, ``claims``, ``post`` and ``search``.
"""
