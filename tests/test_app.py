"""The page logic through Streamlit's AppTest: the real scripts, run in-process, no browser."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from helpmap.directory import load
from helpmap.geocode import get_offline_geocoder
from helpmap.search import SearchIndex

REPO = Path(__file__).resolve().parents[1]
PAGES = ["app_pages/referral.py", "app_pages/about_ketamine.py", "app_pages/dependence.py",
         "app_pages/physical_harms.py", "app_pages/getting_help.py", "app_pages/staying_safer.py",
         "app_pages/embed.py"]  # fmt: skip


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """The app on the demonstration data, which has meetings, harm reduction and other countries."""
    for name in ("HELPMAP_DATA", "HELPMAP_CONFIG", "HELPMAP_COUNTRY", "HELPMAP_GEOCODER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HELPMAP_DATA", str(REPO / "data" / "demo-directory.csv"))
    st.cache_resource.clear()  # settings and the directory are cached per process
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


def html_texts(app: AppTest) -> list[str]:
    return [element.proto.body for element in app.get("html")]


def card_titles(app: AppTest) -> list[str]:
    return [m.value[5:].replace("\\", "") for m in app.markdown if m.value.startswith("#### ")]


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
    next(b for b in app.button if b.label == "Add to referral").click().run()
    assert not app.exception
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
