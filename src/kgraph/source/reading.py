"""Read the human-edited YAML in ``data/`` into :mod:`kgraph.source.model` objects.

A dataset is a folder ``data/<name>/`` whose ``*.yaml`` files together hold
the thread's metadata, ``posts``, ``actors`` and ``claims`` (the bundled one
splits them into ``thread.yaml``, ``actors.yaml`` and ``claims.yaml``).

Reading never stops at the first problem: every problem found is collected
as a :class:`~kgraph.errors.Problem` with its ``FILE:LINE``, so an analyst
fixes them all in one pass.

>>> from kgraph.source.reading import read_datasets
>>> datasets, problems = read_datasets("data")
>>> [d.name for d in datasets], problems
(['kazakhstan-2022'], [])
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scanner import ScannerError

from ..errors import DataError, KgraphError, Problem
from ..util.patterns import CONTROL, DATE, HASHTAG, ID, LANGUAGE_TAG
from .model import ACTOR_TYPES, MODALITIES, Actor, Background, Claim, Dataset, Post, Quantity, Where

__all__ = ["read_datasets", "read_dataset", "load_datasets", "LINK"]

LINK = re.compile(r"https?://\S+")
QID = re.compile(r"^Q[1-9]\d*\Z")

META_KEYS = {"dataset", "title", "author", "date", "language", "declared_posts", "source"}
TOP_KEYS = META_KEYS | {"posts", "actors", "claims"}
POST_KEYS = {"number", "text", "mentions"}
ACTOR_KEYS = {"id", "type", "label", "aliases", "wikidata", "description", "background"}
BACKGROUND_KEYS = {"text", "source"}
CLAIM_KEYS = {"id", "post", "subject", "relation", "object", "quote", "asserted_by", "modality",
              "when", "from", "until", "period", "note", "quantities"}
QUANTITY_KEYS = {"what", "value", "min", "max", "unit"}
# Deeper flow collections ([[[...]]]) are refused before they are parsed: the
# YAML scanner's work grows with the square of the depth (1,200 take 10 s).
MAX_FLOW_DEPTH = 64
# Fields that hold verbatim text: an unquoted " #" in them starts a YAML comment
# and silently cuts the text, so it is reported instead.
VERBATIM = {"text", "quote"}


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Reader:
    """Collects problems while reading one YAML file."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.name = str(path)
        self.problems = problems

    def problem(self, line: int, message: str, *, fatal: bool = False) -> None:
        self.problems.append(Problem(self.name, line, message, fatal))

    def load(self) -> Any:
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problem(1, f"not UTF-8 text ({exc.reason} at byte {exc.start})", fatal=True)
            return None
        except OSError as exc:
            self.problem(1, f"cannot read: {exc.strerror}", fatal=True)
            return None
        try:
            return _yaml().load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            self.problem(line, f"malformed YAML: {exc.problem or exc.context}", fatal=True)
        except YAMLError as exc:
            self.problem(1, f"malformed YAML: {(str(exc).splitlines() or ['unreadable'])[0]}", fatal=True)
        except RecursionError:
            self.problem(1, "malformed YAML: nested too deeply", fatal=True)
        except (ValueError, OverflowError) as exc:
            # The YAML is well-formed but a value cannot be built (2022-13-45, a 5000-digit number).
            self.problem(_unbuildable_line(text), f"unreadable value: {str(exc).split(';')[0]}", fatal=True)
        return None

    @staticmethod
    def line_of(node, key=None, index=None) -> int:
        try:
            if key is not None:
                return node.lc.key(key)[0] + 1
            if index is not None:
                return node.lc.item(index)[0] + 1
            return node.lc.line + 1
        except (AttributeError, KeyError, IndexError, TypeError):
            return 1

    def where(self, node: CommentedMap, line: int) -> Where:
        """The record ``node`` that starts at ``line``, with the line of each of its fields."""
        return Where(self.name, line, {key: Where(self.name, self.line_of(node, key))
                                       for key in node if isinstance(key, str)})

    def mapping(self, node, line: int, what: str, allowed: set[str]) -> CommentedMap | None:
        if not isinstance(node, CommentedMap):
            self.problem(line, f"{what} must be a mapping of fields, not {_kind(node)}")
            return None
        for key in node:
            if not isinstance(key, str) or key not in allowed:
                self.problem(self.line_of(node, key),
                             f"unknown field {key!r} in {what}{_did_you_mean(str(key), allowed)}")
        return node

    def field(self, node: CommentedMap, key: str, kind, what: str, required: bool = True):
        """The value of ``key``, checked against ``kind``; None if absent or wrong."""
        if key not in node or node[key] is None:
            if required:
                self.problem(self.line_of(node), f"{what} is missing the field {key!r}")
            return None
        value = node[key]
        line = self.line_of(node, key)
        if kind is str and isinstance(value, (_dt.date, int, float)) and not isinstance(value, bool):
            value = value.isoformat() if isinstance(value, _dt.date) else str(value)
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.problem(line, f"{key!r} of {what} must be a whole number, not {_kind(value)}")
            return None
        if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self.problem(line, f"{key!r} of {what} must be a number, not {_kind(value)}")
            return None
        if kind is float and not _finite(value):
            self.problem(line, f"{key!r} of {what} must be a finite number, not {str(value)[:20]}")
            return None
        if kind is str and not isinstance(value, str):
            self.problem(line, f"{key!r} of {what} must be text, not {_kind(value)}")
            return None
        if kind is str and key in VERBATIM:
            self._check_cut(node, key, line)
        if kind is str and not value.strip():
            self.problem(line, f"{key!r} of {what} is empty")
            return None
        if kind is str and not self.clean_text(value, line, f"{key!r} of {what}"):
            return None
        return value

    def clean_text(self, value: str, line: int, what: str) -> bool:
        """False (and a problem) if ``value`` holds a control character or is not valid Unicode."""
        bad = CONTROL.search(value)
        if bad:
            char = bad.group()
            self.problem(line, f"{what} contains " + (
                f"an unpaired surrogate (U+{ord(char):04X}), which is not text" if "\ud800" <= char <= "\udfff"
                else f"a control character (U+{ord(char):04X})"))
        return bad is None

    def language_tag(self, tag, line: int, what: str) -> bool:
        """False (and a problem) if ``tag`` is not a language tag like en, de or zh-Hant."""
        if isinstance(tag, str) and LANGUAGE_TAG.match(tag):
            return True
        self.problem(line, f"{what}: {str(tag)[:40]!r} is not a language tag like en, de or zh-Hant")
        return False

    def texts_by_language(self, texts: dict[str, str], line: int, what: str) -> bool:
        """True if every key of ``texts`` is a language tag and every text is clean; problems otherwise."""
        tags_ok = [self.language_tag(tag, line, what) for tag in texts]
        texts_ok = [self.clean_text(text, line, what) for text in texts.values()]
        return all(tags_ok) and all(texts_ok)

    def _check_cut(self, node: CommentedMap, key: str, line: int) -> None:
        tokens = node.ca.items.get(key) or []
        for token in tokens:
            text = getattr(token, "value", "") or ""
            stripped = text.strip()
            if stripped.startswith("#") and len(stripped) > 1 and not stripped[1].isspace():
                self.problem(line, f"{key!r} is cut at {stripped.split(chr(10))[0][:30]!r}: YAML reads "
                                   "' #' as a comment; put the text in quotes")

    def strings(self, node: CommentedMap, key: str, what: str) -> list[str]:
        value = node.get(key)
        if value is None:
            return []
        line = self.line_of(node, key)
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                                  for v in value):
            self.problem(line, f"{key!r} of {what} must be a list of text")
            return []
        texts = [str(v) for v in value]
        if not all(self.clean_text(t, line, f"{key!r} of {what}") for t in texts):
            return []
        return texts



