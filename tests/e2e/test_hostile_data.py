"""A directory full of HTML, script and markdown payloads renders as plain text everywhere."""

from __future__ import annotations

import csv
import re

import pytest

from helpmap.schema import COLUMNS

pytestmark = pytest.mark.e2e

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    "${window.__pwned=3}`\\u{41}",
    '"><svg onload=alert(4)>',
    "<style>body{display:none}</style>",
    "![tracker](http://tracker.invalid/pixel.png)",
    "[click me](javascript:alert(5))",
    "$x^2$ **bold** # heading",
    "\u202eevil\u202c right-to-left",
    "=HYPERLINK(\"http://evil.invalid\")",
    "A" * 3000,
]
BAD_URLS = ["javascript:alert(6)", "data:text/html,<script>alert(7)</script>", "vbscript:msgbox(8)", "https://ok.example/\"onmouseover=alert(9)"]


@pytest.fixture(scope="module")
def hostile_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for number, payload in enumerate(PAYLOADS):
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                id=f"h{number}", name=f"Service {number} {payload}", kind="treatment", organization=payload,
                address=payload, city=payload, latitude=f"{51.5 + number * 0.002:.4f}", longitude="-0.12",
                phone=payload if number % 2 else "+44 20 7946 0001", website=BAD_URLS[number % len(BAD_URLS)],
                hours=payload, languages=payload, services=payload, description=payload, source="test",
            )  # fmt: skip
            writer.writerow(row)
    return path


def test_hostile_text_stays_text_in_cards_and_map(start_app, visit, hostile_csv):
    from tests.conftest import MAP_FRAME, search, wait_for_map

    server = start_app({"HELPMAP_DATA": str(hostile_csv)})
    session = visit(server.url)
    page = session.page
    search(page, "51.5, -0.12")
    page.locator(".hm-card .hm-name").first.wait_for()

    # Shown literally, not interpreted.
    assert page.get_by_text("<script>window.__pwned=1;alert(1)</script>", exact=False).count() >= 1
    # (A bare URL in data text keeps an invisible word joiner so markdown cannot autolink it.)
    assert page.get_by_text(re.compile(r"!\[tracker\]\(http\u2060?://tracker\.invalid")).count() >= 1
    # Nothing ran and nothing was injected.
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x'], svg[onload], script:has-text('__pwned')").count() == 0
    assert page.locator("style:has-text('display:none')").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(re.match(r"^(https?:|tel:|sms:|mailto:|/|#|\?)", h) for h in hrefs), hrefs
    assert not [h for h in hrefs if "tracker.invalid" in h or "evil.invalid" in h or "onmouseover" in h]

    # The cards are escaped HTML blocks: every payload arrives as text inside them.
    cards = page.locator(".hm-card[data-n]")
    assert cards.count() == len(PAYLOADS)
    card_texts = cards.all_inner_texts()
    for payload in PAYLOADS[:5]:
        assert any(payload in text for text in card_texts), payload
    assert page.locator(".hm-card img, .hm-card svg, .hm-card script, .hm-card style, .hm-card iframe").count() == 0
    handlers = page.eval_on_selector_all(".hm-card *", "els => els.flatMap(e => [...e.attributes].map(a => a.name))"
                                         ".filter(n => n.startsWith('on'))")  # fmt: skip
    assert handlers == []
    calls = page.eval_on_selector_all(".hm-card a.hm-call", "els => els.map(e => e.getAttribute('href'))")
    assert calls and all(re.fullmatch(r"tel:\+?\d+", h) for h in calls), calls

    wait_for_map(page)
    map_frame = page.query_selector(MAP_FRAME).content_frame()
    # Every marker's popup and title hold the payload as text: no element was made from it.
    contents = map_frame.evaluate("""() => window.helpmapLayer.getLayers().map(marker => {
            const popup = marker.getPopup().getContent(), icon = marker.getElement();
            return {text: popup.textContent, title: icon.getAttribute("title"),
                    elements: popup.querySelectorAll("img, svg, script, style").length
                              + icon.querySelectorAll("*").length - 1,
                    links: [...popup.querySelectorAll("a")].map(a => a.getAttribute("href"))};
        })""")
    assert len(contents) == len(PAYLOADS)
    assert all(c["elements"] == 0 for c in contents)
    assert all(re.match(r"^(tel:\+?\d+|https://www\.openstreetmap\.org/)", h) for c in contents for h in c["links"])
    assert any("<script>window.__pwned=1;alert(1)</script>" in c["text"] for c in contents)
    assert any('<img src=x onerror="window.__pwned=2;alert(2)">' in c["title"] for c in contents)
    assert map_frame.evaluate("window.__pwned") is None

    assert session.dialogs == []
    assert session.external_requests == []  # the built-in base map: no tile server


@pytest.mark.parametrize(("lang", "heading"), [("", "Your list of services"), ("es", "Su lista de servicios")])
def test_hostile_text_stays_text_on_the_clients_referral_sheet(start_app, visit, hostile_csv, lang, heading):
    """In every language: the Spanish words go around the same escaped data."""
    server = start_app({"HELPMAP_DATA": str(hostile_csv)})
    query = "ids=" + ",".join(f"h{n}" for n in range(len(PAYLOADS))) + (f"&lang={lang}" if lang else "")
    session = visit(f"{server.url}/referral?{query}", phone=True)
    page = session.page
    page.get_by_role("heading", name=heading).wait_for()
    sheet = page.locator(".hm-client")
    assert sheet.count() == len(PAYLOADS)
    assert any("<script>window.__pwned=1;alert(1)</script>" in t for t in sheet.all_inner_texts())
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".hm-client img, .hm-client svg, .hm-client script, .hm-client style").count() == 0
    hrefs = page.eval_on_selector_all(".hm-client a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(re.match(r"^(tel:\+?\d+$|https://www\.openstreetmap\.org/)", h) for h in hrefs), hrefs
    assert session.dialogs == []
