"""Time zones for imported meetings: the source's own, else inferred offline from the row's
coordinates (or from its town or postcode, placed by the offline gazetteer), else the feed's
default from the site config. Meeting times mean nothing without one."""

from __future__ import annotations

import pandas as pd

from ..report import LoadReport
from ..timezones import is_zone, zone_at
from . import counted
from .mapping import ImportReport


def fill_time_zones(frame: pd.DataFrame, report: LoadReport, default_zone: str = "") -> None:
    """Fill the empty `timezone` cells of `frame` in place, and say how each was found."""
    if frame.empty:
        return
    if default_zone and not is_zone(default_zone):
        report.warn(f"The default time zone '{default_zone[:40]}' is not an IANA name; it was not used.")
        default_zone = ""
    zones = frame["timezone"].fillna("").astype(str)
    given = int((zones != "").sum())
    from_points = from_towns = from_default = 0
    town_zones: dict[tuple, str] = {}
    for row in frame.index[zones == ""]:
        zone = zone_at(frame.at[row, "latitude"], frame.at[row, "longitude"])
        if not zone and "_point_zone" in frame:  # found before the importer left the point out
            zone = str(frame.at[row, "_point_zone"] or "")
        if zone:
            from_points += 1
        else:
            place = tuple(str(frame.at[row, c]) for c in ("city", "region", "postcode", "country"))
            if any(place[:3]):
                if place not in town_zones:
                    town_zones[place] = _zone_of_town(*place)
                zone = town_zones[place]
                from_towns += bool(zone)
        if not zone and default_zone:
            zone, from_default = default_zone, from_default + 1
        zones[row] = zone
    frame["timezone"] = zones
    missing = int((zones == "").sum())
    if isinstance(report, ImportReport):
        report.notes.append(
            f"time zones: {given:,} from the source, {from_points:,} from coordinates, {from_towns:,} from the "
            f"town or postcode, {from_default:,} from the feed's default, {missing:,} unknown"
        )
    if missing:
        report.warn(
            f"{counted(missing, 'meeting')} with no time zone (no coordinates or known town, and no default zone in the "
            "site config): their times are shown as local time."
        )


def _zone_of_town(city: str, region: str, postcode: str, country: str) -> str:
    from ..directory import offline_address_geocoder  # the gazetteer is large: only when needed

    place = offline_address_geocoder(city, region, postcode, country)
    return zone_at(place[0], place[1]) if place else ""
