"""Meeting Guide JSON feeds (the AA/NA meeting format, code4recovery/spec) -> our schema.

A feed is a JSON array of meetings (an object with a "meetings" array is accepted too). Each
meeting becomes one support_group row. Choices:

* id = "mg-" + slug (slugs are the feed's stable keys). A repeated slug is rejected; a meeting
  without a slug gets an id hashed from its name, days, time and address, with a warning.
* day: 0-6 with Sunday = 0, one number or a list -> "1;3;5". time/end_time -> "HH:MM".
* Online: a conference_url (http/https) or conference_phone makes a meeting online; with a
  street address (or exact coordinates) as well it is hybrid, as TSML UI decides it.
* TC ("location temporarily closed"): a meeting that still meets online is kept as online only,
  without its street address or coordinates, so nobody is sent to a closed building; one
  without online details is rejected, because there is nowhere to go.
* types -> languages ("English;Spanish"), gender (W, M, NB), wheelchair (X), services (DD, POA,
  Y, LGBTQ/G/L/T/BI, Al-Anon/Alateen -> family) and every other known type (Open, Closed,
  Big Book ...) as words in the description. Unknown codes are reported once, with counts.
* group (or else entity) -> organization; location (the building), location_notes, notes and the
  conference notes -> description; updated -> last_verified (date part); url -> website.
* Rejected, with "meeting N (slug ...)": no name; neither a day and time nor online details;
  no address, coordinates or online details. N is the meeting's 1-based place in the array.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pandas as pd

from ..report import LoadReport
from . import (
    UnusableInput,
    clean_coordinates,
    counted,
    guarded,
    join_words,
    number_text,
    plain_text,
    read_text,
    web_address,
)

SOURCE = "meeting-guide feed"

# English names of the Meeting Guide type codes (code4recovery/spec data/types.json, MIT),
# with the proposed codes and TSML's legacy ONL (online).
TYPE_NAMES = {
    "11": "11th Step Meditation", "12x12": "12 Steps & 12 Traditions", "A": "Secular",
    "ABSI": "As Bill Sees It", "AF": "Afrikaans", "AL": "Concurrent with Alateen",
    "AL-AN": "Concurrent with Al-Anon", "AM": "Amharic", "AR": "Arabic", "ASL": "American Sign Language",
    "B": "Big Book", "BA": "Babysitting Available", "BE": "Newcomer", "BG": "Bulgarian", "BI": "Bisexual",
    "BRK": "Breakfast", "C": "Closed", "CAN": "Candlelight", "CF": "Child-Friendly", "D": "Discussion",
    "DA": "Danish", "DB": "Digital Basket", "DD": "Dual Diagnosis", "DE": "German", "DR": "Daily Reflections",
    "EL": "Greek", "EN": "English", "FA": "Persian", "FI": "Finnish", "FF": "Fragrance Free", "FR": "French",
    "G": "Gay", "GR": "Grapevine", "H": "Birthday", "HE": "Hebrew", "HI": "Hindi", "HR": "Croatian",
    "HU": "Hungarian", "IS": "Icelandic", "ITA": "Italian", "JA": "Japanese", "KA": "Georgian",
    "KOR": "Korean", "L": "Lesbian", "LGBTQ": "LGBTQ", "LIT": "Literature", "LS": "Living Sober",
    "LT": "Lithuanian", "M": "Men", "MED": "Meditation", "ML": "Malayalam", "MT": "Maltese",
    "N": "Native American", "NB": "Non-Binary", "NDG": "Indigenous", "NE": "Nepali", "NL": "Dutch",
    "NO": "Norwegian", "O": "Open", "OUT": "Outdoor", "P": "Professionals", "POA": "Proof of Attendance",
    "POC": "People of Color", "POL": "Polish", "POR": "Portuguese", "PUN": "Punjabi", "RUS": "Russian",
    "S": "Spanish", "SEN": "Seniors", "SK": "Slovak", "SL": "Slovenian", "SM": "Smoking Permitted",
    "SP": "Speaker", "ST": "Step Study", "SV": "Swedish", "T": "Transgender",
    "TC": "Location Temporarily Closed", "TH": "Thai", "TL": "Tagalog", "TR": "Tradition Study",
    "TUR": "Turkish", "UK": "Ukrainian", "W": "Women", "X": "Wheelchair Access",
    "XB": "Wheelchair-Accessible Bathroom", "XT": "Cross Talk Permitted", "Y": "Young People",
    "BV-I": "Blind / Visually Impaired", "D-HOH": "Deaf / Hard of Hearing", "LO-I": "Loners / Isolationists",
    "QSL": "Quebec Sign Language", "RSL": "Russian Sign Language", "ONL": "Online",
}  # fmt: skip
LANGUAGE_TYPES = {
    "AF", "AM", "AR", "ASL", "BG", "DA", "DE", "EL", "EN", "FA", "FI", "FR", "HE", "HI", "HR", "HU", "IS",
    "ITA", "JA", "KA", "KOR", "LT", "ML", "MT", "NE", "NL", "NO", "POL", "POR", "PUN", "RUS", "S", "SK",
    "SL", "SV", "TH", "TL", "TUR", "UK", "QSL", "RSL",
}  # fmt: skip
LGBTQ = ("services:lgbtq",)
TYPE_EFFECTS = {
    "DD": ("services:dual_diagnosis",),
    "POA": ("services:proof_of_attendance",),
    "Y": ("services:youth",),
    "LGBTQ": LGBTQ, "G": LGBTQ, "L": LGBTQ, "T": LGBTQ, "BI": LGBTQ,
    "NB": ("services:lgbtq", "gender:non_binary"),
    "W": ("services:women", "gender:women"),
    "M": ("services:men", "gender:men"),
    "X": ("wheelchair:yes",),
    "AL": ("services:family",), "AL-AN": ("services:family",),
    "TC": (), "ONL": (),  # read for attendance, not shown as words
}  # fmt: skip
DAY_NAMES = {name: number for number, names in enumerate((
    ("sun", "sunday"), ("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
    ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
)) for name in names}  # fmt: skip
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
COUNTRY_CODES = {"usa": "US", "us": "US", "united states": "US", "united states of america": "US",
                 "canada": "CA", "uk": "GB", "united kingdom": "GB", "australia": "AU", "new zealand": "NZ",
                 "ireland": "IE"}  # fmt: skip
# "Springfield, IL 62701" style: a US state or Canadian province with its postal code.
REGION_POSTCODE = re.compile(r"^([A-Z]{2})\s+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)$")


@guarded
def import_meeting_guide(src: str | Path, report: LoadReport) -> pd.DataFrame:
    meetings = _meetings(read_text(src, report))
    tally = FeedTally()
    rows = []
    for number, meeting in enumerate(meetings, start=1):
        row = meeting_row(number, meeting, report, tally)
        if row is not None:
            rows.append(row)
    tally.report_to(report)
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    clean_coordinates(frame, report, frame["_label"])
    return _reject_repeated_slugs(frame, report)


def _meetings(text: str) -> list:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnusableInput(f"The feed is not valid JSON (line {error.lineno}: {error.msg}).") from None
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        data = data["meetings"]
    if not isinstance(data, list):
        raise UnusableInput("The feed is not a list of meetings (a Meeting Guide feed is a JSON array).")
    if not data:
        raise UnusableInput("The feed holds no meetings.")
    return data


@dataclass
class FeedTally:
    """What the whole feed could not map, reported once each."""

    unknown_types: Counter = field(default_factory=Counter)
    closed_kept_online: int = 0
    without_slug: int = 0

    def report_to(self, report: LoadReport) -> None:
        if self.unknown_types:
            listed = ", ".join(
                f"{code} ({n} meeting{'s' if n > 1 else ''})"
                for code, n in self.unknown_types.most_common(30)
            )
            report.warn(
                f"{counted(len(self.unknown_types), 'meeting type code')} not recognised, "
                f"so left out: {listed}"
            )
        if self.closed_kept_online:
            report.warn(
                f"{counted(self.closed_kept_online, 'meeting')} with a temporarily closed location (type TC) "
                "still meeting online: kept as online only, without the street address."
            )
        if self.without_slug:
            report.warn(
                f"{counted(self.without_slug, 'meeting')} without a slug: ids were made from name, day, time "
                "and address, so they change if those change."
            )


# --- one meeting ---------------------------------------------------------------------------


def meeting_row(number: int, meeting: object, report: LoadReport, tally: FeedTally) -> dict | None:
    if not isinstance(meeting, dict):
        report.reject(number, f"meeting {number} is not a meeting object (it is {type(meeting).__name__})")
        return None
    text = {key: plain_text(value) for key, value in meeting.items()}
    slug, name = text.get("slug", ""), text.get("name", "")
    label = f"meeting {number}" + (f" (slug {slug})" if slug else f" ({name})" if name else "")
    if not name:
        report.reject(number, f"{label}: has no name")
        return None

    row = {
        "_label": label,
        "_line": number,
        "_slug": slug,
        "name": name,
        "kind": "support_group",
        "source": SOURCE,
    }
    row["day"] = meeting_days(meeting.get("day"), label, report)
    row["time"] = meeting_time(meeting.get("time"), "time", label, report)
    row["end_time"] = meeting_time(meeting.get("end_time"), "end time", label, report)
    row["timezone"] = time_zone(text.get("timezone", ""), label, report)
    row.update(online_details(text, label, report))
    row.update(place(meeting, text))
    types = type_codes(meeting.get("types"))
    row.update(type_columns(types, tally))

    online = bool(row["online_url"] or row["online_phone"])
    if "TC" in types:
        if not online:
            report.reject(
                number,
                f"{label}: its location is temporarily closed (type TC) and it has no online link or phone",
            )
            return None
        tally.closed_kept_online += 1
        row.update(address="", latitude="", longitude="", postcode="")
    problem = _missing_essentials(row, online)
    if problem:
        report.reject(number, f"{label}: {problem}")
        return None

    row["approximate"] = yes_no(text.get("approximate", ""))
    row["attendance"] = attendance(row, online, closed="TC" in types)
    row["organization"] = text.get("group") or text.get("entity", "")
    row["description"] = description(text, types)
    row["website"] = web_address(text.get("url", ""))
    row["last_verified"] = updated_date(text.get("updated", ""))
    if not slug:
        tally.without_slug += 1
    return row


def _missing_essentials(row: dict, online: bool) -> str:
    if not online and not (row["day"] and row["time"]):
        missing = " and ".join(
            part for part, value in (("day", row["day"]), ("time", row["time"])) if not value
        )
        return f"has no {missing}, and no online link or phone"
    has_place = any(row[c] for c in ("address", "city", "postcode", "latitude"))
    if not online and not has_place:
        return "has no address, coordinates or online link or phone"
    return ""


def meeting_days(value: object, label: str, report: LoadReport) -> str:
    """0-6 (Sunday = 0), a list of them, or day names -> '1;3;5'."""
    values = value if isinstance(value, list) else [] if value is None or value == "" else [value]
    days, bad = set(), []
    for item in values:
        day = _one_day(item)
        if day is None:
            bad.append(str(item)[:20])
        else:
            days.add(day)
    if bad:
        report.warn(
            f"{label}: the day {', '.join(bad)} is not 0-6 (Sunday = 0) or a day name; it was left out."
        )
    return ";".join(str(day) for day in sorted(days))


def _one_day(item: object) -> int | None:
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return item if 0 <= item <= 6 else None
    text = str(item).strip().lower()
    if text.isdigit():
        return int(text) if 0 <= int(text) <= 6 else None
    return DAY_NAMES.get(text)


def meeting_time(value: object, what: str, label: str, report: LoadReport) -> str:
    text = plain_text(value)
    if not text:
        return ""
    match = TIME.match(text)
    if not match:
        report.warn(f"{label}: the {what} '{text[:20]}' is not a 24-hour time like 19:30; it was left out.")
        return ""
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def time_zone(name: str, label: str, report: LoadReport) -> str:
    if not name or name in _zone_names():
        return name
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError):
        report.warn(
            f"{label}: the time zone '{name[:40]}' is not known (use a name like America/New_York); "
            "it was left out."
        )
        return ""


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def online_details(text: dict, label: str, report: LoadReport) -> dict:
    given = text.get("conference_url", "")
    url = web_address(given)
    if given and not url:
        report.warn(
            f"{label}: the conference_url '{given[:60]}' is not a web address (http or https); "
            "it was left out."
        )
    return {"online_url": url, "online_phone": text.get("conference_phone", "")}


def place(meeting: dict, text: dict) -> dict:
    """Address fields from address/city/state/postal_code/country, filling gaps from
    formatted_address; coordinates as text (feeds send numbers or strings)."""
    parsed = parse_formatted_address(text.get("formatted_address", ""))
    given = {
        "address": text.get("address", ""),
        "city": text.get("city", ""),
        "region": text.get("state", ""),
        "postcode": text.get("postal_code", ""),
        "country": country_code(text.get("country", "")),
    }
    fields = {column: given[column] or parsed[column] for column in given}
    fields["latitude"] = number_text(meeting.get("latitude"))
    fields["longitude"] = number_text(meeting.get("longitude"))
    return fields


def parse_formatted_address(text: str) -> dict:
    """'123 Main St, Springfield, IL 62701, USA' -> its parts. Other shapes keep the whole
    address (less the country) as the street line, which people can still read."""
    fields = dict.fromkeys(("address", "city", "region", "postcode", "country"), "")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return fields
    if len(parts) >= 3 and not any(ch.isdigit() for ch in parts[-1]):
        fields["country"] = country_code(parts.pop())
    match = REGION_POSTCODE.match(parts[-1]) if len(parts) >= 2 else None
    if match:
        fields["region"], fields["postcode"] = match.groups()
        fields["city"] = parts[-2]
        fields["address"] = ", ".join(parts[:-2])
    else:
        fields["address"] = ", ".join(parts)
    return fields


def country_code(text: str) -> str:
    return COUNTRY_CODES.get(text.strip().lower(), text.strip())


def type_codes(value: object) -> list[str]:
    """The types array (or a comma-separated string, as some feeds send) as clean codes."""
    items = value if isinstance(value, list) else str(value).split(",") if isinstance(value, str) else []
    return list(dict.fromkeys(c for c in (plain_text(item) for item in items) if c))


def type_columns(types: list[str], tally: FeedTally) -> dict:
    effects: list[str] = []
    for code in types:
        known = _known_code(code)
        if known is None:
            tally.unknown_types[code[:20]] += 1
        elif known in LANGUAGE_TYPES:
            effects.append(f"languages:{TYPE_NAMES[known]}")
        else:
            effects.extend(TYPE_EFFECTS.get(known, ()))
    words = {
        column: [e.split(":", 1)[1] for e in effects if e.startswith(column + ":")]
        for column in ("services", "languages", "gender", "wheelchair")
    }
    genders = set(words["gender"])
    services = ["peer_support", *words["services"]]  # every meeting is peer support
    return {
        "services": join_words(services),
        "languages": join_words(words["languages"]),
        "gender": genders.pop() if len(genders) == 1 else ("any" if genders else ""),
        "wheelchair": "yes" if words["wheelchair"] else "",
    }


def _known_code(code: str) -> str | None:
    if code in TYPE_NAMES:
        return code
    upper = code.upper()
    return upper if upper in TYPE_NAMES else None


def attendance(row: dict, online: bool, *, closed: bool) -> str:
    """As TSML UI decides: a meeting is also in person when it has a specific place (a street
    address or exact coordinates, not an approximate one) and its location is not closed."""
    specific = bool(row["address"] or row["latitude"]) and row["approximate"] != "yes"
    if online:
        return "hybrid" if specific and not closed else "online"
    return "in_person"


def yes_no(text: str) -> str:
    lowered = text.strip().lower()
    return "yes" if lowered in ("yes", "true", "1") else "no" if lowered in ("no", "false", "0") else ""


def description(text: dict, types: list[str]) -> str:
    """Notes, where to go, how to join, and the meeting's other types, as plain sentences."""
    where = join_words([text.get("location", ""), text.get("location_notes", "")], ": ")
    joining = join_words([text.get("conference_url_notes", ""), text.get("conference_phone_notes", "")], "; ")
    known = dict.fromkeys(_known_code(code) for code in types)
    described = [code for code in known if code and code not in LANGUAGE_TYPES and code not in TYPE_EFFECTS]
    parts = [
        text.get("notes", ""),
        f"Location: {where}" if where else "",
        f"Joining online: {joining}" if joining else "",
        "Meeting type: " + ", ".join(TYPE_NAMES[code] for code in described) if described else "",
    ]
    return " ".join(part if part.endswith((".", "!", "?")) else part + "." for part in parts if part)


