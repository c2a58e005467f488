"""The shipped default directory (data/us-samhsa-2021.csv): valid in our schema, exactly what
tools/build_us_directory.py makes from the public SAMHSA files, and nothing in it made up."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpmap import config, directory, schema
from helpmap.links import tel_href

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data" / "us-samhsa-2021.csv"
SOURCE_DATES = {"2021-07-28", "2021-10-13", "2019-01-01"}


def _load_tool():
    spec = importlib.util.spec_from_file_location("build_us_directory", REPO / "tools" / "build_us_directory.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def sources(shared_data) -> dict[str, pd.DataFrame]:
    """The raw files, read here independently of the build script."""
    download = pd.read_csv(
        shared_data / "real-feeds/samhsa/sedtR__gui_example__wa_mental_health_resource.csv",
        dtype=str, keep_default_na=False, encoding="utf-8-sig",
    )  # fmt: skip
    download.columns = [c.strip() for c in download.columns]
    sample = pd.DataFrame(json.loads((shared_data / "samhsa-locator-sample-charlottesville.json").read_text()))
    return {
        "oeps": pd.read_csv(shared_data / "samhsa-substance-use-treatment-2021.csv", dtype=str, keep_default_na=False),
        "otp": pd.read_csv(shared_data / "samhsa-opioid-treatment-programs-2021.csv", dtype=str,
                           keep_default_na=False, encoding="latin-1"),  # fmt: skip
        "download": download[download["type_facility"].str.strip() == "SA"],
        "sample": sample[sample["typeFacility"] == "SA"].fillna(""),
    }


# --- the schema ---------------------------------------------------------------------------------


def test_the_shipped_file_loads_with_no_row_rejected_and_no_warning():
    loaded = directory.load(SHIPPED, geocoder=None)
    assert loaded.report.fatal is None
    assert loaded.report.rejected == [] and loaded.report.warnings == []
    assert len(loaded) == len(pd.read_csv(SHIPPED, dtype=str)) > 15_000
    frame = loaded.frame
    assert frame["latitude"].notna().all() and frame["longitude"].notna().all()
    assert set(frame["kind"]) == {"treatment"} and loaded.country == "US"
    assert frame["id"].is_unique and frame["id"].str.startswith("us-samhsa-").all()
    assert not loaded.is_demo


def test_every_column_is_ours_or_a_documented_extra(shipped):
    assert list(shipped.columns) == [*schema.COLUMNS, *tool.EXTRA_COLUMNS]
    services = {w for value in shipped["services"] for w in value.split(";") if w}
    payment = {w for value in shipped["payment"] for w in value.split(";") if w}
    assert services <= set(schema.SERVICES) and payment <= set(schema.PAYMENT)


def test_every_listing_is_dated_by_its_sources_and_names_them(shipped):
    assert set(shipped["last_verified"]) <= SOURCE_DATES
    labels = {s.label: s.date for s in tool.SOURCES}
    for named, verified in zip(shipped["source"], shipped["last_verified"]):
        parts = named.split("; ")
        assert parts and all(p in labels for p in parts)
        assert verified == max(labels[p] for p in parts)  # the newest source that lists it
    assert set(shipped["source_url"]) == {"https://findtreatment.gov/"}


def test_the_default_settings_serve_it_in_miles_with_us_help_lines():
    settings = config.follow_data_country(config.load_settings({}), directory.load(SHIPPED, geocoder=None).country)
    assert [s.location for s in settings.data_sources] == [str(SHIPPED)]
    assert (settings.units, settings.country) == ("mi", "US")
    assert settings.default_radius_km == pytest.approx(25 * schema.KM_PER_MILE)


# --- against its sources ---------------------------------------------------------------------------


def test_the_file_is_exactly_what_the_build_script_makes_from_the_sources(shared_data, tmp_path):
    rebuilt = tmp_path / "us.csv"
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_us_directory.py"), "--shared", str(shared_data), "-o", str(rebuilt)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert rebuilt.read_bytes() == SHIPPED.read_bytes(), "data/us-samhsa-2021.csv is out of date: rebuild it"
    for heading in ("## Rows per source", "## How rows matched", "## The directory"):
        assert heading in result.stdout
    assert result.stdout.split("## Rows per source")[1].split("Wrote")[0].strip() in (
        REPO / "data" / "README.md"
    ).read_text(encoding="utf-8"), "data/README.md should carry the build report as printed"


def test_every_oeps_facility_is_in_it(shipped, sources):
    """The base file's facilities are all kept (only copies within 1.5 km are folded together)."""
    listed = set(zip(shipped["name"].map(tool.name_key), shipped["postcode"]))
    oeps = sources["oeps"]
    keys = set(zip(oeps["name1"].map(tool.name_key), oeps["zip"].map(tool.zip5)))
    missing = keys - listed
    assert not missing, sorted(missing)[:5]
    assert len(shipped) >= oeps.drop_duplicates().shape[0] - 20  # 4 exact and 10 near copies in the file


