"""SAMHSA treatment data -> our schema. Three shapes, told apart by their content:

* the treatment locator CSV compiled by OEPS (name1,name2,street1,street2,city,state,zip,...);
* the opioid treatment programme (OTP) directory CSV (ID,ADDRESS,CITY,STATE,POSTAL,...), whose
  every row is a methadone/OTP clinic, so its services are "medication;moud";
* the locator API's JSON rows (a list, or {"rows": [...]}), with phone, intake line, website and
  coded services: [{"f1": category label, "f2": category code, "f3": "value; value"}].

Choices, so the data reads the way SAMHSA's own locator shows it:
* name = name1 (the heading SAMHSA shows); name2, the line SAMHSA shows under it (a programme,
  site or "DBA" name), starts the description. It is not the organisation: it is as often a
  programme ("Outpatient Substance Abuse Services") as an operator.
* ZIP codes are text; ZIPs that a spreadsheet shortened (8879 for 08879) get their zeros back.
* id = "samhsa-" + 12 hex digits of SHA-1 over name1|name2|street1|street2|city|state|zip (over
  the locator's own facility id, frid, when the JSON has one), so an unchanged facility keeps its
  id across imports; rows that share a key get -2, -3 in file order.
* Rejections name the CSV line (header = line 1), or for JSON the 1-based row in the array.
* last_verified is the date given with `as_of` (`--as-of` on the command line), else the file's
  own date (when it was saved), never a fixed year; the report says which was used.
* The locator download (phone, intake_prompt, intake1, intake2, website, type_facility; R
  writes "NA" for missing values, read as empty): phone and website are kept, intake lines go in
  the description ("Intake: 206-744-4464"). type_facility SA is treatment; MH (mental health
  only) is left out and counted, or kept with the service word mental_health when the site asks
  (`mental_health = true`). The JSON's typeFacility is read the same way.
* The JSON's coded services are mapped value by value (tables below; the 2019 locator's short
  codes such as MD, PI, SS are accepted too). Values we do not recognise in the categories we
  map are reported in one warning; categories that have no column here (licences, smoking
  policy, ...) are summarised in another.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from .. import schema
from ..report import LoadReport
from ..sources import is_url
from .detect import refuse, sniff_path, sniff_text, wrong_format
from .mapping import Column, FieldLedger, ImportReport, NotCarried, Used, Words, non_empty_counts
from . import (
    UnusableInput,
    clean_coordinates,
    counted,
    drop_exact_duplicates,
    guarded,
    join_columns,
    join_words,
    number_text,
    plain_text,
    read_csv_text,
    read_text,
    reject,
    row_keys,
    stable_ids,
    us_postcodes,
    web_address,
)

SOURCE_URL = "https://findtreatment.gov/"
LOCATOR_CSV_SOURCE = "SAMHSA treatment locator"
OTP_SOURCE = "SAMHSA OTP directory"
LOCATOR_JSON_SOURCE = "SAMHSA locator (JSON)"
MISSING = {"na", "n/a", "null", "none"}  # R's NA and its cousins: no value, not text
MENTAL_HEALTH_ONLY = "mental-health-only facilities (type_facility MH), outside HelpMap's scope"
OTP_DESCRIPTION = "Opioid treatment programme: methadone and other medication for opioid use disorder."

# Our working names for the facility fields, shared by all three shapes.
FIELDS = ("name1", "name2", "street1", "street2", "city", "state", "zip", "latitude", "longitude")
LOCATOR_CSV_COLUMNS = {"name1", "street1", "city", "state", "zip", "latitude", "longitude"}
OTP_COLUMNS = {"id": "name1", "address": "street1", "city": "city", "state": "state", "postal": "zip",
               "latitude": "latitude", "longitude": "longitude"}  # fmt: skip

LOCATOR_FIELDS = {
    "name1": Column("name"),
    "name2": Words("description (the line SAMHSA shows under the name)"),
    "street1": Column("address"),
    "street2": Column("address"),
    "city": Column("city"),
    "state": Column("region"),
    "zip": Column("postcode"),
    "latitude": Column("latitude"),
    "longitude": Column("longitude"),
    "phone": Column("phone"),
    "website": Column("website"),
    "intake_prompt": Words("description: the label of the intake numbers"),
    "intake1": Words("description: 'Intake: ...'"),
    "intake2": Words("description: 'Intake: ...'"),
    "hotline1": Words("description: 'Hotline: ...'"),
    "type_facility": Used("kind: SA kept as treatment, MH left out or kept as mental_health"),
    "typeFacility": Used("kind: SA kept as treatment, MH left out or kept as mental_health"),  # the JSON's
    "services": Column("services, payment, cost, languages, min_age, max_age, gender; notes in description"),
    "frid": Column("id (samhsa-<hash of frid>)"),
    "zip4": NotCarried("the ZIP+4 extension; the 5-digit ZIP places the facility"),
    "county": NotCarried("city, state and ZIP place the facility"),
    "miles": NotCarried("distance from the point the search was made around"),
    "_irow": NotCarried("the row's number in the API's page"),
}
OTP_FIELDS = {
    "id": Column("name (the OTP directory's ID is the programme's name)"),
    "address": Column("address"),
    "city": Column("city"),
    "state": Column("region"),
    "postal": Column("postcode"),
    "latitude": Column("latitude"),
    "longitude": Column("longitude"),
}


@guarded
def import_samhsa(
    src: str | Path, report: LoadReport, *, as_of: str = "", mental_health: bool = False
) -> pd.DataFrame:
    if not is_url(str(src)):
        refuse(wrong_format(sniff_path(Path(src)), "samhsa"))
    text = read_text(src, report)
    refuse(wrong_format(sniff_text(text), "samhsa"))
    verified = verified_date(src, as_of, report)
    if text.lstrip()[:1] in ("[", "{"):
        return from_locator_json(text, report, verified=verified, mental_health=mental_health)
    table = read_csv_text(text, report)
    table = blank_missing(table)
    if LOCATOR_CSV_COLUMNS <= set(table.columns):
        _ledger(LOCATOR_FIELDS, table, report)
        rows = facility_rows(table, report, source=LOCATOR_CSV_SOURCE, verified=verified)
        extra = table.loc[rows.index]
        rows["kind"] = "treatment"
        if "phone" in extra:
            rows["phone"] = extra["phone"]
        if "website" in extra:
            rows["website"] = extra["website"].map(web_address)
        notes = [intake_notes(record) for record in extra.to_dict("records")]
        rows["description"] = [
            sentences([name2, *more]) if more else name2 for name2, more in zip(rows["description"], notes)
        ]
        return facility_scope(rows, extra.get("type_facility"), report, mental_health=mental_health)
    if set(OTP_COLUMNS) <= set(table.columns):
        _ledger(OTP_FIELDS, table, report)
        rows = facility_rows(table.rename(columns=OTP_COLUMNS), report, source=OTP_SOURCE, verified=verified)
        rows["kind"], rows["services"], rows["description"] = "treatment", "medication;moud", OTP_DESCRIPTION
        return rows
    raise UnusableInput(
        "This is not a SAMHSA export we know. The treatment locator CSV has the columns "
        "name1, name2, street1, street2, city, state, zip, latitude, longitude; the OTP directory has "
        "ID, ADDRESS, CITY, STATE, POSTAL, Latitude, Longitude. This file's header has: "
        f"{', '.join(list(table.columns.drop('_line'))[:12])[:300]}."
    )


def _ledger(fields: dict, table: pd.DataFrame, report: LoadReport) -> None:
    ledger = FieldLedger(fields)
    ledger.see_table([c for c in table.columns if c != "_line"], non_empty_counts(table))
    ledger.report_to(report)


def blank_missing(table: pd.DataFrame) -> pd.DataFrame:
    """R's "NA" (and "N/A") is a missing value, not text: "325 9th Avenue, NA" must not happen."""
    values = table.drop(columns="_line")
    missing = values.apply(lambda column: column.astype(str).str.strip().str.lower().isin(MISSING))
    return values.mask(missing, "").assign(_line=table["_line"])


