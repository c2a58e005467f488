"""`python -m helpmap geocode [--offline] [--json] QUERY ...`: the body behind the argparse wiring."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from .chain import GeocoderChain, build_geocoder, settings_from_env
from .model import GeocodeError, Place


GEOCODE_FLAGS = ("--offline", "--json")


def protect_dash_queries(argv: list[str]) -> list[str]:
    """Arguments with queries that start with "-" made safe for argparse, which would read
    "-33.86,151.21" as an unknown option: `geocode "-33.86,151.21"` and
    `search --near "-33.86,151.21"` both work. Other arguments are left as they are."""
    if not argv:
        return argv
    if argv[0] == "geocode" and not {"-h", "--help"} & set(argv[1:]):
        rest = argv[1:]
        if "--" in rest:  # everything after an explicit "--" is a query already
            cut = rest.index("--")
            rest, after = rest[:cut], rest[cut + 1 :]
        else:
            after = []
        flags = [arg for arg in rest if arg in GEOCODE_FLAGS]
        queries = [arg for arg in rest if arg not in GEOCODE_FLAGS]
        return ["geocode", *flags, "--", *queries, *after]
    out = list(argv)
    for i, arg in enumerate(out[:-1]):
        if arg == "--near" and out[i + 1].startswith("-"):
            out[i : i + 2] = [f"--near={out[i + 1]}"]
            break
    return out


def run_cli(queries: list[str], offline: bool, as_json: bool, out: TextIO | None = None) -> int:
    """Geocode each query and print one line per query (JSON objects with as_json) to `out`
    (standard output by default, looked up at call time so that test capture works).
    Returns 0 when every query was found, 1 otherwise, 2 when the geocoder settings are wrong."""
    out = out or sys.stdout
    try:
        geocoder = build_geocoder(None if offline else settings_from_env())
    except ValueError as error:
        print(f"Geocoder settings: {error}", file=sys.stderr)
        return 2
    found = [_answer(geocoder, query, as_json, out) for query in queries]
    return 0 if all(found) else 1


def _answer(geocoder: GeocoderChain, query: str, as_json: bool, out: TextIO) -> bool:
    try:
        place = geocoder.geocode(query)
    except GeocodeError as error:
        out.write(
            (json.dumps({"query": query, "error": error.message}) if as_json else _error_line(query, error))
            + "\n"
        )
        return False
    out.write(
        (json.dumps(_as_record(query, place), ensure_ascii=False) if as_json else _place_line(query, place))
        + "\n"
    )
    return True


def _as_record(query: str, place: Place) -> dict:
    return {
        "query": query,
        "lat": place.lat,
        "lon": place.lon,
        "label": place.label,
        "source": place.source,
        "candidates": [
            {"label": c.label, "lat": c.lat, "lon": c.lon, "country_code": c.country_code}
            for c in place.candidates
        ],
        "country_code": place.country_code,
        "precision": place.precision,
        "notice": place.notice,
        "attribution": place.attribution,
    }


def _place_line(query: str, place: Place) -> str:
    line = f"{query}: {place.lat:.5f}, {place.lon:.5f}  {place.label}  [{place.source}, {place.precision}]"
    details = [
        place.notice,
        f"Did you mean: {'; '.join(c.label for c in place.candidates)}" if place.candidates else None,
        place.attribution,
    ]
    return "\n".join([line, *(f"    {detail}" for detail in details if detail)])


def _error_line(query: str, error: GeocodeError) -> str:
    if "Did you mean" in error.message:  # the message asks already: list the places after it
        suggestions = f" {'; '.join(error.suggestions)}." if len(error.suggestions) > 1 else ""
    else:
        suggestions = f" Did you mean: {'; '.join(error.suggestions)}?" if error.suggestions else ""
    return f"{query}: not found. {error.message}{suggestions}"
