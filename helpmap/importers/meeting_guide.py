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
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..report import LoadReport
from ..timezones import is_zone
from .detect import refuse, refuse_folder, sniff_json, sniff_text, wrong_format
from .mapping import Column, FieldLedger, NotCarried, Used, Words
from .zones import fill_time_zones
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
# 24-hour "19:30" / "19:30:00", and 12-hour "7:30 PM", "7pm", "7:30 p.m.".
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
TIME_12 = re.compile(r"^(1[0-2]|0?[1-9])(?::([0-5]\d))?(?::[0-5]\d)?\s*([ap])\.?\s*m?\.?$", re.IGNORECASE)
COUNTRY_CODES = {"usa": "US", "us": "US", "united states": "US", "united states of america": "US",
                 "canada": "CA", "uk": "GB", "united kingdom": "GB", "australia": "AU", "new zealand": "NZ",
                 "ireland": "IE", "mexico": "MX", "méxico": "MX", "south africa": "ZA"}  # fmt: skip
# Postcodes that may stand alone as an address part: US ZIP, Canadian, UK.
POSTCODE = r"\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"
ONLY_POSTCODE = re.compile(rf"^(?:{POSTCODE})$", re.IGNORECASE)
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.IGNORECASE)
# "IL 62701", "Alberta T6E 4E8": a region with its postal code.
REGION_POSTCODE = re.compile(rf"^([^\d,]+?)\s+({POSTCODE})$", re.IGNORECASE)
# Codes that feeds write in other ways, mapped to the types.json code.
TYPE_ALIASES = {"ASBI": "ABSI", "LGBTQIA": "LGBTQ", "LGBTQIA+": "LGBTQ", "LGBTQ+": "LGBTQ", "OPEN": "O",
                "CLOSED": "C", "WOMEN": "W", "MEN": "M", "SPANISH": "S", "ONLINE": "ONL"}  # fmt: skip
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b")

# Every Meeting Guide field (code4recovery/spec, and what TSML plugins add) and where it goes.
FIELDS = {
    "name": Column("name"),
    "slug": Column("id (mg-<slug>)"),
    "day": Column("day"),
    "time": Column("time"),
    "end_time": Column("end_time"),
    "timezone": Column("timezone"),
    "types": Column("languages, gender, wheelchair, services; every type in words in description"),
    "conference_url": Column("online_url (further links in description)"),
    "conference_phone": Column("online_phone"),
    "conference_url_notes": Words("description: 'Joining online: ...'"),
    "conference_phone_notes": Words("description: 'Joining online: ...'"),
    "address": Column("address, city, region, postcode, country (a one-line address is split)"),
    "formatted_address": Column("address, city, region, postcode, country (split)"),
    "city": Column("city"),
    "state": Column("region"),
    "postal_code": Column("postcode"),
    "country": Column("country"),
    "latitude": Column("latitude"),
    "longitude": Column("longitude"),
    "approximate": Column("approximate"),
    "location": Words("description: 'Location: ...'"),
    "location_notes": Words("description: 'Location: ...'"),
    "notes": Words("description"),
    "group_notes": Words("description: 'Group: ...'"),
    "group": Column("organization"),
    "entity": Column("organization (when there is no group)"),
    "url": Column("website"),
    "website": Column("website (when there is no url)"),
    "updated": Column("last_verified"),
    "region": Words("description: 'Area: ...'"),
    "sub_region": Words("description: 'Area: ...'"),
    "regions": Words("description: 'Area: ...'"),
    "attendance_option": Used("attendance (with the links and address)"),
    "email": Column("email"),
    "phone": Column("phone"),
    "entity_email": Column("email (when the meeting has none)"),
    "entity_phone": Column("phone (when the meeting has none)"),
    "entity_url": Column("website (when the meeting has none)"),
    "location_url": Column("source_url"),
    "id": NotCarried("the feed's internal number; slug is the stable key"),
    "location_id": NotCarried("the feed's internal number"),
    "group_id": NotCarried("the feed's internal number"),
    "region_id": NotCarried("the feed's internal number"),
    "time_formatted": NotCarried("time again, as display text"),
    "edit_url": NotCarried("the feed's admin page"),
    "author": NotCarried("the feed's editor account"),
    "feedback_url": NotCarried("the intergroup's form for corrections"),
    "feedback_emails": NotCarried("the intergroup's addresses for corrections"),
    "entity_location": NotCarried("where the intergroup itself is"),
    "last_contact": NotCarried("the intergroup's internal contact date"),
    "mailing_address": NotCarried("the group's postal address, not where it meets"),
    "county": NotCarried("city and state place the meeting"),
    "venmo": NotCarried("a donation handle (7th tradition)"),
    "paypal": NotCarried("a donation handle (7th tradition)"),
    "square": NotCarried("a donation handle (7th tradition)"),
}


