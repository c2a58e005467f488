"""Postal codes shipped offline: US ZIP codes (`zipcodes`) and Canadian FSAs (`pypostalcode`).

Both packages carry their data inside the wheel and never touch the network. Canada is located
by the forward sortation area (the first three characters): pypostalcode ships FSAs only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

ZIP_PATTERN = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
# Canadian postal codes never use D, F, I, O, Q or U, and never start with W or Z.
FSA_PATTERN = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(?:\s*\d[ABCEGHJ-NPRSTV-Z]\d)?$")

# US territories and freely associated states that have ZIP codes but their own ISO 3166-1 code
# (zipcodes gives it as their "state").
_TERRITORIES = {"PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW"}
ZIP_COUNTRIES = {"US", *_TERRITORIES}


@dataclass(frozen=True)
class PostalArea:
    code: str  # the ZIP or FSA that was located
    lat: float
    lon: float
    town: str  # the postal service's town, for US ZIPs; "" for Canadian FSAs
    region: str  # state code (US) or province name (CA)
    country_code: str


def zip_code(text: str) -> str | None:
    """The five-digit ZIP when the text is a US ZIP or ZIP+4, else None."""
    match = ZIP_PATTERN.match(text.strip())
    return match.group(1) if match else None


def forward_sortation_area(text: str) -> str | None:
    """The three-character FSA when the text is a Canadian postal code or FSA, else None."""
    match = FSA_PATTERN.match(" ".join(text.upper().split()))
    return match.group(1) if match else None


@lru_cache(maxsize=4096)  # directories repeat ZIP codes; each lookup costs about 0.35 ms
def find_zip(zip5: str) -> PostalArea | None:
    import zipcodes  # it reads its data on first use (about 0.3 s)

    rows = zipcodes.matching(zip5)
    return _zip_area(rows[0]) if rows else None


def find_fsa(fsa: str) -> PostalArea | None:
    rows = _fsa_database().get(fsa)
    if not rows:
        return None
    row = rows[0]
    return PostalArea(fsa, float(row.latitude), float(row.longitude), "", _province(row.province), "CA")


@lru_cache(maxsize=1)
def _fsa_database():
    from pypostalcode import PostalCodeDatabase  # a bundled SQLite file, opened per query

    return PostalCodeDatabase()


def _zip_area(row: dict) -> PostalArea:
    country = row["state"] if row["state"] in _TERRITORIES else "US"
    return PostalArea(
        row["zip_code"], float(row["lat"]), float(row["long"]), row["city"], row["state"], country
    )


def _province(name: str) -> str:
    # pypostalcode spells two territories its own way.
    return {"Northwest Territory": "Northwest Territories", "Nunavut Territory": "Nunavut"}.get(name, name)


# --- postal districts from the GeoNames postal code dump (see tables.py) ---------------------

# Irish Eircode routing keys: a letter and two digits, or D6W; the unique identifier after it
# has four letters or digits. Letters B, G, I, J, L, M, O, Q, S, U, Z never start one.
EIRCODE_PATTERN = re.compile(r"^(?P<key>[AC-FHKNPRTV-Y]\d{2}|D6W)(?:\s*(?P<unique>[AC-FHKNPRTV-Y\d]{4}))?$")
AU_STATES = {"ACT": "Australian Capital Territory", "NSW": "New South Wales", "NT": "Northern Territory",
             "QLD": "Queensland", "SA": "South Australia", "TAS": "Tasmania", "VIC": "Victoria",
             "WA": "Western Australia"}  # fmt: skip


@dataclass(frozen=True)
class District:
    """A postal district: a UK outward code, an Eircode routing key, an Australian or New
    Zealand postcode. Its point is the mean of the GeoNames places that carry the code."""

    country_code: str
    code: str
    lat: float
    lon: float
    town: str  # its best-known place, to name it by
    region: str  # as GeoNames names it: "England", "Leinster", "New South Wales"
    places: int  # how many GeoNames places carry it (1 for a city district)


def find_district(country: str, code: str) -> District | None:
    return _districts().get((country, code.upper().replace(" ", "")))


def eircode_routing_key(text: str) -> tuple[str, bool] | None:
    """(routing key, whether the full Eircode was typed) when the text is shaped like one."""
    match = EIRCODE_PATTERN.match(" ".join(text.upper().split()))
    return (match["key"], bool(match["unique"])) if match else None


@lru_cache(maxsize=1)
def _districts() -> dict[tuple[str, str], District]:
    from .tables import postcode_rows

    return {
        (row["country"], row["code"]): District(
            row["country"], row["code"], float(row["lat"]), float(row["lon"]), row["town"], row["region"],
            int(row["places"]),
        )
        for row in postcode_rows()
    }
