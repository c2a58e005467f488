"""Open Referral HSDS 3.0 CSV data packages -> our schema, one row per service_at_location.

SRC is the package folder or its datapackage.json. Table files are found through the
descriptor's resources when it names them, else by their standard names (services.csv ...).
What each row takes, and from where:

* name, description, email, url, minimum/maximum_age, fees, status: the service (the
  service_at_location's own description first); organization: the service's organisation.
* place: the location's coordinates and its physical address (else its first address); a
  location whose type is "virtual" makes the service online, joined at the location's url.
* phone: the first phone of the service at that location, else of the service, else of the
  location, else of the organisation. website: service url, else the organisation's website.
* hours: schedules (of the service at that location, else the service, else the location)
  with weekly byday/opens_at/closes_at become OpenStreetMap opening_hours ("Mo-Fr 09:00-17:00");
  any other schedule is put in the description as text, with a warning.
* languages: language names (or codes) of the service or location. wheelchair: "yes" when the
  location's accessibility text mentions wheelchair or step-free access ("no" when it says not).
* kind: HSDS has none. A taxonomy term or the service name that speaks of harm reduction
  (naloxone, needle or syringe, drug checking ...) gives harm_reduction; of support groups or
  mutual aid (12-step, peer support ...) gives support_group; anything else is treatment.
  The same words fill `services`.
* A service whose status is inactive, defunct or temporarily closed is rejected: listing it
  would send people to a door that is shut.
* id = "hsds-" + the service_at_location id (HSDS ids are stable UUIDs).
* source = "HSDS package: <name from datapackage.json>" (the folder name when there is none).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd

from ..report import LoadReport
from . import (
    UnusableInput,
    clean_coordinates,
    counted,
    guarded,
    join_columns,
    join_words,
    read_csv_text,
    read_text,
    stable_ids,
    web_address,
)

# Our name for each table -> its standard file names (HSDS 3.0 first, then 2.0 spellings).
TABLE_FILES = {
    "service_at_location": ("service_at_location.csv", "services_at_location.csv"),
    "service": ("services.csv",),
    "location": ("locations.csv",),
    "organization": ("organizations.csv",),
    "address": ("addresses.csv", "physical_addresses.csv"),
    "phone": ("phones.csv",),
    "schedule": ("schedules.csv", "regular_schedules.csv"),
    "language": ("languages.csv",),
    "accessibility": ("accessibility.csv", "accessibility_for_disabilities.csv"),
    "attribute": ("attributes.csv",),
    "taxonomy_term": ("taxonomy_terms.csv",),
}
REQUIRED_TABLES = ("service_at_location", "service", "location")
CLOSED_STATUSES = {"inactive", "defunct", "temporarily closed", "temporarily_closed"}

HARM_REDUCTION = re.compile(
    r"harm reduction|needle|syringe|naloxone|narcan|drug checking|overdose prevention|"
    r"(safe|supervised) (consumption|injection)",
    re.IGNORECASE,
)
SUPPORT_GROUP = re.compile(
    r"support group|mutual aid|peer support|12.step|twelve.step|alcoholics anonymous|"
    r"narcotics anonymous|smart recovery|recovery meeting|fellowship",
    re.IGNORECASE,
)
SERVICE_WORDS = (
    (re.compile(r"detox|withdrawal management", re.IGNORECASE), ("detox",)),
    (re.compile(r"residential|rehab", re.IGNORECASE), ("residential",)),
    (re.compile(r"inpatient", re.IGNORECASE), ("inpatient",)),
    (re.compile(r"outpatient", re.IGNORECASE), ("outpatient",)),
    (re.compile(r"counsel", re.IGNORECASE), ("counselling",)),
    (
        re.compile(
            r"methadone|buprenorphine|suboxone|naltrexone|opioid (substitution|agonist)", re.IGNORECASE
        ),
        ("medication", "moud"),
    ),
    (re.compile(r"dual diagnosis|co-?occurring", re.IGNORECASE), ("dual_diagnosis",)),
    (re.compile(r"youth|young people|adolescent|teen", re.IGNORECASE), ("youth",)),
    (re.compile(r"aftercare", re.IGNORECASE), ("aftercare",)),
    (re.compile(r"naloxone|narcan", re.IGNORECASE), ("naloxone",)),
    (re.compile(r"needle|syringe", re.IGNORECASE), ("needle_exchange",)),
    (re.compile(r"drug checking", re.IGNORECASE), ("drug_checking",)),
    (re.compile(r"peer support|mutual aid|support group", re.IGNORECASE), ("peer_support",)),
)
WHEELCHAIR = re.compile(r"wheelchair|step.free|level access|ramp", re.IGNORECASE)
NOT_WHEELCHAIR = re.compile(
    r"\b(no|not|without)\b[^.]{0,40}(wheelchair|step.free)|(wheelchair|step.free)[^.]{0,40}\bnot\b",
    re.IGNORECASE,
)
# Names for common ISO 639-1 codes, for language rows that give only a code.
LANGUAGE_NAMES = {
    "ar": "Arabic", "bn": "Bengali", "de": "German", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "hi": "Hindi", "ht": "Haitian Creole", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "so": "Somali", "tl": "Tagalog",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


@guarded
def import_hsds(src: str | Path, report: LoadReport) -> pd.DataFrame:
    folder, descriptor = package(src, report)
    tables = {name: read_table(folder, name, descriptor, report) for name in TABLE_FILES}
    rows = joined_rows(tables, report)
    if rows.empty:
        return rows
    rows["source"] = f"HSDS package: {package_name(folder, descriptor)}"
    homepage = web_address(str((descriptor or {}).get("homepage", "")))
    rows["source_url"] = homepage
    return rows


# --- the package ---------------------------------------------------------------------------


def package(src: str | Path, report: LoadReport) -> tuple[Path, dict | None]:
    """The folder holding the tables, and the descriptor (None when there is none we can read)."""
    if isinstance(src, str) and src.lower().startswith(("http://", "https://")):
        raise UnusableInput("An HSDS package is read from a folder on this computer; download it first.")
    path = Path(src)
    if path.is_file():
        return path.parent, _descriptor(path, report, required=True)
    if path.is_dir():
        candidate = path / "datapackage.json"
        return path, _descriptor(candidate, report, required=False) if candidate.is_file() else None
    raise UnusableInput(f"There is no HSDS package folder or datapackage.json at {path}.")


def _descriptor(path: Path, report: LoadReport, *, required: bool) -> dict | None:
    text = read_text(path, report)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        return data
    if required:
        raise UnusableInput(f"{path.name} is not a data package descriptor (a JSON object).")
    report.warn(
        f"{path.name} is not a JSON object (it starts '{text.strip()[:40]}', perhaps a link saved as "
        "text); the tables were found by their standard file names and the package is named after its folder."
    )
    return None


def package_name(folder: Path, descriptor: dict | None) -> str:
    named = (descriptor or {}).get("title") or (descriptor or {}).get("name")
    return str(named).strip()[:100] if named else folder.resolve().name


def table_path(folder: Path, name: str, descriptor: dict | None) -> Path | None:
    """The descriptor's path for a table when it is a plain file in the package, else the
    standard names. Paths that leave the folder or are URLs are not followed."""
    for resource in (descriptor or {}).get("resources", []) if isinstance(descriptor, dict) else []:
        if (
            isinstance(resource, dict)
            and resource.get("name") == name
            and isinstance(resource.get("path"), str)
        ):
            relative = resource["path"]
            if not re.match(r"^[\w.-]+\.csv$", relative):
                continue
            if (folder / relative).is_file():
                return folder / relative
    for file_name in TABLE_FILES[name]:
        if (folder / file_name).is_file():
            return folder / file_name
    return None


def read_table(folder: Path, name: str, descriptor: dict | None, report: LoadReport) -> pd.DataFrame:
    path = table_path(folder, name, descriptor)
    if path is None:
        if name in REQUIRED_TABLES:
            raise UnusableInput(
                f"The package has no {TABLE_FILES[name][0]}: an HSDS package needs service_at_location.csv, "
                f"services.csv and locations.csv. Found in {folder.name}: "
                f"{', '.join(sorted(p.name for p in folder.glob('*.csv'))[:15]) or 'no CSV files'}."
            )
        return pd.DataFrame(columns=["id", "_line"])
    table_report = LoadReport()
    try:
        frame = read_csv_text(read_text(path, table_report), table_report)
    except UnusableInput as error:
        if name in REQUIRED_TABLES:
            raise UnusableInput(f"{path.name}: {error}") from None
        report.warn(f"{path.name} could not be used ({error}); it was skipped.")
        return pd.DataFrame(columns=["id", "_line"])
    report.warnings.extend(f"{path.name}: {w}" for w in table_report.warnings)
    for rejection in table_report.rejected:
        report.warn(f"{path.name} line {rejection.line}: {rejection.reason}; that row was skipped.")
    return frame.apply(lambda column: column.astype(str).str.strip())


# --- joining -------------------------------------------------------------------------------


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series("", index=frame.index, dtype=object)


def first_by(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The first row for each non-empty value of `key`, indexed by it (text columns only, so
    looking up a missing key gives NaN that fills as "")."""
    keyed = frame[column(frame, key) != ""].drop(columns=["_line", "_rank"], errors="ignore")
    return keyed.drop_duplicates(subset=[key]).set_index(key) if key in keyed else keyed.iloc[0:0]


