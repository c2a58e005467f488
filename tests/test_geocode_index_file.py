"""The offline town index kept in a file between processes (helpmap/geocoding/index_file.py):
read back, it is the same index; a file made by other code or tables, a damaged one and a
hostile one are never used, and the index is built instead."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from helpmap.geocoding import index_file, tables
from helpmap.geocoding.gazetteer import CityIndex
from helpmap.geocoding.offline import OfflineGeocoder
from helpmap.geocoding.regions import get_regions
from tests.conftest import REPO

QUERIES = ("Leeds", "Richmond, VA", "Mnchester", "München", "Москва", "Springfield", "Dublin", "Whitby, England")


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A folder with the real install-time tables (linked, not copied) and no index file yet."""
    folder = tmp_path / "built"
    folder.mkdir()
    for name in index_file._TABLES:
        (folder / name).symlink_to(tables.BUILT / name)
    monkeypatch.setattr(tables, "BUILT", folder)
    return folder


def answers(index: CityIndex) -> list[tuple]:
    geocoder = OfflineGeocoder()
    geocoder._index = index  # the geocoder as it runs, on the index under test
    return [(p.label, round(p.lat, 4), round(p.lon, 4), [c.label for c in p.candidates]) for p in map(geocoder.geocode, QUERIES)]


def test_the_index_is_written_once_and_read_back_the_same(built):
    first = index_file.load_or_build(get_regions(), 5000, True)
    [path] = built.glob("town_index-*.pickle")
    written = path.stat().st_mtime_ns
    again = index_file.load_or_build(get_regions(), 5000, True)
    assert path.stat().st_mtime_ns == written  # read, not built and written again
    assert again is not first and again.regions is first.regions
    assert pickle.dumps(again) == pickle.dumps(first)
    assert answers(again) == answers(first)
    assert answers(again)[0][0] == "Leeds, England, GB"
    assert not list(built.glob("*.partial"))


def test_a_fresh_process_reads_the_file(built):
    index_file.load_or_build(get_regions(), 5000, True)
    # A new interpreter with the same folder: the file is used (the index is not built there).
    code = (
        "import sys; from helpmap.geocoding import tables, index_file, gazetteer;"
        f"tables.BUILT = __import__('pathlib').Path({str(built)!r});"
        "gazetteer.CityIndex.__init__ = lambda *a, **k: sys.exit('built, not read');"
        "from helpmap.geocoding.regions import get_regions;"
        "print(index_file.load_or_build(get_regions(), 5000, True).label(0))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


class _Canary:
    """Unpickling this would create a file: what a planted pickle could do."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def test_a_file_with_another_key_is_never_unpickled(built, tmp_path):
    canary = tmp_path / "canary"
    path = index_file._path(5000, True)
    path.write_bytes(b"helpmap-town-index 0000\n" + pickle.dumps(_Canary(canary)))
    index = index_file.load_or_build(get_regions(), 5000, True)
    assert not canary.exists()
    assert answers(index)[0][0] == "Leeds, England, GB"
    assert path.read_bytes().startswith(index_file._key(5000, True))  # replaced by a good one


def test_a_damaged_file_is_built_again(built):
    path = index_file._path(5000, True)
    key = index_file._key(5000, True)
    path.write_bytes(key + pickle.dumps(["not", "an", "index"]))
    assert isinstance(index_file.load_or_build(get_regions(), 5000, True), CityIndex)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # truncated: a full disk
    assert answers(index_file.load_or_build(get_regions(), 5000, True))[0][0] == "Leeds, England, GB"


def test_the_key_follows_the_tables_the_index_is_built_from(built, tmp_path):
    before = index_file._key(5000, True)
    other = tmp_path / "other.tsv.gz"
    other.write_bytes((tables.BUILT / "small_towns.tsv.gz").read_bytes() + b"\0")
    (built / "small_towns.tsv.gz").unlink()
    (built / "small_towns.tsv.gz").symlink_to(other)
    assert index_file._key(5000, True) != before
    assert index_file._key(5000, True) != index_file._key(15000, True)


def test_on_a_read_only_install_the_index_lives_in_memory(built, monkeypatch):
    index_file._path(5000, True).mkdir()  # the file's place cannot be written (root ignores modes)
    index = index_file.load_or_build(get_regions(), 5000, True)
    assert answers(index)[0][0] == "Leeds, England, GB"
    assert not list(built.glob("*.partial"))
