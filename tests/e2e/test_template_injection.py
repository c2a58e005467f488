"""Jinja2 payloads in every field of a directory row, searched in the real app in Chromium:
nothing is evaluated on the server and the map still draws every marker with the exact text."""

from __future__ import annotations

import csv

import pytest

from helpmap.schema import COLUMNS
from tests.test_template_injection import JINJA_PAYLOADS

pytestmark = pytest.mark.e2e
FIELDS = ["name", "organization", "address", "city", "region", "postcode", "phone", "hours", "description"]


@pytest.fixture(scope="module")
def jinja_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jinja")
    canary = folder / "evaluated"
    # Would create the canary file if any template engine ran it (no quotes: survives JSON).
    payloads = [*JINJA_PAYLOADS, "X{{ lipsum.__globals__.os.makedirs(lipsum.__globals__.os.environ.HELPMAP_CANARY) }}Y"]
    path = folder / "jinja.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for number, payload in enumerate(payloads):
            row = dict.fromkeys(COLUMNS, "")
            row.update(id=f"j{number}", kind="treatment", latitude=f"{51.5 + number * 0.002:.4f}", longitude="-0.12",
                       source="test", name=f"Service {number}")  # fmt: skip
            for field in FIELDS:
                row[field] = f"{row[field]} {payload}".strip() if field == "name" else payload
            writer.writerow(row)
    return path, canary, payloads


def test_jinja_payloads_are_shown_as_text_and_the_map_draws(start_app, visit, jinja_csv):
    from tests.conftest import search
    from tests.e2e.test_find_help import MAP_FRAME

    path, canary, payloads = jinja_csv
    server = start_app({"HELPMAP_DATA": str(path), "HELPMAP_CANARY": str(canary)})
    session = visit(server.url)
    page = session.page
    search(page, "51.5, -0.12")
    page.locator("[class*='st-key-card-r'] h4").first.wait_for()

    page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon").first.wait_for(timeout=20_000)
    map_frame = page.query_selector(MAP_FRAME).content_frame()
    texts = map_frame.evaluate("""() => {
        const cluster = Object.values(window).find(v => v instanceof L.MarkerClusterGroup);
        return cluster.getLayers().map(m => m.getPopup().getContent().textContent); }""")
    assert len(texts) == len(payloads)  # no row was lost to a template error
    for payload in payloads:
        assert any(payload in text for text in texts), payload
    assert not any("X49Y" in text for text in texts)
    assert page.get_by_text("X{{ 7*7 }}Y", exact=False).count() >= 1
    assert page.get_by_text("X49Y").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert not canary.exists()
    log = server.stop()
    assert "TemplateSyntaxError" not in log and "Traceback" not in log
