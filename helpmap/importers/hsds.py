"""Open Referral HSDS CSV data packages (1.x, 2.x and 3.0) -> our schema, one row per
service_at_location.

SRC is the package folder or its datapackage.json. Table files are found through the
descriptor's resources when it names them (beside it or under data/, as real packages put
them), else by their standard names, 3.0 and older (services_at_location.csv,
physical_addresses.csv, regular_schedules.csv, services_taxonomy.csv ...). 1.x/2.x field
names are read beside 3.0's: weekday with "9:00am" times, languages.language,
accessibility_for_disabilities.accessibility, fees, eligibility.
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
* kind, and scope: from the service's taxonomy terms (3.0 attributes + taxonomy_terms, 2.x
  service_attributes, 1.x services_taxonomy + taxonomy), by the rules in taxonomy.py and the
  site's own mapping. Only services whose terms mean substance use treatment, recovery support
  or harm reduction come in; the rest are counted as outside HelpMap's scope. A service with
  no terms is judged by the words of its name the same way (and of its description, when the
  package has no taxonomy at all). The report shows
  every term that brought services in, with its kind.
* A service whose status is inactive, defunct or temporarily closed is rejected: listing it
  would send people to a door that is shut.
* id = "hsds-" + the service_at_location id (HSDS ids are stable UUIDs).
* source = "HSDS package: <name from datapackage.json>" (the folder name when there is none).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pandas as pd

from ..report import LoadReport
from .detect import refuse, sniff_text, wrong_format
from .mapping import Column, FieldLedger, ImportReport, NotCarried, Used, Words, non_empty_counts
from .meeting_guide import clock_time
from .taxonomy import OUT, decide_service, decide_term, decide_words, site_rules
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
    "service_attribute": ("service_attributes.csv",),  # 2.x
    "service_taxonomy": ("services_taxonomy.csv", "service_taxonomy.csv"),  # 1.x
    "taxonomy": ("taxonomy.csv",),  # 1.x
    "eligibility": ("eligibility.csv",),  # 1.x/2.x
    "contact": ("contacts.csv",),
}
# Other names the descriptor's resources use for the same tables (1.x/2.x).
RESOURCE_NAMES = {
    "address": ("physical_address", "address"),
    "schedule": ("regular_schedule", "schedule"),
    "accessibility": ("accessibility_for_disabilities", "accessibility"),
    "service_at_location": ("service_at_location", "services_at_location"),
    "service_taxonomy": ("service_taxonomy", "services_taxonomy"),
}
TABLE_FOLDERS = ("", "data")  # real packages keep their tables beside datapackage.json or under data/

# Where each table's fields go. Columns a table has that are not listed are counted as not carried.
FIELDS = {
    "service_at_location": {
        "id": Column("id"), "service_id": Used("joins the service"), "location_id": Used("joins the location"),
        "description": Words("description (before the service's)"),
    },
    "service": {
        "id": Used("joins"), "organization_id": Used("joins the organisation"), "name": Column("name"),
        "alternate_name": Used("kind and scope, with the taxonomy"), "description": Words("description"),
        "url": Column("website"), "email": Column("email"), "status": Used("closed services are rejected"),
        "minimum_age": Column("min_age"), "maximum_age": Column("max_age"),
        "assured_date": Column("last_verified"), "last_modified": Column("last_verified (when not assured)"),
        "fees_description": Words("description: 'Fees: ...'"), "fees": Words("description: 'Fees: ...'"),
        "application_process": Words("description: 'How to apply: ...'"),
        "wait_time": Words("description: 'Wait time: ...'"),
        "interpretation_services": Words("description: 'Interpreters: ...'"),
        "eligibility_description": Words("description: 'Who it is for: ...'"),
        "accreditations": Words("description: 'Accreditations: ...'"), "licenses": Words("description: 'Licences: ...'"),
        "program_id": NotCarried("programmes are not read"),
    },
    "location": {
        "id": Used("joins"), "organization_id": Used("joins the organisation"),
        "name": Words("description: 'Location: ...'"), "latitude": Column("latitude"), "longitude": Column("longitude"),
        "location_type": Used("attendance (virtual -> online)"), "url": Column("online_url (virtual locations)"),
        "transportation": Words("description: 'Getting there: ...'"),
        "alternate_name": NotCarried("the location's other name"),
        "description": NotCarried("the location's own description; the service's is used"),
    },
    "organization": {
        "id": Used("joins"), "name": Column("organization"), "email": Column("email (when the service has none)"),
        "website": Column("website (when the service has none)"), "url": Column("website (when the service has none)"),
        "description": NotCarried("the organisation's description; the service's is used"),
        "alternate_name": NotCarried("the organisation's other name"),
        "tax_status": NotCarried("tax details"), "tax_id": NotCarried("tax details"),
        "year_incorporated": NotCarried("history"), "legal_status": NotCarried("legal form"),
    },
    "address": {
        "location_id": Used("joins the location"), "address_1": Column("address"), "address_2": Column("address"),
        "city": Column("city"), "state_province": Column("region"), "region": Column("region (no state_province)"),
        "postal_code": Column("postcode"), "country": Column("country"), "address_type": Used("physical first"),
        "id": NotCarried("the table's own key"), "attention": NotCarried("a person to address post to"),
        "organization_id": NotCarried("the location's link is used"),
    },
    "phone": {
        "number": Column("phone"), "extension": Column("phone (ext.)"),
        "service_at_location_id": Used("which phone"), "service_id": Used("which phone"),
        "location_id": Used("which phone"), "organization_id": Used("which phone"),
        "id": NotCarried("the table's own key"), "type": NotCarried("voice/fax: the first number is used"),
        "language": NotCarried("the first number is used"), "description": NotCarried("the first number is used"),
        "contact_id": NotCarried("contacts are people; not carried"),
    },
    "schedule": {
        "service_at_location_id": Used("whose hours"), "service_id": Used("whose hours"),
        "location_id": Used("whose hours"), "byday": Column("hours"), "weekday": Column("hours"),
        "opens_at": Column("hours"), "closes_at": Column("hours"), "freq": Column("hours"), "interval": Column("hours"),
        "description": Words("description: 'Hours: ...' (schedules that are not weekly)"),
        "original_text": Words("description: 'Hours: ...' (schedules that are not weekly)"),
        "notes": Words("description: 'Hours: ...'"), "bymonthday": Words("description: 'Hours: ...'"),
        "id": NotCarried("the table's own key"),
    },
    "language": {
        "service_id": Used("whose languages"), "location_id": Used("whose languages"),
        "name": Column("languages"), "language": Column("languages"), "code": Column("languages (named)"),
        "id": NotCarried("the table's own key"),
    },
    "accessibility": {
        "location_id": Used("whose access"), "description": Column("wheelchair; words in description"),
        "accessibility": Column("wheelchair; words in description"), "details": Words("description: 'Access: ...'"),
        "id": NotCarried("the table's own key"),
    },
    "attribute": {
        "link_id": Used("whose terms"), "taxonomy_term_id": Column("kind, services (taxonomy)"),
    },
    "service_attribute": {"service_id": Used("whose terms"), "taxonomy_term_id": Column("kind, services (taxonomy)")},
    "taxonomy_term": {"id": Used("joins"), "code": Column("kind, services"), "name": Column("kind, services")},
    "service_taxonomy": {
        "service_id": Used("whose terms"), "taxonomy_id": Column("kind, services (taxonomy)"),
        "id": NotCarried("the table's own key"), "taxonomy_detail": NotCarried("free text on the link"),
    },
    "taxonomy": {
        "id": Column("kind, services (the AIRS code)"), "name": Column("kind, services"),
        "parent_id": NotCarried("the term's own code decides"), "parent_name": NotCarried("the term's own name decides"),
        "vocabulary": NotCarried("which taxonomy"), "taxonomy_facet": NotCarried("the kind of term"),
    },
    "eligibility": {
        "service_id": Used("whose eligibility"),
        "eligibility": Column("min_age, max_age, gender when it says them; words in description"),
        "id": NotCarried("the table's own key"),
    },
    "contact": {
        column: NotCarried("contacts are staff members: their names and direct lines are not listed")
        for column in ("id", "organization_id", "service_id", "service_at_location_id", "name", "title", "department",
                       "email", "phone_number", "phone_areacode", "phone_extension")
    },
}  # fmt: skip
REQUIRED_TABLES = ("service_at_location", "service", "location")
CLOSED_STATUSES = {"inactive", "defunct", "temporarily closed", "temporarily_closed"}

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
WHEELCHAIR = re.compile(r"wheelchair|step.free|level access|ramp|handicap(ped)? access", re.IGNORECASE)
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
def import_hsds(src: str | Path, report: LoadReport, *, taxonomy: dict | None = None) -> pd.DataFrame:
    folder, descriptor = package(src, report)
    paths = {name: table_path(folder, name, descriptor) for name in TABLE_FILES}
    tables = {name: read_table(folder, name, descriptor, report, path=paths[name]) for name in TABLE_FILES}
    _count_fields(folder, paths, tables, report)
    rows = joined_rows(tables, report, site_rules(taxonomy))
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
        if path.suffix.lower() != ".json" or path.name != "datapackage.json":
            refuse(wrong_format(sniff_text(read_text(path, report)), "hsds"))
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
    """The descriptor's path for a table (beside it, or under data/ as real packages put
    them), else the standard names there. Paths that leave the folder or are URLs are not
    followed."""
    names = RESOURCE_NAMES.get(name, (name,))
    resources = (descriptor or {}).get("resources", []) if isinstance(descriptor, dict) else []
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict) and resource.get("name") in names and isinstance(resource.get("path"), str):
            relative = resource["path"]
            if not re.match(r"^(?:[\w.-]+/)?[\w.-]+\.csv$", relative) or ".." in relative:
                continue
            for sub in TABLE_FOLDERS:
                if (folder / sub / relative).is_file():
                    return folder / sub / relative
    for sub in TABLE_FOLDERS:
        for file_name in TABLE_FILES[name]:
            if (folder / sub / file_name).is_file():
                return folder / sub / file_name
    return None


def _count_fields(folder: Path, paths: dict, tables: dict[str, pd.DataFrame], report: LoadReport) -> None:
    """Every column of every table read, and every other table of the package (not read), in
    the report with how many rows had a value."""
    for name, path in paths.items():
        if path is None:
            continue
        table = tables[name]
        ledger = FieldLedger(FIELDS.get(name, {}), prefix=f"{path.name}:")
        ledger.see_table([c for c in table.columns if c != "_line"], non_empty_counts(table))
        ledger.report_to(report)
        links = [c for c in LINKS.get(name, ()) if c in table]
        unlinked = int((table[links] == "").all(axis=1).sum()) if links and len(table) else 0
        if unlinked and isinstance(report, ImportReport):
            report.fields.append(_unlinked(path.name, unlinked, links))
    used = {path.resolve() for path in paths.values() if path is not None}
    others = sorted({p.resolve() for sub in TABLE_FOLDERS for p in (folder / sub).glob("*.csv")} - used)
    if others and isinstance(report, ImportReport):
        for path in others:
            rows = max(sum(1 for _ in path.open("rb")) - 1, 0)
            report.fields.append(_table_not_read(path.name, rows))


# The columns that attach a row of a table to a service (or its location); rows with none of
# them filled cannot be attached, so they are counted as not carried.
LINKS = {
    "eligibility": ("service_id",),
    "language": ("service_id", "location_id"),
    "accessibility": ("location_id",),
    "schedule": ("service_at_location_id", "service_id", "location_id"),
    "phone": ("service_at_location_id", "service_id", "location_id", "organization_id"),
    "address": ("location_id",),
    "service_taxonomy": ("service_id",),
    "attribute": ("link_id",),
}


def _unlinked(file_name: str, rows: int, links: list[str]):
    from .mapping import NOT_CARRIED, FieldUse

    return FieldUse(f"{file_name}: rows linked to nothing", rows, NOT_CARRIED, f"no {' or '.join(links)}")


def _table_not_read(file_name: str, rows: int):
    from .mapping import NOT_CARRIED, FieldUse

    return FieldUse(f"{file_name} (whole table)", rows, NOT_CARRIED, "a table HelpMap does not read")


MAX_TABLE_BYTES = 32 * 1024 * 1024


def read_table(
    folder: Path, name: str, descriptor: dict | None, report: LoadReport, *, path: Path | None = None
) -> pd.DataFrame:
    path = path or table_path(folder, name, descriptor)
    if path is None:
        if name in REQUIRED_TABLES:
            raise UnusableInput(
                f"The package has no {TABLE_FILES[name][0]}: an HSDS package needs service_at_location.csv, "
                f"services.csv and locations.csv. Found in {folder.name}: "
                f"{', '.join(sorted(p.name for p in folder.glob('*.csv'))[:15]) or 'no CSV files'}."
            )
        return pd.DataFrame(columns=["id", "_line"])
    table_report = LoadReport()
    if path.is_file() and path.stat().st_size > MAX_TABLE_BYTES:
        # A whole state's 211 services fit in a few MB; a larger table would take minutes to join.
        raise UnusableInput(
            f"{path.name} is {path.stat().st_size:,} bytes; HelpMap reads HSDS tables of up to "
            f"{MAX_TABLE_BYTES:,} bytes. Split the package by area, or export only the services HelpMap lists."
        )
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
    # some exports write line breaks as a literal backslash-n
    return frame.apply(lambda column: column.astype(str).str.replace("\\n", " ", regex=False).str.strip())


# --- joining -------------------------------------------------------------------------------


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series("", index=frame.index, dtype=object)


def first_by(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The first row for each non-empty value of `key`, indexed by it (text columns only, so
    looking up a missing key gives NaN that fills as "")."""
    keyed = frame[column(frame, key) != ""].drop(columns=["_line", "_rank"], errors="ignore")
    return keyed.drop_duplicates(subset=[key]).set_index(key) if key in keyed else keyed.iloc[0:0]


