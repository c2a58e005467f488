"""National help lines: load the verified list, pick a country's lines, make tap-to-call links.

The list lives in data/helplines.csv (one row per service per country). A wrong number can
hurt someone, so nothing here ever makes a number up: every number shown comes from the file,
and `problems()` checks it. Each row has a status:

- VERIFIED: the number was seen on the service's own page or an official (government, NHS, HSE)
  page, which the row cites. Shown to everyone.
- CHECK_LIVE: the number comes from secondary listings and still needs a check on the service's
  own page. Shown only where a site opts in (`[helplines] show_unchecked = true`), and labelled.

Columns: country (ISO 3166 alpha-2, GB for the UK; EU for lines that work in every EU member
state), area (the part of the country a line covers, e.g. "Wales"; empty for all of it),
service, purpose (emergency | poisons | crisis_support | drug_information | family_support),
phone, text (what to text and where, e.g. "988" or "CONNECT to 686868"), chat_url, hours,
description, source ("Title — URL", several joined by " ; "), last_checked (YYYY-MM-DD), status.

Optional translation columns: `service_<lang>`, `text_<lang>`, `hours_<lang>`,
`description_<lang>` and `area_<lang>` (e.g. description_es, area_es "Gales"; a service_<lang>
only where the name is a description, not a proper name; a text_<lang> must text the same number) for a
language HelpMap has (helpmap.i18n.LANGUAGES); `HelpLine.in_language(lang)` gives the row with them,
falling back to English where a row has none. A translation must keep every number of the English
text (phone numbers, times): `problems()` checks that. A translation says only what the English row
and its cited source say; a language option of a line (such as a Spanish menu choice) goes in only
when the row's official source states it.

Crisis lines are for emotional or suicidal crises; drug-information lines give information and
referral. `PURPOSES` holds the words the pages show for each, so the difference is always said.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from helpmap.citations import is_aggregator
from helpmap.i18n import N_

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "helplines.csv"
COLUMNS = ("country", "area", "service", "purpose", "phone", "text", "chat_url", "hours", "description", "source",
           "last_checked", "status")  # fmt: skip
TRANSLATED_COLUMNS = ("service", "text", "hours", "description", "area")  # may have e.g. hours_es beside them
_NUMBERS = re.compile(r"\d+")

# Shown order: an emergency line first, then crisis lines, then information and family lines.
# In English here (N_ marks them for translation); the panel shows them in the reader's language.
PURPOSES = {
    "emergency": N_("Emergency and urgent help"),
    "poisons": N_("Poison advice: if someone may have taken too much"),
    "crisis_support": N_("Crisis line: emotional support, including thoughts of suicide"),
    "drug_information": N_("Drug information and help finding treatment"),
    "family_support": N_("Support for families and friends"),
}
SHORT_PURPOSES = {
    "emergency": N_("emergency"),
    "poisons": N_("poison advice"),
    "crisis_support": N_("crisis support"),
    "drug_information": N_("drug information"),
    "family_support": N_("family support"),
}
_RANK = {purpose: rank for rank, purpose in enumerate(PURPOSES)}
STATUSES = ("VERIFIED", "CHECK_LIVE")

# 112 works in every EU member state (alongside national numbers), so EU rows apply to these.
EU_MEMBERS = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
ALIASES = {"UK": "GB", "EL": "GR"}

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DIALLABLE = re.compile(r"^\+?\d+$")
_SEPARATORS = re.compile(r"[\s\-.\u00a0]")
_WEB_URL = re.compile(r"^https://[^\s<>\"'()\[\]]+$")


@dataclass(frozen=True)
class HelpLine:
    country: str
    service: str
    purpose: str
    phone: str = ""
    area: str = ""
    text: str = ""
    chat_url: str = ""
    hours: str = ""
    description: str = ""
    source: str = ""
    last_checked: date | None = None
    status: str = ""
    # (column, text) pairs from the optional translation columns, e.g. ("description_es", "...").
    translations: tuple[tuple[str, str], ...] = ()

    def in_language(self, lang: str) -> HelpLine:
        """This line with its name, hours and description in `lang` where the file has them."""
        texts = dict(self.translations)
        changes = {column: texts[f"{column}_{lang}"] for column in TRANSLATED_COLUMNS if texts.get(f"{column}_{lang}")}
        return replace(self, **changes) if changes else self

    @property
    def verified(self) -> bool:
        return self.status == "VERIFIED"

    @property
    def source_urls(self) -> list[str]:
        return [part.split(" — ")[-1].strip() for part in self.source.split(" ; ") if " — " in part]

    @property
    def tel(self) -> str | None:
        return tel_href(self.phone) if self.phone else None

    @property
    def sms(self) -> str | None:
        return sms_href(self.text) if self.text else None

    @property
    def source_titles(self) -> list[str]:
        return [part.split(" — ")[0].strip() for part in self.source.split(" ; ") if part.strip()]


def normalise_country(code: str | None) -> str:
    code = (code or "").strip().upper()
    return ALIASES.get(code, code)


def tel_href(phone: str) -> str | None:
    """'0300 123 6600' -> 'tel:03001236600'; '+44 116-123' -> 'tel:+44116123'.

    Spaces, dashes and dots are dropped and a leading + is kept. Anything else (letters, brackets
    such as "+44 (0)20", a + in the middle, no digits) gives None: better no link than a link that
    dials a wrong number.
    """
    number = _SEPARATORS.sub("", phone or "")
    if not _DIALLABLE.match(number):
        return None
    return f"tel:{number}"


def sms_href(text: str) -> str | None:
    """The sms: link for a text instruction: '988' -> 'sms:988'; 'CONNECT to 686868' -> 'sms:686868'.

    The number is the last run of digits (after "to" when there is one); the words to send stay in
    the label the person reads.
    """
    target = (text or "").rsplit(" to ", 1)[-1]
    runs = re.findall(r"\+?\d[\d \-]*\d|\d", target)
    if not runs:
        return None
    number = tel_href(runs[-1])
    return "sms:" + number.removeprefix("tel:") if number else None


def parse_rows(rows: list[dict[str, str]]) -> list[HelpLine]:
    lines = []
    for row in rows:
        values = {column: " ".join((row.get(column) or "").split()) for column in COLUMNS}
        translations = tuple(
            (column, " ".join(text.split()))
            for column, text in row.items()
            if column and _is_translation_column(column) and text and text.strip()
        )
        try:
            checked = date.fromisoformat(values["last_checked"]) if values["last_checked"] else None
        except ValueError:
            checked = None
        lines.append(
            HelpLine(
                country=normalise_country(values["country"]),
                service=values["service"],
                purpose=values["purpose"],
                phone=values["phone"],
                area=values["area"],
                text=values["text"],
                chat_url=values["chat_url"],
                hours=values["hours"],
                description=values["description"],
                source=values["source"],
                last_checked=checked,
                status=values["status"].upper(),
                translations=translations,
            )
        )
    return lines


def _is_translation_column(column: str) -> bool:
    from helpmap.i18n import LANGUAGES

    base, _, lang = column.rpartition("_")
    return base in TRANSLATED_COLUMNS and lang in LANGUAGES and lang != "en"


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> tuple[HelpLine, ...]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return tuple(parse_rows(list(csv.DictReader(handle))))


def load(path: str | Path | None = None) -> list[HelpLine]:
    """Every line in the file (cached until the file changes). A missing file gives []."""
    path = Path(path or DEFAULT_PATH)
    if not path.is_file():
        return []
    return list(_load_cached(str(path), path.stat().st_mtime))


def _ordered(lines: list[HelpLine]) -> list[HelpLine]:
    """Emergency first, then crisis, information and family lines; file order within each."""
    return sorted(lines, key=lambda line: _RANK.get(line.purpose, len(_RANK)))


def lines_for(code: str | None, lines: list[HelpLine], include_unchecked: bool = False) -> list[HelpLine]:
    """Exactly this country's lines (plus EU-wide ones for EU members), in shown order: verified
    lines only, unless the site opted in to CHECK_LIVE ones too."""
    code = normalise_country(code)
    if not code:
        return []

    def shown(line: HelpLine) -> bool:
        return line.verified or (include_unchecked and line.status == "CHECK_LIVE")

    chosen = [line for line in lines if line.country == code and shown(line)]
    if code in EU_MEMBERS:
        have = {(line.purpose, tel_href(line.phone)) for line in chosen}
        chosen += [
            line
            for line in lines
            if line.country == "EU" and shown(line) and (line.purpose, tel_href(line.phone)) not in have
        ]
    return _ordered(chosen)


def resolve(
    code: str | None,
    default_country: str = "US",
    path: str | Path | None = None,
    include_unchecked: bool = False,
) -> tuple[str, list[HelpLine]]:
    """(the country whose lines are given, its lines): the reader's country when we have lines
    for it, otherwise the site's default country."""
    lines = load(path)
    code = normalise_country(code)
    chosen = lines_for(code, lines, include_unchecked)
    if chosen:
        return code, chosen
    default = normalise_country(default_country)
    return default, lines_for(default, lines, include_unchecked)