class _FlowDepthGuard:
    def fetch_flow_collection_start(self, *args, **kwargs):
        if self.flow_level >= MAX_FLOW_DEPTH:
            raise ScannerError(None, None, f"more than {MAX_FLOW_DEPTH} nested brackets", self.reader.get_mark())
        return super().fetch_flow_collection_start(*args, **kwargs)


def _yaml() -> YAML:
    """A round-trip YAML loader (it keeps line numbers) that refuses pathological nesting."""
    yaml = YAML(typ="rt")
    yaml.Scanner = type("GuardedScanner", (_FlowDepthGuard, yaml.Scanner), {})
    return yaml


def _finite(value) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _unbuildable_line(text: str) -> int:
    """The line of the first scalar whose value cannot be built; 1 if none is found."""
    yaml = _yaml()
    try:
        nodes = [yaml.compose(text)]
    except (YAMLError, RecursionError, ValueError):
        return 1
    lines = []
    while nodes:
        node = nodes.pop()
        if isinstance(node, ScalarNode):
            try:
                yaml.constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError, YAMLError):
                lines.append(node.start_mark.line + 1)
        elif isinstance(node, SequenceNode):
            nodes.extend(node.value)
        elif isinstance(node, MappingNode):
            nodes.extend(part for pair in node.value for part in pair)
    return min(lines, default=1)


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (list, CommentedSeq)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def read_dataset(folder: Path | str) -> tuple[Dataset | None, list[Problem]]:
    """Read one dataset folder; return the dataset (if readable) and its problems."""
    folder = Path(folder)
    problems: list[Problem] = []
    # Drafts (claims.draft.yaml, from `kgraph ingest --draft-claims`) are not data until promoted.
    files = [p for p in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
             if not p.name.endswith((".draft.yaml", ".draft.yml"))]
    if not files:
        return None, [Problem(str(folder), 1, "no *.yaml files in this dataset folder")]
    meta: dict[str, tuple[Any, _Reader, int]] = {}
    sections: dict[str, list[tuple[_Reader, CommentedSeq, int]]] = {"posts": [], "actors": [], "claims": []}
    for path in files:
        reader = _Reader(path, problems)
        doc = reader.load()
        if doc is None:
            continue
        if not reader.mapping(doc, 1, "the file", TOP_KEYS):
            continue
        for key in doc:
            if key in META_KEYS:
                if key in meta:
                    reader.problem(reader.line_of(doc, key),
                                   f"{key!r} is set again (first in {meta[key][1].name})")
                else:
                    meta[key] = (doc, reader, reader.line_of(doc, key))
            elif key in sections:
                if not isinstance(doc[key], CommentedSeq):
                    reader.problem(reader.line_of(doc, key), f"{key!r} must be a list")
                else:
                    sections[key].append((reader, doc[key], reader.line_of(doc, key)))
    dataset = _read_meta(folder, meta, problems)
    if dataset is None:
        return None, problems
    _read_posts(dataset, sections["posts"])
    _read_actors(dataset, sections["actors"])
    _read_claims(dataset, sections["claims"])
    return dataset, problems


