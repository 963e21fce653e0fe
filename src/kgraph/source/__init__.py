"""The first stage: the human-edited YAML in ``data/`` read into :mod:`~kgraph.source.model` objects.

Every field is checked as it is read (:mod:`~kgraph.source.reading`); the
quotes' hedges and attributions are linted (:mod:`~kgraph.source.modality_lint`);
the drafts beside a dataset are counted (:mod:`~kgraph.source.drafts`).
Nothing here knows RDF.
"""
