"""What a card, a map popup and a client's referral sheet say about a service, in one place.

Pages and the map both build from `ServiceView`, a small typed view of one directory row, and
`Display`, who is looking (units, clock, time zone) and the site's link settings.

Safety: directory rows are hostile input. Every data text goes through `esc()` (html.escape
after removing control and bidi-override characters) before it is put into HTML, and links
only through helpmap.links (tel: from digits, http(s) checked), so the HTML blocks here can be
shown with st.html. Nothing here is ever template source: the map gets plain JSON (`marker`).

Words: every sentence and label is an English msgid (gettext, through helpmap.i18n) filled with
str.format's named placeholders, in `Display.lang`; English ("en", the default) is the text as
written here. Data text is never a format string: it only ever fills a placeholder.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from datetime import date, datetime, timezone

from babel.numbers import format_decimal

from . import i18n, labels, schedule
from .i18n import N_, translator
from .links import plain, safe_web_url, tel_href
from .schema import DEMO_SOURCE, KM_PER_MILE

PAGE_SIZE = 20  # cards per "Show more": small pages keep each rerun light
KIND_INDEX = ("treatment", "support_group", "harm_reduction", "helpline")  # the map's compact kind code
_INTAKE = re.compile(r"\b(Intake|Hotline)(?: line)?:\s*(\+?[\d][\d\s().\-]{5,20}\d)")


def esc(text: object) -> str:
    """Data text made safe for HTML text and attribute values."""
    return html.escape(plain(text), quote=True)


@dataclass(frozen=True)
class ServiceView:
    """The fields of a directory row that people are shown. Built with `from_row`."""

    id: str
    name: str
    kind: str
    organization: str = ""
    description: str = ""
    services: str = ""
    address: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    phone: str = ""
    website: str = ""
    hours: str = ""
    day: str = ""
    time: str = ""
    end_time: str = ""
    timezone: str = ""
    attendance: str = ""
    online_url: str = ""
    online_phone: str = ""
    cost: str = ""
    payment: str = ""
    languages: str = ""
    wheelchair: str = ""
    walk_in: str = ""
    referral_required: str = ""
    approximate: str = ""
    last_verified: str = ""
    source: str = ""
    distance_km: float | None = None

    @classmethod
    def from_row(cls, row) -> ServiceView:
        values = {}
        for spec in fields(cls):
            value = row.get(spec.name) if hasattr(row, "get") else row[spec.name]
            if spec.name in ("latitude", "longitude", "distance_km"):
                values[spec.name] = _number(value)
            else:
                values[spec.name] = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        return cls(**values)

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class Display:
    """Who is looking and the site's link settings."""

    units: str = "km"
    directions_url: str = "https://www.openstreetmap.org/directions?to={lat}%2C{lon}"
    report_problem_url: str = ""
    stale_after_days: int = 365
    viewer: schedule.Viewer = schedule.Viewer()
    now: datetime | None = None
    lang: str = "en"  # the reader's language (helpmap.i18n.LANGUAGES); unknown codes read English

    def moment(self) -> datetime:
        return self.now or datetime.now(timezone.utc)

    @property
    def tr(self) -> i18n.Translator:
        return translator(self.lang)


# --- the words ----------------------------------------------------------------------------


def area_text(row) -> str:
    """The address, or only the town when the listing asks to stay approximate."""
    approximate = row["approximate"] == "yes"
    area = ", ".join(v for v in (row["city"], row["region"], row["postcode"] if not approximate else "") if v)
    if approximate or not row["address"]:
        return area
    return f"{row['address']}, {area}" if area else row["address"]


def format_distance(distance_km, unit: str = "km", lang: str = "en") -> str:
    if distance_km is None or (isinstance(distance_km, float) and math.isnan(distance_km)):
        return ""
    amount = distance_km / KM_PER_MILE if unit == "mi" else distance_km
    if (i18n.normalise(lang) or "en") == "en":
        number = f"{amount:.1f}"  # as ever (Python's rounding; Babel's can differ at .x5)
    else:
        number = format_decimal(amount, format="0.0", locale=i18n.babel_locale(lang))
    distance = f"{number} {'mi' if unit == 'mi' else 'km'}"
    return translator(lang).gettext(N_("{distance} away")).format(distance=distance)


