"""From the bytes of a saved thread to the dataset files an analyst curates.

>>> from kgraph.ingest import ingest
>>> result = ingest(open("data/kazakhstan-2022/thread.txt", "rb").read(),
...                 source_name="thread.txt", name="gerassimow-2022-01-11", out_dir=tmp_path)  # doctest: +SKIP
>>> len(result.posts), result.author, result.language                  # doctest: +SKIP
(23, 'nikita-gerassimow', 'de')
>>> write(result)                                                       # doctest: +SKIP

:func:`ingest` only plans: it returns the files it would write (``result.files``)
with everything found on the way. :func:`write` writes them, all or none,
and never replaces an existing ``thread.yaml`` unless ``force``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KgraphError, MissingInput
from ..network.names import fold
from ..source.sentences import sentence_spans
from ..util.atomic import write_all_atomic
from ..util.patterns import DATE, ID, LANGUAGE_CODE, NAME_UNSAFE
from .candidates import Candidate, find_candidates, merge
from .decode import decode_text
from .drafts import draft_claims
from .language import detect_language
from .mentions import AliasIndex, load_actors, tokenize
from .promote import DRAFTS_FILE
from .references import References
from .threads import parse_date, parse_thread
from .writer import author_yaml, drafts_yaml, thread_yaml

__all__ = ["ingest", "write", "IngestResult", "IngestedPost", "check_name", "check_date", "check_language"]

# The language tag written when none is given and none stands out: "undetermined".
UNDETERMINED = "und"
_TITLE_LENGTH = 100


@dataclass
class IngestedPost:
    number: int
    text: str
    line: int                                   # where it starts in the input
    mentions: list[str] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # actor id -> words that named it


@dataclass
class IngestResult:
    name: str
    author: str
    author_name: str
    author_is_new: bool
    date: str
    language: str
    language_from: str                          # "option", "detected" or "unknown"
    style: str
    declared: int | None
    posts: list[IngestedPost]
    candidates: list[Candidate]
    warnings: list[str]
    notes: list[str]
    folder: Path
    files: dict[Path, bytes]
    ignored: list[str]                          # trailer lines dropped as expected
    drafts: list = field(default_factory=list)  # Draft claims, with --draft-claims

    @property
    def thread_file(self) -> Path:
        return self.folder / "thread.yaml"

    def mention_counts(self) -> Counter:
        """How many posts mention each actor."""
        return Counter(actor for post in self.posts for actor in post.mentions)

    def to_dict(self) -> dict:
        """Everything found, for ``--format json``."""
        return {
            "dataset": self.name, "author": self.author, "author_is_new": self.author_is_new,
            "date": self.date, "language": self.language, "language_from": self.language_from,
            "numbering": self.style, "declared_posts": self.declared,
            "posts": [{"number": p.number, "line": p.line, "mentions": p.mentions, "names": p.names}
                      for p in self.posts],
            "candidates": [{"name": c.name, "kind": c.kind, "type": c.type, "posts": c.posts}
                           for c in self.candidates],
            "warnings": self.warnings, "notes": self.notes, "ignored_lines": self.ignored,
            "files": [str(path) for path in self.files],
        }


def check_name(name: str) -> str:
    if not ID.match(name or ""):
        raise KgraphError(f"dataset name {name!r} must be lower-case letters, digits and hyphens")
    return name


def check_date(date: str) -> str:
    if DATE.match(date or ""):
        return date
    parsed = parse_date(date or "")
    if parsed is None:
        raise KgraphError(f"date {date!r} is not YYYY-MM-DD")
    return parsed


def check_language(language: str) -> str:
    if not LANGUAGE_CODE.match(language or ""):
        raise KgraphError(f"language {language!r} is not a language tag like de, en or pt-BR")
    return language


def _slug(name: str) -> str:
    return "-".join(fold(name).split())


def ingest(data: bytes, *, source_name: str = "input", data_dir: Path | str = "data",
           out_dir: Path | str | None = None, name: str | None = None, author: str | None = None,
           date: str | None = None, language: str | None = None, draft_claims: bool = False) -> IngestResult:
    """Read a saved thread and plan its dataset folder ``<out_dir>/<name>/``.

    ``data_dir`` holds the datasets whose actors are looked for; ``out_dir``
    (default: ``data_dir``) is where the new dataset goes. ``author``,
    ``date`` and ``language`` override what the thread's header says.
    ``draft_claims`` also plans ``claims.draft.yaml`` (:mod:`.drafts`).
    Raises :class:`~kgraph.errors.KgraphError` for unreadable input, and
    :class:`~kgraph.errors.MissingInput` (naming the option) when the author
    or date is neither in the header nor given.
    """
    source_name = NAME_UNSAFE.sub("?", source_name)
    thread = parse_thread(decode_text(data, source_name))
    if not thread.posts:
        raise KgraphError(f"{source_name}: no posts found")
    out = Path(out_dir if out_dir is not None else data_dir)
    actors = load_actors(data_dir)
    if out.resolve() != Path(data_dir).resolve():
        actors += load_actors(out)
    index = AliasIndex(actors)
    warnings, notes = list(thread.warnings), []

    if author and NAME_UNSAFE.search(author):
        raise KgraphError(f"author {author!r} holds a control character; give the name as plain text")
    author_name = author or thread.header.author
    if not author_name:
        raise MissingInput("--author", f"{source_name}: the thread names no author; give --author NAME")
    if author and thread.header.author and _slug(author) != _slug(thread.header.author):
        notes.append(f"author {author!r} given; the header says {thread.header.author!r}")
    author_id, author_is_new = _resolve_author(author_name, index)

    if date:
        date = check_date(date)
        if thread.header.date and thread.header.date != date:
            notes.append(f"date {date} given; the header says {thread.header.date}")
    else:
        date = thread.header.date
    if not date:
        raise MissingInput("--date", f"{source_name}: the thread gives no date; give --date YYYY-MM-DD")

    if language:
        language, language_from = check_language(language), "option"
    else:
        language = detect_language("\n".join(p.text for p in thread.posts))
        language_from = "detected" if language else "unknown"
        if language is None:
            language = UNDETERMINED
            warnings.append(f"could not tell the language; wrote {UNDETERMINED!r} (give --lang)")

    name = check_name(name) if name else check_name(f"{author_id}-{date}")
    posts, per_post, ambiguous = _scan(thread.posts, index, language)
    for (words, ids), numbers in sorted(ambiguous.items()):
        warnings.append(f"{words!r} could be {' or '.join(ids)} (post {', '.join(map(str, numbers))}); "
                        "not recorded")
    candidates = merge(per_post)

    declared = thread.declared
    highest = max(p.number for p in posts)
    if declared is not None and highest > declared:
        # The data files allow no post number beyond the declared count.
        warnings.append(f"post {highest} is beyond the {declared} posts declared; wrote declared_posts: {highest}")
        declared = highest
    folder = out / name
    meta = {"dataset": name, "title": {language: _title(thread, name)}, "author": author_id,
            "date": date, "language": language, "declared_posts": declared,
            "source": f"{source_name}, read by kgraph ingest ({thread.style})"}
    files = {folder / "thread.yaml": thread_yaml(
        meta, ((p.number, p.text, p.mentions) for p in posts), candidates, source_name).encode("utf-8")}
    drafts = []
    if draft_claims:
        drafts = _drafts(posts, per_post, index, actors, candidates, language)
        files[folder / DRAFTS_FILE] = drafts_yaml(drafts, name).encode("utf-8")
    if author_is_new:
        actors_file = folder / "actors.yaml"
        if actors_file.exists():
            warnings.append(f"{actors_file} exists and is left alone: add the author {author_id!r} "
                            "to it yourself")
        else:
            files[actors_file] = author_yaml(author_id, author_name, name).encode("utf-8")
            notes.append(f"the author {author_name!r} is no actor yet: {actors_file} adds them as a "
                         f"person {author_id!r}; check it")
    return IngestResult(
        name=name, author=author_id, author_name=author_name, author_is_new=author_is_new, date=date,
        language=language, language_from=language_from, style=thread.style, declared=declared,
        posts=posts, candidates=candidates, warnings=warnings, notes=notes, folder=folder, files=files,
        ignored=thread.ignored, drafts=drafts)


def candidate_id(name: str) -> str:
    """The actor id a candidate would get: ``Kazakh media`` -> ``kazakh-media``."""
    return _slug(name.lstrip("#@"))


def _drafts(posts, per_post, index: AliasIndex, actors, candidates, language: str):
    by_name = {fold(c.name.lstrip("#@")): candidate_id(c.name) for c in candidates}

    def resolve(source: str) -> str | None:
        words = re.sub(r"^(?:the|der|die|das|den|dem)\s+", "", source, flags=re.IGNORECASE)
        # a candidate named by all the words before a known actor named by their start ("CSTO secretariat")
        if fold(words) in by_name:
            return by_name[fold(words)]
        ids = index.lookup(words)
        return next(iter(ids)) if len(ids) == 1 else None

    named = []
    references = References(actors, index)
    for post in posts:
        tokens = tokenize(post.text)
        matches = index.find(post.text, tokens)
        matches += [inner for m in matches if m.stop - m.first > 1 for inner in index.inside(post.text, m, tokens)]
        matches += index.suspended(post.text, tokens)
        names = sorted({(m.ids[0], m.start, m.end) for m in matches if len(m.ids) == 1},
                       key=lambda n: (n[1], n[2], n[0]))
        for candidate in per_post[post.number]:
            for found in re.finditer(re.escape(candidate.name), post.text):
                names.append((candidate_id(candidate.name), found.start(), found.end()))
        names += references.read(post.text, names, language)
        named.append((post.number, post.text, names))
    types = {a.id: a.type for a in actors} | {candidate_id(c.name): c.type for c in candidates}
    return draft_claims(named, language, resolve, types.get)


def _resolve_author(name: str, index: AliasIndex) -> tuple[str, bool]:
    if name in index.ids:
        return name, False
    ids = index.lookup(name.lstrip("@"))
    if len(ids) > 1:
        raise KgraphError(f"author {name!r} could be {' or '.join(sorted(ids))}; give --author ID")
    if ids:
        return next(iter(ids)), False
    slug = _slug(name.lstrip("@"))
    if not slug:
        raise KgraphError(f"cannot make an actor id from the author {name!r}; give --author NAME")
    return slug, True


def _scan(raw_posts, index: AliasIndex, language: str):
    posts, per_post = [], {}
    ambiguous: dict[tuple[str, tuple[str, ...]], list[int]] = {}

    def known(tag: str) -> bool:
        return bool(index.lookup(tag))

    for raw in raw_posts:
        tokens = tokenize(raw.text)
        matches = index.find(raw.text, tokens)
        post = IngestedPost(number=raw.number, text=raw.text, line=raw.line)
        for match in matches:
            if len(match.ids) > 1:
                ambiguous.setdefault((match.text, match.ids), []).append(raw.number)
                continue
            actor = match.ids[0]
            words = post.names.setdefault(actor, [])
            if match.text not in words:
                words.append(match.text)
        post.mentions = list(post.names)
        per_post[raw.number] = find_candidates(raw.text, matches, language, tokens, known)
        posts.append(post)
    return posts, per_post, ambiguous


def _title(thread, fallback: str) -> str:
    """The first sentence of the first post, less its numbering marker, shortened."""
    text = "\n".join(thread.without_marker(line) for line in thread.posts[0].text.split("\n"))
    for start, end in sentence_spans(text):
        line = " ".join(text[start:end].split())
        if re.search(r"[^\W\d_]{2}", line):
            return line if len(line) <= _TITLE_LENGTH else line[: _TITLE_LENGTH - 1] + "…"
    return fallback


def write(result: IngestResult, force: bool = False) -> list[Path]:
    """Write ``result.files``; refuse to replace ``thread.yaml`` unless ``force``."""
    target = result.thread_file
    if target.exists() and not force:
        raise KgraphError(f"{target} exists; use --force to replace it")
    write_all_atomic(result.files)
    return sorted(result.files)
