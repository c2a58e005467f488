"""Build data/us-samhsa-2021.csv, HelpMap's default directory, from public SAMHSA files.

    python tools/build_us_directory.py [--shared ../shared/data] [-o data/us-samhsa-2021.csv]

The inputs are US federal data (public domain) kept in ../shared/data, never in this repository:

| source                     | file                                                        | date       |
|----------------------------|-------------------------------------------------------------|------------|
| locator via OEPS           | samhsa-substance-use-treatment-2021.csv (UTF-8)             | 2021-07-28 |
| OTP directory via OEPS     | samhsa-opioid-treatment-programs-2021.csv (latin-1)         | 2021-07-28 |
| locator download           | real-feeds/samhsa/sedtR__gui_example__wa_mental_health_resource.csv | 2021-10-13 |
| locator sample             | samhsa-locator-sample-charlottesville.json                  | 2019       |

Dates: OEPS published both of its files by 2021-07-28 (their metadata says "Added: July 23,
2021"; the locator file entered OEPS's repository on 2021-07-28, see
../shared/research/data-and-geocoding.md 1.1), so 2021-07-28 is the date the listings were known
to be current, no later. The locator download is SAMHSA's export with file id 1634155998, a Unix
time: 2021-10-13 (../shared/data/real-feeds/samhsa/SOURCE.txt). The JSON sample is from 2019;
only the year is known, so it is written as 2019-01-01 where a date is needed.

What the script does, in order; every step is counted in the report it prints:
1. Reads each file. From the locator download and the JSON sample only substance-use rows
   (type_facility SA) are kept; R's "NA" and "N/A", and a bare "http://", count as empty.
2. Removes duplicates inside each file: rows with the same normalised name1, name2, street1
   and ZIP less than 1.5 km apart are one facility (the first row, with empty fields filled
   from the copies). Same key but further apart is a second place of that facility: kept.
3. Merges the files into one row per facility, starting from the OEPS locator file and taking
   the others in the order above. A row matches a facility already listed when, within 1.5 km:
   (a) normalised name1, name2, street1 and ZIP are equal; or (b) name1, street1 and ZIP are
   equal (name2 differs or is missing); or, for the OTP directory, whose "ID" is a programme
   or operator name, (c) that name equals the facility's name1 or name2 at the same street and
   ZIP, or (d) the street and ZIP are the same and exactly one facility is listed there (the
   OTP's own name is then kept in the description). Each facility is matched at most once per
   source; a row that matches nothing is a facility of its own. JSON-sample rows that match no
   2021 facility are left out: a 2019 listing absent from both 2021 files may have closed.
4. Writes HelpMap's schema (docs/data-format.md): name = name1, description = name2 (the line
   SAMHSA shows under the name), address = street1 + street2, phone (the facility's main line,
   from the locator download, else the JSON sample), website, and for JSON-sample facilities
   services, payment and languages mapped from the locator's codes. OTPs (and facilities whose
   codes say so) get services "medication;moud" and the extra column opioid_treatment_programme
   = yes; methadone and buprenorphine are named (extra column opioid_medication) only where a
   source says so. last_verified is the newest date of the sources that list the facility;
   `source` names every one of them with its date. Extra columns: intake_phone (SAMHSA's
   intake lines), county, phone_source, service_codes (the locator's category codes).
   Nothing is made up: every value is copied, cleaned (spaces, ZIP zeros) or mapped from a source.

The output is sorted by state, city, name and id, so the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import unicodedata
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from a checkout: use this checkout's helpmap

from helpmap.links import safe_web_url  # noqa: E402
from helpmap.schema import COLUMNS  # noqa: E402

DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUTPUT = REPO / "data" / "us-samhsa-2021.csv"
SOURCE_URL = "https://findtreatment.gov/"
MAX_MATCH_KM = 1.5
EXTRA_COLUMNS = ("intake_phone", "county", "phone_source", "opioid_treatment_programme", "opioid_medication",
                 "service_codes")  # fmt: skip
MISSING = {"", "na", "n/a", "none", "null", "http://", "https://", "http://na", "http://n/a"}


@dataclass(frozen=True)
class Source:
    key: str
    label: str  # what the `source` column says
    path: str  # relative to the shared data folder
    date: str  # the source's own date (see the module docstring)


SOURCES = (
    Source("oeps", "SAMHSA treatment locator via OEPS (2021-07-28)", "samhsa-substance-use-treatment-2021.csv",
           "2021-07-28"),
    Source("download", "SAMHSA treatment locator download (2021-10-13)",
           "real-feeds/samhsa/sedtR__gui_example__wa_mental_health_resource.csv", "2021-10-13"),
    Source("otp", "SAMHSA opioid treatment program directory via OEPS (2021-07-28)",
           "samhsa-opioid-treatment-programs-2021.csv", "2021-07-28"),
    Source("sample", "SAMHSA treatment locator sample (2019)", "samhsa-locator-sample-charlottesville.json",
           "2019-01-01"),
)  # fmt: skip
BY_KEY = {s.key: s for s in SOURCES}
ORDER = {s.key: n for n, s in enumerate(SOURCES)}
OTP_DESCRIPTION = "SAMHSA-certified opioid treatment program (OTP)"

# The locator's coded services (JSON sample) -> our controlled words. Only exact values are
# mapped; "Accepts clients on opioid medication" or "Does not treat opioid addiction" are not MOUD.
SERVICE_WORDS = {
    "Outpatient": "outpatient",
    "Regular outpatient treatment": "outpatient",
    "Intensive outpatient treatment": "intensive_outpatient",
    "Residential": "residential",
    "Short-term residential": "residential",
    "Long-term residential": "residential",
    "Hospital inpatient": "inpatient",
    "Detoxification": "detox",
    "Telemedicine/telehealth": "telehealth",
    "Computerized treatment/telemedicine": "telehealth",
    "Outpatient methadone/buprenorphine or naltrexone treatment": "outpatient;medication;moud",
    "Buprenorphine used in Treatment": "medication;moud",
    "Buprenorphine maintenance": "medication;moud",
    "Buprenorphine maintenance for predetermined time": "medication;moud",
    "Prescribes/administers buprenorphine": "medication;moud",
    "Methadone maintenance": "medication;moud",
    "Methadone maintenance for predetermined time": "medication;moud",
    "Methadone used in Treatment": "medication;moud",
    "Naltrexone used in Treatment": "medication;moud",
    "Prescribes/administers naltrexone": "medication;moud",
    "SAMHSA-certified Opioid Treatment Program": "medication;moud",
    "Individual counseling offered": "counselling",
    "Group counseling offered": "counselling",
    "Family counseling offered": "family",
    "Persons with co-occurring mental and substance use disorders": "dual_diagnosis",
    "Adolescents": "youth",
    "Adult women": "women",
    "Adult men": "men",
    "Lesbian, gay, bisexual, or transgender (LGBT) clients": "lgbtq",
    "Aftercare/continuing care": "aftercare",
    "Consumer-run (peer-support) services": "peer_support",
}
PAYMENT_WORDS = {
    "Medicaid": "medicaid",
    "Medicare": "medicare",
    "Private health insurance": "private_insurance",
    "Cash or self-payment": "self_pay",
    "Military insurance (e.g., TRICARE)": "military",
    "State-financed health insurance plan other than Medicaid": "state_funded",
    "IHS/Tribal/Urban (ITU) funds": "ihs",
    "Sliding fee scale (fee is based on income and other factors)": "sliding_scale",
}
SERVICE_CATEGORIES = ("SET", "OT", "OM", "EDU", "SG", "TRSRV", "AS", "PAY", "PYAS", "PHR")
MEDICATIONS = ("methadone", "buprenorphine", "naltrexone")  # named only when a source value says so

STREET_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr",
    "highway": "hwy", "lane": "ln", "court": "ct", "place": "pl", "parkway": "pkwy", "circle": "cir",
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
    "southeast": "se", "southwest": "sw", "suite": "ste", "route": "rte", "square": "sq", "terrace": "ter",
}  # fmt: skip
WEB_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d{1,5})?$", re.IGNORECASE)
NAME_NOISE = {"inc", "llc", "the", "of", "lp", "pc", "pllc", "co", "corp"}


# --- normalising -------------------------------------------------------------------------------


def clean(value: object) -> str:
    """One line of text; R's NA, "N/A" and a bare "http://" are empty."""
    text = " ".join(str(value if value is not None else "").split())
    return "" if text.lower() in MISSING else text


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.replace("&", " and ")).split()


