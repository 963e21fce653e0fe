"""Split the text of a saved thread into its header and numbered posts.

A saved thread is an optional header (who wrote it, when, how many posts),
the posts, and sometimes a trailer added by the unroll service. Posts are
found by their numbering markers, in any of these styles, at the end of a
post or at its start:

========== ==================================== ===========================
style      examples                             where
========== ==================================== ===========================
N/M        ``(3/23)``, ``3/23``, ``3/``,        end or start of any line
           ``(19/)``, ``[3/23]``, ``🧵 3/23``
(N)        ``(3)``                              end or start of a paragraph
🧵N         ``🧵3``, ``🧵 3``                     end or start of any line
N.         ``3.``                               end or start of a paragraph
N.         ``3.``                               start of any line
N)         ``3)``                               start of any line
========== ==================================== ===========================

The last two read a thread saved as one numbered line per post, with or
without blank lines between. The header lines of unroll sites ("Jan 6, 2022,
8 tweets, 2 min read Read on Twitter", "Thread by @x on Thread Reader App")
are read as the header, never as a post.

Each style is tried at both ends; the reading whose numbers run most
consistently 1, 2, 3 ... wins, ties going to the one that leaves out the
least text, then to the order above. Without at least two consecutive
numbers the thread is read as plain paragraphs separated by blank lines.
Post texts are kept verbatim, marker included (only the line ends are
``\\n`` and blank lines around a post are dropped).

>>> thread = parse_thread("Jan 11, 2022, 2 tweets\\n\\nFirst\\n(1/2)\\n\\nSecond\\n(2/2)\\n")
>>> thread.header.date, thread.header.declared, [p.text for p in thread.posts]
('2022-01-11', 2, ['First\\n(1/2)', 'Second\\n(2/2)'])
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["Header", "RawPost", "Thread", "parse_thread", "parse_date", "STYLES"]

# A marker may carry "thread" emojis after it, as in "3/12 🧵" or "(1/23) 👇".
_EMOJI_TAIL = r"(?:\s*(?:🧵|👇|⬇\ufe0f?))*"
_SLASH = (r"(?:🧵\s?)?(?:[(\[](?P<n>\d{1,4})\s?/\s?(?P<m>\d{1,4})?[)\]]"
          r"|(?<![\w/.,:])(?P<n2>\d{1,4})\s?/\s?(?P<m2>\d{1,4})?(?![\w/]))")


@dataclass(frozen=True)
class _Style:
    label: str       # how the markers look, for messages
    core: str
    any_line: bool   # False: only at a paragraph's first (start) or last (end) line
    strong: bool     # a match is a marker even when its number breaks the run
    ends: tuple[bool, ...] = (True, False)  # at_end values tried: True end, False start

    def start(self) -> re.Pattern:
        return re.compile(r"^\s*" + self.core + r"(?=\s|$)")

    def end(self) -> re.Pattern:
        return re.compile(r"(?:^|(?<=\s)|(?<=\D)(?=[(\[]))" + self.core + _EMOJI_TAIL + r"\s*$")


STYLES = (
    _Style("N/M", _SLASH, any_line=True, strong=True),
    _Style("(N)", r"\((?P<n>\d{1,4})\)", any_line=False, strong=False),
    _Style("🧵N", r"🧵\s?(?P<n>\d{1,4})(?![\d/])", any_line=True, strong=False),
    _Style("N.", r"(?P<n>\d{1,4})\.", any_line=False, strong=False),
    # One post per line, as lists are saved: "1. text", "2) text" with no blank
    # line between. Last, so a numbered list inside a paragraph post loses ties.
    _Style("N. (one per line)", r"(?P<n>\d{1,4})\.", any_line=True, strong=False, ends=(False,)),
    _Style("N)", r"(?P<n>\d{1,4})\)", any_line=True, strong=False, ends=(False,)),
)
_DIGIT = re.compile(r"\d")
# A weak marker whose number jumps further than this ahead is ordinary text.
_MAX_GAP = 5

_MONTHS = {name: i for i, names in enumerate((
    ("jan", "january", "januar", "jänner"), ("feb", "february", "februar"), ("mar", "march", "märz", "maerz"),
    ("apr", "april"), ("may", "mai"), ("jun", "june", "juni"), ("jul", "july", "juli"),
    ("aug", "august"), ("sep", "sept", "september"), ("oct", "october", "okt", "oktober"),
    ("nov", "november"), ("dec", "december", "dez", "dezember"),
), 1) for name in names}
_MONTH = r"(?P<mon>[A-Za-zä]{3,9})\.?"
_DATES = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b"),
    re.compile(r"\b(?P<d>\d{1,2})\.?\s+" + _MONTH + r",?\s+(?P<y>\d{4})\b"),
)
_COUNT = re.compile(r"\b(?P<count>\d{1,5})\s+(?:tweets|posts|toots|skeets|beiträge)\b", re.IGNORECASE)
_PROFILE = re.compile(r"^(?P<name>.+?)\s+Profile picture$")
_BY = re.compile(r"^(?:(?:a\s+)?thread\s+by|by|author:)\s+(?P<name>@?\w[\w.'-]*(?: [\w.'-]+){0,3}?)"
                 r"(?:\s+on\s+Thread Reader App)?$", re.IGNORECASE)
# Words a date-and-count line may hold besides the date and the count.
_FILLER = {"min", "read", "am", "pm", "uhr", "utc", "at", "um", "on", "posted", "updated"}
# What unroll sites print beside the date and count ("Read on Twitter", "Save as PDF").
_UNROLL_NOISE = re.compile(r"\b(?:read\s+on\s+(?:twitter|x|threads|mastodon|bluesky)|save\s+as\s+pdf"
                           r"|(?:on\s+)?thread\s*reader(?:\s+app)?)\b", re.IGNORECASE)
_HANDLE_LINE = re.compile(r"^@(?P<handle>\w{1,30})$")
# How far into the text a header may reach (non-blank lines).
_HEADER_LINES = 8
# First lines of what unroll services append after the last post.
_TRAILER = re.compile(r"\s*(?:Share this Scrolly Tale\b|Keep scrolling\s*$|Missing some Tweet in this thread\?"
                      r"|Help us keep this content free\b|(?:•\s*){3}$)")


@dataclass
class Header:
    """What the lines above the first post say about the thread."""

    author: str | None = None
    handle: str | None = None
    date: str | None = None
    declared: int | None = None
    lines: int = 0  # how many input lines it takes


@dataclass
class RawPost:
    number: int
    text: str
    line: int                 # input line the post starts on
    marker: int | None = None  # the number its marker shows


@dataclass
class Thread:
    header: Header
    posts: list[RawPost]
    style: str                # e.g. "N/M markers at the end of posts"
    declared: int | None = None
    warnings: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # trailer lines dropped as expected
    marker: re.Pattern | None = None                  # how this thread's markers look

    def without_marker(self, line: str) -> str:
        """``line`` less its numbering marker, e.g. for a title.

        >>> parse_thread("Tokayev speaks 1/2\\n\\nMore 2/2").without_marker("Tokayev speaks 1/2")
        'Tokayev speaks'
        """
        return (self.marker.sub("", line) if self.marker else line).strip()


def _find_date(text: str):
    for pattern in _DATES:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"].lower())
            if month is None:
                continue
            try:
                return dt.date(int(parts["y"]), month, int(parts["d"])).isoformat(), match.span()
            except ValueError:
                continue
    return None, None


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD`` (English or German month names).

    >>> parse_date("Jan 11, 2022, 23 tweets"), parse_date("11. Januar 2022"), parse_date("soon")
    ('2022-01-11', '2022-01-11', None)
    """
    return _find_date(text)[0]


