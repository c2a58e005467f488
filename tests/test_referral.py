"""Referral outputs: the printable sheet, the CSV, the calendar file, the share link and the CLI."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import urllib.parse
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from dateutil.rrule import rrulestr
from dateutil.tz import tzical

from helpmap import ics, links, referral, referral_facts, referral_sheet, schema
from helpmap.directory import load
from helpmap.helplines import HelpLine

REPO = Path(__file__).resolve().parents[1]
MADE = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)  # a Friday

DIRECTORY = """\
id,name,kind,address,city,region,postcode,country,latitude,longitude,phone,website,hours,day,time,end_time,timezone,attendance,online_url,cost,payment,approximate,last_verified
clinic,"Riverside Clinic, Leeds",treatment,1 River St,Leeds,England,LS1 1AA,GB,53.8,-1.55,+44 113 496 0001,https://clinic.example.org/,Mo-Fr 09:00-17:00,,,,Europe/London,,,free,free,no,2026-10-01
tuesday,Tuesday Group,support_group,12 Quiet Lane,Leeds,England,LS2 2BB,GB,53.81,-1.54,0113 496 0002,,,2,19:00,20:30,Europe/London,in_person,,free,,yes,
weekdays,Monday and Wednesday Group,support_group,,Leeds,England,,GB,53.79,-1.56,,,,1;3,18:30,,Europe/London,hybrid,https://meet.example.org/room,,,yes,
online,Night Owls Online,support_group,,,,,,,,,,,0;1;2;3;4;5;6,23:30,00:30,America/New_York,online,https://meet.example.org/owls,,,,
"""


@pytest.fixture
def directory_csv(tmp_path) -> Path:
    path = tmp_path / "directory.csv"
    path.write_text(DIRECTORY, encoding="utf-8")
    return path


@pytest.fixture
def frame(directory_csv) -> pd.DataFrame:
    loaded = load(directory_csv, geocoder=None)
    assert loaded.report.loaded == 4, loaded.report.summary_lines()
    return loaded.frame


def rows_from(records: list[dict]) -> pd.DataFrame:
    """Rows straight into a frame, skipping the loader's cleaning: the outputs must be safe on
    their own, whatever reaches them."""
    full = [
        {c: "" for c in schema.COLUMNS} | {"latitude": float("nan"), "longitude": float("nan")} | r
        for r in records
    ]
    return pd.DataFrame(full, columns=list(schema.COLUMNS))


def make(frame: pd.DataFrame, ids: list[str], **options) -> referral_facts.Referral:
    return referral_facts.Referral(rows=referral.resolve(frame, ids).rows, made=MADE, **options)


# --- choosing services ---------------------------------------------------------------------


def test_resolve_keeps_the_asked_order_and_names_unknown_ids(frame):
    resolved = referral.resolve(frame, ["tuesday", "nope", "clinic", "gone-too"])
    assert list(resolved.rows["id"]) == ["tuesday", "clinic"]
    assert resolved.unknown == ("nope", "gone-too")
    message = referral.unknown_message(resolved.unknown)
    assert "'nope'" in message and "'gone-too'" in message


def test_parse_ids_splits_trims_and_drops_repeats():
    assert referral.parse_ids(" a, b,,a ") == ["a", "b"]
    assert referral.parse_ids(["a,b", "c", "b"]) == ["a", "b", "c"]
    assert len(referral.parse_ids(",".join(f"id{n}" for n in range(500)))) == referral.MAX_IDS


def test_share_link_carries_only_the_ids_and_reads_back():
    ids = ["clinic", "tuesday", "s-0a1b2c3d4e"]
    url = referral.share_url("http://127.0.0.1:8501/referral?place=Leeds&note=private#top", ids)
    assert url == "http://127.0.0.1:8501/referral?ids=clinic,tuesday,s-0a1b2c3d4e"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert list(query) == ["ids"]
    assert referral.parse_ids(query["ids"]) == ids


def test_share_query_encodes_characters_that_would_break_the_link():
    query = referral.share_query(["a&b=c", "d e"])
    assert "&" not in query and " " not in query
    assert referral.parse_ids(urllib.parse.parse_qs(query)["ids"]) == ["a&b=c", "d e"]


# --- the printable sheet -------------------------------------------------------------------


class Tags(HTMLParser):
    """Every tag, attribute and text node, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)

    def handle_data(self, data):
        self.text.append(data)


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def test_sheet_has_everything_a_client_needs(frame):
    lines = {"GB": [HelpLine("GB", "Samaritans", "crisis_support", phone="116 123", hours="24 hours")]}
    sheet = referral_sheet.sheet_html(make(frame, ["clinic", "tuesday"], notes={"tuesday": "Ask for Sam"},
                                           client_note="Start on Tuesday", helplines=lines))  # fmt: skip
    text = " ".join(" ".join(parsed(sheet).text).split())
    assert "Riverside Clinic, Leeds" in text
    assert "1 River St, Leeds, England, LS1 1AA" in text  # exact address: not approximate
    assert "Hours: Mon–Fri 09:00–17:00" in text
    assert "Every Tuesday, 19:00–20:30" in text
    assert "Next meeting: Tuesday 1 December 2026, 19:00" in text  # the first Tuesday after 27 Nov
    assert "Please call before you go" in text
    assert "Made on 27 November 2026" in text
    assert "Ask for Sam" in text and "Start on Tuesday" in text
    assert "Samaritans" in text
    hrefs = [v for k, v in parsed(sheet).attrs if k == "href"]
    assert "tel:+441134960001" in hrefs and "tel:116123" in hrefs
    assert "https://clinic.example.org/" in hrefs
    assert "https://www.openstreetmap.org/directions?to=53.80000%2C-1.55000" in hrefs
    assert sheet.index("Riverside Clinic") < sheet.index("Tuesday Group")  # the caseworker's order


