"""Help lines: only verified numbers ship, each country's lines come emergency-first, numbers
become working tel:/sms: links, and text from the file cannot become markup on the page."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpmap import citations, helplines
from helpmap.helplines import HelpLine, for_country, resolve, sms_href, tel_href

REPO = Path(__file__).resolve().parents[1]
FACTS = REPO.parent / "shared" / "research" / "content-facts.md"
REVIEW = REPO.parent / "shared" / "research" / "content-review.md"
CSV = REPO / "data" / "helplines.csv"

# Numbers that are in neither research file, each with the page (the service's own or an official
# one) on which it was seen during the content review of issue 16. Each must be cited by its row.
SEEN_IN_REVIEW = {
    "08088088000": "http://contactni.com/projects/lifeline.php",  # Lifeline, Northern Ireland
    "81066": "https://dan247.org.uk/Drug_Alcohol.asp",  # DAN 24/7's text number
}
# The services' own domains; every other source must be an official body's (helpmap.citations).
OWN_DOMAINS = {
    "988 Suicide & Crisis Lifeline": "988lifeline.org",
    "Samaritans": "samaritans.org",
    "Lifeline (Northern Ireland)": "contactni.com",
    "FRANK": "github.com",  # the FRANK website's own code, in UKHSA's repository
    "DAN 24/7 (Wales Drug and Alcohol Helpline)": "dan247.org.uk",
    "Lifeline": "lifelineh2h.org.au",
    "Family Drug Support": "fds.org.au",
    "Kids Help Phone": "kidshelpphone.ca",
    "9-8-8 Suicide Crisis Helpline": "mentalhealthcommission.ca",  # federally funded commission
    "National Alcohol and Other Drug Hotline": "emhprac.org.au",  # with health.gov.au
    "Emergency services (911)": "streetconnections.ca",  # a Canadian regional health programme
}


def section(number: int) -> str:
    if not FACTS.is_file():
        pytest.skip(f"the research fact sheet is expected at {FACTS}")
    text = FACTS.read_text(encoding="utf-8")
    start = text.index(f"\n## {number}. ")
    return text[start : text.find("\n## ", start + 1)]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# --- the file -------------------------------------------------------------------------------


def test_file_has_the_documented_columns_and_no_problems():
    """Changed in issue 17: the documented columns, then the optional Spanish ones."""
    with CSV.open(encoding="utf-8", newline="") as handle:
        assert tuple(csv.DictReader(handle).fieldnames) == (
            *helplines.COLUMNS, "hours_es", "description_es", "service_es", "text_es", "area_es")
    lines = helplines.load()
    assert len(lines) >= 10
    assert helplines.problems(lines) == []


def test_every_row_has_a_status_and_was_checked_during_a_review():
    for line in helplines.load():
        assert line.status in helplines.STATUSES, line
        assert line.last_checked in (date(2026, 11, 26), date(2026, 12, 1)), line
        assert line.purpose in helplines.PURPOSES


def test_every_number_comes_from_the_research_or_a_cited_official_page():
    """No invented numbers: each phone and text number is in the fact sheet's help-line table or
    the clinical review, or was seen on a page the row itself cites."""
    known = digits(section(13)) + " " + digits(REVIEW.read_text(encoding="utf-8"))
    for line in helplines.load():
        for number in (line.phone, line.text):
            if number:
                dialled = digits(tel_href(number) or sms_href(number) or "x")
                if dialled in SEEN_IN_REVIEW:
                    assert SEEN_IN_REVIEW[dialled] in line.source_urls, (line.service, number)
                else:
                    assert dialled in known, (line.service, number)


def test_every_line_cites_its_own_service_or_an_official_page_and_no_copies():
    for line in helplines.load():
        urls = line.source_urls
        assert urls, line.service
        assert not [url for url in urls if citations.is_aggregator(url)], line.service
        own = OWN_DOMAINS.get(line.service)
        assert any(citations.is_official(url) or (own and citations.host(url) == own) for url in urls), (
            line.service,
            urls,
        )


def test_verified_rows_name_the_page_the_number_was_seen_on():
    """A VERIFIED row's first source is the service's own or an official page; a CHECK_LIVE row
    says in its description that the number still needs confirming."""
    for line in helplines.load():
        if not line.verified:
            assert "still need" in line.description, line.service


def test_lines_that_are_not_verified_are_left_out():
    shipped = {digits(line.phone) for line in helplines.load()} | {
        digits(line.text) for line in helplines.load()
    }
    secondary = {
        "18886886677": "NORS, Canada (secondary only)",
        "0477131114": "Lifeline's text number (secondary only)",
        "18002738255": "the old US Lifeline number (not a row of its own)",
        "18006686868": "Kids Help Phone's phone number (seen only in the news)",
    }
    assert not shipped & set(secondary), [secondary[n] for n in shipped & set(secondary)]
    ireland = for_country("IE")
    assert [line.phone for line in ireland if line.purpose == "emergency"] == ["112", "999"]


@pytest.mark.parametrize("country, number", [("IE", "1800 459 459"), ("AU", "1300 368 186")])
def test_lines_still_to_check_show_only_where_a_site_opts_in(country, number):
    assert number not in [line.phone for line in for_country(country)]
    shown = [line for line in for_country(country, include_unchecked=True) if line.phone == number]
    assert len(shown) == 1 and shown[0].status == "CHECK_LIVE"


def test_nhs_111_is_not_offered_as_northern_irelands_line():
    lines = {line.service: line for line in for_country("GB")}
    nhs111 = lines["NHS 111 (urgent help when it is not an emergency)"]
    assert nhs111.area == "England, Scotland and Wales"
    assert "Northern Ireland" in nhs111.description and "option 2" in nhs111.description
    assert lines["Lifeline (Northern Ireland)"].area == "Northern Ireland"
    assert lines["DAN 24/7 (Wales Drug and Alcohol Helpline)"].area == "Wales"


@pytest.mark.parametrize("country, number", [("US", "1-800-222-1222"), ("AU", "13 11 26")])
def test_poison_lines_come_right_after_the_emergency_number(country, number):
    lines = for_country(country)
    assert lines[0].purpose == "emergency"
    first_other = next(line for line in lines if line.purpose != "emergency")
    assert first_other.purpose == "poisons" and first_other.phone == number


def test_samaritans_is_listed_for_the_uk_and_ireland():
    for country in ("GB", "IE"):
        assert any(line.service == "Samaritans" and line.phone == "116 123" for line in for_country(country))


# --- choosing a country's lines ---------------------------------------------------------------

RANK = {purpose: rank for rank, purpose in enumerate(helplines.PURPOSES)}


@pytest.mark.parametrize("country", ["US", "GB", "IE", "AU", "CA"])
def test_emergency_first_then_crisis_then_information(country):
    lines = for_country(country)
    assert lines and lines[0].purpose == "emergency"
    ranks = [RANK[line.purpose] for line in lines]
    assert ranks == sorted(ranks)
    assert {line.country for line in lines} == {country}


def test_uk_order_and_the_uk_alias():
    assert [line.service for line in for_country("GB")] == [
        "Emergency services (999)",
        "NHS 111 (urgent help when it is not an emergency)",
        "Samaritans",
        "Lifeline (Northern Ireland)",
        "FRANK",
        "DAN 24/7 (Wales Drug and Alcohol Helpline)",
    ]
    assert for_country("uk") == for_country("GB") == for_country(" gb ")


def test_no_country_or_an_unknown_country_gives_the_default():
    assert for_country(None) == for_country("US")
    assert for_country("") == for_country("US")
    assert for_country("JP", default_country="GB") == for_country("GB")
    assert resolve("JP", "AU")[0] == "AU"


def test_eu_members_get_112_without_duplicates():
    country, lines = resolve("FR")
    assert country == "FR" and [line.phone for line in lines] == ["112"]
    assert [line.phone for line in for_country("IE")].count("112") == 1


def test_lines_for_ignores_unverified_rows():
    rows = [
        HelpLine("GB", "Made-up line", "crisis_support", phone="0800 000 000", status="SECONDARY"),
        HelpLine("GB", "Real line", "crisis_support", phone="116 123", status="VERIFIED"),
        HelpLine("GB", "Emergency", "emergency", phone="999", status="VERIFIED"),
    ]
    assert [line.service for line in helplines.lines_for("GB", rows)] == ["Emergency", "Real line"]


# --- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone, href",
    [
        ("0300 123 6600", "tel:03001236600"),
        ("1-800-662-4357", "tel:18006624357"),
        ("+44 116 123", "tel:+44116123"),
        ("+1 800.662.4357", "tel:+18006624357"),
        ("13 11 14", "tel:131114"),
        ("000", "tel:000"),
        ("1-800-662-HELP", None),
        ("+44 (0)20 7946 0000", None),
        ("116+123", None),
        ("", None),
        ("javascript:alert(1)", None),
    ],
)
def test_tel_href(phone, href):
    assert tel_href(phone) == href


@pytest.mark.parametrize(
    "text, href",
    [
        ("988", "sms:988"),
        ("82111", "sms:82111"),
        ("CONNECT to 686868", "sms:686868"),
        ("your ZIP code to 435748", "sms:435748"),
        ("HELLO", None),
    ],
)
def test_sms_href(text, href):
    assert sms_href(text) == href


def test_problems_catch_what_must_not_ship():
    bad = [
        HelpLine("GB", "Line", "crisis_support", phone="0800 HELP", status="SECONDARY", source="x"),
        HelpLine("Britain", "", "advice", chat_url="javascript:alert(1)", status="VERIFIED"),
    ]
    found = " | ".join(helplines.problems(bad))
    bad.append(HelpLine("GB", "Copy", "crisis_support", phone="116 123", status="VERIFIED",
                        description="x", source="Copy — https://www.news.lt/x", last_checked=date(2026, 12, 1)))  # fmt: skip
    found = " | ".join(helplines.problems(bad))
    for expected in ("VERIFIED or CHECK_LIVE", "copy or aggregator", "cannot be dialled", "two-letter code", "service name is empty",
                     "purpose 'advice'", "https address", "description is empty", "Title — URL",
                     "last_checked"):  # fmt: skip
        assert expected in found


# --- the panel ----------------------------------------------------------------------------------


def panel_app(country: str | None, compact: bool = False) -> AppTest:
    def script(country, compact):
        from ui.helplines_panel import render_helplines

        render_helplines(country, compact=compact)

    return AppTest.from_function(script, args=(country, compact), default_timeout=30).run()


def test_full_panel_puts_the_emergency_line_first_with_tap_to_call():
    app = panel_app("GB")
    assert not app.exception
    buttons = [(b.proto.label, b.proto.url, b.proto.type) for b in app.get("link_button")]
    assert buttons[0] == ("Call 999", "tel:999", "primary")
    assert ("Text 82111", "sms:82111", "secondary") in buttons
    text = "\n".join(m.value for m in app.markdown)
    assert "Crisis lines" in text and "Drug information lines" in text  # the difference is said
    assert "Crisis line: emotional support, including thoughts of suicide" in text
    assert any("Number checked 2026" in c.value for c in app.caption)


def test_full_panel_offers_text_and_chat_where_the_line_has_them():
    buttons = [(b.proto.label, b.proto.url) for b in panel_app("US").get("link_button")]
    assert ("Call 988", "tel:988") in buttons and ("Text 988", "sms:988") in buttons
    assert ("Chat online", "https://988lifeline.org") in buttons
    assert ("Text your ZIP code to 435748", "sms:435748") in buttons


def test_compact_panel_is_one_block_with_tel_links():
    app = panel_app("AU", compact=True)
    assert not app.exception and not app.get("link_button")
    (block,) = [m.value for m in app.markdown]
    assert block.startswith("**Need help now?**")
    assert "(tel:000)" in block and "(tel:131114)" in block and "(tel:1800250015)" in block
    assert block.index("tel:000") < block.index("tel:131114")
    us = panel_app("US", compact=True).markdown[0].value
    assert "text [988](sms:988)" in us and "[your ZIP code to 435748](sms:435748)" in us


def test_panel_says_when_it_shows_another_countrys_lines():
    app = panel_app("JP")
    assert any("We do not have help lines for JP yet" in i.value for i in app.info)
    assert app.get("link_button")[0].proto.url == "tel:911"


def test_data_text_cannot_become_markup(tmp_path, monkeypatch):
    hostile = tmp_path / "helplines.csv"
    with hostile.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(helplines.COLUMNS)
        hostile_name = (
            "![x](https://tracker.example/p.gif) [Call](javascript:alert(1)) <script>alert(1)</script> $x$"
        )
        hostile_text = "<img src=https://tracker.example/q.gif> _hi_"
        row = ["GB", "**area**", hostile_name, "crisis_support", "116 123", "", "javascript:alert(1)", "**always**"]
        writer.writerow([*row, hostile_text, "T — https://example.org", "2026-11-26", "VERIFIED"])
    monkeypatch.setattr("ui.helplines_panel.helplines_path", lambda: str(hostile))
    for compact in (False, True):
        app = panel_app("GB", compact)
        assert not app.exception
        rendered = "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])
        assert "![" not in rendered and "](javascript" not in rendered
        assert not re.search(r"(?<!\\)[<>]", rendered), "unescaped angle brackets"
        assert "$x$" not in rendered and "**always**" not in rendered and "**area**" not in rendered
        assert all(b.proto.url.startswith(("tel:", "sms:", "https://")) for b in app.get("link_button"))
        assert "javascript" not in " ".join(b.proto.url for b in app.get("link_button"))


def test_reader_country_prefers_the_search_then_the_site_setting(monkeypatch):
    def script():
        import streamlit as st

        from ui.context import reader_country

        st.write(reader_country())

    monkeypatch.delenv("HELPMAP_COUNTRY", raising=False)
    assert AppTest.from_function(script).run().markdown[0].value == "US"
    monkeypatch.setenv("HELPMAP_COUNTRY", "ca")
    assert AppTest.from_function(script).run().markdown[0].value == "CA"
    app = AppTest.from_function(script)
    app.session_state["searcher_country"] = "uk"
    assert app.run().markdown[0].value == "GB"


def test_panel_names_the_area_a_line_covers():
    app = panel_app("GB")
    text = "\n".join(m.value for m in app.markdown).replace("\\", "")  # md() escapes brackets
    assert "**NHS 111 (urgent help when it is not an emergency)** (England, Scotland and Wales only)" in text
    assert "**Lifeline (Northern Ireland)** (Northern Ireland only)" in text
    compact = panel_app("GB", compact=True).markdown[0].value.replace("\\", "")
    assert "**DAN 24/7 (Wales Drug and Alcohol Helpline)** (Wales only, drug information): call" in compact


def test_a_site_that_opts_in_sees_lines_to_check_labelled(tmp_path, monkeypatch):
    site = tmp_path / "site.toml"
    site.write_text('[helplines]\ncountry = "IE"\nshow_unchecked = true\n', encoding="utf-8")
    monkeypatch.setenv("HELPMAP_CONFIG", str(site))
    app = panel_app("IE")
    assert ("Call 1800 459 459", "tel:1800459459") in [(b.proto.label, b.proto.url) for b in app.get("link_button")]
    assert any("Not yet confirmed" in w.value for w in app.warning)
    monkeypatch.delenv("HELPMAP_CONFIG")
    assert "tel:1800459459" not in [b.proto.url for b in panel_app("IE").get("link_button")]


def test_show_unchecked_must_be_true_or_false(tmp_path):
    from helpmap import config

    site = tmp_path / "site.toml"
    site.write_text('[helplines]\nshow_unchecked = "yes"\n', encoding="utf-8")
    with pytest.raises(config.ConfigError) as error:
        config.load_settings({"HELPMAP_CONFIG": str(site)})
    assert "true or false" in str(error.value)


# --- translations (issue 17) ----------------------------------------------------------------------


def test_every_line_has_spanish_hours_and_description_keeping_its_numbers():
    for line in helplines.load():
        spanish = line.in_language("es")
        assert spanish.description != line.description and spanish.hours != line.hours, line.service
        assert (spanish.phone, spanish.tel, spanish.sms, spanish.source) == (line.phone, line.tel, line.sms, line.source)
        if line.purpose == "emergency":
            assert spanish.service.startswith(("Servicios de emergencia", "NHS 111 (ayuda urgente")), spanish.service
        assert line.in_language("en") == line and line.in_language("fr") == line


def test_a_line_for_part_of_a_country_names_that_part_in_spanish():
    for line in helplines.load():
        if line.area:
            assert line.in_language("es").area not in ("", line.area), line.service
    wales = next(line for line in helplines.for_country("GB") if line.area == "Wales").in_language("es")
    assert wales.area == "Gales"


def test_samhsa_says_it_is_bilingual_and_988_gives_its_spanish_options_from_its_own_page():
    lines = {line.service: line.in_language("es") for line in helplines.for_country("US")}
    assert "en inglés y en español" in lines["SAMHSA National Helpline"].description
    # 988's own page ("What to expect": Spanish-language, press 2; text AYUDA) is cited on the row.
    lifeline = lines["988 Suicide & Crisis Lifeline"]
    assert "marque 2" in lifeline.description and "AYUDA" in lifeline.description
    assert "https://988lifeline.org/get-help/what-to-expect" in lifeline.source_urls
    assert lifeline.text == "AYUDA al 988" and lifeline.sms == "sms:988"
    # The English row texts 988 and tells a helper how to reach the Spanish line.
    english = {line.service: line for line in helplines.for_country("US")}["988 Suicide & Crisis Lifeline"]
    assert english.text == "988" and "press 2, or text AYUDA to 988" in english.description


def test_a_translation_that_changes_a_number_is_a_problem(tmp_path):
    path = tmp_path / "lines.csv"
    text = CSV.read_text(encoding="utf-8").replace("No es una línea de consejería. TTY: 1-800-487-4889.", "No es una línea de consejería. TTY: 1-800-487-4899.")
    path.write_text(text, encoding="utf-8")
    found = helplines.problems(helplines.load(path))
    assert any("description_es must keep the numbers" in problem for problem in found)


def test_a_translated_text_instruction_must_text_the_same_number():
    rows = [{"country": "US", "service": "X", "purpose": "drug_information", "text": "HELLO to 12345",
             "description": "Text us.", "text_es": "HOLA al 12345 o 99999", "source": "X — https://x.gov/",
             "last_checked": "2026-12-01", "status": "VERIFIED", "description_es": "Escríbanos."}]
    found = helplines.problems(helplines.parse_rows(rows))
    assert any("text_es must text the same number" in problem for problem in found)


def test_a_file_without_translation_columns_still_loads():
    rows = [{"country": "US", "service": "X", "purpose": "emergency", "phone": "911", "description": "Call.",
             "hours_xx": "nope", "description_de": "Anrufen."}]
    line = helplines.parse_rows(rows)[0]
    assert line.translations == () and line.in_language("es").description == "Call."
