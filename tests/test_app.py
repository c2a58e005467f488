"""The page logic through Streamlit's AppTest: the real scripts, run in-process, no browser."""

from __future__ import annotations

import re

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpmap.directory import load
from helpmap.geocode import get_offline_geocoder
from helpmap.presentation import PAGE_SIZE
from helpmap.search import SearchIndex

REPO = Path(__file__).resolve().parents[1]
PAGES = ["app_pages/referral.py", "app_pages/about_ketamine.py", "app_pages/dependence.py",
         "app_pages/physical_harms.py", "app_pages/getting_help.py", "app_pages/staying_safer.py",
         "app_pages/embed.py"]  # fmt: skip


DEMO_DATA = REPO / "data" / "demo-directory.csv"


def app_test(monkeypatch, data: Path | None = None) -> AppTest:
    """app.py in Streamlit's AppTest with none of the site settings a developer's shell may have,
    on `data` (None: the shipped default directory, as `make run` serves it)."""
    for name in ("HELPMAP_DATA", "HELPMAP_CONFIG", "HELPMAP_COUNTRY", "HELPMAP_GEOCODER", "HELPMAP_UNITS"):
        monkeypatch.delenv(name, raising=False)
    if data is not None:
        monkeypatch.setenv("HELPMAP_DATA", str(data))
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """The app on the demonstration data, which has meetings, harm reduction and other countries."""
    return app_test(monkeypatch, DEMO_DATA)


def html_texts(app: AppTest) -> list[str]:
    return [element.proto.body for element in app.get("html")]


def card_titles(app: AppTest) -> list[str]:
    """The names on the result cards, in order (cards are escaped HTML blocks, see helpmap.presentation)."""
    import html
    import re

    return [html.unescape(name) for body in html_texts(app) for name in re.findall(r'<span class="hm-name">([^<]*)</span>', body)]


def search(app: AppTest, place: str) -> AppTest:
    app.text_input(key="place").input(place)
    return next(b for b in app.button if b.label == "Search").click().run()