def verified_date(src: str | Path, as_of: str, report: LoadReport) -> str:
    """`as_of` when given (an ISO date), else the day the file was saved (today for a download)."""
    if as_of:
        try:
            day = date.fromisoformat(str(as_of)).isoformat()
        except ValueError:
            raise UnusableInput(f"--as-of '{str(as_of)[:20]}' is not a date like 2021-10-13.") from None
        _note(report, f"last_verified: {day}, as given (--as-of)")
        return day
    if is_url(str(src)):
        day, where = datetime.now(timezone.utc).date().isoformat(), "the day it was downloaded"
    else:
        saved = Path(src).stat().st_mtime
        day, where = datetime.fromtimestamp(saved, timezone.utc).date().isoformat(), "the file's own date"
    _note(report, f"last_verified: {day}, {where}; give --as-of DATE when the data is older than that")
    return day


def _note(report: LoadReport, text: str) -> None:
    if isinstance(report, ImportReport):
        report.notes.append(text)


def intake_notes(record: dict) -> list[str]:
    """'Intake: 206-744-4464' (labelled as the file's intake_prompt says), and hotlines."""
    label = str(record.get("intake_prompt", "") or "Intake").strip().rstrip("s") or "Intake"
    phone = str(record.get("phone", "")).strip()
    notes = []
    for field_name, what in (("intake1", label), ("intake2", label), ("hotline1", "Hotline")):
        number = str(record.get(field_name, "") or "").strip()
        if number and number != phone:
            notes.append(f"{what}: {number}")
    return notes


