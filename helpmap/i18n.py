"""Languages: which ones HelpMap has, which one a visitor gets, their words and their formats.

Standard gettext, through Babel (the maintained library for catalogues, plural forms and CLDR
locale data), so any language can follow Spanish without touching code:

- Catalogues live in one tree, locales/<lang>/LC_MESSAGES/<domain>.po, compiled to .mo beside
  them. The .mo files are committed (tests/test_i18n.py fails when one is older than its .po), so
  a checkout, a pip install and a container run translated with no build step. `make translations`
  re-extracts, updates and compiles; docs/translating.md gives the commands.
- Domain "helpmap": the interface's own strings, marked in code with gettext/ngettext.
- Domain "meeting_types": Meeting Guide type names, generated from the spec's types.json
  (code4recovery/spec, MIT) by tools/meeting_type_catalogue.py. The msgid is the English name
  the importer writes, so the importer's output never changes.

Language choice (`negotiate`): an explicit `?lang=` value, else the site's `language` setting,
else the browser's Accept-Language header, else English. Anything we do not have is ignored, so a
link with `?lang=xx` shows the site's default rather than failing.

This module never imports streamlit: the UI passes in what it read from the request.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "helpmap"
MEETING_TYPES_DOMAIN = "meeting_types"
DEFAULT_LANGUAGE = "en"
# Language code -> its own name, as a switch shows it. Grows as translations land.
LANGUAGES = {"en": "English", "es": "Español"}
# Babel locale for formatting: neutral Latin American Spanish follows the Latin American CLDR
# conventions (decimal point, as in Mexico and the US), not Spain's decimal comma.
FORMAT_LOCALES = {"en": "en_US", "es": "es_419"}


def normalise(value: object) -> str | None:
    """A language code we have for a tag such as 'es', 'ES', 'es-MX' or 'es_419'; else None."""
    if not isinstance(value, str):
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def accept_language(header: str | None) -> list[str]:
    """The languages a browser's Accept-Language header asks for, best first (q=0 means "not")."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(explicit: object = None, site: object = None, header: str | None = None) -> str:
    """The language to show: `?lang=` > the site's `language` > Accept-Language > English."""
    for candidate in (explicit, site):
        if found := normalise(candidate):
            return found
    for tag in accept_language(header):
        if found := normalise(tag):
            return found
    return DEFAULT_LANGUAGE


# --- words -----------------------------------------------------------------------------------


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined (a table of labels); translate it where it
    is shown, with the reader's translator."""
    return message


class Text(str):
    """A sentence the core writes before it knows who will read it (a geocoder's answer or error
    is the same for every visitor, and cached): its value is the English, exactly as written, so
    the command line, JSON output and every English page are unchanged; `in_language(lang)` says
    it in another language from the msgids and named parameters it carries.

    `Text(N_("Latitude {value} is outside -90 to 90."), value="91")`. Parameters are data (or
    Text themselves) and never a format string. `joined` strings several together with spaces.
    This is how core errors and notices that a visitor reads travel to the UI (docs/translating.md):
    the UI shows `localize(error.message, lang)`.
    """

    parts: tuple[tuple[str | None, tuple[tuple[str, object], ...]], ...]  # (msgid or None for literal, params)

    def __new__(cls, msgid: str, **params: object) -> Text:
        return cls._of(((msgid, tuple(params.items())),))

    @classmethod
    def _of(cls, parts) -> Text:
        made = str.__new__(cls, _say(parts, DEFAULT_LANGUAGE))
        made.parts = tuple(parts)
        return made

    @classmethod
    def joined(cls, *texts: object, unique: bool = False) -> Text | None:
        """The non-empty texts joined by spaces (a plain str stays as written in every language);
        None when there are none. `unique` drops a repeated sentence."""
        parts, seen = [], set()
        for text in texts:
            if not text or (unique and str(text) in seen):
                continue
            seen.add(str(text))
            parts.extend(text.parts if isinstance(text, Text) else [(None, (("", str(text)),))])
        return cls._of(parts) if parts else None

    def in_language(self, lang: object) -> str:
        return _say(self.parts, lang)

    def __reduce__(self):  # pickles (and copies) with its parts, not only its English
        return (Text._of, (self.parts,))


def _say(parts, lang: object) -> str:
    code = normalise(lang) or DEFAULT_LANGUAGE
    tr = translator(code)
    said = []
    for msgid, params in parts:
        if msgid is None:  # a literal: someone's own words, or text that is not ours to translate
            said.append(str(params[0][1]))
            continue
        values = {name: localize(value, code) for name, value in params}
        said.append((msgid if code == DEFAULT_LANGUAGE else tr.gettext(msgid)).format(**values))
    return " ".join(said)


def localize(text: object, lang: object) -> object:
    """A Text in `lang`; anything else as it is (None stays None)."""
    return text.in_language(lang) if isinstance(text, Text) else text


@dataclass(frozen=True)
class Translator:
    """One language's gettext functions; a string with no translation comes back in English."""

    lang: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    pgettext: Callable[[str, str], str]


@lru_cache(maxsize=None)
def _catalogue(lang: str, domain: str) -> gettext.NullTranslations:
    # Translations.load returns NullTranslations (English as written) when there is no .mo file.
    return Translations.load(str(LOCALES_DIR), [lang], domain)


def translator(lang: object, domain: str = DOMAIN) -> Translator:
    return _translator(normalise(lang) or DEFAULT_LANGUAGE, domain)


@lru_cache(maxsize=None)
def _translator(code: str, domain: str) -> Translator:
    catalogue = _catalogue(code, domain)
    return Translator(code, catalogue.gettext, catalogue.ngettext, catalogue.pgettext)


def meeting_type_name(code: str, lang: object) -> str:
    """A Meeting Guide type's name ('O' -> 'Open', or 'Abierta' in Spanish); the code itself when
    the spec does not know it."""
    from helpmap.importers.meeting_guide import TYPE_NAMES  # pandas: loaded only when asked

    english = TYPE_NAMES.get(code)
    if english is None:
        return code
    return translator(lang, MEETING_TYPES_DOMAIN).gettext(english)


# --- formats ---------------------------------------------------------------------------------


def babel_locale(lang: object) -> Locale:
    return _locale(normalise(lang) or DEFAULT_LANGUAGE)


@lru_cache(maxsize=None)
def _locale(code: str) -> Locale:  # parsed once per language: cards ask for it many times a page
    return Locale.parse(FORMAT_LOCALES[code])


def format_number(value: float, lang: object, decimals: int = 0) -> str:
    """1234.5 -> '1,234.5' (and the same in Latin American Spanish; Spain's '1234,5' is not ours)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def format_distance(km: float, unit: str, lang: object) -> str:
    """A distance in the reader's unit: '3.2 mi', '12 km'; one decimal under 10, whole above."""
    from helpmap.schema import KM_PER_MILE

    amount = km / KM_PER_MILE if unit == "mi" else km
    text = format_number(amount, lang, decimals=1 if amount < 10 else 0)
    return f"{text}\u00a0{'mi' if unit == 'mi' else 'km'}"


def format_date(value: date | datetime, lang: object, style: str = "long") -> str:
    """'December 1, 2026' / '1 de diciembre de 2026'."""
    return _babel_date(value, format=style, locale=babel_locale(lang))
