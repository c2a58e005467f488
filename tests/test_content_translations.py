"""The explanatory pages in other languages (content/<lang>/): one for every English page, each
following the English page's latest review, with the same sources, numbers and links, and shown
when the URL says ?lang=es while the English pages stay as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpmap import citations, content, helplines
from helpmap.content import ContentError

REPO = Path(__file__).resolve().parents[1]
LANGS = content.translation_languages()
APP_PAGES = {slug: slug.replace("-", "_") + ".py" for slug in content.SLUGS}


def helpline_numbers() -> list[str]:
    lines = helplines.load()
    return [line.phone for line in lines if line.phone] + [line.text for line in lines if line.text.isdigit()]


def test_spanish_is_shipped_and_every_translation_folder_is_a_language_we_have():
    from helpmap.i18n import LANGUAGES

    assert "es" in LANGS
    assert set(LANGS) <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", content.SLUGS)
def test_every_english_page_has_a_translation_that_agrees_with_it(slug, lang):
    assert content.translation_problems(slug, lang) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", content.SLUGS)
def test_each_translation_is_a_checked_page_with_its_own_dates(slug, lang):
    page = content.load(slug, lang=lang)
    english = content.load(slug)
    assert page.lang == lang and page.title != english.title, "the page is not translated"
    assert content.problems(page, helpline_numbers()) == []
    assert page.sources and page.last_reviewed and page.next_review > page.last_reviewed
    assert page.english_version == english.last_reviewed
    assert not any(citations.is_aggregator(source.url) for source in page.sources)


@pytest.mark.parametrize("slug", content.SLUGS)
def test_no_translation_file_without_an_english_page(slug):
    for lang in LANGS:
        names = {path.stem for path in (content.CONTENT_DIR / lang).glob("*.md")}
        assert names == set(content.SLUGS), names ^ set(content.SLUGS)


# --- the checks can fail -----------------------------------------------------------------------


@pytest.fixture
def pages(tmp_path):
    """A copy of the real pages to change."""
    shutil.copytree(content.CONTENT_DIR, tmp_path / "content")
    return tmp_path / "content"


def test_a_newer_english_review_makes_the_translation_out_of_date(pages):
    english = pages / "dependence.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace("last_reviewed: 2026-12-01", "last_reviewed: 2026-12-15"),
        encoding="utf-8",
    )
    found = content.translation_problems("dependence", "es", pages)
    assert len(found) == 1 and "follows the English page of 2026-12-01" in found[0] and "2026-12-15" in found[0]


def test_a_missing_translation_a_changed_number_or_source_are_problems(pages):
    (pages / "es" / "emergency.md").unlink()
    assert "no es translation" in content.translation_problems("emergency", "es", pages)[0]

    spanish = pages / "es" / "physical-harms.md"
    text = spanish.read_text(encoding="utf-8")
    spanish.write_text(text.replace("(26.6%)", "(25%)").replace("https://doi.org/10.1111/add.15154",
                                                               "https://doi.org/10.1111/add.99999"), encoding="utf-8")
    found = content.translation_problems("physical-harms", "es", pages)
    assert any("different numbers" in p and "26.6" in p for p in found)
    assert any("the English page's sources" in p for p in found)


def test_a_translation_needs_the_english_version_it_follows(pages):
    spanish = pages / "es" / "the-law.md"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace("english_version: 2026-12-01\n", ""),
                       encoding="utf-8")
    with pytest.raises(ContentError, match="english_version"):
        content.load("the-law", pages, lang="es")


def test_a_language_without_the_page_falls_back_to_english(pages):
    (pages / "es" / "the-law.md").unlink()
    page = content.load("the-law", pages, lang="es")
    assert page.lang == "en" and page.title == "Ketamine and the law"
    with pytest.raises(ContentError):
        content.path_for("the-law", pages, lang="../x")


# --- the pages on screen -------------------------------------------------------------------------


def run_page(slug: str, lang: str | None = None) -> AppTest:
    app = AppTest.from_file(str(REPO / "app_pages" / APP_PAGES[slug]), default_timeout=30)
    if lang:
        app.query_params["lang"] = lang
    return app.run()


@pytest.mark.parametrize("slug", ["dependence", "getting-help", "the-law"])
def test_lang_es_shows_the_spanish_page_and_its_labels(slug):
    app = run_page(slug, "es")
    assert not app.exception, [e.value for e in app.exception]
    page = content.load(slug, lang="es")
    assert app.title[0].value == page.title
    assert [s.value for s in app.subheader][-2:] == ["Buscar ayuda cerca de usted", "Fuentes"]
    caption = app.caption[-1].value
    assert caption == (
        "Última revisión: 2026-12-01. Próxima revisión: 2027-06-01. "
        "Traducción de la página en inglés revisada el 2026-12-01."
    )
    text = "\n".join(m.value for m in app.markdown)
    first_heading = next(line for line in page.body_markdown.splitlines() if line.startswith("## "))
    assert first_heading in text


@pytest.mark.parametrize("lang", [None, "en", "xx"])
def test_english_is_unchanged_without_lang_es(lang):
    app = run_page("dependence", lang)
    assert not app.exception
    assert app.title[0].value == "Dependence and warning signs"
    assert [s.value for s in app.subheader][-2:] == ["Find help near you", "Sources"]
    assert app.caption[-1].value == "Last reviewed: 2026-12-01. Next review due: 2027-06-01."


def test_find_help_links_keep_the_language():
    script = f"""
