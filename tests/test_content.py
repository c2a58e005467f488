"""The explanatory pages: they render, every claim with a number has a source, every source is
cited and an original (a DOI or an official body's own page, never a copy or aggregator), each
page says when it was last reviewed and when it is next due, and nothing loads from another site."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpmap import citations, content, helplines
from helpmap.content import ContentError

REPO = Path(__file__).resolve().parents[1]
FACTS = REPO.parent / "shared" / "research" / "content-facts.md"
REVIEW = REPO.parent / "shared" / "research" / "content-review.md"
PAGES = {
    "about-ketamine": ("about_ketamine.py", "About ketamine"),
    "dependence": ("dependence.py", "Dependence and warning signs"),
    "physical-harms": ("physical_harms.py", "Physical harms"),
    "getting-help": ("getting_help.py", "Getting help"),
    "staying-safer": ("staying_safer.py", "Staying safer"),
    "emergency": ("emergency.py", "In an emergency"),
    "the-law": ("the_law.py", "Ketamine and the law"),
    "families-and-friends": ("families_and_friends.py", "Families and friends"),
}
REVIEWED = date(2026, 12, 1)
NEXT_REVIEW = date(2027, 6, 1)
# Sources that are neither a DOI nor an official body, each the original of what it is cited
# for: a journal's or society's own page, a professional reference, a drug-information or
# harm-reduction charity's own advice, or a help service's own page.
ORIGINAL_PUBLISHERS = {
    "nature.com": "Molecular Psychiatry, the journal's own page",
    "bmj.com": "The BMJ, the journal's own page",
    "hkmj.org": "Hong Kong Medical Journal, the journal's own abstract",
    "westjem.com": "Clinical Practice and Cases in Emergency Medicine, the journal's own page",
    "ics.org": "International Continence Society, its own conference abstract",
    "he01.tci-thaijo.org": "the journal's own page on Thai Journals Online",
    "cduhr.org": "the authors' research centre (NYU), summarising their paper",
    "msdmanuals.com": "MSD Manual, a professional medical reference",
    "ndarc.med.unsw.edu.au": "National Drug and Alcohol Research Centre, UNSW Sydney",
    "release.org.uk": "Release, UK drugs charity",
    "drugsand.me": "Drugs and Me, drug-information charity",
    "thelevel.org.nz": "The Level, NZ Drug Foundation",
    "barod.cymru": "Barod, Welsh drug and alcohol charity",
    "substancemisuseresources.co.uk": "UK harm-reduction resource",
    "alcoholchange.org.uk": "Alcohol Change UK, alcohol charity",
    "urostomyassociation.org.uk": "Urostomy Association, patient charity (interview with an NHS nurse)",
    "fds.org.au": "Family Drug Support, the service's own report",
    "kidshelpphone.ca": "Kids Help Phone, the service's own page",
    "dan247.org.uk": "DAN 24/7, the service's own page",
    "streetconnections.ca": "Street Connections, a Canadian regional health programme",
}
# DOIs that are not written out in the research notes, with where each was found.
DOIS_FOUND_IN_REVIEW = {
    "10.1002/mhw.32471": "Mental Health Weekly 2020 news of the FDA's August 2020 approval (record with DOI)",
    "10.1002/mhw.34313": "Mental Health Weekly 2025 news of the FDA's January 2025 approval (record with DOI)",
    "10.1176/appi.books.9780890425596": "DSM-5 itself, the original of the criteria the notes summarise",
    "10.1007/s00261-014-0173-2": "Yu 2014, DOI given in content-review.md",
}
# Written in pieces so that this file does not itself contain the phrases it forbids.
FORBIDDEN = ("trip" + "py", "buy " + "ketamine", "without " + "prescription", "knowledge " + "cutoff")


def helpline_numbers() -> list[str]:
    lines = helplines.load()
    return [line.phone for line in lines if line.phone] + [line.text for line in lines if line.text.isdigit()]


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
    assert any(c.value == "Last reviewed: 2026-12-01. Next review due: 2027-06-01." for c in app.caption)
    sources = next(m.value for m in app.markdown if m.value.startswith("1. ["))
    for source in page.sources:
        assert f"({source.url})" in sources
    assert app.get("link_button"), "the help-line panel offers tap-to-call buttons"


@pytest.mark.parametrize("slug", PAGES)
def test_page_has_sources_and_last_reviewed_and_next_review_dates(slug):
    page = content.load(slug)
    assert page.sources
    assert page.last_reviewed == REVIEWED
    assert page.next_review == NEXT_REVIEW > page.last_reviewed
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
def test_sources_are_originals_dois_or_official_pages_never_aggregators(slug):
    sources = content.load(slug).sources
    for source in sources:
        where = f"{slug}: source {source.number} {source.url}"
        assert not citations.is_aggregator(source.url), where
        assert (
            citations.is_doi(source.url)
            or citations.is_official(source.url)
            or citations.host(source.url) in ORIGINAL_PUBLISHERS
        ), where
    assert any(citations.is_doi(s.url) or citations.is_official(s.url) for s in sources), slug


@pytest.mark.parametrize("slug", PAGES)
def test_every_doi_comes_from_the_research_notes(slug):
    """No invented DOIs: each is written in the research notes (as doi:... or inside an address),
    or is one of the few found during the review, listed above with where."""
    if not (FACTS.is_file() and REVIEW.is_file()):
        pytest.skip("the research notes are expected in ../shared/research")
    notes = (FACTS.read_text(encoding="utf-8") + REVIEW.read_text(encoding="utf-8")).lower()
    for source in content.load(slug).sources:
        if citations.is_doi(source.url):
            doi = source.url.removeprefix("https://doi.org/").lower()
            assert doi in notes or doi in DOIS_FOUND_IN_REVIEW, f"{slug}: {doi}"


def test_citation_rules():
    assert citations.is_aggregator("https://www.erowid.org/references/x")
    assert citations.is_aggregator("https://pmc.docslib.org/x") and not citations.is_aggregator("https://notdocslib.org/")
    assert citations.is_doi("https://doi.org/10.1111/add.15154") and not citations.is_doi("http://doi.org/10.1/x")
    assert citations.is_official("https://www.gov.uk/x") and citations.is_official("https://www2.hse.ie/x")
    assert not citations.is_official("https://gov.uk.example.com/x") and not citations.is_official("https://example.ie/")


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


def test_mechanism_is_glutamate_first_and_dopamine_is_hedged_without_arguing():
    """Changed in issue 16: the paragraph rebutting a dopamine claim readers never saw is gone."""
    text = body("about-ketamine")
    assert "glutamate" in text and "NMDA" in text and "may also affect dopamine" in text
    assert "flooding" not in text and "wrong to say" not in text


def sections(slug: str) -> dict[str, str]:
    """The page's plain text by '## ' heading."""
    found, heading = {}, ""
    for line in content.load(slug).body_markdown.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        found[heading] = found.get(heading, "") + line + "\n"
    return found