@guarded
def import_meeting_guide(src: str | Path, report: LoadReport, *, default_timezone: str = "") -> pd.DataFrame:
    refuse(refuse_folder(src, "meeting-guide"))
    meetings = _meetings(read_text(src, report))
    tally = FeedTally()
    ledger = FieldLedger(FIELDS)
    rows = []
    for number, meeting in enumerate(meetings, start=1):
        if isinstance(meeting, dict):
            ledger.see_record(meeting)
        row = meeting_row(number, meeting, report, tally)
        if row is not None:
            rows.append(row)
    tally.report_to(report)
    ledger.report_to(report)
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    clean_coordinates(frame, report, frame["_label"])
    frame = _reject_repeated_slugs(frame, report)
    fill_time_zones(frame, report, default_timezone)
    return frame


def _meetings(text: str) -> list:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        refuse(wrong_format(sniff_text(text), "meeting-guide"))
        raise UnusableInput(f"The feed is not valid JSON (line {error.lineno}: {error.msg}).") from None
    refuse(wrong_format(sniff_json(data), "meeting-guide"))
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
                f"{counted(len(self.unknown_types), 'meeting type code')} not in types.json, kept as written "
                f"in the description: {listed}"
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
        report.reject(number, f"meeting {number} is not a meeting object (it is {type(meeting).__name__})",
                      "not a meeting object")  # fmt: skip
        return None
    text = {key: unescaped(value) for key, value in meeting.items()}
    slug, name = text.get("slug", ""), text.get("name", "")
    label = f"meeting {number}" + (f" (slug {slug})" if slug else f" ({name})" if name else "")
    if not name:
        report.reject(number, f"{label}: has no name", "has no name")
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
    links = online_details(text, label, report)
    extra_links = links.pop("_more")
    row.update(links)
    one_line_parts, fields = place(meeting, text)
    row.update(fields)
    types = type_codes(meeting.get("types"))
    row.update(type_columns(types, tally))

    online = bool(row["online_url"] or row["online_phone"])
    if "TC" in types:
        if not online:
            report.reject(
                number,
                f"{label}: its location is temporarily closed (type TC) and it has no online link or phone",
                "location temporarily closed, no online link or phone",
            )
            return None
        tally.closed_kept_online += 1
        row.update(address="", latitude="", longitude="", postcode="")
    problem = _missing_essentials(row, online)
    if problem:
        report.reject(number, f"{label}: {problem}", problem)
        return None

    row["approximate"] = approximate(text.get("approximate", ""), one_line_parts)
    row["attendance"] = attendance(row, online, closed="TC" in types, option=text.get("attendance_option", ""))
    row["organization"] = text.get("group") or text.get("entity", "")
    row["description"] = description(text, types, extra_links)
    row["website"] = web_address(text.get("url", "")) or web_address(text.get("website", "")) or web_address(
        text.get("entity_url", "")
    )
    row["email"] = text.get("email") or text.get("entity_email", "")
    row["phone"] = text.get("phone") or text.get("entity_phone", "")
    row["source_url"] = web_address(text.get("location_url", ""))
    row["last_verified"] = updated_date(text.get("updated", ""))
    if not slug:
        tally.without_slug += 1
    return row


def unescaped(value: object) -> str:
    """A scalar as text with HTML entities decoded (feeds from WordPress send '&amp;', '&#8217;')."""
    text = plain_text(value)
    return html.unescape(text).strip() if "&" in text else text


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
    if isinstance(value, str) and "," in value:
        value = value.split(",")
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


