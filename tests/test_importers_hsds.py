"""HSDS importer on the specification's example package (../shared/specs/hsds, fictional data,
CC BY-SA 4.0) and on our own fictional package with several services, and hostile input."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from helpmap import schema
from helpmap.importers import FORMATS, run_import
from helpmap.importers.hsds import day_ranges, kind_from_words, opening_hours, wheelchair_from_text
from helpmap.report import EXIT_SOME_REJECTED, EXIT_UNUSABLE
from helpmap.schedule import parse_hours
from tests.shared_paths import FIXTURES, HSDS_EXAMPLE, SHARED_SPECS

PACKAGE = FIXTURES / "hsds" / "example-recovery"
import_hsds = FORMATS["hsds"]


@pytest.fixture(scope="module")
def example():
    # The example's service ("Community Counselling") has no taxonomy term and no word of
    # substance use: outside HelpMap's scope, unless a site says otherwise ("default" in the
    # site config's taxonomy mapping), as here, so its fields can be checked.
    return import_hsds(HSDS_EXAMPLE, taxonomy={"default": "treatment;counselling"})


@pytest.fixture(scope="module")
def recovery():
    return import_hsds(PACKAGE)


def by_id(result, ident: str) -> pd.Series:
    rows = result.frame[result.frame["id"] == ident]
    assert len(rows) == 1
    return rows.iloc[0]


# --- the specification's example package ---------------------------------------------------


def test_example_package_gives_one_row_per_service_at_location(example):
    assert example.report.fatal is None and example.report.rejected == []
    assert len(example.frame) == 1 == example.report.loaded
    assert list(example.frame.columns) == list(schema.COLUMNS)
    assert all(isinstance(v, str) for v in example.frame.to_numpy().ravel())


def test_example_package_row_fields(example):
    row = example.frame.iloc[0]
    assert row["id"] == "hsds-e94c9f38-1e8f-4564-91d4-d53501ab1765"
    assert (row["name"], row["kind"], row["organization"]) == (
        "Community Counselling", "treatment", "Example Organization Inc.",
    )  # fmt: skip
    assert row["services"] == "counselling"
    assert (row["address"], row["city"], row["region"], row["postcode"], row["country"]) == (
        "1-30 Main Street, MyVillage", "MyCity", "MyState", "ABC 1234", "US",
    )  # fmt: skip
    assert (row["phone"], row["website"], row["email"]) == (
        "+44 1234 234567 ext. 100", "http://example.com/counselling", "email@example.com",
    )  # fmt: skip
    assert row["hours"] == "Th,Fr 10:00-18:00"
    assert (row["languages"], row["wheelchair"], row["min_age"], row["max_age"]) == (
        "Urdu",
        "yes",
        "12",
        "100",
    )
    assert (row["attendance"], row["last_verified"]) == ("in_person", "2005-01-01")
    assert row["description"].startswith(
        "Counselling Services provided by trained professionals in the MyCity area. Who it is for: This service "
        "is intended for all people aged 12 and over"
    )
    # every service field a person can use is in the words of the card (since issue 12)
    for part in ("Location: MyCity Civic Center. Getting there: MyCity Civic Center is serviced by the number 1 Bus",
                 "Fees: Non-NHS patients", "How to apply: If you are an NHS patient",
                 "Interpreters: Interpretation services are available in Urdu", "Accreditations: All of our"):
        assert part in row["description"]
    assert row["source"] == "HSDS package: examples-csv"


def test_example_package_impossible_coordinates_are_blanked_and_the_descriptor_explained(example):
    row = example.frame.iloc[0]
    assert (row["latitude"], row["longitude"]) == ("", "")  # the example says 100, 101
    warnings = example.report.warnings
    assert any("the coordinates '100, 101' are not a valid latitude and longitude" in w for w in warnings)
    assert any(
        w.startswith("datapackage.json is not a JSON object (it starts '../../datapackage.json'")
        for w in warnings
    )


def test_the_schema_descriptor_alone_is_not_a_package():
    result = import_hsds(SHARED_SPECS / "hsds" / "datapackage.json")
    assert result.report.fatal.startswith("The package has no service_at_location.csv")


# --- our fictional package -----------------------------------------------------------------


def test_package_rows_rejections_and_warnings(recovery):
    assert recovery.report.fatal is None
    assert list(recovery.frame["id"]) == ["hsds-sal-1", "hsds-sal-2", "hsds-sal-3", "hsds-sal-5"]
    assert [(r.line, r.reason) for r in recovery.report.rejected] == [
        (5, "service_at_location.csv line 5 (Example Closed Service): the service's status is 'inactive'"),
        (7, "service_at_location.csv line 7: the location 'loc-missing' is not in locations.csv"),
    ]
    assert recovery.report.warnings == [
        (
            "1 service with no location in service_at_location.csv, so not imported (a directory row needs "
            "a place or an online link): Example Service Without A Place"
        ),
        (
            "1 schedule could not be written as weekly opening hours (they need byday, opens_at and "
            "closes_at); the description gives them as text instead."
        ),
    ]
    assert set(recovery.frame["source"]) == {"HSDS package: Example Recovery Services (fictional test data)"}
    assert set(recovery.frame["source_url"]) == {"https://example.org/hsds"}


def test_clinic_joins_service_location_address_phone_hours_and_languages(recovery):
    clinic = by_id(recovery, "hsds-sal-1")
    assert (clinic["name"], clinic["kind"], clinic["services"]) == (
        "Example Outpatient Clinic",
        "treatment",
        "medication;moud;outpatient",  # "methadone" in its description (read since issue 12)
    )
    assert (clinic["address"], clinic["city"], clinic["region"], clinic["postcode"], clinic["country"]) == (
        "1 Example Plaza, Floor 2",
        "New York",
        "NY",
        "10007",
        "US",
    )  # fmt: skip  (the physical address, not the PO box)
    assert (clinic["latitude"], clinic["longitude"]) == ("40.7128", "-74.0060")
    assert clinic["phone"] == "+1 212-555-0111"  # the service's phone before the location's
    assert clinic["hours"] == "Mo-Fr 09:00-17:00; Sa 10:00-14:00"
    assert (clinic["languages"], clinic["wheelchair"]) == ("English;Spanish", "yes")
    assert (clinic["website"], clinic["email"], clinic["min_age"], clinic["last_verified"]) == (
        "https://example.org/clinic", "clinic@example.org", "18", "2024-05-02",
    )  # fmt: skip
    assert clinic["description"] == (
        "Outpatient counselling and methadone treatment. Location: Example Health Centre. "
        "Fees: Free for local residents. Access: Step-free entrance and a lift to all floors."
    )


def test_taxonomy_terms_make_a_harm_reduction_service(recovery):
    drop_in = by_id(recovery, "hsds-sal-2")
    assert (drop_in["kind"], drop_in["services"]) == ("harm_reduction", "needle_exchange")
    assert drop_in["hours"] == "Mo,We,Fr 12:00-14:00,16:00-18:00"
    assert (drop_in["phone"], drop_in["website"]) == (
        "+1 617-555-0199",
        "https://hr.example.org",
    )  # organisation's
    assert (drop_in["latitude"], drop_in["postcode"]) == ("", "02110")  # geocoded later from the address
    assert (drop_in["languages"], drop_in["wheelchair"]) == ("Portuguese", "no")
    assert drop_in["last_verified"] == "2024-01-10"


def test_a_group_name_makes_a_support_group_and_odd_schedules_become_text(recovery):
    group = by_id(recovery, "hsds-sal-3")
    assert (group["kind"], group["services"], group["hours"]) == ("support_group", "peer_support", "")
    assert group["phone"] == "+1 212-555-0133 ext. 7"  # the phone of the service at that location
    assert (group["min_age"], group["max_age"]) == ("16", "25")
    assert "Hours: First day of each month." in group["description"]


def test_a_virtual_location_makes_an_online_service(recovery):
    online = by_id(recovery, "hsds-sal-5")
    assert (online["attendance"], online["online_url"]) == ("online", "https://video.example.org/room")
    assert (online["address"], online["latitude"], online["description"]) == ("", "", "Video sessions.")


def test_run_import_round_trips_and_keeps_leading_zeros(tmp_path, recovery):
    out = tmp_path / "hsds.csv"
    report = run_import("hsds", PACKAGE, out)
    assert report.loaded == 4 and report.exit_code == EXIT_SOME_REJECTED
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, recovery.frame.reset_index(drop=True), check_dtype=False)
    assert back.loc[back["id"] == "hsds-sal-2", "postcode"].item() == "02110"


def test_the_descriptor_path_works_like_the_folder(recovery):
    assert import_hsds(PACKAGE / "datapackage.json").frame.equals(recovery.frame)


# --- hours and words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "text"),
    [
        ([0, 1, 2, 3, 4], "Mo-Fr"),
        ([0, 1, 2, 3, 4, 6], "Mo-Fr,Su"),
        ([0, 2, 4], "Mo,We,Fr"),
        ([5, 6], "Sa,Su"),
    ],
)
def test_day_ranges(days, text):
    assert day_ranges(days) == text


def test_opening_hours_are_readable_by_our_schedule_module():
    schedules = [
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "08:30:00", "closes_at": "12:00:00"},
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "13:00", "closes_at": "17:00"},
        {"freq": "WEEKLY", "byday": "SU", "opens_at": "22:00", "closes_at": "02:00"},
        {"freq": "MONTHLY", "byday": "1MO", "opens_at": "09:00", "closes_at": "10:00"},
        {
            "freq": "WEEKLY",
            "byday": "XX",
            "opens_at": "09:00",
            "closes_at": "10:00",
            "description": "By appointment",
        },
    ]
    hours, leftover = opening_hours(schedules)
    assert hours == "Mo-Fr 08:30-12:00,13:00-17:00; Su 22:00-02:00"
    assert leftover == ["monthly on 1MO from 09:00 to 10:00", "By appointment"]
    assert len(parse_hours(hours)) == 11


def test_words_for_kind_and_wheelchair():
    assert kind_from_words("Example Naloxone Distribution") == "harm_reduction"
    assert kind_from_words("Example SMART Recovery meeting") == "support_group"
    assert kind_from_words("Example Counselling") == "treatment"
    assert wheelchair_from_text("Wheelchair access on all levels.") == "yes"
    assert wheelchair_from_text("Not wheelchair accessible.") == "no"
    assert wheelchair_from_text("Induction loop.") == ""


# --- hostile input -------------------------------------------------------------------------


def copy_package(tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(PACKAGE, folder)
    return folder


def test_missing_folder_url_and_required_table_are_fatal(tmp_path):
    assert "There is no HSDS package folder" in import_hsds(tmp_path / "nothing").report.fatal
    assert "download it first" in import_hsds("https://example.org/hsds").report.fatal
    folder = copy_package(tmp_path)
    (folder / "services.csv").unlink()
    report = run_import("hsds", folder, tmp_path / "out.csv")
    assert report.fatal.startswith("The package has no services.csv") and report.exit_code == EXIT_UNUSABLE
    assert not (tmp_path / "out.csv").exists()


def test_broken_descriptor_given_directly_is_fatal(tmp_path):
    folder = copy_package(tmp_path)
    (folder / "datapackage.json").write_text("[1, 2, 3]", encoding="utf-8")
    assert import_hsds(folder / "datapackage.json").report.fatal == (
        "datapackage.json is not a data package descriptor (a JSON object)."
    )


def test_garbage_tables_are_reported_not_raised(tmp_path):
    folder = copy_package(tmp_path)
    (folder / "phones.csv").write_bytes(b"\x00\x01binary")
    (folder / "schedules.csv").write_text("", encoding="utf-8")
    (folder / "languages.csv").write_text('id,service_id,name\nl1,svc-clinic,"unclosed\n', encoding="utf-8")
    result = import_hsds(folder)
    assert result.report.fatal is None and len(result.frame) == 4
    assert "phones.csv could not be used (This is a binary file" in " ".join(result.report.warnings)
    assert set(result.frame["phone"]) == {""} and set(result.frame["hours"]) == {""}
    (folder / "service_at_location.csv").write_text("<html>not a table</html>\n", encoding="utf-8")
    assert import_hsds(folder).report.fatal is not None


def test_the_input_package_is_not_modified(tmp_path):
    before = {p.name: p.read_bytes() for p in PACKAGE.iterdir()}
    import_hsds(PACKAGE)
    run_import("hsds", PACKAGE, tmp_path / "out.csv")
    assert before == {p.name: p.read_bytes() for p in PACKAGE.iterdir()}