def joined_rows(tables: dict[str, pd.DataFrame], report: LoadReport) -> pd.DataFrame:
    sal = tables["service_at_location"]
    services = first_by(tables["service"], "id")
    locations = first_by(tables["location"], "id")
    _warn_services_without_location(tables["service"], sal, report)
    sal = _usable_links(sal, services, locations, report)
    if sal.empty:
        return pd.DataFrame()
    service = services.reindex(sal["service_id"]).set_index(sal.index).fillna("")
    location = locations.reindex(sal["location_id"]).set_index(sal.index).fillna("")
    organization_id = column(service, "organization_id").where(
        column(service, "organization_id") != "", column(location, "organization_id")
    )
    organization = (
        first_by(tables["organization"], "id").reindex(organization_id).set_index(sal.index).fillna("")
    )

    out = pd.DataFrame(index=sal.index)
    out["id"] = _ids(sal)
    out["name"] = column(service, "name")
    out["organization"] = column(organization, "name")
    out["email"] = column(service, "email").where(
        column(service, "email") != "", column(organization, "email")
    )
    website = column(service, "url").where(column(service, "url") != "", column(organization, "website"))
    out["website"] = website.map(web_address)
    out["min_age"] = column(service, "minimum_age").map(_whole_number)
    out["max_age"] = column(service, "maximum_age").map(_whole_number)
    assured = column(service, "assured_date").map(_date)
    out["last_verified"] = assured.where(assured != "", column(service, "last_modified").map(_date))
    _add_place(out, sal, location, tables["address"], report)
    out["phone"] = _phones(sal, tables["phone"], organization_id)
    out["languages"] = _languages(sal, tables["language"])
    access_text, out["wheelchair"] = _accessibility(sal, tables["accessibility"])
    hours, schedule_text = _hours(sal, tables["schedule"], report)
    out["hours"] = hours
    terms = _taxonomy_terms(sal, tables["attribute"], tables["taxonomy_term"])
    hint_text = join_columns(
        pd.DataFrame({"a": out["name"], "b": column(service, "alternate_name"), "c": terms}),
        ["a", "b", "c"],
        " | ",
    )
    out["kind"] = hint_text.map(kind_from_words)
    out["services"] = hint_text.map(services_from_words)
    out["description"] = _descriptions(sal, service, location, access_text, schedule_text)
    clean_coordinates(
        out, report, "service_at_location.csv line " + sal["_line"].astype(str) + " (" + out["name"] + ")"
    )
    return out


