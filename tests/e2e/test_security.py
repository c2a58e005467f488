"""Attacks a visitor's browser can make on the server, tried for real against the app."""

from __future__ import annotations

import pytest

from streamlit.proto.BackMsg_pb2 import BackMsg

pytestmark = pytest.mark.e2e


def test_a_clear_cache_message_from_any_visitor_cannot_drop_the_directory(start_app, visit, tmp_path):
    """Streamlit clears every st.cache_* for all users when any client sends `clear_cache`,
    whatever the toolbar mode. With the source down, that would leave nothing to show, so the
    directory and its last good copy are kept outside those caches (helpmap.runtime)."""
    from tests.conftest import rerun_after, search
    from tests.test_datasources import LEEDS, FlakyServer

    sheet = FlakyServer()
    try:
        url = sheet.serve("/published.csv", LEEDS)
        config = tmp_path / "site.toml"
        config.write_text(f'[[sources]]\nlocation = "{url}"\nrefresh_minutes = 0.01\n', encoding="utf-8")
        server = start_app({"HELPMAP_CONFIG": str(config), "NO_PROXY": "127.0.0.1"})
        page = visit(server.url).page
        search(page, "Leeds")
        assert page.locator("h4").filter(has_text="Leeds Recovery Hub").count() == 1

        sheet.serve("/published.csv", "", status=503)  # the source goes down
        message = list(BackMsg(clear_cache=True).SerializeToString())
        sent = page.evaluate(
            """([address, bytes]) => new Promise(resolve => {
                const socket = new WebSocket(address, ["streamlit"]);
                socket.binaryType = "arraybuffer";
                socket.onopen = () => { socket.send(new Uint8Array(bytes)); setTimeout(() => resolve(true), 1000); };
                socket.onerror = () => resolve(false);
            })""",
            [server.url.replace("http://", "ws://") + "/_stcore/stream", message],
        )
        assert sent  # the server took the message (Streamlit handles it on any session)

        other = visit(server.url).page  # a new visitor after the attack
        search(other, "Leeds")
        assert other.locator("h4").filter(has_text="Leeds Recovery Hub").count() == 1
        assert other.get_by_text("cannot be shown").count() == 0
        rerun_after(page, page.get_by_role("button", name="Search", exact=True).click)
        assert page.locator("h4").filter(has_text="Leeds Recovery Hub").count() == 1
    finally:
        sheet.close()


def test_an_absurd_browser_time_zone_does_not_break_any_page(start_app, browser, tmp_path):
    """st.context.timezone is whatever the browser says: here 100,000 characters."""
    from tests.conftest import count_runs, search, wait_for_app
    from tests.test_datasources import LEEDS

    data = tmp_path / "leeds.csv"
    data.write_text(LEEDS, encoding="utf-8")
    server = start_app({"HELPMAP_DATA": str(data)})
    context = browser.new_context()
    context.add_init_script("""
        const original = Intl.DateTimeFormat.prototype.resolvedOptions;
        Intl.DateTimeFormat.prototype.resolvedOptions = function () {
            return Object.assign(original.call(this), {timeZone: "A".repeat(100000)});
        };""")
    try:
        page = context.new_page()
        count_runs(page)
        for path in ("/", "/referral?ids=l1,l2"):
            page.goto(server.url + path)
            wait_for_app(page)
            assert page.locator("[data-testid='stException']").count() == 0, path
        page.goto(server.url)
        wait_for_app(page)
        search(page, "Leeds")
        assert page.locator("h4").filter(has_text="Leeds Recovery Hub").count() == 1
        assert page.get_by_text("Data as of").count() >= 1
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        context.close()


def test_a_bare_email_address_in_data_stays_text(start_app, visit, tmp_path):
    from tests.conftest import search
    from tests.test_datasources import HEADER

    data = tmp_path / "mail.csv"
    data.write_text(HEADER + "m1,Clinic write to evil@tracker.invalid now,treatment,53.80,-1.55,,leeds\n", encoding="utf-8")
    server = start_app({"HELPMAP_DATA": str(data)})
    page = visit(server.url).page
    search(page, "Leeds")
    page.locator("h4").filter(has_text="tracker").first.wait_for()
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if "tracker.invalid" in h], hrefs
