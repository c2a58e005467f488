"""What every referral output says about a service: the `Referral` the outputs are made from,
and each service as plain text (`Facts`), shared by the sheet, the CSV and the calendar.

Safety: text is stripped of control and bidi-override characters here; only http(s) addresses
and dialable numbers survive as link targets. Escaping for each format is the output's job.

Words: in `Referral.lang` (gettext msgids with named placeholders, helpmap.i18n); English ("en",
the default) is the text as written here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd
from babel.lists import format_list

from . import i18n, labels, schedule
from .helplines import HelpLine
from .i18n import N_, translator
from .links import plain, safe_web_url, tel_href
from .presentation import area_text, languages_text

# Control and bidirectional-override characters can make printed text read in a misleading order.
WEEKDAY_NAMES = (*labels.DAYS[1:], labels.DAYS[0])  # Monday=0, as Python counts


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
    lang: str = "en"  # the language of every output's words (helpmap.i18n.LANGUAGES)


@dataclass(frozen=True)
class Facts:
    """One service as plain text."""

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
    lang = referral.lang
    _ = translator(lang).gettext
    access = [_(text) for flag, text in (("wheelchair", N_("Wheelchair accessible")), ("walk_in", N_("Walk-in welcome")),
                                         ("referral_required", N_("Referral needed"))) if row[flag] == "yes"]  # fmt: skip
    cost_words = [
        *labels.words(labels.COST, row["cost"], lang).split(", "),
        *labels.words(labels.PAYMENT, row["payment"], lang).split(", "),
    ]
    cost = ", ".join(dict.fromkeys(w for w in cost_words if w))  # "free" cost and "free" payment: say it once
    when, next_meeting = when_lines(row, referral.made, lang)
    return Facts(
        id=str(row["id"]),
        name=plain(row["name"]),
        kind=labels.word(labels.KINDS, row["kind"], lang),
        organization=plain(row["organization"]),
        where=plain(area_text(row)) if pd.notna(row["latitude"]) or row["address"] or row["city"] else "",
        area_only=row["approximate"] == "yes",
        phone=plain(row["phone"]),
        phone_href=tel_href(row["phone"]),
        when=tuple(when),
        next_meeting=next_meeting,
        online_url=safe_web_url(row["online_url"]),
        online_phone=plain(row["online_phone"]),
        website=safe_web_url(row["website"]),
        directions=directions_url(row, referral.directions_url),
        cost=cost,
        services=labels.words(labels.SERVICES, row["services"], lang),
        languages=plain(languages_text(row["languages"], lang)),
        access=", ".join(access),
        last_verified=row["last_verified"],
        note=text_block(referral.notes.get(str(row["id"]), "")),
    )


def when_lines(row: pd.Series, now: datetime, lang: str = "en") -> tuple[list[tuple[str, str]], datetime | None]:
    """[(label, text)] for opening hours, or a meeting's weekly time and its next date. On paper
    "open now" means nothing, so the sheet states the times themselves, in local time."""
    _ = translator(lang).gettext
    status = schedule.status_for(row, now)
    when_label = _(N_("When:"))
    if row["day"] or row["time"]:
        days = sorted(schedule.meeting_days(row["day"]))  # Monday first
        if not (days and row["time"]):
            return [(when_label, schedule.status_words(status, lang))], None
        span = f"{row['time']}–{row['end_time']}" if row["end_time"] else row["time"]
        if row["attendance"] in ("online", "hybrid") and schedule.zone(row["timezone"]):
            # joining from elsewhere: say whose clock
            span = _(N_("{time} ({place} time)")).format(time=span, place=zone_city(row["timezone"]))
        if len(days) == 7:
            every = _(N_("Every day, {time}")).format(time=span)
        else:
            every = _(N_("Every {days}, {time}")).format(days=_join_words([weekday_name(d, lang) for d in days], lang),
                                                         time=span)  # fmt: skip
        lines = [(when_label, every)]
        if status.next_start is not None:
            start = status.next_start
            lines.append((_(N_("Next meeting:")), _(N_("{weekday} {date}, {time}")).format(
                weekday=weekday_name(start.weekday(), lang), date=long_date(start.date(), lang),
                time=f"{start:%H:%M}")))  # fmt: skip
        return lines, status.next_start
    readable = readable_hours(row["hours"], lang)
    return [(_(N_("Hours:")), readable) if readable else (when_label, schedule.status_words(status, lang))], None


def weekday_name(weekday: int, lang: str = "en") -> str:
    """'Tuesday' (Monday=0); CLDR's name in other languages ('martes')."""
    if (i18n.normalise(lang) or "en") == "en":
        return WEEKDAY_NAMES[weekday]
    return schedule.day_name(weekday, lang)


def zone_city(name: str) -> str:
    """'America/New_York' -> 'New York'."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def readable_hours(hours: str, lang: str = "en") -> str | None:
    """'Mo-Fr 09:00-17:00; Sa 10:00-14:00' -> 'Mon–Fri 09:00–17:00; Sat 10:00–14:00', or None
    when the text is not in the syntax we understand (the caller then says to call)."""
    try:
        schedule.parse_hours(hours)
    except schedule.UnknownHours:
        return None
    _ = translator(lang).gettext
    text = hours.strip()
    if text.lower() == "24/7":
        return _(N_("open 24 hours, every day"))
    names = {code: schedule.day_name(d, lang, "abbreviated") for d, code in enumerate(schedule.OSM_DAYS)}
    text = re.sub(
        r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b", lambda m: names[m.group(1).lower()], text, flags=re.IGNORECASE
    )
    if (i18n.normalise(lang) or "en") == "en":
        text = re.sub(r"(?<=[a-z\d])-(?=[A-Z\d])", "–", text)
    else:  # day names may be lower case ("lun-vie") or accented ("mié-sáb")
        text = re.sub(r"(?<=[^\W_])-(?=[^\W_])", "–", text)
    text = re.sub(r"\b(off|closed)\b", _(N_("closed")), text, flags=re.IGNORECASE)
    return re.sub(r"\s*;\s*", "; ", text.replace(",", ", "))


def directions_url(row: pd.Series, template: str) -> str | None:
    if pd.isna(row["latitude"]) or pd.isna(row["longitude"]):
        return None
    return safe_web_url(template.format(lat=f"{row['latitude']:.5f}", lon=f"{row['longitude']:.5f}"))


def text_block(text: object) -> str:
    """Like plain, but a note keeps its line breaks."""
    lines = (plain(line) for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(lines).strip()


def _join_words(words: list[str], lang: str = "en") -> str:
    if (i18n.normalise(lang) or "en") != "en":
        return format_list(words, locale=i18n.babel_locale(lang))  # CLDR: "lunes, martes y jueves"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def long_date(day: date, lang: str = "en") -> str:
    if (i18n.normalise(lang) or "en") != "en":
        return i18n.format_date(day, lang)  # "27 de noviembre de 2026"
    return f"{day.day} {day:%B %Y}"  # "27 November 2026": no US/UK day-month ambiguity
