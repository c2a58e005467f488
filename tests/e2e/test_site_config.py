"""A site configuration file changes the running app: title, area, help lines, colours, logo;
and a broken one stops the app with every problem listed, not a stack trace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "screenshots"
PRIMARY = "#0b5d3b"

SITE = f"""
[site]
title = "Leeds Recovery Map"
logo = "logo.svg"

[theme]
primary = "{PRIMARY}"

[area]
centre = "Leeds"
radius = 10
units = "mi"

[helplines]
country = "GB"

[[sources]]
location = "{REPO / 'data' / 'demo-directory.csv'}"
"""


@pytest.fixture(scope="module")
def site_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("site") / "site.toml"
    path.write_text(SITE, encoding="utf-8")
    shutil.copy(REPO / "examples" / "logo.svg", path.parent)  # files a configuration names sit beside it
    return path


@pytest.fixture(scope="module")
def site(site_file):
    from tests.conftest import AppServer

    server = AppServer({"HELPMAP_CONFIG": str(site_file)})
    yield server
    server.stop()


def tel_links(page) -> set[str]:
    return {link.get_attribute("href") for link in page.locator("a[href^='tel:']").all()}


def test_the_title_and_help_line_country_come_from_the_file(site, visit):
    page = visit(site.url).page
    page.locator("a[href='tel:116123']").first.wait_for()  # Samaritans, GB
    assert "Leeds Recovery Map" in page.title()
    links = tel_links(page)
    assert "tel:988" not in links  # the US default is gone
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_search_starts_in_the_sites_area(site, visit):
    page = visit(site.url).page
    assert page.get_by_role("textbox", name="Town, postcode or address").input_value() == "Leeds"
    assert page.get_by_role("combobox", name="Distance").input_value() == "Within 10 mi"
    heading = page.get_by_role("heading", name="found within")
    heading.wait_for(timeout=30_000)
    assert "within 10 mi of Leeds" in heading.inner_text()


def test_the_colours_and_logo_come_from_the_file(site, visit):
    page = visit(site.url).page
    search = page.get_by_role("button", name="Search", exact=True)
    red, green, blue = (int(PRIMARY[i : i + 2], 16) for i in (1, 3, 5))
    assert search.evaluate("e => getComputedStyle(e).backgroundColor") == f"rgb({red}, {green}, {blue})"
    logo = page.locator("[data-testid='stHeaderLogo'], [data-testid='stSidebarLogo'], [data-testid='stLogo']")
    assert logo.count() >= 1 and logo.first.is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "site-config-desktop.png", full_page=True)


def test_a_broken_file_stops_the_app_with_every_problem(start_app, visit, tmp_path):
    broken = tmp_path / "site.toml"
    broken.write_text('[site]\ntitel = "Typo"\n[theme]\nprimary = "green"\n[area]\nunits = "miles"\n', encoding="utf-8")
    page = visit(start_app({"HELPMAP_CONFIG": str(broken)}).url).page
    alert = page.locator("[data-testid='stAlertContentError']")
    alert.wait_for()
    text = alert.inner_text()
    assert "3 problems" in text
    assert "did you mean 'title'?" in text
    assert "[theme] primary" in text and "[area] units" in text
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.content()
    assert page.get_by_role("heading", name="Find help near you").count() == 0  # it stopped


def test_a_deep_link_opened_first_on_a_fresh_server_gets_the_sites_frame(start_app, visit, site_file):
    """An organisation's bookmark to /embed (or a shared /referral link) may be the first request a
    new server process sees. The page must still run inside app.py: the site's title and the
    crisis bar with its quick exit, not a bare page from Streamlit's legacy pages/ folder scan."""
    server = start_app({"HELPMAP_CONFIG": str(site_file)})
    page = visit(f"{server.url}/embed").page
    page.get_by_role("heading", name="Put HelpMap on your website").wait_for()
    assert "Leeds Recovery Map" in page.title()
    assert page.locator("a[href='tel:116123']").count() >= 1
    assert page.get_by_text("Quick exit").count() == 1


def test_a_url_source_that_fails_to_refresh_keeps_its_listings_with_a_visible_note(start_app, visit, tmp_path):
    from tests.conftest import rerun_after
    from tests.test_datasources import LEEDS, LEEDS_V2, FlakyServer

    sheet = FlakyServer()
    try:
        url = sheet.serve("/published.csv", LEEDS)
        config = tmp_path / "site.toml"
        config.write_text(
            f'[[sources]]\nlocation = "{url}?output=csv"\nrefresh_minutes = 0.02\n',
            encoding="utf-8",
        )
        server = start_app({"HELPMAP_CONFIG": str(config), "NO_PROXY": "127.0.0.1"})
        page = visit(f"{server.url}/?place=Leeds").page
        assert page.get_by_text("Data as of").is_visible()
        assert page.locator("h4").filter(has_text="Leeds Recovery Hub").count() == 1

        sheet.serve("/published.csv", "<html><body>This spreadsheet is not published</body></html>")
        note = page.get_by_text("Some listings could not be updated")
        for _ in range(20):  # each run starts a due refresh in the background; a later run shows it
            page.wait_for_timeout(1500)
            rerun_after(page, page.get_by_role("button", name="Search", exact=True).click)
            if note.count():
                break
        assert note.is_visible()
        assert "the copy from" in note.inner_text()
        # Visitors get a plain sentence; the reason (which quotes the source) goes to the log.
        assert page.get_by_text("can find why in the server log").is_visible()
        assert "published.csv" not in page.locator("body").inner_text()
        assert page.locator("h4").filter(has_text="Leeds Recovery Hub").count() == 1  # still listed
        assert sheet.hits["/published.csv"] >= 2
        note.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "stale-source-note.png")

        # The sheet is fixed and gains a row: the search index is rebuilt and the note goes.
        sheet.serve("/published.csv", LEEDS_V2)
        added = page.locator("h4").filter(has_text="Leeds Harm Reduction")
        for _ in range(20):
            page.wait_for_timeout(1500)
            rerun_after(page, page.get_by_role("button", name="Search", exact=True).click)
            if added.count():
                break
        assert added.count() == 1
        assert note.count() == 0
        log = server.stop()
        assert "published.csv" in log and "web page" in log
        assert "output=csv" not in log  # the address's query string is not logged either
    finally:
        sheet.close()
