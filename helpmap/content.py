"""The explanatory pages: read a content file, check its references, give plain text for measuring.

A content file (content/<slug>.md) looks like this:

    ---
    title: About ketamine
    summary: One or two sentences shown under the title.
    last_reviewed: 2026-11-27
    next_review: 2027-05-27
    find_help: treatment, support_group
    ---
    Markdown body. A claim cites its sources with a bracketed number before the full stop:
    "About 1 in 4 people reported symptoms [3]." Several sources: "[1, 4]".

    ## Sources

    1. Title of the work | Publisher | https://address
    2. ...

Front matter is plain `key: value` lines between `---` fences; `find_help` (optional) lists the
kinds of service (treatment, support_group, harm_reduction) that the page's "Find help" links
offer, in order. The body ends at the `## Sources` heading; each source is one numbered line,
numbered 1, 2, 3 ... in order, with three fields separated by " | ". A source is an original:
a journal article by its DOI (https://doi.org/...) or an official body's own page, never a copy or
an aggregator (helpmap.citations lists those). `next_review` is when the page must be read again.

Reference markers are `[n]` or `[n, m, ...]`: plain text in any Markdown renderer (there is no
link definition for them), and `display_markdown()` escapes the brackets before rendering anyway.
Bodies hold no raw HTML and no images: the pages load nothing from other sites.

Numbers need sources: every sentence in the body that contains a digit must carry a marker.
Help-line numbers passed in `allowed_numbers` are the only exception.

Translations live in content/<lang>/<slug>.md (English is content/<slug>.md) with the same front
matter plus `english_version`: the English page's `last_reviewed` date that the translation
follows. When the English page is reviewed again, the translation is out of date until a
translator brings it up to that date (tests/test_content_translations.py fails meanwhile).
`load(slug, lang=...)` falls back to the English page when a language has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from helpmap.citations import is_aggregator

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
SLUGS = ("about-ketamine", "dependence", "physical-harms", "getting-help", "staying-safer",
         "emergency", "the-law", "families-and-friends")  # fmt: skip
FIND_HELP_KINDS = ("treatment", "support_group", "harm_reduction")

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_SOURCES_HEADING = re.compile(r"^##\s+Sources\s*$", re.MULTILINE)
_SOURCE_LINE = re.compile(r"^(\d+)\.\s+(.+?)\s+\|\s+(.+?)\s+\|\s+(\S+)\s*$")
_WEB_URL = re.compile(r"^https?://[^\s<>\"'()\[\]]+$")
_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)»]?\s+(?=[\"“«(\[¿¡]?[A-Z0-9ÁÉÍÓÚÑ])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")


class ContentError(ValueError):
    """A content file whose structure cannot be read (front matter, date, sources list)."""


@dataclass(frozen=True)
class Source:
    number: int
    title: str
    url: str
    publisher: str


@dataclass(frozen=True)
class ContentPage:
    title: str
    summary: str
    body_markdown: str
    sources: list[Source]
    last_reviewed: date
    next_review: date | None = None
    slug: str = ""
    find_help: tuple[str, ...] = field(default=("treatment", "support_group"))
    lang: str = "en"
    english_version: date | None = None  # a translation: the English last_reviewed it follows

    @property
    def source_numbers(self) -> list[int]:
        return [source.number for source in self.sources]


# --- reading ------------------------------------------------------------------------------


def parse(text: str, slug: str = "", lang: str = "en") -> ContentPage:
    """A content file's text -> ContentPage. Raises ContentError when its structure is wrong."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError("the file must start with front matter between '---' lines")
    meta: dict[str, str] = {}
    for number, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ContentError(f"front matter line {number} is not 'key: value': {line!r}")
        meta[key.strip().lower()] = value.strip()
    for key in ("title", "summary", "last_reviewed", "next_review"):
        if not meta.get(key):
            raise ContentError(f"front matter needs '{key}'")
    reviewed, next_review = (_date(meta, key) for key in ("last_reviewed", "next_review"))
    if next_review <= reviewed:
        raise ContentError("next_review must come after last_reviewed")
    kinds = tuple(
        k.strip() for k in meta.get("find_help", "treatment, support_group").split(",") if k.strip()
    )
    unknown = [k for k in kinds if k not in FIND_HELP_KINDS]
    if unknown:
        raise ContentError(
            f"find_help kinds must be among {', '.join(FIND_HELP_KINDS)}; not {', '.join(unknown)}"
        )

    english_version = None
    if lang != "en":
        if not meta.get("english_version"):
            raise ContentError("a translation needs 'english_version' (the English page's last_reviewed date)")
        english_version = _date(meta, "english_version")

    rest = text[match.end() :]
    headings = list(_SOURCES_HEADING.finditer(rest))
    if len(headings) != 1:
        raise ContentError("the body must end with exactly one '## Sources' section")
    body, sources_text = rest[: headings[0].start()], rest[headings[0].end() :]
    sources = []
    for line in sources_text.splitlines():
        if not line.strip():
            continue
        source = _SOURCE_LINE.match(line.strip())
        if not source:
            raise ContentError(f"a source must be 'N. Title | Publisher | URL': {line.strip()!r}")
        number, title, publisher, url = source.groups()
        sources.append(Source(int(number), title.strip(), url, publisher.strip()))
    return ContentPage(
        title=meta["title"],
        summary=meta["summary"],
        body_markdown=body.strip() + "\n",
        sources=sources,
        last_reviewed=reviewed,
        next_review=next_review,
        slug=slug,
        find_help=kinds,
        lang=lang,
        english_version=english_version,
    )