def test_sheet_shows_only_the_area_for_approximate_listings(frame):
    ref = make(frame, ["tuesday"])
    for output in (
        referral_sheet.sheet_html(ref),
        referral.csv_bytes(ref).decode("utf-8-sig"),
        ics.ics_text(ref),
    ):
        assert "Quiet Lane" not in output and "LS2" not in output
        assert "Leeds" in output


def test_sheet_has_no_scripts_images_or_outside_resources(frame):
    sheet = referral_sheet.sheet_html(make(frame, ["clinic", "tuesday", "weekdays", "online"]))
    tags = parsed(sheet)
    assert set(tags.tags) <= {"html", "head", "meta", "title", "style", "body", "article", "h1", "h2", "h3", "p",
                              "div", "span", "ol", "ul", "li", "a", "footer"}  # fmt: skip
    assert "default-src 'none'" in sheet  # the file's own CSP forbids scripts and fetches
    assert "url(" not in sheet and "@import" not in sheet
    assert "@media print" in sheet and "break-inside: avoid" in sheet


HOSTILE = {
    "id": "evil",
    "name": '<script>alert("name")</script>" onmouseover="alert(1)',
    "kind": "treatment",
    "organization": "<img src=x onerror=alert(2)>",
    "address": "<b>1 Bold St</b>",
    "city": "Leeds",
    "phone": '"><svg onload=alert(3)>',
    "website": "javascript:alert(4)",
    "online_url": "JaVaScRiPt:alert(5)",
    "hours": "<i>always</i>",
    "latitude": 53.8,
    "longitude": -1.55,
}


def test_hostile_text_is_escaped_and_unsafe_addresses_are_not_links():
    second = {"id": "evil2", "website": "data:text/html,<script>x</script>",
              "online_url": 'https://ok.example.org/a" onclick="x'}  # fmt: skip
    ref = referral_facts.Referral(
        rows_from([HOSTILE, HOSTILE | second]),
        made=MADE,
        notes={"evil": "</article><script>alert(6)</script>"},
        client_note="<style>body{display:none}</style>",
        title="<b>Site</b>",
    )
    for sheet in (referral_sheet.sheet_html(ref), referral_sheet.sheet_html(ref, standalone=False)):
        tags = parsed(sheet)
        assert (
            "script" not in tags.tags
            and "img" not in tags.tags
            and "svg" not in tags.tags
            and "b" not in tags.tags
        )
        assert tags.tags.count("style") == 1  # ours only
        assert not [name for name, _ in tags.attrs if name.startswith("on")]
        hrefs = [value for name, value in tags.attrs if name == "href"]
        assert hrefs and all(re.match(r"^(https?://|tel:\+?\d+$)", h) for h in hrefs), hrefs
        assert not any("javascript" in h.lower() or "data:" in h for h in hrefs)
        text = "".join(tags.text)
        # The words are still there for a person to read, as text.
        assert '<script>alert("name")</script>" onmouseover="alert(1)' in text
        assert "</article><script>alert(6)</script>" in text
        assert "&lt;script&gt;" in sheet


