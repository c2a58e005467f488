"""Which format a file is in, from its content, so an importer given the wrong one can say
in one line what the file is and which importer reads it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

COMMAND = "python -m helpmap import {fmt} SRC -o OUT.csv"
NAMES = {
    "samhsa": "a SAMHSA treatment locator export",
    "meeting-guide": "a Meeting Guide feed",
    "bmlt": "a BMLT meeting list",
    "hsds": "an Open Referral HSDS package",
    "helpmap": "a HelpMap directory CSV",
    "csv": "a plain spreadsheet of services",
}


def sniff_json(data: object) -> tuple[str, str] | None:
    """(format, why) for parsed JSON, or None when it is none we know."""
    if isinstance(data, dict):
        if "meetings" in data and _first(data["meetings"], ("weekday_tinyint", "meeting_name", "id_bigint")):
            return "bmlt", "GetSearchResults JSON: meetings with meeting_name and weekday_tinyint"
        if isinstance(data.get("rows"), list) and _first(data["rows"], ("name1", "frid")):
            return "samhsa", "locator JSON: rows with name1 and frid"
        if "resources" in data and ("profile" in data or "name" in data):
            return "hsds", "a datapackage.json descriptor"
        if isinstance(data.get("meetings"), list):
            data = data["meetings"]
    if not isinstance(data, list):
        return None
    if _first(data, ("weekday_tinyint", "meeting_name", "id_bigint")):
        return "bmlt", "GetSearchResults JSON: meetings with meeting_name and weekday_tinyint"
    if _first(data, ("key_string", "name_string")):
        return "bmlt-formats", "a BMLT format table (GetFormats: key_string, name_string)"
    if _first(data, ("name1", "frid")):
        return "samhsa", "locator JSON: rows with name1"
    if _first(data, ("slug", "types", "conference_url", "formatted_address")) and _first(data, ("name",)):
        return "meeting-guide", "meetings with name, slug, day, time and types"
    return None


def sniff_csv_header(columns: list[str]) -> tuple[str, str] | None:
    names = {c.strip().lstrip("\ufeff").strip().lower() for c in columns}
    if {"name1", "street1"} <= names:
        return "samhsa", "a CSV with name1, street1 ..."
    if {"id", "address", "postal"} <= names:
        return "samhsa", "the OTP directory CSV: ID, ADDRESS, POSTAL ..."
    if {"name", "kind"} <= names:
        return "helpmap", "already a HelpMap directory CSV (name, kind ...): check it with `python -m helpmap validate`"
    if {"organization_id", "name"} <= names and ({"status", "email", "url"} & names):
        return "hsds", "its services table: import the whole package folder"
    if {"service_id", "location_id"} <= names:
        return "hsds", "its service_at_location table: import the whole package folder"
    return None


def sniff_text(text: str) -> tuple[str, str] | None:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("[", "{"):
        try:
            return sniff_json(json.loads(stripped))
        except (json.JSONDecodeError, RecursionError):
            return None
    try:
        header = next(csv.reader(io.StringIO(stripped[:20000])))
    except (StopIteration, csv.Error):
        return None
    return sniff_csv_header(header)


def sniff_path(path: Path) -> tuple[str, str] | None:
    if path.is_dir() and (
        (path / "datapackage.json").is_file() or any((path / d / "services.csv").is_file() for d in (".", "data"))
    ):
        return "hsds", "a folder with datapackage.json or services.csv"
    return None


def wrong_format(found: tuple[str, str] | None, expected: str) -> str | None:
    """The one-line refusal when `found` is another format than `expected`, else None."""
    if found is None or found[0] == expected:
        return None
    fmt, why = found
    if fmt == "bmlt-formats":
        return (
            f"This is {why}, not {NAMES.get(expected, expected)}; give it to the BMLT importer with "
            "--formats beside the meeting list."
        )
    if fmt == "helpmap":
        return f"This is {why}, not {NAMES.get(expected, expected)}."
    return (
        f"This is {NAMES[fmt]} ({why}), not {NAMES.get(expected, expected)}; import it with "
        f"`{COMMAND.format(fmt=fmt)}`."
    )


def _first(items: object, keys: tuple[str, ...]) -> bool:
    """Whether the first few objects of a list carry any of `keys`."""
    if not isinstance(items, list):
        return False
    sample = [item for item in items[:5] if isinstance(item, dict)]
    return bool(sample) and any(key in item for item in sample for key in keys)


def refuse(refusal: str | None) -> None:
    """Stop the import with a refusal from wrong_format or refuse_folder; nothing when there is none.
    (Raised without the exception being handled, if any: the refusal says all the reader needs.)"""
    if refusal:
        from . import UnusableInput  # the package's own error; the package imports this module lazily

        raise UnusableInput(refusal) from None


def refuse_folder(src: object, expected: str) -> str | None:
    """The refusal for a folder given to an importer of files (an HSDS package, usually)."""
    path = Path(str(src))
    if str(src).lower().startswith(("http://", "https://")) or not path.is_dir():
        return None
    return wrong_format(sniff_path(path), expected) or f"{path} is a folder, not a file."
