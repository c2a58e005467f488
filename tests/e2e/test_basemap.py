"""The map's background in a real browser: the built-in base map (no tile server configured) is
drawn from HelpMap's own files, and a tile server the site configures is used instead of it.

A searcher's map area is their location: by default no request for it may leave the machine.
"""

from __future__ import annotations

import io
import math
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy
import pytest
from PIL import Image

from tests.conftest import DEMO_DATA, MAP_FRAME, REPO, search, wait_for_map

pytestmark = pytest.mark.e2e
SCREENSHOTS = REPO / "screenshots"
BASEMAP_FILES = ("topojson-client/topojson-client.min.js", "world-atlas/countries-50m.json", "us-atlas/states-10m.json")
# The component's colours (ui/components/map/index.html): sea behind, land, borders.
SEA, LAND = (0xC9, 0xDB, 0xE6), (0xF4, 0xF1, 0xEA)


def requests_seen(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def close_to(pixel, colour, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour))


def test_the_built_in_base_map_is_drawn_from_helpmaps_own_files(default_server, visit):
    """`make run` exactly: land, water and borders are drawn, and nothing leaves the machine."""
    session = visit(default_server.url)
    page = session.page
    seen = requests_seen(page)
    search(page, "Chicago")
    wait_for_map(page)
    for name in BASEMAP_FILES:
        assert f"{default_server.url}/app/static/vendor/{name}" in seen, name
    assert session.external_requests == []
    frame = page.frame_locator(MAP_FRAME)
    assert frame.locator(".hm-attr").inner_text() == "Natural Earth; US Census Bureau; GeoNames"
    assert frame.locator(".leaflet-tile").count() == 0

    # Town names, for orientation: text only, none hidden under another name or a marker.
    map_frame = page.query_selector(MAP_FRAME).content_frame()
    labels = map_frame.evaluate("""() => {
        const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        return {
            names: [...document.querySelectorAll(".hm-town span")].map(e => e.textContent),
            shown: [...document.querySelectorAll(".hm-town span")].filter(e => e.style.visibility !== "hidden").map(box),
            markers: [...document.querySelectorAll(".hm-marker")].map(box),
            elements: document.querySelectorAll(".hm-town span *").length,
        };
    }""")
    assert "Chicago" in labels["names"] and labels["elements"] == 0
    assert len(labels["shown"]) >= 5, labels
    overlap = lambda a, b: a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]  # noqa: E731
    shown = labels["shown"]
    assert not [(a, b) for i, a in enumerate(shown) for b in shown[i + 1:] + labels["markers"] if overlap(a, b)]

    # A fixed view of the Great Lakes (the search's own view is wherever its results are), and
    # the pixels at known places: water in Lake Michigan, land in Iowa and Ontario, and borders.
    places = {"michigan": (43.6, -87.0), "superior": (47.3, -86.5), "iowa": (42.0, -92.5), "ontario": (45.0, -79.0)}
    points = map_frame.evaluate(
        """(places) => {
            const map = window.helpmapLayer._map;
            map.setView([43, -85], 5, {animate: false});
            const out = {};
            for (const [name, ll] of Object.entries(places)) {
                const p = map.latLngToContainerPoint(ll); out[name] = [Math.round(p.x), Math.round(p.y)];
            }
            return out;
        }""",
        places,
    )
    page.wait_for_timeout(500)  # the canvas redraws after the view changes
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = Image.open(io.BytesIO(page.locator(MAP_FRAME).screenshot())).convert("RGB")
    colour = {name: shot.getpixel(tuple(xy)) for name, xy in points.items()}
    assert close_to(colour["michigan"], SEA) and close_to(colour["superior"], SEA), colour  # the Great Lakes are water
    assert close_to(colour["iowa"], LAND) and close_to(colour["ontario"], LAND), colour
    # Country and state borders: grey lines, darker than the land and greyer than the water.
    r, g, b = (numpy.asarray(shot).astype(int)[:, :, i] for i in range(3))
    grey = int(((120 <= r) & (r <= 200) & (abs(r - g) < 12) & (abs(r - b) < 20)).sum())
    shot.save(SCREENSHOTS / "basemap-great-lakes.png")
    assert grey > 300, grey


def tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (0xE0, 0x90, 0x90)).save(out, "PNG")
    return out.getvalue()


class TileServer:
    """A loopback tile server: answers /{z}/{x}/{y}.png with a plain tile and records each path."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        png, paths = tile_png(), self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tile_server():
    server = TileServer()
    yield server
    server.close()


def tile_of(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The slippy-map tile holding a point (the same formula as Leaflet's)."""
    n = 2**zoom
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def test_a_configured_tile_server_gets_the_tiles_and_the_base_map_is_not_loaded(start_app, visit, tile_server, tmp_path):
    site = tmp_path / "site.toml"
    site.write_text(
        f'[[sources]]\nlocation = "{DEMO_DATA}"\n\n'
        f'[tiles]\nurl = "{tile_server.url}/{{z}}/{{x}}/{{y}}.png"\nattribution = "Test tiles"\n',
        encoding="utf-8",
    )
    server = start_app({"HELPMAP_CONFIG": str(site)})
    session = visit(server.url)
    page = session.page
    seen = requests_seen(page)
    search(page, "Leeds")
    wait_for_map(page, basemap=False)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-tile-loaded").first.wait_for(timeout=20_000)
    assert frame.locator(".hm-attr").inner_text() == "Test tiles"

    map_frame = page.query_selector(MAP_FRAME).content_frame()
    zoom, centre = map_frame.evaluate("[window.helpmapLayer._map.getZoom(), window.helpmapLayer._map.getCenter()]")
    tiles = {tuple(int(n) for n in re.fullmatch(r"/(\d+)/(\d+)/(\d+)\.png", p).groups()) for p in tile_server.paths}
    assert {z for z, _, _ in tiles} == {zoom}
    assert (zoom, *tile_of(centre["lat"], centre["lng"], zoom)) in tiles  # the tiles of the area shown
    assert 11 <= zoom <= 15 and (zoom, *tile_of(53.8, -1.55, zoom)) in tiles  # ...which is Leeds

    # The site chose its tile server: the built-in outlines are neither fetched nor drawn.
    assert not [u for u in seen if any(name in u for name in BASEMAP_FILES)]
    assert map_frame.evaluate("document.body.hasAttribute('data-basemap')") is False
    assert map_frame.evaluate("window.helpmapBasemap === undefined") is True
    assert frame.locator(".hm-town").count() == 0  # the tiles carry their own names
    assert session.external_requests == []  # the tile server is on loopback: nothing else was asked
