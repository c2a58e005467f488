"""The explanatory pages: they render, every claim with a number has a source, every source is
cited and real (from the research fact sheet), and nothing on them loads from another site."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from helpmap import content, helplines
from helpmap.content import ContentError

REPO = Path(__file__).resolve().parents[1]
FACTS = REPO.parent / "shared" / "research" / "content-facts.md"
PAGES = {
    "about-ketamine": ("about_ketamine.py", "About ketamine"),
    "dependence": ("dependence.py", "Dependence and warning signs"),
    "physical-harms": ("physical_harms.py", "Physical harms"),
    "getting-help": ("getting_help.py", "Getting help"),
    "staying-safer": ("staying_safer.py", "Staying safer"),
}
REVIEWED = date(2026, 11, 27)
# Written in pieces so that this file does not itself contain the phrases it forbids.
FORBIDDEN = ("trip" + "py", "buy " + "ketamine", "without " + "prescription", "knowledge " + "cutoff")


def helpline_numbers() -> list[str]:
    lines = helplines.load()
    return [line.phone for line in lines if line.phone] + [line.text for line in lines if line.text.isdigit()]


def facts_section(number: int) -> str:
    if not FACTS.is_file():
        pytest.skip(f"the research fact sheet is expected at {FACTS}")
    text = FACTS.read_text(encoding="utf-8")
    start = text.index(f"\n## {number}. ")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def address_is_in_fact_sheet(url: str, section: str) -> bool:
    """The address appears in the fact sheet's source list, or (for a GitHub file the sheet names
    by repository, path and commit) every one of those parts does."""
    if url in section:
        return True
    parts = urlsplit(url)
    match = re.match(r"^/([^/]+/[^/]+)/blob/([0-9a-f]{7,40})/(.+)$", parts.path)
    return parts.netloc == "github.com" and bool(match) and all(piece in section for piece in match.groups())


def run_page(slug: str, **session) -> AppTest:
    app = AppTest.from_file(str(REPO / "app_pages" / PAGES[slug][0]), default_timeout=30)
    for key, value in session.items():
        app.session_state[key] = value
    return app.run()


def all_markdown(app: AppTest) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])


# --- every page --------------------------------------------------------------------------


def test_every_page_has_a_content_file_and_a_page_file():
    assert set(content.SLUGS) == set(PAGES)
    for slug, (filename, _title) in PAGES.items():
        assert content.path_for(slug).is_file()
        lines = (REPO / "app_pages" / filename).read_text().strip().splitlines()
        assert lines == ["from ui.content_page import render_content_page", f'render_content_page("{slug}")']


@pytest.mark.parametrize("slug", PAGES)
def test_page_renders_title_body_helplines_sources_and_review_date(slug):
    app = run_page(slug)
    assert not app.exception, [e.value for e in app.exception]
    page = content.load(slug)
    assert [t.value for t in app.title] == [page.title] == [PAGES[slug][1]]
    subheaders = [s.value for s in app.subheader]
    assert (
        subheaders.index("Help lines") < subheaders.index("Find help near you") < subheaders.index("Sources")
    )
    assert any(c.value == "Last reviewed: 2026-11-27" for c in app.caption)
    sources = next(m.value for m in app.markdown if m.value.startswith("1. ["))
    for source in page.sources:
        assert f"({source.url})" in sources
    assert app.get("link_button"), "the help-line panel offers tap-to-call buttons"


@pytest.mark.parametrize("slug", PAGES)
def test_page_has_sources_and_last_reviewed_date(slug):
    page = content.load(slug)
    assert page.sources
    assert page.last_reviewed == REVIEWED
    assert page.summary and page.title


@pytest.mark.parametrize("slug", PAGES)
def test_every_marker_resolves_and_every_source_is_cited(slug):
    page = content.load(slug)
    cited = content.cited_numbers(page.body_markdown)
    assert set(cited) == set(page.source_numbers)
    assert page.source_numbers == list(range(1, len(page.sources) + 1))
    assert content.problems(page, helpline_numbers()) == []


@pytest.mark.parametrize("slug", PAGES)
def test_every_sentence_with_a_number_carries_a_reference(slug):
    page = content.load(slug)
    assert content.unreferenced_number_sentences(page.body_markdown, helpline_numbers()) == []


@pytest.mark.parametrize("slug", PAGES)
def test_sources_come_from_the_research_fact_sheet(slug):
    section = facts_section(15)
    for source in content.load(slug).sources:
        assert address_is_in_fact_sheet(source.url, section), f"{slug}: source {source.number} {source.url}"


@pytest.mark.parametrize("slug", PAGES)
def test_nothing_loads_from_other_sites(slug):
    text = content.path_for(slug).read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert "![" not in text
    assert not re.search(r"<\s*/?\s*[a-zA-Z!][^>]*>", text), "raw HTML in a content file"
    app = run_page(slug)
    for kind in ("imgs", "html", "iframe"):
        assert not app.get(kind), f"{slug} renders {kind}"
    rendered = all_markdown(app)
    assert "![" not in rendered and "<script" not in rendered.lower()
    for target in re.findall(r"\]\(([^)\s]+)\)", rendered):
        assert target.startswith(("https://", "http://", "tel:", "sms:")), target


def test_the_core_modules_never_import_streamlit():
    for module in ("content.py", "helplines.py"):
        source = (REPO / "helpmap" / module).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.MULTILINE), module


def test_no_forbidden_phrases_anywhere_in_the_repository():
    skip = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", "vendor"}
    offenders = []
    for path in REPO.rglob("*"):
        if not path.is_file() or skip & set(path.relative_to(REPO).parts):
            continue
        if path.suffix not in {
            ".py",
            ".md",
            ".csv",
            ".toml",
            ".txt",
            ".json",
            ".yaml",
            ".yml",
            ".cfg",
            ".html",
            "",
        }:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore").lower()
        offenders += [f"{path.relative_to(REPO)}: {phrase}" for phrase in FORBIDDEN if phrase in text]
    assert offenders == []


# --- what the pages say (corrections from the fact sheet, section 14) ----------------------


def body(slug: str) -> str:
    return content.plain_text(content.load(slug).body_markdown)


def test_mechanism_is_glutamate_first_and_dopamine_is_hedged():
    text = body("about-ketamine")
    assert "glutamate" in text and "NMDA" in text
    assert "it is wrong to say that ketamine works by" in text


def test_diagnosis_uses_the_ketamine_criteria_and_no_self_score():
    text = body("dependence")
    assert "phencyclidine use disorder" in text and "10 signs" in text and "6C4D" in text
    assert "not a test to score yourself" in text
    assert "11 criteria" not in text and not re.search(
        r"\b[2-6]\s*(?:or|to|-|–)\s*[3-6]\b.*(mild|moderate|severe)", text
    )


def test_no_withdrawal_timeline_and_no_medicine_named_as_treatment():
    for slug in PAGES:
        text = body(slug).lower()
        assert not re.search(r"\bday \d", text), f"{slug} gives a day-by-day timeline"
        for candidate in ("naltrexone", "lamotrigine", "paliperidone", "bupropion", "haloperidol"):
            assert candidate not in text, f"{slug} names {candidate}"
    assert "No medicine is approved to treat ketamine addiction" in body("getting-help")


def test_staying_safer_gives_no_amounts():
    text = body("staying-safer").lower()
    assert not re.search(r"\d+\s*(mg|g|gram|milligram|ml|line|bump)s?\b", text)


def test_getting_help_links_into_find_help_pre_filtered():
    page = content.load("getting-help")
    assert page.find_help[:2] == ("support_group", "treatment")
    app = navigation_app("getting_help.py")
    links = [(p.proto.label, p.proto.page, p.proto.query_string) for p in app.get("page_link")]
    assert links == [
        ("Find support groups near you", "find-help", "kind=support_group"),
        ("Find treatment near you", "find-help", "kind=treatment"),
    ]


@pytest.mark.parametrize("slug", PAGES)
def test_find_help_links_work_inside_navigation(slug):
    app = navigation_app(PAGES[slug][0])
    assert not app.exception, [e.value for e in app.exception]
    kinds = [p.proto.query_string.removeprefix("kind=") for p in app.get("page_link")]
    assert kinds == list(content.load(slug).find_help)


def navigation_app(filename: str) -> AppTest:
    """The page inside st.navigation beside Find help, as app.py registers them."""
    script = f"""