def _read_meta(folder: Path, meta, problems) -> Dataset | None:
    where_file = str(folder / "thread.yaml")

    def get(key, kind, required=True):
        if key not in meta:
            if required:
                problems.append(Problem(where_file, 1, f"the dataset is missing the field {key!r}"))
            return None
        doc, reader, _ = meta[key]
        return reader.field(doc, key, kind, "the dataset", required)

    name = get("dataset", str)
    if name is not None and not ID.match(name):
        problems.append(Problem(meta["dataset"][1].name, meta["dataset"][2],
                                f"dataset name {name!r} must be lower-case letters, digits and hyphens"))
        name = None
    if name is not None and name != folder.name:
        problems.append(Problem(meta["dataset"][1].name, meta["dataset"][2],
                                f"dataset name {name!r} differs from its folder {folder.name!r}"))
    title_raw = meta["title"][0]["title"] if "title" in meta else None
    if isinstance(title_raw, str):
        title = {"en": title_raw}
    elif isinstance(title_raw, dict) and all(isinstance(v, str) for v in title_raw.values()):
        title = {str(k): v for k, v in title_raw.items()}
    else:
        title = {}
        line = meta["title"][2] if "title" in meta else 1
        problems.append(Problem(meta["title"][1].name if "title" in meta else where_file, line,
                                "the dataset needs a 'title' (text, or one text per language)"))
    if title and not meta["title"][1].texts_by_language(title, meta["title"][2], "the dataset's title"):
        title = {}
    author = get("author", str)
    date = get("date", str)
    if date is not None and not DATE.match(date):
        problems.append(Problem(meta["date"][1].name, meta["date"][2], f"date {date!r} is not YYYY-MM-DD"))
    language = get("language", str)
    if language is not None and not meta["language"][1].language_tag(language, meta["language"][2],
                                                                     "the dataset's 'language'"):
        language = None
    declared = get("declared_posts", int, required=False)
    source = get("source", str, required=False)
    if None in (name, author, date, language):
        return None
    first = meta["dataset"]
    fields = {key: Where(reader.name, line) for key, (_, reader, line) in meta.items()}
    return Dataset(name=name, title=title, author=author, date=date, language=language,
                   where=Where(first[1].name, first[2], fields), declared_posts=declared, source=source)