def _date(meta: dict[str, str], key: str) -> date:
    try:
        return date.fromisoformat(meta[key])
    except ValueError as error:
        raise ContentError(f"{key} must be a date like 2026-11-27, not {meta[key]!r}") from error


def path_for(slug: str, directory: str | Path | None = None, lang: str = "en") -> Path:
    """content/<slug>.md, or content/<lang>/<slug>.md for a translation."""
    if not _SLUG.match(slug or ""):
        raise ContentError(f"{slug!r} is not a page name (lower-case words joined by '-')")
    if not _LANG.match(lang or ""):
        raise ContentError(f"{lang!r} is not a language code (two or three lower-case letters)")
    folder = Path(directory or CONTENT_DIR)
    return folder / f"{slug}.md" if lang == "en" else folder / lang / f"{slug}.md"


def resolved_path(slug: str, lang: str = "en", directory: str | Path | None = None) -> tuple[Path, str]:
    """The file to show for a page in a language, and its language: English when there is none."""
    path = path_for(slug, directory, lang)
    if lang != "en" and not path.is_file():
        return path_for(slug, directory), "en"
    return path, lang


def load(slug: str, directory: str | Path | None = None, lang: str = "en") -> ContentPage:
    """A page in a language (the English page when that language has no translation of it)."""
    path, found = resolved_path(slug, lang, directory)
    return parse(path.read_text(encoding="utf-8"), slug, found)


def translation_languages(directory: str | Path | None = None) -> list[str]:
    """The languages with a folder of translated pages, e.g. ['es']."""
    folder = Path(directory or CONTENT_DIR)
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and _LANG.match(p.name))


# --- references ----------------------------------------------------------------------------


def cited_numbers(body: str) -> list[int]:
    """Every source number the body cites, in order of first citation."""
    seen: dict[int, None] = {}
    for match in MARKER.finditer(body):
        for number in match.group(1).split(","):
            seen.setdefault(int(number), None)
    return list(seen)


def strip_markers(text: str) -> str:
    """The text without reference markers (and without the space before each)."""
    return re.sub(r"\s*" + MARKER.pattern, "", text)


def display_markdown(body: str) -> str:
    """The body as Markdown to render: markers shown literally as [1], never read as links, and
    kept on one line with the word before them (no-break spaces)."""

    def show(match: re.Match) -> str:
        numbers = [n.strip() for n in match.group(1).split(",")]
        return "\u00a0\\[" + ",\u00a0".join(numbers) + "\\]"

    return re.sub(r"[ \t]*" + MARKER.pattern, show, body)


def blocks(body: str) -> list[tuple[bool, str]]:
    """The body split into (is_call_out, markdown) runs: a paragraph whose lines all start with
    ">" is a call-out (its ">" removed); the paragraphs between call-outs stay together."""
    runs: list[tuple[bool, str]] = []
    for paragraph in re.split(r"\n\s*\n", body.strip()):
        lines = paragraph.splitlines()
        quoted = all(line.lstrip().startswith(">") for line in lines)
        text = "\n".join(re.sub(r"^\s*>\s?", "", line) for line in lines) if quoted else paragraph
        if runs and not quoted and not runs[-1][0]:
            runs[-1] = (False, runs[-1][1] + "\n\n" + text)
        else:
            runs.append((quoted, text))
    return runs


# --- sentences and plain text ----------------------------------------------------------------


def text_units(body: str) -> list[str]:
    """The body as readable units: each heading, each list item, each paragraph (Markdown kept)."""
    units: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            units.append(" ".join(paragraph))
            paragraph.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#") or _LIST_ITEM.match(line):
            flush()
            paragraph.append(line)
            if line.startswith("#"):
                flush()
        elif line.startswith(">"):
            flush()
            paragraph.append(line.lstrip("> "))
        else:
            paragraph.append(line)
    flush()
    return units


def sentences(body: str) -> list[str]:
    """Sentences of the body: headings and list items count as their own sentences."""
    found = []
    for unit in text_units(body):
        found.extend(part.strip() for part in _SENTENCE_END.split(unit) if part.strip())
    return found