def joined_rows(tables: dict[str, pd.DataFrame], report: LoadReport, site: list | None = None) -> pd.DataFrame:
    sal = tables["service_at_location"]
    services = first_by(tables["service"], "id")
    locations = first_by(tables["location"], "id")
    _warn_services_without_location(tables["service"], sal, report)
    sal = _usable_links(sal, services, locations, report)
    if sal.empty:
        return pd.DataFrame()
    service = services.reindex(sal["service_id"]).set_index(sal.index).fillna("")
    # Scope first: a 211 package is mostly other services, and everything below is per row.
    terms = service_terms(tables)
    # Services without terms are judged by their words: by name alone when the package has a
    # taxonomy (long descriptions of 211 services mention drugs in passing), else with the
    # description too.
    described = column(service, "description") if not terms else pd.Series("", index=service.index)
    words = join_columns(
        pd.DataFrame({"a": column(service, "name"), "b": column(service, "alternate_name"), "c": described}),
        ["a", "b", "c"],
        " | ",
    )
    scope = Scope(site or [])
    decided = pd.Series(
        [scope.decide(terms.get(sid, []), text) for sid, text in zip(sal["service_id"], words)], index=sal.index
    )
    inside = decided.map(lambda d: d[0] != OUT)
    scope.report_to(report, ~inside)
    sal, service, decided = sal[inside], service[inside], decided[inside]
    if sal.empty:
        return pd.DataFrame()
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
    eligibility = _eligibility(sal, tables["eligibility"], service)
    who = eligibility.map(eligibility_limits)
    out["min_age"] = out["min_age"].where(out["min_age"] != "", who.str[0])
    out["max_age"] = out["max_age"].where(out["max_age"] != "", who.str[1])
    out["gender"] = who.str[2]
    assured = column(service, "assured_date").map(_date)
    out["last_verified"] = assured.where(assured != "", column(service, "last_modified").map(_date))
    _add_place(out, sal, location, tables["address"], report)
    out["phone"] = _phones(sal, tables["phone"], organization_id)
    out["languages"] = _languages(sal, tables["language"])
    access_text, out["wheelchair"] = _accessibility(sal, tables["accessibility"])
    hours, schedule_text = _hours(sal, tables["schedule"], report)
    out["hours"] = hours
    out["kind"] = [kind for kind, _ in decided]
    term_names = pd.Series(
        [" | ".join(f"{c} {n}" for c, n in terms.get(sid, [])) for sid in sal["service_id"]], index=sal.index
    )
    hint_text = join_columns(
        pd.DataFrame({"a": out["name"], "b": column(service, "alternate_name"), "c": term_names}), ["a", "b", "c"]
    )
    out["services"] = [
        join_words([*services, *services_from_words(hint).split(";")])
        for (_, services), hint in zip(decided, hint_text)
    ]
    out["description"] = _descriptions(sal, service, location, access_text, schedule_text, eligibility)
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
        found = wanted.map(firsts).astype(object).fillna("")
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
    given = column(languages, "name").where(column(languages, "name") != "", column(languages, "language"))
    names = given.where(given != "", codes.str.lower().map(LANGUAGE_NAMES).fillna(codes))
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
        d=column(accessibility, "description")
        .where(column(accessibility, "description") != "", column(accessibility, "accessibility"))
        .map(_sentence),
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


