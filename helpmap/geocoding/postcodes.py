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
