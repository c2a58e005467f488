"""Referral sheets: the services a caseworker chose, as a printable page, a CSV, a calendar
file and a share link.

Privacy: everything here is computed in memory from the directory and what the caseworker
typed, and handed straight back; nothing is written to disk (except by the CLI, to the file it
is asked for) or logged. The share link carries service ids only, never notes or a place.

Safety: every piece of text from the directory or the caseworker is HTML-escaped on the way
into the sheet (`_esc`), only http(s) and tel: addresses become links, and the CSV neutralises
cells a spreadsheet would run as formulas.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import sys
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from . import labels, schedule
from .helplines import PURPOSES, HelpLine
from .mapview import area_text

MAX_IDS = 50  # a share link or a sheet longer than this is a mistake, not a referral
# Control and bidirectional-override characters can make printed text read in a misleading order.
_CONTROL_CHARS = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]")
WEEKDAY_NAMES = (*labels.DAYS[1:], labels.DAYS[0])  # Monday=0, as Python counts
_SAFE_WEB_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


# --- choosing services -------------------------------------------------------------------


def unknown_message(ids: Sequence[str]) -> str:
    """A sentence naming the ids (the first ten) that the directory does not have."""
    shown = ", ".join(f"'{_plain(i)[:80]}'" for i in ids[:10])
    more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
    if len(ids) == 1:
        return f"No service with the id {shown} is in this directory (it may have been removed or renamed)."
    return f"These ids are not in this directory (they may have been removed or renamed): {shown}{more}."


def parse_ids(values: str | Iterable[str]) -> list[str]:
    """'a, b,a' or ['a,b', 'c'] -> ['a', 'b', 'c']: split on commas, trimmed, first copy kept."""
    if isinstance(values, str):
        values = [values]
    ids: list[str] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in ids:
                ids.append(part)
    return ids[:MAX_IDS]


@dataclass(frozen=True)
class Resolved:
    rows: pd.DataFrame  # the known services, in the order asked for
    unknown: tuple[str, ...]


def resolve(frame: pd.DataFrame, ids: Sequence[str]) -> Resolved:
    by_id = frame.drop_duplicates("id").set_index("id", drop=False)
    known = [i for i in ids if i in by_id.index]
    unknown = tuple(i for i in ids if i not in by_id.index)
    return Resolved(by_id.loc[known].reset_index(drop=True), unknown)


def share_query(ids: Sequence[str]) -> str:
    """The query string of a share link: service ids only. Commas stay readable."""
    return urllib.parse.urlencode({"ids": ",".join(ids)}, safe=",")


def share_url(page_url: str, ids: Sequence[str]) -> str:
    """`page_url` with its query replaced by the ids (anything else in it is dropped)."""
    parts = urllib.parse.urlsplit(page_url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, share_query(ids), ""))


# --- what the outputs say about each service ---------------------------------------------


@dataclass(frozen=True)
class Referral:
    """Everything a referral output is made from. Notes live only in the caller's memory."""

    rows: pd.DataFrame
    made: datetime = field(default_factory=lambda: datetime.now(timezone.utc))  # aware
    notes: Mapping[str, str] = field(default_factory=dict)  # service id -> note
    client_note: str = ""
    title: str = "HelpMap"
    directions_url: str = "https://www.openstreetmap.org/directions?to={lat}%2C{lon}"
    helplines: Mapping[str, Sequence[HelpLine]] = field(default_factory=dict)  # country -> lines


@dataclass(frozen=True)
class Facts:
    """One service as plain text, shared by the sheet and the CSV."""

    id: str
    name: str
    kind: str
    organization: str
    where: str
    area_only: bool
    phone: str
    phone_href: str | None
    when: tuple[tuple[str, str], ...]  # (label, text)
    next_meeting: datetime | None
    online_url: str | None
    online_phone: str
    website: str | None
    directions: str | None
    cost: str
    services: str
    languages: str
    access: str
    last_verified: str
    note: str


