"""Find help in a real browser: the real Streamlit server, driven by headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from geopy.distance import great_circle

from helpmap.directory import load
from helpmap.geocode import get_offline_geocoder
from helpmap.importers import run_import
from tests.conftest import search

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def test_home_page_loads_with_title_and_no_exception(app_server, visit):
    session = visit(app_server.url)
    page = session.page
    assert page.get_by_role("heading", name="Find help near you").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Demonstration data: these services are not real").is_visible()
    assert page.locator("a[href^='tel:']").count() >= 1  # the crisis bar's help lines
    assert session.external_requests == []


@pytest.fixture(scope="module")
def charlottesville_csv(shared_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data") / "charlottesville.csv"
    # all 30 rows, the mental-health-only ones too (a site option since issue 12)
    report = run_import("samhsa", shared_data / "samhsa-locator-sample-charlottesville.json", out, mental_health=True)
    assert report.loaded == 30
    return out


def expected_nearest(csv_path: Path, place: str) -> tuple[str, str]:
    point = get_offline_geocoder().geocode(place)
    frame = load(csv_path).frame
    distances = [great_circle((point.lat, point.lon), (a, b)).km for a, b in zip(frame.latitude, frame.longitude)]
    nearest = frame.iloc[min(range(len(frame)), key=distances.__getitem__)]
    return nearest["name"], nearest["phone"]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_search_near_charlottesville_shows_the_nearest_facility_first(start_app, visit, charlottesville_csv, phone):
    server = start_app({"HELPMAP_DATA": str(charlottesville_csv)})
    session = visit(server.url, phone=phone)
    page = session.page
    assert page.get_by_text("Demonstration data").count() == 0  # real data: no demo notice

    search(page, "Charlottesville, VA")
    name, phone_number = expected_nearest(charlottesville_csv, "Charlottesville, VA")
    cards = page.locator("[class*='st-key-card-r'] h4")
    cards.first.wait_for()
    assert cards.first.inner_text().strip() == name
    first_card = page.locator(".st-key-card-r0")
    digits = re.sub(r"[^\d]", "", phone_number)
    tel = first_card.locator("a[href^='tel:']").first
    assert re.sub(r"[^\d]", "", tel.get_attribute("href")) == digits

    map_frame = page.frame_locator(MAP_FRAME)
    map_frame.locator(".leaflet-marker-icon").first.wait_for(timeout=20_000)
    assert map_frame.locator(".leaflet-marker-icon").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    tiles = [u for u in session.external_requests if "tile.openstreetmap.org" in u]
    assert set(session.external_requests) == set(tiles)  # only the configured tile server
    assert session.dialogs == []

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"find-help-charlottesville-{'phone' if phone else 'desktop'}.png"), full_page=True)
    log = server.stop()
    assert "Charlottesville" not in log  # the searched place is never logged


def test_unknown_place_gets_a_clear_message(app_server, visit):
    page = visit(app_server.url).page
    search(page, "Qwxzzyville")
    assert page.locator("[data-testid='stAlert']").filter(has_text="find").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0


def test_nothing_in_range_shows_the_nearest_beyond_and_online_options(app_server, visit):
    page = visit(app_server.url).page
    search(page, "Reykjavik")
    assert page.get_by_text(re.compile("Nothing found within")).is_visible()
    assert page.get_by_text("These are the nearest we know of, further away:").is_visible()
    assert page.get_by_role("heading", name="Available anywhere").is_visible()


def test_query_parameters_prefill_and_run_the_search(app_server, visit):
    page = visit(f"{app_server.url}/?place=Leeds&kind=support_group").page
    assert page.get_by_role("textbox", name="Town, postcode or address").input_value() == "Leeds"
    headings = page.locator("[class*='st-key-card-r'] h4").all_inner_texts()
    assert headings and all("Leeds" in h and ("Meeting" in h or "Group" in h) for h in headings[:2])


def test_the_searched_place_is_not_put_in_the_url(app_server, visit):
    page = visit(app_server.url).page
    search(page, "Manchester")
    assert "Manchester" not in page.url
    page.get_by_role("button", name="Make a link to this search").click()
    page.wait_for_url(re.compile("place=Manchester"))


LOCATION_FRAME = "iframe[title*='helpmap_geolocation']"


def test_use_my_location_searches_from_the_browsers_position(app_server, visit):
    session = visit(
        app_server.url, geolocation={"latitude": 53.8008, "longitude": -1.5491}, permissions=["geolocation"]
    )
    page = session.page
    page.frame_locator(LOCATION_FRAME).get_by_role("button", name="Use my location").click()
    page.get_by_role("status").filter(has_text="found within").wait_for(timeout=20_000)
    assert "Your location" in page.get_by_role("status").inner_text()
    assert "Leeds" in page.locator(".st-key-card-r0 h4").inner_text()  # the demo services nearest Leeds
    assert session.external_requests == []


def test_denied_location_says_so_and_the_text_box_still_works(app_server, visit):
    from tests.conftest import wait_for_app

    page = visit(app_server.url).page  # no permission granted: the browser refuses
    page.frame_locator(LOCATION_FRAME).get_by_role("button", name="Use my location").click()
    page.get_by_text("Type a town or postcode above instead.").wait_for(timeout=20_000)
    wait_for_app(page)
    search(page, "Leeds")
    assert page.get_by_role("status").filter(has_text="found within").count() == 1
