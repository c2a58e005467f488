"""The referral sheet in a real browser: add services on Find help, reorder and annotate them on
the referral page, download the CSV, print the sheet to PDF, and open the share link elsewhere."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpmap.links import tel_href
from tests.conftest import search, wait_for_app, wait_for_map

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
NOTE = "Ask for Sam; bring this sheet"
CLIENT_NOTE = "Start with Tuesday, 7 pm"

# Four services in Leeds. Ids say nothing about the place, so a share link can be checked for it.
DIRECTORY = """\
id,name,kind,address,city,region,postcode,country,latitude,longitude,phone,hours,day,time,end_time,timezone,attendance,cost,approximate,source
svc-1,Leeds Clinic & Recovery <Centre>,treatment,1 Park Row,Leeds,England,LS1 5AB,GB,53.7990,-1.5450,+44 113 496 0001,Mo-Fr 09:00-17:00,,,,Europe/London,,free,no,test
svc-2,"Tuesday ""Hope"" Group",support_group,12 Quiet Lane,Leeds,England,LS2 9JT,GB,53.8010,-1.5500,0113 496 0002,,2,19:00,20:30,Europe/London,in_person,free,yes,test
svc-3,=Drop-in Harm Reduction,harm_reduction,3 Side St,Leeds,England,LS3 1AA,GB,53.8030,-1.5550,+44 113 496 0003,Mo-Sa 10:00-16:00,,,,Europe/London,,free,no,test
svc-4,Saturday Morning Group,support_group,,Leeds,England,,GB,53.8100,-1.5600,0113 496 0004,,6,10:00,11:00,Europe/London,in_person,free,yes,test
"""


@pytest.fixture
def server(start_app, tmp_path):
    path = tmp_path / "leeds.csv"
    path.write_text(DIRECTORY, encoding="utf-8")
    return start_app({"HELPMAP_DATA": str(path)})


def add_three(page) -> list[str]:
    """Choose cards 1, 2 and 3 in the one "Add to referral" widget; returns their names in that
    order. After each, the page shows how many are in the referral and links to the sheet."""
    names = []
    for added in range(1, 4):
        names.append(page.locator(f"#hm-card-{added} .hm-name").inner_text().strip())
        page.get_by_role("button", name=re.compile(rf"^{added}\. ")).click()
        expect(page.get_by_text(f"{added} service{'s' if added > 1 else ''} in the referral.")).to_be_visible()
        wait_for_app(page)
    expect(page.get_by_role("link", name="Open the referral sheet")).to_be_visible()
    return names


def listed_names(page) -> list[str]:
    """The names on the referral page, in order (each card starts "N. Name")."""
    texts = page.locator("[data-testid='stMarkdownContainer'] strong").all_inner_texts()
    return [m.group(1) for t in texts if (m := re.match(r"^\d+\. (.+)$", t.strip()))]


def settled_names(page, expected: list[str], timeout: float = 15.0) -> list[str]:
    """The listed names once they equal `expected` or `timeout` passes: a click's rerun may not
    have started when wait_for_app first looks."""
    deadline = time.monotonic() + timeout
    while listed_names(page) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    wait_for_app(page)
    return listed_names(page)


def download(page, label: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def full_screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so full_page alone shows one screen."""
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))
    page.set_viewport_size(size)


