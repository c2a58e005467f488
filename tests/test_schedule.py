"""Hours and meetings, evaluated in the service's own time zone."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from helpmap import schedule
from helpmap.schedule import Interval, UnknownHours, hours_status, meeting_status, parse_hours

UTC = timezone.utc


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_parse_common_opening_hours():
    assert parse_hours("Mo-Fr 09:00-17:00") == tuple(Interval(d, 540, 1020) for d in range(5))
    assert parse_hours("Sa,Su 10:00-12:00,13:00-15:00") == (
        Interval(5, 600, 720), Interval(6, 600, 720), Interval(5, 780, 900), Interval(6, 780, 900),
    )  # fmt: skip
    assert parse_hours("Fr-Mo 22:00-02:00")[0] == Interval(4, 1320, 1560)
    assert len(parse_hours("24/7")) == 7
    assert parse_hours("Mo-Fr 09:00-17:00; We off") == tuple(Interval(d, 540, 1020) for d in (0, 1, 3, 4))


@pytest.mark.parametrize("text", ["by appointment", "Mo-Fr 9-5", "Xx 09:00-10:00", "Mo 09:00"])
def test_unreadable_hours_are_unknown_not_guessed(text):
    with pytest.raises(UnknownHours):
        parse_hours(text)
    status = hours_status(text, "Europe/London", at("2026-11-26T12:00"))
    assert not status.known and not status.open_now and "call to check" in status.text


def test_open_now_is_evaluated_in_the_services_time_zone():
    # 15:30 UTC on a Thursday is 10:30 in New York and 07:30 in Los Angeles.
    now = at("2026-11-26T15:30")
    assert hours_status("Mo-Fr 09:00-17:00", "America/New_York", now).text == "Open now, until 17:00"
    assert hours_status("Mo-Fr 09:00-17:00", "America/Los_Angeles", now).text == "Closed now, opens Thu 09:00"
    assert hours_status("24/7", "Europe/London", now).text == "Open 24 hours"


def test_hours_that_run_past_midnight_into_the_next_week():
    # Sunday 23:00 to 02:00: open at 01:00 on Monday.
    monday_1am_london = at("2026-11-30T01:00")
    assert hours_status("Su 23:00-02:00", "Europe/London", monday_1am_london).open_now


def test_unknown_hours_or_zone_say_so():
    assert hours_status("", "Europe/London", at("2026-11-26T12:00")).text == "Hours not known: call before you go"
    status = hours_status("Mo-Fr 09:00-17:00", "", at("2026-11-26T12:00"))
    assert not status.known and status.text == "Hours: Mo-Fr 09:00-17:00 (local time)"


def test_next_meeting_in_the_meetings_time_zone():
    # Thursday 2026-11-26 23:30 UTC is 18:30 in New York: the 19:00 meeting is next, today.
    status = meeting_status("4", "19:00", "20:00", "America/New_York", at("2026-11-26T23:30"))
    assert status.text == "Next meeting Thu 19:00" and not status.open_now
    assert status.next_start.isoformat() == "2026-11-26T19:00:00-05:00"
    on_now = meeting_status("4", "19:00", "20:00", "America/New_York", at("2026-11-27T00:30"))
    assert on_now.open_now and on_now.text == "Meeting on now (started 19:00)"
    after = meeting_status("4", "19:00", "20:00", "America/New_York", at("2026-11-27T01:30"))
    assert after.text == "Next meeting Thu 19:00" and after.next_start.day == 3  # next week, 3 Dec


def test_several_meeting_days_pick_the_soonest():
    status = meeting_status("0;2", "10:00", "", "Europe/London", at("2026-11-27T12:00"))  # a Friday
    assert status.text == "Next meeting Sun 10:00"


def test_meeting_across_a_daylight_saving_change_keeps_local_time():
    # US clocks go back on 1 Nov 2026; a Sunday 19:00 meeting is at 00:00 UTC before, 00:00+1h after.
    status = meeting_status("0", "19:00", "", "America/New_York", at("2026-10-31T12:00"))
    assert status.next_start.hour == 19 and status.next_start.utcoffset().total_seconds() == -5 * 3600


def test_meeting_without_zone_or_times_is_not_guessed():
    assert meeting_status("", "", "", "Europe/London", at("2026-11-26T12:00")).text.startswith("Meeting times not known")
    assert meeting_status("2", "19:00", "", "", at("2026-11-26T12:00")).text == "Meets Tue 19:00 (local time)"


def test_time_of_day():
    assert [schedule.time_of_day(t) for t in ("07:00", "12:00", "16:59", "17:00", "")] == [
        "morning", "afternoon", "afternoon", "evening", None,
    ]  # fmt: skip
