"""Literal coordinates typed as text: decimal degrees, hemispheres, or degrees-minutes-seconds.

Accepted, among others: "40.7128, -74.0060", "40.7128 -74.0060", "40.7128N 74.0060W",
"N 40.7128 W 74.0060", "40°42'46\"N 74°0'21\"W", "40.7128° N, 74.0060° W". Without hemisphere
letters the order is latitude then longitude; with them, either order works.
"""

from __future__ import annotations

import math
import re

from ..i18n import N_, Text
from .model import InvalidCoordinates

_NUMBER = r"\d+(?:\.\d+)?"
_MAGNITUDE = (
    rf"(?P<{{p}}sign>[-+−])?\s*(?P<{{p}}deg>{_NUMBER})\s*(?:°|º|˚|deg\b|d\b)?\s*"
    rf"(?:(?P<{{p}}min>{_NUMBER})\s*(?:'|′|’|m\b)\s*)?"
    rf"(?:(?P<{{p}}sec>{_NUMBER})\s*(?:\"|″|”|''|s\b)\s*)?"
)
_LETTER_AFTER = _MAGNITUDE + r"(?P<{p}hemi>[NSEW])?"  # "40.7N", or no letter at all
_LETTER_BEFORE = r"(?P<{p}hemi>[NSEW])\s*" + _MAGNITUDE  # "N 40.7"
_SEPARATOR = r"\s*[,;/\s]\s*"
_PAIRS = [
    re.compile(r"^\s*" + form.format(p="a") + _SEPARATOR + form.format(p="b") + r"\s*$", re.IGNORECASE)
    for form in (_LETTER_AFTER, _LETTER_BEFORE)
]
_AXIS = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) when the text is written as coordinates, else None.

    Raises InvalidCoordinates when it is written as coordinates but is not a point on Earth."""
    match = next((m for m in (pattern.match(text) for pattern in _PAIRS) if m), None)
    if match is None:
        return None
    (first, first_axis), (second, second_axis) = _angle(match, "a"), _angle(match, "b")
    if first_axis is not None and first_axis == second_axis:
        raise InvalidCoordinates(Text(
            N_("Both numbers are marked as the same direction: give one latitude (N or S) and one longitude (E or W).")
        ))
    if first_axis == "lon" or second_axis == "lat":  # longitude written first, with letters
        first, second = second, first
    return check_coordinates(first, second)


def check_coordinates(lat: float, lon: float) -> tuple[float, float]:
    """The same pair, or InvalidCoordinates with a sentence saying what is wrong."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidCoordinates(Text(N_("Coordinates must be numbers.")))
    swapped = (f"{lon:g}, {lat:g}",) if abs(lon) <= 90 and abs(lat) <= 180 else ()
    if not -90 <= lat <= 90:
        outside = Text(N_("Latitude {value} is outside -90 to 90."), value=f"{lat:g}")
        hint = Text(N_("Latitude comes first: were they swapped?")) if swapped else None
        raise InvalidCoordinates(Text.joined(outside, hint), swapped)
    if not -180 <= lon <= 180:
        raise InvalidCoordinates(Text(N_("Longitude {value} is outside -180 to 180."), value=f"{lon:g}"))
    return lat, lon


def _angle(match: re.Match, prefix: str) -> tuple[float, str | None]:
    """One angle in decimal degrees, and its axis ("lat", "lon" or None) from a hemisphere letter."""
    part = {key[len(prefix) :]: value for key, value in match.groupdict().items() if key.startswith(prefix)}
    minutes, seconds = float(part["min"] or 0), float(part["sec"] or 0)
    if minutes >= 60 or seconds >= 60:
        raise InvalidCoordinates(Text(N_("Minutes and seconds must be below 60.")))
    hemisphere = (part["hemi"] or "").upper()
    negative = part["sign"] in ("-", "−")
    if hemisphere and negative:
        raise InvalidCoordinates(Text(N_("Use either a minus sign or a direction letter (N, S, E or W), not both.")))
    value = float(part["deg"]) + minutes / 60 + seconds / 3600
    if negative or hemisphere in ("S", "W"):
        value = -value
    return value, _AXIS.get(hemisphere)