def name_key(text: str) -> str:
    return " ".join(w for w in _words(text) if w not in NAME_NOISE)


def street_key(text: str) -> str:
    return " ".join(STREET_WORDS.get(w, w) for w in _words(text))


def web_address(value: object) -> str:
    """A website only when it is one: an http(s) address with a domain name. The locator's
    website field also holds e-mail addresses, "no website", "http://-" and typos such as
    "https//example.org"; those are left out (counted in the report), never repaired by guessing."""
    text = clean(value)
    if not text:
        return ""
    url = safe_web_url(text if "://" in text else f"http://{text}")
    if not url or "@" in url:
        return ""
    return url if WEB_HOST.match(urllib.parse.urlsplit(url).netloc) else ""


def zip5(text: str) -> str:
    """'8879' (a spreadsheet dropped the zero) -> '08879'; '20602-1234' -> '20602'."""
    digits = re.sub(r"\D", "", clean(text).split("-")[0])
    return digits.zfill(5)[:5] if digits else ""


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


# --- reading each source into one shape ---------------------------------------------------------

FIELDS = ("name1", "name2", "street1", "street2", "city", "state", "zip", "county", "latitude", "longitude",
          "phone", "intake", "website", "services", "payment", "languages", "service_codes", "otp",
          "medication")  # fmt: skip


