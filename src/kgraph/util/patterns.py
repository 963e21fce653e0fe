"""The text rules shared by the reader of ``data/`` (:mod:`kgraph.source`), ``kgraph ingest`` and the outputs.

One place per rule, so a dataset that ingest writes is one the reader
accepts, and each rule about control characters stands beside the others
with what it is for.
"""

from __future__ import annotations

import re

__all__ = [
    "ID", "DATE", "LANGUAGE_TAG", "LANGUAGE_CODE", "HASHTAG", "HANDLE",
    "CONTROL", "NAME_UNSAFE", "LITERAL_UNSAFE", "TERMINAL_UNSAFE", "XML_FORBIDDEN",
]

# \Z, not $: "$" also matches before a final newline, and "tokayev\n" is no id.
# An id of an actor or claim, and a dataset's name (its folder).
ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
# A date as precise as the source: 2022, 2022-01 or 2022-01-11.
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\Z")
# A BCP 47 language tag as RDF accepts it (en, de, zh-Hant, de-CH-1996).
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")
# The tags ingest writes: a LANGUAGE_TAG that starts with an ISO 639 code, so "--lang german" is refused.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
# Not inside a word or after another sign: "page#top" and "##x" are no hashtags, "a@b.c" no handle.
HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
HANDLE = re.compile(r"(?<![\w.@])@(\w{1,30})")

# The control characters, one rule per use:
# no text in data/ or in a thread to ingest: C0 controls but tab, newline and
# carriage return; DEL; unpaired surrogates (a YAML escape like "\ud800" makes
# one, and no UTF-8 file can hold it)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# no name ingest prints or writes into a file's header: C0 and C1 controls and YAML's line breaks
NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# not verbatim in a YAML literal block: controls other than tab and newline,
# YAML's extra line breaks (NEL, U+2028, U+2029), the BOM and unpaired surrogates
LITERAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
# shown as escapes on a terminal: C0 and C1 controls except newline and tab, DEL, and the bidi controls
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# what XML 1.0 cannot hold at all, not even as a character reference
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