def _usable_links(
    sal: pd.DataFrame, services: pd.DataFrame, locations: pd.DataFrame, report: LoadReport
) -> pd.DataFrame:
    """Reject links to a missing service or location, and services that are closed."""
    service_id, location_id = column(sal, "service_id"), column(sal, "location_id")
    sal = sal.assign(service_id=service_id, location_id=location_id)
    status = (
        services.get("status", pd.Series(dtype=object)).reindex(service_id).fillna("").str.lower().to_numpy()
    )
    keep = []
    for position, (row, line) in enumerate(zip(sal.index, sal["_line"])):
        where = f"service_at_location.csv line {line}"
        if service_id[row] not in services.index:
            report.reject(int(line), f"{where}: the service '{service_id[row][:60]}' is not in services.csv")
        elif location_id[row] not in locations.index:
            report.reject(
                int(line), f"{where}: the location '{location_id[row][:60]}' is not in locations.csv"
            )
        elif status[position] in CLOSED_STATUSES:
            name = services.at[service_id[row], "name"] if "name" in services else ""
            report.reject(int(line), f"{where} ({name[:60]}): the service's status is '{status[position]}'")
        else:
            keep.append(row)
    return sal.loc[keep]


def _warn_services_without_location(services: pd.DataFrame, sal: pd.DataFrame, report: LoadReport) -> None:
    ids = column(services, "id")
    alone = services[(ids != "") & ~ids.isin(set(column(sal, "service_id")))]
    if len(alone):
        names = ", ".join(column(alone, "name").head(5)) + (" …" if len(alone) > 5 else "")
        report.warn(
            f"{counted(len(alone), 'service')} with no location in service_at_location.csv, so not imported "
            f"(a directory row needs a place or an online link): {names}"
        )