def plain_text(body: str) -> str:
    """The body as prose for readability measures: Markdown and reference markers removed.

    Headings and list items are read as sentences (a full stop is added where they have none),
    since that is how a reader meets them."""
    out = []
    for unit in text_units(strip_markers(body)):
        unit = _LIST_ITEM.sub("", unit.lstrip("#").strip())
        unit = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", unit)  # links -> their text
        unit = re.sub(r"[*_`]+", "", unit).replace("\\", "").strip()
        if unit and unit[-1] not in ".!?:":
            unit += "."
        if unit:
            out.append(unit)
    return "\n".join(out)


# --- checking --------------------------------------------------------------------------------


def unreferenced_number_sentences(body: str, allowed_numbers: Iterable[str] = ()) -> list[str]:
    """Sentences that contain a digit but no reference marker (help-line numbers excepted)."""
    allowed = sorted({n.strip() for n in allowed_numbers if n and n.strip()}, key=len, reverse=True)
    found = []
    for sentence in sentences(body):
        if MARKER.search(sentence):
            continue
        rest = sentence
        for number in allowed:
            rest = re.sub(r"(?<![\d\w])" + re.escape(number) + r"(?![\d\w])", "", rest)
        if re.search(r"\d", rest):
            found.append(sentence)
    return found


def problems(page: ContentPage, allowed_numbers: Iterable[str] = ()) -> list[str]:
    """Everything wrong with a page, as sentences; an empty list means it can ship."""
    found = []
    body = page.body_markdown
    listed = page.source_numbers
    cited = cited_numbers(body)
    if not page.sources:
        found.append("the page lists no sources")
    if listed != list(range(1, len(listed) + 1)):
        found.append(f"sources must be numbered 1 to {len(listed)} in order, found {listed}")
    for number in cited:
        if number not in listed:
            found.append(f"marker [{number}] does not match a listed source")
    for number in listed:
        if number not in cited:
            found.append(f"source {number} is listed but never cited")
    if cited and cited != sorted(cited):
        found.append("sources should be numbered in the order they are first cited")
    for source in page.sources:
        if not _WEB_URL.match(source.url):
            found.append(
                f"source {source.number} has an address that is not a plain http(s) URL: {source.url}"
            )
        if is_aggregator(source.url):
            found.append(f"source {source.number} is a copy or aggregator; cite the original: {source.url}")
        if not source.title or not source.publisher:
            found.append(f"source {source.number} needs a title and a publisher")
    if "<script" in body.lower() or _HTML_TAG.search(body):
        found.append("the body contains raw HTML")
    if "![" in body:
        found.append("the body contains a Markdown image")
    if re.search(r"\[\^", body):
        found.append("use [n] markers, not footnotes ([^n])")
    for link in re.findall(r"\]\(([^)]*)\)", body):
        if not _WEB_URL.match(link):
            found.append(f"the body links to something other than a web address: {link}")
    for sentence in sentences(body):
        if re.match(r"^\s*" + MARKER.pattern, sentence):
            found.append(f"a marker starts a sentence; put it before the full stop: {sentence[:60]!r}")
    for sentence in unreferenced_number_sentences(body, allowed_numbers):
        found.append(f"a sentence with a number has no reference: {sentence!r}")
    return found


# --- translations ----------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def translation_problems(slug: str, lang: str, directory: str | Path | None = None) -> list[str]:
    """Everything that makes a translated page disagree with its English page: it is missing, it
    follows an older English version, or its sources, numbers or Find-help links differ."""
    path = path_for(slug, directory, lang)
    if not path.is_file():
        return [f"{slug} has no {lang} translation ({path.name} in content/{lang}/)"]
    english = load(slug, directory)
    translated = parse(path.read_text(encoding="utf-8"), slug, lang)
    found = []
    if translated.english_version != english.last_reviewed:
        found.append(
            f"{lang}/{slug} follows the English page of {translated.english_version}, but the English "
            f"page was reviewed on {english.last_reviewed}: update the translation, then its english_version"
        )
    if [s.url for s in translated.sources] != [s.url for s in english.sources]:
        found.append(f"{lang}/{slug} must cite the English page's sources, in the same order")
    if cited_numbers(translated.body_markdown) != cited_numbers(english.body_markdown):
        found.append(f"{lang}/{slug} cites its sources in a different order from the English page")
    if translated.find_help != english.find_help:
        found.append(f"{lang}/{slug} must offer the same Find help links ({', '.join(english.find_help)})")

    def numbers(page: ContentPage) -> list[str]:
        return sorted(n.replace(",", ".") for n in _NUMBER.findall(strip_markers(page.body_markdown)))

    if numbers(translated) != numbers(english):
        missing = sorted(set(numbers(english)) - set(numbers(translated)))
        extra = sorted(set(numbers(translated)) - set(numbers(english)))
        found.append(f"{lang}/{slug} has different numbers from the English page (missing {missing}, extra {extra})")
    return found
