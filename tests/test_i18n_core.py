"""The core's words in Spanish: result cards, statuses, the map's marker text, the referral sheet,
its CSV and its calendar file, built from real rows (a SAMHSA facility and Meeting Guide meetings
from ../shared/data/real-feeds, through the real importers). No English label is left, hostile
data is still escaped, the CSV is still formula-safe and the calendar still parses. English output
is held by the other tests, unchanged."""

from __future__ import annotations

import contextlib
import dataclasses
import csv
import io
import re
import subprocess
import sys
import tokenize
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from babel.messages.pofile import read_po
from dateutil.rrule import rrulestr
from dateutil.tz import tzical

from helpmap import i18n, ics, labels, presentation, referral, referral_facts, referral_sheet, schedule
from helpmap.directory import load
from helpmap.helplines import HelpLine
from helpmap.presentation import Display, ServiceView
from helpmap.schedule import Viewer
from tests import test_presentation, test_referral, test_template_injection
from tests.shared_paths import REPO, SAMHSA_WA, meeting_guide_feed

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)  # a Tuesday, 10:00 in New York
SPANISH = Display(units="mi", lang="es", now=NOW, viewer=Viewer.for_place("America/Chicago", "US"),
                  report_problem_url="mailto:fix@example.org")  # fmt: skip


def imported(tmp_path_factory, fmt: str, path) -> pd.DataFrame:
    """A real file through the importer's command and the directory loader, as a site loads it."""
    from helpmap.cli import main

    out = tmp_path_factory.mktemp(fmt) / "out.csv"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["import", fmt, str(path), "-o", str(out)]) in (0, 1)
    return load(out, geocoder=None).frame


@pytest.fixture(scope="module")
def samhsa(tmp_path_factory) -> pd.DataFrame:
    return imported(tmp_path_factory, "samhsa", SAMHSA_WA)


@pytest.fixture(scope="module")
def meetings(tmp_path_factory) -> pd.DataFrame:
    return imported(tmp_path_factory, "meeting-guide", meeting_guide_feed("aasepia"))


def one(frame: pd.DataFrame, **where) -> pd.Series:
    chosen = frame
    for column, value in where.items():
        chosen = chosen[chosen[column].str.contains(value, regex=False)]
    assert len(chosen), where
    return chosen.iloc[0]


def view_of(row: pd.Series, distance_km: float = 4.2) -> ServiceView:
    return ServiceView.from_row({**row.to_dict(), "distance_km": distance_km})


