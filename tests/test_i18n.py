"""helpmap.i18n: the languages, their gettext catalogues (complete, compiled, in step with the code),
choosing a visitor's language, Meeting Guide type names, and CLDR number/distance/date formats."""

from __future__ import annotations

import gettext
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from helpmap import config, i18n
from helpmap.importers.meeting_guide import TYPE_NAMES
from tests.shared_paths import SHARED

REPO = Path(__file__).resolve().parents[1]
TYPES_JSON = SHARED / "specs" / "meeting-guide" / "types.json"
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
DOMAINS = (i18n.DOMAIN, i18n.MEETING_TYPES_DOMAIN)


def po_path(lang: str, domain: str) -> Path:
    return i18n.LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


# --- choosing the language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "explicit, site, header, expected",
    [
        ("es", "en", "en-US", "es"),  # ?lang= wins over everything
        (None, "es", "en-US,en;q=0.9", "es"),  # then the site's language
        (None, None, "es-MX,es;q=0.9,en;q=0.8", "es"),  # then the browser
        (None, None, "fr-FR, de;q=0.9, es;q=0.5", "es"),  # the first one we have
        (None, None, "es;q=0, en;q=0.5", "en"),  # q=0 means "not this one"
        (None, None, None, "en"),
        ("xx", None, "es", "es"),  # an unknown ?lang= is ignored, not an error
        ("ES-419", None, None, "es"),
        ("<script>", "", "garbage;;q=x", "en"),
    ],
)
def test_negotiation_order(explicit, site, header, expected):
    assert i18n.negotiate(explicit, site, header) == expected


def test_accept_language_is_read_by_quality_then_order():
    assert i18n.accept_language("da, en-gb;q=0.8, en;q=0.7") == ["da", "en-gb", "en"]
    assert i18n.accept_language("en;q=0.5, es") == ["es", "en"]
    assert i18n.accept_language("") == []


def test_the_site_config_accepts_spanish_and_still_refuses_what_we_do_not_have(tmp_path):
    good = tmp_path / "es.toml"
    good.write_text('[site]\nlanguage = "es"\n', encoding="utf-8")
    settings = config.read_file(good, config.Settings())
    assert settings.language == "es" and "language" in settings.chosen
    bad = tmp_path / "fr.toml"
    bad.write_text('[site]\nlanguage = "fr"\n', encoding="utf-8")
    assert any("language" in problem for problem in config.check_file(str(bad)))


# --- words -------------------------------------------------------------------------------------


def test_translator_gives_spanish_and_falls_back_to_english():
    spanish = i18n.translator("es")
    assert spanish.lang == "es" and spanish.gettext("Sources") == "Fuentes"
    assert spanish.gettext("A sentence nobody marked") == "A sentence nobody marked"
    assert spanish.ngettext("one result", "{n} results", 2) == "{n} results"  # English plural rule kept
    for lang in ("en", "xx", None):
        assert i18n.translator(lang).gettext("Sources") == "Sources"


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_catalogue_is_complete_and_keeps_its_placeholders(lang, domain):
    catalog = read_po(po_path(lang, domain).open("rb"))
    assert not catalog.fuzzy
    messages = [m for m in catalog if m.id]
    assert messages
    for message in messages:
        # a plural entry (ngettext) has a tuple of ids and one string per plural form: check each form
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms) and not message.fuzzy, f"{lang}/{domain}: {message.id!r} is not translated"
        # str.format() fills these in: a translation must keep exactly the same {names}
        names = set(re.findall(r"\{\w*\}", ids[-1]))
        for form in forms:
            assert set(re.findall(r"\{\w*\}", form)) == names, message.id


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_files_match_their_po_files(lang, domain):
    """The .mo files are committed so the app needs no build step; this catches a .po edited without
    recompiling (run `make translations`, or pybabel compile, docs/translating.md)."""
    catalog = read_po(po_path(lang, domain).open("rb"))
    with po_path(lang, domain).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected = {}
    for m in catalog:
        if isinstance(m.id, tuple):  # a plural entry compiles to one (msgid, form index) key per form
            expected.update({(m.id[0], i): form for i, form in enumerate(m.string)})
        elif m.id:
            expected[m.id] = m.string
    found = {key: value for key, value in compiled._catalog.items() if key}
    assert found == expected


def test_the_template_holds_every_string_marked_in_the_code(tmp_path):
    """Re-extract the marked strings: a string marked in code but missing from locales/helpmap.pot (or
    a stale one) fails here, so translators always see the whole interface."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", "-o", str(fresh), "."],
        cwd=REPO, check=True, timeout=120,
    )
    ids = lambda path: {m.id for m in read_po(path.open("rb")) if m.id}  # noqa: E731
    assert ids(fresh) == ids(i18n.LOCALES_DIR / "helpmap.pot")
    for lang in TRANSLATED:
        assert ids(fresh) == ids(po_path(lang, i18n.DOMAIN)), f"run pybabel update for {lang}"


# --- meeting types -------------------------------------------------------------------------------


def test_meeting_type_names_come_from_types_json_in_every_language():
    spec = json.loads(TYPES_JSON.read_text(encoding="utf-8"))
    for code, english in TYPE_NAMES.items():
        assert i18n.meeting_type_name(code, "en") == english
        for lang in TRANSLATED:
            expected = spec[code][lang] if code in spec and lang in spec[code] else english
            assert i18n.meeting_type_name(code, lang) == expected, code
    assert (i18n.meeting_type_name("O", "es"), i18n.meeting_type_name("C", "es")) == ("Abierta", "Cerrada")
    assert i18n.meeting_type_name("S", "es") == "Español"
    assert i18n.meeting_type_name("NOT-A-CODE", "es") == "NOT-A-CODE"


def test_the_meeting_type_catalogue_is_what_the_tool_makes_from_the_spec():
    sys.path.insert(0, str(REPO / "tools"))
    from meeting_type_catalogue import catalogue

    spec = json.loads(TYPES_JSON.read_text(encoding="utf-8"))
    for lang in TRANSLATED:
        made = {m.id: m.string for m in catalogue(spec, lang) if m.id}
        committed = {m.id: m.string for m in read_po(po_path(lang, i18n.MEETING_TYPES_DOMAIN).open("rb")) if m.id}
        assert made == committed


# --- formats -------------------------------------------------------------------------------------


def test_numbers_distances_and_dates_follow_the_locale():
    assert i18n.format_number(1234.5, "es", decimals=1) == "1,234.5"  # Latin American, not Spain's 1234,5
    assert i18n.format_distance(8.0467, "mi", "es") == "5.0\u00a0mi"
    assert i18n.format_distance(12.4, "km", "en") == "12\u00a0km"
    assert i18n.format_distance(0.25, "km", "es") == "0.2\u00a0km"
    assert i18n.format_date(date(2026, 12, 1), "es") == "1 de diciembre de 2026"
    assert i18n.format_date(date(2026, 12, 1), "en") == "December 1, 2026"
    assert i18n.format_date(date(2026, 12, 1), "xx") == "December 1, 2026"


def test_the_core_module_never_imports_streamlit():
    source = (REPO / "helpmap" / "i18n.py").read_text(encoding="utf-8")
    assert "import streamlit" not in source and "from streamlit" not in source
