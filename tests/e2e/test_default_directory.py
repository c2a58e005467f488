"""`make run` as a newcomer gets it: the shipped US directory in a real browser, no settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpmap.directory import load
from helpmap.geocode import get_offline_geocoder
from helpmap.search import SearchIndex
from tests.conftest import search, wait_for_map

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "screenshots"


def nearest_names(place: str, count: int) -> list[str]:
    point = get_offline_geocoder().geocode(place)
    frame = load(REPO / "data" / "us-samhsa-2021.csv", geocoder=None).frame
    return SearchIndex(frame).search(point.lat, point.lon, 25 * 1.609344, limit=count).nearby["name"].tolist()


@pytest.mark.parametrize(("place", "phone"), [("22903", True), ("Richmond, VA", False)], ids=["22903-phone", "richmond-desktop"])
def test_a_zip_or_a_town_finds_real_facilities_nearest_first_with_a_number_to_tap(default_server, visit, place, phone):
    session = visit(default_server.url, phone=phone)
    page = session.page
    assert page.get_by_text("Demonstration data").count() == 0
    notice = page.get_by_text("SAMHSA treatment locator, 2021. Listings may have changed: call before you go.")
    assert notice.is_visible()
    assert page.locator("a[href='tel:18006624357']").count() >= 1
    assert page.locator("a[href='https://findtreatment.gov/']").count() == 1

    search(page, place)
    titles = page.locator(".hm-card[data-n] .hm-name")  # the numbered result cards (helpmap.presentation)
    titles.first.wait_for()
    shown = [t.strip() for t in titles.all_inner_texts()]
    assert shown[:5] == nearest_names(place, 5)  # real facilities, the nearest first
    cards = page.locator(".hm-card[data-n]")
    distances = [float(m) for m in re.findall(r"([\d.]+) mi away", " ".join(cards.all_inner_texts()))]
    assert len(distances) == len(shown) and distances == sorted(distances)
    with_tel = [card for card in cards.all() if card.locator("a[href^='tel:']").count()]
    assert len(with_tel) > len(shown) / 2
    first_tel = cards.first.locator("a[href^='tel:']")
    if first_tel.count():
        assert re.fullmatch(r"tel:\d{10,11}", first_tel.first.get_attribute("href"))
    text = cards.first.inner_text()
    assert "Source: SAMHSA" in text and "Last checked:" in text and "2021" in text
    footer = page.get_by_text(re.compile(r"Data as of 28 July 2021 to 13 October 2021"))
    assert footer.count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    wait_for_map(page)  # `make run` configures no tile server: the built-in base map, nothing outside
    assert session.external_requests == []

    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"\W+", "-", place.lower()).strip("-")
    page.screenshot(path=str(SCREENSHOTS / f"default-{name}-{'phone' if phone else 'desktop'}.png"), full_page=True)
    cards.first.screenshot(path=str(SCREENSHOTS / f"default-{name}-first-card.png"))


@pytest.mark.parametrize("path", ["", "?place=22903"])
def test_the_default_pages_have_no_serious_axe_violations(default_server, visit, path):
    """The SAMHSA notice and real cards (long sources, extensions in phone numbers) stay accessible."""
    from axe_playwright_python.sync_playwright import Axe

    page = visit(f"{default_server.url}/{path}").page
    page.wait_for_timeout(1000)
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
