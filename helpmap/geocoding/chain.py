"""Offline first, online when it helps: the geocoder the pages and the command line use.

Policy:
- Coordinates, and US ZIP codes and Canadian postal codes that the offline data knows, are
  answered offline: that answer is as good as an online one, and the text never leaves the
  server. So is a town the offline gazetteer knows (with "did you mean" candidates).
- The online geocoder, when the site configured one, is asked only when offline found nothing,
  found only part of the text (a street address: "12 High St, Leeds"), or placed a full UK
  postcode only by its district or area (online knows each postcode, a few houses).
- home_country (the site's) breaks ties offline between towns of one name and between names
  spelt alike.
- When the online geocoder fails or finds nothing, the offline answer is used if there is one,
  with a notice saying so; otherwise the error says what to try instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ..i18n import N_, Text
from .model import GeocodeError, GeocoderUnavailable, Place, PlaceNotFound
from .offline import OfflineGeocoder, get_offline_geocoder

if TYPE_CHECKING:  # geopy takes 0.1 s to import: offline-only sites never load it
    from .online import OnlineGeocoder

ONLINE_UNAVAILABLE_NOTICE = N_("The online geocoder did not answer; this is the offline result.")
ONLINE_NOT_FOUND_NOTICE = N_("The online geocoder found nothing more precise; this is the offline result.")
PROVIDER_CHOICES = ("offline", "nominatim", "photon", "pelias")


class GeocoderChain:
    def __init__(
        self,
        offline: OfflineGeocoder | None = None,
        online: OnlineGeocoder | None = None,
        home_country: str | None = None,
    ) -> None:
        self.offline = offline or get_offline_geocoder()
        self.online = online
        self.home_country = home_country

    @property
    def online_provider_name(self) -> str | None:
        """Where typed text may be sent, e.g. "OpenStreetMap Nominatim"; None when offline only."""
        return self.online.name if self.online else None

    def geocode(self, query: str) -> Place:
        if self.online is None:
            return self.offline.geocode(query, home_country=self.home_country)
        try:
            offline_place: Place | None = self.offline.geocode(
                query, allow_partial=False, home_country=self.home_country
            )
        except PlaceNotFound:
            offline_place = None
        if offline_place is not None and not _online_knows_better(offline_place):
            return offline_place
        try:
            return self.online.geocode(query)
        except GeocoderUnavailable as error:
            return self._offline_instead(query, offline_place, ONLINE_UNAVAILABLE_NOTICE, error)
        except PlaceNotFound as error:
            return self._offline_instead(query, offline_place, ONLINE_NOT_FOUND_NOTICE, error)

    def _offline_instead(
        self, query: str, offline_place: Place | None, notice: str, error: GeocodeError
    ) -> Place:
        """The offline answer (complete or partial) with a notice, or the error when there is none."""
        if offline_place is None:
            try:
                offline_place = self.offline.geocode(query, allow_partial=True, home_country=self.home_country)
            except PlaceNotFound as offline_error:
                raise type(error)(_with_advice(error.message), offline_error.suggestions) from None
        return replace(offline_place, notice=Text.joined(Text(notice), offline_place.notice))


def _online_knows_better(place: Place) -> bool:
    """A UK postcode placed by its area, or a full one (its notice says so) by its district."""
    return place.source == "uk-postcode-area" or (place.source == "uk-postcode" and place.notice is not None)


def _with_advice(message: str) -> Text:
    advice = Text(N_("HelpMap could not find that place offline either: try a town name, a postcode, or your location."))
    return Text.joined(message, advice)


def build_geocoder(settings: Mapping | None = None, home_country: str | None = None) -> GeocoderChain:
    """The site's geocoder. settings keys: provider ("offline" | "nominatim" | "photon" |
    "pelias"), domain, scheme, user_agent, timeout, and optionally min_delay_seconds and
    cache_size. None, empty or provider "offline": offline only. home_country: the site's
    country (ISO alpha-2), preferred between places of one name. Raises ValueError for
    settings that cannot work."""
    home_country = home_country.upper() if home_country else None
    settings = dict(settings or {})
    provider = str(settings.get("provider") or "offline").strip().lower()
    if provider not in PROVIDER_CHOICES:
        raise ValueError(f"Unknown geocoder provider {provider!r}: use one of {', '.join(PROVIDER_CHOICES)}.")
    if provider == "offline":
        return GeocoderChain(get_offline_geocoder(), home_country=home_country)
    from .online import DEFAULT_USER_AGENT, OnlineGeocoder

    online = OnlineGeocoder(
        provider,
        domain=settings.get("domain") or None,
        scheme=settings.get("scheme") or "https",
        user_agent=settings.get("user_agent") or DEFAULT_USER_AGENT,
        timeout=_number(settings.get("timeout"), default=5.0),
        min_delay_seconds=_number(settings.get("min_delay_seconds"), default=None),
        cache_size=int(settings.get("cache_size", 256)),
    )
    return GeocoderChain(get_offline_geocoder(), online, home_country)


def settings_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Geocoder settings from HELPMAP_GEOCODER (offline | nominatim | photon | pelias),
    HELPMAP_GEOCODER_DOMAIN, HELPMAP_GEOCODER_SCHEME, HELPMAP_GEOCODER_USER_AGENT and
    HELPMAP_GEOCODER_TIMEOUT; unset ones are left out (so the defaults apply)."""
    environ = os.environ if environ is None else environ
    names = {"provider": "HELPMAP_GEOCODER", "domain": "HELPMAP_GEOCODER_DOMAIN", "scheme": "HELPMAP_GEOCODER_SCHEME",
             "user_agent": "HELPMAP_GEOCODER_USER_AGENT", "timeout": "HELPMAP_GEOCODER_TIMEOUT"}  # fmt: skip
    return {key: environ[name].strip() for key, name in names.items() if environ.get(name, "").strip()}


def _number(value: object, default: float | None) -> float | None:
    """A setting that may be missing or empty (then the default applies); 0 is a real value."""
    return default if value is None or value == "" else float(value)