def facility_scope(
    rows: pd.DataFrame, types: pd.Series | None, report: LoadReport, *, mental_health: bool
) -> pd.DataFrame:
    """Substance use facilities are kept; mental-health-only ones are left out and counted,
    or kept with the service word mental_health when the site asks for them."""
    if types is None:
        return rows
    kinds = types.fillna("").astype(str).str.upper()
    substance = kinds.str.contains("SA") | kinds.str.contains("SU") | (kinds == "")
    mh_only = kinds.str.contains("MH") & ~substance
    if mental_health:
        for column in ("services", "description"):
            if column not in rows:
                rows[column] = ""
        rows.loc[mh_only, "services"] = [
            join_words([*words.split(";"), "mental_health"]) for words in rows.loc[mh_only, "services"].fillna("")
        ]
        care = "Type of care: mental health treatment"
        rows.loc[mh_only, "description"] = [
            text if care in text else sentences([text, care]) for text in rows.loc[mh_only, "description"].fillna("")
        ]
        _note(report, f"{int(mh_only.sum()):,} mental-health-only facilities kept with the service mental_health")
        return rows
    if mh_only.any() and isinstance(report, ImportReport):
        report.leave_out(MENTAL_HEALTH_ONLY, int(mh_only.sum()))
    return rows[~mh_only]


# --- the fields every shape shares ---------------------------------------------------------


