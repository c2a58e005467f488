"""Accuracy of the offline geocoder on real places whose true positions were written down from
general knowledge (tests/data/places.csv), not read from the gazetteer under test."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from geopy.distance import geodesic

from helpmap.geocode import GeocodeError, OfflineGeocoder, get_offline_geocoder

PLACES_CSV = Path(__file__).parent / "data" / "places.csv"
WITHIN_KM = 25.0
REQUIRED_SHARE = 0.95


@dataclass(frozen=True)
class TruePlace:
    query: str
    lat: float
    lon: float
    note: str


@dataclass(frozen=True)
class Miss:
    place: TruePlace
    answer: str  # the label answered, or the error
    km: float | None  # None when nothing was answered


@dataclass(frozen=True)
class AccuracyReport:
    total: int
    misses: list[Miss]

    @property
    def share_within(self) -> float:
        return (self.total - len(self.misses)) / self.total

    def describe_misses(self) -> str:
        return "\n".join(
            f"  {m.place.query!r} ({m.place.note}): {m.answer}"
            + (f", {m.km:.0f} km off" if m.km is not None else "")
            for m in self.misses
        )


def load_places(path: Path = PLACES_CSV) -> list[TruePlace]:
    with path.open(encoding="utf-8", newline="") as file:
        return [
            TruePlace(row["query"], float(row["lat"]), float(row["lon"]), row["note"])
            for row in csv.DictReader(file)
        ]


def score(geocoder: OfflineGeocoder, places: list[TruePlace], within_km: float = WITHIN_KM) -> AccuracyReport:
    misses = []
    for place in places:
        try:
            answer = geocoder.geocode(place.query)
        except GeocodeError as error:
            misses.append(Miss(place, f"{type(error).__name__}: {error.message}", None))
            continue
        km = geodesic((answer.lat, answer.lon), (place.lat, place.lon)).km
        if km > within_km:
            misses.append(Miss(place, answer.label, km))
    return AccuracyReport(len(places), misses)


def test_the_list_is_large_and_varied():
    places = load_places()
    assert len(places) >= 100
    assert len({p.query for p in places}) == len(places)
    assert all(-90 <= p.lat <= 90 and -180 <= p.lon <= 180 for p in places)


def test_at_least_95_percent_of_real_places_resolve_within_25_km():
    report = score(get_offline_geocoder(), load_places())
    print(f"\n{report.total - len(report.misses)}/{report.total} within {WITHIN_KM:g} km "
          f"({report.share_within:.1%}); misses:\n{report.describe_misses() or '  none'}")  # fmt: skip
    assert report.share_within >= REQUIRED_SHARE, report.describe_misses()