def _ids(sal: pd.DataFrame) -> pd.Series:
    """ "hsds-" + the service_at_location id; hashed from its service and location when absent."""
    given = column(sal, "id")
    ids = ("hsds-" + given).where(
        given != "", stable_ids(sal["service_id"] + "|" + sal["location_id"], "hsds-")
    )
    repeat = ids.groupby(ids).cumcount()
    return ids.where(repeat == 0, ids + "-" + (repeat + 1).astype(str))


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return ""


def _whole_number(text: str) -> str:
    match = re.fullmatch(r"(\d+)(?:\.0+)?", text.strip())
    return match.group(1) if match else ""


def _add_place(
    out: pd.DataFrame, sal: pd.DataFrame, location: pd.DataFrame, addresses: pd.DataFrame, report: LoadReport
) -> None:
    physical_first = addresses.assign(
        _rank=(column(addresses, "address_type").str.lower() != "physical").astype(int)
    )
    physical_first = physical_first.sort_values(["_rank", "_line"], kind="stable")
    address = (
        first_by(physical_first, "location_id").reindex(sal["location_id"]).set_index(sal.index).fillna("")
    )
    for name in ("address_1", "address_2", "city", "state_province", "region", "postal_code", "country"):
        address[name] = column(address, name)
    out["address"] = join_columns(address, ["address_1", "address_2"])
    out["city"] = address["city"]
    out["region"] = address["state_province"].where(address["state_province"] != "", address["region"])
    out["postcode"] = address["postal_code"]
    out["country"] = address["country"].str.upper()
    out["latitude"], out["longitude"] = column(location, "latitude"), column(location, "longitude")
    location_type = column(location, "location_type").str.lower()
    virtual = location_type == "virtual"
    out["attendance"] = location_type.map({"virtual": "online", "physical": "in_person"}).fillna("")
    out["online_url"] = column(location, "url").where(virtual, "").map(web_address)


def _by_priority(
    sal: pd.DataFrame, table: pd.DataFrame, values: pd.Series, links: list[tuple[str, pd.Series]]
) -> pd.Series:
    """For each row, the value of the first table row linked by the first link that has one."""
    result = pd.Series("", index=sal.index, dtype=object)
    for key, wanted in links:
        if key not in table:
            continue
        firsts = values[column(table, key) != ""].groupby(table[key]).first()
        found = wanted.map(firsts).fillna("")
        result = result.where(result != "", found)
    return result


def _phones(sal: pd.DataFrame, phones: pd.DataFrame, organization_id: pd.Series) -> pd.Series:
    number = column(phones, "number").str.strip("\"' ")
    extension = column(phones, "extension")
    text = number.where((extension == "") | (number == ""), number + " ext. " + extension)
    links = [
        ("service_at_location_id", column(sal, "id")),
        ("service_id", sal["service_id"]),
        ("location_id", sal["location_id"]),
        ("organization_id", organization_id),
    ]
    return _by_priority(sal, phones.assign(_text=text)[text != ""], text[text != ""], links)