def facts(row: pd.Series, referral: Referral) -> Facts:
    access = [text for flag, text in (("wheelchair", "Wheelchair accessible"), ("walk_in", "Walk-in welcome"),
                                      ("referral_required", "Referral needed")) if row[flag] == "yes"]  # fmt: skip
    cost_words = [
        *labels.words(labels.COST, row["cost"]).split(", "),
        *labels.words(labels.PAYMENT, row["payment"]).split(", "),
    ]
    cost = ", ".join(dict.fromkeys(w for w in cost_words if w))  # "free" cost and "free" payment: say it once
    when, next_meeting = when_lines(row, referral.made)
    return Facts(
        id=str(row["id"]),
        name=_plain(row["name"]),
        kind=labels.word(labels.KINDS, row["kind"]),
        organization=_plain(row["organization"]),
        where=_plain(area_text(row)) if pd.notna(row["latitude"]) or row["address"] or row["city"] else "",
        area_only=row["approximate"] == "yes",
        phone=_plain(row["phone"]),
        phone_href=tel_href(row["phone"]),
        when=tuple(when),
        next_meeting=next_meeting,
        online_url=safe_web_url(row["online_url"]),
        online_phone=_plain(row["online_phone"]),
        website=safe_web_url(row["website"]),
        directions=directions_url(row, referral.directions_url),
        cost=cost,
        services=labels.words(labels.SERVICES, row["services"]),
        languages=_plain(row["languages"].replace(";", ", ")),
        access=", ".join(access),
        last_verified=row["last_verified"],
        note=_text_block(referral.notes.get(str(row["id"]), "")),
    )


def when_lines(row: pd.Series, now: datetime) -> tuple[list[tuple[str, str]], datetime | None]:
    """[(label, text)] for opening hours, or a meeting's weekly time and its next date. On paper
    "open now" means nothing, so the sheet states the times themselves, in local time."""
    status = schedule.status_for(row, now)
    if row["day"] or row["time"]:
        days = sorted(schedule.meeting_days(row["day"]))  # Monday first
        if not (days and row["time"]):
            return [("When:", status.text)], None
        names = "day" if len(days) == 7 else _join_words([WEEKDAY_NAMES[d] for d in days])
        span = f"{row['time']}–{row['end_time']}" if row["end_time"] else row["time"]
        if row["attendance"] in ("online", "hybrid") and schedule.zone(row["timezone"]):
            span += f" ({zone_city(row['timezone'])} time)"  # joining from elsewhere: say whose clock
        lines = [("When:", f"Every {names}, {span}")]
        if status.next_start is not None:
            start = status.next_start
            lines.append(("Next meeting:", f"{start:%A} {_long_date(start.date())}, {start:%H:%M}"))
        return lines, status.next_start
    readable = readable_hours(row["hours"])
    return [("Hours:", readable) if readable else ("When:", status.text)], None


