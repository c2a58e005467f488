"""Opening hours and meeting times, evaluated in the service's own time zone.

`hours` uses a common subset of OpenStreetMap's opening_hours syntax:
"Mo-Fr 09:00-17:00; Sa 10:00-14:00", "Mo,We 09:00-12:00,13:00-17:00", "24/7", "Su off".
Anything outside that subset is reported as unknown rather than guessed: telling someone a
service is open when it is not sends them to a locked door.

Words: a `Status` carries its sentence as an English msgid with named placeholders (marked N_)
and the raw values (clock times, weekdays, the data's own text), so each reader gets it in their
language and on their clock (`status_words`, `viewer_status_text`). `Status.text` is the English
sentence on a 24-hour clock, for the command line and the JSON output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_time, get_day_names
from babel.lists import format_list

from .i18n import DEFAULT_LANGUAGE, N_, babel_locale, normalise, translator

# Python's weekday(): Monday=0. OSM day codes follow the same order.
OSM_DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Our `day` column counts from Sunday=0 (the Meeting Guide convention).
SUNDAY_FIRST_TO_WEEKDAY = {0: 6, 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5}

DEFAULT_MEETING_MINUTES = 60
MORNING_ENDS, AFTERNOON_ENDS = time(12, 0), time(17, 0)


class UnknownHours(ValueError):
    """The hours text is not in the syntax we understand."""


@dataclass(frozen=True)
class Interval:
    weekday: int  # Monday=0
    start: int  # minutes after midnight
    end: int  # may exceed 1440 for hours that run past midnight


HOURS_NOT_KNOWN = N_("Hours not known: call before you go")


@dataclass(frozen=True)
class Status:
    """What to tell a person about when they can go."""

    known: bool
    open_now: bool = False
    message: str = HOURS_NOT_KNOWN  # English msgid; its {names} are filled from `values`
    values: tuple[tuple[str, object], ...] = ()  # "time": (hour, minute), "day": weekday,
    # "days": weekdays, "hours"/"start": the data's own text
    next_start: datetime | None = None  # for meetings, in the meeting's time zone
    change_at: datetime | None = None  # for opening hours: when it next closes or opens, in its zone

    @property
    def text(self) -> str:
        """The English sentence, 24-hour clock, data text as written."""
        return status_words(self)


MAX_HOURS_LENGTH = 500  # real opening_hours values are far shorter; longer text is not read
_DAY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz,- ")
_TIME_CHARACTERS = frozenset("0123456789:,- ")
# Where a rule's days end: the first blank before a time, "off" or "closed". A fixed-width
# look-ahead at each position, so the search is linear in the rule's length (the earlier
# `([a-z,\- ]+?)\s+(...)` pattern backtracked for seconds on one long cell).
_DAYS_END = re.compile(r"\s(?=[0-9]|off$|closed$)")


def parse_hours(text: str) -> tuple[Interval, ...]:
    """The weekly intervals of an opening_hours text, or UnknownHours saying why not."""
    parsed = _parse_hours(text)
    if isinstance(parsed, str):
        raise UnknownHours(parsed)
    return parsed


@lru_cache(maxsize=4096)
def _parse_hours(text: str) -> tuple[Interval, ...] | str:
    """Cached, failures included: a bad cell is read once, not on every search."""
    try:
        return _read_hours(text)
    except UnknownHours as problem:
        return str(problem)


def _read_hours(text: str) -> tuple[Interval, ...]:
    if len(text) > MAX_HOURS_LENGTH:
        raise UnknownHours(f"hours text is over {MAX_HOURS_LENGTH} characters")
    text = text.strip().lower()
    if not text:
        raise UnknownHours("no hours given")
    if text == "24/7":
        return tuple(Interval(d, 0, 1440) for d in range(7))
    intervals: list[Interval] = []
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        if rule.startswith("ph"):
            continue  # public holidays need a holiday calendar; we do not guess them
        day_text, spans = _split_rule(rule)
        days = _parse_days(day_text)
        if spans in ("off", "closed"):
            intervals = [i for i in intervals if i.weekday not in days]
            continue
        for span in spans.split(","):
            start, end = _parse_span(span.strip())
            intervals.extend(Interval(d, start, end) for d in days)
    return tuple(intervals)


def _split_rule(rule: str) -> tuple[str, str]:
    """"mo-fr 09:00-17:00" -> ("mo-fr", "09:00-17:00"), checking each side's characters."""
    end = _DAYS_END.search(rule)
    if not end:
        raise UnknownHours(f"cannot read '{rule}'")
    day_text, spans = rule[: end.start()].strip(), rule[end.end() :].strip()
    if not day_text or not set(day_text) <= _DAY_CHARACTERS:
        raise UnknownHours(f"cannot read '{rule}'")
    if spans not in ("off", "closed") and not set(spans) <= _TIME_CHARACTERS:
        raise UnknownHours(f"cannot read '{rule}'")
    return day_text, spans