import streamlit as st
st.navigation([
    st.Page({str(REPO / "app_pages" / filename)!r}, title="Page", default=True),
    st.Page({str(REPO / "app_pages" / "find_help.py")!r}, title="Find help", url_path="find-help"),
]).run()
"""
    return AppTest.from_string(script, default_timeout=30).run()


def test_outside_navigation_the_page_still_renders_and_points_to_the_menu():
    app = run_page("staying-safer")
    assert not app.exception
    assert any("Find help is in the HelpMap menu" in c.value for c in app.caption)


def test_the_page_shows_the_readers_country():
    app = run_page("physical-harms", searcher_country="au")
    first = app.get("link_button")[0]
    assert first.proto.url == "tel:000"


# --- the parser and the checker --------------------------------------------------------------

GOOD = """---
title: Test page
summary: A page for tests.
last_reviewed: 2026-11-27
find_help: harm_reduction
---

## A heading

About 1 in 4 people had symptoms [1]. Some got better after stopping [1, 2].

- a list item with no number
- a list item citing a survey of 150 people [2]

## Sources

1. First source | Publisher One | https://example.org/one
2. Second source | Publisher Two | https://example.org/two
"""


def test_parse_reads_front_matter_body_and_sources():
    page = content.parse(GOOD, "test")
    assert page.title == "Test page" and page.summary == "A page for tests."
    assert page.last_reviewed == REVIEWED
    assert page.find_help == ("harm_reduction",)
    assert page.sources == [
        content.Source(1, "First source", "https://example.org/one", "Publisher One"),
        content.Source(2, "Second source", "https://example.org/two", "Publisher Two"),
    ]
    assert "## Sources" not in page.body_markdown
    assert content.cited_numbers(page.body_markdown) == [1, 2]
    assert content.problems(page) == []


def test_unresolved_markers_and_uncited_sources_are_problems():
    page = content.parse(GOOD.replace("[1, 2]", "[1, 3]").replace("150 people [2]", "150 people [1]"))
    found = content.problems(page)
    assert "marker [3] does not match a listed source" in found
    assert "source 2 is listed but never cited" in found


def test_a_number_without_a_reference_is_a_problem_but_help_line_numbers_are_not():
    page = content.parse(GOOD.replace("## A heading", "Call 999 or 111 now.\n\nIn 2019 it was approved."))
    assert content.unreferenced_number_sentences(page.body_markdown, ["999", "111"]) == [
        "In 2019 it was approved."
    ]
    assert content.unreferenced_number_sentences("Use 1999 codes.", ["999"]) == ["Use 1999 codes."]


def test_decimals_do_not_split_sentences_and_markers_must_precede_the_full_stop():
    assert content.sentences("It was 26.6% of users [1]. Next one.") == [
        "It was 26.6% of users [1].",
        "Next one.",
    ]
    page = content.parse(GOOD.replace("symptoms [1].", "symptoms. [1] Then more."))
    assert any("marker starts a sentence" in p for p in content.problems(page))


@pytest.mark.parametrize(
    "insert, problem",
    [
        ("<script>alert(1)</script>", "raw HTML"),
        ('<img src="https://tracker.example/p.gif">', "raw HTML"),
        ("![pixel](https://tracker.example/p.gif)", "Markdown image"),
        ("[click](javascript:alert(1))", "other than a web address"),
        ("A footnote [^1].", "not footnotes"),
    ],
)
def test_remote_loads_and_odd_markup_are_problems(insert, problem):
    page = content.parse(GOOD.replace("## A heading", insert))
    assert any(problem in p for p in content.problems(page))


@pytest.mark.parametrize(
    "text",
    [
        GOOD.replace("---\ntitle", "title", 1),  # no front matter
        GOOD.replace("last_reviewed: 2026-11-27", "last_reviewed: soon"),
        GOOD.replace("summary: A page for tests.\n", ""),
        GOOD.replace("## Sources", "## References"),
        GOOD.replace("| Publisher One |", "Publisher One"),
        GOOD.replace("find_help: harm_reduction", "find_help: pharmacies"),
    ],
)
def test_structural_errors_raise(text):
    with pytest.raises(ContentError):
        content.parse(text)


def test_page_names_cannot_leave_the_content_folder():
    for slug in ("../app", "about_ketamine", "/etc/passwd", "", "About"):
        with pytest.raises(ContentError):
            content.path_for(slug)


def test_markers_display_literally_and_plain_text_drops_them():
    assert content.display_markdown("Half [1, 2].") == "Half\u00a0\\[1,\u00a02\\]."
    assert content.plain_text("## Title\n\n- **Bold** item [3]\n\nA [link](https://x.org) here [1].") == (
        "Title.\nBold item.\nA link here."
    )
