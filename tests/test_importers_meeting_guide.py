"""Meeting Guide importer on our own fictional feeds (written from the spec), and hostile input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpmap import directory, schema
from helpmap.importers import FORMATS, run_import
from helpmap.importers.meeting_guide import TYPE_NAMES, parse_formatted_address
from helpmap.report import EXIT_SOME_REJECTED, EXIT_UNUSABLE
from tests.shared_paths import FIXTURES, SHARED_SPECS

FEED = FIXTURES / "meeting-guide" / "example-feed.json"
WRAPPED = FIXTURES / "meeting-guide" / "wrapped-feed.json"
import_feed = FORMATS["meeting-guide"]
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