def zone_city(name: str) -> str:
    """'America/New_York' -> 'New York'."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def readable_hours(hours: str) -> str | None:
    """'Mo-Fr 09:00-17:00; Sa 10:00-14:00' -> 'Mon–Fri 09:00–17:00; Sat 10:00–14:00', or None
    when the text is not in the syntax we understand (the caller then says to call)."""
    try:
        schedule.parse_hours(hours)
    except schedule.UnknownHours:
        return None
    text = hours.strip()
    if text.lower() == "24/7":
        return "open 24 hours, every day"
    names = dict(zip(schedule.OSM_DAYS, schedule.DAY_LABELS))
    text = re.sub(
        r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b", lambda m: names[m.group(1).lower()], text, flags=re.IGNORECASE
    )
    text = re.sub(r"(?<=[a-z\d])-(?=[A-Z\d])", "–", text)
    text = re.sub(r"\b(off|closed)\b", "closed", text, flags=re.IGNORECASE)
    return re.sub(r"\s*;\s*", "; ", text.replace(",", ", "))


def directions_url(row: pd.Series, template: str) -> str | None:
    if pd.isna(row["latitude"]) or pd.isna(row["longitude"]):
        return None
    return safe_web_url(template.format(lat=f"{row['latitude']:.5f}", lon=f"{row['longitude']:.5f}"))


def safe_web_url(url: object) -> str | None:
    """The address when it is an http(s) URL with a host and no characters that could break out
    of an attribute; otherwise None (javascript:, data: and the like are never links)."""
    url = str(url or "").strip()
    if not _SAFE_WEB_URL.match(url) or not urllib.parse.urlsplit(url).netloc:
        return None
    return url


def tel_href(phone: object) -> str | None:
    """'+44 113 496 0143' -> 'tel:+441134960143'. None when there are too few digits, or letters
    ("1-800-GET-HELP"): better no link than one that dials a wrong number."""
    text = str(phone or "").strip()
    if text.startswith("+"):
        text = text.replace("(0)", "")  # "+44 (0)113": the 0 is dialled only from inside the country
    number = re.split(r"\s*(?:ext\.?|x)\s*\d", text, maxsplit=1, flags=re.IGNORECASE)[0]
    if re.search(r"[^\d\s+\-.()\u00a0]", number) or "+" in number[1:]:
        return None
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}" if sum(c.isdigit() for c in digits) >= 3 else None


def _plain(text: object) -> str:
    """One line of text: control and bidi-override characters removed, spaces collapsed."""
    return _CONTROL_CHARS.sub("", " ".join(str(text or "").split()))


def _text_block(text: object) -> str:
    """Like _plain, but a note keeps its line breaks."""
    lines = (_plain(line) for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(lines).strip()


def _join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # "27 November 2026": no US/UK day-month ambiguity


def countries(rows: pd.DataFrame, fallback: str) -> list[str]:
    """The countries whose help lines belong on the sheet: the services' own, most common first."""
    found = [c.upper() for c in rows["country"].value_counts().index if c] if len(rows) else []
    return found or [fallback.upper()]


# --- the printable sheet -----------------------------------------------------------------


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(label: str, href: str | None, css_class: str = "") -> str:
    """An <a> only for http(s) addresses and tel:/sms: numbers; anything else is plain text."""
    if not href or not (re.fullmatch(r"(tel|sms):\+?\d+", href) or safe_web_url(href)):
        return _esc(label)
    klass = f' class="{_esc(css_class)}"' if css_class else ""
    return f'<a href="{_esc(href)}"{klass}>{_esc(label)}</a>'


