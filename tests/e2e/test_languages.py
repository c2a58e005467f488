"""The explanatory pages in Spanish in a real browser: ?lang=es, the site's `language`, and the
browser's Accept-Language each give the Spanish page; without them the English page is unchanged.

(Find help, the referral sheet, the embed page and the frame are not translated yet: issue 17.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpmap import content

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "screenshots"


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_lang_es_shows_the_spanish_page(app_server, visit):
    session = visit(f"{app_server.url}/dependence?lang=es", phone=True)
    page = session.page
    spanish = content.load("dependence", lang="es")
    page.get_by_role("heading", name=spanish.title).wait_for()
    text = main_text(page)
    assert "¿Consumo más, o durante más tiempo, de lo que quería?" in text
    assert "Fuentes" in text and "Líneas de ayuda" in text and "Llamar al 911" in text
    assert "Traducción de la página en inglés revisada el 2026-12-01." in text
    assert "Dependence and warning signs" not in text and "Find help near you" not in text
    link = page.get_by_role("link", name="Buscar tratamiento cerca de usted")
    assert "lang=es" in (link.get_attribute("href") or "")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "content-es-phone.png", full_page=True)
    assert session.external_requests == []


def test_without_lang_the_english_page_is_unchanged(app_server, visit):
    page = visit(f"{app_server.url}/dependence").page
    page.get_by_role("heading", name="Dependence and warning signs").wait_for()
    text = main_text(page)
    assert "Do I use more, or for longer, than I meant to?" in text
    assert "Sources" in text and "Call 911" in text and "Fuentes" not in text


def test_a_spanish_browser_gets_spanish_and_lang_en_overrides_it(app_server, visit):
    page = visit(f"{app_server.url}/the-law", locale="es-MX").page
    page.get_by_role("heading", name="La ketamina y la ley").wait_for()
    page = visit(f"{app_server.url}/the-law?lang=en", locale="es-MX").page
    page.get_by_role("heading", name="Ketamine and the law").wait_for()


def test_the_site_language_sets_the_default(start_app, visit, tmp_path):
    site = tmp_path / "site.toml"
    site.write_text(f'[site]\nlanguage = "es"\n\n[[sources]]\nlocation = "{REPO / "data" / "demo-directory.csv"}"\n',
                    encoding="utf-8")
    server = start_app({"HELPMAP_CONFIG": str(site)})
    page = visit(f"{server.url}/emergency").page
    page.get_by_role("heading", name="En una emergencia").wait_for()