def service_terms(tables: dict[str, pd.DataFrame]) -> dict[str, list[tuple[str, str]]]:
    """service id -> its taxonomy terms as (code, name), from whichever tables the package has:
    3.0 attributes + taxonomy_terms, 2.x service_attributes + taxonomy_terms, 1.x
    services_taxonomy + taxonomy (whose id is the term's code, as in AIRS)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    terms = tables["taxonomy_term"]
    term_by_id = {}
    if not terms.empty:
        term_by_id = {i: (c, n) for i, c, n in zip(column(terms, "id"), column(terms, "code"), column(terms, "name"))}
    for table, key in ((tables["attribute"], "link_id"), (tables["service_attribute"], "service_id")):
        if table.empty or key not in table:
            continue
        for owner, term_id in zip(column(table, key), column(table, "taxonomy_term_id")):
            if owner and term_id in term_by_id:
                found[owner].append(term_by_id[term_id])
    legacy, links = tables["taxonomy"], tables["service_taxonomy"]
    if not links.empty:
        names = dict(zip(column(legacy, "id"), column(legacy, "name"))) if not legacy.empty else {}
        for owner, term_id in zip(column(links, "service_id"), column(links, "taxonomy_id")):
            if owner and term_id:
                found[owner].append((term_id, names.get(term_id, "")))
    return found


class Scope:
    """Decides each service's kind from its terms, and remembers what decided, for the report."""

    def __init__(self, site: list) -> None:
        self.site = site
        self.term_uses: dict[tuple[str, str], list] = {}  # (code, name) -> [kind, services, rule, services]
        self.by_words: Counter = Counter()
        self._cache: dict[tuple[str, str], object] = {}

    def decide(self, terms: list[tuple[str, str]], words: str) -> tuple[str, tuple[str, ...]]:
        if not terms:
            kind, services = decide_words(words, self.site)
            if kind != OUT:
                self.by_words[kind] += 1
            return kind, services
        decisions = []
        for term in dict.fromkeys(terms):
            if term not in self._cache:
                self._cache[term] = decide_term(term[0], term[1], self.site)
            decision = self._cache[term]
            decisions.append(decision)
            if decision.kind != OUT:
                use = self.term_uses.setdefault(term, [decision, 0])
                use[1] += 1
        return decide_service(decisions)

    def report_to(self, report: LoadReport, outside: pd.Series) -> None:
        if not isinstance(report, ImportReport):
            return
        if outside.any():
            report.leave_out(
                "outside HelpMap's scope: no taxonomy term (or, without terms, no word) meaning substance use "
                "treatment, recovery support or harm reduction",
                int(outside.sum()),
            )
        for (code, name), (decision, rows) in sorted(self.term_uses.items(), key=lambda item: -item[1][1]):
            services = f" ({', '.join(decision.services)})" if decision.services else ""
            report.notes.append(
                f"taxonomy: {code} {name}".rstrip() + f" -> {decision.kind}{services}, {rows:,} services"
                f" [{decision.rule}]"
            )
        for kind, rows in self.by_words.items():
            report.notes.append(f"no taxonomy terms: {rows:,} services -> {kind} by the words of their name or description")