def pdf_text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is needed to read the printed sheet: apt-get install poppler-utils")
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def test_a_caseworker_builds_prints_and_shares_a_referral(server, visit, tmp_path):
    session = visit(server.url)
    page = session.page
    search(page, "Leeds")
    wait_for_map(page)  # Find help's map has asked for all it will (checked at the end)
    names = add_three(page)
    assert len(set(names)) == 3

    # In-app navigation keeps the session (a full reload would start a new one).
    page.get_by_test_id("stTopNavSection").filter(has_text="Find help").click()
    page.get_by_test_id("stTopNavDropdownLink").filter(has_text="Referral sheet").click()
    page.get_by_role("heading", name="Referral sheet").wait_for()
    wait_for_app(page)
    assert settled_names(page, names) == names
    assert page.get_by_role("link", name="Quick exit").is_visible()  # app.py's frame is still drawn

    # Reorder: the first moves down one place.
    page.get_by_role("button", name="Move down").first.click()
    wait_for_app(page)
    order = [names[1], names[0], names[2]]
    assert settled_names(page, order) == order

    # Notes: one for the service now first, one for the person. Tab commits a text area.
    preview = page.locator(".helpmap-referral")
    page.get_by_label(re.compile(r"^Note about ")).first.fill(NOTE)
    page.keyboard.press("Tab")
    expect(preview.get_by_text(NOTE)).to_be_visible()  # the rerun has kept the note
    page.get_by_label("Note printed at the top of the sheet (optional)").fill(CLIENT_NOTE)
    page.keyboard.press("Tab")
    expect(preview.get_by_text(CLIENT_NOTE)).to_be_visible()
    wait_for_app(page)

    # The CSV: a BOM, one row per service in the chosen order, the note, no formula left live.
    data = download(page, "Spreadsheet (CSV)")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["name"].removeprefix("'") for r in rows] == order
    assert rows[0]["note"] == NOTE
    # "=Drop-in Harm Reduction" (when chosen) arrives as "'=Drop-in ...": nothing starts a formula.
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())

    # The sheet, printed to PDF by Chromium.
    sheet = download(page, "Printable sheet (HTML)").decode("utf-8")
    assert "<script" not in sheet.lower()
    printer = session.context.new_page()
    printer.set_content(sheet)
    pdf = tmp_path / "referral.pdf"
    printer.pdf(path=str(pdf), format="A4")
    text = pdf_text(pdf)
    positions = [text.find(name) for name in order]
    assert -1 not in positions and positions == sorted(positions), (order, text[:500])
    for expected in ("Please call before you go", "Made on", NOTE, CLIENT_NOTE, "Page 1 of", "Help lines"):
        assert expected in text, expected
    assert "Quiet Lane" not in text  # the Tuesday group lists only its area
    printer.close()

    # The share link: ids only, no notes, no place.
    link = page.locator("[data-testid='stCode'] code").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/referral\?ids=svc-\d,svc-\d,svc-\d", link), link  # no edit=1
    assert "Leeds" not in link and "Sam" not in link
    full_screenshot(page, "referral-desktop.png")

    # A fresh browser (a new context: no cookies, no session) gets the client's read-only sheet:
    # the same services in order, a Call button near the top, no editing controls, no notes.
    phone = visit(link, phone=True)
    other = phone.page
    other.get_by_role("heading", name="Your list of services").wait_for()
    wait_for_app(other)
    assert other.locator(".hm-client .hm-name").all_inner_texts() == order
    assert other.get_by_text(NOTE).count() == 0
    for control in ("Move up", "Move down", "Remove"):
        assert other.get_by_role("button", name=control).count() == 0
    assert other.locator("textarea").count() == 0
    call = other.locator(".hm-client a.hm-call").first
    box = call.bounding_box()
    assert box["height"] >= 44 and box["y"] + box["height"] <= 844 * 1.5, box  # within the first screen and a half
    phones = {row["name"]: row["phone"] for row in csv.DictReader(io.StringIO(DIRECTORY))}
    assert call.get_attribute("href") == tel_href(phones[order[0]])  # the first service's own number
    full_screenshot(other, "referral-client-phone.png")

    # Nothing left the machine: Find help's map draws the built-in base map (no tile server is
    # configured) and the favicon is the app's own file.
    for visited in (session, phone):
        assert visited.external_requests == []
    log = server.stop()
    assert NOTE not in log and CLIENT_NOTE not in log and "Leeds" not in log


def test_a_share_link_with_unknown_ids_names_them(server, visit):
    page = visit(f"{server.url}/referral?ids=svc-2,gone-7,svc-1&edit=1").page
    page.get_by_role("heading", name="Referral sheet").wait_for()
    expected = ['Tuesday "Hope" Group', "Leeds Clinic & Recovery <Centre>"]
    assert settled_names(page, expected) == expected
    warning = page.locator("[data-testid='stAlert']").filter(has_text="gone-7")
    assert warning.count() == 1 and "No service with the id 'gone-7'" in warning.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0

    # Removing both empties the list, and the address bar forgets the ids.
    for left in range(len(expected) - 1, -1, -1):
        page.get_by_role("button", name="Remove").first.click()
        assert settled_names(page, expected[-left:] if left else []) == (expected[-left:] if left else [])
    expect(page.get_by_text("No services yet.")).to_be_visible()
    expect(page).not_to_have_url(re.compile("ids="))


def test_an_empty_referral_page_keeps_the_crisis_bar(server, visit):
    page = visit(server.url).page
    page.get_by_test_id("stTopNavSection").filter(has_text="Find help").click()
    page.get_by_test_id("stTopNavDropdownLink").filter(has_text="Referral sheet").click()
    expect(page.get_by_text("No services yet.")).to_be_visible()
    wait_for_app(page)
    assert page.get_by_role("link", name="Quick exit").is_visible()


def test_the_calendar_download_holds_the_chosen_meetings(server, visit):
    page = visit(f"{server.url}/referral?ids=svc-1,svc-2,svc-4&edit=1").page
    page.get_by_role("heading", name="Referral sheet").wait_for()
    text = download(page, "Calendar (.ics)").decode("utf-8")
    assert text.count("BEGIN:VEVENT") == 2  # the clinic has hours, not meetings
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU" in text and "RRULE:FREQ=WEEKLY;BYDAY=SA" in text
    assert "DTSTART;TZID=Europe/London:" in text and "\r\n" in text