def test_diagnosis_detail_is_only_in_the_for_professionals_section():
    parts = sections("dependence")
    professional = parts["For professionals"]
    assert "phencyclidine use disorder" in professional and "10 criteria" in professional and "6C4D" in professional
    rest = "".join(text for heading, text in parts.items() if heading != "For professionals")
    for term in ("DSM", "ICD", "phencyclidine", "6C4D"):
        assert term not in rest, term
    text = body("dependence")
    assert "11 criteria" not in text and not re.search(
        r"\b[2-6]\s*(?:or|to|-|–)\s*[3-6]\b.*(mild|moderate|severe)", text
    )


def test_questions_to_ask_yourself_have_no_score():
    section = sections("dependence")["Questions to ask yourself"]
    questions = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(questions) >= 6 and all(q.rstrip().endswith("?") for q in questions)
    assert "there is no score" in section
    assert not re.search(r"\bscore (of|above|below)|\d+ or more|add up|points?\b", section.lower())


def test_no_withdrawal_timeline_and_no_medicine_named_as_treatment():
    for slug in PAGES:
        text = body(slug).lower()
        assert not re.search(r"\bday \d", text), f"{slug} gives a day-by-day timeline"
        for candidate in ("naltrexone", "lamotrigine", "paliperidone", "bupropion", "haloperidol"):
            assert candidate not in text, f"{slug} names {candidate}"
    assert "No medicine is approved to treat ketamine addiction" in body("getting-help")


def test_the_australian_deaths_study_is_reported_right_with_the_crisis_line_beside_it():
    section = sections("physical-harms")["Deaths and suicide"]
    assert "68 deaths" in section and "1 in 3" in section and "ended their own life" in section
    assert "[" in section and "> **If you are thinking about suicide" in section
    assert "same share were suicides" not in body("physical-harms")
    darke = [s for s in content.load("physical-harms").sources if s.url == "https://doi.org/10.1111/add.15154"]
    assert len(darke) == 1


@pytest.mark.parametrize("slug", PAGES)
def test_no_horse_tranq_and_no_bare_thirty_seconds(slug):
    text = body(slug).lower()
    assert not re.search(r"horse tranq(?!uilli)", text), "in the US 'tranq' means xylazine"
    assert "30 seconds" not in text, "that onset holds only for injection into a vein"


