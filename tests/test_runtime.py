"""The process-wide state in helpmap.runtime: one catalog per configuration, never pushed out
by the indexes that each refresh builds, and a new one when the configuration changes."""

from __future__ import annotations

from helpmap import runtime
from tests.test_datasources import LEEDS, LEEDS_V2


def test_the_catalog_outlives_many_refreshes_and_follows_the_configuration(tmp_path, monkeypatch):
    for name in ("HELPMAP_CONFIG", "HELPMAP_COUNTRY", "HELPMAP_GEOCODER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HELPMAP_CACHE_DIR", "off")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(LEEDS, encoding="utf-8")
    second.write_text(LEEDS_V2, encoding="utf-8")
    monkeypatch.setenv("HELPMAP_DATA", str(first))
    catalog = runtime.catalog()
    assert len(runtime.loaded_directory()) == 2
    for version in range(40):  # as if the source changed forty times: forty indexes
        runtime._once("index", f"refresh-{version}", lambda: object())
    assert runtime.catalog() is catalog  # the last good copy is still the one in use
    assert len(runtime._built["index"]) <= runtime._KEEP_PER_NAME

    monkeypatch.setenv("HELPMAP_DATA", str(second))
    assert runtime.catalog() is not catalog and len(runtime.loaded_directory()) == 3
    assert runtime.search_index() is runtime.search_index()  # built once per data version