def _short_url(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def _row(label: str, value_html: str) -> str:
    """A labelled line. `value_html` must already be escaped."""
    return f'<div class="fact"><span class="label">{_esc(label)}</span> {value_html}</div>'


SHEET_CSS = """
.helpmap-referral { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 17px;
  line-height: 1.4; color: #111; background: #fff; max-width: 46rem; margin: 0 auto; padding: 1rem; }
.helpmap-referral h1 { font-size: 1.55em; margin: 0 0 .15em; line-height: 1.2; }
.helpmap-referral h2 { font-size: 1.25em; margin: 1em 0 .4em; }
.helpmap-referral h3 { font-size: 1.15em; margin: 0 0 .15em; line-height: 1.25; }
.helpmap-referral .made { margin: 0 0 .5em; }
.helpmap-referral .call-first { border: 3px solid #111; padding: .4em .7em; font-weight: 700; margin: .5em 0; }
.helpmap-referral .demo { border: 3px dashed #b00020; padding: .4em .7em; font-weight: 700; margin: .5em 0; }
.helpmap-referral .client-note, .helpmap-referral .note { background: #f1f1f1; border-left: 5px solid #555;
  padding: .35em .7em; white-space: pre-wrap; margin: .4em 0 0; }
.helpmap-referral ol.services { list-style: none; padding: 0; margin: 0; }
.helpmap-referral li.service { border: 1px solid #888; border-radius: 6px; padding: .55em .8em; margin: 0 0 .7em;
  break-inside: avoid; page-break-inside: avoid; }
.helpmap-referral .number { display: inline-block; min-width: 1.5em; }
.helpmap-referral .kind { margin: 0 0 .25em; color: #333; }
.helpmap-referral .label { font-weight: 700; }
.helpmap-referral .fact { margin: .05em 0; }
.helpmap-referral .more { font-size: .9em; margin-top: .2em; }
.helpmap-referral .fact, .helpmap-referral .note { overflow-wrap: anywhere; }
.helpmap-referral a { color: #0b4f9c; }
.helpmap-referral ul.helplines { padding-left: 1.2em; margin: 0; }
.helpmap-referral ul.helplines li { margin: .3em 0; break-inside: avoid; page-break-inside: avoid; }
.helpmap-referral .line-details { font-size: .9em; color: #333; }
.helpmap-referral footer { margin-top: 1.2em; border-top: 1px solid #888; padding-top: .4em; font-size: .9em; }
@media print {
  html, body { background: #fff; margin: 0; }
  .helpmap-referral { font-size: 12pt; max-width: none; padding: 0; }
  .helpmap-referral a { color: #111; text-decoration: none; }
  .helpmap-referral a.print-url::after { content: " (" attr(href) ")"; font-size: .8em; }
  .helpmap-referral h2 { break-after: avoid; page-break-after: avoid; }
}
"""
# Only in the downloaded file: in a page preview these would change how the whole app prints.
PAGE_CSS = """
@page { margin: 13mm 14mm 16mm;  /* no size: the printer's A4 or US Letter both fit */
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; color: #444; } }
"""


def sheet_html(referral: Referral, *, standalone: bool = True) -> str:
    """The printable sheet. `standalone` gives a whole document for download; otherwise a
    fragment whose styles are scoped to `.helpmap-referral`, for a preview inside a page."""
    made = referral.made
    parts = [f"<h1>{_esc(referral.title)}: services for you</h1>"]
    parts.append(f'<p class="made">Made on {_esc(_long_date(made.date()))}.</p>')
    parts.append('<p class="call-first">Please call before you go: times and details can change.</p>')
    if len(referral.rows) and (referral.rows["source"] == "demo").any():
        parts.append('<p class="demo">Demonstration data: these services are not real.</p>')
    client_note = _text_block(referral.client_note)
    if client_note:
        parts.append(f'<h2>A note for you</h2><div class="client-note">{_esc(client_note)}</div>')
    parts.append("<h2>Services</h2>")
    items = [
        _service_html(position, facts(row, referral))
        for position, (_, row) in enumerate(referral.rows.iterrows(), 1)
    ]
    parts.append(
        '<ol class="services">' + "".join(items) + "</ol>" if items else "<p>No services were chosen.</p>"
    )
    parts.append(_helplines_html(referral.helplines))
    parts.append(
        f"<footer>Made on {_esc(_long_date(made.date()))} with {_esc(referral.title)}. Listings can change: "
        "call before you go. This sheet was made in the moment and is not kept anywhere.</footer>"
    )
    body = '<article class="helpmap-referral">' + "".join(parts) + "</article>"
    if not standalone:
        return f"<style>{SHEET_CSS}</style>{body}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        # No scripts, no outside files: even a mistake in escaping could not run or fetch anything.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(referral.title)}: services for you</title><style>{SHEET_CSS}{PAGE_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _service_html(position: int, item: Facts) -> str:
    lines = [f'<h3><span class="number">{position}.</span> {_esc(item.name)}</h3>']
    kind = " · ".join(_esc(p) for p in (item.kind, item.organization) if p)
    lines.append(f'<div class="kind">{kind}</div>')
    if item.where:
        suffix = " (area only: call them for the exact place)" if item.area_only else ""
        lines.append(_row("Where:", _esc(item.where + suffix)))
    if item.phone:
        lines.append(_row("Phone:", _link(item.phone, item.phone_href)))
    for label, text in item.when:
        lines.append(_row(label, _esc(text)))
    online = [_link(_short_url(item.online_url), item.online_url)] if item.online_url else []
    if item.online_phone:
        online.append("by phone " + _link(item.online_phone, tel_href(item.online_phone)))
    if online:
        lines.append(_row("Online:", " or ".join(online)))
    if item.website:
        lines.append(_row("Website:", _link(_short_url(item.website), item.website)))
    if item.directions:
        label = "map to the area" if item.area_only else "map"
        lines.append(_row("Directions:", _link(label, item.directions, "print-url")))
    more = [_row(label, _esc(value)) for label, value in (
        ("Cost:", item.cost), ("Services:", item.services), ("Languages:", item.languages), ("Access:", item.access),
        ("Listing last checked:", _long_date(date.fromisoformat(item.last_verified)) if item.last_verified else ""),
    ) if value]  # fmt: skip
    if more:
        lines.append('<div class="more">' + "".join(more) + "</div>")
    if item.note:
        lines.append(f'<div class="note"><span class="label">Note:</span> {_esc(item.note)}</div>')
    return '<li class="service">' + "".join(lines) + "</li>"


def _helplines_html(helplines: Mapping[str, Sequence[HelpLine]]) -> str:
    parts = []
    for country, lines in helplines.items():
        items = []
        for line in lines:
            contact = []
            if line.phone:
                contact.append("call " + _link(line.phone, line.tel))
            if line.text:
                contact.append("text " + _link(line.text, line.sms))
            if safe_web_url(line.chat_url):
                contact.append("chat at " + _link(_short_url(line.chat_url), line.chat_url))
            details = " · ".join(_esc(p) for p in (PURPOSES.get(line.purpose, ""), line.hours) if p)
            items.append(
                f'<li><span class="label">{_esc(line.service)}</span>: {", or ".join(contact)}'
                + (f'<div class="line-details">{details}</div>' if details else "")
                + "</li>"
            )
        heading = "Help lines" if len(helplines) == 1 else f"Help lines ({_esc(country)})"
        parts.append(f"<h2>{heading}</h2>" + '<ul class="helplines">' + "".join(items) + "</ul>")
    return "".join(parts)


# --- the CSV -----------------------------------------------------------------------------

CSV_COLUMNS = ("position", "name", "kind", "organization", "where", "area_only", "phone", "phone_link", "when",
               "next_meeting", "online", "website", "directions", "cost", "services", "languages", "access",
               "last_checked", "note", "id")  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# "+44 113 496 0143": only dialling characters after the country code.
_INTERNATIONAL_PHONE = re.compile(
    r"^\+(\d{1,3})[\s.\-]+([\d\s.\-()]+(?:\s*(?:ext\.?|x)\s*\d+)?)$", re.IGNORECASE
)


def neutralise(cell: object) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ tab or CR gets a leading
    single quote, so it can never run as a formula (OWASP's CSV injection advice)."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_phone(phone: str) -> str:
    """A phone number that stays dialable in a spreadsheet. "+44 113 496 0143" is written as
    "(+44) 113 496 0143": nothing leads with "+", so no spreadsheet reads it as a formula, and
    phones and people dial it as it stands. Anything else goes through neutralise()."""
    match = _INTERNATIONAL_PHONE.match(phone.strip())
    if match:
        return f"(+{match.group(1)}) {match.group(2).strip()}"
    return neutralise(phone)


def csv_bytes(referral: Referral) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents and dashes correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for position, (_, row) in enumerate(referral.rows.iterrows(), 1):
        item = facts(row, referral)
        next_meeting = (
            item.next_meeting.strftime("%Y-%m-%d %H:%M") + f" ({row['timezone']})"
            if item.next_meeting
            else ""
        )
        when = "; ".join(f"{label} {text}" for label, text in item.when)
        values = [str(position), item.name, item.kind, item.organization, item.where,
                  "yes" if item.area_only else "no", csv_phone(item.phone), item.phone_href or "", when,
                  next_meeting, item.online_url or "", item.website or "", item.directions or "", item.cost,
                  item.services, item.languages, item.access, item.last_verified, item.note, item.id]  # fmt: skip
        # The phone column is already safe (see csv_phone); every other cell is neutralised.
        writer.writerow(
            [value if column == "phone" else neutralise(value) for column, value in zip(CSV_COLUMNS, values)]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


# --- the calendar ------------------------------------------------------------------------


def meeting_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows a calendar can hold: a weekly day, a start time and a known time zone."""
    if not len(rows):
        return rows
    usable = rows.apply(
        lambda r: (
            bool(schedule.meeting_days(r["day"]))
            and bool(r["time"])
            and schedule.zone(r["timezone"]) is not None
        ),
        axis=1,
    )
    return rows[usable]


def ics_text(referral: Referral) -> str:
    """An iCalendar file (RFC 5545) with one weekly event per meeting in `referral.rows`.

    Times carry the meeting's IANA time zone as TZID, with a VTIMEZONE built from the same
    zone data, so every client shows the meeting at the right local time, across DST changes.
    """
    meetings = meeting_rows(referral.rows)
    events, zones = [], {}
    for _, row in meetings.iterrows():
        item = facts(row, referral)
        first = first_meeting(row, referral.made)
        zones.setdefault(row["timezone"], first.year)
        zones[row["timezone"]] = min(zones[row["timezone"]], first.year)
        events.append(event_lines(row, item, first, _meeting_minutes(row), referral.made, _uid(row["id"])))
    return calendar_lines(referral.title, zones, events)


def first_meeting(row: pd.Series, made: datetime) -> datetime:
    """The first meeting on or after the day the file is made, in the meeting's own zone
    (it must fall on one of the RRULE's days, as RFC 5545 expects of DTSTART)."""
    tz = schedule.zone(row["timezone"])
    today = made.astimezone(tz).date()
    days = schedule.meeting_days(row["day"])
    day = next(today + timedelta(days=o) for o in range(7) if (today + timedelta(days=o)).weekday() in days)
    hour, minute = (int(p) for p in row["time"].split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _meeting_minutes(row: pd.Series) -> int:
    return schedule._duration_minutes(row["time"], row["end_time"])


def _uid(service_id: str) -> str:
    # Stable per service, so importing a second sheet updates the event instead of doubling it.
    return hashlib.sha1(str(service_id).encode("utf-8")).hexdigest()[:20] + "@referral.helpmap"


ICS_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Python weekday order, Monday=0
_TZID = re.compile(r"^[A-Za-z0-9/_+\-]+$")


def ics_escape(text: object) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newline."""
    text = _text_block(text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.
    Continuation lines start with one space, which counts towards their 75."""
    if len(line.encode("utf-8")) <= 75:
        return line
    pieces, current, limit = [], "", 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            pieces.append(current)
            current, limit = "", 74
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def _ics_local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _ics_offset(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def event_lines(
    row: pd.Series, item: Facts, first: datetime, minutes: int, made: datetime, uid: str
) -> list[str]:
    tzid = row["timezone"] if _TZID.match(row["timezone"]) else f'"{row["timezone"]}"'
    end = first.replace(tzinfo=None) + timedelta(minutes=minutes)  # wall-clock end, same zone
    online = row["attendance"] in ("online", "hybrid") and item.online_url
    if row["attendance"] == "online":
        location = "Online"
    else:
        location = item.where + (
            " (area only: call for the exact place)" if item.area_only and item.where else ""
        )
    details = [" · ".join(p for p in (item.kind, item.organization) if p)]
    if item.phone:
        details.append(f"Phone: {item.phone}")
    if online:
        details.append(f"Join online: {item.online_url}")
    if not row["end_time"]:
        details.append("The end time is not listed.")
    details.append("Please call before you go: times and details can change.")
    if item.note:
        details.append(f"Note: {item.note}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{made.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={tzid}:{_ics_local(first)}",
        f"DTEND;TZID={tzid}:{_ics_local(end)}",
        "RRULE:FREQ=WEEKLY;BYDAY=" + ",".join(ICS_DAYS[d] for d in sorted(schedule.meeting_days(row["day"]))),
        f"SUMMARY:{ics_escape(item.name)}",
    ]
    if location:
        lines.append(f"LOCATION:{ics_escape(location)}")
    lines.append(f"DESCRIPTION:{ics_escape(chr(10).join(details))}")
    url = item.online_url if online else item.website
    if url:
        lines.append(f"URL:{url}")  # URI values are not TEXT: safe_web_url has no spaces or quotes
    lines.append("END:VEVENT")
    return lines


def calendar_lines(title: str, zones: Mapping[str, int], events: Sequence[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{ics_escape(title)}//Referral sheet//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]  # fmt: skip
    for name, first_year in sorted(zones.items()):
        lines.extend(vtimezone_lines(name, first_year))
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# --- VTIMEZONE from the IANA data ----------------------------------------------------------
# RFC 5545 asks for a VTIMEZONE for every TZID used. Most clients (Google, Apple, Outlook,
# Thunderbird) recognise IANA names anyway; this block keeps the file correct for the rest.


@dataclass(frozen=True)
class _Transition:
    at: datetime  # UTC
    before: timedelta
    after: timedelta
    name: str  # the abbreviation in force after, e.g. "BST"

    @property
    def onset(self) -> datetime:
        """The local wall-clock time of the change, as the old offset reads it (naive)."""
        return (self.at + self.before).replace(tzinfo=None)

    @property
    def daylight(self) -> bool:
        # Compare offsets rather than trust dst(): Europe/Dublin's tz data has a negative DST in winter.
        return self.after > self.before


def transitions(name: str, first_year: int, last_year: int) -> list[_Transition]:
    """Every UTC-offset change in the zone from 1 January `first_year` to the end of `last_year`."""
    tz = schedule.zone(name)
    found = []
    day = datetime(first_year, 1, 1, tzinfo=timezone.utc)
    end = datetime(last_year + 1, 1, 1, tzinfo=timezone.utc)
    offset = day.astimezone(tz).utcoffset()
    while day < end:
        following = day + timedelta(days=1)
        next_offset = following.astimezone(tz).utcoffset()
        if next_offset != offset:
            low, high = 0, 24 * 60  # minutes after `day`; the change is in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if (day + timedelta(minutes=middle)).astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            at = day + timedelta(minutes=high)
            found.append(_Transition(at, offset, next_offset, at.astimezone(tz).tzname() or ""))
        day, offset = following, next_offset
    return found


def vtimezone_lines(name: str, first_year: int) -> list[str]:
    """A VTIMEZONE valid from the year before `first_year`: yearly rules when the zone follows
    one ("second Sunday in March"), otherwise each change for the next ten years."""
    start_year = first_year - 1
    found = transitions(name, start_year, start_year + 11)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    if not found:
        moment = datetime(first_year, 1, 1, tzinfo=schedule.zone(name))
        offset = _ics_offset(moment.utcoffset())
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
        ]
        lines += [f"TZNAME:{ics_escape(moment.tzname())}"] if moment.tzname() else []
        return lines + ["END:STANDARD", "END:VTIMEZONE"]
    rules = _yearly_rules(found, start_year, start_year + 11)
    observances = rules if rules is not None else [(t, None) for t in found]
    for transition, rule in observances:
        kind = "DAYLIGHT" if transition.daylight else "STANDARD"
        lines += [f"BEGIN:{kind}", f"DTSTART:{_ics_local(transition.onset)}",
                  f"TZOFFSETFROM:{_ics_offset(transition.before)}", f"TZOFFSETTO:{_ics_offset(transition.after)}"]  # fmt: skip
        lines += [f"RRULE:{rule}"] if rule else []
        lines += [f"TZNAME:{ics_escape(transition.name)}"] if transition.name else []
        lines.append(f"END:{kind}")
    return lines + ["END:VTIMEZONE"]


def _yearly_rules(
    found: list[_Transition], first_year: int, last_year: int
) -> list[tuple[_Transition, str]] | None:
    """[(first transition, RRULE)] for each kind of change (to and from summer time), when every
    year in the range has exactly one of it, in the same month at the same local time and
    offsets, on a day one RRULE gives every year. Twelve years show each weekday pattern, so a
    rule that fits them all is the zone's rule ("second Sunday", "last Sunday", "Friday on or
    after the 23rd"). None when there is no such rule: the caller lists each change instead."""
    rules = []
    for daylight in (True, False):
        per_year = []
        for year in range(first_year, last_year + 1):
            these = [t for t in found if t.daylight == daylight and t.onset.year == year]
            if len(these) != 1:
                return None
            per_year.append(these[0])
        shape = {(t.onset.month, t.onset.weekday(), t.onset.time(), t.before, t.after) for t in per_year}
        if len(shape) != 1:
            return None
        days = [t.onset.date() for t in per_year]
        rule = next((r for r in _candidate_rules(days) if all(_rule_day(r, d.year) == d for d in days)), None)
        if rule is None:
            return None
        month, _, by = rule
        rules.append((per_year[0], f"FREQ=YEARLY;BYMONTH={month};{by}"))
    return sorted(rules, key=lambda r: r[0].at)


def _candidate_rules(days: list[date]) -> list[tuple[int, int, str]]:
    """Rules that might give these days, simplest first: (month, weekday, RRULE BY-parts)."""
    month, weekday = days[0].month, days[0].weekday()
    code = ICS_DAYS[weekday]
    candidates = [(month, weekday, f"BYDAY={n}{code}") for n in (1, 2, 3, 4, -1)]
    earliest = min(d.day for d in days)
    for first in range(max(1, earliest - 6), earliest + 1):  # "weekday on or after the `first`"
        month_days = ",".join(str(d) for d in range(first, first + 7))
        candidates.append((month, weekday, f"BYDAY={code};BYMONTHDAY={month_days}"))
    return candidates


def _rule_day(rule: tuple[int, int, str], year: int) -> date | None:
    """The one day in `year` that a candidate rule gives."""
    month, weekday, by = rule
    matches = [date(year, month, d) for d in range(1, 32) if _valid_day(year, month, d)]
    matches = [d for d in matches if d.weekday() == weekday]
    if "BYMONTHDAY=" in by:
        allowed = {int(d) for d in by.split("BYMONTHDAY=")[1].split(",")}
        found = [d for d in matches if d.day in allowed]
        return found[0] if len(found) == 1 else None
    n = int(by.removeprefix("BYDAY=")[:-2])
    return matches[n - 1 if n > 0 else n] if len(matches) >= abs(n) else None


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


# --- help lines --------------------------------------------------------------------------


def helplines_for(codes: Sequence[str], default_country: str, path: str | Path) -> dict[str, list[HelpLine]]:
    """Each country's verified help lines; the site's default country's when none of the
    services' countries has any (better some real lines than none on a printed sheet)."""
    from . import helplines

    every = helplines.load(path)
    found = {code: lines for code in dict.fromkeys(helplines.normalise_country(c) for c in codes)
             if (lines := helplines.lines_for(code, every))}  # fmt: skip
    if not found:
        code, lines = helplines.resolve(None, default_country, path)
        found = {code: lines} if lines else {}
    return found


# --- the command line --------------------------------------------------------------------

FORMATS = ("csv", "html", "ics")


def run_cli(args) -> int:
    """`python -m helpmap referral --data PATH --ids A,B --format csv|html|ics -o OUT`.

    Exit codes: 0 written; 1 unknown ids, no meetings for a calendar, or the output cannot be
    written; 2 the directory cannot be used."""
    from .config import ConfigError, load_settings
    from .directory import load

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: the site configuration cannot be used: {error}", file=sys.stderr)
        return 2
    directory = load(args.data)
    if directory.report.fatal:
        print(f"error: the directory cannot be used: {directory.report.fatal}", file=sys.stderr)
        return 2
    ids = parse_ids(args.ids)
    if not ids:
        print("error: give at least one service id with --ids", file=sys.stderr)
        return 1
    resolved = resolve(directory.frame, ids)
    if resolved.unknown:
        print(f"error: {unknown_message(resolved.unknown)}", file=sys.stderr)
        return 1
    referral = Referral(
        rows=resolved.rows,
        title=settings.title,
        directions_url=settings.directions_url,
        helplines=helplines_for(
            countries(resolved.rows, settings.country), settings.country, settings.helplines
        ),
    )
    if args.format == "ics" and not len(meeting_rows(referral.rows)):
        print("error: none of these services has a weekly meeting time and time zone, so there is "
              "nothing to put in a calendar.", file=sys.stderr)  # fmt: skip
        return 1
    content = render(referral, args.format)
    return _write(content, args.output)


def render(referral: Referral, output_format: str) -> bytes:
    if output_format == "csv":
        return csv_bytes(referral)
    if output_format == "ics":
        return ics_text(referral).encode("utf-8")
    return sheet_html(referral).encode("utf-8")


def _write(content: bytes, output: str) -> int:
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(output).write_bytes(content)
    except OSError as error:
        print(f"error: could not write {output}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
