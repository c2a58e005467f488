"""Embedding in a real browser: another site frames HelpMap, and the Embed page writes the code.

The host page is served from a different origin (http://localhost:PORT, while the app is on
http://127.0.0.1:PORT), so the app runs as a cross-site iframe with Streamlit's default server
settings, as it would on an organisation's website.
"""

from __future__ import annotations

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpmap.embed import EmbedChoices, embed_url, iframe_snippet
from tests.conftest import Visit, wait_for_app, wait_for_map

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
FRAME_TITLE = "Example Network: find help"


class HostSite:
    """An organisation's web page, on its own loopback port, that frames the app."""

    def __init__(self, body: str) -> None:
        page = f"<!doctype html><html lang='en'><head><title>Example Network</title></head><body>" \
               f"<h1>Example Network</h1><p>Find help near you:</p>{body}</body></html>".encode()  # fmt: skip

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server interface
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        # "localhost" and "127.0.0.1" are different sites to the browser: the frame is cross-site.
        self.url = f"http://localhost:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def host_visit(browser):
    """Open a page that is not the app itself (visit() waits for the app in the top frame)."""
    opened: list[Visit] = []

    def open_page(url: str, *, phone: bool = False) -> Visit:
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        session = Visit(browser, viewport)
        opened.append(session)
        session.page.goto(url)
        return session

    yield open_page
    for session in opened:
        session.close()


def wait_for_frame(frame) -> None:
    """wait_for_app, inside an iframe."""
    frame.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(timeout=30_000)
    frame.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(timeout=30_000)


def result_heading(frame):
    return frame.get_by_role("heading", name="found within")


def test_another_site_embeds_the_app_and_a_search_runs_inside_it(app_server, host_visit):
    choices = EmbedChoices(place="Leeds", radius=25, kind="", height=900, title=FRAME_TITLE)
    snippet = iframe_snippet(embed_url(app_server.url + "/", choices), choices)
    host = HostSite(snippet)
    try:
        session = host_visit(host.url)
        page = session.page
        assert page.get_by_role("heading", name="Example Network").is_visible()
        frame = page.frame_locator(f"iframe[title='{FRAME_TITLE}']")
        wait_for_frame(frame)

        # The place in the snippet started the search.
        result_heading(frame).wait_for(timeout=30_000)
        assert "Leeds" in result_heading(frame).inner_text()
        assert frame.get_by_text("Leeds", exact=False).first.is_visible()

        # A visitor searches somewhere else, inside the frame.
        box = frame.get_by_role("textbox", name="Town, postcode or address")
        box.fill("Manchester")
        box.press("Enter")
        frame.get_by_role("heading", name="Manchester").first.wait_for(timeout=30_000)
        wait_for_frame(frame)
        assert "Manchester" in result_heading(frame).inner_text()
        assert frame.locator("h4").filter(has_text="Manchester").count() >= 1  # a Manchester listing

        # Help lines stay on screen inside the frame; the frame may ask for the visitor's location.
        assert frame.locator("a[href^='tel:']").count() >= 1
        app_frame = next(f for f in page.frames if f.url.startswith(app_server.url))
        assert app_frame.evaluate("document.featurePolicy.allowsFeature('geolocation')") is True
        assert page.locator("iframe").first.get_attribute("allow") == "geolocation"

        assert frame.locator("[data-testid='stException']").count() == 0
        wait_for_map(frame)  # the map inside the embedded app, with its built-in base map
        assert session.external_requests == []  # neither the host page's visitor nor the frame leaks
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "embed-host-page.png", full_page=True)
    finally:
        host.close()


def test_without_allow_geolocation_the_frame_cannot_ask_for_location(app_server, host_visit):
    """The control for the test above: the allow attribute is what grants geolocation."""
    host = HostSite(f'<iframe src="{app_server.url}/?embed=true" title="bare" width="800" height="600"></iframe>')
    try:
        page = host_visit(host.url).page
        wait_for_frame(page.frame_locator("iframe[title='bare']"))
        app_frame = next(f for f in page.frames if f.url.startswith(app_server.url))
        assert app_frame.evaluate("document.featurePolicy.allowsFeature('geolocation')") is False
    finally:
        host.close()


def snippet_src(page) -> str:
    code = page.locator("[data-testid='stCode'] code").first.inner_text()
    start = code.index('src="') + len('src="')
    return code[start : code.index('"', start)].replace("&amp;", "&")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_embed_page_writes_a_snippet_for_this_app_and_previews_it(app_server, visit, phone):
    session = visit(f"{app_server.url}/embed", phone=phone)
    page = session.page
    assert page.get_by_role("heading", name="Put HelpMap on your website").is_visible()

    place = page.get_by_role("textbox", name="Start the search at")
    place.fill("Glasgow")
    place.press("Enter")
    page.wait_for_timeout(300)
    wait_for_app(page)
    press = "tap" if phone else "click"  # a touch screen opens the list on a tap
    getattr(page.get_by_label("Kind of help"), press)()
    getattr(page.get_by_role("option", name="Support group", exact=True), press)()
    page.wait_for_timeout(300)
    wait_for_app(page)

    code = page.locator("[data-testid='stCode'] code").first.inner_text()
    assert code.startswith("<iframe ") and 'allow="geolocation"' in code and 'title="' in code
    src = snippet_src(page)
    parts = urllib.parse.urlsplit(src)
    assert f"{parts.scheme}://{parts.netloc}" == app_server.url  # the app's own address, from the browser
    assert parts.path == "/"
    query = urllib.parse.parse_qs(parts.query)
    assert query["embed"] == ["true"] and query["place"] == ["Glasgow"] and query["kind"] == ["support_group"]

    # The live preview is that address, and it runs the search.
    preview = page.frame_locator("iframe[title^='Preview']")
    wait_for_frame(preview)
    result_heading(preview).wait_for(timeout=30_000)
    assert "Glasgow" in result_heading(preview).inner_text()
    assert page.locator("iframe[title^='Preview']").get_attribute("src") == src

    assert page.locator("[data-testid='stException']").count() == 0
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"embed-page-{'phone' if phone else 'desktop'}.png", full_page=True)
