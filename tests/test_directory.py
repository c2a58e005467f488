"""The directory loader: every bad row is reported with its line and reason; good rows still load."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpmap import directory, schema
from helpmap.report import EXIT_ALL_VALID, EXIT_SOME_REJECTED, EXIT_UNUSABLE

REPO = Path(__file__).resolve().parents[1]
HEADER = "id,name,kind,latitude,longitude,phone,website\n"


def write(tmp_path: Path, text: str | bytes, name: str = "dir.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def load(path: Path, **kwargs) -> directory.Directory:
    return directory.load(path, geocoder=kwargs.pop("geocoder", None), **kwargs)


def reasons(loaded: directory.Directory) -> dict[int, str]:
    return {r.line: r.reason for r in loaded.report.rejected}


def test_valid_file_loads_every_row_with_schema_columns(tmp_path):
    path = write(tmp_path, HEADER + "a,Alpha,treatment,40.1,-74.2,555,https://a.example\nb,Beta,support_group,41,-75,,\n")
    loaded = load(path)
    assert loaded.report.loaded == 2 and loaded.report.rejected == [] and loaded.report.exit_code == EXIT_ALL_VALID
    assert list(loaded.frame.columns[: len(schema.COLUMNS)]) == list(schema.COLUMNS)
    assert loaded.frame.loc[0, "name"] == "Alpha"
    assert loaded.frame.loc[1, "latitude"] == 41.0


def test_each_bad_row_is_reported_with_its_line_and_the_rest_load(tmp_path):
    text = (
        HEADER
        + "1,Good,treatment,40,-74,,\n"  # line 2
        + "2,Far north,treatment,191.2,10,,\n"  # line 3
        + "3,Words,treatment,north,10,,\n"  # line 4
        + "4,,treatment,40,-74,,\n"  # line 5
        + "5,Typo,treatmnet,40,-74,,\n"  # line 6
        + "6,Half,treatment,40,,,\n"  # line 7
        + "7,West,treatment,40,-181,,\n"  # line 8
    )
    loaded = load(write(tmp_path, text))
    assert loaded.report.loaded == 1
    assert reasons(loaded) == {
        3: "the latitude 191.2 is outside -90 to 90",
        4: "the latitude 'north' is not a number",
        5: "the name is blank",
        6: "the kind 'treatmnet' is not one of treatment, support_group, harm_reduction, helpline. "
        "Did you mean 'treatment'?",
        7: "has only one of latitude and longitude",
        8: "the longitude -181 is outside -180 to 180",
    }
    assert loaded.report.exit_code == EXIT_SOME_REJECTED
    assert str(loaded.report.rejected[0]) == "line 3: the latitude 191.2 is outside -90 to 90"


def test_a_row_with_two_problems_names_both(tmp_path):
    loaded = load(write(tmp_path, HEADER + "1,,nonsense,95,10,,\n"))
    assert reasons(loaded)[2].startswith("the name is blank; the kind 'nonsense' is not one of")
    assert "the latitude 95 is outside -90 to 90" in reasons(loaded)[2]


def test_missing_required_columns_are_named_in_one_error(tmp_path):
    loaded = load(write(tmp_path, "title,latitude,longitude\nA,1,2\n"))
    assert loaded.report.fatal.startswith("The header is missing the required columns name, kind.")
    assert loaded.report.exit_code == EXIT_UNUSABLE and len(loaded) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (HEADER.encode(), "The file has a header but no rows."),
        (b'{"meetings": []}', "This looks like JSON, not CSV."),
        (b"<!doctype html><html><body>Not found</body></html>", "This looks like a web page or XML"),
        (b"PK\x03\x04\x14\x00\x00\x00binary\x00\x00", "This is not a CSV file: it looks like a binary file"),
    ],
)
def test_unusable_files_get_one_clear_message(tmp_path, content, message):
    loaded = load(write(tmp_path, content))
    assert loaded.report.fatal.startswith(message)
    assert loaded.report.exit_code == EXIT_UNUSABLE


def test_no_usable_rows_is_unusable_but_every_row_is_still_reported(tmp_path):
    loaded = load(write(tmp_path, HEADER + "1,,treatment,40,-74,,\n2,B,treatment,99,0,,\n"))
    assert loaded.report.loaded == 0 and len(loaded.report.rejected) == 2
    assert loaded.report.fatal == "No row could be used; see the reasons above."
    assert loaded.report.exit_code == EXIT_UNUSABLE


def test_blank_lines_and_quoted_newlines_keep_line_numbers_right(tmp_path):
    text = HEADER + "\n" + '1,"Two\nline name",treatment,40,-74,,\n' + "\n" + "2,Bad,treatment,400,0,,\n"
    loaded = load(write(tmp_path, text))
    assert loaded.frame.loc[0, "name"] == "Two\nline name"
    assert reasons(loaded) == {6: "the latitude 400 is outside -90 to 90"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(tmp_path, delimiter):
    rows = [["id", "name", "kind", "latitude", "longitude"], ["1", "A, B and C", "treatment", "40.5", "-74"]]
    text = "\n".join(delimiter.join(f'"{c}"' if "," in c else c for c in row) for row in rows) + "\n"
    loaded = load(write(tmp_path, text))
    assert loaded.report.loaded == 1
    assert loaded.frame.loc[0, "name"] == "A, B and C"


def test_semicolon_files_may_use_decimal_commas(tmp_path):
    loaded = load(write(tmp_path, "name;kind;latitude;longitude\nA;treatment;51,5;-0,12\n"))
    assert (loaded.frame.loc[0, "latitude"], loaded.frame.loc[0, "longitude"]) == (51.5, -0.12)


def test_utf8_bom_is_read_silently(tmp_path):
    loaded = load(write(tmp_path, b"\xef\xbb\xbf" + "name,kind,latitude,longitude\nZürich Hilfe,treatment,47.37,8.54\n".encode()))
    assert loaded.frame.loc[0, "name"] == "Zürich Hilfe"
    assert loaded.report.warnings == []


def test_latin1_falls_back_with_a_warning(tmp_path):
    loaded = load(write(tmp_path, "name,kind,latitude,longitude\nCafé Señor,treatment,40,-3\n".encode("latin-1")))
    assert loaded.frame.loc[0, "name"] == "Café Señor"
    assert any("not UTF-8" in w for w in loaded.report.warnings)


def test_utf16_spreadsheet_export_is_read(tmp_path):
    loaded = load(write(tmp_path, "name\tkind\tlatitude\tlongitude\nÅse\ttreatment\t59.9\t10.7\n".encode("utf-16")))
    assert loaded.frame.loc[0, "name"] == "Åse"


def test_duplicate_ids_keep_the_first_and_report_the_rest(tmp_path):
    loaded = load(write(tmp_path, HEADER + "x,First,treatment,40,-74,,\nx,Second,treatment,41,-74,,\n"))
    assert loaded.frame["name"].tolist() == ["First"]
    assert reasons(loaded) == {3: "the id 'x' is already used on line 2; this row was skipped"}


def test_exact_duplicate_rows_are_reported_and_one_kept(tmp_path):
    row = "x,Same,treatment,40,-74,,\n"
    loaded = load(write(tmp_path, HEADER + row + "y,Other,treatment,41,-74,,\n" + row))
    assert loaded.frame["id"].tolist() == ["x", "y"]
    assert reasons(loaded) == {4: "is an exact copy of line 2; the copy was skipped"}


def test_rows_with_too_many_values_are_rejected_not_misread(tmp_path):
    loaded = load(write(tmp_path, "name,kind,latitude,longitude\nA,treatment,40,-74,extra\nB,treatment,41,-74\n"))
    assert loaded.frame["name"].tolist() == ["B"]
    assert "has 5 values but the header has 4 columns" in reasons(loaded)[2]


def test_very_long_fields_are_cut_with_a_warning(tmp_path):
    huge = "x" * 5_000_000
    loaded = load(write(tmp_path, f"name,kind,latitude,longitude,description\nA,treatment,40,-74,{huge}\n"))
    assert loaded.report.loaded == 1
    assert len(loaded.frame.loc[0, "description"]) == directory.MAX_FIELD_CHARS + 1
    assert any("5,000,000 characters" in w for w in loaded.report.warnings)


def test_text_is_kept_as_text_never_evaluated(tmp_path):
    payloads = ["=HYPERLINK(\"http://evil\")", "<script>alert(1)</script>", "+1 202 555 0100", "@SUM(A1)", "__import__('os')"]
    rows = "".join(f'{i},"{p.replace(chr(34), chr(34) * 2)}",treatment,40,-74,,\n' for i, p in enumerate(payloads))
    loaded = load(write(tmp_path, HEADER + rows))
    assert loaded.frame["name"].tolist() == payloads


def test_only_http_websites_are_kept(tmp_path):
    loaded = load(write(tmp_path, HEADER + "1,A,treatment,40,-74,,javascript:alert(1)\n2,B,treatment,40,-74,,https://ok.example/x\n"))
    assert loaded.frame["website"].tolist() == ["", "https://ok.example/x"]
    assert any("javascript:alert(1)" in w and "left out" in w for w in loaded.report.warnings)


def test_online_services_and_helplines_need_no_place(tmp_path):
    text = "name,kind,attendance,latitude,longitude\nZoom group,support_group,online,,\nLine,helpline,,,\nNowhere,treatment,,,\n"
    loaded = load(write(tmp_path, text))
    assert loaded.frame["name"].tolist() == ["Zoom group", "Line"]
    assert reasons(loaded) == {4: "has no location: give latitude and longitude, an address, or attendance=online"}


def test_address_without_coordinates_is_reported_as_needing_a_location_without_a_geocoder(tmp_path):
    loaded = load(write(tmp_path, "name,kind,city,country\nA,treatment,Leeds,GB\n"))
    assert reasons(loaded) == {
        2: "needs a location: it has no coordinates and its address (Leeds, GB) could not be found offline"
    }


def test_address_without_coordinates_is_placed_by_the_geocoder(tmp_path):
    calls = []

    def geocoder(city, region, postcode, country):
        calls.append((city, region, postcode, country))
        return (53.8, -1.55, "Leeds, England, GB") if city == "Leeds" else None

    text = "name,kind,city,region,postcode,country\nA,treatment,Leeds,,,GB\nB,treatment,Nowhere,,,GB\n"
    loaded = load(write(tmp_path, text), geocoder=geocoder)
    assert calls == [("Leeds", "", "", "GB"), ("Nowhere", "", "", "GB")]
    assert loaded.frame.loc[0, ["latitude", "longitude", "approximate"]].tolist() == [53.8, -1.55, "yes"]
    assert 3 in reasons(loaded)


def test_meeting_fields_are_normalised(tmp_path):
    text = "name,kind,latitude,longitude,day,time,timezone,wheelchair\nM,support_group,40,-74,Tue; thursday,7:30,America/New_York,Y\nN,support_group,40,-74,Funday,25:00,Mars/Base,\n"
    loaded = load(write(tmp_path, text))
    first, second = loaded.frame.iloc[0], loaded.frame.iloc[1]
    assert (first["day"], first["time"], first["timezone"], first["wheelchair"]) == ("2;4", "07:30", "America/New_York", "yes")
    assert (second["day"], second["time"], second["timezone"]) == ("", "", "")
    assert len(loaded.report.warnings) == 3


def test_ids_are_derived_stably_when_absent(tmp_path):
    path = write(tmp_path, "name,kind,latitude,longitude\nA,treatment,40,-74\n")
    assert load(path).frame.loc[0, "id"] == load(path).frame.loc[0, "id"]
    assert load(path).frame.loc[0, "id"].startswith("s-")


def test_the_loader_never_modifies_its_input(tmp_path):
    path = write(tmp_path, HEADER + "1,,treatment,999,0,,\n1,A,treatment,40,-74,,javascript:x\n")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    load(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_missing_file_is_a_clear_error(tmp_path):
    loaded = load(tmp_path / "nope.csv")
    assert loaded.report.fatal == f"There is no file at {tmp_path / 'nope.csv'}."


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes]] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        status, body = self.routes.get(self.path, (404, b"missing"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_load_from_url_with_size_cap_and_errors(http_server, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    base = f"http://127.0.0.1:{http_server.server_address[1]}"
    _Handler.routes = {"/ok.csv": (200, (HEADER + "1,A,treatment,40,-74,,\n").encode()), "/big.csv": (200, b"x" * 5000)}
    assert directory.load(f"{base}/ok.csv", geocoder=None).report.loaded == 1
    assert directory.load(f"{base}/big.csv", geocoder=None, max_bytes=1000).report.fatal.endswith(
        "is larger than the limit of 1,000 bytes."
    )
    assert directory.load(f"{base}/gone.csv", geocoder=None).report.fatal == f"The server answered 404 Not Found for {base}/gone.csv."


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpmap", *args], capture_output=True, text=True, cwd=REPO)


def test_validate_cli_json_contract_and_exit_codes(tmp_path):
    good = write(tmp_path, HEADER + "1,A,treatment,40,-74,,\n", "good.csv")
    mixed = write(tmp_path, HEADER + "1,A,treatment,40,-74,,\n2,B,treatment,140,0,,\n", "mixed.csv")
    broken = write(tmp_path, "hello\n", "broken.csv")
    result = run_cli("validate", str(good), "--json")
    assert result.returncode == 0 and json.loads(result.stdout) == {"loaded": 1, "rejected": [], "warnings": []}
    result = run_cli("validate", str(mixed), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["rejected"] == [{"line": 3, "reason": "the latitude 140 is outside -90 to 90"}]
    result = run_cli("validate", str(broken))
    assert result.returncode == 2 and "missing the required columns name, kind" in result.stderr
    assert "Traceback" not in result.stderr


def test_shipped_demo_directory_is_valid_and_labelled_demo():
    loaded = directory.load(REPO / "data" / "demo-directory.csv")
    assert loaded.report.rejected == [] and loaded.report.loaded > 50
    assert set(loaded.frame["source"]) == {"demo"} and loaded.is_demo
    assert loaded.frame["name"].str.endswith("(demo)").all()
    assert loaded.country is None  # five countries: units and help lines stay as the site sets them


def test_the_data_country_and_dates_come_from_the_rows(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "name,kind,latitude,longitude,country,last_verified\n"
        "A,treatment,38.0,-78.5,US,2021-10-13\nB,treatment,38.1,-78.4,us,2021-07-28\nC,treatment,38.2,-78.3,,\n",
        encoding="utf-8",
    )
    loaded = directory.load(path, geocoder=None)
    assert loaded.country == "US"
    assert [str(d) for d in loaded.listing_dates] == ["2021-07-28", "2021-10-13"]
    path.write_text("name,kind,latitude,longitude,country\nA,treatment,38.0,-78.5,US\nB,treatment,53.8,-1.5,GB\n")
    mixed = directory.load(path, geocoder=None)
    assert mixed.country is None and mixed.listing_dates is None


def test_line_numbers_stay_right_with_a_quoted_newline_and_a_whitespace_only_line(tmp_path):
    # Each alone shifts a naive count by one, in opposite directions; together they would cancel.
    text = 'name,kind,latitude,longitude\n"Two\nlines",treatment,1,1\n   \nB,treatment,500,1\n'
    assert reasons(load(write(tmp_path, text))) == {5: "the latitude 500 is outside -90 to 90"}


def test_approximate_listings_keep_only_an_area_sized_point(tmp_path):
    text = "name,kind,latitude,longitude,approximate\nHome group,support_group,53.801234,-1.548765,yes\nClinic,treatment,53.801234,-1.548765,no\n"
    frame = load(write(tmp_path, text)).frame
    assert frame[["latitude", "longitude"]].values.tolist() == [[53.8, -1.55], [53.801234, -1.548765]]
