"""Query -> ranked results: vectorised haversine with a bounding-box prefilter, then filters.

The index keeps the rows sorted by latitude, so a search looks only at the band of rows whose
latitude can be within the radius (two binary searches), checks longitude, and computes exact
great-circle distances for those candidates alone. Filters are boolean arrays built once per
index and looked up by position, so a filtered search costs about the same as a plain one.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from . import schedule
from .schema import KM_PER_MILE  # noqa: F401 (pages import it from here)

EARTH_RADIUS_KM = 6371.009  # mean Earth radius, the value geopy's great_circle uses
PLACELESS_KINDS = ("helpline",)
SCHEDULE_COLUMNS = ("day", "time", "end_time", "timezone", "hours")
TIME_OF_DAY = ("morning", "afternoon", "evening")


@dataclass(frozen=True)
class Filters:
    """What the searcher asked for. Empty means "any". Lists of words match when the
    service offers all of `services` and any of `payment`."""

    kinds: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    payment: tuple[str, ...] = ()
    cost: tuple[str, ...] = ()
    language: str = ""
    age: int | None = None
    gender: str = ""  # "women" or "men": keeps services for that gender and for everyone
    wheelchair: bool = False
    walk_in: bool = False
    attendance: str = ""  # "in_person" or "online"
    open_now: bool = False
    days: tuple[int, ...] = ()  # meeting days, Sunday=0
    time_of_day: str = ""  # morning | afternoon | evening


@dataclass
class SearchResult:
    nearby: pd.DataFrame  # in range, ranked, with distance_km and status columns
    anywhere: pd.DataFrame  # online-only services and helplines
    beyond: pd.DataFrame  # when nothing is in range: the nearest outside it
    total_in_range: int = 0  # before the limit
    radius_km: float = 0.0


class RowSet:
    """Rows with cached filter masks and schedule arrays: the located rows of a search index,
    and the services with no place (online meetings, help lines), are each one of these."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        self._masks: dict[tuple[str, str], np.ndarray] = {}
        # Plain arrays of the schedule columns: statuses are computed for a page of results on
        # every search, and reading them from the DataFrame row by row costs far more.
        self._schedule = {c: self.frame[c].to_numpy(dtype=object) for c in SCHEDULE_COLUMNS}

    def __len__(self) -> int:
        return len(self.frame)

    # --- filters ----------------------------------------------------------------------

    def _mask(self, column: str, word: str) -> np.ndarray:
        """Rows whose `column` (a ;-separated list) contains `word`, cached per index."""
        key = (column, word)
        if key not in self._masks:
            values = self.frame[column].str.lower()
            padded = ";" + values.str.replace(r"\s*;\s*", ";", regex=True) + ";"
            self._masks[key] = padded.str.contains(f";{word.lower()};", regex=False).to_numpy()
        return self._masks[key]

    def _equals(self, column: str, value: str) -> np.ndarray:
        key = (column, "=" + value)
        if key not in self._masks:
            self._masks[key] = (self.frame[column].str.lower() == value).to_numpy()
        return self._masks[key]

    def _apply_filters(self, positions: np.ndarray, filters: Filters, now: datetime) -> np.ndarray:
        frame = self.frame
        keep = np.ones(len(positions), dtype=bool)
        if filters.kinds:
            keep &= np.any([self._equals("kind", k)[positions] for k in filters.kinds], axis=0)
        for service in filters.services:
            keep &= self._mask("services", service)[positions]
        if filters.payment:
            keep &= np.any([self._mask("payment", p)[positions] for p in filters.payment], axis=0)
        if filters.cost:
            keep &= np.any([self._equals("cost", c)[positions] for c in filters.cost], axis=0)
        if filters.language:
            keep &= self._mask("languages", filters.language)[positions]
        if filters.wheelchair:
            keep &= self._equals("wheelchair", "yes")[positions]
        if filters.walk_in:
            keep &= self._equals("walk_in", "yes")[positions]
        if filters.gender:
            keep &= (
                self._equals("gender", filters.gender)
                | self._equals("gender", "any")
                | self._equals("gender", "")
            )[positions]
        if filters.attendance == "in_person":
            keep &= ~self._equals("attendance", "online")[positions]
        elif filters.attendance == "online":
            keep &= (self._equals("attendance", "online") | self._equals("attendance", "hybrid"))[positions]
        if filters.days:
            keep &= np.any([self._mask("day", str(d)) [positions] for d in filters.days], axis=0)
        if filters.age is not None:
            keep &= self._age_ok(positions, filters.age)
        if filters.time_of_day:
            times = frame["time"].to_numpy()[positions]
            keep &= np.array([schedule.time_of_day(t) == filters.time_of_day for t in times], dtype=bool)
        if filters.open_now:
            open_now = [status.open_now for status in self.statuses(positions[keep], now)]
            keep[np.flatnonzero(keep)[~np.array(open_now, dtype=bool)]] = False
        return positions[keep]

    def _age_ok(self, positions: np.ndarray, age: int) -> np.ndarray:
        low = pd.to_numeric(self.frame["min_age"].iloc[positions], errors="coerce").to_numpy()
        high = pd.to_numeric(self.frame["max_age"].iloc[positions], errors="coerce").to_numpy()
        return (np.isnan(low) | (low <= age)) & (np.isnan(high) | (high >= age))

    def statuses(self, positions: np.ndarray, now: datetime) -> list[schedule.Status]:
        columns = self._schedule
        return [schedule.status_for({c: columns[c][p] for c in SCHEDULE_COLUMNS}, now) for p in positions]

    def rows(self, positions: np.ndarray, distances: np.ndarray, statuses: list[schedule.Status]) -> pd.DataFrame:
        """The result rows, with distance and opening or next-meeting status."""
        return (
            self.frame.iloc[positions]
            .assign(
                distance_km=distances,
                status=[s.text for s in statuses],
                open_now=[s.open_now for s in statuses],
                next_start=[s.next_start for s in statuses],
            )
            .reset_index(drop=True)
        )

