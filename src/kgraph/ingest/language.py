"""Guess a thread's language from its most common little words.

Threads are long enough that counting function words ("der", "und", "the",
"and" ...) tells the major languages apart reliably, with no model and no
dependency. Cyrillic text is told apart by the letters only Kazakh or
Ukrainian use. When no language stands out the answer is ``None`` and the
caller asks for ``--lang``.

>>> detect_language("Die Lage in Kasachstan hat sich weitgehend stabilisiert, und der Abzug beginnt.")
'de'
>>> detect_language("The situation has stabilised and the withdrawal begins in two days.")
'en'
>>> detect_language("12345") is None
True
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["detect_language", "function_words", "LANGUAGES"]

_STOPWORDS = {
    "de": "der die das und ist nicht ein eine den dem des zu mit sich auf für von im auch es als wird "
          "noch nach bei aus wie hat sind dass oder aber nur wurde werden am zum zur vom beim ob weil wenn "
          "denn doch da nun hier jetzt laut",
    "en": "the and is are of to in that it for with as was be on not this by from have has but "
          "were which their they will would if when while after before because so then now here there",
    "fr": "le la les et est des une un du que qui pas pour dans sur au avec ce sont il elle ne plus "
          "mais ont été",
    "es": "el la los las y es de que en un una por con para del se no al lo como más pero sus fue",
    "it": "il lo la gli le e di che un una per con non sono del della nel è anche ma come più",
    "nl": "de het een en van is dat op te in niet met voor zijn er aan ook als maar door wordt",
    "pt": "o os as e é de que um uma para com não do da em no na por mais se foi",
    "pl": "i w nie na się z do że to jest jak o ale po co tak za od przez być",
    "tr": "ve bir bu da de için ile olarak çok daha ama gibi olan en",
}
LANGUAGES = tuple(sorted(_STOPWORDS)) + ("ru", "uk", "kk")
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in sorted(_STOPWORDS.items()):
    for _word in _words.split():
        _LANGS_OF[_word] = _LANGS_OF.get(_word, ()) + (_lang,)
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")
_UKRAINIAN = re.compile(r"[їєґЇЄҐ]")
# A long dump is judged by its beginning; this much text decides.
_SAMPLE = 100_000
# The winner needs this many stopword hits and this lead over the runner-up.
_MIN_HITS = 3
_MIN_LEAD = 1.5


def function_words() -> frozenset[str]:
    """The little words of every language above, lower-case ("der", "the", "le" ...)."""
    return _FUNCTION_WORDS


_FUNCTION_WORDS = frozenset(_LANGS_OF)


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code for ``text``, or ``None`` when unsure."""
    text = text[:_SAMPLE]
    letters = _WORD.findall(text)
    if not letters:
        return None
    cyrillic = sum(1 for w in letters if _CYRILLIC.match(w))
    if cyrillic > len(letters) / 2:
        if _KAZAKH.search(text):
            return "kk"
        return "uk" if _UKRAINIAN.search(text) else "ru"
    hits = Counter()
    for word in letters:
        hits.update(_LANGS_OF.get(word.lower(), ()))
    ranked = hits.most_common(2)
    if not ranked or ranked[0][1] < _MIN_HITS:
        return None
    if len(ranked) > 1 and ranked[0][1] < _MIN_LEAD * ranked[1][1]:
        return None
    return ranked[0][0]
