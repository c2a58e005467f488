"""What every referral output says about a service: the `Referral` the outputs are made from,
and each service as plain text (`Facts`), shared by the sheet, the CSV and the calendar.

Safety: text is stripped of control and bidi-override characters here; only http(s) addresses
and dialable numbers survive as link targets. Escaping for each format is the output's job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd

from . import labels, schedule
from .helplines import HelpLine
from .links import plain, safe_web_url, tel_href
from .presentation import area_text

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
        name=plain(row["name"]),
        kind=labels.word(labels.KINDS, row["kind"]),
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
        services=labels.words(labels.SERVICES, row["services"]),
        languages=plain(row["languages"].replace(";", ", ")),
        access=", ".join(access),
        last_verified=row["last_verified"],
        note=text_block(referral.notes.get(str(row["id"]), "")),
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
            lines.append(("Next meeting:", f"{start:%A} {long_date(start.date())}, {start:%H:%M}"))
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


def text_block(text: object) -> str:
    """Like plain, but a note keeps its line breaks."""
    lines = (plain(line) for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(lines).strip()


def _join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # "27 November 2026": no US/UK day-month ambiguity