def services_from_words(text: str) -> str:
    return join_words(word for pattern, words in SERVICE_WORDS if pattern.search(text) for word in words)


def _eligibility(sal: pd.DataFrame, table: pd.DataFrame, service: pd.DataFrame) -> pd.Series:
    """Each row's eligibility text: the 1.x/2.x eligibility table (by service), else 3.0's
    eligibility_description on the service."""
    own = column(service, "eligibility_description")
    if table.empty or "service_id" not in table:
        return own
    texts = column(table, "eligibility")
    linked = texts[(column(table, "service_id") != "") & (texts != "")]
    joined = linked.groupby(table.loc[linked.index, "service_id"]).agg(lambda t: "; ".join(dict.fromkeys(t)))
    found = sal["service_id"].map(joined).astype(object).fillna("")
    return found.where(found != "", own)


AGE_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,3})\s*(?:years|yrs|y\.?o\.?)", re.IGNORECASE)
AGE_FROM = re.compile(r"\b(\d{1,2})\s*(?:\+|years(?: of age)?(?: old)?\s*(?:and|or)\s*(?:over|older|up)|and (?:over|older))",
                      re.IGNORECASE)  # fmt: skip
WOMEN_ONLY = re.compile(r"\b(women|females?|girls)\b(?: only)|\bonly\b[^.;]{0,20}\b(women|females?|girls)\b", re.IGNORECASE)
MEN_ONLY = re.compile(r"\b(men|males?|boys)\b(?: only)|\bonly\b[^.;]{0,20}\b(men|males?|boys)\b", re.IGNORECASE)


