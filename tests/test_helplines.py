"""Help lines: only verified numbers ship, each country's lines come emergency-first, numbers
become working tel:/sms: links, and text from the file cannot become markup on the page."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpmap import helplines
from helpmap.helplines import HelpLine, for_country, resolve, sms_href, tel_href

REPO = Path(__file__).resolve().parents[1]
FACTS = REPO.parent / "shared" / "research" / "content-facts.md"
CSV = REPO / "data" / "helplines.csv"


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
    with CSV.open(encoding="utf-8", newline="") as handle:
        assert tuple(csv.DictReader(handle).fieldnames) == helplines.COLUMNS
    lines = helplines.load()
    assert len(lines) >= 10
    assert helplines.problems(lines) == []


def test_every_row_is_verified_and_was_checked_when_the_fact_sheet_was_compiled():
    for line in helplines.load():
        assert line.status == "VERIFIED", line
        assert line.last_checked == date(2026, 11, 26), line
        assert line.purpose in helplines.PURPOSES


def test_every_number_is_one_the_fact_sheet_verified():
    """No invented numbers: each phone and text number appears in section 13's table."""
    table = digits(section(13))
    for line in helplines.load():
        for number in (line.phone, line.text):
            if number:
                assert digits(tel_href(number) or sms_href(number) or "x") in table, (line.service, number)


def test_sources_are_from_the_fact_sheet():
    sources = section(15)
    for line in helplines.load():
        for url in re.findall(r"https?://\S+", line.source):
            if "github.com/" in url:
                owner_repo, commit, path = re.match(
                    r"https://github.com/([^/]+/[^/]+)/blob/(\w+)/(.+)", url
                ).groups()
                assert owner_repo in sources and commit in sources and path in sources
            else:
                assert url in sources, (line.service, url)


def test_lines_that_are_not_verified_are_left_out():
    shipped = {digits(line.phone) for line in helplines.load()} | {
        digits(line.text) for line in helplines.load()
    }
    secondary = {
        "1300368186": "Family Drug Support (secondary only)",
        "18886886677": "NORS, Canada (secondary only)",
        "1800459459": "HSE Drugs and Alcohol Helpline (secondary only)",
        "0477131114": "Lifeline's text number (secondary only)",
        "18002738255": "the old US Lifeline number (not a row of its own)",
    }
    assert not shipped & set(secondary), [secondary[n] for n in shipped & set(secondary)]
    ireland = for_country("IE")
    assert [line.phone for line in ireland if line.purpose == "emergency"] == [
        "112"
    ]  # 999 is secondary in Ireland


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
        "FRANK",
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
    for expected in ("only VERIFIED", "cannot be dialled", "two-letter code", "service name is empty",
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
        row = ["GB", hostile_name, "crisis_support", "116 123", "", "javascript:alert(1)", "**always**"]
        writer.writerow([*row, hostile_text, "T — https://example.org", "2026-11-26", "VERIFIED"])
    monkeypatch.setattr("ui.helplines_panel.helplines_path", lambda: str(hostile))
    for compact in (False, True):
        app = panel_app("GB", compact)
        assert not app.exception
        rendered = "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])
        assert "![" not in rendered and "](javascript" not in rendered
        assert not re.search(r"(?<!\\)[<>]", rendered), "unescaped angle brackets"
        assert "$x$" not in rendered and "**always**" not in rendered
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