def _frame(records: list[dict], source: str) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["line", *FIELDS], dtype=object).fillna("")
    frame["source"] = source
    frame["zip"] = frame["zip"].map(zip5)
    websites = frame["website"].map(web_address)
    frame.attrs["not_websites"] = int(((frame["website"] != "") & (websites == "")).sum())
    frame["website"] = websites
    frame["latitude"] = pd.to_numeric(frame["latitude"], errors="coerce")
    frame["longitude"] = pd.to_numeric(frame["longitude"], errors="coerce")
    return frame


def _csv(path: Path, encoding: str) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding=encoding)
    table.columns = [c.strip().lstrip("\ufeff").strip().lower() for c in table.columns]
    return table.map(clean)


def read_oeps(path: Path) -> pd.DataFrame:
    table = _csv(path, "utf-8")
    records = [{"line": n + 2, **{f: row.get(f, "") for f in FIELDS if f in table}} for n, row in
               enumerate(table.to_dict("records"))]  # fmt: skip
    return _frame(records, "oeps")


def read_otp(path: Path) -> pd.DataFrame:
    table = _csv(path, "latin-1")
    records = [
        {"line": n + 2, "name1": row["id"], "street1": row["address"], "city": row["city"], "state": row["state"],
         "zip": row["postal"], "latitude": row["latitude"], "longitude": row["longitude"], "otp": "yes",
         "services": "medication;moud"}
        for n, row in enumerate(table.to_dict("records"))
    ]  # fmt: skip
    return _frame(records, "otp")


def read_download(path: Path) -> tuple[pd.DataFrame, Counter]:
    table = _csv(path, "utf-8-sig")
    kinds = Counter(table["type_facility"])
    records = []
    for n, row in enumerate(table.to_dict("records")):
        if row["type_facility"] != "SA":
            continue
        intake = [row[c] for c in ("intake1", "intake2") if row[c]]
        records.append({"line": n + 2, **{f: row[f] for f in FIELDS if f in row}, "intake": ";".join(intake)})
    return _frame(records, "download"), kinds


def read_sample(path: Path) -> tuple[pd.DataFrame, Counter]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    kinds = Counter(clean(r.get("typeFacility")) for r in rows)
    records = []
    for n, row in enumerate(rows, start=1):
        if clean(row.get("typeFacility")) != "SA":
            continue
        record = {f: clean(row.get(f)) for f in ("name1", "name2", "street1", "street2", "city", "state", "zip",
                                                  "phone", "website", "latitude", "longitude")}  # fmt: skip
        intake = [clean(row.get("intake1"))] if clean(row.get("intake1")) else []
        record.update(line=n, intake=";".join(intake), **coded_services(row.get("services") or []))
        records.append(record)
    return _frame(records, "sample"), kinds


