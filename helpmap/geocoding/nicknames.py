"""Nicknames and abbreviations people type for big cities, and what they stand for.

GeoNames already lists many as alternate names ("NYC", "Philly"); this small table adds the
common ones it lacks or ranks elsewhere ("LA" is also a state code, "SF" a Finnish town's
alternate name). Each entry is in English Wikipedia's lists of city nicknames
(https://en.wikipedia.org/wiki/List_of_city_nicknames_in_the_United_States, ...in_the_United_Kingdom,
...in_Canada, ...in_Australia) and is written as the searchable name it stands for.
"""

from __future__ import annotations

from .text import normalize_name

NICKNAMES = {
    # United States
    "nyc": "New York City, NY", "big apple": "New York City, NY", "philly": "Philadelphia, PA",
    "dc": "Washington, DC", "washington dc": "Washington, DC", "la": "Los Angeles, CA",
    "sf": "San Francisco, CA", "san fran": "San Francisco, CA", "nola": "New Orleans, LA",
    "vegas": "Las Vegas, NV", "chi town": "Chicago, IL", "chitown": "Chicago, IL", "atl": "Atlanta, GA",
    "kc": "Kansas City, MO", "motor city": "Detroit, MI", "the twin cities": "Minneapolis, MN",
    "twin cities": "Minneapolis, MN", "slc": "Salt Lake City, UT", "okc": "Oklahoma City, OK",
    "abq": "Albuquerque, NM", "indy": "Indianapolis, IN",
    # United Kingdom
    "brum": "Birmingham, England", "the big smoke": "London, England", "auld reekie": "Edinburgh, Scotland",
    # Canada and Australia
    "the 6ix": "Toronto, Ontario", "the six": "Toronto, Ontario", "brisvegas": "Brisbane, QLD",
}  # fmt: skip
_BY_KEY = {normalize_name(nickname): normalize_name(name) for nickname, name in NICKNAMES.items()}


def expand_nickname(part: str) -> str:
    """The normalised name a normalised nickname stands for, or the part itself."""
    return _BY_KEY.get(part, part)