def clock_time(text: str) -> str:
    """'19:30', '19:30:00', '7:30 PM', '7pm', '12:15 a.m.', 'noon' -> 'HH:MM'; '' if not a time."""
    text = text.strip()
    match = TIME.match(text)
    if match:
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    lowered = text.lower()
    if lowered in ("noon", "12 noon"):
        return "12:00"
    if lowered == "midnight":
        return "00:00"
    match = TIME_12.match(text)
    if not match:
        return ""
    hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
    return f"{hour:02d}:{match.group(2) or '00'}"


def meeting_time(value: object, what: str, label: str, report: LoadReport) -> str:
    text = plain_text(value)
    if not text:
        return ""
    clock = clock_time(text)
    if not clock:
        report.warn(f"{label}: the {what} '{text[:20]}' is not a time like 19:30 or 7:30 PM; it was left out.")
    return clock


def time_zone(name: str, label: str, report: LoadReport) -> str:
    if not name or is_zone(name):
        return name
    report.warn(
        f"{label}: the time zone '{name[:40]}' is not known (use a name like America/New_York); "
        "it was inferred from the meeting's place instead."
    )
    return ""


URL_IN_TEXT = re.compile(r"https?://[^\s,;<>\"']+", re.IGNORECASE)


def online_details(text: dict, label: str, report: LoadReport) -> dict:
    """The first web address of conference_url as the link; any others go in the description."""
    given = text.get("conference_url", "")
    found = list(dict.fromkeys(web_address(u) for u in URL_IN_TEXT.findall(given)))
    urls = [u for u in found if u] or ([web_address(given)] if web_address(given) else [])
    if given and not urls:
        report.warn(
            f"{label}: the conference_url '{given[:60]}' is not a web address (http or https); "
            "it was left out."
        )
    return {
        "online_url": urls[0] if urls else "",
        "online_phone": text.get("conference_phone", ""),
        "_more": urls[1:],
    }


def place(meeting: dict, text: dict) -> tuple[int, dict]:
    """Address fields from address/city/state/postal_code/country, filling gaps from a one-line
    address (formatted_address, or an `address` holding the whole thing); coordinates as text.
    Returns the number of comma parts of the one-line address (0 when none), and the fields."""
    street = text.get("address", "")
    one_line = text.get("formatted_address", "")
    if not one_line and "," in street and not (text.get("city") or text.get("postal_code")):
        one_line, street = street, ""
    parsed = parse_formatted_address(one_line)
    given = {
        "address": street,
        "city": text.get("city", ""),
        "region": text.get("state", ""),
        "postcode": text.get("postal_code", ""),
        "country": country_code(text.get("country", "")),
    }
    fields = {column: given[column] or parsed[column] for column in given}
    fields["latitude"] = number_text(meeting.get("latitude"))
    fields["longitude"] = number_text(meeting.get("longitude"))
    return len([part for part in one_line.split(",") if part.strip()]), fields


def parse_formatted_address(text: str) -> dict:
    """'123 Main St, Springfield, IL 62701, USA' or '8318 104 Street NW, Edmonton, Alberta,
    T6E 4E8, Canada' -> street, city, region, postcode, country. 'Philadelphia, PA, USA' or
    'Edmonton, Alberta, Canada' -> a city and region with no street; 'London, UK' a city. Other shapes keep the
    text as the street line, which people can still read."""
    fields = dict.fromkeys(("address", "city", "region", "postcode", "country"), "")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return fields
    if len(parts) >= 2 and (parts[-1].lower() in COUNTRY_CODES or (len(parts) >= 4 and not _digits(parts[-1]))):
        fields["country"] = country_code(parts.pop())
    if len(parts) >= 2 and ONLY_POSTCODE.match(parts[-1]):
        fields["postcode"] = parts.pop().upper()
    elif len(parts) >= 2 and REGION_POSTCODE.match(parts[-1]):
        before, postcode = REGION_POSTCODE.match(parts.pop()).groups()
        fields["postcode"] = postcode.upper()
        if UK_POSTCODE.match(postcode):  # "Leeds LS1 1AA": a town before a UK postcode
            parts.append(before)
        else:  # "IL 62701", "ON K1A 0B1": a state or province
            fields["region"] = before
    if not fields["region"] and len(parts) >= 2 and not _digits(parts[-1]):
        # "Street, City, Region", "City, Region"; but "12 Main St, Springfield" is street and city
        if len(parts) >= 3 or not _digits(parts[0]) or _is_region_code(parts[-1]):
            fields["region"] = parts.pop()
    if len(parts) >= 2 or (len(parts) == 1 and not _digits(parts[0]) and any(fields.values())):
        fields["city"] = parts.pop()
    fields["address"] = ", ".join(parts)
    return fields