def _date_line(line: str) -> tuple[str | None, int | None] | None:
    """``(date, count)`` if ``line`` says only when and how many, like "Jan 11, 2022, 23 tweets"."""
    if len(line) > 80:
        return None
    date, span = _find_date(line)
    count = _COUNT.search(line)
    if date is None and count is None:
        return None
    rest = line
    if span:
        rest = rest[:span[0]] + " " + rest[span[1]:]
    rest = _UNROLL_NOISE.sub(" ", _COUNT.sub(" ", rest))
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", rest)]
    if any(w not in _MONTHS and w not in _FILLER for w in words):
        return None
    return date, int(count["count"]) if count else None


def _read_header(lines: list[str]) -> Header:
    header = Header()
    top = [i for i, line in enumerate(lines) if line.strip()][:_HEADER_LINES]
    for i in top:
        found = _date_line(lines[i].strip())
        if found:
            header.date, header.declared = found
            header.lines = i + 1
            _read_author([lines[j].strip() for j in top if j < i], header, strict=False)
            return header
    header.lines = _read_author([lines[j].strip() for j in top[:2]], header, strict=True)
    if header.lines:
        header.lines = top[header.lines - 1] + 1
    return header


def _read_author(lines: list[str], header: Header, strict: bool) -> int:
    """Fill in the author from ``lines``; return how many of them the author takes.

    ``strict`` (no date line bounds the header): only the unmistakable forms,
    at the very top.
    """
    for i, line in enumerate(lines):
        if match := _PROFILE.match(line):
            header.author = match["name"]
            return i + 1
        if (match := _BY.match(line)) and (not strict or match["name"].startswith("@")
                                           or line.lower().startswith("thread by")):
            name = match["name"].strip()
            if name.startswith("@"):
                header.handle = name[1:]
            header.author = name
            return i + 1
        if match := _HANDLE_LINE.match(line):
            header.handle = match["handle"]
            previous = lines[i - 1] if i else ""
            header.author = previous if previous and len(previous.split()) <= 4 else "@" + match["handle"]
            return i + 1
        if strict and i == 0 and len(lines) > 1 and _HANDLE_LINE.match(lines[1]):
            continue
        if strict:
            return 0
    return 0


