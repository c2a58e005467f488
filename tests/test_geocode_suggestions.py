""""Did you mean" suggestions on the Find help page are buttons that search the place they
name, through Streamlit's AppTest (the real page scripts, in-process)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import app_test, html_texts, search


@pytest.fixture
def app(monkeypatch) -> AppTest:
    return app_test(monkeypatch)  # the shipped default directory


def suggestion_buttons(app: AppTest, key: str) -> list:
    return [b for b in app.button if (b.key or "").startswith(f"{key}-")]


def test_a_doubtful_spelling_offers_buttons_and_a_tap_searches_there(app):
    app.run()
    search(app, "Lendon")  # London or Endon: the page asks
    assert not app.exception
    assert any("Did you mean" in e.value for e in app.error)
    buttons = suggestion_buttons(app, "did-you-mean")
    assert buttons and buttons[0].label == "London, England, GB"
    buttons[0].click().run()
    assert not app.exception
    assert app.text_input(key="place").value == "London, England, GB"
    assert any("of London, England, GB" in body for body in html_texts(app))


def test_an_answer_with_other_places_of_that_name_offers_them_as_buttons(app):
    app.run()
    search(app, "Leeds")
    labels = [b.label for b in suggestion_buttons(app, "somewhere-else")]
    assert "Leeds, Alabama, US" in labels
    next(b for b in suggestion_buttons(app, "somewhere-else") if b.label == "Leeds, Alabama, US").click().run()
    assert not app.exception
    assert any("Leeds, Alabama, US" in body for body in html_texts(app))


def test_a_corrected_spelling_says_so_on_the_page(app):
    app.run()
    search(app, "Manchster")
    assert not app.exception
    assert any("closest name we know" in i.value for i in app.info)
    # The default site is American (help-line country US), so the nearer guess is New Hampshire's.
    assert any("Manchester, New Hampshire, US" in body for body in html_texts(app))
    assert "Manchester, England, GB" in [b.label for b in suggestion_buttons(app, "somewhere-else")]


def test_a_street_address_says_where_the_search_was_placed(app):
    app.run()
    search(app, "12 High Street, Leeds LS1 4AP")
    assert not app.exception
    assert any("not at the street address" in i.value for i in app.info)