def test_hostile_phone_gets_no_tel_link():
    assert links.tel_href('"><svg onload=alert(3)>') is None
    assert links.tel_href("1-800-GET-HELP") is None  # letters would dial a wrong number
    assert links.tel_href("+1 434-555-0101 ext 12") == "tel:+14345550101"
    assert links.tel_href(" +44 (0)113 496 0001 ") == "tel:+441134960001"
    assert links.tel_href("0113 496 0002") == "tel:01134960002"


# --- the CSV -------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_prefixes_are_neutralised(prefix):
    cell = f'{prefix}HYPERLINK("http://evil.example","click")'
    assert referral.neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Leeds", "0113 496 0002", "", "a=b", " =1+1'", "'quoted"])
def test_ordinary_cells_are_left_alone(cell):
    assert referral.neutralise(cell) == cell


def test_international_phone_numbers_stay_dialable_without_a_leading_plus():
    assert referral.csv_phone("+44 113 496 0001") == "(+44) 113 496 0001"
    assert referral.csv_phone("+1 434-555-0101 ext 12") == "(+1) 434-555-0101 ext 12"
    assert referral.csv_phone("0113 496 0002") == "0113 496 0002"
    assert referral.csv_phone("+14345550101") == "'+14345550101"  # no separator: the quote rule
    assert referral.csv_phone("+1 =cmd|' /C calc'!A0") == "'+1 =cmd|' /C calc'!A0"  # not a phone


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_a_bom_and_round_trips(frame):
    ref = make(frame, ["tuesday", "clinic"], notes={"clinic": 'Line one, "quoted";\nline two – ü'})
    data = referral.csv_bytes(ref)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = read_csv(data)
    assert [r["id"] for r in rows] == ["tuesday", "clinic"]
    assert [r["position"] for r in rows] == ["1", "2"]
    clinic = rows[1]
    assert clinic["name"] == "Riverside Clinic, Leeds"
    assert clinic["note"] == 'Line one, "quoted";\nline two – ü'
    assert clinic["phone"] == "(+44) 113 496 0001" and clinic["phone_link"] == "tel:+441134960001"
    assert clinic["where"] == "1 River St, Leeds, England, LS1 1AA" and clinic["area_only"] == "no"
    assert rows[0]["when"] == "When: Every Tuesday, 19:00–20:30; Next meeting: Tuesday 1 December 2026, 19:00"
    assert rows[0]["next_meeting"] == "2026-12-01 19:00 (Europe/London)"
    assert rows[0]["area_only"] == "yes" and rows[0]["where"] == "Leeds, England"


def test_an_online_meeting_has_no_place_and_no_directions(frame):
    ref = make(frame, ["online"])
    row = read_csv(referral.csv_bytes(ref))[0]
    assert row["where"] == "" and row["directions"] == "" and row["online"] == "https://meet.example.org/owls"
    assert row["when"].startswith("When: Every day, 23:30–00:30 (New York time)")
    sheet = referral_sheet.sheet_html(ref)
    assert "Directions" not in sheet and "openstreetmap" not in sheet


def test_csv_neutralises_hostile_cells():
    hostile = {"id": "=1+1", "name": "=HYPERLINK(\"http://evil\")", "kind": "treatment", "organization": "@SUM(A1)",
               "city": "-2+3", "phone": "+1 =cmd|' /C calc'!A0", "latitude": 53.8, "longitude": -1.55}  # fmt: skip
    data = referral.csv_bytes(
        referral_facts.Referral(rows_from([hostile]), made=MADE, notes={"=1+1": "\tnote"})
    )
    rows = read_csv(data)
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(referral.FORMULA_STARTS), (column, value)
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["note"] == "note"  # control characters and edge spaces are cleaned from notes
    assert rows[0]["id"] == "'=1+1"


# --- the calendar --------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(text: str) -> list[dict[str, str]]:
    """VEVENTs as {property (with parameters): value}."""
    found, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return found