@dataclass
class _Marker:
    line: int     # index into the body lines
    number: int
    total: int | None


def _paragraph_edges(lines: list[str]) -> tuple[set[int], set[int]]:
    firsts, lasts = set(), set()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if i == 0 or not lines[i - 1].strip():
            firsts.add(i)
        if i == len(lines) - 1 or not lines[i + 1].strip():
            lasts.add(i)
    return firsts, lasts


def _candidates(style: _Style, at_end: bool, lines: list[str], numbered: list[int],
                edges: set[int]) -> list[_Marker]:
    pattern = style.end() if at_end else style.start()
    found = []
    for i in numbered:
        line = lines[i]
        if not style.any_line and i not in edges:
            continue
        match = pattern.search(line)
        if match is None:
            continue
        groups = match.groupdict()
        number = int(groups.get("n") or groups["n2"])
        total = groups.get("m") or groups.get("m2")
        found.append(_Marker(i, number, int(total) if total else None))
    return found


def _accept(style: _Style, markers: list[_Marker]) -> list[_Marker]:
    """The markers that number posts, as opposed to numbers that happen to sit there."""
    totals = Counter(m.total for m in markers if m.total is not None)
    usual_total = totals.most_common(1)[0][0] if totals else None
    accepted, last = [], 0
    for marker in markers:
        if marker.number < 1:
            continue
        if style.strong:
            if marker.total is not None and marker.total != usual_total:
                continue
        elif not last < marker.number <= last + _MAX_GAP:
            continue
        accepted.append(marker)
        last = marker.number
    return accepted


def _run_score(markers: list[_Marker]) -> int:
    score, previous = 0, 0
    for marker in markers:
        score += marker.number == previous + 1
        previous = marker.number
    return score


def _dropped(lines: list[str], markers: list[_Marker], at_end: bool) -> list[int]:
    """Indices of the non-blank lines a reading leaves outside every post."""
    if at_end:
        outside = range(markers[-1].line + 1, len(lines))
    else:
        outside = range(0, markers[0].line)
    return [i for i in outside if lines[i].strip()]


def _best_reading(lines: list[str]):
    firsts, lasts = _paragraph_edges(lines)
    numbered = [i for i, line in enumerate(lines) if _DIGIT.search(line)]
    best, best_key = None, None
    for rank, style in enumerate(STYLES):
        for at_end in style.ends:
            markers = _accept(style, _candidates(style, at_end, lines, numbered, lasts if at_end else firsts))
            score = _run_score(markers)
            if score < 2:
                continue
            key = (score, -len(_dropped(lines, markers, at_end)), -rank, at_end)
            if best_key is None or key > best_key:
                best, best_key = (style, at_end, markers), key
    return best


