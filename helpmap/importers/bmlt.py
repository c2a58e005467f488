"""BMLT (Basic Meeting List Toolbox, NA's meeting server) -> our schema.

SRC is a `GetSearchResults` JSON response (a file or an http(s) URL): a list of meetings, or
`{"meetings": [...], "formats": [...]}` as a root server sends it with `get_used_formats=1`.
A root server's own URL (".../main_server") is turned into that query by `search_url`.
The format codes come from the response's "formats", or from a `GetFormats` file given as
`formats` (`key_string` -> `name_string`).

Choices:
* weekday_tinyint 1-7 with 1 = Sunday -> our day 0-6 with Sunday = 0.
* start_time "19:00:00" -> "19:00"; end_time = start_time + duration_time ("01:30:00").
* venue_type 1 in person, 2 virtual (online: street address and point left out, so nobody is
  sent to a building), 3 hybrid; without venue_type, as Meeting Guide: a link or phone makes
  a meeting online, hybrid when it also has a street address.
* id = "bmlt-" + id_bigint (the server's stable key), with a short hash of root_server_uri when
  a response mixes servers (an aggregator), so ids never collide.
* formats -> words in the description by their names; a few also set columns (wheelchair,
  gender, services, languages), by their world_id, which is the same on every server.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from ..report import LoadReport
from ..timezones import is_zone, zone_at
from . import UnusableInput, clean_coordinates, counted, guarded, join_words, number_text, read_text, web_address
from .detect import refuse, refuse_folder, sniff_json, sniff_text, wrong_format
from .mapping import Column, FieldLedger, ImportReport, NotCarried, Used, Words
from .meeting_guide import clock_time, unescaped
from .zones import fill_time_zones

SOURCE = "BMLT meeting list"
SEARCH_QUERY = "client_interface/json/?switcher=GetSearchResults&get_used_formats=1"

FIELDS = {
    "id_bigint": Column("id (bmlt-<id_bigint>)"),
    "meeting_name": Column("name"),
    "weekday_tinyint": Column("day (1 = Sunday -> 0)"),
    "start_time": Column("time"),
    "duration_time": Column("end_time (start + duration)"),
    "time_zone": Column("timezone"),
    "formats": Column("wheelchair, gender, services, languages; every format in words in description"),
    "format_shared_id_list": Used("formats, when there are no format codes"),
    "venue_type": Used("attendance (1 in person, 2 virtual, 3 hybrid)"),
    "latitude": Column("latitude"),
    "longitude": Column("longitude"),
    "location_street": Column("address"),
    "location_municipality": Column("city"),
    "location_city_subsection": Words("description: 'Area: ...'"),
    "location_neighborhood": Words("description: 'Area: ...'"),
    "location_sub_province": Words("description: 'Area: ...'"),
    "location_province": Column("region"),
    "location_postal_code_1": Column("postcode"),
    "location_nation": Column("country"),
    "location_text": Words("description: 'Location: ...'"),
    "location_info": Words("description: 'Location: ...'"),
    "comments": Words("description"),
    "train_lines": Words("description: 'Trains: ...'"),
    "bus_lines": Words("description: 'Buses: ...'"),
    "virtual_meeting_link": Column("online_url"),
    "phone_meeting_number": Column("online_phone"),
    "virtual_meeting_additional_info": Words("description: 'Joining online: ...'"),
    "root_server_uri": Column("source_url"),
    "published": Used("unpublished meetings are left out"),
    "email_contact": NotCarried("a member's own address"),
    "contact_name_1": NotCarried("a member's name"),
    "contact_phone_1": NotCarried("a member's own number"),
    "contact_email_1": NotCarried("a member's own address"),
    "contact_name_2": NotCarried("a member's name"),
    "contact_phone_2": NotCarried("a member's own number"),
    "contact_email_2": NotCarried("a member's own address"),
    "distance_in_km": NotCarried("distance from the point the search was made around"),
    "distance_in_miles": NotCarried("distance from the point the search was made around"),
    "service_body_bigint": NotCarried("the server's number for the area committee"),
    "worldid_mixed": NotCarried("NA World Services' committee code"),
    "lang_enum": NotCarried("the language of the record, not of the meeting"),
    "shared_group_id_bigint": NotCarried("the server's internal number"),
    "id": NotCarried("the server's internal number"),
}
# Format world_ids (the same on every BMLT server) that also set one of our columns.
WORLD_EFFECTS = {
    "WCHR": ("wheelchair", "yes"),
    "W": ("gender", "women"),
    "M": ("gender", "men"),
    "GL": ("services", "lgbtq"),
    "LGBTQ": ("services", "lgbtq"),
    "Y": ("services", "youth"),
}
# Language formats: world_id "LANG" entries are named in name_string ("Spanish"); these key
# strings are the usual codes.
LANGUAGE_KEYS = {"ES": "Spanish", "SP": "Spanish", "EN": "English", "FR": "French", "DE": "German",
                 "PT": "Portuguese", "IT": "Italian", "ASL": "American Sign Language"}  # fmt: skip
DURATION = re.compile(r"^(\d{1,2}):([0-5]\d)(?::[0-5]\d)?$")


def search_url(location: str) -> str:
    """A root server URL -> its GetSearchResults query; any other URL or path as given."""
    is_root = "switcher=" not in location and not location.lower().endswith(".json")
    if re.match(r"^https?://", location, re.IGNORECASE) and is_root:
        return location.rstrip("/") + "/" + SEARCH_QUERY
    return location


@guarded
def import_bmlt(
    src: str | Path, report: LoadReport, *, formats: str | Path | None = None, default_timezone: str = ""
) -> pd.DataFrame:
    refuse(refuse_folder(src, "bmlt"))
    data = _json(read_text(search_url(str(src)), report))
    meetings, listed_formats = _split(data)
    if formats is not None:
        listed_formats = _format_table(_json(read_text(formats, report)))
    codes = {str(f.get("key_string", "")).strip(): f for f in listed_formats if isinstance(f, dict)}
    by_id = {str(f.get("id", "")).strip(): f for f in listed_formats if isinstance(f, dict)}
    ledger, unknown, rows = FieldLedger(FIELDS), Counter(), []
    unpublished = 0
    for number, meeting in enumerate(meetings, start=1):
        if not isinstance(meeting, dict):
            report.reject(number, f"meeting {number} is not a meeting object", "not a meeting object")
            continue
        ledger.see_record(meeting)
        if str(meeting.get("published", "1")).strip() == "0":
            unpublished += 1
            continue
        row = meeting_row(number, meeting, codes, by_id, unknown, report)
        if row is not None:
            rows.append(row)
    ledger.report_to(report)
    if unpublished and isinstance(report, ImportReport):
        report.leave_out("unpublished on the server", unpublished)
    if unknown:
        report.warn(
            f"{counted(len(unknown), 'format code')} not in the format table, kept as written in the "
            "description: " + ", ".join(f"{code} ({n})" for code, n in unknown.most_common(20))
        )
    if not listed_formats and any(meeting.get("formats") for meeting in meetings if isinstance(meeting, dict)):
        report.warn(
            "The response has no format table, so format codes are kept as written; ask the server with "
            "get_used_formats=1, or give its GetFormats file with --formats."
        )
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    clean_coordinates(frame, report, frame["_label"])
    frame["id"] = _ids(frame)
    fill_time_zones(frame, report, default_timezone)
    return frame


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        refuse(wrong_format(sniff_text(text), "bmlt"))
        raise UnusableInput(f"The file is not valid JSON (line {error.lineno}: {error.msg}).") from None


def _split(data: object) -> tuple[list, list]:
    found = sniff_json(data)
    if found and found[0] == "bmlt-formats":
        raise UnusableInput(
            "This is a BMLT format table (GetFormats), not a meeting list; give it with --formats beside "
            "the GetSearchResults file."
        )
    refuse(wrong_format(found, "bmlt"))
    if isinstance(data, dict):
        meetings, formats = data.get("meetings"), data.get("formats") or []
    else:
        meetings, formats = data, []
    if not isinstance(meetings, list):
        raise UnusableInput("This is not a BMLT GetSearchResults response (a list of meetings).")
    if not meetings:
        raise UnusableInput("The response holds no meetings.")
    return meetings, formats if isinstance(formats, list) else []


def _format_table(data: object) -> list:
    if isinstance(data, dict):
        data = data.get("formats")
    if not isinstance(data, list):
        raise UnusableInput("The formats file is not a BMLT GetFormats list (key_string, name_string).")
    return data


def meeting_row(
    number: int, meeting: dict, codes: dict, by_id: dict, unknown: Counter, report: LoadReport
) -> dict | None:
    text = {key: unescaped(value) for key, value in meeting.items()}
    name = text.get("meeting_name", "")
    label = f"meeting {number}" + (f" (id {text['id_bigint']})" if text.get("id_bigint") else "")
    if not name:
        report.reject(number, f"{label}: has no name", "has no name")
        return None
    day = _day(text.get("weekday_tinyint", ""))
    start = clock_time(text.get("start_time", ""))
    online_url = web_address(text.get("virtual_meeting_link", ""))
    online_phone = text.get("phone_meeting_number", "")
    online = bool(online_url or online_phone)
    if not online and not (day and start):
        report.reject(number, f"{label}: has no weekday or start time, and no online link or phone",
                      "no weekday or start time, and no online link or phone")  # fmt: skip
        return None
    zone = text.get("time_zone", "")
    if zone and not is_zone(zone):
        report.warn(f"{label}: the time zone '{zone[:40]}' is not known; it was inferred from the place instead.")
        zone = ""
    latitude, longitude = number_text(meeting.get("latitude")), number_text(meeting.get("longitude"))
    venue = text.get("venue_type", "")
    row = {
        "_label": label,
        "_id": text.get("id_bigint", "") or str(number),
        "_root": text.get("root_server_uri", ""),
        "name": name,
        "kind": "support_group",
        "day": day,
        "time": start,
        "end_time": _end_time(start, text.get("duration_time", "")),
        "timezone": zone,
        # a virtual meeting's point is left out below: its zone is found first
        "_point_zone": "" if zone or venue != "2" else zone_at(latitude, longitude),
        "address": text.get("location_street", ""),
        "city": text.get("location_municipality", ""),
        "region": text.get("location_province", ""),
        "postcode": text.get("location_postal_code_1", ""),
        "country": text.get("location_nation", ""),
        "latitude": latitude,
        "longitude": longitude,
        "online_url": online_url,
        "online_phone": online_phone,
        "source": SOURCE,
        "source_url": web_address(text.get("root_server_uri", "")),
    }
    if venue == "2" and online:
        row.update(address="", latitude="", longitude="", postcode="")
    if not online and not any(row[c] for c in ("address", "city", "postcode", "latitude")):
        report.reject(number, f"{label}: has no address, coordinates or online link or phone",
                      "no address, coordinates or online link or phone")  # fmt: skip
        return None
    row["attendance"] = attendance(venue, online, street=bool(row["address"]))
    named, columns = _formats(meeting, codes, by_id, unknown)
    row.update(columns)
    row["description"] = _description(text, named)
    return row


def attendance(venue: str, online: bool, *, street: bool) -> str:
    """BMLT's venue_type: 1 in person, 2 virtual, 3 hybrid. A link on an in-person meeting, or
    on a server too old to send venue_type, makes it hybrid when it has a street address."""
    if not online:
        return "in_person"
    if venue == "2":
        return "online"
    return "hybrid" if venue == "3" or street else "online"


def _day(text: str) -> str:
    return str(int(text) - 1) if text.isdigit() and 1 <= int(text) <= 7 else ""


def _end_time(start: str, duration: str) -> str:
    match = DURATION.match(duration.strip())
    if not (start and match):
        return ""
    minutes = int(start[:2]) * 60 + int(start[3:]) + int(match.group(1)) * 60 + int(match.group(2))
    if minutes == int(start[:2]) * 60 + int(start[3:]):
        return ""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _formats(meeting: dict, codes: dict, by_id: dict, unknown: Counter) -> tuple[list[str], dict]:
    keys = [k.strip() for k in str(meeting.get("formats") or "").split(",") if k.strip()]
    entries = []
    for key in keys:
        entry = codes.get(key)
        if entry is None:
            unknown[key[:20]] += 1
            entries.append({"name_string": key})
        else:
            entries.append(entry)
    if not keys:
        ids = [i.strip() for i in str(meeting.get("format_shared_id_list") or "").split(",") if i.strip()]
        entries = [by_id[i] for i in ids if i in by_id]
    names, effects = [], {"services": ["peer_support"], "languages": [], "gender": [], "wheelchair": []}
    for entry in entries:
        name = unescaped(entry.get("name_string", "")) or unescaped(entry.get("key_string", ""))
        names.append(name)
        world = str(entry.get("world_id", "")).strip().upper()
        key = str(entry.get("key_string", "")).strip().upper()
        if world in WORLD_EFFECTS:
            column, value = WORLD_EFFECTS[world]
            effects[column].append(value)
        if world == "LANG" or str(entry.get("format_type_enum", "")).upper() == "LANG":
            effects["languages"].append(LANGUAGE_KEYS.get(key, name))
    genders = set(effects["gender"])
    return names, {
        "services": join_words(effects["services"]),
        "languages": join_words(effects["languages"]),
        "gender": genders.pop() if len(genders) == 1 else "",
        "wheelchair": "yes" if effects["wheelchair"] else "",
    }


def _description(text: dict, formats: list[str]) -> str:
    where = join_words([text.get("location_text", ""), text.get("location_info", "")], ": ")
    area = join_words(
        [text.get(k, "") for k in ("location_neighborhood", "location_city_subsection", "location_sub_province")],
        ", ",
    )
    parts = [
        text.get("comments", ""),
        f"Location: {where}" if where else "",
        f"Area: {area}" if area else "",
        f"Trains: {text['train_lines']}" if text.get("train_lines") else "",
        f"Buses: {text['bus_lines']}" if text.get("bus_lines") else "",
        f"Joining online: {text['virtual_meeting_additional_info']}" if text.get("virtual_meeting_additional_info") else "",
        "Meeting format: " + ", ".join(dict.fromkeys(formats)) if formats else "",
    ]
    return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts if p)


def _ids(frame: pd.DataFrame) -> pd.Series:
    several_servers = frame["_root"].nunique() > 1
    roots = frame["_root"].map(lambda r: hashlib.sha1(r.encode("utf-8")).hexdigest()[:6] + "-")
    ids = "bmlt-" + (roots if several_servers else "") + frame["_id"]
    repeat = ids.groupby(ids).cumcount()
    return ids.where(repeat == 0, ids + "-" + (repeat + 1).astype(str))
