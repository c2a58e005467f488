"""Importers: other directory formats mapped onto our schema, with a report of what did not fit.

Each importer takes a path (a file, or for HSDS a folder) and returns an ImportResult: a frame
with exactly `schema.COLUMNS`, every value text ("" when empty), and a LoadReport listing the
rows it could not use and the things it could not map. Importers never modify their input and
never raise for bad data: a file they cannot use gets `report.fatal` with a plain message.

`run_import` is what `python -m helpmap import FORMAT SRC -o OUT.csv` calls.

The helpers below are shared by the format modules (samhsa, meeting_guide, hsds). FORMATS loads
those modules only when a format is used, which also keeps `import helpmap.importers` cheap.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema
from ..report import LoadReport
from ..sources import SourceError, decode_text, read_bytes
from .mapping import ImportReport


@dataclass
class ImportResult:
    frame: pd.DataFrame
    report: ImportReport = field(default_factory=ImportReport)


class UnusableInput(Exception):
    """The input as a whole cannot be used. The message is for the person who maintains the data."""


Importer = Callable[..., ImportResult]


def guarded(convert: Callable[[str | Path, LoadReport], pd.DataFrame]) -> Importer:
    """Turn `convert(src, report) -> frame` into an importer that reports instead of raising."""

    @functools.wraps(convert)
    def run(src: str | Path, **options) -> ImportResult:
        report = ImportReport()
        try:
            frame = finish_frame(convert(src, report, **options))
        except UnusableInput as error:
            report.fatal = str(error)
            return ImportResult(empty_frame(), report)
        except RecursionError:  # absurdly nested JSON
            report.fatal = (
                "The file is nested too deeply to be read; it is not a feed in the expected format."
            )
            return ImportResult(empty_frame(), report)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # Last resort, so a site refresh or the command line never shows a traceback; the
            # message names the error so the case can be reported and handled properly.
            report.fatal = (
                f"The file could not be converted ({type(error).__name__}: {_short(str(error), 200)})."
            )
            return ImportResult(empty_frame(), report)
        report.rejected.sort(key=lambda rejection: rejection.line)
        report.loaded = len(frame)
        if frame.empty and not report.fatal:
            report.fatal = "No row could be used; see the reasons above."
        return ImportResult(frame, report)

    return run


def _samhsa(src: str | Path, **options) -> ImportResult:
    from .samhsa import import_samhsa

    return import_samhsa(src, **_only(options, "as_of", "mental_health"))


def _meeting_guide(src: str | Path, **options) -> ImportResult:
    from .meeting_guide import import_meeting_guide

    return import_meeting_guide(src, **_only(options, "default_timezone"))


def _bmlt(src: str | Path, **options) -> ImportResult:
    from .bmlt import import_bmlt

    return import_bmlt(src, **_only(options, "formats", "default_timezone"))


def _hsds(src: str | Path, **options) -> ImportResult:
    from .hsds import import_hsds

    return import_hsds(src, **_only(options, "taxonomy"))


def _csv(src: str | Path, **options) -> ImportResult:
    from .generic_csv import import_csv

    return import_csv(src, **_only(options, "kind"))


def _only(options: dict, *names: str) -> dict:
    """The options a format understands (the command line and the config offer them all)."""
    return {name: value for name, value in options.items() if name in names and value not in (None, "", {})}


FORMATS: dict[str, Importer] = {
    "samhsa": _samhsa,
    "meeting-guide": _meeting_guide,
    "bmlt": _bmlt,
    "hsds": _hsds,
    "csv": _csv,
}


def run_import(fmt: str, src: str | Path, out: str | Path, **options) -> LoadReport:
    """Convert SRC from FORMAT and write OUT as a UTF-8 directory CSV. Never raises for bad input."""
    convert = FORMATS.get(fmt)
    if convert is None:
        report = LoadReport()
        report.fatal = f"'{fmt}' is not a format we can import. Use one of: {', '.join(FORMATS)}."
        return report
    result = convert(src, **options)
    if result.report.fatal:
        return result.report
    try:
        result.frame.to_csv(out, index=False, encoding="utf-8")
    except OSError as error:
        result.report.fatal = f"Could not write {out}: {error.strerror or error}."
        result.report.loaded = 0
        return result.report
    result.report.loaded = len(result.frame)
    return result.report


# --- frames --------------------------------------------------------------------------------


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in schema.COLUMNS})


def finish_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Exactly the schema columns, in order, all text, stripped, "" for empty."""
    frame = frame.reset_index(drop=True)
    columns = {}
    for column in schema.COLUMNS:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        columns[column] = values.fillna("").astype(str).str.strip()
    return pd.DataFrame(columns, index=frame.index, dtype=object)


# --- reading -------------------------------------------------------------------------------


def read_text(src: str | Path, report: LoadReport) -> str:
    """The file's text; a warning in `report` when it was not UTF-8."""
    try:
        data = read_bytes(src)
    except SourceError as error:
        raise UnusableInput(str(error)) from None
    except OSError as error:
        raise UnusableInput(f"Could not read {src}: {error.strerror or error}.") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnusableInput("This is a binary file (a spreadsheet, an archive or an image?), not text.")
    text, warning = decode_text(data)
    if warning:
        report.warn(warning)
    if not text.strip():
        raise UnusableInput("The file is empty.")
    return text