def _trim(lines: list[str], start: int, stop: int) -> tuple[str, int]:
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return "\n".join(lines[start:stop]), start


def _cut_trailer(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if _TRAILER.match(line):
            return lines[:i], [t for t in lines[i:] if t.strip()]
    return lines, []


def _number_list(numbers) -> str:
    return ", ".join(str(n) for n in numbers)


def parse_thread(text: str) -> Thread:
    """Read ``text`` (``\\n`` line ends, see :func:`~kgraph.ingest.decode.decode_text`)."""
    all_lines = text.split("\n")
    header = _read_header(all_lines)
    offset = header.lines
    lines, trailer = _cut_trailer(all_lines[offset:])
    reading = _best_reading(lines)
    warnings: list[str] = []
    marker = None
    if reading is None:
        posts = _paragraphs(lines, offset)
        style_name, totals = "no numbering: one post per paragraph", []
    else:
        style, at_end, markers = reading
        marker = style.end() if at_end else style.start()
        posts = _split(lines, offset, markers, at_end, warnings)
        style_name = f"{style.label} markers at the {'end' if at_end else 'start'} of posts"
        totals = [m.total for m in markers if m.total is not None]
    declared = header.declared
    if totals:
        usual = Counter(totals).most_common(1)[0][0]
        if declared is not None and usual != declared:
            warnings.append(f"the header declares {declared} posts but the markers count to {usual}")
        declared = declared if declared is not None else usual
    _check_numbers(posts, declared, warnings)
    return Thread(header=header, posts=posts, style=style_name, declared=declared,
                  warnings=warnings, ignored=trailer, marker=marker)


def _paragraphs(lines: list[str], offset: int) -> list[RawPost]:
    posts, start = [], None
    for i, line in enumerate(lines + [""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            text, first = _trim(lines, start, i)
            posts.append(RawPost(number=len(posts) + 1, text=text, line=offset + first + 1))
            start = None
    return posts


def _split(lines, offset, markers, at_end, warnings) -> list[RawPost]:
    bounds = []
    if at_end:
        start = 0
        for marker in markers:
            bounds.append((start, marker.line + 1, marker))
            start = marker.line + 1
    else:
        for marker, following in zip(markers, markers[1:] + [None]):
            bounds.append((marker.line, following.line if following else len(lines), marker))
    dropped = _dropped(lines, markers, at_end)
    if dropped:
        where = "after the last" if at_end else "before the first"
        preview = lines[dropped[0]].strip()[:40]
        warnings.append(f"ignored {len(dropped)} line(s) {where} numbered post, from line "
                        f"{offset + dropped[0] + 1}: {preview!r}")
    posts = []
    for start, stop, marker in bounds:
        text, first = _trim(lines, start, stop)
        posts.append(RawPost(number=marker.number, text=text, line=offset + first + 1, marker=marker.number))
    numbers = [p.number for p in posts]
    if any(b <= a for a, b in zip(numbers, numbers[1:])):
        for position, post in enumerate(posts, 1):
            post.number = position
        warnings.append("post numbers are not in increasing order (markers read "
                        f"{_number_list(numbers)}); posts are numbered by position instead")
    return posts


def _check_numbers(posts: list[RawPost], declared: int | None, warnings: list[str]) -> None:
    markers = [p.marker for p in posts if p.marker is not None]
    if markers:
        counts = Counter(markers)
        repeated = sorted(n for n, c in counts.items() if c > 1)
        if repeated:
            warnings.append(f"post number(s) repeated: {_number_list(repeated)}")
        top = max(max(markers), declared or 0)
        skipped = sorted(set(range(1, top + 1)) - set(markers))
        if skipped:
            warnings.append(f"post number(s) skipped: {_number_list(skipped)}")
    if declared is not None and declared != len(posts):
        warnings.append(f"{declared} posts declared, {len(posts)} found")
