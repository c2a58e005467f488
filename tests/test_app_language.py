"""The language in the page logic (AppTest: the real scripts in-process, no browser): ?lang=es gives
the Spanish interface, the switch changes it and the URL, the choice survives a page change that
drops the query string, and the crisis bar carries the language for <html lang>."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import DEMO_DATA, app_test


@pytest.fixture
def app(monkeypatch) -> AppTest:
    return app_test(monkeypatch, DEMO_DATA)


def crisis_bar(app: AppTest) -> str:
    return next(e.proto.body for e in app.get("html") if "hm-crisis" in e.proto.body)


def test_lang_es_gives_the_spanish_interface(app):
    app.query_params["lang"] = "es"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Buscar ayuda cerca de usted"
    assert app.text_input(key="place").label == "Ciudad, código postal o dirección"
    assert any(b.label == "Buscar" for b in app.button)
    bar = crisis_bar(app)
    assert 'data-hm-lang="es"' in bar and "Salida rápida" in bar and "¿Necesita ayuda ahora?" in bar


def test_without_lang_the_interface_is_english(app):
    app.run()
    assert app.title[0].value == "Find help near you"
    assert 'data-hm-lang="en"' in crisis_bar(app) and "Quick exit" in crisis_bar(app)


def test_the_switch_sets_lang_and_the_choice_outlives_a_bare_address(app):
    app.run()
    switch = app.get("button_group")[0]
    assert switch.options == ["English", "Español"]
    switch.set_value("es").run()
    assert app.query_params["lang"] == "es"
    assert app.title[0].value == "Buscar ayuda cerca de usted"
    # A menu link arrives without its query string: the tab's choice puts ?lang= back.
    app.query_params.clear()
    app.run()
    assert app.title[0].value == "Buscar ayuda cerca de usted"
    assert app.query_params["lang"] == "es"


def test_a_language_we_do_not_have_is_ignored(app):
    app.query_params["lang"] = "xx"
    app.run()
    assert not app.exception and app.title[0].value == "Find help near you"


def test_filter_words_in_the_readers_language():
    from helpmap import i18n
    from ui.search_form import language_name, within

    assert [language_name(v, "es") for v in ("spanish", "English", "irish")] == ["Español", "Inglés", "Irlandés"]
    assert [language_name(v, "en") for v in ("spanish", "klingonese")] == ["Spanish", "Klingonese"]  # unknown: as written
    assert within(10, "mi", i18n.translator("en")) == "Within 10 mi"
    assert within(2.5, "km", i18n.translator("es")) == "A menos de 2.5 km"