def eligibility_limits(text: str) -> tuple[str, str, str]:
    """(min_age, max_age, gender) when an eligibility text states them plainly:
    "Ages 18-64", "18 years and older", "Women only"; '' where it does not."""
    low = high = gender = ""
    match = AGE_RANGE.search(text)
    if match:
        low, high = match.group(1), match.group(2)
    else:
        match = AGE_FROM.search(text)
        if match:
            low = match.group(1)
    women, men = bool(WOMEN_ONLY.search(text)), bool(MEN_ONLY.search(text))
    if women != men:
        gender = "women" if women else "men"
    return low, high, gender


def _descriptions(
    sal: pd.DataFrame,
    service: pd.DataFrame,
    location: pd.DataFrame,
    access: pd.Series,
    schedule_text: pd.Series,
    eligibility: pd.Series,
) -> pd.Series:
    about = column(sal, "description").where(column(sal, "description") != "", column(service, "description"))
    virtual = column(location, "location_type").str.lower() == "virtual"
    place_name = column(location, "name").where(~virtual, "")  # "Online" says nothing
    fees = column(service, "fees_description").where(column(service, "fees_description") != "", column(service, "fees"))

    def labelled(label: str, values: pd.Series) -> pd.Series:
        return (label + values).where(values != "", "")

    parts = pd.DataFrame({
        "about": about,
        "who": labelled("Who it is for: ", eligibility),
        "where": labelled("Location: ", place_name),
        "getting_there": labelled("Getting there: ", column(location, "transportation")),
        "hours": labelled("Hours: ", schedule_text),
        "fees": labelled("Fees: ", fees),
        "apply": labelled("How to apply: ", column(service, "application_process")),
        "wait": labelled("Wait time: ", column(service, "wait_time")),
        "interpreters": labelled("Interpreters: ", column(service, "interpretation_services")),
        "access": labelled("Access: ", access),
        "accreditations": labelled("Accreditations: ", column(service, "accreditations")),
        "licences": labelled("Licences: ", column(service, "licenses")),
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
    if not codes and schedule.get("weekday", "").strip():  # 1.x/2.x: one row per weekday, by name
        code = WEEKDAY_CODES.get(schedule["weekday"].strip().lower()[:3])
        codes = [code] if code else ["?"]
    if not (opens and closes and codes) or any(code not in RRULE_DAYS for code in codes):
        return None
    return sorted({RRULE_DAYS.index(code) for code in codes}), f"{opens}-{closes}"


WEEKDAY_CODES = {name[:3].lower(): code for name, code in zip(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), RRULE_DAYS)}  # fmt: skip


def _clock(text: str) -> str:
    """'09:00', '09:00:00Z', and the 1.x exports' '9:00am' -> 'HH:MM'."""
    match = CLOCK.match(text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else clock_time(text)


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
    described = schedule.get("description", "").strip() or schedule.get("original_text", "").strip()
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