def facility_rows(
    table: pd.DataFrame, report: LoadReport, *, source: str, verified: str, unit: str = "line"
) -> pd.DataFrame:
    """Rows with name1 ... longitude and `_line` (a CSV line, or a JSON row when unit="row")
    -> our columns for name, place, id and source."""
    table = table.copy()
    for column in FIELDS:
        table[column] = table[column].astype(str).str.strip() if column in table else ""
    table = drop_exact_duplicates(table, report)
    table = _reject_unusable(table, report)
    out = pd.DataFrame(index=table.index)
    out["name"] = table["name1"]
    out["description"] = table["name2"]
    out["address"] = join_columns(table, ["street1", "street2"])
    out["city"], out["region"] = table["city"], table["state"]
    out["postcode"], restored = us_postcodes(table["zip"])
    if restored:
        report.warn(
            f"{counted(restored, 'ZIP code')} had lost leading zeros (like 8879 for 08879, as spreadsheets "
            "do); restored to 5 digits."
        )
    out["country"] = "US"
    out["latitude"], out["longitude"] = table["latitude"], table["longitude"]
    clean_coordinates(out, report, unit + " " + table["_line"].astype(str) + " (" + table["name1"] + ")")
    key = row_keys(
        table.assign(zip=out["postcode"]), ["name1", "name2", "street1", "street2", "city", "state", "zip"]
    )
    if "frid" in table:  # the locator's facility id tells apart listings at one address (SA, MH)
        key = table["frid"].where(table["frid"] != "", key)
    out["id"] = stable_ids(key, "samhsa-")
    _warn_repeated_facilities(key.duplicated(), out, table, report, unit)
    out["source"], out["source_url"], out["last_verified"] = source, SOURCE_URL, verified
    out["_line"] = table["_line"]
    return out


