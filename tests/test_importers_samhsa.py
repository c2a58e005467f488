"""SAMHSA importer on the real files in ../shared/data: counts, known records, and hostile input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time

import pandas as pd
import pytest

from helpmap import directory, schema
from helpmap.importers import FORMATS, run_import
from helpmap.importers.samhsa import age_range, gender_accepted
from helpmap.report import EXIT_SOME_REJECTED, EXIT_UNUSABLE
from tests.shared_paths import REPO, SAMHSA_CSV, SAMHSA_JSON, SAMHSA_OTP

import_samhsa = FORMATS["samhsa"]


@pytest.fixture(scope="module")
def locator():
    return import_samhsa(SAMHSA_CSV)


@pytest.fixture(scope="module")
def otp():
    return import_samhsa(SAMHSA_OTP)


@pytest.fixture(scope="module")
def sample():
    # mental-health-only listings kept (a site's choice), so every row of the file can be checked
    return import_samhsa(SAMHSA_JSON, mental_health=True)


def file_date(path) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).date().isoformat()


def row_named(frame: pd.DataFrame, name: str, **fields) -> pd.Series:
    match = frame["name"] == name
    for column, value in fields.items():
        match &= frame[column] == value
    assert match.sum() == 1, f"{match.sum()} rows named {name!r} with {fields}"
    return frame[match].iloc[0]


def assert_schema_frame(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(schema.COLUMNS)
    assert all(isinstance(value, str) for value in frame.to_numpy().ravel())
    assert frame["id"].is_unique


# --- the treatment locator CSV (OEPS 2021) -------------------------------------------------


def test_locator_csv_keeps_14030_rows_and_reports_the_4_exact_duplicates(locator):
    assert locator.report.fatal is None
    assert len(locator.frame) == 14_030 == locator.report.loaded
    assert [(r.line, r.reason) for r in locator.report.rejected] == [
        (925, "is an exact copy of line 924 (a duplicate); the copy was skipped"),
        (5260, "is an exact copy of line 5259 (a duplicate); the copy was skipped"),
        (10594, "is an exact copy of line 10593 (a duplicate); the copy was skipped"),
        (13174, "is an exact copy of line 13173 (a duplicate); the copy was skipped"),
    ]
    assert_schema_frame(locator.frame)
    assert (locator.frame["name"] == "Alpine County").sum() == 1  # one of the duplicated pair kept


def test_locator_csv_first_row_fields(locator):
    first = locator.frame.iloc[0]
    assert first["id"].startswith("samhsa-") and len(first["id"]) == len("samhsa-") + 12
    assert (first["name"], first["kind"], first["address"], first["city"], first["region"]) == (
        "A New Beginning", "treatment", "122 Helton Court", "Florence", "AL",
    )  # fmt: skip
    assert (first["postcode"], first["country"], first["latitude"], first["longitude"]) == (
        "35630", "US", "34.832909", "-87.66639",
    )  # fmt: skip
    assert first["source"] == "SAMHSA treatment locator"
    assert first["source_url"] == "https://findtreatment.gov/"
    assert first["last_verified"] == file_date(SAMHSA_CSV)  # the file's own date, no fixed year
    assert first["description"] == first["services"] == first["phone"] == ""


def test_name2_becomes_the_description_and_street2_joins_the_address(locator):
    thrive = row_named(locator.frame, "AIDS Action Coalition")
    assert thrive["description"] == "DBA Thrive Alabama"
    assert thrive["address"] == "600 Saint Clair Avenue, Building 9 Suite 23"
    assert thrive["organization"] == ""


def test_zip_codes_that_lost_leading_zeros_get_them_back(locator):
    # New Jersey's 087xx and Puerto Rico's 009xx were stored as 4- and 3-digit numbers.
    assert row_named(locator.frame, "Crossroads of NJ Management LLC")["postcode"] == "08755"
    posada = row_named(locator.frame, "Hogar Posada la Victoria Inc")
    assert (posada["postcode"], posada["region"]) == ("00953", "PR")
    assert posada["address"] == "Carretera 827 Km 6, Hectómetro 7 Barrio Ortiz"  # UTF-8 kept
    assert "1,382 ZIP codes had lost leading zeros" in " ".join(locator.report.warnings)
    assert locator.frame["postcode"].str.fullmatch(r"\d{5}").all()


def test_same_name_and_address_with_other_coordinates_are_kept_with_distinct_ids(locator):
    beachway = locator.frame[locator.frame["name"] == "Beachway Therapy Center LLC"]
    assert len(beachway) == 2
    assert beachway["id"].iloc[1] == beachway["id"].iloc[0] + "-2"
    warning = next(w for w in locator.report.warnings if "id ending -2" in w)
    assert warning.startswith("3 rows with the same name and address")
    assert "line 3021 (Beachway Therapy Center LLC)" in warning


def test_ids_are_stable_between_imports(locator):
    again = import_samhsa(SAMHSA_CSV)
    assert again.frame["id"].equals(locator.frame["id"])


def test_locator_csv_imports_in_well_under_two_seconds():
    start = time.perf_counter()
    result = import_samhsa(SAMHSA_CSV)
    assert len(result.frame) == 14_030
    assert time.perf_counter() - start < 2.0


# --- the OTP directory ---------------------------------------------------------------------


def test_otp_directory_is_read_as_latin_1_with_a_warning(otp):
    assert otp.report.fatal is None
    assert len(otp.frame) == 1_830  # 1,831 rows, one an exact copy
    assert [(r.line, r.reason) for r in otp.report.rejected] == [
        (1548, "is an exact copy of line 1547 (a duplicate); the copy was skipped")
    ]
    assert any(w.startswith("The file is not UTF-8") for w in otp.report.warnings)
    cayey = row_named(otp.frame, "Clínica de Tratamiento Integral Asistido con Medicamentos Cayey")
    assert (cayey["address"], cayey["city"], cayey["region"], cayey["postcode"]) == (
        "Ave. Jose' de Diego #392 Oeste", "Cayey", "PR", "00736",
    )  # fmt: skip
    assert_schema_frame(otp.frame)


def test_otp_rows_are_methadone_clinics_with_their_source(otp):
    first = otp.frame.iloc[0]
    assert (first["name"], first["address"], first["city"], first["region"], first["postcode"]) == (
        "11100 Billingsley Road OPCO LLC", "11100 Billingsley Road", "Waldorf", "MD", "20602",
    )  # fmt: skip
    assert (first["latitude"], first["longitude"]) == ("38.5886110", "-76.92607226")
    assert set(otp.frame["services"]) == {"medication;moud"}
    assert set(otp.frame["kind"]) == {"treatment"}
    assert set(otp.frame["source"]) == {"SAMHSA OTP directory"}
    assert set(otp.frame["last_verified"]) == {file_date(SAMHSA_OTP)}


def test_otp_zip_codes_keep_zeros_and_zip_plus_four(otp):
    assert row_named(otp.frame, "9 Village Inn Opco, LLC")["postcode"] == "01441"  # Massachusetts
    assert row_named(otp.frame, "5034 Atlantic Ave OPCO, LLC")["postcode"] == "08879"  # New Jersey
    assert (otp.frame["postcode"] == "75711-6367").sum() == 1
    assert "232 ZIP codes had lost leading zeros" in " ".join(otp.report.warnings)


# --- the locator's JSON rows (2019 sample) -------------------------------------------------


def test_json_sample_has_30_facilities_and_nothing_unrecognised(sample):
    assert sample.report.fatal is None and sample.report.rejected == []
    assert len(sample.frame) == 30
    assert_schema_frame(sample.frame)
    assert not any("not recognised" in w for w in sample.report.warnings)
    left_out = next(w for w in sample.report.warnings if w.startswith("Details with no HelpMap column"))
    assert "License/Certification/Accreditation (LCA): 7" in left_out
    assert set(sample.frame["source"]) == {"SAMHSA locator (JSON)"}
    assert set(sample.frame["last_verified"]) == {file_date(SAMHSA_JSON)}
    mental = sample.frame["description"].str.contains("Type of care: mental health")
    assert sample.frame.loc[mental, "services"].str.split(";").map(lambda w: "mental_health" in w).all()


def test_json_known_facility_fields_exactly(sample):
    mohr = row_named(sample.frame, "Region Ten Community Services Board", address="1014 East Market Street")
    frid = "811a908f82269778a2fe2a8bc603afa08df868f3e2fa56aa62e214d03997dea1"  # SAMHSA's facility id
    assert mohr["id"] == "samhsa-" + hashlib.sha1(frid.encode()).hexdigest()[:12] == "samhsa-5ba25ddd59f8"
    assert mohr["description"] == "Mohr Center. Intake: 434-972-1800."
    assert mohr["phone"] == "434-979-8871"
    assert mohr["website"] == "http://www.regionten.org"
    assert mohr["services"] == "residential;counselling;family;aftercare;peer_support;men"
    assert mohr["payment"] == "medicaid;private_insurance;self_pay;sliding_scale;state_funded"
    assert mohr["cost"] == "sliding_scale"
    assert mohr["languages"] == "English"
    assert (mohr["min_age"], mohr["max_age"], mohr["gender"]) == ("18", "", "men")
    assert (mohr["postcode"], mohr["latitude"], mohr["longitude"]) == ("22902", "38.0282239", "-78.4725231")


def test_json_languages_medication_and_exclusive_services(sample):
    preston = row_named(
        sample.frame, "Region Ten Community Services Board", address="800 Preston Avenue, Peterson Building"
    )
    assert preston["languages"] == "English;American Sign Language;Spanish"
    assert preston["payment"] == "medicaid;private_insurance;self_pay;sliding_scale;military;state_funded"
    assert preston["services"] == (
        "outpatient;intensive_outpatient;medication;moud;counselling;dual_diagnosis;family;aftercare;"
        "peer_support;women;men"
    )
    assert preston["gender"] == "any"
    assert preston["description"] == "Exclusive services (as SAMHSA lists them): DUI/DWI clients."

    ars = row_named(sample.frame, "Addiction Recovery Systems LLC")
    assert "medication;moud" in ars["services"]
    assert ars["description"] == (
        "Exclusive services (as SAMHSA lists them): Methadone and buprenorphine clients only; "
        "All Clients in Opioid Treatment Program."
    )
    assert row_named(sample.frame, "Region Ten Community Services Board", description="Louisa County Office. "
                     "Exclusive services (as SAMHSA lists them): DUI/DWI clients.")["languages"] == (
        "English;American Sign Language;German"
    )  # fmt: skip


def test_json_children_only_and_mental_health_listings(sample):
    clinic = row_named(sample.frame, "UVA Child/Adolescent Psychiatry Clinic")
    assert (clinic["min_age"], clinic["max_age"]) == ("", "17")
    assert "youth" in clinic["services"].split(";")
    assert (
        clinic["description"] == "Department of Psychiatric Medicine. Type of care: mental health treatment."
    )
    mental_health = sample.frame["description"].str.contains("Type of care: mental health treatment")
    assert mental_health.sum() == 16  # typeFacility MH in the file
    assert row_named(sample.frame, "Staunton Treatment Center")["phone"] == "540-217-6366 x110"


def test_two_listings_at_one_address_get_their_own_ids(sample):
    greene = sample.frame[sample.frame["address"] == "9963 Spotswood Trail"]
    assert len(greene) == 2 and greene["id"].is_unique
    assert not greene["id"].str.endswith("-2").any()


# --- the mapping helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (set(), ("", "")),
        ({"adults", "young_adults"}, ("18", "")),
        ({"children"}, ("", "17")),
        ({"children", "young_adults"}, ("", "25")),
        ({"seniors"}, ("65", "")),
        ({"children", "adults", "seniors", "young_adults"}, ("", "")),
    ],
)
def test_age_groups_become_an_age_range(groups, expected):
    assert age_range(groups) == expected


def test_gender_accepted():
    assert gender_accepted({"women"}) == "women"
    assert gender_accepted({"women", "men"}) == "any"
    assert gender_accepted(set()) == ""


def test_codes_and_unknown_values_are_reported_once_with_counts(tmp_path):
    def facility(name: str, services: list[dict]) -> dict:
        return {"name1": name, "street1": "1 Example Road", "city": "Springfield", "state": "IL", "zip": "62701",
                "latitude": "39.78", "longitude": "-89.65", "services": services}  # fmt: skip

    rows = [
        facility("Example One", [
            {"f1": "Payment", "f2": "PAY", "f3": "MD; MC; SS; Bitcoin"},
            {"f1": "Type of Care", "f2": "SET", "f3": "DT; OP"},
            {"f1": "Pharmacotherapies", "f2": "PHR", "f3": "Buprenorphine sublingual (new brand)"},
            {"f1": "Other Languages", "f2": "OL", "f3": "Vietnamese; F99"},
            {"f1": "Brand New", "f2": "ZZ", "f3": "Something"},
        ]),
        facility("Example Two", [{"f1": "Payment", "f2": "PAY", "f3": "Bitcoin; NP"}, "not an item"]),
    ]  # fmt: skip
    path = tmp_path / "rows.json"
    path.write_text(json.dumps({"page": 1, "rows": rows}), encoding="utf-8")
    result = import_samhsa(path)
    one, two = result.frame.iloc[0], result.frame.iloc[1]
    assert one["payment"] == "medicaid;medicare;sliding_scale"
    assert one["services"] == "detox;outpatient;medication;moud"
    assert one["languages"] == "English;Vietnamese"
    assert (two["payment"], two["cost"]) == ("free", "free")
    unknown = [w for w in result.report.warnings if "not recognised" in w]
    assert unknown == [
        "3 service values not recognised, so left out: PAY 'Bitcoin' (2 rows); OL 'F99' (1 row); ZZ 'Something' (1 row)"
    ]


# --- writing and reading back --------------------------------------------------------------


def test_run_import_writes_a_csv_that_round_trips_and_keeps_leading_zeros(tmp_path, otp):
    out = tmp_path / "otp.csv"
    report = run_import("samhsa", SAMHSA_OTP, out)
    assert report.loaded == 1_830 and report.exit_code == EXIT_SOME_REJECTED
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(back.columns) == list(schema.COLUMNS)
    pd.testing.assert_frame_equal(back, otp.frame.reset_index(drop=True), check_dtype=False)
    assert row_named(back, "9 Village Inn Opco, LLC")["postcode"] == "01441"
    assert out.read_bytes().decode("utf-8").startswith(",".join(schema.COLUMNS))


def test_what_we_write_passes_our_own_loader_without_a_rejection(tmp_path):
    out = tmp_path / "sample.csv"
    assert run_import("samhsa", SAMHSA_JSON, out, mental_health=True).loaded == 30
    loaded = directory.load(out, geocoder=None)
    assert loaded.report.loaded == 30 and loaded.report.rejected == [] and loaded.report.fatal is None
    assert loaded.frame.loc[0, "postcode"] == "22902"


def test_the_real_files_are_not_modified(tmp_path):
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (SAMHSA_OTP, SAMHSA_JSON)}
    run_import("samhsa", SAMHSA_OTP, tmp_path / "a.csv")
    run_import("samhsa", SAMHSA_JSON, tmp_path / "b.csv")
    assert before == {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in before}


def test_command_line_prints_the_report_as_json(tmp_path):
    out = tmp_path / "sample.csv"
    done = subprocess.run(
        [sys.executable, "-m", "helpmap", "import", "samhsa", str(SAMHSA_JSON), "-o", str(out), "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # by default the 16 mental-health-only listings (typeFacility MH) are left out, and counted
    assert report["loaded"] == 14 and report["rejected"] == []
    assert list(report["left_out"].values()) == [16]
    assert len(pd.read_csv(out, dtype=str)) == 14


# --- hostile input -------------------------------------------------------------------------


def test_unknown_format_is_fatal_and_lists_the_formats(tmp_path):
    report = run_import("excel", SAMHSA_JSON, tmp_path / "out.csv")
    assert report.fatal == "'excel' is not a format we can import. Use one of: samhsa, meeting-guide, bmlt, hsds, csv."
    assert report.exit_code == EXIT_UNUSABLE
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04\x00\x00binary", "This is a binary file"),
        (b"<!doctype html><html><body>Not found</body></html>", "This is not a SAMHSA export we know."),
        (b"id,name,kind\n1,Example,treatment\n", "This is already a HelpMap directory CSV"),
        (b'{"page": 1, "totalPages": 0}', "The JSON is not a list of facility rows"),
        (b"[1, 2", "The file is not valid JSON"),
        (b"[]", "The JSON holds no facility rows."),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_garbage_gives_a_clear_fatal_message(tmp_path, content, message):
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    out = tmp_path / "out.csv"
    report = run_import("samhsa", path, out)
    assert report.fatal is not None and message in report.fatal
    assert report.exit_code == EXIT_UNUSABLE and not out.exists()


def test_an_output_that_cannot_be_written_is_fatal(tmp_path):
    report = run_import("samhsa", SAMHSA_JSON, tmp_path / "no-such-folder" / "out.csv")
    assert report.fatal.startswith(f"Could not write {tmp_path / 'no-such-folder' / 'out.csv'}")
    assert report.loaded == 0 and report.exit_code == EXIT_UNUSABLE


def test_missing_file_and_folder_are_fatal(tmp_path):
    assert "There is no file" in import_samhsa(tmp_path / "nothing.csv").report.fatal
    assert "is a folder" in import_samhsa(tmp_path).report.fatal


def test_bad_rows_are_rejected_or_cleaned_and_the_rest_load(tmp_path):
    path = tmp_path / "locator.csv"
    path.write_text(
        "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"
        "Example Good,,1 Example Road,,Trenton,NJ,8608,,Mercer,40.22,-74.76\n"  # line 2
        ",,2 Example Road,,Trenton,NJ,08608,,Mercer,40.22,-74.76\n"  # line 3: no name
        "Example Too Wide,,3 Example Road,,Trenton,NJ,08608,,Mercer,40.22,-74.76,extra\n"  # line 4
        "Example Nowhere,,,,,,,,,,\n"  # line 5: no place at all
        '"Example ""Quoted"", Name",,4 Example Road,,Trenton,NJ,08608,,Mercer,north,-74.76\n'  # line 6
        "Example Short Row,,5 Example Road,,Trenton,NJ\n",  # line 7: trailing cells left off
        encoding="utf-8",
    )
    result = import_samhsa(path)
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (3, "has no facility name (name1)"),
        (4, "this row has 12 values but the header has 11 columns"),
        (5, "has neither coordinates nor an address"),
    ]
    frame = result.frame
    assert list(frame["name"]) == ["Example Good", 'Example "Quoted", Name', "Example Short Row"]
    assert frame.loc[0, "postcode"] == "08608"
    assert frame.loc[1, "latitude"] == "" and frame.loc[1, "longitude"] == ""  # the address places it
    assert (frame.loc[2, "city"], frame.loc[2, "postcode"], frame.loc[2, "latitude"]) == ("Trenton", "", "")
    assert any("line 6" in w and "left blank" in w for w in result.report.warnings)


# --- the locator download with phones (../shared/data/real-feeds/samhsa, issue 12) ----------

from tests.shared_paths import HSDS_MIAMI, SAMHSA_NATIONAL, SAMHSA_WA, meeting_guide_feed  # noqa: E402


@pytest.fixture(scope="module")
def washington():
    return import_samhsa(SAMHSA_WA, as_of="2021-10-13")


def test_substance_use_facilities_are_kept_and_mental_health_only_counted(washington):
    raw = pd.read_csv(SAMHSA_WA, dtype=str, keep_default_na=False)
    assert raw["type_facility"].value_counts().to_dict() == {"SA": 420, "MH": 312}
    assert washington.report.loaded == 420 and washington.report.rejected == []
    assert dict(washington.report.left_out) == {
        "mental-health-only facilities (type_facility MH), outside HelpMap's scope": 312
    }
    assert set(washington.frame["kind"]) == {"treatment"}
    assert not washington.frame["name"].eq("Harborview Medical Center").any()  # both listings are MH


def test_phones_intake_lines_and_websites_are_kept(washington):
    clinic = row_named(washington.frame, "Harborview Medical Ctr Addictions Prog")
    assert (clinic["phone"], clinic["website"]) == ("206-744-9696", "http://www.uwmedicine.org")
    assert clinic["description"] == "Patricia Steel Building. Intake: 206-744-9617."
    assert clinic["address"] == "401 Broadway, 1st Floor"
    assert clinic["last_verified"] == "2021-10-13"  # --as-of
    # checked against the file: every SA row's phone is carried, and no "NA" is left as text
    raw = pd.read_csv(SAMHSA_WA, dtype=str, keep_default_na=False)
    raw_sa = raw[raw["type_facility"] == "SA"]
    assert (washington.frame["phone"] != "").sum() == (raw_sa["phone"] != "NA").sum() == 420
    def other_line(column):
        return (raw_sa[column] != "NA") & (raw_sa[column] != raw_sa["phone"])

    with_intake = raw_sa[other_line("intake1") | other_line("intake2")]
    assert washington.frame["description"].str.contains("Intake: ").sum() == len(with_intake)
    text = washington.frame.drop(columns=["id"]).to_numpy().ravel()
    assert not any(value == "NA" or value.endswith(", NA") or ", NA," in value for value in text)


def test_a_site_can_keep_mental_health_facilities():
    kept = import_samhsa(SAMHSA_WA, mental_health=True)
    assert kept.report.loaded == 732 and not kept.report.left_out
    harborview = row_named(kept.frame, "Harborview Medical Center", description=(
        "Inpatient Psychiatry. Intake: 206-744-4464. Type of care: mental health treatment."))  # fmt: skip
    assert harborview["services"] == "mental_health"
    assert (harborview["address"], harborview["website"]) == (
        "325 9th Avenue", "http://www.uwmedicine.org/locations/harborview-medical-center",
    )  # fmt: skip


def test_the_national_download_with_a_bom_and_spaces_in_its_header():
    national = import_samhsa(SAMHSA_NATIONAL)
    assert national.report.fatal is None
    assert national.report.loaded + sum(national.report.left_out.values()) + len(national.report.rejected) == 20_000
    assert national.report.rejected_by_reason == {"an exact copy of an earlier row": 5}
    assert (national.frame["phone"] != "").sum() >= national.report.loaded - 1  # 19,999 of 20,000 have one
    assert any(note.startswith("last_verified: ") and "the file's own date" in note for note in national.report.notes)


def test_as_of_must_be_a_date():
    assert import_samhsa(SAMHSA_WA, as_of="October 2021").report.fatal == (
        "--as-of 'October 2021' is not a date like 2021-10-13."
    )


@pytest.mark.parametrize(
    ("source", "start"),
    [
        (HSDS_MIAMI, "This is an Open Referral HSDS package"),
        (HSDS_MIAMI / "data" / "services.csv", "This is an Open Referral HSDS package (its services table"),
        ("edmonton", "This is a Meeting Guide feed"),
    ],
)
def test_other_formats_are_refused_with_the_right_name(source, start):
    path = meeting_guide_feed(source) if source == "edmonton" else source
    assert import_samhsa(path).report.fatal.startswith(start)
