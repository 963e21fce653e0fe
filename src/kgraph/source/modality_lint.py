"""Warnings where a claim's modality or ``asserted_by`` disagrees with the words around its quote.

The cues (:mod:`kgraph.source.cues`) in a claim's quote and in the sentence around
it disagree with the claim when

- a hedge stands by a ``stated`` claim: the post does not say it as a fact;
- an attribution stands by a claim that is not ``reported``: the post passes
  on someone else's word;
- an attribution that names its source ("laut kaz.Beobachtern", "so
  Toqajev") stands by a claim whose ``asserted_by`` is the thread's author.

``assessed`` and ``speculated`` claims accept every hedge (telling judgement
from conjecture is left to people), and ``reported`` claims accept hedges
too: a report may be hedged. A claim whose ``note`` names both the cue word
(as found or in its base form, any case) and the claim's modality (e.g.
'stated: "offensichtlich" qualifies his survival, not the crackdown') has
been explained, and that cue is not warned about again. The modality must be
named so that an explanation of one choice does not cover another: a note
explaining why a claim is speculated does not excuse it once it is changed to
stated. Warnings never change the exit status or block a build.

>>> from kgraph.source.reading import read_datasets
>>> datasets, _ = read_datasets("data")
>>> for warning in lint_datasets(datasets):                      # doctest: +SKIP
...     print(warning)
data/kazakhstan-2022/claims.yaml:127: warning: claim c04-2 is stated but its quote says "mutmaßlichen" (hedge); ...
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem
from .cues import Cue, cues_for_quote, find_cues, suggest
from .model import Claim, Dataset
from .reading import read_datasets

__all__ = ["lint", "lint_datasets", "claim_warning", "disagrees"]


def disagrees(cue: Cue, claim: Claim, author: str) -> bool:
    """True if ``cue`` contradicts the claim's modality or ``asserted_by`` (rules above)."""
    if cue.kind == "hedge":
        return claim.modality == "stated"
    return claim.modality != "reported" or (cue.source is not None and claim.asserted_by == author)


def _explained(cue: Cue, note: str | None, modality: str) -> bool:
    if not note:
        return False
    note = note.casefold()
    names_cue = cue.word.casefold() in note or cue.lemma.casefold() in note
    return names_cue and re.search(rf"\b{modality}\b", note) is not None


def claim_warning(claim: Claim, post_text: str, language: str | None, author: str,
                  post_cues: list[Cue] | None = None) -> str | None:
    """The warning for one claim, or None when its modality fits the cues around its quote.

    ``post_cues`` are the cues of the whole post, when already found for another claim.
    """
    start = post_text.find(claim.quote)
    if start < 0:  # the checks report a quote that is not in its post
        return None
    end = start + len(claim.quote)
    cues = [cue for cue in cues_for_quote(post_text, start, end, language, post_cues)
            if disagrees(cue, claim, author) and not _explained(cue, claim.note, claim.modality)]
    if not cues:
        return None
    where = "quote" if all(cue.start < end and cue.end > start for cue in cues) else "sentence"
    said = ", ".join(dict.fromkeys(  # each cue once, however often the sentence repeats it
        f'"{cue.word}" ({cue.kind}' + (f' naming "{cue.source}")' if cue.source else ")") for cue in cues))
    wanted = suggest(cues)
    what = claim.modality
    if wanted.modality != claim.modality:
        fix = f"make it {wanted.modality}"
        if wanted.source:
            fix += f' with asserted_by the actor "{wanted.source}" names'
    else:  # reported, but by the author while the sentence names the source
        what = "reported by the author"
        fix = f'set asserted_by to the actor "{wanted.source}" names'
    return f"claim {claim.id} is {what} but its {where} says {said}; {fix}, or explain why in its note"


def lint_datasets(datasets: list[Dataset]) -> list[Problem]:
    """Every modality/attribution warning for ``datasets``, as ``FILE:LINE: warning: ...``.

    LINE is the claim's ``modality:`` line.
    """
    warnings = []
    for dataset in datasets:
        posts = {post.number: post for post in dataset.posts}
        post_cues: dict[int, list[Cue]] = {}
        for claim in dataset.claims:
            post = posts.get(claim.post)
            if post is None:
                continue
            if post.number not in post_cues:
                post_cues[post.number] = find_cues(post.text, dataset.language)
            message = claim_warning(claim, post.text, dataset.language, dataset.author,
                                    post_cues[post.number])
            if message:
                warnings.append(Problem(claim.where.file, claim.modality_line or claim.where.line,
                                        f"warning: {message}"))
    return sorted(warnings)


def lint(data_dir: Path | str = "data") -> list[Problem]:
    """:func:`lint_datasets` over the datasets in ``data_dir`` that can be read."""
    datasets, _ = read_datasets(data_dir)
    return lint_datasets(datasets)