def updated_date(text: str) -> str:
    """'2024-05-31 14:32:23' -> '2024-05-31'; anything that is not a date -> ''."""
    try:
        return date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else ""
    except ValueError:
        return ""


# --- the whole feed ------------------------------------------------------------------------


def _reject_repeated_slugs(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    slugs = frame["_slug"]
    repeated = (slugs != "") & slugs.duplicated(keep="first")
    first = frame[(slugs != "") & ~repeated].set_index("_slug")["_line"]
    for row in frame.index[repeated]:
        report.reject(
            int(frame.at[row, "_line"]),
            f"{frame.at[row, '_label']}: the slug is already used by meeting {first[slugs[row]]}; "
            "this one was skipped",
        )
    frame = frame[~repeated].copy()
    frame["id"] = [_meeting_id(row) for row in frame.to_dict("records")]
    repeat = frame["id"].groupby(frame["id"]).cumcount()
    frame["id"] = frame["id"].where(repeat == 0, frame["id"] + "-" + (repeat + 1).astype(str))
    return frame


def _meeting_id(row: dict) -> str:
    if row["_slug"]:
        return "mg-" + row["_slug"]
    key = "|".join(row[c] for c in ("name", "day", "time", "address", "city", "latitude", "longitude"))
    return "mg-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
