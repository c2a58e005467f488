"""Any spreadsheet of services with a name and a place (an NGO's own list, a pharmacy list)
-> our schema, for one kind of service given by the person importing it (`--kind`).

Columns are recognised by their usual names (Name, Address, City, Province, Postal code,
Latitude, Longitude, Phone, Website ...); every other column is counted in the report as not
carried. A "City" written with its region ("Vancouver BC") is split. A file that already has
`name` and `kind` is in our own format: check it with `python -m helpmap validate`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import schema
from ..report import LoadReport
from . import UnusableInput, clean_coordinates, guarded, read_csv_text, read_text, reject, stable_ids, web_address
from .detect import refuse, refuse_folder, sniff_text, wrong_format
from .mapping import Column, FieldLedger, non_empty_counts

SYNONYMS = {
    "name": ("name", "facility", "facility name", "site", "site name", "service", "service name", "pharmacy"),
    "organization": ("organization", "organisation", "provider", "operator"),
    "address": ("address", "street", "street address", "address 1", "address1", "address_1"),
    "city": ("city", "town", "municipality", "locality"),
    "region": ("region", "state", "province", "county/state", "state_province"),
    "postcode": ("postcode", "postal code", "postal_code", "postal", "zip", "zip code", "zipcode"),
    "country": ("country",),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
    "phone": ("phone", "telephone", "tel", "phone number"),
    "website": ("website", "web", "url", "web site"),
    "email": ("email", "e-mail"),
    "hours": ("hours", "opening hours", "opening_hours"),
    "description": ("description", "notes", "details"),
}
CITY_WITH_REGION = re.compile(r"^(.*\S)\s+([A-Z]{2})$")  # "Vancouver BC"


@guarded
def import_csv(src: str | Path, report: LoadReport, *, kind: str = "") -> pd.DataFrame:
    refuse(refuse_folder(src, "csv"))
    text = read_text(src, report)
    refuse(wrong_format(sniff_text(text), "csv"))
    if kind not in schema.KINDS:
        raise UnusableInput(
            f"Say what kind of service every row is, with --kind (one of {', '.join(schema.KINDS)}): a plain "
            "spreadsheet does not say."
        )
    table = read_csv_text(text, report)
    columns = {c: target for target, names in SYNONYMS.items() for c in table.columns if c.strip() in names}
    fields = {c: Column(target) for c, target in columns.items()}
    ledger = FieldLedger(fields)
    ledger.see_table([c for c in table.columns if c != "_line"], non_empty_counts(table))
    ledger.report_to(report)
    if "name" not in columns.values():
        raise UnusableInput("The file has no column for the service's name (Name, Facility, Site ...).")
    out = pd.DataFrame({target: table[c] for c, target in columns.items()}, index=table.index)
    for column in ("city", "region"):
        out[column] = out[column] if column in out else ""
    split = out["city"].str.extract(CITY_WITH_REGION)
    has_region = split[0].notna() & (out["region"] == "")
    out.loc[has_region, "city"], out.loc[has_region, "region"] = split.loc[has_region, 0], split.loc[has_region, 1]
    out["kind"] = kind
    if "website" in out:
        out["website"] = out["website"].map(web_address)
    for column in ("latitude", "longitude"):
        out[column] = out[column] if column in out else ""
    nameless = out["name"].str.strip() == ""
    for line in table.loc[nameless, "_line"]:
        reject(report, int(line), "has no name", "no name")
    out = out[~nameless]
    clean_coordinates(out, report, "line " + table.loc[out.index, "_line"].astype(str))
    key = out["name"] + "|" + out.get("address", "") + "|" + out["city"]
    out["id"] = stable_ids(key, "csv-")
    out["source"] = Path(str(src)).name
    return out