def _reject_unusable(table: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    nameless = table["name1"] == ""
    placeless = (table[["latitude", "longitude"]] == "").any(axis=1) & (
        table[["street1", "city", "zip"]] == ""
    ).all(axis=1)
    for line in table.loc[nameless, "_line"]:
        reject(report, int(line), "has no facility name (name1)", "no facility name")
    for line in table.loc[placeless & ~nameless, "_line"]:
        reject(report, int(line), "has neither coordinates nor an address", "no coordinates or address")
    return table[~nameless & ~placeless]


def _warn_repeated_facilities(
    repeats: pd.Series, out: pd.DataFrame, table: pd.DataFrame, report: LoadReport, unit: str
) -> None:
    """Same name and address but not an exact copy (other coordinates): kept, said once."""
    if not repeats.any():
        return
    examples = [
        f"{unit} {line} ({name})" for line, name in zip(table.loc[repeats, "_line"], out.loc[repeats, "name"])
    ]
    report.warn(
        f"{counted(int(repeats.sum()), 'row')} with the same name and address as an earlier row but other "
        "details (such as coordinates): both kept, the later with an id ending -2: "
        + ", ".join(examples[:10])
        + (" …" if len(examples) > 10 else "")
    )


# --- the locator's JSON rows ---------------------------------------------------------------


def from_locator_json(text: str, report: LoadReport, *, verified: str, mental_health: bool = False) -> pd.DataFrame:
    records = _json_records(text)
    facilities, codes = [], CodeTally()
    ledger = FieldLedger(LOCATOR_FIELDS)
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            report.reject(number, f"row {number} is not a facility record (it is {type(record).__name__})",
                          "not a facility record")  # fmt: skip
            continue
        ledger.see_record(record)
        facilities.append(_json_facility(number, record, codes))
    ledger.report_to(report)
    if not facilities:
        raise UnusableInput("The JSON holds no facility rows.")
    table = pd.DataFrame(facilities).set_index(pd.RangeIndex(len(facilities)))
    out = facility_rows(table, report, source=LOCATOR_JSON_SOURCE, verified=verified, unit="row")
    extra = table.loc[out.index]
    out["kind"] = "treatment"
    out["phone"] = extra["phone"]
    out["website"] = extra["website"].map(web_address)
    for column in ("services", "payment", "languages", "cost", "min_age", "max_age", "gender"):
        out[column] = extra[column]
    out["description"] = extra["description"]
    codes.report_to(report)
    substance = extra["_care"].str.contains("substance_use")
    types = extra["type_facility"].where(~substance | extra["type_facility"].str.contains("SA"), "SA")
    return facility_scope(out, types, report, mental_health=mental_health)


def _json_records(text: str) -> list:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnusableInput(f"The file is not valid JSON (line {error.lineno}: {error.msg}).") from None
    if isinstance(data, dict):
        data = data.get("rows")  # the locator API wraps its rows: {"page": 1, "rows": [...]}
    if not isinstance(data, list):
        raise UnusableInput("The JSON is not a list of facility rows (nor an object with a 'rows' list).")
    return data


def _json_facility(number: int, record: dict, codes: CodeTally) -> dict:
    facility = {
        name: plain_text(record.get(name))
        for name in ("name1", "name2", "street1", "street2", "city", "state", "zip")
    }
    facility["frid"] = plain_text(record.get("frid"))  # SAMHSA's own facility id
    facility["latitude"], facility["longitude"] = (
        number_text(record.get("latitude")),
        number_text(record.get("longitude")),
    )
    facility["_line"] = number
    phone = plain_text(record.get("phone"))
    facility["phone"], facility["website"] = phone, plain_text(record.get("website"))
    facility["type_facility"] = plain_text(record.get("typeFacility") or record.get("type_facility")).upper()
    mapped = map_services(record.get("services"), codes)
    facility["_care"] = ";".join(mapped.words("care"))
    facility.update(mapped.columns())
    facility["description"] = sentences([facility["name2"], *mapped.notes(), *_contact_notes(phone, record)])
    return facility


def sentences(parts: list[str]) -> str:
    """'Mohr Center', 'Intake: 434-972-1800' -> 'Mohr Center. Intake: 434-972-1800.'"""
    return " ".join(part.rstrip(".") + "." for part in dict.fromkeys(p.strip() for p in parts) if part)


def _contact_notes(phone: str, record: dict) -> list[str]:
    notes = []
    for field_name, label in (("intake1", "Intake"), ("intake2", "Intake"), ("hotline1", "Hotline")):
        number = plain_text(record.get(field_name))
        if number and number != phone:
            notes.append(f"{label}: {number}")
    return notes


# --- coded services ------------------------------------------------------------------------

# Each value (lower case) -> effects "column:word". Effects that are not columns:
# "age:<group>" (-> min_age/max_age), "gender:<who>", "care:<type>" (-> description).
MEDICATION = ("services:medication",)
MOUD = ("services:medication", "services:moud")
STATE_FUNDED = ("payment:state_funded",)
DEAF = ("languages:American Sign Language",)

VALUE_EFFECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "TC": {
        "substance use treatment": ("care:substance_use",),
        "mental health treatment": ("care:mental_health",),
        "buprenorphine practitioners": MOUD,
        "health care centers": (),
        "sa": ("care:substance_use",),
        "mh": ("care:mental_health",),
    },
    "SET": {
        "outpatient": ("services:outpatient",),
        "regular outpatient treatment": ("services:outpatient",),
        "intensive outpatient treatment": ("services:intensive_outpatient",),
        "outpatient day treatment or partial hospitalization": ("services:intensive_outpatient",),
        "partial hospitalization/day treatment": ("services:intensive_outpatient",),
        "outpatient detoxification": ("services:detox", "services:outpatient"),
        "outpatient methadone/buprenorphine or naltrexone treatment": ("services:outpatient", *MOUD),
        "residential": ("services:residential",),
        "residential/24-hour residential": ("services:residential",),
        "short-term residential": ("services:residential",),
        "long-term residential": ("services:residential",),
        "residential detoxification": ("services:detox", "services:residential"),
        "hospital inpatient": ("services:inpatient",),
        "hospital inpatient/24-hour hospital inpatient": ("services:inpatient",),
        "hospital inpatient treatment": ("services:inpatient",),
        "hospital inpatient detoxification": ("services:detox", "services:inpatient"),
        "telemedicine/telehealth": ("services:telehealth",),
        "computerized treatment/telemedicine": ("services:telehealth",),
        "detoxification": ("services:detox",),
        # the 2019 locator's filter codes
        "dt": ("services:detox",),
        "op": ("services:outpatient",),
        "hi": ("services:inpatient",),
        "res": ("services:residential",),
        "tele": ("services:telehealth",),
        "co": ("services:dual_diagnosis",),
        "isc": (),
        "hh": (),
    },
    "OT": {
        "accepts clients on opioid medication": (),
        "do not use medication for opioid addiction": (),
        "does not treat opioid addiction": (),
        "use methadone/buprenorphine for pain management or emergency dosing": (),
        "samhsa-certified opioid treatment program": MOUD,
        "relapse prevention from naltrexone": MOUD,
    },
    "OM": {"does not use medication for opioid addiction": ()},
    "PHR": {
        "acamprosate (campral®)": MEDICATION,
        "acamprosate": MEDICATION,
        "disulfiram (antabuse®)": MEDICATION,
        "disulfiram": MEDICATION,
        "lofexidine": MEDICATION,
        "clonidine": MEDICATION,
        "medications for psychiatric disorders": (),
        "nicotine replacement": (),
        "non-nicotine smoking/tobacco cessation medications": (),
    },
    "DETOX": {},  # every value is a kind of detox: see CATEGORY_DEFAULTS
    "PAY": {
        "cash or self-payment": ("payment:self_pay",),
        "medicaid": ("payment:medicaid",),
        "medicare": ("payment:medicare",),
        "private health insurance": ("payment:private_insurance",),
        "military insurance (e.g., tricare)": ("payment:military",),
        "u.s. department of va funds": ("payment:military",),
        "ihs/tribal/urban (itu) funds": ("payment:ihs",),
        "no payment accepted": ("payment:free", "cost:free"),
        "state-financed health insurance plan other than medicaid": STATE_FUNDED,
        # public money for people who cannot pay (what "state funded" means to a person looking)
        "federal, or any government funding for substance abuse programs": STATE_FUNDED,
        "other state funds": STATE_FUNDED,
        "state mental health agency (or equivalent) funds": STATE_FUNDED,
        "state substance abuse agency funds": STATE_FUNDED,
        "state welfare or child and family services funds": STATE_FUNDED,
        "state corrections or juvenile justice funds": STATE_FUNDED,
        "state education funds": STATE_FUNDED,
        "county or local government funds": STATE_FUNDED,
        "community mental health block grants": STATE_FUNDED,
        "community service block grants": STATE_FUNDED,
        "access to recovery (atr) vouchers": STATE_FUNDED,
        "pi": ("payment:private_insurance",),
        "md": ("payment:medicaid",),
        "mc": ("payment:medicare",),
        "np": ("payment:free", "cost:free"),
        "ss": ("payment:sliding_scale", "cost:sliding_scale"),
        "sf": ("payment:self_pay",),
        "mi": ("payment:military",),
        "itu": ("payment:ihs",),
        "pa": (),
    },
    "PYAS": {
        "sliding fee scale (fee is based on income and other factors)": (
            "payment:sliding_scale",
            "cost:sliding_scale",
        ),
        "payment assistance (check with facility for details)": (),
        "ss": ("payment:sliding_scale", "cost:sliding_scale"),
        "pa": (),
    },
    "AGE": {
        "adults": ("age:adults",),
        "young adults": ("age:young_adults",),
        "children/adolescents": ("age:children", "services:youth"),
        "seniors (65 or older)": ("age:seniors",),
        "seniors": ("age:seniors",),
        "adlt": ("age:adults",),
        "yad": ("age:young_adults",),
        "chld": ("age:children", "services:youth"),
        "snr": ("age:seniors",),
    },
    "GN": {"female": ("gender:women",), "male": ("gender:men",), "fem": ("gender:women",)},
    "SL": {
        "services for the deaf and hard of hearing": DEAF,
        "ah": DEAF,
        "spanish": ("languages:Spanish",),
        "sp": ("languages:Spanish",),
        "other languages (excluding spanish)": (),
    },
    "OL": {
        "sp": ("languages:Spanish",),
        "f4": ("languages:Arabic",),
        "f17": ("languages:Chinese",),
        "n23": ("languages:Navajo",),
    },
    # "Exclusive services": the values are quoted in the description as SAMHSA words them.
    "EXCL": {
        "methadone and buprenorphine clients only": MOUD,
        "all clients in opioid treatment program": MOUD,
    },
    # Categories mapped in part: the values listed are used, the rest have no column.
    "TAP": {
        value: ("services:counselling",)
        for value in (
            "cognitive behavioral therapy",
            "dialectical behavior therapy",
            "motivational interviewing",
            "individual psychotherapy",
            "group therapy",
            "substance use counseling approach",
            "substance abuse counseling approach",
            "relapse prevention",
            "trauma-related counseling",
            "trauma therapy",
            "brief intervention",
            "12-step facilitation",
            "matrix model",
            "contingency management/motivational incentives",
            "rational emotive behavioral therapy",
            "community reinforcement plus vouchers",
            "anger management",
            "behavior modification",
        )
    }
    | {
        "couples/family therapy": ("services:counselling", "services:family"),
        "integrated dual disorders treatment": ("services:dual_diagnosis",),
    },
    "EDU": {
        "individual counseling offered": ("services:counselling",),
        "group counseling offered": ("services:counselling",),
        "family counseling offered": ("services:counselling", "services:family"),
        "marital/couples counseling offered": ("services:counselling", "services:family"),
    },
    "AS": {
        "consumer-run (peer-support) services": ("services:peer_support",),
        "self-help groups": ("services:peer_support",),
        "family psychoeducation": ("services:family",),
        "naloxone and overdose education": ("services:naloxone",),
        "overdose education and naloxone distribution": ("services:naloxone",),
    },
    "TRSRV": {"aftercare/continuing care": ("services:aftercare",)},
    "SG": {
        "adolescents": ("services:youth",),
        "young adults": ("services:youth",),
        "transitional age young adults": ("services:youth",),
        "children/adolescents with serious emotional disturbance (sed)": ("services:youth",),
        "adult women": ("services:women",),
        "pregnant/postpartum women": ("services:women",),
        "adult men": ("services:men",),
        "lesbian, gay, bisexual, or transgender (lgbt) clients": ("services:lgbtq",),
        "persons with co-occurring mental and substance use disorders": ("services:dual_diagnosis",),
        "persons with co-occurring mental and substance use disorders (cod)": ("services:dual_diagnosis",),
        "gl": ("services:lgbtq",),
        "ah": DEAF,
        "co": ("services:dual_diagnosis",),
    },
}
PARTLY_MAPPED = {"TAP", "EDU", "AS", "TRSRV", "SG"}
# Categories with no column here: summarised in one warning, not treated as errors.
NO_COLUMN = {"FOP", "LCA", "SMP", "FT", "HOSP", "SCR", "ASSES", "TOBAC", "EMS", "OTHR"}
# Values not in the table but recognised by a word in them (brand names vary between years).
KEYWORD_EFFECTS = {
    "OT": (("methadone", MOUD), ("buprenorphine", MOUD), ("naltrexone", MOUD)),
    "OM": (("methadone", MOUD), ("buprenorphine", MOUD), ("naltrexone", MOUD)),
    "PHR": (("methadone", MOUD), ("buprenorphine", MOUD), ("naltrexone", MOUD)),
    "DETOX": (("", ("services:detox",)),),
}
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{1,2}\d+$")  # the locator's language codes (F4, N23 ...)