def test_calendar_has_a_weekly_event_per_meeting_in_its_own_time_zone(frame):
    text = ics.ics_text(make(frame, ["clinic", "tuesday", "weekdays", "online"]))
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found = events(text)
    assert len(found) == 3  # the clinic has opening hours, not meetings
    tuesday, weekdays, online = found
    assert tuesday["DTSTART;TZID=Europe/London"] == "20261201T190000"
    assert tuesday["DTEND;TZID=Europe/London"] == "20261201T203000"
    assert tuesday["RRULE"] == "FREQ=WEEKLY;BYDAY=TU"
    assert weekdays["RRULE"] == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert weekdays["DTSTART;TZID=Europe/London"] == "20261130T183000"  # Monday 30 November
    assert weekdays["DTEND;TZID=Europe/London"] == "20261130T193000"  # no end time: an hour
    assert online["RRULE"] == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU"
    assert online["DTSTART;TZID=America/New_York"] == "20261127T233000"
    assert online["DTEND;TZID=America/New_York"] == "20261128T003000"  # past midnight
    assert online["LOCATION"] == "Online" and online["URL"] == "https://meet.example.org/owls"
    assert len({e["UID"] for e in found}) == 3
    assert all(e["DTSTAMP"] == "20261127T120000Z" for e in found)
    assert unescape(tuesday["LOCATION"]) == "Leeds, England (area only: call for the exact place)"
    assert "Please call before you go" in unescape(tuesday["DESCRIPTION"])


def test_calendar_rrule_gives_the_right_days_and_times(frame):
    text = ics.ics_text(make(frame, ["weekdays"]))
    event = events(text)[0]
    zone = ZoneInfo("Europe/London")
    start = datetime.strptime(event["DTSTART;TZID=Europe/London"], "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    dates = list(
        rrulestr(event["RRULE"], dtstart=start, cache=False).xafter(start - timedelta(seconds=1), count=6)
    )
    assert [d.strftime("%a %H:%M") for d in dates] == ["Mon 18:30", "Wed 18:30"] * 3
    assert dates[0].date() == date(2026, 11, 30)


def test_calendar_text_is_escaped_and_folded():
    name = 'Back\\slash; comma, "quote"\nnew line ' + "Zürich ünïcödé " * 8
    rows = rows_from([{"id": "x", "name": name, "kind": "support_group", "day": "2", "time": "19:00",
                       "timezone": "Europe/Zurich", "attendance": "online"}])  # fmt: skip
    text = ics.ics_text(
        referral_facts.Referral(rows, made=MADE, notes={"x": "Bring a friend;\nor two, if you like"})
    )
    raw = text.encode("utf-8")
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line ends CRLF
    event = events(text)[0]
    assert event["SUMMARY"].startswith('Back\\\\slash\\; comma\\, "quote" new line')  # a name is one line
    assert unescape(event["SUMMARY"]) == " ".join(name.split())
    assert "Note: Bring a friend;\nor two, if you like" in unescape(event["DESCRIPTION"])
    assert any(line.startswith(" ") for line in text.split("\r\n"))  # it was long enough to fold


