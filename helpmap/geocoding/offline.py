"""The offline geocoder: coordinates, US ZIP codes, Canadian FSAs, UK postcode areas and
GeoNames town names, all from data shipped in installed packages. No network, ever.

Order: US ZIP -> Canadian postal code -> UK postcode -> literal coordinates -> town name.
A five-digit number is read as a US ZIP code; a bare three-character code that is both a
Canadian FSA and a London postcode district ("N1C") is read as Canadian, because Canada is
the one of the two we can place precisely.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from .coordinates import check_coordinates, parse_coordinates
from .gazetteer import CityIndex
from .model import Candidate, InvalidCoordinates, Place, PlaceNotFound
from .postcodes import ZIP_COUNTRIES, PostalArea, find_fsa, find_zip, forward_sortation_area, zip_code
from .regions import Area, Regions, get_regions
from .text import normalize_name
from .uk_postcodes import POSTCODE_AREA_TOWNS, UKPostcode, parse_uk_postcode

MAX_CANDIDATES = 5
MAX_QUERY_LENGTH = 200
BIG_TOWN = 100_000
TOWN_FOR_POSTCODE_KM = 10.0  # the largest town this close names a postcode ("M5V" -> Toronto)
COUNTRY_FROM_TOWN_KM = 300.0  # farther than this from any town (at sea), the country is unknown

NOT_FOUND = "We could not find that place. Check the spelling, or try a postcode or a nearby larger town."
PARTIAL_NOTICE = "We could not find all of what you typed, so this is the town we recognised in it."
UK_POSTCODE_NOTICE = (
    "Offline, HelpMap can place a UK postcode only by its postcode area, so this is the area's main "
    "town. A precise UK postcode needs an online geocoder."
)
UK_POSTCODE_NOT_FOUND = (
    "HelpMap can place UK postcodes offline only by their area, and could not place this one. "
    "Full UK postcodes need an online geocoder; meanwhile, try the name of your town."
)
FSA_NOTICE = "Canadian postal codes are placed by their first three characters, which cover a neighbourhood or a small town."


@dataclass(frozen=True)
class _Match:
    towns: list[int]  # best first
    key: str  # the normalised town name that matched


@dataclass(frozen=True)
class _Reading:
    """One way to read a name query: a town name and the qualifiers that must contain it."""

    town: str
    qualifiers: tuple[frozenset[Area], ...]


class OfflineGeocoder:
    def __init__(self, min_population: int = 5000) -> None:
        self.min_population = min_population
        self._index: CityIndex | None = None
        self._lock = threading.Lock()

    @property
    def regions(self) -> Regions:
        return get_regions()

    @property
    def index(self) -> CityIndex:
        """The town index, built on first use (about a second), once, even across threads."""
        with self._lock:
            if self._index is None:
                self._index = CityIndex(self.regions, self.min_population)
            return self._index

    def geocode(self, query: str, *, allow_partial: bool = True) -> Place:
        """The place a searcher typed. With allow_partial, a query whose whole text is not known
        may still be answered by a town found in part of it ("12 High St, Leeds" -> Leeds), with a
        notice saying so. Raises PlaceNotFound or InvalidCoordinates."""
        text = " ".join(query.split())
        if not text:
            raise PlaceNotFound("Type a town, a postcode or coordinates to search near.")
        if len(text) > MAX_QUERY_LENGTH:
            raise PlaceNotFound("That is too long for a place: type a town, a postcode or coordinates.")
        place = self._postcode_place(text)  # first: "10001 1234" is a ZIP+4, not coordinates
        if place is not None:
            return place
        coordinates = parse_coordinates(text)
        if coordinates is not None:
            return self._coordinates_place(*coordinates)
        return self._name_place(text, allow_partial)

    def browser_place(self, lat: float, lon: float) -> Place:
        """A point the browser reported for "use my location"."""
        try:
            lat, lon = check_coordinates(float(lat), float(lon))
        except (TypeError, ValueError) as error:
            raise InvalidCoordinates("Your browser did not give a usable location.") from error
        return Place(lat, lon, "Your location", "browser", self.country_at(lat, lon), "exact")

    def locate_address(self, city: str, region: str, postcode: str, country: str) -> Place | None:
        """A directory row's address placed at postcode or town level; None when not known.

        Known region and country names must hold (a town in the wrong country is worse than
        none); names that are not known are ignored."""
        city, region, postcode, country = (_as_text(value) for value in (city, region, postcode, country))
        countries = (
            {area.country for area in self.regions.areas(normalize_name(country))} if country else set()
        )
        place = self._address_postcode_place(postcode, countries)
        if place is not None or not city:
            return place
        qualifiers = [
            key
            for key in (normalize_name(region), normalize_name(country))
            if key and self.regions.areas(key)
        ]
        match = self._match([normalize_name(city), *qualifiers])
        return self._town_place(match) if match else None

    def country_at(self, lat: float, lon: float) -> str | None:
        """The country of the nearest town, when one is reasonably near."""
        town, distance_km = self.index.nearest(lat, lon)
        return self.index.countries[town] if distance_km <= COUNTRY_FROM_TOWN_KM else None

    # --- coordinates and postcodes ----------------------------------------------------------

    def _coordinates_place(self, lat: float, lon: float) -> Place:
        return Place(lat, lon, f"{lat:.5f}, {lon:.5f}", "coordinates", self.country_at(lat, lon), "exact")

    def _postcode_place(self, text: str) -> Place | None:
        zip5 = zip_code(text)
        if zip5 is not None:
            area = find_zip(zip5)
            if area is None:
                raise PlaceNotFound(
                    "That is not a US ZIP code we know. Check the digits, or type the town instead."
                )
            return self._zip_place(area)
        fsa = forward_sortation_area(text)
        if fsa is not None:
            area = find_fsa(fsa)
            if area is not None:
                return self._fsa_place(area, full_code=len(text.replace(" ", "")) > 3)
            if parse_uk_postcode(text) is None:
                raise PlaceNotFound(
                    "That is not a Canadian postal code we know. Check it, or type the town instead."
                )
        uk_postcode = parse_uk_postcode(text)
        return self._uk_postcode_place(uk_postcode) if uk_postcode else None

    def _address_postcode_place(self, postcode: str, countries: set[str]) -> Place | None:
        zip5 = zip_code(postcode) if postcode else None
        if zip5 and (not countries or countries & ZIP_COUNTRIES):
            area = find_zip(zip5)
            return self._zip_place(area) if area else None
        fsa = forward_sortation_area(postcode) if postcode else None
        if fsa and (not countries or "CA" in countries):
            area = find_fsa(fsa)
            return self._fsa_place(area, full_code=False) if area else None
        return None

    def _zip_place(self, area: PostalArea) -> Place:
        state = self.regions.region_name("US", area.region) or area.region
        label = f"{area.code} ({area.town}, {state}), {area.country_code}"
        return Place(area.lat, area.lon, label, "us-zip", area.country_code, "postcode")

    def _fsa_place(self, area: PostalArea, full_code: bool) -> Place:
        town = self.index.names[self.index.main_town_near(area.lat, area.lon, TOWN_FOR_POSTCODE_KM, "CA")]
        label = f"{area.code} ({town}, {area.region}), CA"
        return Place(
            area.lat, area.lon, label, "ca-fsa", "CA", "postcode", notice=FSA_NOTICE if full_code else None
        )

    def _uk_postcode_place(self, postcode: UKPostcode) -> Place:
        town_name, country = POSTCODE_AREA_TOWNS[postcode.area]
        towns = [t for t in self.index.find(normalize_name(town_name)) if self.index.countries[t] == country]
        if not towns:
            raise PlaceNotFound(UK_POSTCODE_NOT_FOUND)
        town = towns[0]
        label = f"{self.index.label(town)} (postcode area {postcode.area})"
        lat, lon = float(self.index.lat[town]), float(self.index.lon[town])
        return Place(lat, lon, label, "uk-postcode-area", country, "region", notice=UK_POSTCODE_NOTICE)

    # --- town names ---------------------------------------------------------------------------

    def _name_place(self, text: str, allow_partial: bool) -> Place:
        parts = [key for key in (normalize_name(part) for part in text.split(",")) if key]
        if not parts:
            raise PlaceNotFound(NOT_FOUND)
        match = self._match(parts)
        if match:
            return self._town_place(match)
        if allow_partial and not self._known_town_elsewhere(parts):
            match = next(filter(None, map(self._match, _partial_readings(parts))), None)
            if match:
                return self._town_place(match, notice=PARTIAL_NOTICE)
        raise self._not_found(parts)

    def _known_town_elsewhere(self, parts: list[str]) -> bool:
        """A known town with known areas that do not contain it ("Leeds, Wales"): a mistake to
        point out, not a query to shorten (to "Wales", a village near Sheffield)."""
        qualifiers = parts[1:]
        return (
            bool(qualifiers) and all(map(self.regions.areas, qualifiers)) and bool(self.index.find(parts[0]))
        )

    def _match(self, parts: list[str]) -> _Match | None:
        """Towns for the first reading of the parts that names a known town in known areas."""
        for reading in self._readings(parts):
            towns = [t for t in self.index.find(reading.town) if self._inside(t, reading.qualifiers)]
            if towns:
                return _Match(towns, reading.town)
        return None

    def _readings(self, parts: list[str]) -> Iterator[_Reading]:
        """The ways to read a name query, in order: all of it as one name ("Washington DC"); the
        first part in the areas the other parts name ("Paris, TX"); the last words of the first
        part as an area ("Springfield IL"). Readings whose areas are not known places are skipped."""
        words = parts[0].split()
        splits = [(" ".join(parts), [])]
        if len(parts) > 1:
            splits.append((parts[0], parts[1:]))
        splits += [
            (" ".join(words[:-n]), [" ".join(words[-n:]), *parts[1:]]) for n in (1, 2, 3) if len(words) > n
        ]
        for town, qualifiers in splits:
            areas = tuple(self.regions.areas(q) for q in qualifiers)
            if all(areas):
                yield _Reading(town, areas)

    def _inside(self, town: int, qualifiers: tuple[frozenset[Area], ...]) -> bool:
        return all(self.index.in_areas(town, areas) for areas in qualifiers)

    def _town_place(self, match: _Match, notice: str | None = None) -> Place:
        best = self.index.candidate(match.towns[0])
        alternatives = (
            self.index.candidate(t) for t in match.towns[1:] if self._worth_offering(t, match.key)
        )
        others = _distinct_candidates(alternatives, exclude=best.label)
        return Place(
            best.lat, best.lon, best.label, "geonames", best.country_code, "city", others, notice=notice
        )

    def _worth_offering(self, town: int, key: str) -> bool:
        """A "did you mean" town is one called by that name, or a big one that is also known by it;
        not a village that lists the name among its foreign spellings."""
        return self.index.population[town] >= BIG_TOWN or normalize_name(self.index.names[town]) == key

    def _not_found(self, parts: list[str]) -> PlaceNotFound:
        region = self._whole_region(parts)
        if region:
            towns = self.index.largest_in(region, MAX_CANDIDATES)
            return PlaceNotFound(
                "That is a whole region or country. Add a town or postcode to search near, for example one of these.",
                tuple(self.index.label(t) for t in towns),
            )
        same_name = self.index.find(parts[0])
        if same_name and len(parts) > 1:
            return PlaceNotFound(
                "We know that town name, but not in the region or country you gave. Did you mean one of these?",
                _distinct_labels(self.index.label(t) for t in same_name),
            )
        return PlaceNotFound(NOT_FOUND, _distinct_labels(self._spelt_alike(parts)))

    def _spelt_alike(self, parts: list[str]) -> Iterator[str]:
        """Labels of towns whose names are spelt like the query's, within its qualifiers."""
        for reading in self._readings(parts):
            for key in self.index.close_names(reading.town, MAX_CANDIDATES):
                towns = [t for t in self.index.find(key) if self._inside(t, reading.qualifiers)]
                if towns:
                    yield self.index.label(towns[0])

    def _whole_region(self, parts: list[str]) -> frozenset[Area] | None:
        """The areas a query names when every part of it is a region or country ("Texas, USA")."""
        areas = [self.regions.areas(part) for part in parts]
        if not all(areas):
            return None
        everywhere = set.intersection(*({area.country for area in group} for group in areas))
        return frozenset(area for area in areas[0] if area.country in everywhere) or areas[0]