@dataclass
class CodeTally:
    """Across the file: what could not be mapped, for two aggregated warnings."""

    unknown: Counter = field(default_factory=Counter)  # (code, label, value) -> rows
    no_column: Counter = field(default_factory=Counter)  # (code, label) -> distinct values
    _seen_no_column: set = field(default_factory=set)

    def left_out(self, code: str, label: str, value: str) -> None:
        if (code, value) not in self._seen_no_column:
            self._seen_no_column.add((code, value))
            self.no_column[(code, label)] += 1

    def report_to(self, report: LoadReport) -> None:
        if self.unknown:
            listed = [
                f"{code} '{value}' ({rows} row{'s' if rows > 1 else ''})"
                for (code, _, value), rows in self.unknown.most_common(20)
            ]
            more = " …" if len(self.unknown) > 20 else ""
            report.warn(
                f"{counted(len(self.unknown), 'service value')} not recognised, so left out: "
                + "; ".join(listed)
                + more
            )
        if self.no_column:
            listed = [f"{label} ({code}): {n}" for (code, label), n in sorted(self.no_column.items())]
            distinct = sum(self.no_column.values())
            report.warn(
                f"Details with no HelpMap column were left out ({distinct} distinct values): "
                + "; ".join(listed)
            )


@dataclass
class MappedServices:
    effects: list[str] = field(default_factory=list)

    def words(self, kind: str) -> list[str]:
        prefix = kind + ":"
        return [e[len(prefix) :] for e in self.effects if e.startswith(prefix)]

    def columns(self) -> dict[str, str]:
        services = join_words(in_schema_order(self.words("services"), schema.SERVICES))
        payment = join_words(in_schema_order(self.words("payment"), schema.PAYMENT))
        costs = self.words("cost")
        min_age, max_age = age_range(set(self.words("age")))
        # SAMHSA lists only the languages other than English: every facility works in English.
        languages = join_words(["English", *self.words("languages")])
        return {
            "services": services,
            "payment": payment,
            "cost": "free" if "free" in costs else (costs[0] if costs else ""),
            "languages": languages,
            "min_age": min_age,
            "max_age": max_age,
            "gender": gender_accepted(set(self.words("gender"))),
        }

    def notes(self) -> list[str]:
        notes = []
        care = set(self.words("care"))
        if "mental_health" in care and "substance_use" not in care:
            notes.append("Type of care: mental health treatment")
        exclusive = join_words(self.words("only"), "; ")
        if exclusive:
            notes.append(f"Exclusive services (as SAMHSA lists them): {exclusive}")
        return notes