def status_text(view: ServiceView, display: Display) -> str:
    return schedule.viewer_status_text(_schedule_row(view), display.moment(), display.viewer, display.lang)


def _schedule_row(view: ServiceView) -> dict:
    return {k: getattr(view, k) for k in ("day", "time", "end_time", "timezone", "hours")}


def directions_href(view: ServiceView, display: Display) -> str | None:
    if not view.located or view.attendance == "online" or view.approximate == "yes":
        return None  # an area-only listing has no door to give directions to
    return safe_web_url(display.directions_url.format(lat=f"{view.latitude:.5f}", lon=f"{view.longitude:.5f}"))


INTAKE_LABELS = {"Intake": N_("Intake line"), "Hotline": N_("Hotline line")}


def intake_lines(view: ServiceView, lang: str = "en") -> list[tuple[str, str, str]]:
    """Extra numbers the description names ('Intake: 434-972-1800'): (label, number, tel: link)."""
    found = []
    for label, number in _INTAKE.findall(plain(view.description)):
        href = tel_href(number)
        if href and href != tel_href(view.phone):
            found.append((translator(lang).gettext(INTAKE_LABELS[label]), number.strip(), href))
    return found


@lru_cache(maxsize=4096)
def short_date(day: date, lang: str = "en") -> str:
    """'03 Mar 2026' in English as before; CLDR's medium date elsewhere ('3 mar 2026')."""
    return f"{day:%d %b %Y}" if (i18n.normalise(lang) or "en") == "en" else i18n.format_date(day, lang, "medium")


def verified_text(last_verified: str, stale_after_days: int, today: date, lang: str = "en") -> tuple[str, bool]:
    """('Last checked: 03 Mar 2026', is_stale)."""
    _ = translator(lang).gettext
    unknown = _(N_("Last checked: not known. Call before you go."))
    if not last_verified:
        return unknown, True
    try:
        checked = date.fromisoformat(last_verified)
    except ValueError:
        return unknown, True
    if (today - checked).days > stale_after_days:
        stale = _(N_("Last checked: {date}. This listing may be out of date: call before you go."))
        return stale.format(date=short_date(checked, lang)), True
    return _(N_("Last checked: {date}")).format(date=short_date(checked, lang)), False


def _report_href(base: str, view: ServiceView) -> str | None:
    # The subject goes to the site's maintainers, so it stays English (docs/translating.md).
    from urllib.parse import quote

    if not base:
        return None
    if base.startswith("mailto:"):
        subject = quote(f"Problem with listing {view.id}: {plain(view.name)[:80]}")
        return f"{base}{'&' if '?' in base else '?'}subject={subject}"
    url = safe_web_url(base)
    return f"{url}{'&' if '?' in url else '?'}listing={quote(view.id)}" if url else None


# --- HTML blocks --------------------------------------------------------------------------


def _a(label: str, href: str | None, css: str = "", new_tab: bool = False, aria: str = "") -> str:
    """A link from an escaped label and an address already checked by helpmap.links."""
    if not href:
        return label
    extra = ' target="_blank" rel="noopener noreferrer"' if new_tab else ""
    aria_attr = f' aria-label="{aria}"' if aria else ""
    css_attr = f' class="{css}"' if css else ""
    return f'<a{css_attr} href="{html.escape(href, quote=True)}"{extra}{aria_attr}>{label}</a>'


@lru_cache(maxsize=4096)
def _label(lang: str, msgid: str) -> str:
    """A label in `lang`, escaped for HTML. Cached: every card on a page asks for the same words."""
    return esc(translator(lang).gettext(msgid))


def _line(label: str, value_html: str) -> str:
    """A labelled card line; `label` is already translated and escaped (its msgid has no colon:
    the colon and space are layout, the same in every language we have)."""
    return f"<li><b>{label}:</b> {value_html}</li>" if value_html else ""


def languages_text(languages: str, lang: str = "en") -> str:
    """'English;Spanish' -> 'English, Spanish'. Meeting Guide writes language names from its
    types.json, whose own translations (the meeting_types catalogue) give 'Inglés, Español'."""
    names = translator(lang, i18n.MEETING_TYPES_DOMAIN).gettext
    return ", ".join(names(p.strip()) if p.strip() else p for p in languages.split(";"))


