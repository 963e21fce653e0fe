"""``kgraph ingest``: a saved thread in, a dataset folder to curate out."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import MissingInput
from .options import echo_json, echo_safe, format_option

__all__ = ["COMMANDS"]

# How many candidate actors the text report lists (the file lists more, JSON all).
_SHOWN = 20


def _checked(check):
    """A click callback that turns a library check's error into a usage error (exit 2)."""

    def callback(ctx, param, value):
        from ..errors import KgraphError

        if value is None:
            return None
        try:
            return check(value)
        except KgraphError as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


def _lazy(name):
    def check(value):
        from ..ingest import pipeline

        return getattr(pipeline, name)(value)

    return check


@click.command()
@click.argument("source", type=click.File("rb"))
@click.option("--data", "data_dir", default="data", show_default=True, type=click.Path(file_okay=False),
              help="Folder of the datasets whose actors are looked for in the posts.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder to create the dataset folder in  [default: the --data folder].")
@click.option("--name", callback=_checked(_lazy("check_name")),
              help="Dataset name (lower-case, hyphens)  [default: AUTHOR-DATE].")
@click.option("--author", help="Author's name or actor id, if the header has none or is wrong.")
@click.option("--date", callback=_checked(_lazy("check_date")), help="Date of the thread, YYYY-MM-DD.")
@click.option("--lang", "language", callback=_checked(_lazy("check_language")),
              help="Language tag of the posts (de, en ...)  [default: detected].")
@click.option("--draft-claims", is_flag=True,
              help="Also write claims.draft.yaml: a draft claim for every sentence naming two actors.")
@click.option("--force", is_flag=True, help="Replace an existing thread.yaml of that dataset.")
@click.option("--dry-run", is_flag=True, help="Print the files instead of writing them.")
@format_option("text", "json")
def ingest(source, data_dir, out_dir, name, author, date, language, draft_claims, force, dry_run, fmt):
    """Turn a saved thread (a file, or - for standard input) into a dataset to curate.

    Splits the text into numbered posts - markers like (3/23), 3/23, 3/, (3),
    🧵3 or 3. at the end or start of a post, one numbered line per post (1. /
    2) / 3/ / 4/10), else one post per paragraph - takes the author, date and
    post count from the header when there is one (asking on a terminal when not),
    and records in every post the known actors it names (however spelled or
    inflected). Names that may be new actors are listed, never added.

    Writes OUT/NAME/thread.yaml (and actors.yaml with the author, when the
    author is no actor yet; with --draft-claims, claims.draft.yaml, which
    'kgraph build' never reads: review it, then 'kgraph claims promote'). An existing thread.yaml is replaced only with
    --force. Then check the mentions, write claims, and run 'kgraph build'.
    """
    from ..ingest import ingest as run_ingest
    from ..ingest import write

    file_name = getattr(source, "name", "<stdin>")
    from_stdin = file_name in ("<stdin>", "-")
    source_name = "standard input" if from_stdin else Path(file_name).name
    data = source.read()
    given = {"author": author, "date": date}
    while True:
        try:
            result = run_ingest(data, source_name=source_name, data_dir=data_dir, out_dir=out_dir,
                                name=name, language=language, draft_claims=draft_claims, **given)
            break
        except MissingInput as missing:
            # Asked for only on a terminal, and only once: a piped run fails naming the option.
            key = missing.option.lstrip("-")
            if from_stdin or given[key] is not None or not _interactive():
                raise
            given[key] = click.prompt(_PROMPTS[missing.option])
    written = [] if dry_run else write(result, force=force)
    for warning in result.warnings:
        echo_safe(f"kgraph: warning: {warning}", err=True)
    if fmt == "json":
        report = result.to_dict() | {"written": [str(p) for p in written]}
        if dry_run:
            report["contents"] = {str(p): data.decode("utf-8") for p, data in result.files.items()}
        echo_json(report)
        return
    for path, data in result.files.items() if dry_run else ():
        echo_safe(f"# ==> {path} (dry run: not written) <==")
        echo_safe(data.decode("utf-8"))
    _report(result, written, err=dry_run)


_PROMPTS = {"--author": "The thread names no author. Author (name or actor id)",
            "--date": "The thread gives no date. Date (YYYY-MM-DD)"}


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty()


def _report(result, written, err: bool) -> None:
    def say(text=""):
        echo_safe(text, err=err)

    posts = result.posts
    say(f"{len(posts)} posts ({result.style}); author {result.author}, date {result.date}, "
        f"language {result.language} ({result.language_from})")
    counts = result.mention_counts()
    if counts:
        top = ", ".join(f"{actor} {n}" for actor, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8])
        say(f"mentions: {len(counts)} known actors in {sum(1 for p in posts if p.mentions)} posts "
            f"(posts per actor: {top}{', ...' if len(counts) > 8 else ''})")
    if result.candidates:
        say(f"candidate new actors, not added ({len(result.candidates)}):")
        for candidate in result.candidates[:_SHOWN]:
            say(f"  {' '.join(candidate.name.split())} ({candidate.kind}; type {candidate.type}?): "
                f"post{'s' * (len(candidate.posts) > 1)} {', '.join(map(str, candidate.posts[:10]))}"
                f"{' ...' if len(candidate.posts) > 10 else ''}")
        if len(result.candidates) > _SHOWN:
            say(f"  ... and {len(result.candidates) - _SHOWN} more (listed at the end of thread.yaml)")
    if result.drafts:
        unknown = sum(d.relation == "?" for d in result.drafts)
        say(f"draft claims: {len(result.drafts)} ({unknown} without a relation), in claims.draft.yaml to review")
    for note in result.notes:
        say(f"note: {note}")
    for path in written:
        say(f"wrote {path}")


COMMANDS = [ingest]