@pytest.mark.parametrize(
    "zone_name, expected",
    [
        (
            "America/New_York",
            {"DAYLIGHT": "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "STANDARD": "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"},
        ),
        (
            "Europe/London",
            {"DAYLIGHT": "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "STANDARD": "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"},
        ),
        (
            "Australia/Sydney",
            {"DAYLIGHT": "FREQ=YEARLY;BYMONTH=10;BYDAY=1SU", "STANDARD": "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"},
        ),
    ],
)
def test_vtimezone_states_the_zones_summer_time_rules(zone_name, expected):
    lines = ics.vtimezone_lines(zone_name, 2026)
    rules, kind = {}, None
    for line in lines:
        if line in ("BEGIN:DAYLIGHT", "BEGIN:STANDARD"):
            kind = line.split(":")[1]
        elif line.startswith("RRULE:"):
            rules[kind] = line.removeprefix("RRULE:")
    assert rules == expected


@pytest.mark.parametrize(
    "zone_name",
    [
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Jerusalem",
        "America/Santiago",
        "Africa/Casablanca",
        "Asia/Tokyo",
        "Europe/Dublin",
        "Asia/Kolkata",
    ],
)
def test_vtimezone_gives_the_same_offsets_as_the_iana_data(zone_name):
    """A client that reads our VTIMEZONE (dateutil's parser here) must get the zone's real offset."""
    text = "BEGIN:VCALENDAR\r\n" + "\r\n".join(ics.vtimezone_lines(zone_name, 2026)) + "\r\nEND:VCALENDAR\r\n"
    ours = tzical(io.StringIO(text)).get(zone_name)
    real = ZoneInfo(zone_name)
    moment = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
    while moment.year < 2036:
        local = moment.astimezone(real).replace(tzinfo=None)  # noon UTC every third day, ten years
        assert local.replace(tzinfo=ours).utcoffset() == moment.astimezone(real).utcoffset(), (
            zone_name,
            local,
        )
        moment += timedelta(days=3)


def test_no_meetings_means_no_events(frame):
    text = ics.ics_text(make(frame, ["clinic"]))
    assert events(text) == [] and "BEGIN:VTIMEZONE" not in text


# --- help lines ----------------------------------------------------------------------------


def test_help_lines_follow_the_services_country(tmp_path, frame):
    path = tmp_path / "helplines.csv"
    path.write_text(
        "country,service,purpose,phone,text,chat_url,hours,description,source,last_checked,status\n"
        "GB,Samaritans,crisis_support,116 123,,,24 hours,Support.,S — https://example.org,2026-01-01,VERIFIED\n"
        "US,988 Lifeline,crisis_support,988,988,,24 hours,Support.,S — https://example.org,2026-01-01,VERIFIED\n",
        encoding="utf-8",
    )
    rows = referral.resolve(frame, ["clinic"]).rows
    assert referral.countries(rows, "US") == ["GB"]
    found = referral.helplines_for(referral.countries(rows, "US"), "US", path)
    assert [line.service for line in found["GB"]] == ["Samaritans"]
    # An online-only list has no country: the site's default country's lines are used.
    online = referral.resolve(frame, ["online"]).rows
    assert list(referral.helplines_for(referral.countries(online, "US"), "US", path)) == ["US"]


# --- the command line ----------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpmap", "referral", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize("fmt", ["html", "csv", "ics"])
def test_cli_writes_each_format(directory_csv, tmp_path, fmt):
    out = tmp_path / f"referral.{fmt}"
    result = run("--data", str(directory_csv), "--ids", "tuesday,clinic", "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    if fmt == "csv":
        assert [r["id"] for r in read_csv(data)] == ["tuesday", "clinic"]
    elif fmt == "ics":
        assert [e["SUMMARY"] for e in events(data.decode("utf-8"))] == ["Tuesday Group"]
    else:
        text = data.decode("utf-8")
        assert text.startswith("<!DOCTYPE html>") and "Riverside Clinic, Leeds" in text


def test_cli_unknown_ids_are_named_with_exit_1_and_no_file(directory_csv, tmp_path):
    out = tmp_path / "referral.csv"
    result = run("--data", str(directory_csv), "--ids", "clinic,nope", "--ids", "missing", "--format", "csv",
                 "-o", str(out))  # fmt: skip
    assert result.returncode == 1
    assert "'nope'" in result.stderr and "'missing'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_cli_calendar_without_meetings_and_unusable_data(directory_csv, tmp_path):
    result = run(
        "--data", str(directory_csv), "--ids", "clinic", "--format", "ics", "-o", str(tmp_path / "x.ics")
    )
    assert result.returncode == 1 and "calendar" in result.stderr and "Traceback" not in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("just,some\nwords,here\n", encoding="utf-8")
    result = run("--data", str(bad), "--ids", "a", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert result.returncode == 2 and "cannot be used" in result.stderr and "Traceback" not in result.stderr


def test_cli_can_write_to_standard_output(directory_csv):
    result = run("--data", str(directory_csv), "--ids", "tuesday", "--format", "ics", "-o", "-")
    assert result.returncode == 0 and "SUMMARY:Tuesday Group" in result.stdout


def test_the_core_never_imports_streamlit():
    code = "import sys, helpmap.referral; assert 'streamlit' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def test_a_help_line_for_part_of_the_country_says_so_on_the_sheet(frame):
    lines = {"GB": [HelpLine("GB", "NHS 111", "urgent_medical", phone="111", area="England, Scotland and Wales")]}
    sheet = referral_sheet.sheet_html(make(frame, ["clinic"], helplines=lines))
    text = " ".join(" ".join(parsed(sheet).text).split())
    assert "England, Scotland and Wales only" in text