def coded_services(services: list[dict]) -> dict[str, str]:
    """The JSON sample's [{"f2": code, "f3": "value; value"}] -> our services, payment, languages."""
    found: dict[str, list[str]] = {"services": [], "payment": [], "languages": [], "medication": []}
    codes, otp = [], ""
    for entry in services:
        code, values = clean(entry.get("f2")), [clean(v) for v in str(entry.get("f3") or "").split(";")]
        codes.append(code)
        for value in filter(None, values):
            if code in SERVICE_CATEGORIES and value in SERVICE_WORDS:
                found["services"] += SERVICE_WORDS[value].split(";")
            if code in ("PAY", "PYAS") and value in PAYMENT_WORDS:
                found["payment"].append(PAYMENT_WORDS[value])
            if code == "OL":
                found["languages"].append(value)
            if value == "SAMHSA-certified Opioid Treatment Program":
                otp = "yes"
            if code in SERVICE_CATEGORIES and SERVICE_WORDS.get(value, "").endswith("moud"):
                found["medication"] += [m for m in MEDICATIONS if m in value.lower()]
    out = {key: ";".join(dict.fromkeys(words)) for key, words in found.items()}
    out["service_codes"] = ";".join(dict.fromkeys(c for c in codes if c))
    out["otp"] = otp
    return out


# --- duplicates and matching -------------------------------------------------------------------


