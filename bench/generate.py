"""Synthetic graphs with the shape of the bundled one, at any size, from a seed.

The bundled Kazakhstan graph (with the ontology in it) is kept as it is, so
the named queries, ``show`` and ``path Tokayev Biden`` still find their
answers; synthetic threads and background data are added beside it:

- actors of the real types (``kg:Person`` / ``"person"`` ...), with English
  labels, some German labels, spelling variants, descriptions and Wikidata
  links; a few hubs are in many threads, as Kazakhstan and Tokayev are;
- threads of 20 posts (author, date, German-looking text, hashtags,
  mentions), four claims per post: a direct actor-to-actor triple and a
  statement node with its verbatim quote from the post, who asserts it and
  how (stated, assessed, speculated, reported);
- background edges without statement nodes, as merged Wikidata extracts have.

Roughly one actor per ten triples, so the 1M graph projects to ~100k actors.
The same size and seed give the same bytes::

    python bench/generate.py 100k --out bench/out/100k
    python bench/generate.py --smoke      # 10k into a temporary folder (tests)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "graph" / "kazakhstan-2022.ttl"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
SEED = 2022

KG = "https://kgraph.example/ns#"
ACTOR = "https://kgraph.example/id/actor/"
POST = "https://kgraph.example/id/post/"
CLAIM = "https://kgraph.example/id/claim/"
THREAD = "https://kgraph.example/id/thread/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
WD = "http://www.wikidata.org/entity/"

PREFIXES = {"kg": KG, "actor": ACTOR, "post": POST, "claim": CLAIM, "thread": THREAD, "rdf": RDF, "rdfs": RDFS,
            "skos": SKOS, "owl": OWL, "prov": PROV, "schema": SCHEMA, "xsd": XSD, "wd": WD}

TYPES = [("Person", "person"), ("Group", "group"), ("Country", "country"), ("Event", "event"),
         ("StateBody", "state-body"), ("SecurityBody", "security-body"), ("Alliance", "alliance"),
         ("City", "city"), ("Company", "company"), ("Place", "place")]
MODALITIES = ["stated"] * 13 + ["assessed"] * 3 + ["speculated"] * 2 + ["reported"] * 2
WORDS = ("die der das und nicht Regierung Präsident Truppen Abzug Land Stadt Westen Russland Verbindungen "
         "Macht Kampf Clan Sicherheit Armee Grenze Protest Opposition Minister Verhaftung Verrat Einfluss "
         "Behörden Bericht Quellen Beobachter sollen wohl offenbar bereits heute morgen gestern neue Lage "
         "Einheiten Mission Wirtschaft Öl Gas Firmen Bündnis Union Gipfel Erklärung Wahlen Medien Videos").split()
SYLLABLES = "ka ra to ma sa ni ye ko va le bi an or us el ta mi ro zh qa".split()

POSTS_PER_THREAD = 20
CLAIMS_PER_POST = 4
TRIPLES_PER_ACTOR = 10  # the budget, not the count: actors have ~4.5 triples, the rest is claims


@dataclass
class Generated:
    graph_dir: Path
    triples: int
    actors: int
    claims: int
    hubs: list[str]  # actor ids with the most edges, for path benchmarks


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _name(rng: random.Random) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
                    for _ in range(rng.randint(1, 2)))


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


class _Writer:
    def __init__(self):
        self.triples: list[ox.Triple] = []

    def add(self, s, p, o) -> None:
        self.triples.append(ox.Triple(s, p, o))


def _relations() -> list[ox.NamedNode]:
    store = ox.Store()
    store.bulk_load(path=str(BUNDLED), format=ox.RdfFormat.TURTLE)
    rows = store.query("SELECT ?p WHERE { ?p rdfs:subPropertyOf kg:relation } ORDER BY ?p", prefixes=PREFIXES)
    return [row["p"] for row in rows]


def _actors(out: _Writer, rng: random.Random, count: int) -> list[ox.NamedNode]:
    actors = []
    lit, lang = ox.Literal, (lambda text, tag: ox.Literal(text, language=tag))
    for i in range(count):
        node = _n(f"{ACTOR}syn-{i}")
        cls, kind = rng.choice(TYPES)
        name = f"{_name(rng)} {i}"
        out.add(node, _n(RDF + "type"), _n(KG + cls))
        out.add(node, _n(KG + "actorType"), lit(kind))
        out.add(node, _n(RDFS + "label"), lang(name, "en"))
        if rng.random() < 0.3:
            out.add(node, _n(RDFS + "label"), lang(name.replace("k", "ch"), "de"))
        if rng.random() < 0.5:
            out.add(node, _n(SKOS + "altLabel"), lit(name.replace("y", "j").replace("q", "k")))
        if rng.random() < 0.2:
            out.add(node, _n(SCHEMA + "description"), lang(_text(rng, 8), "en"))
        if rng.random() < 0.2:
            out.add(node, _n(OWL + "sameAs"), _n(f"{WD}Q{1_000_000 + i}"))
        actors.append(node)
    return actors


def _skewed(rng: random.Random, actors: list) -> ox.NamedNode:
    # Low indices are drawn far more often: a few hubs, a long tail.
    return actors[int(len(actors) * rng.random() ** 2.5)]


def _thread(out: _Writer, rng: random.Random, index: int, actors, relations) -> int:
    dataset = f"synthetic-{index}"
    thread = _n(f"{THREAD}{dataset}")
    cast = [_skewed(rng, actors) for _ in range(30)]
    author = cast[0]
    day = ox.Literal(f"2022-{1 + index % 12:02d}-{1 + index % 28:02d}", datatype=_n(XSD + "date"))
    data = ox.Literal(dataset)
    out.add(thread, _n(RDF + "type"), _n(KG + "Thread"))
    out.add(thread, _n(RDFS + "label"), ox.Literal(f"Synthetic thread {index}", language="en"))
    out.add(thread, _n(KG + "dataset"), data)
    out.add(thread, _n(SCHEMA + "author"), author)
    out.add(thread, _n(SCHEMA + "datePublished"), day)
    out.add(thread, _n(SCHEMA + "numberOfItems"), ox.Literal(str(POSTS_PER_THREAD), datatype=_n(XSD + "integer")))
    claims = 0
    for number in range(1, POSTS_PER_THREAD + 1):
        post = _n(f"{POST}{dataset}-{number}")
        sentences = [_text(rng, rng.randint(6, 12)) for _ in range(CLAIMS_PER_POST)]
        out.add(post, _n(RDF + "type"), _n(SCHEMA + "SocialMediaPosting"))
        out.add(post, _n(RDFS + "label"), ox.Literal(f"post {number}", language="en"))
        out.add(post, _n(KG + "dataset"), data)
        out.add(post, _n(SCHEMA + "author"), author)
        out.add(post, _n(SCHEMA + "datePublished"), day)
        out.add(post, _n(SCHEMA + "inLanguage"), ox.Literal("de"))
        out.add(post, _n(SCHEMA + "isPartOf"), thread)
        out.add(post, _n(SCHEMA + "position"), ox.Literal(str(number), datatype=_n(XSD + "integer")))
        out.add(post, _n(SCHEMA + "text"), ox.Literal(".\n".join(sentences) + ".", language="de"))
        out.add(post, _n(SCHEMA + "keywords"), ox.Literal(rng.choice(WORDS)))
        for k, sentence in enumerate(sentences, start=1):
            subject, obj = rng.sample(cast, 2)
            predicate = rng.choice(relations)
            claim_id = f"c{number:02d}-{k}"
            claim = _n(f"{CLAIM}{dataset}-{claim_id}")
            words = sentence.split()
            start = rng.randrange(0, max(1, len(words) - 4))
            out.add(subject, predicate, obj)
            out.add(post, _n(KG + "mentions"), subject)
            out.add(claim, _n(RDF + "type"), _n(RDF + "Statement"))
            out.add(claim, _n(RDF + "type"), _n(KG + "Statement"))
            out.add(claim, _n(RDFS + "label"), ox.Literal(f"claim {claim_id} of {dataset}", language="en"))
            out.add(claim, _n(RDF + "subject"), subject)
            out.add(claim, _n(RDF + "predicate"), predicate)
            out.add(claim, _n(RDF + "object"), obj)
            out.add(claim, _n(PROV + "wasAttributedTo"), author if rng.random() < 0.8 else rng.choice(cast))
            out.add(claim, _n(PROV + "wasDerivedFrom"), post)
            out.add(claim, _n(KG + "claimId"), ox.Literal(claim_id))
            out.add(claim, _n(KG + "dataset"), data)
            out.add(claim, _n(KG + "modality"), _n(KG + rng.choice(MODALITIES)))
            out.add(claim, _n(KG + "quote"), ox.Literal(" ".join(words[start:start + 5]), language="de"))
            claims += 1
    return claims


def _recipe(triples: int, seed: int) -> str:
    """What a graph was made from: the size, the seed, this script, the bundled graph and the Turtle writer."""
    digest = hashlib.sha256(Path(__file__).read_bytes() + BUNDLED.read_bytes()).hexdigest()
    return f"{triples} {seed} {digest} pyoxigraph {ox.__version__}"


def reuse_or_generate(triples: int, out_dir: Path | str, *, seed: int = SEED) -> Generated:
    """The graph :func:`generate` wrote into ``out_dir`` from the same recipe, else a new one.

    A 10M graph takes minutes and gigabytes to make; a benchmark run again on
    it should not make it again.
    """
    out_dir = Path(out_dir)
    try:
        made = json.loads((out_dir / "generated.json").read_text(encoding="utf-8"))
        size = made.pop("bytes")  # a file cut short or edited since is made again
        same = made.pop("recipe") == _recipe(triples, seed)
        if same and (out_dir / "graph" / "synthetic.ttl").stat().st_size == size:
            return Generated(**dict(made, graph_dir=out_dir / "graph"))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return generate(triples, out_dir, seed=seed)


def generate(triples: int, out_dir: Path | str, *, seed: int = SEED) -> Generated:
    """Write ``out_dir/graph/`` with about ``triples`` triples; return what was made."""
    out_dir = Path(out_dir)
    graph_dir = out_dir / "graph"
    (out_dir / "generated.json").unlink(missing_ok=True)
    if graph_dir.exists():
        shutil.rmtree(graph_dir)
    graph_dir.mkdir(parents=True)
    shutil.copyfile(BUNDLED, graph_dir / BUNDLED.name)
    rng = random.Random(seed)
    relations = _relations()
    out = _Writer()
    budget = max(0, triples - 2_500)  # the bundled graph has ~2,500
    # Hub actors of the real graph lead the list, so synthetic paths cross them.
    actors = [_n(ACTOR + "kazakhstan"), _n(ACTOR + "tokayev"), _n(ACTOR + "russia")]
    actors += _actors(out, rng, max(40, budget // TRIPLES_PER_ACTOR))
    claims, index = 0, 0
    while len(out.triples) < budget * 0.88:
        claims += _thread(out, rng, index, actors, relations)
        index += 1
    while len(out.triples) < budget:
        out.add(_skewed(rng, actors), rng.choice(relations), rng.choice(actors))
    with open(graph_dir / "synthetic.ttl", "wb") as file:
        ox.serialize(out.triples, file, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    store = ox.Store()
    for file in sorted(graph_dir.glob("*.ttl")):
        store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
    hubs = [row["a"].value[len(ACTOR):] for row in store.query(
        "SELECT ?a (COUNT(*) AS ?n) WHERE { { ?a ?p ?b } UNION { ?b ?p ?a } ?p rdfs:subPropertyOf kg:relation . "
        "?a kg:actorType [] } GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 20", prefixes=PREFIXES)]
    made = Generated(graph_dir, len(store), len(actors) + 42, claims, hubs)
    record = {key: value for key, value in asdict(made).items() if key != "graph_dir"}
    record["recipe"] = _recipe(triples, seed)
    record["bytes"] = (graph_dir / "synthetic.ttl").stat().st_size
    (out_dir / "generated.json").write_text(json.dumps(record), encoding="utf-8")
    return made


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", nargs="?", choices=sorted(SIZES), help="How many triples, roughly.")
    parser.add_argument("--out", type=Path, help="Folder to write graph/ into (default bench/out/SIZE).")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--smoke", action="store_true", help="10k into a temporary folder: does it still run?")
    args = parser.parse_args(argv)
    if args.smoke:
        import tempfile

        args.size, args.out = "10k", args.out or Path(tempfile.mkdtemp(prefix="kgraph-generate-"))
    elif args.size is None:
        parser.error("the size is required (or --smoke)")
    made = generate(SIZES[args.size], args.out or ROOT / "bench" / "out" / args.size, seed=args.seed)
    print(f"{made.graph_dir}: {made.triples} triples, {made.actors} actors, {made.claims} claims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
