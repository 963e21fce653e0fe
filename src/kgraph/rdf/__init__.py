"""The second stage: the model and the vocabulary in ``ontology/`` turned into RDF graphs.

Namespaces (:mod:`~kgraph.rdf.namespaces` as strings, :mod:`~kgraph.rdf.iris`
as rdflib terms), the vocabulary (:mod:`~kgraph.rdf.ontology`), the checks
across records against it (:mod:`~kgraph.rdf.checks`), the mapping of one
dataset to triples (:mod:`~kgraph.rdf.mapping`), the graph build
(:mod:`~kgraph.rdf.build`, with its :mod:`~kgraph.rdf.manifest`) and
SHACL validation (:mod:`~kgraph.rdf.validate`).
"""