def read_csv_text(text: str, report: LoadReport, *, what: str = "row") -> pd.DataFrame:
    """CSV text -> frame of text with the header's column names (lower-cased) and a `_line`
    column holding each row's line in the file (header = line 1). Rows with more values than
    the header are rejected; short rows are padded, as spreadsheets often drop empty cells."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().lstrip("\ufeff").strip().lower() for cell in record]
                continue
            if len(record) > len(header):
                reject(
                    report, line, f"this {what} has {len(record)} values but the header has {len(header)} columns",
                    "more values than the header has columns",
                )
                continue
            rows.append(record + [""] * (len(header) - len(record)))
            lines.append(line)
    except csv.Error as error:
        reject(report, start, f"could not be read as CSV ({error}); the rest of the file was skipped", "not readable as CSV")
    if header is None:
        raise UnusableInput("The file has no header line.")
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header)
    frame = frame.loc[:, ~frame.columns.duplicated()].fillna("")
    frame["_line"] = lines
    return frame


def drop_exact_duplicates(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    """Keep the first of rows that repeat another exactly, and report each copy by its line."""
    columns = [c for c in frame.columns if c != "_line"]
    copies = frame.duplicated(subset=columns, keep="first")
    if not copies.any():
        return frame
    first_line = frame.groupby(columns, sort=False)["_line"].transform("first")
    for line, original in zip(frame.loc[copies, "_line"], first_line[copies]):
        reject(report, int(line), f"is an exact copy of line {original} (a duplicate); the copy was skipped",
               "an exact copy of an earlier row")  # fmt: skip
    return frame[~copies]


def reject(report: LoadReport, line: int, reason: str, key: str) -> None:
    """Reject a row; an import report also counts it under `key`, the reason without details."""
    if isinstance(report, ImportReport):
        report.reject(line, reason, key)
    else:
        report.reject(line, reason)


# --- values --------------------------------------------------------------------------------


def join_words(parts: Iterable[str], separator: str = ";") -> str:
    """Join non-empty words once each, in first-seen order."""
    return separator.join(dict.fromkeys(p for p in (str(part).strip() for part in parts) if p))


def join_columns(frame: pd.DataFrame, columns: list[str], separator: str = ", ") -> pd.Series:
    """Vectorised join of text columns, skipping empty cells."""
    result = pd.Series("", index=frame.index, dtype=object)
    for column in columns:
        values = frame[column].fillna("").astype(str).str.strip()
        glue = np.where((result != "") & (values != ""), separator, "")
        result = result + glue + values
    return result


def row_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """'a|b|c' per row, empty cells included, so different fields never run together."""
    keys = frame[columns[0]].astype(str)
    for column in columns[1:]:
        keys = keys + "|" + frame[column].astype(str)
    return keys


def stable_ids(keys: pd.Series, prefix: str) -> pd.Series:
    """Short, stable ids from a key per row. Rows sharing a key get -2, -3 ... in file order,
    so ids stay unique (our loader rejects repeated ids) and stable for an unchanged file."""
    digests = keys.map(lambda key: hashlib.sha1(key.encode("utf-8")).hexdigest()[:12])
    ids = prefix + digests
    repeat = ids.groupby(ids).cumcount()
    return ids.where(repeat == 0, ids + "-" + (repeat + 1).astype(str))


US_ZIP = re.compile(r"^(\d{3,5})(?:-?(\d{4}))?$")


def us_postcodes(values: pd.Series) -> tuple[pd.Series, int]:
    """ZIP codes as 5 digits (plus -4 when given), and how many had lost leading zeros.

    Spreadsheets turn 02134 into 2134; a 3- or 4-digit ZIP is always such a number."""
    parts = values.fillna("").astype(str).str.strip().str.extract(US_ZIP)
    matched = parts[0].notna()
    five = parts[0].str.zfill(5)
    plus_four = parts[1].fillna("")
    restored = matched & (parts[0].str.len() < 5)
    normal = five.where(plus_four == "", five + "-" + plus_four)
    return values.where(~matched, normal).fillna(""), int(restored.sum())


def clean_coordinates(frame: pd.DataFrame, report: LoadReport, describe: pd.Series) -> None:
    """Blank coordinates that are not numbers, out of range, or (0, 0), with one warning per row,
    so the loader can place the row from its address instead of rejecting it."""
    lat_text, lon_text = frame["latitude"].astype(str).str.strip(), frame["longitude"].astype(str).str.strip()
    lat, lon = pd.to_numeric(lat_text, errors="coerce"), pd.to_numeric(lon_text, errors="coerce")
    given = (lat_text != "") | (lon_text != "")
    good = (lat.abs() <= 90) & (lon.abs() <= 180) & ~((lat == 0) & (lon == 0))
    bad = given & ~good
    for row in frame.index[bad]:
        report.warn(
            f"{describe[row]}: the coordinates '{_short(lat_text[row])}, {_short(lon_text[row])}' are not a "
            "valid latitude and longitude; they were left blank so the address can be used instead."
        )
    frame["latitude"] = lat_text.where(~bad, "")
    frame["longitude"] = lon_text.where(~bad, "")


def number_text(value: object) -> str:
    """A JSON number or string as text: 38.5 -> '38.5', 12 -> '12', None -> ''."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)  # NaN is not a number we can use
    return str(value).strip()


def plain_text(value: object) -> str:
    """A JSON scalar as text; lists and objects are not text and give ''."""
    if value is None or isinstance(value, (list, dict, bool)):
        return ""
    return str(value).strip()


SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def web_address(value: str) -> str:
    """An http(s) address, adding http:// to a bare 'www.example.org'; '' for anything else."""
    value = value.strip()
    if value and not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE) and "." in value.split("/")[0]:
        value = "http://" + value
    return value if SAFE_URL.match(value) else ""


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """counted(1, "meeting") -> '1 meeting'; counted(1382, "ZIP code") -> '1,382 ZIP codes'."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
