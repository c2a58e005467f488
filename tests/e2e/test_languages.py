"""HelpMap in Spanish in a real browser: ?lang=es, the site's `language`, and the browser's
Accept-Language each give the Spanish pages (explanatory pages, Find help with a search, the referral
sheet, the embed page, the frame); the switch changes the language and keeps it across pages;
<html lang> follows; without any of them the English pages are unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpmap import content
from tests.conftest import rerun_after, search, wait_for_app, wait_for_map
from tests.e2e.test_find_help import go_to_page

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


# --- the interface in Spanish (issue 17) -----------------------------------------------------------


def html_lang(page) -> str:
    page.wait_for_function("document.documentElement.lang !== 'en'", timeout=10_000)
    return page.evaluate("document.documentElement.lang + '/' + document.documentElement.dir")


def spanish_search(page, place: str) -> None:
    box = page.get_by_role("textbox", name="Ciudad, código postal o dirección")
    box.fill(place)
    rerun_after(page, lambda: box.press("Enter"))
    page.locator(".hm-card").first.wait_for()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_find_help_in_spanish_on_the_default_data(default_server, visit, phone):
    session = visit(f"{default_server.url}/?lang=es", phone=phone)
    page = session.page
    page.get_by_role("heading", name="Buscar ayuda cerca de usted").wait_for()
    assert html_lang(page) == "es/ltr"
    box = page.get_by_role("textbox", name="Ciudad, código postal o dirección")
    assert box.get_attribute("placeholder") == "Por ejemplo: Richmond, VA o 22903"
    spanish_search(page, "22903")
    count = page.locator(".helpmap-result-count").inner_text()
    assert re.fullmatch(r"\d+ resultados a menos de \d+ mi de .+", count.split(" (")[0]), count
    text = main_text(page)
    assert "Distancia" in text and "Tipo de ayuda" in text and "Más filtros" in text
    assert "found within" not in text and "Kind of help" not in text
    # The first card, from the core in Spanish: kind and distance, labels, the status line, the buttons.
    card = page.locator(".hm-card").first.inner_text()
    assert re.search(r"Tratamiento · a \d+\.\d mi", card), card
    assert "Dónde:" in card and "Cuándo:" in card and "Where:" not in card
    assert re.search(r"Horario desconocido: llame antes de ir|Abierto ahora|Cerrado", card), card
    assert "Cómo llegar" in card and "Directions" not in card
    # The map frame (a fixed file) gets its words and language as data: its popup is Spanish too.
    map_frame = page.frame_locator('iframe[title*="helpmap_map"]')
    wait_for_map(page)
    assert map_frame.locator("html").get_attribute("lang") == "es"
    assert map_frame.locator("#map").get_attribute("aria-label") == "Mapa de los resultados. Los números coinciden con la lista."
    map_frame.locator(".leaflet-marker-icon").first.dispatch_event("click")  # markers can overlap
    popup = map_frame.locator(".hm-pop").first
    popup.wait_for(timeout=10_000)
    assert "Cómo llegar" in popup.inner_text() and "Directions" not in popup.inner_text()
    crisis = page.locator(".hm-crisis").inner_text()
    assert "¿Necesita ayuda ahora?" in crisis and "Salida rápida" in crisis
    assert page.locator("a.hm-quick-exit").get_attribute("title") == "Salir de este sitio ahora (o pulse Esc dos veces)"
    page.locator("[data-testid='stExpander'] summary").first.click()
    wait_for_app(page)
    assert "Servicios" in main_text(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"find-help-es-{'phone' if phone else 'desktop'}.png", full_page=True)
    # No tile server is configured: the built-in base map, and no outside host at all (README).
    assert session.external_requests == []


def test_the_site_language_gives_a_spanish_search_and_referral(start_app, visit, tmp_path):
    site = tmp_path / "site.toml"
    site.write_text(f'[site]\nlanguage = "es"\n\n[[sources]]\nlocation = "{REPO / "data" / "demo-directory.csv"}"\n',
                    encoding="utf-8")
    server = start_app({"HELPMAP_CONFIG": str(site)})
    page = visit(server.url).page
    page.get_by_role("heading", name="Buscar ayuda cerca de usted").wait_for()
    assert html_lang(page) == "es/ltr"
    spanish_search(page, "Leeds")
    assert "resultados a menos de" in page.locator(".helpmap-result-count").inner_text()
    # A demo meeting's card: its next meeting in Spanish, with CLDR's day name.
    meeting = page.locator(".hm-card", has_text="Grupo de apoyo").first.inner_text()
    assert re.search(r"Próxima reunión: (lunes|martes|miércoles|jueves|viernes|sábado|domingo)|Reunión ahora", meeting), meeting
    page.get_by_role("button", name=re.compile(r"^1\. ")).click()
    wait_for_app(page)
    page.get_by_text("1 servicio en la derivación.").wait_for()
    page.get_by_role("link", name="Abrir la hoja de derivación").click()
    wait_for_app(page)
    page.get_by_role("heading", name="Hoja de derivación").wait_for()
    page.get_by_text("Hoja para imprimir (HTML)").first.wait_for()  # the heading can come first
    text = main_text(page)
    assert "Entregar la lista" in text and "Hoja para imprimir (HTML)" in text
    assert "Hand it over" not in text and "Printable sheet" not in text


def test_the_referral_link_in_spanish(app_server, visit):
    page = visit(f"{app_server.url}/referral?ids=demo-leeds-treatment-143,demo-leeds-support-group-146&lang=es",
                 phone=True).page  # fmt: skip
    page.get_by_role("heading", name="Su lista de servicios").wait_for()
    assert html_lang(page) == "es/ltr"
    text = main_text(page)
    assert "Alguien eligió estos servicios para usted" in text and "Leeds Community Recovery Service (demo)" in text
    assert "Someone chose" not in text
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "referral-client-es-phone.png", full_page=True)


def test_the_embed_page_offers_the_language_in_its_snippet(app_server, visit):
    page = visit(f"{app_server.url}/embed?lang=es").page
    page.get_by_role("heading", name="Ponga HelpMap en su sitio web").wait_for()
    snippet = page.locator("[data-testid='stCode']").first.inner_text()
    assert "lang=es" in snippet and "embed=true" in snippet
    assert "Idioma del marco" in main_text(page)
    # Choosing "each visitor's own" takes lang= out of the address: the frame follows each visitor.
    # The preview frame below loads its own copy of the app meanwhile and can close an open list as
    # the page settles: open it again until its options show.
    option = page.get_by_role("option", name=re.compile("El de cada visitante"))
    for _attempt in range(5):
        wait_for_app(page)
        page.get_by_role("combobox", name="Idioma del marco", exact=True).click()
        try:
            option.wait_for(timeout=3_000)
            break
        except Exception:  # not open yet: try again (no Escape: twice is the quick exit)
            continue
    option.click()
    page.wait_for_timeout(300)
    wait_for_app(page)
    assert "lang=" not in page.locator("[data-testid='stCode']").first.inner_text()


def test_the_switch_changes_the_language_and_it_stays_across_pages(app_server, visit):
    page = visit(f"{app_server.url}/").page
    page.get_by_role("heading", name="Find help near you").wait_for()
    search(page, "Leeds")
    rerun_after(page, page.get_by_role("radio", name="Español").click)
    page.get_by_role("heading", name="Buscar ayuda cerca de usted").wait_for()
    assert "lang=es" in page.url and html_lang(page) == "es/ltr"
    # Each option is marked with its own language, whatever the page's (WCAG 3.1.2).
    assert page.get_by_role("radio", name="English").get_attribute("lang") == "en"
    assert page.get_by_role("radio", name="Español").get_attribute("lang") == "es"
    # The search stays on screen, now in Spanish.
    assert "resultados a menos de" in page.locator(".helpmap-result-count").inner_text()
    # The menu keeps the language: its links drop query parameters, the app puts ?lang= back.
    go_to_page(page, "Buscar ayuda", "Hoja de derivación")
    page.get_by_role("heading", name="Hoja de derivación").wait_for()
    page.wait_for_function("location.search.includes('lang=es')")
    rerun_after(page, page.get_by_role("link", name="Ir a Buscar ayuda").click)
    page.get_by_role("heading", name="Buscar ayuda cerca de usted").wait_for()
    assert "lang=es" in page.url
    # Back to English with the switch, and the English page is the English page.
    rerun_after(page, page.get_by_role("radio", name="English").click)
    page.get_by_role("heading", name="Find help near you").wait_for()
    assert "lang=en" in page.url
    page.wait_for_function("document.documentElement.lang === 'en'")
    # Learn pages keep the language too: the menu link, then the page's own links into Find help.
    rerun_after(page, page.get_by_role("radio", name="Español").click)
    go_to_page(page, "Información", "La ketamina y la ley")
    page.get_by_role("heading", name="La ketamina y la ley").wait_for()
    page.wait_for_function("location.search.includes('lang=es')")