def test_no_page_cites_a_draft_as_a_plain_nhs_guide_or_a_tabloid():
    for slug in PAGES:
        text = body(slug)
        assert "One NHS guide" not in text
        assert all("ladbible" not in s.url for s in content.load(slug).sources)
    assert "A draft referral guide from one NHS area" in body("physical-harms")


def test_the_law_states_what_is_verified():
    text = body("the-law")
    assert "Class B" in text and "stay in Class B" in text
    assert not re.search(r"\b(is|became|now) (a )?Class A\b", text)
    assert "20 micrograms per litre" in text and "2 March 2015" in text
    assert "sharing drugs with friends, even for free, counts as supply" in text
    assert "Schedule III" in text and "could not yet confirm Ireland" in text
    urls = {s.url for s in content.load("the-law").sources}
    assert "https://www.legislation.gov.uk/uksi/2014/1106/contents" in urls


def test_esketamine_2020_approval_and_nice_ta854():
    text = body("about-ketamine")
    assert "2020" in text and "thoughts of suicide" in text
    assert "NICE" in text and "did not recommend esketamine" in text
    assert any("nice.org.uk/guidance/ta854" in s.url for s in content.load("about-ketamine").sources)


def test_getting_help_has_a_worried_about_someone_box_and_a_first_appointment():
    page = content.load("getting-help")
    assert "> **Worried about someone?**" in page.body_markdown
    first = sections("getting-help")["What happens at a first appointment"]
    for words in ("physical and mental health", "relationships", "urine or saliva", "goals", "confidentiality"):
        assert words in first, words
    assert any("nice.org.uk/guidance/CG51" in s.url for s in page.sources)


@pytest.mark.parametrize(
    "slug, words", [("getting-help", "Worried about someone?"), ("physical-harms", "If you are thinking about suicide")]
)
def test_call_outs_render_as_boxes(slug, words):
    app = run_page(slug)
    boxes = [box.value for box in app.info]
    assert any(words in box for box in boxes), boxes
    assert not any(m.value.lstrip().startswith(">") for m in app.markdown)


def test_blocks_split_call_outs_from_the_text_around_them():
    assert content.blocks("One.\n\n> **Box** line\n> two\n\n- a\n- b\n\nEnd.") == [
        (False, "One."),
        (True, "**Box** line\ntwo"),
        (False, "- a\n- b\n\nEnd."),
    ]


def test_emergency_page_covers_first_aid_and_the_k_hole():
    parts = sections("emergency")
    wait = parts["What to do while you wait"]
    for words in ("Stay with them", "recovery position", "Tell the ambulance crew what they took"):
        assert words in wait, words
    khole = parts["If someone is in a K-hole"]
    assert "Stay with them" in khole and "water" in khole
    when = parts["When to call an ambulance"]
    for words in ("breathing", "chest pain", "seizure", "alcohol, opioids, benzodiazepines"):
        assert words in when, words


def test_families_page_covers_conversation_self_care_and_family_lines():
    parts = sections("families-and-friends")
    assert {"Starting a conversation", "Looking after yourself"} <= set(parts)
    assert "Family Drug Support" in parts["Looking after yourself"]


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


def test_the_new_pages_are_in_the_apps_navigation():
    app_source = (REPO / "app.py").read_text(encoding="utf-8")
    for slug, (filename, title) in PAGES.items():
        # the menu title is translated (gettext), the address is not
        assert f'"app_pages/{filename}", title=_("{title}"), url_path="{slug}"' in app_source, slug


def test_the_page_shows_the_readers_country():
    app = run_page("physical-harms", searcher_country="au")
    first = app.get("link_button")[0]
    assert first.proto.url == "tel:000"


# --- the parser and the checker --------------------------------------------------------------

GOOD = """---
title: Test page
summary: A page for tests.
last_reviewed: 2026-12-01
next_review: 2027-06-01
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


def test_a_copy_or_aggregator_source_is_a_problem():
    page = content.parse(GOOD.replace("https://example.org/two", "https://www.erowid.org/references/x"))
    assert any("copy or aggregator" in p for p in content.problems(page))




@pytest.mark.parametrize(
    "text",
    [
        GOOD.replace("---\ntitle", "title", 1),  # no front matter
        GOOD.replace("last_reviewed: 2026-12-01", "last_reviewed: soon"),
        GOOD.replace("next_review: 2027-06-01\n", ""),
        GOOD.replace("next_review: 2027-06-01", "next_review: 2026-01-01"),
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
