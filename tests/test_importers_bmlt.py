"""BMLT importer on the real GetSearchResults and GetFormats files in
../shared/data/real-feeds/bmlt (NA meetings near Geneva, NY; BMLT weekday 1 = Sunday), and on
small responses written here for what that file lacks (online links, durations, time zones)."""

from __future__ import annotations

import json

import pytest

from helpmap import directory, schema
from helpmap.importers import FORMATS, run_import
from helpmap.importers.bmlt import search_url
from tests.shared_paths import BMLT_FORMATS, BMLT_MEETINGS

import_bmlt = FORMATS["bmlt"]


@pytest.fixture(scope="module")
def geneva():
    return import_bmlt(BMLT_MEETINGS)


def meeting(result, bmlt_id: str):
    rows = result.frame[result.frame["id"] == f"bmlt-{bmlt_id}"]
    assert len(rows) == 1
    return rows.iloc[0]


def test_every_meeting_is_read_on_the_right_weekday_and_time(geneva):
    raw = json.loads(BMLT_MEETINGS.read_text(encoding="utf-8"))["meetings"]
    assert geneva.report.fatal is None and geneva.report.rejected == []
    assert len(geneva.frame) == len(raw) == 53
    assert list(geneva.frame.columns) == list(schema.COLUMNS)
    # weekday_tinyint 2 (Monday, with 1 = Sunday) is our day 1 (Sunday = 0)
    assert {m["weekday_tinyint"] for m in raw} == {"2"} and set(geneva.frame["day"]) == {"1"}
    by_id = {m["id_bigint"]: m for m in raw}
    for row in geneva.frame.itertuples():
        assert row.time == by_id[row.id.removeprefix("bmlt-")]["start_time"][:5]
    assert set(geneva.frame["kind"]) == {"support_group"}
    assert set(geneva.frame["timezone"]) == {"America/New_York"}  # from the coordinates, offline


def test_location_fields_and_formats_in_words(geneva):
    row = meeting(geneva, "2566")
    assert (row["name"], row["address"], row["city"], row["region"]) == (
        "Step up and Be Free", "128 Main street", "Clifton Springs", "NY",
    )  # fmt: skip
    assert (row["latitude"], row["longitude"], row["attendance"]) == ("42.9613734", "-77.1205486", "in_person")
    # "O,RF,To" decoded by the response's own format table
    assert row["description"] == (
        "Location: Clifton springs Hospital: Admin Conference Room. Meeting format: Open, Rotating Format, Topic."
    )


def test_the_getformats_file_decodes_the_codes_too(tmp_path):
    raw = json.loads(BMLT_MEETINGS.read_text(encoding="utf-8"))
    bare = tmp_path / "meetings.json"
    bare.write_text(json.dumps(raw["meetings"]), encoding="utf-8")  # no wrapper, no formats
    without = import_bmlt(bare)
    assert "Meeting format: O, RF, To." in meeting(without, "2566")["description"]
    assert any("no format table" in w for w in without.report.warnings)
    with_table = import_bmlt(bare, formats=BMLT_FORMATS)
    assert "Meeting format: Open, Rotating Format, Topic." in meeting(with_table, "2566")["description"]


def test_distances_from_the_search_point_are_counted_as_not_carried(geneva):
    assert {use.field: use.rows for use in geneva.report.not_carried} == {
        "distance_in_km": 53,
        "distance_in_miles": 53,
    }