class SearchIndex(RowSet):
    def __init__(self, frame: pd.DataFrame) -> None:
        placed = frame["latitude"].notna().to_numpy()
        count = int(placed.sum())
        latitudes = frame["latitude"].to_numpy(dtype=float)
        if placed[:count].all() and (np.diff(latitudes[:count]) >= 0).all():
            # The loader already put the rows in latitude order: slices, not a copy of every column.
            super().__init__(frame.iloc[:count])
            self.placeless = RowSet(frame.iloc[count:])
        else:
            located = frame[placed]
            order = np.argsort(located["latitude"].to_numpy(), kind="stable")
            super().__init__(located.iloc[order])
            self.placeless = RowSet(frame[~placed])
        self.lat = np.radians(self.frame["latitude"].to_numpy(dtype=float))
        self.lon = np.radians(self.frame["longitude"].to_numpy(dtype=float))
        self.lat_deg = self.frame["latitude"].to_numpy(dtype=float)
        self._no_rows = self.frame.iloc[0:0].assign(distance_km=[], status=[], open_now=[], next_start=[])

    # --- distance ---------------------------------------------------------------------

    def _candidates(self, lat: float, lon: float, radius_km: float) -> np.ndarray:
        """Positions of rows inside the bounding box of the search circle."""
        dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
        lo = np.searchsorted(self.lat_deg, lat - dlat, side="left")
        hi = np.searchsorted(self.lat_deg, lat + dlat, side="right")
        positions = np.arange(lo, hi)
        max_lat = min(abs(lat) + dlat, 89.9)
        dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * math.cos(math.radians(max_lat))))
        if dlon >= 180:
            return positions
        delta = np.abs(np.degrees(self.lon[positions]) - lon)
        delta = np.minimum(delta, 360 - delta)  # across the antimeridian
        return positions[delta <= dlon]

    def distances_km(self, lat: float, lon: float, positions: np.ndarray) -> np.ndarray:
        lat1, lon1 = math.radians(lat), math.radians(lon)
        lat2, lon2 = self.lat[positions], self.lon[positions]
        a = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))

    # --- search -----------------------------------------------------------------------

    def rank(
        self,
        lat: float,
        lon: float,
        radius_km: float,
        filters: Filters = Filters(),
        limit: int = 50,
        now: datetime | None = None,
    ) -> tuple[np.ndarray, np.ndarray, int, list[schedule.Status] | None]:
        """The engine: positions and distances of the best `limit` matches in range, ranked,
        and how many matched in all. Meetings come with their statuses (they rank by them)."""
        now = now or datetime.now(timezone.utc)
        positions = self._candidates(lat, lon, radius_km)
        distances = self.distances_km(lat, lon, positions)
        inside = distances <= radius_km
        positions, distances = positions[inside], distances[inside]
        kept = self._apply_filters(positions, filters, now)
        if len(kept) < len(positions):
            distances = distances[np.isin(positions, kept, assume_unique=True)]
        if filters.kinds == ("support_group",):  # meetings: the next to start first, then the nearest
            statuses = self.statuses(kept, now)
            never = datetime.max.replace(tzinfo=timezone.utc)
            starts = [s.next_start.astimezone(timezone.utc) if s.next_start else never for s in statuses]
            order = np.array(sorted(range(len(kept)), key=lambda i: (starts[i], distances[i]))[:limit], dtype=int)
            return kept[order], distances[order], len(kept), [statuses[i] for i in order]
        if len(kept) > limit:  # partial selection, then sort only the few that are shown
            best = np.argpartition(distances, limit - 1)[:limit]
            order = best[np.argsort(distances[best], kind="stable")]
        else:
            order = np.argsort(distances, kind="stable")
        return kept[order], distances[order], len(kept), None

    def search(
        self,
        lat: float,
        lon: float,
        radius_km: float,
        filters: Filters = Filters(),
        limit: int = 50,
        now: datetime | None = None,
    ) -> SearchResult:
        """Everything a results page shows: the ranked rows in range, what is available
        anywhere, and, when nothing is in range, the nearest beyond it."""
        now = now or datetime.now(timezone.utc)
        positions, distances, total, statuses = self.rank(lat, lon, radius_km, filters, limit, now)
        nearby = self.rows(positions, distances, statuses or self.statuses(positions, now))
        result = SearchResult(
            nearby=nearby,
            anywhere=self.anywhere(filters, now),
            beyond=self._no_rows,
            total_in_range=total,
            radius_km=radius_km,
        )
        if not total:
            result.beyond = self.nearest_beyond(lat, lon, filters, now, count=5)
        return result

    def nearest_beyond(self, lat: float, lon: float, filters: Filters, now: datetime, count: int = 5) -> pd.DataFrame:
        """No dead ends: the nearest matching services at any distance."""
        positions = self._apply_filters(np.arange(len(self.frame)), filters, now)
        distances = self.distances_km(lat, lon, positions)
        order = np.argsort(distances, kind="stable")[:count]
        return self.rows(positions[order], distances[order], self.statuses(positions[order], now))

    def anywhere(self, filters: Filters, now: datetime | None = None) -> pd.DataFrame:
        """Services with no place (online meetings, help lines) that match the filters, with
        their next meeting or hours. Help lines are always kept, whatever was filtered."""
        now = now or datetime.now(timezone.utc)
        online = self.placeless
        everything = np.arange(len(online))
        matching = online._apply_filters(everything, replace(filters, attendance=""), now)
        helplines = everything[np.any([online._equals("kind", k) for k in PLACELESS_KINDS], axis=0)]
        kept = np.union1d(matching, helplines)
        return online.rows(kept, np.full(len(kept), np.nan), online.statuses(kept, now))


