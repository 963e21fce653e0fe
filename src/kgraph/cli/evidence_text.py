"""Evidence as text for people: the post and quote, who says it and how, then its caveats.

``show`` and ``path`` print each piece of evidence the same way, from the
dicts :func:`kgraph.network.algorithms.evidence_dict` gives (the JSON they print)::

    post 15: "der damalige Premier Masimov" — Nikita Gerassimow, stated
      time: at the time of the photo

A line too long for the terminal, or a quote that spans lines of its post,
continues under the start of its text, never at column 0.
"""

from __future__ import annotations

import textwrap

__all__ = ["evidence_lines", "time_text", "quantity_text"]

#: the fewest columns of text a wrapped line keeps, however deep its indent
MIN_TEXT = 30


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def time_text(time: dict) -> str:
    """``{"from": "2019"}`` -> ``from 2019``; a date and a period in words are shown as they are."""
    parts = [time.get("when"), *(f"{k} {time[k]}" for k in ("from", "until") if time.get(k)), time.get("period")]
    return ", ".join(p for p in parts if p)


def quantity_text(quantity: dict) -> str:
    """``immediate damage: 100,000,000 USD``; a range as ``min–max``, one bound as at least / at most."""
    low, high, value = quantity.get("min"), quantity.get("max"), quantity.get("value")
    if value is not None:
        amount = _number(value)
    elif low is not None and high is not None:
        amount = f"{_number(low)}–{_number(high)}"
    elif low is not None:
        amount = f"at least {_number(low)}"
    else:
        amount = f"at most {_number(high)}"
    return f"{quantity['what']}: {amount} {quantity['unit']}"


def _wrap(text: str, indent: str, hang: str, width: int | None) -> list[str]:
    """``text`` from ``indent``; wrapped lines and the lines after a newline in it start at ``hang``.
    ``width`` None (output into a pipe or file) wraps only where the text has a newline."""
    if width is None:
        return [(indent if i == 0 else hang) + part for i, part in enumerate(text.split("\n"))]
    width = max(width, len(hang) + MIN_TEXT)
    lines = []
    for i, part in enumerate(text.split("\n")):
        first = indent if i == 0 else hang
        lines += textwrap.wrap(part, width, initial_indent=first, subsequent_indent=hang, break_long_words=False,
                               break_on_hyphens=False) or [first.rstrip()]
    return lines


def evidence_lines(ev: dict, *, indent: str, width: int | None, name_dataset: bool) -> list[str]:
    """The lines for one piece of evidence; ``name_dataset`` prefixes the post with its dataset."""
    where = f"{ev['dataset']} post {ev['post']}" if name_dataset and ev["dataset"] else f"post {ev['post']}"
    head = f'{where}: "'
    lines = _wrap(f'{head}{ev["quote"]}" — {ev["asserted_by"]}, {ev["modality"]}', indent,
                  indent + " " * len(head), width)
    caveats = [("time", time_text(ev["time"]) if ev["time"] else ""), ("note", ev["note"] or ""),
               *(("figure", quantity_text(q)) for q in ev["quantities"])]
    for label, text in caveats:
        if text:
            lines += _wrap(f"{label}: {text}", indent + "  ", indent + "  " + " " * (len(label) + 2), width)
    return lines