def _digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _is_region_code(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,3}", text.strip()))


def country_code(text: str) -> str:
    return COUNTRY_CODES.get(text.strip().lower(), text.strip())


def approximate(given: str, one_line_parts: int) -> str:
    """The feed's own flag; else, as TSML UI does, a one-line address of fewer than four
    comma parts (a town, not a door) is approximate. Returns 'yes', 'no' or ''."""
    flag = yes_no(given)
    if flag:
        return flag
    return "yes" if 0 < one_line_parts < 4 else ""


def type_codes(value: object) -> list[str]:
    """The types array (or a comma-separated string, as some feeds send) as clean codes."""
    items = value if isinstance(value, list) else str(value).split(",") if isinstance(value, str) else []
    return list(dict.fromkeys(c for c in (unescaped(item) for item in items) if c))


def type_columns(types: list[str], tally: FeedTally) -> dict:
    effects: list[str] = []
    for code in types:
        known = known_code(code)
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


_NAME_TO_CODE = {name.lower(): code for code, name in TYPE_NAMES.items()}


def known_code(code: str) -> str | None:
    """The types.json code for a code as a feed writes it ('o', '[open]', 'ASBI', 'Open'), or None."""
    if code in TYPE_NAMES:
        return code
    bare = code.strip("[]() ").upper()
    bare = TYPE_ALIASES.get(bare, bare)
    if bare in TYPE_NAMES:
        return bare
    return _NAME_TO_CODE.get(code.strip("[]() ").lower())


def attendance(row: dict, online: bool, *, closed: bool, option: str = "") -> str:
    """As TSML UI decides: a meeting is also in person when it has a specific place (a street
    address or exact coordinates, not an approximate one) and its location is not closed."""
    specific = bool(row["address"] or row["latitude"]) and row["approximate"] != "yes"
    if option.lower() == "online" and online:
        return "online"
    if online:
        return "hybrid" if specific and not closed else "online"
    return "in_person"


def yes_no(text: str) -> str:
    lowered = text.strip().lower()
    return "yes" if lowered in ("yes", "true", "1") else "no" if lowered in ("no", "false", "0") else ""


def description(text: dict, types: list[str], more_links: list[str]) -> str:
    """Notes, where to go, how to join, and every type of the meeting, as plain sentences."""
    where = join_words([text.get("location", ""), text.get("location_notes", "")], ": ")
    joining = join_words([text.get("conference_url_notes", ""), text.get("conference_phone_notes", "")], "; ")
    regions = text.get("regions") or ""
    area = join_words([text.get("region", ""), text.get("sub_region", ""), *_list_text(regions)], ", ")
    named, as_written = [], []
    for code in types:
        known = known_code(code)
        if known in ("TC", "ONL"):
            continue
        (named if known else as_written).append(TYPE_NAMES[known] if known else code)
    parts = [
        text.get("notes", ""),
        f"Group: {text['group_notes']}" if text.get("group_notes") else "",
        f"Location: {where}" if where else "",
        f"Area: {area}" if area else "",
        f"Joining online: {joining}" if joining else "",
        "Other links: " + " ".join(more_links) if more_links else "",
        "Meeting type: " + ", ".join(dict.fromkeys(named)) if named else "",
        "Other types (as the feed writes them): " + ", ".join(as_written) if as_written else "",
    ]
    return " ".join(part if part.endswith((".", "!", "?")) else part + "." for part in parts if part)


def _list_text(value: object) -> list[str]:
    return [unescaped(v) for v in value] if isinstance(value, list) else []


def updated_date(text: str) -> str:
    """'2024-05-31 14:32:23' or '8/25/2022 11:17:07 AM' -> ISO date; anything else -> ''."""
    match = US_DATE.match(text)
    if match:
        month, day, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return ""
    try:
        return date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else ""
    except ValueError:
        try:
            return datetime.fromisoformat(text).date().isoformat()
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
            "repeats an earlier meeting's slug",
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