import streamlit as st
st.navigation([
    st.Page({str(REPO / "app_pages" / "getting_help.py")!r}, title="Page", default=True),
    st.Page({str(REPO / "app_pages" / "find_help.py")!r}, title="Find help", url_path="find-help"),
]).run()
"""
    app = AppTest.from_string(script, default_timeout=30)
    app.query_params["lang"] = "es"
    app.run()
    links = [(p.proto.label, p.proto.query_string) for p in app.get("page_link")]
    assert links == [
        ("Buscar grupos de apoyo cerca de usted", "kind=support_group&lang=es"),
        ("Buscar tratamiento cerca de usted", "kind=treatment&lang=es"),
    ]


def test_the_site_language_sets_the_default_and_lang_overrides_it(tmp_path, monkeypatch):
    site = tmp_path / "site.toml"
    site.write_text('[site]\nlanguage = "es"\n', encoding="utf-8")
    monkeypatch.setenv("HELPMAP_CONFIG", str(site))
    assert run_page("emergency").title[0].value == "En una emergencia"
    assert run_page("emergency", "en").title[0].value == "In an emergency"


def test_the_help_line_panel_on_a_spanish_page_is_in_spanish_with_the_same_numbers():
    spanish, english = run_page("emergency", "es"), run_page("emergency")
    assert "Líneas de ayuda" in [s.value for s in spanish.subheader]
    buttons = [(b.proto.label, b.proto.url) for b in spanish.get("link_button")]
    assert ("Llamar al 911", "tel:911") in buttons and ("Mensaje de texto: AYUDA al 988", "sms:988") in buttons
    assert [b.proto.url for b in spanish.get("link_button")] == [b.proto.url for b in english.get("link_button")]
    text = "\n".join(m.value for m in spanish.markdown)
    assert "en inglés y en español" in text and "**Horario:**" in text
    assert ("Call 911", "tel:911") in [(b.proto.label, b.proto.url) for b in english.get("link_button")]


# --- plain Spanish -------------------------------------------------------------------------------

# Szigriszt-Pazos perspicuity on the INFLESZ scale (Barrio-Cantalejo and others, 2008): 65 and over
# is "bastante fácil", the band health information for the general public should reach.
INFLESZ_FAIRLY_EASY = 65


def spanish_readability(text: str) -> float:
    import textstat

    textstat.set_lang("es")
    try:
        return textstat.szigriszt_pazos(text)
    finally:
        textstat.set_lang("en_US")


@pytest.mark.parametrize("slug", content.SLUGS)
def test_spanish_pages_are_plain_spanish(slug):
    text = content.plain_text(content.load(slug, lang="es").body_markdown)
    assert spanish_readability(text) >= INFLESZ_FAIRLY_EASY


def test_the_readability_measure_tells_hard_spanish_apart():
    hard = ("La administración concomitante de sustancias depresoras del sistema nervioso central "
            "incrementa considerablemente la probabilidad de complicaciones respiratorias potencialmente "
            "irreversibles, particularmente en individuos con antecedentes patológicos relevantes.")
    assert spanish_readability(hard) < INFLESZ_FAIRLY_EASY
