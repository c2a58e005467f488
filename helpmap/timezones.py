"""IANA time zones from coordinates, offline.

Uses tzfpy (maintained, PyPI wheels with its data inside, no download at run time), chosen
over timezonefinder, which is pure Python over larger boundary files and slower per point.
Measured here (bench/timezones.py, a busy 2-core machine): its index costs about 34 MiB and
65-160 ms to load on first use; tzfpy answers in about 0.3 microseconds, zone_at (with its
checks) in about 2. Points at sea get an "Etc/GMT±N" zone from tzfpy: those are not a place's local time,
so they count as unknown.
"""

from __future__ import annotations

import math
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_at(latitude: object, longitude: object) -> str:
    """The IANA zone at a point, or "" when the point is not a number or is at sea."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return ""
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return ""
    import tzfpy  # loaded on first use: importing helpmap stays cheap

    name = tzfpy.get_tz(lon, lat)
    return name if name and not name.startswith("Etc/") and is_zone(name) else ""


@lru_cache(maxsize=4096)
def is_zone(name: str) -> bool:
    """A name Python's zoneinfo knows (tzdata), like America/New_York. (Asking zoneinfo for the
    one name is far cheaper than listing every zone, which reads the whole database.)"""
    if not name or len(name) > 64 or not name[0].isalpha() or name == "localtime":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
