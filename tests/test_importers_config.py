"""Importer options in the site config ([[sources]] format = "bmlt", timezone, as_of,
mental_health, taxonomy, formats, kind): checked, and carried to the importer through a
real data source."""

from __future__ import annotations

from pathlib import Path

from helpmap import config
from helpmap.datasources import Catalog
from tests.shared_paths import BMLT_FORMATS, BMLT_MEETINGS, HSDS_MIAMI, SAMHSA_WA


def site(tmp_path: Path, sources: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(sources, encoding="utf-8")
    return path


def test_importer_options_are_read_and_reach_the_importer(tmp_path):
    path = site(tmp_path, f"""
[site]
allow_outside_paths = true  # the real files are read where they are, in ../shared

[[sources]]
location = "{BMLT_MEETINGS}"
format = "bmlt"
formats = "{BMLT_FORMATS}"
timezone = "America/New_York"

[[sources]]
location = "{SAMHSA_WA}"
format = "samhsa"
as_of = "2021-10-13"
mental_health = true

[[sources]]
location = "{HSDS_MIAMI}"
format = "hsds"
[sources.taxonomy]
"PN-8100.4500-240" = "support_group;lgbtq"
""")
    assert config.check_file(path) == []
    bmlt, samhsa, hsds = config.read_file(path).data_sources
    assert bmlt.import_options == {"formats": str(BMLT_FORMATS.resolve()), "default_timezone": "America/New_York"}
    assert samhsa.import_options == {"as_of": "2021-10-13", "mental_health": True}
    assert hsds.import_options == {"taxonomy": {"PN-8100.4500-240": "support_group;lgbtq"}}
    catalog = Catalog(config.read_file(path).data_sources, geocoder=None)
    catalog.refresh()
    assert [status.error for status in catalog.statuses()] == [None, None, None]
    frame = catalog.directory.frame
    wa = frame[frame["source"] == "SAMHSA treatment locator"]
    assert len(wa) == 732 and set(wa["last_verified"]) == {"2021-10-13"}  # MH kept, as_of used
    assert frame["services"].str.contains("lgbtq").any()  # the site's taxonomy term came in


def test_wrong_options_are_each_reported(tmp_path):
    path = site(tmp_path, f"""
[site]
allow_outside_paths = true

[[sources]]
location = "{SAMHSA_WA}"
format = "samhsa"
as_of = "last October"
timezone = "America/New_York"
mental_health = "yes"

[[sources]]
location = "{BMLT_MEETINGS}"
format = "bmlt"
timezone = "Mars/Olympus"

[[sources]]
location = "{HSDS_MIAMI}"
format = "hsds"
taxonomy = {{"RX-8450" = "rehab"}}
""")
    problems = config.check_file(path)
    assert "[[sources]] #1 as_of: 'last October' is not a date like 2021-10-13" in problems
    assert "[[sources]] #1 timezone: is read only for format meeting-guide or bmlt" in problems
    assert "[[sources]] #1 mental_health: should be true or false, not text" in problems
    assert "[[sources]] #2 timezone: 'Mars/Olympus' is not a time zone name like America/New_York" in problems
    assert any(p.startswith("[[sources]] #3 taxonomy: each value starts with one of treatment") for p in problems)
