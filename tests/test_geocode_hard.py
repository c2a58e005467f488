"""Hard queries, as people really type them (tests/data/hard_places.csv): misspellings,
postcodes (UK, Irish, Australian, New Zealand, US with state), small towns, street addresses,
nicknames, coordinates starting with a minus sign, and queries whose region or country rules
out every answer. True positions were written down from general knowledge, not read from the
gazetteer under test.

A row passes when the answer is within its distance of the true place, or when the geocoder
asks "Did you mean ...?" with the true place first (one tap). A "never far" row passes when
nothing is answered outside its country. An answer in the wrong country always fails, and
there must be none.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from geopy.distance import geodesic

from helpmap.geocode import GeocodeError, OfflineGeocoder, get_offline_geocoder
from helpmap.geocoding.command import protect_dash_queries

HARD_CSV = Path(__file__).parent / "data" / "hard_places.csv"
REQUIRED_SHARE = 0.95
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class HardQuery:
    query: str
    point: tuple[float, float] | None  # None: a "never far" row, with no right answer
    country: str
    within_km: float | None
    kind: str
    note: str


@dataclass(frozen=True)
class Outcome:
    row: HardQuery
    passed: bool
    how: str  # "answered", "asked", "refused", "wrong country", "too far", "not found"
    detail: str


def load_hard_queries(path: Path = HARD_CSV) -> list[HardQuery]:
    with path.open(encoding="utf-8", newline="") as file:
        return [
            HardQuery(
                row["query"],
                (float(row["lat"]), float(row["lon"])) if row["lat"] else None,
                row["country"],
                float(row["km"]) if row["km"] else None,
                row["kind"],
                row["note"],
            )
            for row in csv.DictReader(file)
        ]


def judge(geocoder: OfflineGeocoder, row: HardQuery, home_country: str | None = None) -> Outcome:
    try:
        place = geocoder.geocode(row.query, home_country=home_country)
    except GeocodeError as error:
        if row.point is None:
            return Outcome(row, True, "refused", error.message)
        first = error.suggestions[0] if error.suggestions else ""
        asked_right = bool(first) and _suggestion_is(geocoder, first, row)
        return Outcome(row, asked_right, "asked" if asked_right else "not found", f"{error.message} {error.suggestions}")
    if place.country_code != row.country:
        return Outcome(row, False, "wrong country", place.label)
    if row.point is None:
        return Outcome(row, True, "answered", place.label)  # inside the country named
    km = geodesic((place.lat, place.lon), row.point).km
    return Outcome(row, km <= row.within_km, "answered" if km <= row.within_km else "too far", f"{place.label}, {km:.1f} km")


def _suggestion_is(geocoder: OfflineGeocoder, label: str, row: HardQuery) -> bool:
    """Whether a suggested label, searched as it is written, lands at the true place."""
    try:
        place = geocoder.geocode(label)
    except GeocodeError:
        return False
    return place.country_code == row.country and geodesic((place.lat, place.lon), row.point).km <= row.within_km


def score(geocoder: OfflineGeocoder, rows: list[HardQuery]) -> list[Outcome]:
    return [judge(geocoder, row) for row in rows]


def describe(outcomes: list[Outcome]) -> str:
    passed = sum(o.passed for o in outcomes)
    asked = sum(o.how == "asked" for o in outcomes)
    wrong = sum(o.how == "wrong country" for o in outcomes)
    lines = [f"{passed}/{len(outcomes)} passed ({passed / len(outcomes):.1%}; {asked} by asking); "
             f"wrong country: {wrong}"]  # fmt: skip
    lines += [f"  miss {o.row.query!r} ({o.row.kind}): {o.how}: {o.detail}" for o in outcomes if not o.passed]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return score(get_offline_geocoder(), load_hard_queries())


def test_the_hard_set_covers_every_kind_of_query():
    rows = load_hard_queries()
    kinds = {row.kind for row in rows}
    assert {"misspelling", "postcode", "small town", "address", "nickname", "coordinates", "never far"} <= kinds
    assert len(rows) >= 100 and len({row.query for row in rows}) == len(rows)
    for kind in kinds - {"never far"}:
        assert sum(row.kind == kind for row in rows) >= 2, kind


def test_at_least_95_percent_of_hard_queries_pass(outcomes):
    print("\n" + describe(outcomes))
    assert sum(o.passed for o in outcomes) / len(outcomes) >= REQUIRED_SHARE, describe(outcomes)


def test_no_hard_query_is_answered_in_the_wrong_country(outcomes):
    assert [o for o in outcomes if o.how == "wrong country"] == [], describe(outcomes)


@pytest.mark.parametrize("kind", ["postcode", "address"])
def test_postcodes_and_addresses_are_answered_not_asked(outcomes, kind):
    answered = [o for o in outcomes if o.row.kind == kind and o.how == "answered"]
    assert len(answered) >= 0.9 * sum(o.row.kind == kind for o in outcomes), describe(outcomes)


def test_the_judge_can_fail():
    """The scoring itself: a far answer, a wrong country and a wrong question all fail."""
    geocoder = get_offline_geocoder()
    far = HardQuery("Leeds", (51.5, -0.13), "GB", 25, "test", "London's point, Leeds's name")
    abroad = HardQuery("Perth", (56.40, -3.44), "GB", 25, "test", "Perth is answered in Australia")
    question = HardQuery("Lendon", (53.48, -2.24), "GB", 25, "test", "London is suggested, not Manchester")
    assert judge(geocoder, far).how == "too far"
    assert judge(geocoder, abroad).how == "wrong country"
    assert judge(geocoder, question).how == "not found"


# --- the command line with a leading minus sign -------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["geocode", "-33.86,151.21"], ["geocode", "--", "-33.86,151.21"]),
        (["geocode", "--json", "-33.86,151.21", "Leeds", "--offline"], ["geocode", "--json", "--offline", "--", "-33.86,151.21", "Leeds"]),
        (["geocode", "--", "-1, 2", "--json"], ["geocode", "--", "-1, 2", "--json"]),
        (["geocode", "--help"], ["geocode", "--help"]),
        (["search", "--near", "-33.86,151.21", "--data", "x.csv"], ["search", "--near=-33.86,151.21", "--data", "x.csv"]),
        (["validate", "-"], ["validate", "-"]),
    ],
)  # fmt: skip
def test_queries_starting_with_a_minus_sign_are_queries(argv, expected):
    assert protect_dash_queries(argv) == expected


def test_the_real_command_line_geocodes_a_southern_point():
    result = subprocess.run(
        [sys.executable, "-m", "helpmap", "geocode", "--offline", "-33.86,151.21", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert '"country_code": "AU"' in result.stdout and '"lat": -33.86' in result.stdout
