"""The binary copy of a validated directory: the same rows and report as a fresh load, a new
copy when the data or the code changes, and a broken copy ignored."""

from __future__ import annotations

import pandas as pd
import pytest

from helpmap import directory_cache
from helpmap.config import SourceSettings
from helpmap.datasources import Catalog
from tests.test_datasources import LEEDS, LEEDS_V2


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("HELPMAP_CACHE_DIR", str(folder))
    return folder


def served(path) -> Catalog:
    catalog = Catalog([SourceSettings(str(path))])
    catalog.refresh()
    return catalog


def test_a_restart_reads_the_copy_and_gets_the_same_directory(tmp_path, cache):
    data = tmp_path / "leeds.csv"
    data.write_text(LEEDS + "bad,,treatment,53.8,-1.5,,leeds\n", encoding="utf-8")
    first = served(data).directory
    copies = list(cache.glob("*.feather"))
    assert len(copies) == 1
    second = served(data).directory
    pd.testing.assert_frame_equal(first.frame, second.frame)
    assert second.report.rejected == first.report.rejected and len(first.report.rejected) == 1
    assert second.report.loaded == first.report.loaded == 2


def test_changed_data_makes_a_new_copy(tmp_path, cache):
    data = tmp_path / "leeds.csv"
    data.write_text(LEEDS, encoding="utf-8")
    assert len(served(data).directory) == 2
    data.write_text(LEEDS_V2, encoding="utf-8")
    assert len(served(data).directory) == 3
    assert len(list(cache.glob("*.feather"))) == 2


def test_a_broken_copy_is_ignored_and_rebuilt(tmp_path, cache):
    data = tmp_path / "leeds.csv"
    data.write_text(LEEDS, encoding="utf-8")
    served(data)
    (copy,) = cache.glob("*.feather")
    copy.write_bytes(b"not arrow")
    assert len(served(data).directory) == 2
    assert copy.read_bytes() != b"not arrow"


def test_the_key_follows_the_code(monkeypatch):
    before = directory_cache.key("same data", "helpmap")
    monkeypatch.setattr(directory_cache, "code_digest", lambda: "other code")
    assert directory_cache.key("same data", "helpmap") != before


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPMAP_CACHE_DIR", "off")
    data = tmp_path / "leeds.csv"
    data.write_text(LEEDS, encoding="utf-8")
    assert len(served(data).directory) == 2
    assert directory_cache.folder() is None


def test_low_cardinality_columns_are_categoricals_that_survive_the_copy(tmp_path, cache):
    """Served frames hold kind, region, country and the like as categoricals (one copy of each
    value); the binary copy keeps them so, and readers still see plain strings."""
    from helpmap import directory, referral
    from helpmap.search import Filters, SearchIndex

    data = tmp_path / "mixed.csv"
    data.write_text(
        "id,name,kind,latitude,longitude,region,country,source\n"
        "l1,Leeds Recovery Hub,treatment,53.80,-1.55,England,GB,leeds\n"
        "l2,Leeds Peer Group,support_group,53.79,-1.54,England,GB,leeds\n"
        "d1,Dublin Hub,treatment,53.35,-6.26,,IE,dublin\n",
        encoding="utf-8",
    )
    first = served(data).directory
    second = served(data).directory  # from the copy
    for loaded in (first, second):
        for column in ("kind", "region", "country", "source"):
            assert isinstance(loaded.frame[column].dtype, pd.CategoricalDtype), column
    pd.testing.assert_frame_equal(first.frame, second.frame)
    fresh = directory.load(data).frame  # the loader's own text columns, before compacting
    assert second.frame[fresh.columns].astype(str).equals(fresh.sort_values("latitude", kind="stable").reset_index(drop=True).astype(str))  # fmt: skip
    index = SearchIndex(second.frame)
    row = index.search(53.8, -1.55, 50, Filters(kinds=("treatment",)), limit=5).nearby.iloc[0]
    assert type(row["kind"]) is str and row["kind"] == "treatment"
    # Counted from the rows given, not from the column's categories (IE is one of those).
    assert referral.countries(index.frame[index.frame["id"] == "l1"], "US") == ["GB"]
    assert first.country is None and first.listing_dates is None
