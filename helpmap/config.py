"""Site settings: what an organisation running HelpMap can change without touching code.

Settings come from, in order of precedence: environment variables (HELPMAP_DATA and friends),
then the defaults below, which serve the shipped demonstration data with offline geocoding.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT / "data" / "demo-directory.csv"
DEFAULT_HELPLINES = REPO_ROOT / "data" / "helplines.csv"


@dataclass(frozen=True)
class GeocoderSettings:
    provider: str = "offline"  # offline | nominatim | photon | pelias
    domain: str = ""
    scheme: str = "https"
    user_agent: str = ""
    timeout: float = 5.0

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


@dataclass(frozen=True)
class TileSettings:
    url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    attribution: str = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


@dataclass(frozen=True)
class Settings:
    title: str = "HelpMap"
    tagline: str = "Find help with ketamine and other drug use near you"
    data_sources: tuple[str, ...] = (str(DEFAULT_DATA),)
    helplines: str = str(DEFAULT_HELPLINES)
    country: str = "US"  # help lines shown before the searcher's country is known
    units: str = "km"  # km | mi
    default_radius_km: float = 25.0
    default_place: str = ""
    geocoder: GeocoderSettings = field(default_factory=GeocoderSettings)
    tiles: TileSettings = field(default_factory=TileSettings)
    report_problem_url: str = ""  # mailto: or https: address for "report a problem with this listing"
    quick_exit_url: str = "https://www.bbc.com/weather"
    directions_url: str = "https://www.openstreetmap.org/directions?to={lat}%2C{lon}"
    stale_after_days: int = 365


def from_environment(base: Settings | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Apply HELPMAP_* environment variables on top of `base`."""
    env = os.environ if environ is None else environ
    settings = base or Settings()
    if env.get("HELPMAP_DATA"):
        settings = replace(settings, data_sources=(env["HELPMAP_DATA"],))
    if env.get("HELPMAP_COUNTRY"):
        settings = replace(settings, country=env["HELPMAP_COUNTRY"].upper())
    if env.get("HELPMAP_UNITS") in ("km", "mi"):
        settings = replace(settings, units=env["HELPMAP_UNITS"])
    if env.get("HELPMAP_GEOCODER"):
        settings = replace(
            settings,
            geocoder=GeocoderSettings(
                provider=env["HELPMAP_GEOCODER"],
                domain=env.get("HELPMAP_GEOCODER_DOMAIN", ""),
                scheme=env.get("HELPMAP_GEOCODER_SCHEME", "https"),
                user_agent=env.get("HELPMAP_GEOCODER_USER_AGENT", ""),
            ),
        )
    if env.get("HELPMAP_TILES_URL"):
        settings = replace(
            settings,
            tiles=TileSettings(env["HELPMAP_TILES_URL"], env.get("HELPMAP_TILES_ATTRIBUTION", "Map tiles")),
        )
    return settings


def load_settings() -> Settings:
    return from_environment()