def _read_posts(dataset: Dataset, blocks) -> None:
    seen: dict[int, Where] = {}
    for reader, seq, _ in blocks:
        for i, node in enumerate(seq):
            line = reader.line_of(seq, index=i)
            if not reader.mapping(node, line, "a post", POST_KEYS):
                continue
            number = reader.field(node, "number", int, "a post")
            text = reader.field(node, "text", str, f"post {number}")
            mentions = reader.strings(node, "mentions", f"post {number}")
            if number is None or text is None:
                continue
            where = reader.where(node, line)
            number_line = where.of("number").line
            if number < 1:
                reader.problem(number_line, f"post number {number} must be 1 or more")
                continue
            if number in seen:
                reader.problem(number_line, f"post {number} appears twice (first at {seen[number]})")
                continue
            seen[number] = where
            dataset.posts.append(Post(
                number=number, text=text, where=where,
                hashtags=sorted(set(HASHTAG.findall(text))),
                mentions=mentions,
                links=LINK.findall(text),
            ))
    dataset.posts.sort(key=lambda p: p.number)
    if dataset.declared_posts is not None:
        for post in dataset.posts:
            if post.number > dataset.declared_posts:
                number = post.where.of("number")
                dataset_problem = Problem(number.file, number.line,
                                          f"post number {post.number} is out of range 1..{dataset.declared_posts}")
                blocks[0][0].problems.append(dataset_problem)


def _read_actors(dataset: Dataset, blocks) -> None:
    for reader, seq, _ in blocks:
        for i, node in enumerate(seq):
            line = reader.line_of(seq, index=i)
            if not reader.mapping(node, line, "an actor", ACTOR_KEYS):
                continue
            actor_id = reader.field(node, "id", str, "an actor")
            what = f"actor {actor_id}" if actor_id else "an actor"
            kind = reader.field(node, "type", str, what)
            labels_raw = node.get("label")
            labels: dict[str, str] = {}
            label_line = reader.line_of(node, "label") if "label" in node else line
            if isinstance(labels_raw, str):
                labels_raw = {"en": labels_raw}
            if isinstance(labels_raw, dict) and labels_raw and \
                    all(isinstance(v, str) and v.strip() for v in labels_raw.values()):
                labels = {str(k): v for k, v in labels_raw.items()}
                if not reader.texts_by_language(labels, label_line, f"the label of {what}"):
                    labels = {}
            else:
                reader.problem(label_line, f"{what} needs a 'label': one text per language (en, de, ...)")
            aliases = reader.strings(node, "aliases", what)
            wikidata = reader.field(node, "wikidata", str, what, required=False)
            description = reader.field(node, "description", str, what, required=False)
            background = _read_background(reader, node, what)
            if actor_id is None:
                continue
            if not ID.match(actor_id):
                reader.problem(reader.line_of(node, "id"),
                               f"actor id {actor_id!r} must be lower-case letters, digits and hyphens")
                continue
            if kind is not None and kind not in ACTOR_TYPES:
                reader.problem(reader.line_of(node, "type"),
                               f"unknown actor type {kind!r}{_did_you_mean(kind, ACTOR_TYPES)}")
                kind = None
            if wikidata is not None and not QID.match(wikidata):
                reader.problem(reader.line_of(node, "wikidata"),
                               f"wikidata {wikidata!r} is not a QID like Q232")
                wikidata = None
            if kind is None or not labels:
                continue
            dataset.actors.append(Actor(id=actor_id, type=kind, labels=labels, where=reader.where(node, line),
                                        aliases=aliases, wikidata=wikidata, description=description,
                                        background=background))


def _read_background(reader: _Reader, node: CommentedMap, what: str) -> list[Background]:
    """An actor's ``background:`` items: outside knowledge, each with its source."""
    raw = node.get("background")
    if raw is None:
        return []
    if not isinstance(raw, CommentedSeq):
        reader.problem(reader.line_of(node, "background"),
                       f"'background' of {what} must be a list of {{text, source}}")
        return []
    found = []
    for i, item in enumerate(raw):
        line = reader.line_of(raw, index=i)
        if not reader.mapping(item, line, f"a background item of {what}", BACKGROUND_KEYS):
            continue
        text = reader.field(item, "text", str, f"a background item of {what}")
        source = reader.field(item, "source", str, f"a background item of {what}")
        if text and source:
            found.append(Background(text=text, source=source))
    return found