def card_html(view: ServiceView, number: int | None, display: Display, show_distance: bool = True) -> str:
    """One result card: heading with its map number, the facts, and large Call / Directions links."""
    kind_word = labels.word(labels.KINDS, view.kind, display.lang)
    badge = f'<span class="hm-num hm-kind-{esc(view.kind)}" aria-hidden="true">{number}</span>' if number else ""
    number_text = f'<span class="hm-sr">{number}. </span>' if number else ""
    facts = [esc(kind_word)]
    if show_distance and view.distance_km is not None:
        facts.append(esc(format_distance(view.distance_km, display.units, display.lang)))
    if view.organization and view.organization != view.name:
        facts.append(esc(view.organization))
    anchor = f' id="hm-card-{number}" data-n="{number}"' if number else ""
    parts = [
        f'<article class="hm-card"{anchor} data-kind="{esc(view.kind)}">',
        f'<h4>{badge}{number_text}<span class="hm-name">{esc(view.name)}</span></h4>',
        f'<p class="hm-facts">{" · ".join(facts)}</p>',
    ]
    if view.description:
        parts.append(f'<p class="hm-desc">{esc(labels.description_text(view.description, display.lang))}</p>')
    parts.append(f'<ul class="hm-details">{"".join(_detail_items(view, display))}</ul>')
    parts.append(_actions(view, display, number))
    parts.append("</article>")
    return "".join(parts)


def _detail_items(view: ServiceView, display: Display) -> list[str]:
    _ = display.tr.gettext
    lang = display.lang
    items = []
    area = area_text(view.__dict__) if view.located else ""
    if area:
        note = " " + _label(lang, N_("(area only: contact them for the exact place)")) if view.approximate == "yes" else ""
        items.append(_line(_label(lang, N_("Where")), esc(area) + note))
    items.append(_line(_label(lang, N_("When")), esc(status_text(view, display))))
    if view.attendance:
        items.append(_line(_label(lang, N_("How")), esc(labels.word(labels.ATTENDANCE, view.attendance, lang))))
    join_label = _label(lang, N_("Join online"))
    by_phone = lambda link: _label(lang, N_("by phone {number}")).format(number=link)  # noqa: E731  (escaped first)
    online = []
    if safe_web_url(view.online_url):
        online.append(_a(join_label, safe_web_url(view.online_url), new_tab=True))
    if view.online_phone:
        online.append(by_phone(_a(esc(view.online_phone), tel_href(view.online_phone))))
    items.append(_line(_label(lang, N_("Online")), _either(online, display)))
    if view.phone:
        items.append(_line(_label(lang, N_("Phone")), _a(esc(view.phone), tel_href(view.phone))))
    for label, number, href in intake_lines(view, lang):
        items.append(_line(esc(label), _a(esc(number), href)))
    website = safe_web_url(view.website)
    if website:
        items.append(_line(_label(lang, N_("Website")), _a(esc(website.split("://", 1)[-1].rstrip("/")[:60]), website,
                                                    new_tab=True)))  # fmt: skip
    items.append(_line(_label(lang, N_("Cost")), esc(labels.words(labels.COST, view.cost, lang)) if view.cost else ""))
    payment = ";".join(p for p in view.payment.split(";") if p.strip() and p.strip() != view.cost)
    items.append(_line(_label(lang, N_("Payment accepted")),
                       esc(labels.words(labels.PAYMENT, payment, lang)) if payment else ""))  # fmt: skip
    items.append(_line(_label(lang, N_("Services")),
                       esc(labels.words(labels.SERVICES, view.services, lang)) if view.services else ""))  # fmt: skip
    items.append(_line(_label(lang, N_("Languages")), esc(languages_text(view.languages, lang))))
    access = [_(text) for flag, text in (("wheelchair", N_("Wheelchair accessible")), ("walk_in", N_("Walk-in welcome")))
              if getattr(view, flag) == "yes"]  # fmt: skip
    if view.referral_required == "yes":
        access.append(_(N_("Referral needed")))
    items.append(_line(_label(lang, N_("Access")), esc(", ".join(access))))
    if view.source and view.source != DEMO_SOURCE:  # real listings say whose they are (demo rows say so in their name)
        items.append(_line(_label(lang, N_("Source")), esc(labels.source_name(view.source, lang))))
    text, stale = verified_text(view.last_verified, display.stale_after_days, display.moment().date(), lang)
    items.append(f'<li class="{"hm-stale" if stale else "hm-checked"}">{esc(text)}</li>')
    return [i for i in items if i]