def for_country(
    code: str | None,
    default_country: str = "US",
    path: str | Path | None = None,
    include_unchecked: bool = False,
) -> list[HelpLine]:
    """That country's verified lines, emergency lines first. With no code, or a country we have no
    lines for, the default country's lines."""
    return resolve(code, default_country, path, include_unchecked)[1]


def problems(lines: list[HelpLine]) -> list[str]:
    """Everything wrong with a help-line list, as sentences (empty when it can ship)."""
    found = []
    for number, line in enumerate(lines, start=2):  # row 1 is the header
        where = f"row {number} ({line.service or 'no service name'}, {line.country or 'no country'})"
        if line.status not in STATUSES:
            found.append(f"{where}: status is '{line.status}', it must be VERIFIED or CHECK_LIVE")
        if not (_COUNTRY.match(line.country)):
            found.append(f"{where}: country must be a two-letter code such as GB or US")
        if not line.service:
            found.append(f"{where}: service name is empty")
        if line.purpose not in PURPOSES:
            found.append(f"{where}: purpose '{line.purpose}' is not one of {', '.join(PURPOSES)}")
        if not (line.phone or line.text or line.chat_url):
            found.append(f"{where}: no phone, text or chat contact")
        if line.phone and not tel_href(line.phone):
            found.append(
                f"{where}: phone '{line.phone}' cannot be dialled (digits, spaces, dashes, a leading + only)"
            )
        if line.text and not sms_href(line.text):
            found.append(f"{where}: text '{line.text}' has no number to text")
        if line.chat_url and not _WEB_URL.match(line.chat_url):
            found.append(f"{where}: chat_url must be an https address")
        if not line.description:
            found.append(f"{where}: description is empty")
        if " — http" not in line.source:
            found.append(f"{where}: source must be 'Title — URL'")
        for url in line.source_urls:
            if is_aggregator(url):
                found.append(f"{where}: source {url} is a copy or aggregator; cite the service's own page")
        if line.last_checked is None:
            found.append(f"{where}: last_checked must be a date (YYYY-MM-DD)")
        for column, text in line.translations:
            english = getattr(line, column.rpartition("_")[0])
            if sorted(_NUMBERS.findall(text)) != sorted(_NUMBERS.findall(english)):
                found.append(f"{where}: {column} must keep the numbers of the English text exactly")
            if column.startswith("text_") and sms_href(text) != sms_href(line.text):
                found.append(f"{where}: {column} must text the same number as the text column")
    return found
