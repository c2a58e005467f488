"""HSDS importer on the specification's example package (../shared/specs/hsds, fictional data,
CC BY-SA 4.0) and on our own fictional package with several services, and hostile input."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from helpmap import schema
from helpmap.importers import FORMATS, run_import
from helpmap.importers.hsds import day_ranges, opening_hours, wheelchair_from_text
from helpmap.importers.taxonomy import decide_words
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
        "outpatient",
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
    assert decide_words("Example Naloxone Distribution", []) == ("harm_reduction", ())
    assert decide_words("Example SMART Recovery meeting", []) == ("support_group", ("peer_support",))
    # general counselling is not substance use help (since issue 12), unless a site says so
    assert decide_words("Example Counselling", []) == ("out", ())
    assert decide_words("Example Counselling", [("default", "treatment", ("counselling",))]) == (
        "treatment", ("counselling",),
    )  # fmt: skip
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


# --- a real HSDS 1.x package (../shared/data/real-feeds/hsds/open211-miami-2019, issue 12) --

import csv  # noqa: E402
from collections import defaultdict  # noqa: E402

from helpmap.importers.taxonomy import OUT, decide_term  # noqa: E402
from tests.shared_paths import HSDS_MIAMI, SAMHSA_WA  # noqa: E402

MIAMI_DATA = HSDS_MIAMI / "data"


def miami_table(name: str) -> list[dict]:
    with (MIAMI_DATA / name).open(encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def miami():
    return import_hsds(HSDS_MIAMI)


def test_a_package_with_its_tables_under_data_is_read_through_its_descriptor(miami):
    assert miami.report.fatal is None
    assert set(miami.frame["source"]) == {"HSDS package: Human Services Data Specification Template"}  # its title
    read = {use.field.split(":")[0] for use in miami.report.fields}
    assert {"services.csv", "services_at_location.csv", "physical_addresses.csv", "regular_schedules.csv",
            "services_taxonomy.csv", "taxonomy.csv", "languages.csv", "accessibility_for_disabilities.csv",
            "eligibility.csv", "contacts.csv", "phones.csv", "locations.csv", "organizations.csv"} <= read  # fmt: skip


def test_only_substance_use_services_come_in_and_the_rest_is_counted(miami):
    services = len(miami_table("services_at_location.csv"))
    assert services == 4089
    assert miami.report.loaded + sum(miami.report.left_out.values()) == services
    assert 150 < miami.report.loaded < 400  # a 211 directory is mostly other help
    (reason,) = miami.report.left_out
    assert reason.startswith("outside HelpMap's scope")
    # checked against the raw tables: every imported service has a term that means substance use
    # help, and no service without one came in (food banks, youth clubs ...)
    terms = defaultdict(list)
    names = {row["id"]: row["name"] for row in miami_table("taxonomy.csv")}
    for link in miami_table("services_taxonomy.csv"):
        terms[link["service_id"]].append((link["taxonomy_id"], names.get(link["taxonomy_id"], "")))
    in_scope = {sid for sid, found in terms.items() if any(decide_term(c, n, []).kind != OUT for c, n in found)}
    imported = set(miami.frame["id"].str.removeprefix("hsds-"))  # service_at_location ids equal service ids here
    tagged = imported & set(terms)
    assert tagged <= in_scope and len(tagged) > 150
    # the few without any term came in by their name alone (Alcoholics Anonymous ...)
    untagged = miami.frame[~miami.frame["id"].str.removeprefix("hsds-").isin(terms)]
    assert len(untagged) < 20 and "ALCOHOLICS ANONYMOUS" in set(untagged["name"])
    assert "136" not in imported  # the Girl Scouts
    assert set(miami.frame["kind"]) == {"treatment", "support_group"}


def test_the_taxonomy_mapping_is_shown_in_the_report(miami):
    assert any(
        note.startswith("taxonomy: RX-8450.1150-180 Comprehensive Outpatient Drug Use Disorder Treatment -> "
                        "treatment (outpatient), ")
        for note in miami.report.notes
    )  # fmt: skip
    assert any(note.startswith("taxonomy: PN-8100.0500-070 Alcohol Use Disorder Support Groups -> support_group")
               for note in miami.report.notes)  # fmt: skip


def test_1x_fields_schedules_languages_accessibility(miami):
    salvation = by_id(miami, "hsds-149")
    # regular_schedules: five rows, weekday Monday..Friday, "8:30am"-"4:30pm"
    assert salvation["hours"] == "Mo-Fr 08:30-16:30"
    assert salvation["languages"] == "English;Spanish;Creole"  # languages.language
    assert salvation["wheelchair"] == "yes"  # accessibility_for_disabilities: "Handicap accessible"
    assert "Access: Handicap accessible." in salvation["description"]
    assert (salvation["kind"], salvation["services"]) == ("treatment", "residential;counselling")
    assert (salvation["address"], salvation["city"], salvation["region"], salvation["postcode"]) == (
        "1907 NW 38th Street", "Miami", "FL", "33142",
    )  # fmt: skip
    assert salvation["phone"] == "305-637-6700"
    assert "How to apply: Contact the Social Services Department" in salvation["description"]


def test_what_cannot_be_carried_is_counted(miami):
    not_carried = {use.field: use.rows for use in miami.report.not_carried}
    # eligibility rows in this export have no service_id: nothing to attach them to
    assert not_carried["eligibility.csv: rows linked to nothing"] == 2244
    assert not_carried["contacts.csv:name"] == 4056  # staff names are not listed
    assert not_carried["locations.csv:description"] == 4088


def test_a_site_mapping_adds_and_removes_terms():
    mapped = import_hsds(HSDS_MIAMI, taxonomy={
        "PN-8100.4500-240": "support_group;lgbtq",  # LGBT support groups, by code
        "Comprehensive Outpatient Drug Use Disorder Treatment": "out",  # by name
    })  # fmt: skip
    plain_notes = " ".join(import_hsds(HSDS_MIAMI).report.notes)
    assert "PN-8100.4500-240" not in plain_notes
    assert any(n.startswith("taxonomy: PN-8100.4500-240") and "[site config" in n for n in mapped.report.notes)
    assert not any(n.startswith("taxonomy: RX-8450.1150-180 ") for n in mapped.report.notes)
    assert (mapped.frame["services"].str.contains("lgbtq")).any()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ages 18-64 years", ("18", "64", "")), ("Adults 18 years and older", ("18", "", "")),
     ("Women only", ("", "", "women")), ("Men and women", ("", "", "")), ("Crime victims", ("", "", ""))],
)  # fmt: skip
def test_eligibility_text_gives_ages_and_gender_when_plain(text, expected):
    from helpmap.importers.hsds import eligibility_limits

    assert eligibility_limits(text) == expected


def test_a_samhsa_file_given_as_hsds_says_what_it_is():
    fatal = import_hsds(SAMHSA_WA).report.fatal
    assert fatal.startswith("This is a SAMHSA treatment locator export")
    assert "`python -m helpmap import samhsa SRC -o OUT.csv`" in fatal
