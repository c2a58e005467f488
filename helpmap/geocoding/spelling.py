"""Names spelt like a query: "Albequerque" -> "albuquerque", "Manchster" -> "manchester".

RapidFuzz (a maintained C++ library, MIT) compares a query with every gazetteer name that
starts with the same letter and is about as long in under a millisecond; difflib, in pure
Python, took ten times as long over a tenth of the names. Similarity is RapidFuzz's `ratio` (100 = the same, one typo in a ten-letter
name = about 90), which counts a swapped pair of letters as two edits.

Used only when no name matches exactly, so correct spellings never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

MAX_LENGTH_CHANGE = 2  # a misspelling adds or drops at most this many letters
LOWEST_SIMILARITY = 75.0  # below this, names are too unlike to offer at all


class SpellingIndex:
    """Normalised names grouped by length, each with the population-weighted score of the best
    town it names (for ranking names that are spelt equally alike)."""

    def __init__(self, keys_and_scores: Iterable[tuple[str, float]]) -> None:
        best: dict[str, float] = {}
        for key, score in keys_and_scores:
            if key and score > best.get(key, -1.0):
                best[key] = score
        # Grouped by first letter and length: a misspelling rarely changes the first letter, and
        # comparing a fifteenth of the names keeps a lookup near a millisecond.
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for key in sorted(best):
            self._by_shape.setdefault((key[0], len(key)), []).append(key)
        self.score = best

    def __len__(self) -> int:
        return len(self.score)

    def similar(self, key: str, limit: int = 20) -> list[tuple[str, float]]:
        """(name, similarity 0-100) for names spelt like the key, most alike first."""
        if len(key) < 3:
            return []
        choices = [
            name
            for length in range(len(key) - MAX_LENGTH_CHANGE, len(key) + MAX_LENGTH_CHANGE + 1)
            for name in self._by_shape.get((key[0], length), ())
        ]
        found = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=LOWEST_SIMILARITY, limit=limit)
        return [(name, float(similarity)) for name, similarity, _ in found if name != key]
