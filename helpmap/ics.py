"""Calendar files (RFC 5545) for the meetings in a referral: events, TEXT escaping, line folding
and VTIMEZONE blocks built from the IANA zone data."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pandas as pd

from . import schedule
from .i18n import N_, translator
from .referral_facts import Facts, Referral, facts, text_block

ICS_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Python weekday order, Monday=0
_TZID = re.compile(r"^[A-Za-z0-9/_+\-]+$")


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
        minutes = schedule._duration_minutes(row["time"], row["end_time"])
        events.append(event_lines(row, item, first, minutes, referral.made, _uid(row["id"]), referral.lang))
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


def _uid(service_id: str) -> str:
    # Stable per service, so importing a second sheet updates the event instead of doubling it.
    return hashlib.sha1(str(service_id).encode("utf-8")).hexdigest()[:20] + "@referral.helpmap"


def ics_escape(text: object) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newline."""
    text = text_block(text)
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
    row: pd.Series, item: Facts, first: datetime, minutes: int, made: datetime, uid: str, lang: str = "en"
) -> list[str]:
    _ = translator(lang).gettext
    tzid = row["timezone"] if _TZID.match(row["timezone"]) else f'"{row["timezone"]}"'
    end = first.replace(tzinfo=None) + timedelta(minutes=minutes)  # wall-clock end, same zone
    online = row["attendance"] in ("online", "hybrid") and item.online_url
    if row["attendance"] == "online":
        location = _(N_("Online"))
    else:
        location = item.where + (
            " " + _(N_("(area only: call for the exact place)")) if item.area_only and item.where else ""
        )
    details = [" · ".join(p for p in (item.kind, item.organization) if p)]
    if item.phone:
        details.append(_(N_("Phone: {number}")).format(number=item.phone))
    if online:
        details.append(_(N_("Join online: {address}")).format(address=item.online_url))
    if not row["end_time"]:
        details.append(_(N_("The end time is not listed.")))
    details.append(_(N_("Please call before you go: times and details can change.")))
    if item.note:
        details.append(_(N_("Note: {note}")).format(note=item.note))
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
