"""What a geocoder answers (Place, Candidate) and how it fails (GeocodeError and subclasses)."""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = ("coordinates", "us-zip", "ca-fsa", "uk-postcode", "uk-postcode-area", "ie-eircode",
           "au-postcode", "nz-postcode", "geonames", "nominatim", "photon", "pelias", "browser")  # fmt: skip
PRECISIONS = ("exact", "postcode", "city", "region")


@dataclass(frozen=True)
class Candidate:
    """An alternative answer, offered as "Did you mean ...". Its label can be searched as typed."""

    label: str
    lat: float
    lon: float
    country_code: str | None


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    label: str  # human label, e.g. "Springfield, Illinois, US"
    source: str  # one of SOURCES: which gazetteer or service answered
    country_code: str | None  # ISO 3166-1 alpha-2, used to pick the help lines for the country
    precision: str  # one of PRECISIONS
    candidates: tuple[Candidate, ...] = ()
    attribution: str | None = None  # to show when an online geocoder answered
    notice: str | None = None  # a sentence for the searcher about how good this answer is (an i18n.Text)


class GeocodeError(Exception):
    """A place could not be turned into coordinates. `message` is written for a non-programmer
    and never repeats the query (so it is safe to show, and harmless if something logs it).

    Words: `message`, a Place's `notice` and the label "Your location" are helpmap.i18n.Text: the
    English as before (a str), carrying their msgids and parameters; a page shows them with
    `i18n.localize(error.message, lang)`. (A geocoder's answers are cached for every visitor,
    so they cannot be made in one reader's language.)"""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.suggestions = tuple(suggestions)


class PlaceNotFound(GeocodeError):
    """Nothing matched; `suggestions` holds labels of close names that can be searched instead."""


class InvalidCoordinates(GeocodeError):
    """The text looks like coordinates but they cannot be a point on Earth."""


class GeocoderUnavailable(GeocodeError):
    """The online geocoder timed out, refused, was busy (HTTP 429), failed (5xx), could not be
    reached, or sent a reply that could not be read."""