def test_online_links_durations_time_zones_and_venue_types(tmp_path):
    formats = [{"key_string": "WC", "name_string": "Wheelchair Accessible", "world_id": "WCHR", "id": "33"},
               {"key_string": "W", "name_string": "Women", "world_id": "W", "id": "9"}]  # fmt: skip
    base = {"location_municipality": "Geneva", "location_province": "NY", "latitude": "42.87", "longitude": "-76.98"}
    meetings = [
        {**base, "id_bigint": "1", "meeting_name": "Virtual", "weekday_tinyint": "1", "start_time": "20:00:00",
         "duration_time": "01:30:00", "venue_type": "2", "location_street": "1 Main St",
         "virtual_meeting_link": "https://zoom.example.org/j/1", "phone_meeting_number": "+1 555 0100",
         "virtual_meeting_additional_info": "Passcode 1234", "time_zone": "America/New_York"},
        {**base, "id_bigint": "2", "meeting_name": "Hybrid", "weekday_tinyint": "7", "start_time": "23:30:00",
         "duration_time": "01:00:00", "venue_type": "3", "location_street": "2 Main St", "formats": "WC,W,ZZ",
         "virtual_meeting_link": "https://zoom.example.org/j/2", "comments": "Bring a friend."},
        {**base, "id_bigint": "3", "meeting_name": "", "weekday_tinyint": "3", "start_time": "19:00:00"},
        {**base, "id_bigint": "4", "meeting_name": "Unpublished", "weekday_tinyint": "3", "start_time": "19:00:00",
         "published": "0"},
    ]  # fmt: skip
    feed = tmp_path / "bmlt.json"
    feed.write_text(json.dumps({"meetings": meetings, "formats": formats}), encoding="utf-8")
    result = import_bmlt(feed)
    virtual, hybrid = meeting(result, "1"), meeting(result, "2")
    assert (virtual["day"], virtual["time"], virtual["end_time"], virtual["timezone"]) == (
        "0", "20:00", "21:30", "America/New_York",
    )  # fmt: skip
    assert (virtual["attendance"], virtual["online_url"], virtual["online_phone"]) == (
        "online", "https://zoom.example.org/j/1", "+1 555 0100",
    )  # fmt: skip
    assert (virtual["address"], virtual["latitude"]) == ("", "")  # nobody is sent to a building
    assert virtual["description"] == "Joining online: Passcode 1234."
    assert (hybrid["day"], hybrid["end_time"], hybrid["attendance"]) == ("6", "00:30", "hybrid")
    assert (hybrid["wheelchair"], hybrid["gender"]) == ("yes", "women")
    assert hybrid["description"] == "Bring a friend. Meeting format: Wheelchair Accessible, Women, ZZ."
    assert [r.reason for r in result.report.rejected] == ["meeting 3 (id 3): has no name"]
    assert dict(result.report.left_out) == {"unpublished on the server": 1}
    assert any("ZZ (1)" in w for w in result.report.warnings)


def test_what_we_write_passes_our_loader(tmp_path):
    out = tmp_path / "bmlt.csv"
    report = run_import("bmlt", BMLT_MEETINGS, out)
    assert report.loaded == 53 and report.exit_code == 0
    loaded = directory.load(out, geocoder=None)
    assert loaded.report.loaded == 53 and loaded.report.rejected == []


def test_a_root_server_url_becomes_its_meeting_query():
    assert search_url("https://bmlt.example.org/main_server/") == (
        "https://bmlt.example.org/main_server/client_interface/json/?switcher=GetSearchResults&get_used_formats=1"
    )
    query = "https://bmlt.example.org/main_server/client_interface/json/?switcher=GetSearchResults&services=4"
    assert search_url(query) == query
    assert search_url(str(BMLT_MEETINGS)) == str(BMLT_MEETINGS)


@pytest.mark.parametrize(
    ("path", "start"),
    [
        (BMLT_FORMATS, "This is a BMLT format table (GetFormats), not a meeting list"),
        ("meeting-guide", "This is a Meeting Guide feed"),
        ("samhsa", "This is a SAMHSA treatment locator export"),
        ("hsds", "This is an Open Referral HSDS package"),
    ],
)
def test_other_formats_are_refused_with_the_right_name(path, start):
    from tests.shared_paths import HSDS_MIAMI, SAMHSA_WA, meeting_guide_feed

    source = {"meeting-guide": meeting_guide_feed("edmonton"), "samhsa": SAMHSA_WA, "hsds": HSDS_MIAMI}.get(path, path)
    assert import_bmlt(source).report.fatal.startswith(start)
