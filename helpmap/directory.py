"""Load and validate a directory CSV into a Directory (a DataFrame plus a LoadReport).

The rules: bad input gets a clear message and loses nothing. Every rejected row is reported
with its line number and a reason a non-programmer understands, and the valid rows still load.
Text is kept as text (never evaluated) and the input file is never modified.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import numpy as np
import pandas as pd

from . import schema
from .report import LoadReport
from .sources import SourceError, decode_text, read_bytes

# Longer values are cut, with a warning: a 5 MB "description" is a broken export, not content.
MAX_FIELD_CHARS = 2000
MAX_NAME_CHARS = 300
# csv's own default (128 KiB) would turn a long field into a crash; we cut fields ourselves.
csv.field_size_limit(64 * 1024 * 1024)
# Limits that make a hostile or broken file fail in seconds instead of exhausting the server:
# the schema has about 40 columns and fields are cut at 2,000 characters, so a wider header or
# a longer line is not a directory.
MAX_COLUMNS = 500
MAX_LINE_CHARS = 16_000_000  # a 5 MB field is cut with a warning; 100 MB is a broken file

KIND_ALIASES = {
    "support group": "support_group",
    "support-group": "support_group",
    "supportgroup": "support_group",
    "meeting": "support_group",
    "peer support": "support_group",
    "harm reduction": "harm_reduction",
    "harm-reduction": "harm_reduction",
    "hotline": "helpline",
    "help line": "helpline",
    "crisis line": "helpline",
}
DAY_NAMES = {
    "sun": 0, "sunday": 0, "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2,
    "wed": 3, "wednesday": 3, "thu": 4, "thur": 4, "thurs": 4, "thursday": 4,
    "fri": 5, "friday": 5, "sat": 6, "saturday": 6,
}  # fmt: skip
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$")
ATTENDANCE_ALIASES = {"in person": "in_person", "in-person": "in_person", "inperson": "in_person",
                      "virtual": "online", "remote": "online"}  # fmt: skip
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0"}

# A geocoder for rows with an address but no coordinates: (city, region, postcode, country)
# -> (latitude, longitude, label) or None when the place is not known.
AddressGeocoder = Callable[[str, str, str, str], "tuple[float, float, str] | None"]


def offline_address_geocoder(city: str, region: str, postcode: str, country: str):
    """Place a row by its postcode or town with the offline gazetteer (no network)."""
    from .geocode import geocode_address  # the gazetteer is large: load it only when needed

    place = geocode_address(city, region, postcode, country)
    return None if place is None else (place.lat, place.lon, place.label)


@dataclass
class Directory:
    """The loaded services. `frame` holds every schema column (text), with `latitude` and
    `longitude` as floats (NaN for services with no place, such as online meetings)."""

    frame: pd.DataFrame
    report: LoadReport
    source: str = ""
    loaded_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # Values computed from the frame once: a loaded frame is never changed (it is shared by
    # every visitor of the process), and pages ask for these on every run.
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.frame)

    def derived(self, name: str, build: Callable[[], object]):
        """`build()` once per directory, kept under `name` (a page's notice, a summary)."""
        if name not in self._derived:
            self._derived[name] = build()
        return self._derived[name]

    @property
    def is_demo(self) -> bool:
        """True when any row is demonstration data, so the page must say it is not real."""
        return self.derived("is_demo", lambda: bool(len(self.frame)) and bool((self.frame["source"] == schema.DEMO_SOURCE).any()))  # fmt: skip

    @property
    def country(self) -> str | None:
        """The one country every listing with a country is in; None when they differ or none says."""

        def build() -> str | None:
            countries = self.frame["country"].str.upper().unique() if len(self.frame) else []
            named = [c for c in countries if c]
            return named[0] if len(named) == 1 else None

        return self.derived("country", build)

    @property
    def listing_dates(self) -> tuple[date, date] | None:
        """The oldest and newest `last_verified` of the listings: the data's own dates."""

        def build() -> tuple[date, date] | None:
            # The distinct dates only (a categorical column has no order to take a min of).
            dates = [str(d) for d in self.frame["last_verified"].unique() if d] if len(self.frame) else []
            if not dates:
                return None
            return date.fromisoformat(min(dates)), date.fromisoformat(max(dates))

        return self.derived("listing_dates", build)


def load(
    source: str | Path,
    *,
    geocoder: AddressGeocoder | None = offline_address_geocoder,
    timeout: float = 15.0,
    max_bytes: int | None = None,
) -> Directory:
    """Read a directory CSV from a path or an http(s) URL. Never raises for bad data.

    Rows with an address but no coordinates are placed by `geocoder` (offline by default);
    pass geocoder=None to report them as needing a location instead."""
    report = LoadReport()
    empty = Directory(empty_frame(), report, str(source))
    try:
        kwargs = {"timeout": timeout} | ({"max_bytes": max_bytes} if max_bytes else {})
        data = read_bytes(source, **kwargs)
    except SourceError as error:
        report.fatal = str(error)
        return empty
    frame = parse(data, report, geocoder=geocoder)
    return Directory(frame, report, str(source))


def parse(data: bytes, report: LoadReport, *, geocoder: AddressGeocoder | None = None) -> pd.DataFrame:
    """Parse CSV bytes into a validated frame, writing every problem into `report`."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.fatal = "This is not a CSV file: it looks like a binary file (a spreadsheet or an image?). Save it as CSV."
        return empty_frame()
    text, encoding_warning = decode_text(data)
    if encoding_warning:
        report.warn(encoding_warning)
    if not text.strip():
        report.fatal = "The file is empty."
        return empty_frame()
    not_csv = _looks_like_other_format(text) or _over_limits(text)
    if not_csv:
        report.fatal = not_csv
        return empty_frame()

    table = _read_table_fast(text) or _read_rows(text, report)
    header, rows, lines = table
    if header is None:
        return empty_frame()
    columns = _normalise_header(header, report)
    missing = [c for c in schema.REQUIRED_COLUMNS if c not in columns]
    if missing:
        report.fatal = (
            f"The header is missing the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. The first line has: {', '.join(h.strip() for h in header[:12])}."
        )
        return empty_frame()
    if len(rows) == 0:
        report.fatal = "The file has a header but no rows."
        return empty_frame()

    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, dtype=object)
    frame.columns = columns
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame["_line"] = lines
    frame = _validate(frame, report, geocoder)
    report.loaded = len(frame)
    if report.loaded == 0 and not report.fatal:
        report.fatal = "No row could be used; see the reasons above."
    return frame


# Columns with few distinct values, held as categoricals once validated: each cell is then a
# small integer code into one copy of each value. At a million rows `source` alone (about 100
# characters, a handful of distinct values) is ~100 MB as strings (bench/startup.py). Every
# reader keeps working: comparisons, .str methods, unique() and to_dict() give plain strings.
COMPACT_COLUMNS = (
    "kind", "region", "country", "source", "last_verified", "attendance", "cost", "timezone",
    "gender", "wheelchair", "walk_in", "referral_required", "approximate",
)  # fmt: skip


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """The served frame with the low-cardinality text columns as categoricals (a new frame)."""
    changes = {
        column: frame[column].astype("category")
        for column in COMPACT_COLUMNS
        if column in frame.columns and not isinstance(frame[column].dtype, pd.CategoricalDtype)
    }
    return frame.assign(**changes) if changes else frame


def empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in schema.COLUMNS})
    frame["latitude"] = frame["latitude"].astype(float)
    frame["longitude"] = frame["longitude"].astype(float)
    return frame


# --- reading -------------------------------------------------------------------------------


def _looks_like_other_format(text: str) -> str | None:
    start = text.lstrip()[:200].lower()
    if start.startswith(("{", "[")):
        return (
            "This looks like JSON, not CSV. A Meeting Guide feed can be converted with "
            "`python -m helpmap import meeting-guide FILE -o OUT.csv`."
        )
    if start.startswith(("<!doctype", "<html", "<?xml", "<")):
        return "This looks like a web page or XML, not CSV. Check the address or export the data as CSV."
    if start.startswith("pk\x03\x04"):
        return "This looks like an Excel or zip file, not CSV. Save it as CSV."
    return None


def _over_limits(text: str) -> str | None:
    """A one-line reason when the file is far outside what a directory looks like."""
    start = 0
    number = 0
    while len(text) > MAX_LINE_CHARS and start < len(text):  # a shorter file has no longer line
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        number += 1
        if end - start > MAX_LINE_CHARS:
            return (f"Line {number} is {end - start:,} characters long; a directory's lines are far shorter "
                    f"(at most {MAX_LINE_CHARS:,}). The file looks broken.")  # fmt: skip
        start = end + 1
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    columns = first_line.count(detect_delimiter(first_line)) + 1
    if columns > MAX_COLUMNS:
        return f"The header has {columns:,} columns; a directory has at most {MAX_COLUMNS}. Is this the right file?"
    return None


def detect_delimiter(first_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_table_fast(text: str) -> tuple[list[str], pd.DataFrame, list[int]] | None:
    """pandas' C parser, for the usual file where every record is one line and every row has
    the header's width. Returns None otherwise, and the careful reader below takes over: it
    finds each record's own line and reports rows with too many values."""
    physical = text.splitlines()
    if any(line.isspace() for line in physical):
        return None  # whitespace-only lines: pandas may count them as rows, which would hide a miscount
    numbered = [number for number, line in enumerate(physical, start=1) if line]
    first_line = physical[numbered[0] - 1]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pandas warns, then skips, a row with too many values
            table = pd.read_csv(
                io.StringIO(text), sep=detect_delimiter(first_line), header=None, dtype=str,
                keep_default_na=False, na_filter=False, skip_blank_lines=True, engine="c",
            )  # fmt: skip
    except (Warning, ValueError, pd.errors.ParserError):
        return None
    if len(table) != len(numbered):  # a quoted value spans lines, or a blank-looking line is a record
        return None
    header = table.iloc[0].tolist()
    rows = table.iloc[1:].reset_index(drop=True).fillna("")
    blank = ~rows.apply(lambda column: column.str.strip() != "").any(axis=1)
    return header, rows[~blank.to_numpy()].reset_index(drop=True), [n for n, b in zip(numbered[1:], blank) if not b]


def _read_rows(text: str, report: LoadReport) -> tuple[list[str] | None, list[list[str]], list[int]]:
    """Rows as lists of text, each with the file line it starts on. Blank lines are skipped."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line))
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    width = 0
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record or not any(cell.strip() for cell in record):
                continue
            if header is None:
                header, width = record, len(record)
                continue
            if len(record) > width:
                report.reject(
                    line,
                    f"has {len(record)} values but the header has {width} columns "
                    "(an extra delimiter, or a missing quote?)",
                )
                continue
            if len(record) < width:  # trailing empty cells are often left off by hand
                record = record + [""] * (width - len(record))
            rows.append(record)
            lines.append(line)
    except csv.Error as error:
        report.reject(start, f"could not be read as CSV ({error}); the rest of the file was skipped")
    if header is None:
        report.fatal = "The file has no header line."
    return header, rows, lines


def _normalise_header(header: list[str], report: LoadReport) -> list[str]:
    columns = []
    for raw in header:
        name = re.sub(r"[\s\-]+", "_", raw.strip().strip("\ufeff").lower())
        name = schema.COLUMN_ALIASES.get(name, name)
        if name in columns:
            report.warn(f"The column '{raw.strip()}' appears twice; the first one is used.")
        columns.append(name)
    return columns


# --- validation ----------------------------------------------------------------------------


class _Reasons:
    """Collects the reasons each row is rejected, so a row with two problems says both."""

    def __init__(self, index: pd.Index) -> None:
        self.by_row: dict[int, list[str]] = {}
        self.index = index

    def add(self, mask: pd.Series, reasons: pd.Series | str) -> None:
        if not mask.any():
            return
        rows = mask[mask].index
        texts = reasons.loc[rows] if isinstance(reasons, pd.Series) else pd.Series(reasons, index=rows)
        for row, text in texts.items():
            self.by_row.setdefault(row, []).append(text)

    @property
    def rejected(self) -> pd.Series:
        return pd.Series(self.index.isin(list(self.by_row)), index=self.index)


def _validate(frame: pd.DataFrame, report: LoadReport, geocoder: AddressGeocoder | None) -> pd.DataFrame:
    for column in schema.COLUMNS:
        if column not in frame:
            frame[column] = ""
    text_columns = [c for c in frame.columns if c != "_line"]
    frame[text_columns] = frame[text_columns].fillna("").astype(str)
    frame[text_columns] = frame[text_columns].apply(lambda s: s.str.strip())

    frame = _drop_exact_duplicates(frame, report)

    reasons = _Reasons(frame.index)
    _cut_long_fields(frame, report)
    reasons.add(frame["name"] == "", "the name is blank")
    reasons.add(frame["id"].str.contains(",", regex=False),
                "the id contains a comma, which share links use between ids")  # fmt: skip
    _validate_kind(frame, reasons)
    _validate_attendance(frame, report)
    _validate_coordinates(frame, reasons, geocoder, report)
    _validate_website(frame, report)
    _normalise_days(frame, report)
    _normalise_times(frame, report)
    _normalise_timezones(frame, report)
    _normalise_flags(frame)
    _normalise_dates(frame, report)

    rejected = reasons.rejected
    for row, texts in reasons.by_row.items():
        report.reject(int(frame.at[row, "_line"]), "; ".join(texts))
    frame = frame[~rejected]
    frame = _assign_ids(frame, report)
    report.rejected.sort(key=lambda r: r.line)
    ordered = list(schema.COLUMNS) + [c for c in frame.columns if c not in schema.COLUMNS and c != "_line"]
    return frame[ordered].reset_index(drop=True)


def _drop_exact_duplicates(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    columns = [c for c in frame.columns if c != "_line"]
    row_hash = pd.util.hash_pandas_object(frame[columns], index=False)
    copies = row_hash.duplicated(keep="first")
    if not copies.any():
        return frame
    first_line = frame["_line"].groupby(row_hash).transform("first")
    for row in frame.index[copies]:
        report.reject(int(frame.at[row, "_line"]), f"is an exact copy of line {first_line[row]}; the copy was skipped")
    return frame[~copies].copy()


def _cut_long_fields(frame: pd.DataFrame, report: LoadReport) -> None:
    for column in [c for c in frame.columns if c != "_line"]:
        limit = MAX_NAME_CHARS if column == "name" else MAX_FIELD_CHARS
        lengths = frame[column].str.len()
        too_long = lengths > limit
        for row in frame.index[too_long]:
            report.warn(
                f"line {frame.at[row, '_line']}: the {column} is {lengths[row]:,} characters long; "
                f"it was cut to {limit:,}."
            )
        if too_long.any():
            frame.loc[too_long, column] = frame.loc[too_long, column].str.slice(0, limit) + "…"


def _validate_kind(frame: pd.DataFrame, reasons: _Reasons) -> None:
    kind = frame["kind"].str.lower().str.strip()
    kind = kind.replace(KIND_ALIASES).str.replace(r"[\s\-]+", "_", regex=True)
    frame["kind"] = kind
    unknown = ~kind.isin(schema.KINDS)
    reasons.add(unknown & (kind == ""), "the kind is blank (use one of " + ", ".join(schema.KINDS) + ")")
    unknown &= kind != ""
    if unknown.any():
        messages = frame.loc[unknown, "kind"].map(_unknown_kind_message)
        reasons.add(unknown, messages)


def _unknown_kind_message(kind: str) -> str:
    close = difflib.get_close_matches(kind, schema.KINDS, n=1, cutoff=0.5)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"the kind '{_shorten(kind)}' is not one of {', '.join(schema.KINDS)}.{hint}"


def _validate_attendance(frame: pd.DataFrame, report: LoadReport) -> None:
    attendance = frame["attendance"].str.lower().map(lambda a: ATTENDANCE_ALIASES.get(a, a))
    bad = (attendance != "") & ~attendance.isin(schema.ATTENDANCE)
    for row in frame.index[bad]:
        report.warn(
            f"line {frame.at[row, '_line']}: attendance '{_shorten(attendance[row])}' is not one of "
            f"{', '.join(schema.ATTENDANCE)}; it was left blank."
        )
    frame["attendance"] = attendance.where(~bad, "")


def _parse_coordinate(values: pd.Series) -> pd.Series:
    # "51,5" is how semicolon-separated European files write 51.5.
    cleaned = values.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    return pd.to_numeric(cleaned, errors="coerce")


def _validate_coordinates(
    frame: pd.DataFrame, reasons: _Reasons, geocoder: AddressGeocoder | None, report: LoadReport
) -> None:
    lat_text, lon_text = frame["latitude"], frame["longitude"]
    lat, lon = _parse_coordinate(lat_text), _parse_coordinate(lon_text)
    for name, text, value, limit in (("latitude", lat_text, lat, 90), ("longitude", lon_text, lon, 180)):
        not_number = (text != "") & value.isna()
        # Messages are built for the bad rows only: a million-row file is mostly good rows.
        reasons.add(not_number, text[not_number].map(lambda t, n=name: f"the {n} '{_shorten(t)}' is not a number"))
        out_of_range = value.notna() & (value.abs() > limit)
        reasons.add(
            out_of_range,
            value[out_of_range].map(lambda v, n=name, lim=limit: f"the {n} {v:g} is outside -{lim} to {lim}"),
        )
    half = (lat_text == "") != (lon_text == "")
    reasons.add(half, "has only one of latitude and longitude")
    null_island = (lat == 0) & (lon == 0)
    reasons.add(null_island, "latitude and longitude are both 0, which is in the ocean (missing coordinates?)")

    no_place = (lat_text == "") & (lon_text == "")
    placeless_ok = frame["attendance"].eq("online") | frame["kind"].eq("helpline")
    needs_location = no_place & ~placeless_ok
    has_address = frame[list(schema.ADDRESS_COLUMNS)].ne("").any(axis=1)
    lat, lon = _geocode_rows(frame, needs_location & has_address, lat, lon, geocoder, report)
    unlocated = needs_location & lat.isna()
    not_found = unlocated & has_address
    if not_found.any():
        reasons.add(not_found, frame[not_found].apply(_address_not_found_message, axis=1))
    reasons.add(
        unlocated & ~has_address,
        "has no location: give latitude and longitude, an address, or attendance=online",
    )
    # An approximate listing (a meeting in a private home, say) shows its area only: keep its
    # point to about a kilometre, so no map pin, directions link or export gives the door away.
    approximate = frame["approximate"].str.lower().isin(TRUE_WORDS)
    frame["latitude"] = lat.astype(float).where(~approximate, lat.astype(float).round(2))
    frame["longitude"] = lon.astype(float).where(~approximate, lon.astype(float).round(2))


def _address_not_found_message(row: pd.Series) -> str:
    place = ", ".join(v for v in (row["city"], row["region"], row["postcode"], row["country"]) if v)
    where = f" ({_shorten(place)})" if place else ""
    return f"needs a location: it has no coordinates and its address{where} could not be found offline"


def _geocode_rows(
    frame: pd.DataFrame,
    wanted: pd.Series,
    lat: pd.Series,
    lon: pd.Series,
    geocoder: AddressGeocoder | None,
    report: LoadReport,
) -> tuple[pd.Series, pd.Series]:
    if geocoder is None or not wanted.any():
        return lat, lon
    lat, lon = lat.copy(), lon.copy()
    for row in frame.index[wanted]:
        answer = geocoder(
            frame.at[row, "city"], frame.at[row, "region"], frame.at[row, "postcode"], frame.at[row, "country"]
        )
        if answer is None:
            continue
        lat[row], lon[row], label = answer
        if frame.at[row, "approximate"] == "":
            frame.at[row, "approximate"] = "yes"  # the pin is a town or postcode centre, not the door
        report.warn(f"line {frame.at[row, '_line']}: placed at {label} from its address (approximate).")
    return lat, lon


SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def _validate_website(frame: pd.DataFrame, report: LoadReport) -> None:
    for column in ("website", "online_url", "source_url"):
        values = frame[column]
        bad = (values != "") & ~values.str.match(SAFE_URL)
        for row in frame.index[bad]:
            report.warn(
                f"line {frame.at[row, '_line']}: the {column} '{_shorten(values[row])}' is not a web "
                "address starting with http:// or https://; it was left out."
            )
        frame[column] = values.where(~bad, "")


def _normalise_days(frame: pd.DataFrame, report: LoadReport) -> None:
    def parse(text: str) -> str | None:
        days = []
        for part in re.split(r"[;,/ ]+", text.strip().lower()):
            if not part:
                continue
            if part.isdigit() and 0 <= int(part) <= 6:
                days.append(int(part))
            elif part in DAY_NAMES:
                days.append(DAY_NAMES[part])
            else:
                return None
        return ";".join(str(d) for d in sorted(set(days)))

    for row in frame.index[frame["day"] != ""]:
        parsed = parse(frame.at[row, "day"])
        if parsed is None:
            report.warn(
                f"line {frame.at[row, '_line']}: the day '{_shorten(frame.at[row, 'day'])}' is not a day "
                "(0-6 with Sunday=0, or a day name); it was left blank."
            )
            parsed = ""
        frame.at[row, "day"] = parsed


def _normalise_times(frame: pd.DataFrame, report: LoadReport) -> None:
    for column in ("time", "end_time"):
        values = frame[column]
        for row in frame.index[values != ""]:
            match = TIME_PATTERN.match(values[row])
            if match:
                frame.at[row, column] = f"{int(match.group(1)):02d}:{match.group(2)}"
            else:
                report.warn(
                    f"line {frame.at[row, '_line']}: the {column.replace('_', ' ')} "
                    f"'{_shorten(values[row])}' is not a 24-hour time like 19:30; it was left blank."
                )
                frame.at[row, column] = ""


_TIMEZONES: set[str] | None = None


def _normalise_timezones(frame: pd.DataFrame, report: LoadReport) -> None:
    global _TIMEZONES
    values = frame["timezone"]
    if not (values != "").any():
        return
    if _TIMEZONES is None:
        _TIMEZONES = available_timezones()
    for value in values[values != ""].unique():
        if value in _TIMEZONES:
            continue
        try:
            if len(value) <= 64:  # a longer name is no zone, and the file system refuses it (OSError)
                ZoneInfo(value)
                continue
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
        bad = values == value
        for row in frame.index[bad]:
            report.warn(
                f"line {frame.at[row, '_line']}: the time zone '{_shorten(value)}' is not known "
                "(use a name like America/New_York); it was left blank."
            )
        frame.loc[bad, "timezone"] = ""


def _normalise_flags(frame: pd.DataFrame) -> None:
    for column in ("wheelchair", "walk_in", "referral_required", "approximate"):
        lowered = frame[column].str.lower()
        frame[column] = np.where(
            lowered.isin(TRUE_WORDS), "yes", np.where(lowered.isin(FALSE_WORDS), "no", frame[column])
        )


def _normalise_dates(frame: pd.DataFrame, report: LoadReport) -> None:
    values = frame["last_verified"]
    given = values != ""
    if not given.any():
        return
    # ISO dates only: "03/04/2024" means March in one country and April in another.
    parsed = pd.to_datetime(values.where(given), errors="coerce", format="ISO8601")
    bad = given & parsed.isna()
    for row in frame.index[bad]:
        report.warn(
            f"line {frame.at[row, '_line']}: last_verified '{_shorten(values[row])}' is not a date "
            "(use YYYY-MM-DD); it was left blank."
        )
    frame["last_verified"] = parsed.dt.strftime("%Y-%m-%d").where(given & ~bad, "")


def _assign_ids(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    blank = frame["id"] == ""
    if blank.any():
        frame.loc[blank, "id"] = frame[blank].apply(derived_id, axis=1)
    duplicate = frame["id"].duplicated(keep="first")
    if duplicate.any():
        first_line = frame[~duplicate].set_index("id")["_line"]
        for row in frame.index[duplicate]:
            ident = frame.at[row, "id"]
            report.reject(
                int(frame.at[row, "_line"]),
                f"the id '{_shorten(ident)}' is already used on line {first_line[ident]}; this row was skipped",
            )
    return frame[~duplicate]


def derived_id(row: pd.Series) -> str:
    """A stable id from what identifies a service, so share links survive a reload."""
    key = "|".join(str(row[c]) for c in ("name", "kind", "address", "city", "postcode", "day", "time"))
    key += f"|{row['latitude']:.5f}|{row['longitude']:.5f}" if pd.notna(row["latitude"]) else ""
    return "s-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _shorten(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