def _parse_days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.replace(" ", "").split(","):
        if "-" in part:
            first, last = (OSM_DAYS.index(p) for p in _known_days(part.split("-")))
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
            days.extend(span)
        else:
            days.append(OSM_DAYS.index(_known_days([part])[0]))
    return days


def _known_days(parts: list[str]) -> list[str]:
    for part in parts:
        if part not in OSM_DAYS:
            raise UnknownHours(f"'{part}' is not a day code (Mo, Tu, We, Th, Fr, Sa, Su)")
    return parts


def _parse_span(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})", text)
    if not match:
        raise UnknownHours(f"cannot read the times '{text}'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        end += 1440  # "22:00-02:00" runs past midnight
    return start, end


MAX_ZONE_NAME = 64  # the longest IANA name is 32 characters


@lru_cache(maxsize=512)
def zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone, or None for anything else: a data cell or a browser's word is not trusted
    (a very long name makes ZoneInfo raise OSError: the file name is too long)."""
    if not name or len(name) > MAX_ZONE_NAME:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def hours_status(hours: str, timezone_name: str, now: datetime) -> Status:
    """Is a service with these hours open at `now` (an aware datetime), in its own zone?"""
    tz = zone(timezone_name)
    if not hours.strip():
        return Status(known=False)
    try:
        intervals = parse_hours(hours)
    except UnknownHours:
        return Status(known=False, message=N_("Hours: {hours} (call to check)"), values=(("hours", hours),))
    if tz is None:
        return Status(known=False, message=N_("Hours: {hours} (local time)"), values=(("hours", hours),))
    local = now.astimezone(tz)
    minute_of_week = local.weekday() * 1440 + local.hour * 60 + local.minute
    week = 7 * 1440
    for interval in intervals:
        start = interval.weekday * 1440 + interval.start
        end = interval.weekday * 1440 + interval.end
        for shift in (0, -week):  # an interval from Sunday night may run into Monday
            if start + shift <= minute_of_week < end + shift:
                if interval.end - interval.start >= 1440:
                    return Status(True, True, N_("Open 24 hours"))
                closes = (end % 1440) // 60, end % 60
                return Status(True, True, OPEN_UNTIL, (("time", closes),),
                              change_at=_minutes_later(local, end + shift - minute_of_week))  # fmt: skip
    opening = _next_opening(intervals, minute_of_week)
    if opening is None:
        return Status(True, False, N_("Closed"))
    weekday, minutes = divmod(opening % week, 1440)
    return Status(True, False, OPENS_AT, (("day", weekday), ("time", (minutes // 60, minutes % 60))),
                  change_at=_minutes_later(local, (opening - minute_of_week) % week))  # fmt: skip


OPEN_UNTIL = N_("Open now, until {time}")
OPENS_AT = N_("Closed now, opens {day} {time}")
MEETING_ON = N_("Meeting on now (started {time})")
NEXT_MEETING = N_("Next meeting {day} {time}")


def _minutes_later(local: datetime, minutes: int) -> datetime:
    """The wall-clock moment `minutes` after `local` (to the minute), in the same zone."""
    start = local.replace(second=0, microsecond=0)
    return (start.astimezone(timezone.utc) + timedelta(minutes=minutes)).astimezone(local.tzinfo)


def _next_opening(intervals: tuple[Interval, ...], minute_of_week: int) -> int | None:
    week = 7 * 1440
    starts = [i.weekday * 1440 + i.start for i in intervals]
    if not starts:
        return None
    return min(s if s > minute_of_week else s + week for s in starts)


def meeting_days(day_text: str) -> list[int]:
    """Our `day` column ("0;3", Sunday=0) as Python weekdays (Monday=0)."""
    return [SUNDAY_FIRST_TO_WEEKDAY[int(d)] for d in day_text.split(";") if d.strip().isdigit() and int(d) <= 6]


def meeting_status(day_text: str, start_text: str, end_text: str, timezone_name: str, now: datetime) -> Status:
    """When is the next meeting, or is one on now? Evaluated in the meeting's time zone."""
    days = meeting_days(day_text)
    tz = zone(timezone_name)
    if not days or not start_text:
        return Status(known=False, message=N_("Meeting times not known: check with the group"))
    if tz is None:
        return Status(known=False, message=N_("Meets {days} {start} (local time)"),
                      values=(("days", tuple(days)), ("start", start_text)))  # fmt: skip
    hour, minute = (int(p) for p in start_text.split(":"))
    duration = _duration_minutes(start_text, end_text)
    local_now = now.astimezone(tz)
    candidates = []
    for offset in range(-1, 8):  # yesterday covers a meeting that started before midnight
        day = local_now.date() + timedelta(days=offset)
        if day.weekday() in days:
            start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
            if start + timedelta(minutes=duration) > local_now:
                candidates.append(start)
    start = min(candidates)
    clock = (("time", (start.hour, start.minute)),)
    if start <= local_now:
        return Status(True, True, MEETING_ON, clock, start)
    return Status(True, False, NEXT_MEETING, (("day", start.weekday()), *clock), start)


def _duration_minutes(start_text: str, end_text: str) -> int:
    if not end_text:
        return DEFAULT_MEETING_MINUTES
    sh, sm = (int(p) for p in start_text.split(":"))
    eh, em = (int(p) for p in end_text.split(":"))
    minutes = (eh * 60 + em) - (sh * 60 + sm)
    return minutes if minutes > 0 else minutes + 1440


def status_for(row, now: datetime) -> Status:
    """The status line for a directory row: a meeting's next start, or opening hours."""
    if row["day"] or row["time"]:
        return meeting_status(row["day"], row["time"], row["end_time"], row["timezone"], now)
    return hours_status(row["hours"], row["timezone"], now)


def time_of_day(start_text: str) -> str | None:
    """'morning', 'afternoon' or 'evening' for a meeting's start time."""
    if not start_text:
        return None
    hour, minute = (int(p) for p in start_text.split(":"))
    start = time(hour, minute)
    if start < MORNING_ENDS:
        return "morning"
    return "afternoon" if start < AFTERNOON_ENDS else "evening"


# --- display in the searcher's time zone ----------------------------------------------------

# Countries whose people read times on a 12-hour clock ("3:00 pm"); elsewhere "15:00".
TWELVE_HOUR_COUNTRIES = frozenset({"US"})
_CLOCK = re.compile(r"\b([01]?\d|2[0-4]):([0-5]\d)\b")


@dataclass(frozen=True)
class Viewer:
    """Whose clock the times are shown on: the searched place's zone (IANA name, or "" when not
    known) and whether that country reads a 12-hour clock."""

    zone: str = ""
    twelve_hour: bool = False

    @classmethod
    def for_place(cls, zone_name: str, country_code: str | None) -> Viewer:
        return cls(zone_name or "", (country_code or "").upper() in TWELVE_HOUR_COUNTRIES)


def clock_text(hour: int, minute: int, twelve_hour: bool, lang: str = DEFAULT_LANGUAGE) -> str:
    """(20, 0) -> '20:00', or '8:00 pm' on a 12-hour clock (midnight '12:00 am').

    The clock (12 or 24 hours) belongs to the viewer's place; the language decides how a 12-hour
    time is written: English as before, others by CLDR through Babel ('8:00 p.m.' in es_419)."""
    if not twelve_hour:
        return f"{hour % 24:02d}:{minute:02d}"
    code = normalise(lang) or DEFAULT_LANGUAGE
    if code != DEFAULT_LANGUAGE:
        return _cldr_twelve_hour(hour % 24, minute, code)
    suffix = "am" if hour % 24 < 12 else "pm"
    return f"{(hour % 12) or 12}:{minute:02d} {suffix}"


@lru_cache(maxsize=4096)
def _cldr_twelve_hour(hour: int, minute: int, code: str) -> str:  # Babel's formatting, once per time
    return format_time(time(hour, minute), "h:mm a", locale=babel_locale(code))


def day_name(weekday: int, lang: str = DEFAULT_LANGUAGE, width: str = "") -> str:
    """A weekday (Monday=0) in a sentence: 'Tue' in English as before; in other languages CLDR's
    full name by default ('martes': Spanish 'mar' is also 'sea'), or `width` ('abbreviated')."""
    if (normalise(lang) or DEFAULT_LANGUAGE) == DEFAULT_LANGUAGE:
        return DAY_LABELS[weekday]
    return get_day_names(width or "wide", locale=babel_locale(lang))[weekday]


def day_list(weekdays, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Mon, Wed' in English as before; 'lunes y miércoles' by CLDR's list pattern elsewhere."""
    names = [day_name(d, lang) for d in weekdays]
    if (normalise(lang) or DEFAULT_LANGUAGE) == DEFAULT_LANGUAGE:
        return ", ".join(names)
    return format_list(names, locale=babel_locale(lang))


def status_words(status: Status, lang: str = DEFAULT_LANGUAGE, twelve_hour: bool = False,
                 data_clocks: bool = False) -> str:  # fmt: skip
    """A status sentence in `lang`. `data_clocks` also puts clock times inside the data's own text
    (hours a service wrote) on the viewer's clock."""
    filled = {}
    for name, value in status.values:
        if name == "time":
            filled[name] = clock_text(value[0], value[1], twelve_hour, lang)
        elif name == "day":
            filled[name] = day_name(value, lang)
        elif name == "days":
            filled[name] = day_list(value, lang)
        else:
            filled[name] = _data_clocks(str(value), twelve_hour, lang) if data_clocks else str(value)
    return translator(lang).gettext(status.message).format(**filled)


def _data_clocks(text: str, twelve_hour: bool, lang: str) -> str:
    return _CLOCK.sub(lambda m: clock_text(int(m[1]), int(m[2]), twelve_hour, lang), text)


def zone_place_name(zone_name: str) -> str:
    """'America/New_York' -> 'New York': how people name a zone in a sentence."""
    return zone_name.rsplit("/", 1)[-1].replace("_", " ") if zone_name else ""


def _same_clock(zone_a: ZoneInfo, zone_b: ZoneInfo, moment: datetime) -> bool:
    return moment.astimezone(zone_a).utcoffset() == moment.astimezone(zone_b).utcoffset()


def viewer_status_text(row, now: datetime, viewer: Viewer, lang: str = DEFAULT_LANGUAGE) -> str:
    """The status line for a row in `lang`, with every time on the viewer's clock, naming the
    service's own zone where its clock differs: 'Next meeting Tue 3:00 pm your time (20:00 in London)'."""
    status = status_for(row, now)
    own = zone(row["timezone"])
    mine = zone(viewer.zone)
    tr = translator(lang)
    clock = lambda moment: clock_text(moment.hour, moment.minute, viewer.twelve_hour, lang)  # noqa: E731
    place = zone_place_name(row["timezone"])
    if status.next_start is not None and own is not None:
        start = status.next_start
        shown = start.astimezone(mine) if mine is not None else start
        when = clock(shown)
        if mine is not None and not _same_clock(own, mine, start):
            when = tr.gettext(YOUR_TIME).format(time=when, their_time=clock(start), place=place)
        if status.open_now:
            return tr.gettext(N_("Meeting on now: started {time}")).format(time=when)
        return tr.gettext(NEXT_MEETING).format(day=day_name(shown.weekday(), lang), time=when)
    if status.change_at is not None and own is not None and mine is not None and not _same_clock(own, mine, now):
        # Opening hours on the viewer's clock too: 'Open now, until 2:00 pm your time (5:00 pm in New York)'.
        theirs, shown = status.change_at, status.change_at.astimezone(mine)
        when = tr.gettext(YOUR_TIME).format(time=clock(shown), their_time=clock(theirs), place=place)
        if status.open_now:
            return tr.gettext(OPEN_UNTIL).format(time=when)
        return tr.gettext(OPENS_AT).format(day=day_name(shown.weekday(), lang), time=when)
    text = status_words(status, lang, viewer.twelve_hour, data_clocks=True)
    if status.known and own is not None and mine is not None and not _same_clock(own, mine, now):
        text = tr.gettext(N_("{status} ({place} time)")).format(status=text, place=place)
    return text


YOUR_TIME = N_("{time} your time ({their_time} in {place})")