def test_find_help_first_visit_asks_for_a_place(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Find help near you"
    assert any("Demonstration data" in w.value for w in app.warning)
    assert card_titles(app) == []


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_inside_the_app(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception
    assert any("Quick exit" in body for body in html_texts(app))  # the shared frame is there


def test_a_search_lists_the_nearest_first_with_the_count(app):
    app.run()
    search(app, "Leeds")
    assert not app.exception
    assert any("6 found within 25 km of Leeds, England, GB" in body for body in html_texts(app))
    titles = card_titles(app)
    leeds = get_offline_geocoder().geocode("Leeds")
    expected = SearchIndex(load(REPO / "data" / "demo-directory.csv").frame).search(leeds.lat, leeds.lon, 25)
    assert titles[:6] == expected.nearby["name"].tolist()
    assert all(title.startswith("Leeds") for title in titles[:6])
    assert app.session_state["searcher_country"] == "GB"


def test_the_kind_filter_from_a_link_keeps_only_that_kind(app):
    app.query_params["place"] = "Toronto"
    app.query_params["kind"] = "harm_reduction"
    app.run()
    assert not app.exception
    assert card_titles(app)[0] == "Toronto Harm Reduction Drop-in (demo)"
    nearby = [t for t in card_titles(app) if not t.startswith(("Daily Online", "Reunión"))]
    assert all("Harm Reduction" in t for t in nearby)


def test_an_unknown_place_gets_a_message_not_an_exception(app):
    app.run()
    search(app, "Qwxzzyville")
    assert not app.exception
    assert app.error and "find" in app.error[0].value.lower()
    assert card_titles(app) == []


def test_add_to_referral_keeps_the_id_in_the_session(app):
    app.run()
    search(app, "Leeds")
    leeds = get_offline_geocoder().geocode("Leeds")
    first = SearchIndex(load(REPO / "data" / "demo-directory.csv").frame).search(leeds.lat, leeds.lon, 25).nearby["id"][0]
    # the one "Add to referral" widget for the whole list (the language switch is a button group too)
    choice = next(b for b in app.get("button_group") if b.label.startswith("Add to referral"))
    assert choice.options[0].startswith("1\\. Leeds")
    choice.set_value([first]).run()
    assert not app.exception
    assert any("1 service in the referral." in m.value for m in app.markdown)
    assert len(app.session_state["referral_ids"]) == 1
    assert app.session_state["referral_ids"][0].startswith("demo-leeds-")


def test_a_shared_link_carries_the_filters_and_they_come_back(app):
    app.query_params["place"] = "Leeds"
    app.query_params["services"] = ["counselling", "youth"]
    app.query_params["walk_in"] = "1"
    app.run()
    assert app.multiselect(key="services").value == ["counselling", "youth"]
    assert app.checkbox(key="walk_in").value is True
    assert card_titles(app)[0] == "Leeds Young People's Drug Service (demo)"
    next(b for b in app.button if b.label == "Make a link to this search").click().run()
    assert app.query_params["services"] == ["counselling", "youth"] and app.query_params["walk_in"] == "1"


# --- the default: the shipped US directory, as `make run` serves it --------------------------------


@pytest.fixture
def default_app(monkeypatch) -> AppTest:
    return app_test(monkeypatch)


def card_bodies(app: AppTest) -> list[str]:
    """Each result card's HTML (the numbered cards and the online ones), in order."""
    import re

    return [card for body in html_texts(app) for card in re.findall(r'<article class="hm-card".*?</article>', body, re.S)]


@pytest.mark.parametrize(("place", "label"), [("22903", "22903 (Charlottesville, Virginia), US"),
                                               ("Richmond, VA", "Richmond, Virginia, US")])  # fmt: skip
def test_the_default_finds_real_facilities_nearest_first_with_phones(default_app, place, label):
    app = default_app
    app.run()
    assert not app.exception
    assert not any("Demonstration data" in w.value for w in app.warning)
    search(app, place)
    assert not app.exception
    count = next(body for body in html_texts(app) if "helpmap-result-count" in body)
    assert f"within 25 mi of {label}" in count  # miles: the data is American, the site chose nothing
    where = get_offline_geocoder().geocode(place)
    shipped = load(REPO / "data" / "us-samhsa-2021.csv", geocoder=None).frame
    expected = SearchIndex(shipped).search(where.lat, where.lon, 25 * 1.609344, limit=PAGE_SIZE).nearby  # the first page
    assert len(expected) >= 5
    assert card_titles(app)[: len(expected)] == expected["name"].tolist()
    bodies = card_bodies(app)[: len(expected)]
    miles = [float(m) for b in bodies for m in re.findall(r'class="hm-facts">Treatment · ([\d.]+) mi away', b)]
    assert len(miles) == len(expected) and miles == sorted(miles)
    with_phone = [b for b in bodies if 'href="tel:' in b]
    assert len(with_phone) > len(bodies) / 2  # most have a number to tap
    assert all("<b>Source:</b> SAMHSA" in b for b in bodies)


def test_the_default_says_whose_listings_they_are_and_dates_them_by_the_data(default_app):
    app = default_app
    app.run()
    notice = " ".join(i.value for i in app.info).replace("\\", "")
    assert "SAMHSA treatment locator, 2021. Listings may have changed: call before you go." in notice
    assert "(tel:18006624357)" in notice and "(https://findtreatment.gov/)" in notice
    footer = app.caption[-1].value.replace("\\", "")
    assert "Data as of 28 July 2021 to 13 October 2021." in footer  # the listings' dates, not the server's clock
    assert "Substance Abuse and Mental Health Services Administration (SAMHSA)" in footer
    assert "Opioid Environment Policy Scan (OEPS)" in footer


def test_the_footer_credits_the_map_the_visitor_sees(monkeypatch):
    app = app_test(monkeypatch, DEMO_DATA)
    app.run()
    footer = app.caption[-1].value.replace("\\", "")
    assert "Map outlines: Natural Earth and US Census Bureau (public domain)." in footer  # the built-in map
    assert "OpenStreetMap" not in footer  # no tiles of theirs are shown by default
    monkeypatch.setenv("HELPMAP_TILES_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("HELPMAP_TILES_ATTRIBUTION", '&copy; <a href="https://example.org/c">Example Tiles</a>')
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    app.run()
    footer = app.caption[-1].value.replace("\\", "")
    assert "Map: © Example Tiles." in footer and "Natural Earth" not in footer


def test_the_demo_directory_gets_no_samhsa_notice_and_keeps_kilometres(app):
    app.run()
    assert not any("SAMHSA treatment locator" in i.value for i in app.info)
    search(app, "Leeds")
    assert any("within 25 km of Leeds" in body for body in html_texts(app))
