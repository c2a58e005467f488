"""What a card, a popup and a client sheet say: escaping, links, numbers and times on the
searcher's clock (with a fixed clock)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest

from helpmap import presentation, schedule
from helpmap.presentation import Display, ServiceView
from helpmap.schedule import Viewer

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)  # a Tuesday; London = UTC, New York = UTC-5
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "{{ 7*7 }} {% raw %} ${x}`", "\u202eevil"]


def row(**values) -> dict:
    base = dict.fromkeys(f.name for f in dataclasses.fields(ServiceView))
    base.update({k: "" for k in base}, id="s1", name="Clinic", kind="treatment", latitude=53.8, longitude=-1.55,
                distance_km=1.234)  # fmt: skip
    base.update(values)
    return base


class Elements(HTMLParser):
    """The tags and attributes a block of HTML really makes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def parse(block: str) -> Elements:
    parser = Elements()
    parser.feed(block)
    return parser


@pytest.mark.parametrize("payload", HOSTILE)
def test_every_data_text_is_escaped_in_cards_and_client_sheets(payload):
    view = ServiceView.from_row(row(name=payload, organization=payload, description=payload, address=payload,
                                    city=payload, phone=payload, website="javascript:alert(3)", languages=payload,
                                    services=payload, online_url='https://ok.example/"onmouseover=x'))  # fmt: skip
    for block in (presentation.cards_html([view], Display(now=NOW)), presentation.client_sheet_html([view], Display(now=NOW))):
        found = parse(block)
        assert set(found.tags) <= {"div", "article", "h4", "h3", "span", "p", "ul", "li", "b", "a", "button"}
        assert not [name for name, _ in found.attributes if name.startswith("on")]
        hrefs = [value for name, value in found.attributes if name == "href"]
        assert all(re.match(r"^(tel:\+?\d+|https://www\.openstreetmap\.org/)", h) for h in hrefs), hrefs
        assert "<script>" not in block and "javascript:" not in block


def test_a_card_has_its_number_description_intake_line_and_large_actions():
    view = ServiceView.from_row(row(name="Region Ten", description="Mohr Center. Intake: 434-972-1800.",
                                    phone="434-972-1804", website="https://example.org/rt"))  # fmt: skip
    block = presentation.card_html(view, 7, Display(now=NOW, units="mi"))
    assert 'id="hm-card-7"' in block and ">7</span>" in block
    assert "Mohr Center. Intake: 434-972-1800." in block  # the second name and the intake line
    assert 'href="tel:4349721800"' in block  # the intake line is its own tap-to-call link
    assert 'class="hm-call" href="tel:4349721804"' in block
    assert "Directions" in block and "0.8 mi away" in block


def test_the_marker_row_is_plain_json_with_checked_links():
    view = ServiceView.from_row(row(name="{{ 7*7 }} <b>x</b>", phone="+44 113 496 0001"))
    marker = presentation.marker(view, 3, Display())
    assert marker[:4] == [3, 53.8, -1.55, 0]
    assert marker[4] == "{{ 7*7 }} <b>x</b>"  # text: the map sets it with textContent, never a template
    assert marker[6] == "tel:+441134960001" and marker[7].startswith("https://www.openstreetmap.org/")
    json.dumps(marker)


def test_area_only_listings_give_no_directions():
    view = ServiceView.from_row(row(approximate="yes", address="12 Quiet Lane", city="Leeds"))
    assert presentation.directions_href(view, Display()) is None
    assert "Quiet Lane" not in presentation.card_html(view, 1, Display(now=NOW))


DAILY_LONDON = {"day": "0;1;2;3;4;5;6", "time": "20:00", "end_time": "21:00", "timezone": "Europe/London", "hours": ""}


def test_a_london_meeting_on_a_virginia_searchers_clock():
    text = schedule.viewer_status_text(DAILY_LONDON, NOW, Viewer.for_place("America/New_York", "US"))
    assert text == "Next meeting Tue 3:00 pm your time (8:00 pm in London)"


def test_the_same_zone_is_not_named_and_britain_reads_24_hours():
    assert schedule.viewer_status_text(DAILY_LONDON, NOW, Viewer.for_place("Europe/London", "GB")) == "Next meeting Tue 20:00"


def test_a_meeting_on_now_and_an_unknown_viewer_zone():
    during = datetime(2026, 12, 1, 20, 30, tzinfo=timezone.utc)
    assert schedule.viewer_status_text(DAILY_LONDON, during, Viewer("Asia/Tokyo")) == \
        "Meeting on now: started 05:00 your time (20:00 in London)"  # fmt: skip
    assert schedule.viewer_status_text(DAILY_LONDON, NOW, Viewer()) == "Next meeting Tue 20:00"


def test_opening_hours_follow_the_clock_and_name_a_different_zone():
    clinic = {"day": "", "time": "", "end_time": "", "timezone": "America/New_York", "hours": "Mo-Fr 09:00-17:00"}
    assert schedule.viewer_status_text(clinic, NOW, Viewer.for_place("America/New_York", "US")) == "Closed now, opens Tue 9:00 am"
    assert schedule.viewer_status_text(clinic, NOW, Viewer("Europe/London")) == \
        "Closed now, opens Tue 14:00 your time (09:00 in New York)"  # fmt: skip
    afternoon = datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc)  # 13:00 in New York
    assert schedule.viewer_status_text(clinic, afternoon, Viewer.for_place("America/Los_Angeles", "US")) == \
        "Open now, until 2:00 pm your time (5:00 pm in New York)"  # fmt: skip
    friday_evening = datetime(2026, 12, 4, 23, 0, tzinfo=timezone.utc)  # over the weekend, on the viewer's day
    assert schedule.viewer_status_text(clinic, friday_evening, Viewer("Europe/London")) == \
        "Closed now, opens Mon 14:00 your time (09:00 in New York)"  # fmt: skip


def test_clock_text_edges():
    assert schedule.clock_text(0, 5, True) == "12:05 am"
    assert schedule.clock_text(12, 0, True) == "12:00 pm"
    assert schedule.clock_text(23, 59, False) == "23:59"


def test_the_searched_places_zone_comes_from_its_coordinates():
    assert presentation.zone_at(38.03, -78.48) == "America/New_York"
    assert presentation.zone_at(53.8, -1.55) == "Europe/London"
