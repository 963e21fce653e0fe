"""Errors the library raises; the CLI turns each into a one-line message.

Every error is a :class:`KgraphError`. The CLI prints ``str(error)`` and exits
with ``error.exit_code`` (1: the user's input or data is wrong).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "KgraphError",
    "DataError",
    "Problem",
    "UnknownActor",
    "AmbiguousActor",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "StoreError",
    "NoPath",
    "MissingInput",
    "UnknownType",
]


class KgraphError(Exception):
    """Base class of every error kgraph raises on purpose.

    ``str(error)`` is one line a person can act on; ``exit_code`` is what the
    CLI exits with (1: the input or the data is wrong).

    Examples
    --------
    >>> import kgraph
    >>> try:
    ...     kgraph.query("DROP ALL")
    ... except kgraph.KgraphError as error:
    ...     print(error.exit_code)
    1
    """

    exit_code = 1
    #: how the names typed were taken before the error (:class:`kgraph.network.names.Match`), so the
    #: CLI can still say it (``taking 'Biden' as Joe Biden``) above the error
    resolved: tuple = ()


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the source data, located at ``file:line``."""

    file: str
    line: int
    message: str
    #: the file could not be read at all, so checks across files would only echo it
    fatal: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        # One problem, one line: a value quoted in the message may hold a line break.
        return f"{self.file}:{self.line}: {self.message}".replace("\r", "\\r").replace("\n", "\\n")


class DataError(KgraphError):
    """The source data has problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        first = str(self.problems[0]) if self.problems else "invalid data"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))


class UnknownActor(KgraphError):
    """No actor matches a name the user typed."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no actor named {name!r}{hint}")


class AmbiguousActor(KgraphError):
    """A name matches several actors equally well."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} is ambiguous; it could be: {', '.join(candidates)}")


class MissingInput(KgraphError):
    """Something the input does not say and no option gave (a usage error, exit 2).

    ``option`` is the option that supplies it (``--author``); a terminal may ask for it instead.
    """

    exit_code = 2

    def __init__(self, option: str, message: str):
        self.option = option
        super().__init__(message)


class QueryError(KgraphError):
    """A SPARQL query is malformed or fails."""


class QueryRefused(QueryError):
    """A SPARQL query was refused (an update, or over a limit)."""


class QueryTimeout(QueryError):
    """A SPARQL query ran longer than its time limit."""


class StoreError(KgraphError):
    """A store cannot be opened or reached."""


class NoPath(KgraphError):
    """No path between two actors within the limits."""


class UnknownType(KgraphError):
    """No actor has the type asked for; the message lists the types there are."""