def _read_claims(dataset: Dataset, blocks) -> None:
    for reader, seq, _ in blocks:
        for i, node in enumerate(seq):
            line = reader.line_of(seq, index=i)
            if not reader.mapping(node, line, "a claim", CLAIM_KEYS):
                continue
            claim_id = reader.field(node, "id", str, "a claim")
            what = f"claim {claim_id}" if claim_id else "a claim"
            values = {
                "post": reader.field(node, "post", int, what),
                "subject": reader.field(node, "subject", str, what),
                "relation": reader.field(node, "relation", str, what),
                "object": reader.field(node, "object", str, what),
                "quote": reader.field(node, "quote", str, what),
                "modality": reader.field(node, "modality", str, what),
            }
            asserted_by = reader.field(node, "asserted_by", str, what, required=False) or dataset.author
            times = {}
            for key in ("when", "from", "until"):
                value = reader.field(node, key, str, what, required=False)
                if value is not None and not DATE.match(value):
                    reader.problem(reader.line_of(node, key), f"{key!r} of {what} must be YYYY, YYYY-MM or YYYY-MM-DD")
                    value = None
                times[key] = value
            period = reader.field(node, "period", str, what, required=False)
            note = reader.field(node, "note", str, what, required=False)
            quantities = _read_quantities(reader, node, what)
            modality = values["modality"]
            if modality is not None and modality not in MODALITIES:
                reader.problem(reader.line_of(node, "modality"),
                               f"modality {modality!r} of {what} is not one of {', '.join(MODALITIES)}"
                               f"{_did_you_mean(modality, MODALITIES)}")
                continue
            if claim_id is None or None in values.values():
                continue
            if not ID.match(claim_id):
                reader.problem(reader.line_of(node, "id"),
                               f"claim id {claim_id!r} must be lower-case letters, digits and hyphens")
                continue
            dataset.claims.append(Claim(
                id=claim_id, asserted_by=asserted_by, where=reader.where(node, line),
                when=times["when"], start=times["from"], until=times["until"], period=period, note=note,
                quantities=quantities, modality_line=reader.line_of(node, "modality"), **values,
            ))


def _read_quantities(reader: _Reader, node: CommentedMap, what: str) -> list[Quantity]:
    raw = node.get("quantities")
    if raw is None:
        return []
    if not isinstance(raw, CommentedSeq):
        reader.problem(reader.line_of(node, "quantities"), f"'quantities' of {what} must be a list")
        return []
    found = []
    for i, item in enumerate(raw):
        line = reader.line_of(raw, index=i)
        if not reader.mapping(item, line, f"a quantity of {what}", QUANTITY_KEYS):
            continue
        q_what = reader.field(item, "what", str, f"a quantity of {what}")
        unit = reader.field(item, "unit", str, f"a quantity of {what}")
        numbers = {k: reader.field(item, k, float, f"a quantity of {what}", required=False)
                   for k in ("value", "min", "max")}
        if all(v is None for v in numbers.values()):
            reader.problem(line, f"a quantity of {what} needs a 'value', 'min' or 'max'")
            continue
        if q_what and unit:
            found.append(Quantity(what=q_what, unit=unit, **numbers))
    return found


def read_datasets(data_dir: Path | str) -> tuple[list[Dataset], list[Problem]]:
    """Read every dataset folder under ``data_dir`` (sorted by name)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise KgraphError(f"{data_dir}: no such data folder")
    datasets, problems = [], []
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise KgraphError(f"{data_dir}: no dataset folders in it")
    for folder in folders:
        dataset, found = read_dataset(folder)
        problems.extend(found)
        if dataset is not None:
            datasets.append(dataset)
    return datasets, problems


def load_datasets(data_dir: Path | str) -> list[Dataset]:
    """Like :func:`read_datasets` but raise :class:`DataError` on any problem."""
    datasets, problems = read_datasets(data_dir)
    if problems:
        raise DataError(problems)
    return datasets