class Page(HTMLParser):
    """Text a person reads (text nodes and aria-labels), the labels in <b>, tags and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.bold: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self._in_bold = self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)
        self.texts.extend(value for name, value in attrs if name == "aria-label" and value)
        self._in_bold = tag == "b"
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_bold = self._in_style = False

    def handle_data(self, data):
        if self._in_style:  # the sheet's CSS is not read by a person
            return
        self.texts.append(data)
        if self._in_bold:
            self.bold.append(data)


def page(block: str) -> Page:
    parsed = Page()
    parsed.feed(block)
    return parsed


def core_msgids(*modules: str) -> list[str]:
    """The English msgids marked in these core modules (from the committed template), whose
    Spanish differs from the English (Medicaid and LGBTQ+ are the same in both)."""
    spanish = {m.id: m.string for m in read_po((i18n.LOCALES_DIR / "es" / "LC_MESSAGES" / "helpmap.po").open("rb"))}
    found = []
    for message in read_po((i18n.LOCALES_DIR / "helpmap.pot").open("rb")):
        if not message.id or isinstance(message.id, tuple):
            continue
        if any(path in (f"helpmap/{m}.py" for m in modules) for path, _ in message.locations):
            if spanish.get(message.id) and spanish[message.id] != message.id:
                found.append(message.id)
    return found


def english_left(text: str, msgids: list[str]) -> list[str]:
    """The msgids whose English words still appear in `text` (placeholders match anything)."""
    left = []
    for msgid in msgids:
        pieces = [p for p in re.split(r"\{\w+\}", msgid) if p.strip()]
        pattern = r".*?".join(
            (r"\b" if re.match(r"\w", p.strip()) else "") + re.escape(p.strip()) + (r"\b" if re.search(r"\w$", p.strip()) else "")
            for p in pieces
        )  # fmt: skip
        if pieces and re.search(pattern, text):
            left.append(msgid)
    return left


def without_data(texts: list[str], view: ServiceView) -> str:
    """The page's words with the listing's own text taken out (a name or an address is data,
    not a label, and may be English)."""
    text = " | ".join(texts)
    # the description is the source's text, with only the importers' labels translated (tested below)
    if view.description:
        text = text.replace(presentation.plain(labels.description_text(view.description, "es")), " ")
    data = [str(v) for v in vars(view).values() if isinstance(v, str) and len(v) > 1]
    data.append(view.website.split("://", 1)[-1].rstrip("/")[:60])  # the card's short link text
    data = sorted((d for d in data if len(d) > 1), key=len, reverse=True)
    for value in data:
        text = text.replace(presentation.plain(value), " ")
    return text


CARD_MSGIDS = None


def card_msgids() -> list[str]:
    global CARD_MSGIDS
    if CARD_MSGIDS is None:
        CARD_MSGIDS = core_msgids("presentation", "schedule", "labels")
    return CARD_MSGIDS


# --- result cards ----------------------------------------------------------------------------


def test_the_english_label_check_finds_english():
    """The check the Spanish tests rely on finds the labels of an English card (so an empty
    result on a Spanish card means something)."""
    view = ServiceView.from_row(test_presentation.row(phone="555-1234", hours="Mo-Fr 09:00-17:00",
                                                      timezone="America/New_York", cost="free", walk_in="yes"))  # fmt: skip
    left = english_left(without_data(page(presentation.card_html(view, 1, Display(now=NOW))).texts, view), card_msgids())
    assert {"Phone", "Cost", "Free", "Walk-in welcome", "Show on map", "{distance} away"} <= set(left), left


def test_a_real_samhsa_facility_card_is_in_spanish(samhsa):
    row = one(samhsa, description="Intake:")
    view = view_of(row)
    block = presentation.card_html(view, 3, SPANISH)
    seen = page(block)
    words = " ".join(seen.texts)
    assert "Tratamiento" in words and "a 2.6 mi" in words
    assert {"Dónde", "Cuándo", "Teléfono", "Línea de admisión"} <= set(b.rstrip(":") for b in seen.bold), seen.bold
    assert "Llamar al " + view.phone in words and "Cómo llegar" in words and "Ver en el mapa" in words
    assert "Informar un problema" in words and "Última verificación:" in words
    assert "Admisión:" in words  # the importer's "Intake:" label in the description
    assert f"Llamar a {view.name}" in words  # the aria-label
    assert english_left(without_data(seen.texts, view), card_msgids()) == []


def test_a_real_spanish_language_meeting_card_has_spanish_types_status_and_labels(meetings):
    row = one(meetings, name="Nuevo Camino", languages="Spanish")
    view = view_of(row)
    block = presentation.card_html(view, 1, SPANISH)
    seen = page(block)
    words = " ".join(seen.texts)
    assert "Grupo de apoyo" in words
    # Meeting type names and the language from types.json's Spanish (the meeting_types catalogue)
    for code in ("O", "S"):
        assert i18n.meeting_type_name(code, "es") in words
    assert "Tipo de reunión: Abierta, Español." in words
    assert re.search(r"\bIdiomas:\s*Español\b", words), words
    # Sunday 10:00 in Philadelphia, seen from Chicago on a 12-hour clock, Spanish CLDR times and days
    assert "Próxima reunión: domingo, 9:00 a.m. según su hora (10:00 a.m. en New York)" in words
    assert "Apoyo entre pares" in words  # services
    assert english_left(without_data(seen.texts, view), card_msgids()) == []


def test_every_real_meeting_card_and_status_leaves_no_english_label(meetings):
    """A thousand real meetings (online, hybrid, area-only, all days), Spanish and English viewers."""
    views = [view_of(r) for _, r in meetings.head(1000).iterrows()]
    for display in (SPANISH, Display(lang="es", now=NOW, viewer=Viewer.for_place("Europe/Madrid", "ES"))):
        for view in views:
            seen = page(presentation.card_html(view, 1, display))
            left = english_left(without_data(seen.texts, view), card_msgids())
            assert left == [], (view.id, left)


def test_spanish_statuses_on_each_clock():
    london = test_presentation.DAILY_LONDON
    assert schedule.viewer_status_text(london, test_presentation.NOW, Viewer.for_place("America/New_York", "US"), "es") \
        == "Próxima reunión: martes, 3:00 p.m. según su hora (8:00 p.m. en London)"  # fmt: skip
    assert schedule.viewer_status_text(london, test_presentation.NOW, Viewer.for_place("Europe/London", "GB"), "es") \
        == "Próxima reunión: martes, 20:00"  # fmt: skip
    clinic = {"day": "", "time": "", "end_time": "", "timezone": "America/New_York", "hours": "Mo-Fr 09:00-17:00"}
    afternoon = datetime(2026, 12, 1, 18, 0, tzinfo=timezone.utc)
    assert schedule.viewer_status_text(clinic, afternoon, Viewer.for_place("America/Los_Angeles", "US"), "es") == \
        "Abierto ahora, hasta las 2:00 p.m. según su hora (5:00 p.m. en New York)"  # fmt: skip
    assert schedule.viewer_status_text(clinic, test_presentation.NOW, Viewer.for_place("America/New_York", "US"), "es") \
        == "Cerrado ahora; abre el martes a las 9:00 a.m."  # fmt: skip
    unknown = {"day": "", "time": "", "end_time": "", "timezone": "", "hours": "Mo-Fr 9am to 5"}
    assert schedule.viewer_status_text(unknown, NOW, Viewer(), "es") == "Horario: Mo-Fr 9am to 5 (llame para confirmarlo)"
    no_zone = {"day": "1;3", "time": "19:00", "end_time": "", "timezone": "", "hours": ""}
    assert schedule.viewer_status_text(no_zone, NOW, Viewer(twelve_hour=True), "es") == \
        "Se reúne: lunes y miércoles, 7:00 p.m. (hora local)"  # fmt: skip
    # the English sentence of the same status is unchanged (the command line's `status` column)
    assert schedule.status_for(no_zone, NOW).text == "Meets Mon, Wed 19:00 (local time)"


def test_distances_dates_and_the_marker_follow_the_language():
    view = ServiceView.from_row(test_presentation.row(distance_km=12.0, last_verified="2026-03-03"))
    assert presentation.format_distance(12.0, "km", "es") == "a 12.0 km"
    assert presentation.format_distance(12.0, "km") == "12.0 km away"
    marker = presentation.marker(view, 1, Display(units="mi", lang="es"))
    assert marker[5] == "a 7.5 mi"
    assert presentation.verified_text("2026-03-03", 365, NOW.date(), "es") == ("Última verificación: 3 mar 2026", False)


@pytest.mark.parametrize("payload", test_presentation.HOSTILE)
def test_hostile_data_is_still_escaped_in_spanish_cards(payload):
    view = ServiceView.from_row(test_presentation.row(
        name=payload, organization=payload, description="Location: " + payload + ". Meeting type: Open, " + payload + ".",
        address=payload, city=payload, phone=payload, website="javascript:alert(3)", languages=payload + ";Spanish",
        services=payload, online_url='https://ok.example/"onmouseover=x', online_phone=payload, approximate="no"))  # fmt: skip
    display = Display(now=NOW, lang="es", report_problem_url="mailto:x@example.org")
    for block in (presentation.cards_html([view], display), presentation.client_sheet_html([view], display)):
        found = page(block)
        assert set(found.tags) <= {"div", "article", "h4", "h3", "span", "p", "ul", "li", "b", "a", "button"}
        assert not [name for name, _ in found.attributes if name.startswith("on")]
        assert "<script>" not in block and "javascript:" not in block
    assert "Lugar: " in presentation.card_html(view, 1, display)  # the label is translated, the data escaped


@pytest.mark.parametrize("payload", test_template_injection.JINJA_PAYLOADS)
def test_template_payloads_are_exact_text_in_spanish_cards_and_markers(payload):
    views = test_template_injection.views_with(payload)
    display = Display(lang="es", now=NOW)
    block = presentation.cards_html(views, display)
    assert "X49Y" not in block
    assert presentation.esc(payload) in block
    markers = [presentation.marker(v, n, display) for n, v in enumerate(views, 1)]
    assert markers[0][4] == payload.strip() and not any("X49Y" in str(m) for m in markers)


def test_only_the_importers_own_labels_in_a_description_are_translated():
    text = "Notes: bring ID. Location: St Mark's hall. Meeting type: Open, Big Book. Area: Leeds."
    spanish = labels.description_text(text, "es")
    assert spanish == "Notes: bring ID. Lugar: St Mark's hall. Tipo de reunión: Abierta, Libro Grande. Zona: Leeds."
    # names in a "Meeting type:" sentence that is not the importer's list of known types stay as written
    assert labels.description_text("Meeting type: Open, Mystery.", "es") == "Tipo de reunión: Open, Mystery."
    assert labels.description_text(text, "en") == text


# --- the referral sheet, its CSV and its calendar -------------------------------------------------


@pytest.fixture
def spanish_referral(samhsa, meetings) -> referral_facts.Referral:
    rows = pd.concat([
        samhsa[samhsa["description"].str.contains("Intake:")].head(1),
        meetings[meetings["name"] == "Nuevo Camino"].head(1),
        meetings[meetings["attendance"] == "online"].head(1),
        meetings[meetings["attendance"] == "hybrid"].head(1),
    ], ignore_index=True)  # fmt: skip
    line = HelpLine("US", "SAMHSA National Helpline", "drug_information", phone="1-800-662-4357",
                    hours="24 hours", translations=(("hours_es", "Las 24 horas"),))  # fmt: skip
    return referral_facts.Referral(rows=rows, made=NOW, notes={str(rows.iloc[0]["id"]): "Pregunte por Ana"},
                                   client_note="Hola", helplines={"US": [line]}, lang="es")  # fmt: skip


def test_the_spanish_sheet_has_lang_es_and_spanish_headings(spanish_referral):
    sheet = referral_sheet.sheet_html(spanish_referral)
    assert sheet.startswith('<!DOCTYPE html>\n<html lang="es">')
    for words in ("HelpMap: servicios para usted", "<h2>Servicios</h2>", "<h2>Una nota para usted</h2>",
                  "<h2>Líneas de ayuda</h2>", "Hecho el 1 de diciembre de 2026.", "Llame antes de ir",
                  "Teléfono:", "Cuándo:", "Cada domingo, 10:00–11:00", "Próxima reunión:",
                  "domingo 6 de diciembre de 2026, 10:00", "Cómo llegar:", "Idiomas:</span> Español",
                  "Información sobre drogas y ayuda para encontrar tratamiento", "Las 24 horas", "llame al ",
                  '"Página " counter(page) " de " counter(pages)', "Nota:</span> Pregunte por Ana"):  # fmt: skip
        assert words in sheet, words
    msgids = core_msgids("referral_sheet", "referral_facts")
    text = " ".join(page(sheet).texts)
    assert english_left(text.replace("SAMHSA National Helpline", " "), msgids) == []
    english = " ".join(page(referral_sheet.sheet_html(dataclasses.replace(spanish_referral, lang="en"))).texts)
    assert {"Services", "Where:", "Every {days}, {time}", "Listing last checked:"} <= set(english_left(english, msgids))
    assert referral_sheet.sheet_html(spanish_referral, standalone=False).count("Servicios") >= 1


def test_hostile_data_is_still_escaped_on_the_spanish_sheet():
    ref = referral_facts.Referral(test_referral.rows_from([test_referral.HOSTILE]), made=NOW, lang="es",
                                  notes={"evil": "</article><script>alert(6)</script>"}, title="<b>Site</b>")  # fmt: skip
    for sheet in (referral_sheet.sheet_html(ref), referral_sheet.sheet_html(ref, standalone=False)):
        found = page(sheet)
        assert not {"script", "img", "svg", "b"} & set(found.tags)
        assert not [name for name, _ in found.attributes if name.startswith("on")]
        assert "&lt;b&gt;Site&lt;/b&gt;: servicios para usted" in sheet


def test_the_spanish_csv_has_spanish_headers_and_stays_formula_safe(spanish_referral):
    rows = list(csv.reader(io.StringIO(referral.csv_bytes(spanish_referral).decode("utf-8-sig"))))
    assert rows[0][:6] == ["número", "nombre", "tipo", "organización", "dónde", "solo la zona"]
    assert rows[0][-3:] == ["última verificación", "nota", "id"]
    assert rows[1][2] == "Tratamiento" and rows[2][2] == "Grupo de apoyo"
    assert rows[1][5] in ("sí", "no") and "Cuándo:" in rows[2][8]
    hostile = referral_facts.Referral(test_referral.rows_from([{
        "id": "=1+1", "name": '=HYPERLINK("http://evil")', "kind": "treatment", "organization": "+cmd",
        "city": "@SUM(1)", "hours": "-2+3"}]), made=NOW, notes={"=1+1": "=evil()"}, lang="es")  # fmt: skip
    written = list(csv.reader(io.StringIO(referral.csv_bytes(hostile).decode("utf-8-sig"))))
    for line in written:
        for cell in line:
            assert not cell.startswith(referral.FORMULA_STARTS), cell
    assert written[1][1] == '\'=HYPERLINK("http://evil")'


def test_the_spanish_calendar_is_spanish_and_still_valid(spanish_referral):
    text = ics.ics_text(spanish_referral)
    found = test_referral.events(text)  # unfolds, and checks every line is at most 75 octets
    assert len(found) == 3  # the facility has no weekly meetings
    by_name = {test_referral.unescape(e["SUMMARY"]): e for e in found}
    nuevo = by_name["Nuevo Camino"]
    description = test_referral.unescape(nuevo["DESCRIPTION"])
    assert description.startswith("Grupo de apoyo") and "Llame antes de ir" in description
    assert any(test_referral.unescape(e.get("LOCATION", "")) == "En línea" for e in found)
    assert any("Unirse en línea: https://" in test_referral.unescape(e["DESCRIPTION"]) for e in found)
    assert "Please call" not in text and "Join online" not in text
    # Structure as in English: each event's time zone is in the file and the rule gives Sundays at 10:00
    zones = tzical(io.StringIO(text))
    zone = zones.get("America/New_York")
    start = datetime.strptime(nuevo["DTSTART;TZID=America/New_York"], "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    dates = list(rrulestr(nuevo["RRULE"], dtstart=start, cache=False).xafter(start - timedelta(seconds=1), count=3))
    assert [d.strftime("%a %H:%M") for d in dates] == ["Sun 10:00"] * 3
    assert start.utcoffset() == start.replace(tzinfo=ZoneInfo("America/New_York")).utcoffset()


def test_unknown_ids_in_spanish_and_the_plural_count():
    assert referral.unknown_message(["x"], "es").startswith("No hay ningún servicio con el identificador 'x'")
    many = referral.unknown_message([str(n) for n in range(13)], "es")
    assert many.endswith("'9' y 3 más.") and many.startswith("Estos identificadores no están")
    assert referral.unknown_message([str(n) for n in range(13)]).endswith("'9' and 3 more.")


def test_the_referral_command_writes_spanish_with_lang_es(tmp_path):
    directory = tmp_path / "directory.csv"
    directory.write_text(test_referral.DIRECTORY, encoding="utf-8")
    for fmt, expected in (("html", '<html lang="es">'), ("csv", "número,nombre"), ("ics", "LOCATION:En línea")):
        out = tmp_path / f"sheet.{fmt}"
        done = subprocess.run([sys.executable, "-m", "helpmap", "referral", "--data", str(directory), "--ids",
                               "clinic,tuesday,online", "--format", fmt, "-o", str(out), "--lang", "es"],
                              cwd=REPO, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert expected in out.read_text(encoding="utf-8-sig"), fmt
    refused = subprocess.run([sys.executable, "-m", "helpmap", "referral", "--data", str(directory), "--ids", "clinic",
                              "--format", "csv", "-o", "-", "--lang", "xx"],
                             cwd=REPO, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert refused.returncode == 2 and "--lang" in refused.stderr


# --- the catalogue sees every marked string ---------------------------------------------------------


def test_no_marked_string_hides_inside_an_f_string():
    """pybabel (Python 3.11's tokenizer) cannot see into f-strings: a `_("...")` there would never
    reach the catalogue and would stay English. Every marked string must be outside them."""
    found = []
    for path in sorted((REPO / "helpmap").rglob("*.py")):
        with path.open("rb") as handle:
            for token in tokenize.tokenize(handle.readline):
                if token.type == tokenize.STRING and re.match(r"(?i)^[rb]*f", token.string):
                    if re.search(r"\b(N_|_|gettext|ngettext|pgettext)\(", token.string):
                        found.append(f"{path.relative_to(REPO)}:{token.start[0]}")
    assert found == []


# --- the geocoder's messages and notices ------------------------------------------------------------
# They are i18n.Text: English as before (a str), and in the reader's language through localize().

from helpmap.geocoding.chain import GeocoderChain  # noqa: E402
from helpmap.geocoding.model import GeocodeError, GeocoderUnavailable, PlaceNotFound  # noqa: E402
from helpmap.geocoding.offline import get_offline_geocoder  # noqa: E402
from helpmap.geocoding.online import OnlineGeocoder  # noqa: E402
from helpmap.i18n import N_, Text, localize  # noqa: E402
from tests.loopback_geocoder import LoopbackGeocoder, unused_port  # noqa: E402


def geocode_error(query: str) -> GeocodeError:
    with pytest.raises(GeocodeError) as caught:
        get_offline_geocoder().geocode(query, home_country="US")
    return caught.value


@pytest.mark.parametrize(("query", "english", "spanish"), [
    ("Texas", "That is a whole region or country.", "Eso es toda una región o un país."),
    ("91, 10", "Latitude 91 is outside -90 to 90. Latitude comes first: were they swapped?",
     "La latitud 91 está fuera del rango de -90 a 90. La latitud va primero: ¿están al revés?"),
    ("VA 10001", "That postcode is in New York, not in the state you typed with it.",
     "Ese código postal está en New York, no en el estado que escribió."),
    ("Qwertyuiopzx", "We could not find that place.", "No encontramos ese lugar."),
    ("", "Type a town, a postcode or coordinates", "Escriba una ciudad, un código postal o unas coordenadas"),
])  # fmt: skip
def test_geocoding_errors_in_english_and_spanish(query, english, spanish):
    error = geocode_error(query)
    assert isinstance(error.message, Text) and error.message.startswith(english)  # English as before
    assert localize(error.message, "es").startswith(spanish)
    assert localize(error.message, "en") == str(error.message)


def test_geocoding_notices_and_the_browser_label_in_spanish():
    geocoder = get_offline_geocoder()
    spelt = geocoder.geocode("Lonodn", home_country="US")
    assert spelt.notice == "We did not find that spelling, so this is the closest name we know."
    assert localize(spelt.notice, "es") == "No encontramos ese nombre tal como está escrito; este es el nombre más parecido que conocemos."
    street = geocoder.geocode("12 High St, Penzance TR18 4AA")
    assert localize(street.notice, "es") == ("Ubicamos la búsqueda en el código postal TR18 (Penzance, England), GB, "
                                             "no en la dirección exacta: las distancias se miden desde allí.")  # fmt: skip
    assert street.notice.startswith("We placed the search at postcode TR18 (Penzance, England), GB, not at")
    assert localize(geocoder.browser_place(38.03, -78.48).label, "es") == "Su ubicación"


def test_an_online_failure_falls_back_with_a_spanish_notice_and_advice(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    dead = OnlineGeocoder("nominatim", domain=f"127.0.0.1:{unused_port()}", scheme="http", min_delay_seconds=0)
    chain = GeocoderChain(get_offline_geocoder(), dead)
    fallback = chain.geocode("12 Nowhere Road, Leeds")  # offline knows Leeds: it answers, saying so
    assert localize(fallback.notice, "es").startswith("El buscador de lugares en línea no respondió")
    assert fallback.notice.startswith("The online geocoder did not answer; this is the offline result.")
    with pytest.raises(GeocoderUnavailable) as caught:
        chain.geocode("Qwertyuiopzx Xyzzyplugh")
    spanish = localize(caught.value.message, "es")
    assert spanish.startswith("No se pudo conectar con ") and "HelpMap tampoco encontró ese lugar" in spanish


def test_an_online_service_that_finds_nothing_says_so_in_spanish(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with LoopbackGeocoder() as server:
        server.answer_json([])
        geocoder = OnlineGeocoder("nominatim", domain=server.domain, scheme="http", min_delay_seconds=0)
        with pytest.raises(PlaceNotFound) as caught:
            geocoder.geocode("Atlantis")
    assert localize(caught.value.message, "es").endswith("no encontró nada con ese nombre. Revise cómo está escrito, "
                                                          "o agregue la ciudad o el país.")  # fmt: skip


def test_text_keeps_data_as_data_and_survives_pickling():
    import pickle

    hostile = Text(N_("postcode {place}"), place="{__class__} <b>")  # a brace in data is never a format string
    assert hostile == "postcode {__class__} <b>" and localize(hostile, "es") == "el código postal {__class__} <b>"
    joined = Text.joined(hostile, "as typed", None, hostile, unique=True)
    assert joined == "postcode {__class__} <b> as typed"
    again = pickle.loads(pickle.dumps(joined))
    assert localize(again, "es") == "el código postal {__class__} <b> as typed"


def test_the_samhsa_listings_notice_in_spanish(samhsa):
    from helpmap import provenance

    notice = provenance.listings_notice(samhsa, [], "es")
    assert notice.headline.startswith("Localizador de tratamiento de SAMHSA, 20")
    assert provenance.listings_notice(samhsa, []).headline.startswith("SAMHSA treatment locator, 20")
    assert i18n.translator("es").gettext(provenance.SAMHSA_ATTRIBUTION).startswith("Datos de centros de tratamiento")


def test_every_importers_source_name_is_translatable(samhsa, meetings):
    from helpmap.importers import bmlt, meeting_guide
    from helpmap.importers import samhsa as samhsa_importer

    written = {samhsa_importer.LOCATOR_CSV_SOURCE, samhsa_importer.OTP_SOURCE, samhsa_importer.LOCATOR_JSON_SOURCE,
               meeting_guide.SOURCE, bmlt.SOURCE}  # fmt: skip
    assert set(labels.SOURCE_NAMES) == written
    for frame in (samhsa, meetings):
        block = presentation.card_html(view_of(frame.iloc[0]), 1, SPANISH)
        assert f"<b>Fuente:</b> {presentation.esc(labels.source_name(frame.iloc[0]['source'], 'es'))}<" in block
    assert labels.source_name("meeting-guide feed", "es") != "meeting-guide feed"
    assert labels.source_name("Our own list", "es") == "Our own list"