def map_services(items: object, codes: CodeTally) -> MappedServices:
    mapped = MappedServices()
    if not isinstance(items, list):
        return mapped
    for item in items:
        if not isinstance(item, dict):
            continue
        code = plain_text(item.get("f2")).upper()
        label = plain_text(item.get("f1")) or code
        for value in (v.strip() for v in plain_text(item.get("f3")).split(";")):
            if value:
                mapped.effects.extend(_value_effects(code, label, value, codes))
    return mapped


def _value_effects(code: str, label: str, value: str, codes: CodeTally) -> tuple[str, ...]:
    key = re.sub(r"\s+", " ", value.lower())
    if code in NO_COLUMN:
        codes.left_out(code, label, key)
        return ()
    table = VALUE_EFFECTS.get(code)
    if table is not None and key in table and code != "EXCL":
        return table[key]
    for word, effects in KEYWORD_EFFECTS.get(code, ()):
        if word in key:
            return effects
    if code == "EXCL":
        return (f"only:{value}", *(table or {}).get(key, ()))
    if code == "OL" and not LANGUAGE_CODE.match(value):
        return (f"languages:{value}",)  # "Other languages" values are language names
    if code in PARTLY_MAPPED:
        codes.left_out(code, label, key)
        return ()
    codes.unknown[(code, label, value)] += 1
    return ()


def in_schema_order(words: list[str], order: tuple[str, ...]) -> list[str]:
    return sorted(words, key=lambda word: order.index(word) if word in order else len(order))


def age_range(groups: set[str]) -> tuple[str, str]:
    """SAMHSA's age groups -> (min_age, max_age), "" meaning no limit that way."""
    if not groups:
        return "", ""
    low = "" if "children" in groups else "18" if groups & {"young_adults", "adults"} else "65"
    high = "" if groups & {"adults", "seniors"} else "25" if "young_adults" in groups else "17"
    return low, high


def gender_accepted(genders: set[str]) -> str:
    if genders == {"women"} or genders == {"men"}:
        return next(iter(genders))
    return "any" if genders else ""