def _either(options_html: list[str], display: Display) -> str:
    """'A or B' from HTML pieces that are already escaped."""
    if len(options_html) < 2:
        return "".join(options_html)
    return esc(display.tr.gettext(N_("{first} or {second}"))).format(first=options_html[0], second=options_html[1])


def _actions(view: ServiceView, display: Display, number: int | None) -> str:
    lang = display.lang
    links = []
    call = tel_href(view.phone) or tel_href(view.online_phone)
    name = esc(view.name[:80])
    # Labels are escaped before data fills them, so a translation cannot open a tag either.
    if call:
        links.append(_a(_label(lang, N_("Call {number}")).format(number=esc(view.phone or view.online_phone)), call,
                        "hm-call", aria=_label(lang, N_("Call {name}")).format(name=name)))  # fmt: skip
    directions = directions_href(view, display)
    if directions:
        links.append(_a(_label(lang, N_("Directions")), directions, "hm-btn", new_tab=True,
                        aria=_label(lang, N_("Directions to {name}")).format(name=name)))  # fmt: skip
    join = safe_web_url(view.online_url)
    if join:
        links.append(_a(_label(lang, N_("Join online")), join, "hm-btn", new_tab=True,
                        aria=_label(lang, N_("Join {name} online")).format(name=name)))  # fmt: skip
    if number and view.located:
        show = _label(lang, N_("Show on map"))
        links.append(f'<button type="button" class="hm-btn hm-show" data-n="{number}">{show}</button>')
    report = _report_href(display.report_problem_url, view)
    if report:
        links.append(_a(_label(lang, N_("Report a problem")), report, "hm-small", new_tab=True))
    return f'<div class="hm-actions">{"".join(links)}</div>'


def cards_html(views: list[ServiceView], display: Display, first_number: int = 1, show_distance: bool = True) -> str:
    """A page of cards as one block: one Streamlit element instead of a dozen per card."""
    numbered = first_number > 0
    return '<div class="hm-cards">' + "".join(
        card_html(v, first_number + i if numbered else None, display, show_distance) for i, v in enumerate(views)
    ) + "</div>"


def marker(view: ServiceView, number: int, display: Display) -> list:
    """One map marker as compact JSON: [n, lat, lon, kind code, name, distance, call, directions].
    Text is plain (the map sets it with textContent); links are already checked."""
    kind = KIND_INDEX.index(view.kind) if view.kind in KIND_INDEX else 0
    return [
        number,
        round(view.latitude, 5),
        round(view.longitude, 5),
        kind,
        plain(view.name)[:200],
        format_distance(view.distance_km, display.units, display.lang),
        tel_href(view.phone) or "",
        directions_href(view, display) or "",
    ]


def client_sheet_html(views: list[ServiceView], display: Display) -> str:
    """The client's read-only view of a referral: each service with Call and Directions first."""
    items = []
    for number, view in enumerate(views, start=1):
        where = display.tr.gettext(N_("Online")) if view.attendance == "online" or not view.located else area_text(view.__dict__)
        items.append(
            f'<article class="hm-card hm-client"><h3><span class="hm-sr">{number}. </span>'
            f'<span class="hm-num hm-kind-{esc(view.kind)}" aria-hidden="true">{number}</span>'
            f'<span class="hm-name">{esc(view.name)}</span></h3>'
            + _actions(view, display, None)
            + f'<p class="hm-facts">{esc(labels.word(labels.KINDS, view.kind, display.lang))} · {esc(where)}</p>'
            + f"<p>{esc(status_text(view, display))}</p>"
            + (f'<p class="hm-desc">{esc(labels.description_text(view.description, display.lang))}</p>'
               if view.description else "")
            + "</article>"
        )
    return '<div class="hm-cards">' + "".join(items) + "</div>"


def zone_at(lat: float, lon: float) -> str:
    """The IANA time zone of a point (tzfpy: a maintained offline zone-boundary lookup), or ""."""
    try:
        from tzfpy import get_tz

        return get_tz(float(lon), float(lat)) or ""
    except Exception:  # no package or a bad point: times stay in each service's own zone
        return ""
