"""Find help in a real browser: the real Streamlit server, driven by headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from geopy.distance import great_circle

from helpmap.directory import load
from helpmap.geocode import get_offline_geocoder
from helpmap.importers import run_import
from tests.conftest import MAP_FRAME, rerun_after, search, wait_for_map

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
CARD_NAMES = ".hm-card[data-n] .hm-name"


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
    cards = page.locator(CARD_NAMES)
    cards.first.wait_for()
    assert cards.first.inner_text().strip() == name
    first_card = page.locator("#hm-card-1")
    digits = re.sub(r"[^\d]", "", phone_number)
    tel = first_card.locator("a[href^='tel:']").first
    assert re.sub(r"[^\d]", "", tel.get_attribute("href")) == digits

    map_frame = page.frame_locator(MAP_FRAME)
    wait_for_map(page)  # markers and the built-in base map: everything the map will ask for
    assert map_frame.locator(".leaflet-marker-icon").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    assert session.external_requests == []  # no tile server configured: nothing leaves the machine
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
    headings = page.locator(CARD_NAMES).all_inner_texts()
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
    assert "Leeds" in page.locator("#hm-card-1 .hm-name").inner_text()  # the demo services nearest Leeds
    wait_for_map(page)  # the map around the position is drawn: no tile request for it can come later
    assert session.external_requests == []


def test_denied_location_says_so_and_the_text_box_still_works(app_server, visit):
    from tests.conftest import wait_for_app

    page = visit(app_server.url).page  # no permission granted: the browser refuses
    page.frame_locator(LOCATION_FRAME).get_by_role("button", name="Use my location").click()
    page.get_by_text("Type a town or postcode above instead.").wait_for(timeout=20_000)
    wait_for_app(page)
    search(page, "Leeds")
    assert page.get_by_role("status").filter(has_text="found within").count() == 1


# --- the phone journey (#14) ------------------------------------------------------------------

import csv  # noqa: E402
import http.server  # noqa: E402
import threading  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from helpmap.schema import COLUMNS  # noqa: E402
from tests.conftest import wait_for_app  # noqa: E402

# Test listings (not real services): 64 treatment services spread around Leeds, one far away in
# London with a service no Leeds listing has, and an online meeting every day at 20:00 London time.
MANY = 64


@pytest.fixture(scope="module")
def many_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("many") / "many.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        base = dict.fromkeys(COLUMNS, "")
        for number in range(MANY):
            writer.writerow({**base, "id": f"t{number}", "name": f"Test Clinic {number:02d}", "kind": "treatment",
                             "city": "Leeds", "country": "GB", "latitude": f"{53.80 + number * 0.001:.4f}",
                             "longitude": f"{-1.55 + (number % 8) * 0.002:.4f}", "phone": f"0113 496 {1000 + number}",
                             "description": f"Test listing {number}. Intake: 0113 496 {5000 + number}",
                             "services": "counselling", "source": "test"})  # fmt: skip
        writer.writerow({**base, "id": "far", "name": "Far Youth Service", "kind": "treatment", "city": "London",
                         "country": "GB", "latitude": "51.5072", "longitude": "-0.1276", "phone": "020 7946 0000",
                         "services": "youth", "source": "test"})  # fmt: skip
        writer.writerow({**base, "id": "online", "name": "Daily Online Test Meeting", "kind": "support_group",
                         "attendance": "online", "online_url": "https://meet.example.org/daily",
                         "day": "0;1;2;3;4;5;6", "time": "20:00", "end_time": "21:00", "timezone": "Europe/London",
                         "source": "test"})  # fmt: skip
    return path


@pytest.fixture(scope="module")
def neutral_site():
    """A loopback 'neutral' site: where Quick exit goes, a start page, and host pages that
    embed the app in an iframe (with and without a sandbox that allows top navigation)."""
    pages: dict[str, str] = {"/start.html": "<title>Start</title><h1>Start page</h1>",
                             "/neutral.html": "<title>Neutral</title><h1>Weather</h1>"}  # fmt: skip

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "not found").encode())

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield pages, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def journey(many_csv, neutral_site, tmp_path_factory):
    from tests.conftest import AppServer

    pages, neutral = neutral_site
    site = tmp_path_factory.mktemp("site") / "site.toml"
    site.write_text(f'[site]\nquick_exit = "{neutral}/neutral.html"\n', encoding="utf-8")
    server = AppServer({"HELPMAP_DATA": str(many_csv), "HELPMAP_CONFIG": str(site)})
    yield server, pages, neutral
    server.stop()


VIEWS = [False, True]
VIEW_IDS = ["desktop", "phone"]


@pytest.fixture
def fresh_page(browser):
    """A page that starts on about:blank (no HelpMap yet), at a chosen size."""
    from tests.conftest import Visit

    opened = []

    def open_page(phone: bool = False):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        session = Visit(browser, viewport, **({"is_mobile": True, "has_touch": True} if phone else {}))
        opened.append(session)
        return session

    yield open_page
    for session in opened:
        session.close()


@pytest.mark.parametrize("phone", VIEWS, ids=VIEW_IDS)
def test_quick_exit_then_back_leaves_helpmap(journey, fresh_page, phone):
    server, _, neutral = journey
    session = fresh_page(phone)
    page = session.page
    height = 844 if phone else 900
    page.goto(f"{neutral}/start.html")
    page.goto(server.url)
    wait_for_app(page)
    search(page, "Leeds")
    exit_link = page.get_by_role("link", name="Quick exit")
    box = exit_link.bounding_box()
    assert box["height"] >= 44 and 0 <= box["y"] <= height - box["height"]  # on the first screen
    # A Learn page, then back to Find help through its link: in-app page changes.
    go_to_page(page, "Learn", "Getting help", phone)
    page.get_by_role("link", name="Find treatment near you").click()
    page.get_by_role("status").filter(has_text="found within").wait_for(timeout=20_000)
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    box = page.get_by_role("link", name="Quick exit").bounding_box()
    assert 0 <= box["y"] <= height - box["height"]  # sticky: still on screen after scrolling
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(f"{neutral}/neutral.html")
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{neutral}/start.html"  # Back skips every HelpMap page


# Where Quick exit sits: inside a band of its own at the top (Streamlit's header, or HelpMap's
# band when embedded, where there is no header), so results scroll beneath the band and never
# beneath the button. At the bottom right (before) it covered the right edge of every card.
EXIT_BAND_AT = """(exit) => {
  const band = document.querySelector(".hm-exit-band");
  const bar = band && getComputedStyle(band).display !== "none" ? band : document.querySelector("[data-testid='stHeader']");
  const b = bar.getBoundingClientRect();
  const x = exit.x - 6, y = exit.y + exit.height / 2;  // just left of the button, on the band
  const hit = document.elementFromPoint(x, y);
  return {top: b.top, bottom: b.bottom, onBand: !!hit && (bar === hit || bar.contains(hit)), hit: hit ? hit.className : null};
}"""


@pytest.mark.parametrize("embedded", [False, True], ids=["page", "embedded"])
@pytest.mark.parametrize("phone", VIEWS, ids=VIEW_IDS)
def test_quick_exit_sits_in_a_band_above_the_results(app_server, visit, phone, embedded):
    page = visit(app_server.url + ("/?embed=true" if embedded else ""), phone=phone).page
    search(page, "Leeds")
    for scrolled in (0, 900, 1800):
        page.mouse.wheel(0, scrolled and 900)
        page.wait_for_timeout(300)
        box = page.get_by_role("link", name="Quick exit").bounding_box()
        band = page.evaluate(EXIT_BAND_AT, box)
        assert box["height"] >= 44
        assert band["top"] <= box["y"] and box["y"] + box["height"] <= band["bottom"], (scrolled, box, band)
        assert band["onBand"], (scrolled, band)  # the page scrolls beneath the band, not over it


def test_escape_twice_is_a_quick_exit(journey, fresh_page):
    server, _, neutral = journey
    page = fresh_page().page
    page.goto(f"{neutral}/start.html")
    page.goto(server.url)
    wait_for_app(page)
    page.keyboard.press("Escape")
    page.wait_for_timeout(100)
    page.keyboard.press("Escape")
    page.wait_for_url(f"{neutral}/neutral.html")
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{neutral}/start.html"


@pytest.mark.parametrize("sandbox", ["", "allow-scripts allow-same-origin allow-forms allow-popups "
                                         "allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation",
                                     "allow-scripts allow-same-origin allow-forms"], ids=["plain", "top-nav", "no-top-nav"])  # fmt: skip
def test_quick_exit_inside_an_iframe(journey, fresh_page, sandbox):
    server, pages, neutral = journey
    attribute = f' sandbox="{sandbox}"' if sandbox else ""
    pages["/host.html"] = (f'<title>Host</title><h1>Our charity</h1><iframe src="{server.url}/?embed=true" '
                           f'title="HelpMap" width="1000" height="700"{attribute} allow="geolocation"></iframe>')  # fmt: skip
    page = fresh_page().page
    page.goto(f"{neutral}/host.html")
    frame = page.frame_locator("iframe[title='HelpMap']")
    frame.get_by_role("link", name="Quick exit").click(timeout=30_000)
    if "allow-top-navigation" in sandbox or not sandbox:
        page.wait_for_url(f"{neutral}/neutral.html")  # the whole tab left the host page
    else:
        # The host forbids taking the tab: the frame is blanked instead.
        embedded = page.frames[1]
        deadline = datetime.now() + timedelta(seconds=10)
        while embedded.url != "about:blank" and datetime.now() < deadline:
            page.wait_for_timeout(100)
        assert embedded.url == "about:blank"
        assert embedded.evaluate("() => document.body ? document.body.innerText : ''") == ""
        assert page.url == f"{neutral}/host.html"


def go_to_page(page, section: str, title: str, phone: bool = False) -> None:
    """In-app navigation (the same session): the top menu, or the sidebar on a phone."""
    if phone:
        page.get_by_test_id("stExpandSidebarButton").click()
        rerun_after(page, page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click)
        if page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "false":
            page.locator("[data-testid='stSidebarHeader'] button").first.click()
    else:
        wait_for_app(page)
        menu = page.get_by_test_id("stTopNavSection").filter(has_text=section)
        menu.wait_for(state="visible")
        # Not a check of the menu itself: under load the header can keep moving while results
        # scroll into view, which Playwright's "stable" wait reads as never ready.
        menu.click(force=True)
        rerun_after(page, page.get_by_test_id("stTopNavDropdownLink").filter(has_text=title).click)


def next_london_meeting(now: datetime) -> datetime:
    london = ZoneInfo("Europe/London")
    local = now.astimezone(london)
    start = local.replace(hour=20, minute=0, second=0, microsecond=0)
    return start if start + timedelta(hours=1) > local else start + timedelta(days=1)


@pytest.mark.parametrize("place, zone, twelve", [("Charlottesville, VA", "America/New_York", True),
                                                 ("Leeds", "Europe/London", False)])  # fmt: skip
def test_online_meeting_times_are_on_the_searchers_clock(journey, visit, place, zone, twelve):
    server, _, _ = journey
    page = visit(server.url).page
    search(page, place)
    card = page.locator(".hm-card").filter(has_text="Daily Online Test Meeting")
    card.wait_for()
    text = card.inner_text()
    start = next_london_meeting(datetime.now(timezone.utc)).astimezone(ZoneInfo(zone))
    if twelve:
        hour = f"{(start.hour % 12) or 12}:{start.minute:02d} {'am' if start.hour < 12 else 'pm'}"
        assert f"{hour} your time (8:00 pm in London)" in text, text
    else:
        assert "20:00" in text and "your time" not in text and "pm" not in text, text


@pytest.mark.parametrize("phone", VIEWS, ids=VIEW_IDS)
def test_results_come_into_view_after_enter(journey, visit, phone):
    server, _, _ = journey
    session = visit(server.url, phone=phone)
    page = session.page
    height = 844 if phone else 900
    search(page, "Leeds")
    page.wait_for_timeout(500)
    count = page.get_by_role("status").filter(has_text="found within")
    box = count.bounding_box()
    assert 0 <= box["y"] < height / 3, box  # the count is at the top of the screen
    assert page.evaluate("() => document.activeElement.getAttribute('data-hm-search')") is not None
    first = page.locator("#hm-card-1").bounding_box()
    assert first["y"] < height - 150, first  # the first result starts on the first screen
    # Every tel: link is at least 24 x 24 px; the Call buttons at least 44 px tall.
    sizes = page.eval_on_selector_all("a[href^='tel:']", "els => els.filter(e => e.offsetParent)"
                                      ".map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])")  # fmt: skip
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes
    calls = page.eval_on_selector_all("a.hm-call", "els => els.map(e => e.getBoundingClientRect().height)")
    assert calls and min(calls) >= 44
    page.screenshot(path=str(SCREENSHOTS / f"find-help-after-enter-{'phone' if phone else 'desktop'}.png"))


def map_numbers(page) -> list[int]:
    frame = page.query_selector(MAP_FRAME).content_frame()
    return frame.evaluate("() => window.helpmapLayer ? window.helpmapLayer.getLayers().map(m => m.helpmapNumber) : []")


@pytest.mark.parametrize("phone", VIEWS, ids=VIEW_IDS)
def test_more_than_fifty_results_page_with_the_map_in_step(journey, visit, phone):
    server, _, _ = journey
    page = visit(server.url, phone=phone).page
    search(page, "Leeds")
    status = page.get_by_role("status")
    assert f"{MANY} found" in status.inner_text()
    page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon").first.wait_for(timeout=20_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.evaluate("() => { window.__stillMounted = true; }")
    shown = 20
    while True:
        assert page.locator(".hm-card[data-n]").count() == shown
        deadline = datetime.now() + timedelta(seconds=10)
        while sorted(map_numbers(page)) != list(range(1, shown + 1)) and datetime.now() < deadline:
            page.wait_for_timeout(100)
        assert sorted(map_numbers(page)) == list(range(1, shown + 1))  # list and map in step
        more = page.get_by_role("button", name=re.compile(r"^Show \d+ more"))
        if shown >= MANY:
            assert more.count() == 0
            break
        more.click()
        shown = min(shown + 20, MANY)
        page.locator(f"#hm-card-{shown}").wait_for(timeout=20_000)
    # The marker numbers are the card numbers, and the same map frame drew every page.
    assert frame.evaluate("() => window.__stillMounted") is True
    assert page.locator("#hm-card-64 .hm-name").inner_text() == "Test Clinic 63"
    # The card's intake line is its own tap-to-call link.
    assert page.locator("#hm-card-1 a[href='tel:01134965000']").count() == 1
    # A new search reuses the same frame too (only new marker rows are sent).
    search(page, "53.83, -1.55")
    page.wait_for_timeout(500)
    assert frame.evaluate("() => window.__stillMounted") is True


def test_map_popup_has_name_distance_call_and_directions(journey, visit):
    server, _, _ = journey
    page = visit(server.url).page
    search(page, "Leeds")
    page.locator("#hm-card-3 button.hm-show").click()
    frame = page.frame_locator(MAP_FRAME)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    name = page.locator("#hm-card-3 .hm-name").inner_text()
    assert popup.locator("strong").inner_text() == f"3. {name}"
    assert re.search(r"[\d.]+ (km|mi) away", popup.inner_text())
    assert popup.get_by_role("link", name=re.compile("^Call")).get_attribute("href").startswith("tel:")
    assert popup.get_by_role("link", name="Directions").get_attribute("href").startswith("https://www.openstreetmap.org/")
    # And the other way: a marker click highlights its card.
    frame.locator(".leaflet-marker-icon[title^='5. ']").dispatch_event("click")  # under the open popup
    page.locator("#hm-card-5.hm-active").wait_for(timeout=5_000)


def test_no_dead_end_when_filters_leave_nothing(journey, visit):
    server, _, _ = journey
    page = visit(f"{server.url}/?place=Leeds&services=youth").page
    page.get_by_role("status").filter(has_text="Nothing found within").wait_for()
    assert page.get_by_text(re.compile(rf"without Services there would be {MANY}")).is_visible()
    assert page.get_by_text("These are the nearest we know of, further away:").is_visible()
    assert page.locator(".hm-card .hm-name").filter(has_text="Far Youth Service").count() == 1
    assert page.get_by_text("No online services match your filters").is_visible()  # not "none listed"


def test_learn_page_links_start_a_fresh_search_near_the_last_place(journey, visit):
    server, _, _ = journey
    page = visit(f"{server.url}/getting-help").page
    page.get_by_role("link", name="Find treatment near you").click()
    # No place yet: it asks for one, and shows no results.
    page.get_by_text("Type a town, postcode or address, or use your location.").wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.locator(".hm-card[data-n]").count() == 0
    search(page, "Leeds")
    assert page.locator(".hm-card[data-n]").count() == 20  # treatment near Leeds
    go_to_page(page, "Learn", "Getting help")
    rerun_after(page, page.get_by_role("link", name="Find support groups near you").click)
    # A fresh search for support groups near Leeds: none of the treatment cards are left.
    assert page.get_by_role("textbox", name="Town, postcode or address").input_value() == "Leeds"
    page.get_by_role("status").filter(has_text=re.compile(r"Nothing found within \d+ (km|mi) of Leeds")).wait_for()
    assert page.locator(".hm-card[data-n]").count() == 0
    assert page.locator(".hm-card .hm-name").filter(has_text="Daily Online Test Meeting").count() == 1
