"""Publish datasets to a team's triplestore (``kgraph load --store http(s)://...``).

Each file goes out through the SPARQL 1.1 Graph Store HTTP Protocol as one
``PUT <graph store>?graph=<graph IRI>``: the server replaces that named graph
with the file's triples in one request, so a dataset is published whole or
not at all, and publishing again is safe. The graph of ``graph/DATASET.ttl``
is :func:`kgraph.rdf.namespaces.graph_iri` of ``DATASET``. Every file is parsed
here first, so a broken file stops the publish before anything is sent.

The graph store is named with ``graph_store``, or derived from the query
endpoint: Oxigraph's ``/query`` has its ``/store`` beside it, Virtuoso's
``/sparql`` its ``/sparql-graph-crud-auth`` (which takes a user with
SPARQL_UPDATE, such as ``dba``, by HTTP digest authentication).

Credentials come from the environment (``KGRAPH_USER``, ``KGRAPH_PASSWORD``)
or from ``~/.netrc`` (``$NETRC`` when set), never from the command line, and
are never written to messages.
"""

from __future__ import annotations

import netrc
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StoreError
from ..rdf.namespaces import graph_iri

__all__ = ["publish", "graph_store_url", "credentials", "PublishReport", "CONTENT_TYPES", "CREDENTIALS_HELP"]

# What the Graph Store Protocol servers kgraph was tried with all take.
CONTENT_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples"}
DERIVED = {"/query": "/store", "/sparql": "/sparql-graph-crud-auth"}
CREDENTIALS_HELP = "set KGRAPH_USER and KGRAPH_PASSWORD, or add the host to ~/.netrc"
PUBLISH_TIMEOUT = 300.0


@dataclass
class PublishReport:
    graph_store: str
    #: (file, graph IRI, triples, True if the graph was new)
    graphs: list[tuple[Path, str, int, bool]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"{'created' if new else 'replaced'} <{iri}> with {file} ({triples} triples)"
                 for file, iri, triples, new in self.graphs]
        lines.append(f"published {len(self.graphs)} graph{'s' * (len(self.graphs) != 1)} to {self.graph_store} "
                     f"in {self.seconds:.1f} s")
        return "\n".join(lines)


def graph_store_url(endpoint: str, graph_store: str | None = None) -> str:
    """The Graph Store Protocol endpoint: ``graph_store``, or the one beside the query ``endpoint``."""
    if graph_store:
        if not graph_store.startswith(("http://", "https://")):
            raise StoreError(f"--graph-store {graph_store!r}: give an http(s):// URL")
        return graph_store
    parts = urllib.parse.urlsplit(endpoint)
    for tail, store in DERIVED.items():
        if parts.path.endswith(tail) and not parts.query:
            return urllib.parse.urlunsplit(parts._replace(path=parts.path[:-len(tail)] + store))
    raise StoreError(f"cannot tell the graph store of {endpoint}; name it with --graph-store URL "
                     "(Oxigraph: .../store, Virtuoso: .../sparql-graph-crud-auth, Fuseki: .../DATASET/data)")


def credentials(url: str) -> tuple[str, str] | None:
    """``(user, password)`` for ``url`` from KGRAPH_USER/KGRAPH_PASSWORD, else ~/.netrc; None without any."""
    user, password = os.environ.get("KGRAPH_USER"), os.environ.get("KGRAPH_PASSWORD")
    if user is not None or password is not None:
        if user is None or password is None:
            raise StoreError("set both KGRAPH_USER and KGRAPH_PASSWORD, or neither")
        return user, password
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        found = netrc.netrc(path).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except netrc.NetrcParseError as exc:
        # Its message quotes the token it choked on, which may be a password.
        raise StoreError(f"{path}: cannot read it (line {exc.lineno})") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read it: {exc.strerror}") from None
    return (found[0], found[2]) if found else None


def _opener(url: str):
    found = credentials(url)
    if found is None:
        return urllib.request.build_opener(), False
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, *found)
    # Virtuoso's graph store asks for digest, others for basic: the server's challenge picks.
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords)), True


def _triples(file: Path) -> int:
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TURTLE if file.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
    try:
        return sum(1 for _ in ox.parse(path=str(file), format=fmt))
    except SyntaxError as exc:
        raise StoreError(f"{file}: {exc}; nothing was published") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{file}: cannot read: {exc}; nothing was published") from None


def publish(files, endpoint: str, *, graph_store: str | None = None,
            timeout: float = PUBLISH_TIMEOUT) -> PublishReport:
    """Replace the named graph of each of ``files`` (Turtle or N-Triples) on the server of ``endpoint``."""
    started = time.perf_counter()
    target = graph_store_url(endpoint, graph_store)
    files = [Path(f) for f in files]
    checked = []
    for file in files:
        if file.suffix not in CONTENT_TYPES:
            raise StoreError(f"{file}: a graph store takes {' or '.join(CONTENT_TYPES)} files here")
        checked.append((file, graph_iri(file.stem), _triples(file)))
    opener, authenticated = _opener(target)
    report = PublishReport(target)
    for file, iri, triples in checked:
        url = f"{target}{'&' if '?' in target else '?'}{urllib.parse.urlencode({'graph': iri})}"
        request = urllib.request.Request(url, data=file.read_bytes(), method="PUT", headers={
            "Content-Type": CONTENT_TYPES[file.suffix], "User-Agent": "kgraph"})
        try:
            with opener.open(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise StoreError(_refused(exc, target, iri, authenticated, report)) from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach {target}: {getattr(exc, 'reason', exc)}{_so_far(report)}") from None
        report.graphs.append((file, iri, triples, status == 201))
    report.seconds = time.perf_counter() - started
    return report


def _so_far(report: PublishReport) -> str:
    done = ", ".join(f"<{iri}>" for _, iri, _, _ in report.graphs)
    return f" (published before this: {done})" if done else ""


def _refused(exc: urllib.error.HTTPError, target: str, iri: str, authenticated: bool, report) -> str:
    from .http import http_detail

    if exc.code in (401, 403):
        why = ("the credentials were refused" if authenticated else "it needs credentials")
        return f"{target} answered {exc.code} for <{iri}>: {why}; {CREDENTIALS_HELP}{_so_far(report)}"
    hint = "; is it a writable graph store? name it with --graph-store URL" if exc.code in (404, 405) else ""
    return f"{target} answered {exc.code} for <{iri}>: {http_detail(exc)}{hint}{_so_far(report)}"
