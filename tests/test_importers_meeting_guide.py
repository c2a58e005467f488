"""Meeting Guide importer on our own fictional feeds (written from the spec), on the real feeds in
../shared/data/real-feeds/meeting-guide, and hostile input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpmap import directory, schema
from helpmap.importers import FORMATS, run_import
from helpmap.importers.meeting_guide import TYPE_NAMES, clock_time, parse_formatted_address
from helpmap.report import EXIT_SOME_REJECTED, EXIT_UNUSABLE
from tests.shared_paths import FIXTURES, SHARED_SPECS

FEED = FIXTURES / "meeting-guide" / "example-feed.json"
WRAPPED = FIXTURES / "meeting-guide" / "wrapped-feed.json"
import_feed = import_meeting_guide = FORMATS["meeting-guide"]
CLOSED_WITHOUT_ONLINE = "its location is temporarily closed (type TC) and it has no online link or phone"


@pytest.fixture(scope="module")
def feed():
    return import_feed(FEED)


def meeting(result, slug: str) -> pd.Series:
    rows = result.frame[result.frame["id"] == f"mg-{slug}"]
    assert len(rows) == 1, f"no single meeting {slug}"
    return rows.iloc[0]


def test_feed_keeps_8_of_14_meetings_and_says_why_for_each_other(feed):
    assert feed.report.fatal is None
    assert len(feed.frame) == 8 == feed.report.loaded
    assert [(r.line, r.reason) for r in feed.report.rejected] == [
        (7, f"meeting 7 (slug example-closed-hall): {CLOSED_WITHOUT_ONLINE}"),
        (8, "meeting 8 (slug example-nameless): has no name"),
        (9, "meeting 9 (slug example-without-time): has no day and time, and no online link or phone"),
        (10, "meeting 10 (slug example-thursday-group): the slug is already used by meeting 1; this one was skipped"),
        (12, "meeting 12 is not a meeting object (it is str)"),
        (13, "meeting 13 (slug example-nowhere): has no address, coordinates or online link or phone"),
    ]  # fmt: skip
    assert list(feed.frame.columns) == list(schema.COLUMNS)
    assert all(isinstance(v, str) for v in feed.frame.to_numpy().ravel())
    assert set(feed.frame["kind"]) == {"support_group"} and set(feed.frame["source"]) == {
        "meeting-guide feed"
    }


def test_an_in_person_meeting_with_types_maps_every_column(feed):
    thursday = meeting(feed, "example-thursday-group")
    assert (thursday["name"], thursday["day"], thursday["time"], thursday["end_time"]) == (
        "Example Thursday Group", "4", "19:00", "20:15",
    )  # fmt: skip
    assert (thursday["timezone"], thursday["attendance"], thursday["approximate"]) == (
        "America/New_York",
        "in_person",
        "no",
    )
    assert (thursday["address"], thursday["city"], thursday["region"], thursday["postcode"], thursday["country"]) == (
        "100 Example Street", "Charlottesville", "VA", "22902", "US",
    )  # fmt: skip
    assert (thursday["latitude"], thursday["longitude"]) == ("38.02931", "-78.47668")
    assert thursday["languages"] == "English;Spanish"
    assert (thursday["gender"], thursday["wheelchair"]) == ("women", "yes")
    assert thursday["services"] == "peer_support;women"
    assert thursday["organization"] == "Example Thursday Fellowship"
    assert thursday["description"] == (
        "Coffee from 18:45. Location: Example Community Hall: Use the side door. "
        "Meeting type: Open, Discussion, English, Spanish, Wheelchair Access, Women."
    )
    assert thursday["last_verified"] == "2024-03-01"
    assert thursday["website"] == "https://example.org/meetings/example-thursday-group"


def test_day_as_a_list_string_coordinates_and_leading_zero_postcode(feed):
    mornings = meeting(feed, "example-weekday-mornings")
    assert (mornings["day"], mornings["time"]) == ("1;3;5", "07:00")
    assert (mornings["latitude"], mornings["longitude"]) == ("42.35843", "-71.05977")
    assert (mornings["city"], mornings["postcode"]) == ("Boston", "02108")
    assert mornings["services"] == "peer_support;dual_diagnosis;proof_of_attendance"
    assert mornings["description"] == "Meeting type: Closed, Newcomer, Dual Diagnosis, Proof of Attendance."


def test_online_only_meeting(feed):
    online = meeting(feed, "example-online-sunday")
    assert (online["attendance"], online["online_url"], online["online_phone"]) == (
        "online", "https://meet.example.org/j/123456789", "+15555550100,,123456789#",
    )  # fmt: skip
    assert (online["address"], online["latitude"], online["day"], online["time"]) == ("", "", "0", "20:00")
    assert online["services"] == "peer_support;youth"
    assert online["description"] == (
        "Cameras optional. Joining online: Passcode 1234. Meeting type: Open, Young People."
    )


def test_hybrid_meeting_has_an_address_and_a_link(feed):
    hybrid = meeting(feed, "example-hybrid-tuesday")
    assert (hybrid["attendance"], hybrid["online_url"]) == ("hybrid", "https://meet.example.org/j/987654321")
    assert (hybrid["postcode"], hybrid["region"]) == ("07102", "NJ")
    assert (hybrid["services"], hybrid["gender"]) == ("peer_support;lgbtq;men", "men")


def test_approximate_meeting_keeps_the_flag_and_is_in_person(feed):
    saturday = meeting(feed, "example-approximate-saturday")
    assert (saturday["approximate"], saturday["attendance"], saturday["address"], saturday["city"]) == (
        "yes", "in_person", "", "Richmond",
    )  # fmt: skip
    assert (saturday["gender"], saturday["services"]) == ("non_binary", "peer_support;lgbtq")


def test_temporarily_closed_location_meeting_online_is_kept_as_online_only(feed):
    closed = meeting(feed, "example-closed-hall-online")
    assert (closed["attendance"], closed["address"], closed["latitude"], closed["longitude"]) == (
        "online",
        "",
        "",
        "",
    )
    assert closed["city"] == "Charlottesville"
    assert any(
        w.startswith("1 meeting with a temporarily closed location (type TC)") for w in feed.report.warnings
    )


def test_odd_values_are_dropped_with_a_warning_each(feed):
    odd = meeting(feed, "example-odd-values")
    # "7pm" is a 12-hour time (read since issue 12); the unknown zone is replaced by the one at
    # the meeting's town, found offline
    assert (odd["day"], odd["end_time"], odd["timezone"], odd["online_url"], odd["latitude"]) == (
        "2",
        "19:00",
        "America/New_York",
        "",
        "",
    )
    assert odd["attendance"] == "in_person"
    warnings = [w for w in feed.report.warnings if w.startswith("meeting 11 (slug example-odd-values)")]
    assert len(warnings) == 4
    assert (
        "1 meeting type code not in types.json, kept as written in the description: ZZZ (1 meeting)"
        in feed.report.warnings
    )
    assert odd["description"].endswith("Other types (as the feed writes them): ZZZ.")


def test_hostile_text_stays_text(feed):
    hostile = meeting(feed, "example-hostile-text")
    assert hostile["name"] == "<script>alert('x')</script> ${constructor} Example"
    assert (
        hostile["description"] == "`backticks` and \\backslashes\\ stay text. Meeting type: Open, Discussion."
    )
    assert (hostile["day"], hostile["time"]) == ("1", "19:00")
    assert (hostile["address"], hostile["city"], hostile["country"]) == ("12 Example Street", "Leeds", "GB")


def test_a_wrapped_feed_and_a_meeting_without_slug(tmp_path):
    result = import_feed(WRAPPED)
    assert result.report.rejected == [] and len(result.frame) == 2
    monday = result.frame.iloc[0]
    assert (monday["id"], monday["languages"], monday["timezone"]) == (
        "mg-example-wrapped-monday",
        "French;German",
        "Europe/London",
    )
    no_slug = result.frame.iloc[1]
    assert no_slug["id"].startswith("mg-") and len(no_slug["id"]) == 15 and no_slug["day"] == "2;4"
    assert no_slug["id"] == import_feed(WRAPPED).frame.iloc[1]["id"]  # stable
    assert "1 meeting without a slug" in result.report.warnings[0]


def test_every_type_code_in_the_spec_is_known():
    spec_codes = set(json.loads((SHARED_SPECS / "meeting-guide" / "types.json").read_text(encoding="utf-8")))
    assert len(spec_codes) == 87 and spec_codes <= set(TYPE_NAMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123 Main St, Springfield, IL 62701, USA", ("123 Main St", "Springfield", "IL", "62701", "US")),
        ("Springfield, IL 62701, USA", ("", "Springfield", "IL", "62701", "US")),
        ("1 Rue Example, Ottawa, ON K1A 0B1, Canada", ("1 Rue Example", "Ottawa", "ON", "K1A 0B1", "CA")),
        ("12 Example Street, Leeds LS1 1AA, UK", ("12 Example Street", "Leeds", "", "LS1 1AA", "GB")),
        ("8318 104 Street NW, Edmonton, Alberta, T6E 4E8, Canada",
         ("8318 104 Street NW", "Edmonton", "Alberta", "T6E 4E8", "CA")),
        ("6 Bernard Drive, St. Albert, Alberta, Canada", ("6 Bernard Drive", "St. Albert", "Alberta", "", "CA")),
        ("Edmonton, Alberta, Canada", ("", "Edmonton", "Alberta", "", "CA")),
        ("Philadelphia, PA, USA", ("", "Philadelphia", "PA", "", "US")),
        ("2118 Greenwich St, San Francisco", ("2118 Greenwich St", "San Francisco", "", "", "")),
        ("Online", ("Online", "", "", "", "")),
    ],
)
def test_formatted_address_is_split_when_its_shape_is_known(text, expected):
    parsed = parse_formatted_address(text)
    assert tuple(parsed[c] for c in ("address", "city", "region", "postcode", "country")) == expected


# --- writing and reading back --------------------------------------------------------------


def test_run_import_round_trips_and_our_loader_accepts_the_rows(tmp_path, feed):
    out = tmp_path / "meetings.csv"
    report = run_import("meeting-guide", FEED, out)
    assert report.loaded == 8 and report.exit_code == EXIT_SOME_REJECTED
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, feed.frame.reset_index(drop=True), check_dtype=False)
    assert back.loc[back["id"] == "mg-example-weekday-mornings", "postcode"].item() == "02108"
    loaded = directory.load(out, geocoder=None)
    # Only the meeting whose bad coordinates were blanked needs a geocoder to be placed.
    assert loaded.report.loaded == 7
    assert [r.line for r in loaded.report.rejected] == [8]
    assert "needs a location" in loaded.report.rejected[0].reason


# --- hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02binary", "This is a binary file"),
        (b"<html><body>Moved</body></html>", "The feed is not valid JSON"),
        (b'{"error": "rate limited"}', "The feed is not a list of meetings"),
        (b'"just a string"', "The feed is not a list of meetings"),
        (b"[]", "The feed holds no meetings."),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'[{"slug": "a"}, 42, null]', "No row could be used"),
    ],
)
def test_garbage_feeds_give_a_clear_fatal_message(tmp_path, content, message):
    path = tmp_path / "feed.json"
    path.write_bytes(content)
    out = tmp_path / "out.csv"
    report = run_import("meeting-guide", path, out)
    assert report.fatal is not None and message in report.fatal
    assert report.exit_code == EXIT_UNUSABLE and not out.exists()


def test_odd_json_shapes_inside_meetings_do_not_crash(tmp_path):
    meetings = [
        {"name": ["a", "list"], "slug": "x1", "day": 1, "time": "19:00", "city": "Leeds"},
        {"name": "Example Nested", "slug": {"deep": 1}, "day": {"x": 1}, "time": 1900, "city": "Leeds",
         "types": {"O": True}, "latitude": True, "longitude": None, "conference_url": ["https://example.org"]},
        {"name": "Example Numbers", "slug": 7, "day": [True, 1.0, "Monday", "7"], "time": "19:00",
         "latitude": 51.5, "longitude": "-0.12", "types": ["O", 5, None]},
    ]  # fmt: skip
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(meetings), encoding="utf-8")
    result = import_feed(path)
    assert result.report.fatal is None
    assert [(r.line, r.reason) for r in result.report.rejected] == [
        (1, "meeting 1 (slug x1): has no name"),
        (2, "meeting 2 (Example Nested): has no day and time, and no online link or phone"),
    ]
    numbers = result.frame.iloc[0]
    assert (numbers["id"], numbers["day"], numbers["latitude"]) == ("mg-7", "1", "51.5")


# --- real feeds (../shared/data/real-feeds/meeting-guide, issue 12) -------------------------

from tests.shared_paths import meeting_guide_feed  # noqa: E402


@pytest.fixture(scope="module")
def edmonton():
    return import_meeting_guide(meeting_guide_feed("edmonton"))


def slug_row(result, slug: str) -> pd.Series:
    rows = result.frame[result.frame["id"] == "mg-" + slug]
    assert len(rows) == 1, f"{len(rows)} rows for slug {slug}"
    return rows.iloc[0]


def test_edmonton_12_hour_times_us_dates_and_whole_addresses(edmonton):
    # 315 meetings: 21 have a closed location (TC) and no online link; every other one is kept,
    # with its 12-hour time read ("12:15 PM"), not 95 of them as before
    assert (edmonton.report.loaded, len(edmonton.report.rejected)) == (294, 21)
    assert set(edmonton.report.rejected_by_reason) == {"location temporarily closed, no online link or phone"}
    assert (edmonton.frame["time"] != "").all()
    women = slug_row(edmonton, "9")
    assert (women["day"], women["time"], women["last_verified"]) == ("2", "12:15", "2021-08-16")
    assert (women["address"], women["city"], women["region"], women["postcode"], women["country"]) == (
        "8318 104 Street NW", "Edmonton", "Alberta", "T6E 4E8", "CA",
    )  # fmt: skip
    assert (women["gender"], women["timezone"]) == ("women", "America/Edmonton")
    assert "Meeting type: Women, Closed." in women["description"]
    assert slug_row(edmonton, "6")["last_verified"] == "2022-08-25"  # "8/25/2022 11:17:07 AM"
    evening = slug_row(edmonton, "8")
    assert (evening["time"], evening["attendance"]) == ("19:30", "hybrid")


def test_edmonton_rows_can_be_placed_by_the_offline_gazetteer(edmonton, tmp_path):
    out = tmp_path / "edmonton.csv"
    edmonton.frame.to_csv(out, index=False)
    loaded = directory.load(out)  # the loader places rows by city/postcode, offline
    # was 22 of 74 before the address was split; one small place (Maskwacis) is not in the gazetteer
    assert loaded.report.loaded >= 290
    in_person = loaded.frame[loaded.frame["attendance"] != "online"]
    assert len(in_person) >= 245 and in_person["latitude"].notna().all()


def test_edmonton_time_zones_from_the_town_and_a_default_for_the_rest():
    plain = import_meeting_guide(meeting_guide_feed("edmonton"))
    with_default = import_meeting_guide(meeting_guide_feed("edmonton"), default_timezone="America/Edmonton")
    unknown = plain.frame["timezone"] == ""
    assert 0 < unknown.sum() < 60  # online-only meetings and places the gazetteer does not know
    assert set(plain.frame.loc[~unknown, "timezone"]) == {"America/Edmonton"}
    assert set(with_default.frame["timezone"]) == {"America/Edmonton"}
    assert any("from the feed's default" in note for note in with_default.report.notes)


def test_a_city_level_address_on_an_online_meeting_is_approximate_and_online_in_its_own_zone():
    eda = import_meeting_guide(meeting_guide_feed("eda"))
    london = slug_row(eda, "london-monday-to-friday-daily-readings-starts-march-1st-online-monday")
    assert (london["attendance"], london["approximate"], london["city"]) == ("online", "yes", "London")
    assert london["timezone"] == "Europe/London"  # from the coordinates, so the hour is right
    # no EDA meeting becomes "hybrid" at a city centre
    assert not ((eda.frame["attendance"] == "hybrid") & (eda.frame["approximate"] == "yes")).any()


def test_two_urls_in_one_conference_url_are_kept():
    airtable = import_meeting_guide(meeting_guide_feed("airtable"))
    row = slug_row(airtable, "rec9XxDhNgveQAsWb")
    assert row["online_url"] == "https://us02web.zoom.us/meeting/register/tZEufu6trD4uGdNZ4gVO0fDkBie6Qb7J4Za7"
    assert not any("is not a web address" in w for w in airtable.report.warnings)


def test_types_outside_types_json_are_decoded_or_kept_as_written(tmp_path):
    aasepia = import_meeting_guide(meeting_guide_feed("aasepia"))
    row = slug_row(aasepia, "open-topic-meeting-online")
    assert "Meeting type: Open, As Bill Sees It, Discussion." in row["description"]  # ASBI is ABSI
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([{
        "name": "Tom &amp; Jerry&#8217;s Group", "slug": "tj", "day": "Monday", "time": "19:00:00",
        "types": ["[open]", "LGBTQIA", "AC", "[closed]"], "notes": "Use the side door &amp; ring.",
        "location": "St. Mark&#039;s Hall", "group_notes": "Business meeting monthly.",
        "formatted_address": "12 Example Street, Springfield, IL 62701, USA", "latitude": 39.8, "longitude": -89.65,
    }]), encoding="utf-8")  # fmt: skip
    row = import_meeting_guide(feed).frame.iloc[0]
    assert row["name"] == "Tom & Jerry\u2019s Group"
    assert (row["day"], row["time"], row["timezone"]) == ("1", "19:00", "America/Chicago")
    assert "lgbtq" in row["services"].split(";")
    assert row["description"] == (
        "Use the side door & ring. Group: Business meeting monthly. Location: St. Mark's Hall. "
        "Meeting type: Open, LGBTQ, Closed. Other types (as the feed writes them): AC."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7:30 PM", "19:30"), ("12:15 PM", "12:15"), ("12:05 AM", "00:05"), ("7pm", "19:00"), ("7:30 p.m.", "19:30"),
     ("19:30:00", "19:30"), ("9:00am", "09:00"), ("noon", "12:00"), ("25:00", ""), ("13:00 PM", "")],
)  # fmt: skip
def test_clock_times(text, expected):
    assert clock_time(text) == expected


def test_a_bmlt_file_given_as_meeting_guide_says_what_it_is():
    from tests.shared_paths import BMLT_MEETINGS

    result = import_meeting_guide(BMLT_MEETINGS)
    assert result.report.fatal.startswith("This is a BMLT meeting list (GetSearchResults JSON")
    assert "`python -m helpmap import bmlt SRC -o OUT.csv`" in result.report.fatal