def _languages(sal: pd.DataFrame, languages: pd.DataFrame) -> pd.Series:
    codes = column(languages, "code")
    names = column(languages, "name").where(
        column(languages, "name") != "", codes.str.lower().map(LANGUAGE_NAMES).fillna(codes)
    )
    result = pd.Series("", index=sal.index, dtype=object)
    for key, wanted in (("service_id", sal["service_id"]), ("location_id", sal["location_id"])):
        if key not in languages:
            continue
        joined = names[(column(languages, key) != "") & (names != "")].groupby(languages[key]).agg(join_words)
        found = wanted.map(joined).fillna("")
        result = (result + ";" + found).map(lambda text: join_words(text.split(";")))
    return result


def _accessibility(sal: pd.DataFrame, accessibility: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    sentences = accessibility.assign(
        d=column(accessibility, "description").map(_sentence),
        e=column(accessibility, "details").map(_sentence),
    )
    text = join_columns(sentences, ["d", "e"], " ")
    keyed = text[(column(accessibility, "location_id") != "") & (text != "")]
    by_location = (
        keyed.groupby(accessibility.loc[keyed.index, "location_id"]).agg(" ".join)
        if len(keyed)
        else pd.Series(dtype=object)
    )
    access = sal["location_id"].map(by_location).fillna("")
    return access, access.map(wheelchair_from_text)


def wheelchair_from_text(text: str) -> str:
    if not WHEELCHAIR.search(text):
        return ""
    return "no" if NOT_WHEELCHAIR.search(text) else "yes"


def _taxonomy_terms(sal: pd.DataFrame, attributes: pd.DataFrame, terms: pd.DataFrame) -> pd.Series:
    """The names and codes of the taxonomy terms attached to each row's service. Attributes are
    matched by link_id alone: HSDS ids are UUIDs, unique across tables."""
    if attributes.empty or terms.empty:
        return pd.Series("", index=sal.index, dtype=object)
    term_table = first_by(terms, "id")
    term_words = column(term_table, "name") + " " + column(term_table, "code")
    words = column(attributes, "taxonomy_term_id").map(term_words).fillna("")
    by_service = words.groupby(column(attributes, "link_id")).agg(" | ".join)
    return sal["service_id"].map(by_service).fillna("")


def kind_from_words(text: str) -> str:
    if HARM_REDUCTION.search(text):
        return "harm_reduction"
    if SUPPORT_GROUP.search(text):
        return "support_group"
    return "treatment"


def services_from_words(text: str) -> str:
    return join_words(word for pattern, words in SERVICE_WORDS if pattern.search(text) for word in words)


def _descriptions(
    sal: pd.DataFrame,
    service: pd.DataFrame,
    location: pd.DataFrame,
    access: pd.Series,
    schedule_text: pd.Series,
) -> pd.Series:
    about = column(sal, "description").where(column(sal, "description") != "", column(service, "description"))
    virtual = column(location, "location_type").str.lower() == "virtual"
    place_name = column(location, "name").where(~virtual, "")  # "Online" says nothing
    fees = column(service, "fees_description")
    parts = pd.DataFrame({
        "about": about,
        "where": ("Location: " + place_name).where(place_name != "", ""),
        "hours": ("Hours: " + schedule_text).where(schedule_text != "", ""),
        "fees": ("Fees: " + fees).where(fees != "", ""),
        "access": ("Access: " + access).where(access != "", ""),
    })  # fmt: skip
    parts = parts.apply(lambda part: part.str.strip().map(_sentence))
    return join_columns(parts, list(parts.columns), " ")


def _sentence(text: str) -> str:
    return text if not text or text.endswith((".", "!", "?")) else text + "."


# --- hours ---------------------------------------------------------------------------------


def _hours(sal: pd.DataFrame, schedules: pd.DataFrame, report: LoadReport) -> tuple[pd.Series, pd.Series]:
    """OpenStreetMap hours per row, and readable text for schedules that do not convert."""
    hours = pd.Series("", index=sal.index, dtype=object)
    texts = pd.Series("", index=sal.index, dtype=object)
    if schedules.empty:
        return hours, texts
    links = (("service_at_location_id", "id"), ("service_id", "service_id"), ("location_id", "location_id"))
    by_link: dict[str, dict[str, list[dict]]] = {key: defaultdict(list) for key, _ in links}
    for record in schedules.to_dict("records"):
        for key, _ in links:
            if record.get(key, ""):
                by_link[key][record[key]].append(record)
    unconverted = 0
    for row in sal.index:
        mine = next(
            (
                by_link[key][sal.at[row, sal_key]]
                for key, sal_key in links
                if by_link[key].get(sal.at[row, sal_key])
            ),
            [],
        )
        if not mine:
            continue
        hours[row], leftover = opening_hours(mine)
        texts[row] = "; ".join(leftover)
        unconverted += len(leftover)
    if unconverted:
        report.warn(
            f"{counted(unconverted, 'schedule')} could not be written as weekly opening hours (they need "
            "byday, opens_at and closes_at); the description gives them as text instead."
        )
    return hours, texts


def opening_hours(schedules: list[dict]) -> tuple[str, list[str]]:
    """Weekly schedules -> 'Mo-Fr 09:00-17:00; Sa 10:00-14:00', and the texts of the rest."""
    spans_by_day: dict[int, list[str]] = {}
    leftover: list[str] = []
    for schedule in schedules:
        rule = weekly_rule(schedule)
        if rule is None:
            leftover.append(schedule_text(schedule))
            continue
        days, span = rule
        for day in days:
            spans_by_day.setdefault(day, [])
            if span not in spans_by_day[day]:
                spans_by_day[day].append(span)
    groups: dict[str, list[int]] = {}
    for day in sorted(spans_by_day):
        groups.setdefault(",".join(sorted(spans_by_day[day])), []).append(day)
    rules = sorted(groups.items(), key=lambda item: item[1][0])
    return "; ".join(f"{day_ranges(days)} {spans}" for spans, days in rules), [t for t in leftover if t]


def weekly_rule(schedule: dict) -> tuple[list[int], str] | None:
    """(days Monday=0, 'HH:MM-HH:MM') for a plain weekly schedule, else None."""
    freq, interval = schedule.get("freq", "").upper(), schedule.get("interval", "").strip()
    if freq not in ("", "WEEKLY") or interval not in ("", "1"):
        return None
    opens, closes = _clock(schedule.get("opens_at", "")), _clock(schedule.get("closes_at", ""))
    codes = [c.strip().upper() for c in schedule.get("byday", "").split(",") if c.strip()]
    if not (opens and closes and codes) or any(code not in RRULE_DAYS for code in codes):
        return None
    return sorted({RRULE_DAYS.index(code) for code in codes}), f"{opens}-{closes}"


def _clock(text: str) -> str:
    match = CLOCK.match(text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else ""


def day_ranges(days: list[int]) -> str:
    """[0, 1, 2, 3, 4, 6] -> 'Mo-Fr,Su'; runs of three or more days become ranges."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{OSM_DAYS[run[0]]}-{OSM_DAYS[run[-1]]}")
        else:
            parts.extend(OSM_DAYS[day] for day in run)
    return ",".join(parts)


def schedule_text(schedule: dict) -> str:
    """A readable version of a schedule we cannot express as opening hours."""
    described = schedule.get("description", "").strip()
    if described:
        return described
    pieces = [
        schedule.get("freq", "").lower(),
        f"on {schedule['byday']}" if schedule.get("byday") else "",
        f"day {schedule['bymonthday']} of the month" if schedule.get("bymonthday") else "",
        f"from {_clock(schedule.get('opens_at', ''))}" if _clock(schedule.get("opens_at", "")) else "",
        f"to {_clock(schedule.get('closes_at', ''))}" if _clock(schedule.get("closes_at", "")) else "",
        schedule.get("notes", "").strip(),
    ]
    return " ".join(p for p in pieces if p)
