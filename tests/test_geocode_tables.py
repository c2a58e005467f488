"""The geocoder's install-time tables (helpmap/geocoding/tables.py), built from installed
packages' data into real files, and what happens when one is missing, stale or damaged."""

from __future__ import annotations

import gzip
import os

import pytest

from helpmap.geocoding import tables


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "BUILT", tmp_path / "built")
    return tmp_path / "built"


def test_a_missing_table_is_built_on_first_use_and_kept(built):
    calls = []

    def build():
        calls.append(1)
        return [("Keswick", "keswick"), ("Sennen", "sennen")]

    first = tables._table("t.tsv.gz", ("name", "key"), build)
    again = tables._table("t.tsv.gz", ("name", "key"), build)
    assert first == again == {"name": ["Keswick", "Sennen"], "key": ["keswick", "sennen"]}
    assert calls == [1] and (built / "t.tsv.gz").exists()
    assert not list(built.glob("*.partial"))


def test_on_a_read_only_install_the_table_lives_in_memory(built):
    built.mkdir()
    os.chmod(built, 0o500)
    try:
        if os.access(built, os.W_OK):  # root ignores the mode: make the path unusable instead
            (built / "t.tsv.gz").mkdir()
            (built / "t.tsv.gz.partial").mkdir()
        table = tables._table("t.tsv.gz", ("name",), lambda: [("Dingle",)])
        assert table == {"name": ["Dingle"]}
    finally:
        os.chmod(built, 0o700)


def test_a_damaged_table_is_refused_with_the_fix(built):
    built.mkdir()
    (built / "t.tsv.gz").write_bytes(gzip.compress(b"name\tA\tB\nkey\ta\n"))
    with pytest.raises(RuntimeError, match="python -m helpmap.geocoding.tables"):
        tables._table("t.tsv.gz", ("name", "key"), lambda: [])


def test_values_with_tabs_or_line_breaks_stay_one_value(built):
    table = tables._table("t.tsv.gz", ("name",), lambda: [("Tab\there",), ("Line\nbreak",)])
    assert table == {"name": ["Tab here", "Line break"]}


def test_stored_name_keys_are_used_only_for_the_names_they_were_made_from():
    keys = tables.town_name_keys(["Zürich", "St. Louis"])
    assert keys is None  # another list of names: the caller normalises them itself


def test_the_postcode_table_holds_the_districts_the_geocoder_needs():
    rows = {(row["country"], row["code"]): row for row in tables.postcode_rows()}
    assert {("GB", "TR19"), ("GB", "SW1A"), ("IE", "D02"), ("AU", "2000"), ("NZ", "1010"), ("JE", "JE2")} <= set(rows)
    assert rows[("GB", "TR19")]["town"] == "St Just"
    assert -6 < float(rows[("GB", "TR19")]["lon"]) < -5.4  # Land's End, not Truro (-5.05)
    assert len(rows) > 8000


def test_the_small_town_table_has_towns_under_5000_people():
    towns = tables.small_town_columns()
    assert len(towns["name"]) > 100_000
    assert all(int(p) < 5000 for p in towns["population"])
    where = towns["name"].index("Rehoboth Beach")
    assert (towns["country"][where], towns["admin1"][where], towns["key"][where]) == ("US", "DE", "rehoboth beach")
