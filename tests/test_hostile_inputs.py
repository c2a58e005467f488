"""Hostile cells and files fail fast with a clear message and lose nothing else."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from helpmap import schedule

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text",
    ["mo" + " " * 1990 + "x", "mo" + " " * 480 + "x", "mo," * 160 + "x", "mo" + " 1" * 240],
)
def test_pathological_hours_are_reported_unknown(text):
    status = schedule.hours_status(text, "Europe/London", NOW)
    assert status.known is False and "call to check" in status.text


def test_hours_failures_are_cached_too():
    schedule._parse_hours.cache_clear()
    text = "mo" + " " * 300 + "x"
    for _ in range(3):
        with pytest.raises(schedule.UnknownHours):
            schedule.parse_hours(text)
    info = schedule._parse_hours.cache_info()
    assert info.misses == 1 and info.hits == 2


def test_overlong_hours_say_why():
    with pytest.raises(schedule.UnknownHours, match="over 500 characters"):
        schedule.parse_hours("Mo-Fr 09:00-17:00; " * 40)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo-Fr 09:00-17:00", 5),
        ("mo, we 09:00-12:00,13:00-17:00", 4),
        ("Mo-Su 08:00-20:00; Su off", 6),
        ("Sa,Su closed; Mo 10:00-11:00", 1),
    ],
)
def test_the_linear_parser_reads_what_the_old_one_did(text, expected):
    assert len(schedule.parse_hours(text)) == expected


# --- the site configuration ----------------------------------------------------------------

from helpmap import config  # noqa: E402


def config_problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return config.check_file(path)


@pytest.mark.parametrize(
    "toml",
    [
        '[[sources]]\nlocation = "../../../../../../etc/passwd"\n',
        '[[sources]]\nlocation = "/etc/passwd"\n',
        '[helplines]\nfile = "../../../../../../etc/hosts"\n',
        '[site]\nlogo = "/usr/share/pixmaps/debian-logo.png"\n',
    ],
)
def test_paths_outside_the_configuration_folder_are_refused(tmp_path, toml):
    (found,) = config_problems(tmp_path, toml)
    assert "outside the configuration file's folder" in found


def test_the_operator_can_allow_outside_paths_explicitly(tmp_path):
    assert config_problems(tmp_path, '[site]\nallow_outside_paths = true\n[helplines]\nfile = "/etc/hosts"\n') == []
    (found,) = config_problems(tmp_path, '[site]\nallow_outside_paths = "yes"\n')
    assert "true or false" in found


def test_shipped_data_may_be_named_from_anywhere(tmp_path):
    shipped = config.SHIPPED_DATA / "helplines.csv"
    assert config_problems(tmp_path, f'[helplines]\nfile = "{shipped}"\n') == []


def test_a_deeply_nested_configuration_fails_in_one_line(tmp_path):
    (found,) = config_problems(tmp_path, "a = " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert "nested too deeply" in found


def test_a_huge_configuration_is_refused_before_it_is_parsed(tmp_path):
    (found,) = config_problems(tmp_path, "# " + "x" * (config.MAX_CONFIG_BYTES + 10) + "\n")
    assert "over" in found and "bytes" in found


# --- hostile directory files, through the real command line ---------------------------------

import subprocess  # noqa: E402
import sys  # noqa: E402


def validate(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpmap", "validate", str(path)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_a_device_is_refused_at_once():
    result = validate("/dev/zero")
    assert result.returncode == 2 and "not a regular file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_thousands_of_columns_fail_with_one_line(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(5000)) + "\n" + "x," * 4999 + "x\n")
    result = validate(path)
    assert result.returncode == 2 and "5,000 columns" in result.stderr + result.stdout and "Traceback" not in result.stderr


def test_a_100_mb_line_fails_with_its_line_number(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"name,kind,latitude,longitude\n" + b"a" * 100_000_000 + b"\n")
    result = validate(path)
    assert result.returncode == 2 and "Line 2 is 100,000,000 characters" in result.stderr + result.stdout


def test_an_id_with_a_comma_is_refused_with_its_line(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text('id,name,kind,latitude,longitude\n"a,b",One,treatment,51.5,-0.1\nok,Two,treatment,51.5,-0.1\n')
    result = validate(path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "line 2: the id contains a comma" in output and "1 rows loaded" in output


def test_a_huge_hsds_table_fails_in_seconds_with_one_line(tmp_path):
    from helpmap.importers.hsds import MAX_TABLE_BYTES

    (tmp_path / "datapackage.json").write_text('{"resources": [{"name": "services", "path": "services.csv"}]}')
    with (tmp_path / "services.csv").open("w") as handle:
        handle.write("id,organization_id,name\n")
        row = "s,o1," + "x" * 1000 + "\n"
        handle.write(row * (MAX_TABLE_BYTES // len(row) + 10))
    for name in ("locations.csv", "service_at_location.csv"):
        (tmp_path / name).write_text("id\n")
    result = subprocess.run([sys.executable, "-m", "helpmap", "import", "hsds", str(tmp_path), "-o", str(tmp_path / "o.csv")],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2 and "HSDS tables of up to" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