def _partial_readings(parts: list[str]) -> Iterator[list[str]]:
    """Shorter versions of a query, most complete first: without house numbers and postcodes,
    without leading parts (a street), and the first part alone (a region we do not know)."""
    without_numbers = [kept for kept in map(_without_numbers, parts) if kept]
    seen: set[tuple[str, ...]] = {tuple(parts)}
    for shorter in [
        without_numbers,
        *(without_numbers[i:] for i in range(1, len(without_numbers))),
        parts[:1],
    ]:
        if shorter and tuple(shorter) not in seen:
            seen.add(tuple(shorter))
            yield shorter


def _without_numbers(part: str) -> str:
    return " ".join(word for word in part.split() if not any(char.isdigit() for char in word))


def _distinct_candidates(candidates: Iterator[Candidate], exclude: str) -> tuple[Candidate, ...]:
    chosen: dict[str, Candidate] = {}
    for candidate in candidates:
        if candidate.label != exclude:
            chosen.setdefault(candidate.label, candidate)
        if len(chosen) == MAX_CANDIDATES:
            break
    return tuple(chosen.values())


def _distinct_labels(labels: Iterator[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(labels))[:MAX_CANDIDATES]


def _as_text(value: object) -> str:
    """Directory cells may be None or NaN as well as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


_default: OfflineGeocoder | None = None
_default_lock = threading.Lock()


def get_offline_geocoder() -> OfflineGeocoder:
    """The process-wide offline geocoder; its index is built once, on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = OfflineGeocoder()
        return _default