def test_counts_match_the_sources(shipped, sources):
    assert len(sources["oeps"]) == 14_034 and len(sources["otp"]) == 1_831
    assert len(sources["download"]) == 11_382 and len(sources["sample"]) == 14
    # Every OTP is marked, once each: 1,831 rows, one a copy; one more is marked by the locator sample.
    assert shipped["opioid_treatment_programme"].eq("yes").sum() in range(1_830, 1_832 + 1)
    # Facilities with a phone are those the 2021 download (or the sample) lists: no more.
    assert shipped["phone"].ne("").sum() <= len(sources["download"]) + len(sources["sample"])


def test_phones_only_where_a_source_had_one_for_that_facility(shipped, sources):
    had = {}
    for name in ("download", "sample"):
        frame = sources[name]
        for name1, zip_code, phone in zip(frame["name1"], frame["zip"], frame["phone"]):
            had.setdefault((tool.name_key(name1), tool.zip5(zip_code)), set()).add(phone.strip())
    with_phone = shipped[shipped["phone"] != ""]
    assert len(with_phone) > 11_000
    for name, postcode, phone in zip(with_phone["name"], with_phone["postcode"], with_phone["phone"]):
        assert phone in had.get((tool.name_key(name), postcode), set()), (name, postcode, phone)
    only_oeps_or_otp = ~shipped["source"].str.contains("download|sample")
    assert (shipped.loc[only_oeps_or_otp, "phone"] == "").all()
    assert with_phone["phone"].map(tel_href).notna().all()  # every one is a tap-to-call link


def test_no_invented_values(shipped, sources):
    """Websites, intake lines, names, places and coordinates all come from a source row."""
    download, sample = sources["download"], sources["sample"]
    websites = {w.strip().lower().rstrip("/") for w in [*download["website"], *sample["website"]]}
    for website in shipped.loc[shipped["website"] != "", "website"]:
        assert website.lower().rstrip("/") in websites, website
    assert "http://" not in set(shipped["website"]) and not shipped["website"].str.fullmatch(r"https?://(NA|N/A)?").any()
    intakes = {p.strip() for p in [*download["intake1"], *download["intake2"], *sample["intake1"]] if p}
    for value in shipped.loc[shipped["intake_phone"] != "", "intake_phone"]:
        assert set(value.split(";")) <= intakes, value
    names = {tool.clean(n) for n in [*sources["oeps"]["name1"], *sources["otp"]["ID"], *download["name1"], *sample["name1"]]}
    assert set(shipped["name"]) <= names
    points = {
        (round(float(a), 6), round(float(b), 6))
        for frame, lat, lon in ((sources["oeps"], "latitude", "longitude"), (sources["otp"], "Latitude", "Longitude"),
                                (download, "latitude", "longitude"))  # fmt: skip
        for a, b in zip(frame[lat], frame[lon])
    }
    shipped_points = set(zip(shipped["latitude"].astype(float).round(6), shipped["longitude"].astype(float).round(6)))
    assert shipped_points <= points
    assert (shipped["country"] == "US").all() and (shipped["approximate"] == "").all()
    assert (shipped["hours"] == "").all() and (shipped["email"] == "").all()  # no source has them


def test_methadone_clinics_are_marked_only_from_the_otp_directory_or_the_locators_codes(shipped, sources):
    marked = shipped[shipped["opioid_treatment_programme"] == "yes"]
    assert marked["services"].str.contains("moud").all()
    assert marked["source"].str.contains("opioid treatment program directory|sample").all()
    assert "SAMHSA-certified opioid treatment program" in " ".join(marked["description"])
    named = shipped[shipped["opioid_medication"] != ""]
    assert named["source"].str.contains("sample").all()  # only the locator's codes name medicines


def test_a_merged_facility_carries_the_phone_website_and_services_of_its_sources(shipped):
    """Region Ten's Mohr Center, Charlottesville: in the OEPS file (no phone), the 2021 download
    (phone, website) and the 2019 sample (service codes), so one row with all of them."""
    row = shipped[(shipped["name"] == "Region Ten Community Services Board") & (shipped["description"] == "Mohr Center")]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["phone"] == "434-979-8871" and row["website"] == "http://www.regionten.org"
    assert "residential" in row["services"].split(";") and row["service_codes"]
    assert row["last_verified"] == "2021-10-13" and row["source"].count(";") == 2


# --- the tool's rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("NA", ""), ("N/A", ""), ("http://", ""), (" 206-744-3000 ", "206-744-3000"), ("Seattle  WA", "Seattle WA")],
)
def test_missing_values_written_by_r_are_empty(raw, clean):
    assert tool.clean(raw) == clean


def test_keys_ignore_spelling_that_does_not_tell_facilities_apart():
    assert tool.street_key("1014 East Market Street") == tool.street_key("1014 E. Market St")
    assert tool.name_key("Region Ten Community Services Board, Inc.") == tool.name_key("region ten community services board")
    assert tool.zip5("8879") == "08879" and tool.zip5("20602-1234") == "20602"