def add_keys(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    place = frame["street1"].map(street_key) + "|" + frame["zip"]
    frame["k_name1"], frame["k_name2"] = frame["name1"].map(name_key), frame["name2"].map(name_key)
    frame["k_place"] = place
    frame["k_full"] = frame["k_name1"] + "|" + frame["k_name2"] + "|" + place
    frame["k_short"] = frame["k_name1"] + "|" + place
    return frame


def _near(a: pd.Series, b: pd.Series) -> bool:
    if any(pd.isna(v) for v in (a["latitude"], a["longitude"], b["latitude"], b["longitude"])):
        return False
    return km_between(a["latitude"], a["longitude"], b["latitude"], b["longitude"]) <= MAX_MATCH_KM


def fill_from(first: dict, other: pd.Series) -> None:
    """Empty fields of `first` take the copy's value (a copy may have the website the first lacks)."""
    for column in FIELDS:
        if column not in ("latitude", "longitude") and not first[column] and other[column]:
            first[column] = other[column]


def drop_duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Rows with the same full key, within 1.5 km of each other, are one facility."""
    kept: list[dict] = []
    by_key: dict[str, list[int]] = {}
    removed = 0
    for _, row in frame.iterrows():
        twin = next((i for i in by_key.get(row["k_full"], []) if _near(pd.Series(kept[i]), row)), None)
        if twin is None:
            by_key.setdefault(row["k_full"], []).append(len(kept))
            kept.append(row.to_dict())
        else:
            fill_from(kept[twin], row)
            removed += 1
    return pd.DataFrame(kept, columns=frame.columns), removed


class Facilities:
    """The merged list: one entry per facility, each holding the rows that describe it."""

    def __init__(self) -> None:
        self.members: list[list[pd.Series]] = []
        self.sources: list[set[str]] = []  # which sources list each facility
        self.index: dict[str, dict[str, list[int]]] = {"k_full": {}, "k_short": {}, "k_name": {}, "k_place": {}}

    def add(self, row: pd.Series) -> None:
        number = len(self.members)
        self.members.append([row])
        self.sources.append({row["source"]})
        self._index(number, row)

    def _index(self, number: int, row: pd.Series) -> None:
        keys = {"k_full": [row["k_full"]], "k_short": [row["k_short"]], "k_place": [row["k_place"]],
                "k_name": [f"{row['k_name1']}|{row['k_place']}", f"{row['k_name2']}|{row['k_place']}"]}  # fmt: skip
        for table, values in keys.items():
            for value in dict.fromkeys(values):
                if not value.startswith("|"):
                    self.index[table].setdefault(value, []).append(number)

    def find(self, row: pd.Series, *, otp: bool) -> tuple[int | None, str, int]:
        """The facility this row describes, how it matched, and how many key matches were too far.
        A facility that already has a row from this source is not a candidate: two rows of one
        file that survived its duplicate check are two facilities (co-located programmes)."""
        far = 0
        tiers = [("name, street and ZIP", "k_full", row["k_full"]), ("name1, street and ZIP", "k_short", row["k_short"])]
        if otp:
            tiers.append(("OTP name, street and ZIP", "k_name", f"{row['k_name1']}|{row['k_place']}"))
        for label, table, key in tiers:
            candidates = [n for n in self.index[table].get(key, []) if row["source"] not in self.sources[n]]
            near = [n for n in candidates if _near(self.members[n][0], row)]
            far += len(candidates) - len(near)
            if near:
                return min(near, key=lambda n: self._distance(n, row)), label, far
        if otp:  # one facility at exactly this street and ZIP: the OTP is its methadone clinic
            at_place = list(dict.fromkeys(self.index["k_place"].get(row["k_place"], [])))
            if len(at_place) == 1 and row["source"] not in self.sources[at_place[0]] and _near(self.members[at_place[0]][0], row):
                return at_place[0], "street and ZIP (the only facility there)", far
        return None, "", far

    def _distance(self, number: int, row: pd.Series) -> float:
        first = self.members[number][0]
        return km_between(first["latitude"], first["longitude"], row["latitude"], row["longitude"])

    def join(self, number: int, row: pd.Series) -> None:
        self.members[number].append(row)
        self.sources[number].add(row["source"])
        self._index(number, row)


# --- writing our schema ------------------------------------------------------------------------


def first_value(rows: list[pd.Series], column: str, order: tuple[str, ...]) -> tuple[str, str]:
    """The value from the first source in `order` that has one, and that source's key."""
    for source in order:
        for row in rows:
            if row["source"] == source and row[column]:
                return row[column], source
    return "", ""


def joined(rows: list[pd.Series], column: str) -> str:
    words = [w for row in rows for w in str(row[column]).split(";") if w]
    return ";".join(dict.fromkeys(words))


def facility_row(rows: list[pd.Series]) -> dict:
    rows = sorted(rows, key=lambda r: ORDER[r["source"]])
    # Name and address from the newest listing of the locator itself; OTP names are operators.
    base = next((r for r in rows if r["source"] == "download"), rows[0])
    sources = sorted({r["source"] for r in rows}, key=ORDER.get)
    phone, phone_source = first_value(rows, "phone", ("download", "sample"))
    website, _ = first_value(rows, "website", ("download", "sample"))
    otp = "yes" if any(r["otp"] == "yes" for r in rows) else ""
    description = [base["name2"]] if base["name2"] else []
    otp_names = [r["name1"] for r in rows if r["source"] == "otp" and name_key(r["name1"]) not in
                 (base["k_name1"], base["k_name2"])]  # fmt: skip
    if otp:
        description.append(OTP_DESCRIPTION + (f", listed as {otp_names[0]}" if otp_names else ""))
    return {
        "name": base["name1"],
        "kind": "treatment",
        "description": ". ".join(description),
        "services": joined(rows, "services"),
        "address": ", ".join(v for v in (base["street1"], base["street2"]) if v),
        "city": base["city"],
        "region": base["state"],
        "postcode": base["zip"],
        "country": "US",
        "latitude": f"{base['latitude']:.6f}",
        "longitude": f"{base['longitude']:.6f}",
        "phone": phone,
        "website": website,
        "payment": joined(rows, "payment"),
        "languages": joined(rows, "languages"),
        "last_verified": max(BY_KEY[s].date for s in sources),
        "source": "; ".join(BY_KEY[s].label for s in sources),
        "source_url": SOURCE_URL,
        "intake_phone": first_value(rows, "intake", ("download", "sample"))[0],
        "county": first_value(rows, "county", ("download", "oeps"))[0],
        "phone_source": BY_KEY[phone_source].label if phone_source else "",
        "opioid_treatment_programme": otp,
        "opioid_medication": joined(rows, "medication"),
        "service_codes": joined(rows, "service_codes"),
        "_key": base["k_full"],
    }


def stable_ids(frame: pd.DataFrame) -> pd.Series:
    """'us-samhsa-' + 12 hex digits of the facility's key; a second place with that key gets -2."""
    base = frame["_key"].map(lambda k: "us-samhsa-" + hashlib.sha1(k.encode("utf-8")).hexdigest()[:12])
    repeat = base.groupby(base).cumcount()
    return base.where(repeat == 0, base + "-" + (repeat + 1).astype(str))


# --- the whole build ----------------------------------------------------------------------------


def build(shared: Path) -> tuple[pd.DataFrame, list[str]]:
    """The directory and the report lines. Deterministic: same files in, same rows out."""
    lines: list[str] = []
    say = lines.append
    download, download_kinds = read_download(shared / BY_KEY["download"].path)
    sample, sample_kinds = read_sample(shared / BY_KEY["sample"].path)
    read = {
        "oeps": read_oeps(shared / BY_KEY["oeps"].path),
        "download": download,
        "otp": read_otp(shared / BY_KEY["otp"].path),
        "sample": sample,
    }
    totals = {"oeps": len(read["oeps"]), "otp": len(read["otp"]), "download": sum(download_kinds.values()),
              "sample": sum(sample_kinds.values())}  # fmt: skip
    say("## Rows per source")
    say("")
    say("| source | date | rows in file | substance use | duplicates removed | matched | new facilities | match rate |")
    say("|---|---|---:|---:|---:|---:|---:|---:|")
    facilities = Facilities()
    tiers: Counter = Counter()
    far_total = 0
    left_out = 0
    for source in SOURCES:
        frame, removed = drop_duplicates(add_keys(read[source.key]))
        matched = new = 0
        for _, row in frame.iterrows():
            number, tier, far = facilities.find(row, otp=source.key == "otp")
            far_total += far
            if number is not None:
                facilities.join(number, row)
                matched += 1
                tiers[(source.key, tier)] += 1
            elif source.key == "sample":
                left_out += 1
            else:
                facilities.add(row)
                new += 1
        rate = f"{matched / len(frame):.1%}" if source.key != "oeps" and len(frame) else "(base)"
        say(f"| {source.label} | {source.date} | {totals[source.key]:,} | {len(read[source.key]):,} | {removed:,} "
            f"| {matched:,} | {new:,} | {rate} |")  # fmt: skip
    say("")
    say("Substance use: the locator download and the JSON sample also list mental-health facilities "
        f"(download: {download_kinds.get('MH', 0):,} MH rows; sample: {sample_kinds.get('MH', 0):,}), which are left out.")
    say("")
    say("## How rows matched")
    say("")
    for (source, tier), count in sorted(tiers.items(), key=lambda kv: (ORDER[kv[0][0]], -kv[1])):
        say(f"- {BY_KEY[source].label}: {count:,} by {tier}")
    say(f"- Key matches more than {MAX_MATCH_KM:g} km apart (another place, not matched): {far_total:,}")
    say(f"- JSON-sample (2019) rows that match no 2021 facility, left out: {left_out:,}")
    not_websites = sum(frame.attrs.get("not_websites", 0) for frame in read.values())
    say(f"- Website values that are not web addresses (e-mail addresses, \"no website\", typos), left out: {not_websites:,}")

    out = pd.DataFrame([facility_row(rows) for rows in facilities.members])
    out["id"] = stable_ids(out)
    for column in COLUMNS:
        if column not in out:
            out[column] = ""
    out = out.sort_values(["region", "city", "name", "id"], kind="stable").reset_index(drop=True)
    out = out[[*COLUMNS, *EXTRA_COLUMNS]]

    has = lambda column: int((out[column] != "").sum())  # noqa: E731
    in_download_states = out["region"].isin(set(read["download"]["state"]))
    say("")
    say("## The directory")
    say("")
    say("| measure | rows |")
    say("|---|---:|")
    say(f"| facilities (one row each) | {len(out):,} |")
    say(f"| with a phone number | {has('phone'):,} ({has('phone') / len(out):.1%}) |")
    say(f"| with a phone, in the {in_download_states.sum():,} facilities of states the locator download covers "
        f"| {int((in_download_states & (out['phone'] != '')).sum()):,} |")
    say(f"| with an intake line | {has('intake_phone'):,} |")
    say(f"| with a website | {has('website'):,} |")
    say(f"| opioid treatment programmes (methadone clinics) | {has('opioid_treatment_programme'):,} |")
    say(f"| methadone or buprenorphine named by a source | {int(out['opioid_medication'].str.contains('methadone|buprenorphine').sum()):,} |")
    say(f"| with services from the locator's codes | {has('service_codes'):,} |")
    say(f"| states and territories | {out['region'].nunique()} |")
    for date, count in out["last_verified"].value_counts().sort_index().items():
        say(f"| last_verified {date} | {count:,} |")
    return out, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the folder with the SAMHSA files")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    out, lines = build(args.shared)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.output, index=False, lineterminator="\n")
    print("\n".join(lines))
    print(f"\nWrote {len(out):,} rows to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
