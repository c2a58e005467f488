"""Name normalisation shared by the gazetteer index and the queries, so both compare alike.

"  Zürich ", "zurich" and "ZURICH" all become "zurich"; "St. Louis" and "Saint-Louis" become
"st louis". Names are normalised in one batch (one big string through a few regular
expressions) because doing 600,000 GeoNames names one at a time costs seconds at start-up.
"""

from __future__ import annotations

import re
import unicodedata

_COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
# Letters that Unicode does not decompose into a base letter plus an accent.
_SPECIAL_LETTERS = {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
_SPECIAL_PATTERN = re.compile("[" + "".join(_SPECIAL_LETTERS) + "]")
_DOT_BEFORE_WORD = re.compile(r"\.(?=\w)")
_DROPPED = re.compile(r"[.'’‘`ʻ]")  # "St. John's" -> "st johns", "U.S.A." -> "usa"
_SEPARATORS = re.compile(r"[^\w\n]+")  # "_" is a word character: it is replaced on its own, faster
# Words written both in full and abbreviated in place names.
_WORD_FORMS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
_WORD_PATTERN = re.compile(r"\b(?:" + "|".join(_WORD_FORMS) + r")\b")


def normalize_names(names: list[str]) -> list[str]:
    """Normalise many names at once: accents, case, punctuation and spacing stop mattering."""
    text = "\n".join(names)
    if text.count("\n") != len(names) - 1:  # a name with a line break in it: never in GeoNames
        text = "\n".join(name.replace("\n", " ") for name in names)
    text = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()
    text = _SPECIAL_PATTERN.sub(lambda m: _SPECIAL_LETTERS[m.group()], text)
    text = _DROPPED.sub("", _DOT_BEFORE_WORD.sub(_dot_between_words, text.replace("&", " and ")))
    text = _SEPARATORS.sub(" ", text.replace("_", " "))
    text = _WORD_PATTERN.sub(lambda m: _WORD_FORMS[m.group()], text)
    text = text.replace("\n ", "\n").replace(" \n", "\n").strip(" ")
    return text.split("\n")


def _dot_between_words(match: re.Match) -> str:
    """A dot after a word is a space ("St.Louis" -> "st louis"); after a single letter, it is
    an abbreviation and goes ("U.S.A." -> "usa"). A look-behind pattern would be ten times slower."""
    before = match.string[max(match.start() - 2, 0) : match.start()]
    return " " if len(before) == 2 and before.isalnum() else ""


def normalize_name(name: str) -> str:
    return normalize_names([name])[0]