def available_choices(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The filter values that at least one row can satisfy: filters nobody matches are not offered."""

    def words(column: str) -> list[str]:
        # Split the distinct cells only: a million rows hold a few thousand different lists.
        cells = pd.Series(frame[column].unique(), dtype=object).str.lower()
        values = cells.str.split(r"\s*;\s*", regex=True).explode()
        return sorted({v for v in values.dropna() if v})

    def flag(column: str) -> bool:
        return bool((frame[column] == "yes").any())

    return {
        "kinds": [k for k in ("treatment", "support_group", "harm_reduction") if (frame["kind"] == k).any()],
        "services": words("services"),
        "payment": words("payment"),
        "cost": words("cost"),
        "languages": words("languages"),
        "gender": [g for g in ("women", "men") if (frame["gender"].str.lower() == g).any()],
        "days": sorted({int(d) for d in words("day") if d.isdigit()}),
        "wheelchair": ["yes"] if flag("wheelchair") else [],
        "walk_in": ["yes"] if flag("walk_in") else [],
        "online": ["yes"] if frame["attendance"].isin(["online", "hybrid"]).any() else [],
        "ages": ["yes"] if (frame["min_age"] != "").any() or (frame["max_age"] != "").any() else [],
        # "Open now" needs hours or meeting times AND a time zone to be evaluated in.
        "hours": ["yes"] if (((frame["hours"] != "") | (frame["time"] != "")) & (frame["timezone"] != "")).any() else [],
        "meeting_times": ["yes"] if (frame["time"] != "").any() else [],
    }


# --- command line -------------------------------------------------------------------------


def run_cli(args) -> int:
    from .directory import load
    from .geocode import GeocodeError, build_geocoder, settings_from_env

    directory = load(args.data)
    if directory.report.fatal:
        print(f"Cannot use {args.data}: {directory.report.fatal}", file=sys.stderr)
        return 2
    try:
        place = build_geocoder(settings_from_env()).geocode(args.near)
    except GeocodeError as error:
        print(error.message, file=sys.stderr)
        return 1
    filters = Filters(kinds=(args.kind,) if args.kind else ())
    result = SearchIndex(directory.frame).search(place.lat, place.lon, args.radius_km, filters, args.limit)
    rows = result.nearby if len(result.nearby) else result.beyond
    records = [
        {
            "id": row["id"],
            "name": row["name"],
            "kind": row["kind"],
            "distance_km": round(float(row["distance_km"]), 3),
            "address": ", ".join(v for v in (row["address"], row["city"], row["region"], row["postcode"]) if v),
            "phone": row["phone"],
            "status": row["status"],
            "in_range": bool(len(result.nearby)),
        }
        for _, row in rows.iterrows()
    ]
    if args.json:
        print(json.dumps(records, ensure_ascii=False))
    else:
        print(f"Near {place.label} ({place.source}); {result.total_in_range} within {args.radius_km:g} km.")
        if not len(result.nearby):
            print("Nothing in range; the nearest beyond it:")
        for record in records:
            print(f"{record['distance_km']:8.2f} km  {record['name']}  {record['address']}")
    return 0
