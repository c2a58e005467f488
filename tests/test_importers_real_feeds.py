"""Every real file in ../shared/data/real-feeds (and the shared SAMHSA files) through its
importer, as a whole process: exit 0 or 1, no traceback, and a report that accounts for every
source field. The fields are counted here independently of the importer (json / csv), so a
field the importer forgets, or miscounts, fails."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from helpmap.importers.mapping import MAPPED, NOT_CARRIED, USED, WORDS
from tests.shared_paths import (
    BMLT_FORMATS,
    BMLT_MEETINGS,
    HSDS_MIAMI,
    MEETING_GUIDE_FEEDS,
    NALOXONE_PHARMACIES,
    REPO,
    SAMHSA_CSV,
    SAMHSA_JSON,
    SAMHSA_NATIONAL,
    SAMHSA_OTP,
    SAMHSA_WA,
)

# (format, file, extra command-line options)
CASES = [
    *[("meeting-guide", path, []) for path in MEETING_GUIDE_FEEDS],
    ("bmlt", BMLT_MEETINGS, []),
    ("bmlt", BMLT_MEETINGS, ["--formats", str(BMLT_FORMATS)]),
    ("hsds", HSDS_MIAMI, []),
    ("samhsa", SAMHSA_WA, []),
    ("samhsa", SAMHSA_NATIONAL, []),
    ("samhsa", SAMHSA_CSV, []),
    ("samhsa", SAMHSA_OTP, []),
    ("samhsa", SAMHSA_JSON, []),
    ("csv", NALOXONE_PHARMACIES, ["--kind", "harm_reduction"]),
]
IDS = [f"{fmt}:{path.name}{'+' + extra[0] if extra else ''}" for fmt, path, extra in CASES]


def test_every_real_file_is_in_a_case():
    listed = {path for _, path, _ in CASES}
    real = {p for p in (REPO.parent / "shared" / "data" / "real-feeds").rglob("*") if p.is_file()}
    real = {p for p in real if p.name != "SOURCE.txt" and "open211-miami-2019" not in p.parts}
    assert real - listed == {BMLT_FORMATS}  # the format table is read beside its meeting list


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Each case through the command line's own entry point (in this process: one start-up
    for all), with its printed JSON report. An exception here would be a traceback."""
    from helpmap.cli import main

    results = {}
    folder = tmp_path_factory.mktemp("real-feeds")
    for (fmt, path, extra), ident in zip(CASES, IDS):
        out = folder / f"{len(results)}.csv"
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            code = main(["import", fmt, str(path), "-o", str(out), "--json", *extra])
        results[ident] = (code, json.loads(printed.getvalue()), out)
    return results


@pytest.mark.parametrize("ident", IDS)
def test_the_command_imports_with_exit_0_or_1(outputs, ident):
    code, report, out = outputs[ident]
    assert code in (0, 1), report.get("error")
    assert report["loaded"] > 0 and out.is_file()
    rows_out = sum(1 for _ in csv.reader(out.open(encoding="utf-8", newline=""))) - 1
    assert rows_out == report["loaded"]
    # every rejected row is counted under a reason, and exit 1 means some were rejected
    assert sum(report["rejected_by_reason"].values()) == len(report["rejected"])
    assert (code == 1) == bool(report["rejected"])


def test_a_real_file_as_a_whole_process_prints_no_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "helpmap", "import", "hsds", str(HSDS_MIAMI), "-o", str(tmp_path / "o.csv")],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "taxonomy: RX-8450.1150-180 Comprehensive Outpatient Drug Use Disorder Treatment -> treatment" in done.stdout


def source_field_counts(fmt: str, path: Path) -> dict[str, int]:
    """Fields of the source and how many rows have a value, counted here, not by the importer."""
    if fmt in ("meeting-guide", "bmlt") or path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("meetings") or data.get("rows")
        counts: Counter = Counter()
        for record in data:
            for key, value in record.items():
                counts[key] += 0
                if value not in (None, "", [], {}) and not (isinstance(value, str) and not value.strip()):
                    counts[key] += 1
        return dict(counts)
    if fmt == "hsds":
        counts = {}
        for table in sorted((path / "data").glob("*.csv")):
            with table.open(encoding="utf-8", errors="replace", newline="") as handle:
                rows = list(csv.DictReader(handle))
            for column in rows[0].keys() if rows else ():
                counts[f"{table.name}:{column.strip().lower()}"] = sum(
                    1 for row in rows if (row[column] or "").strip()
                )
        return counts
    encoding = "utf-8" if path != SAMHSA_OTP else "cp1252"
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))
    header = [cell.lstrip("\ufeff").strip().lower() for cell in rows[0]]
    missing = {"", "na", "n/a", "null", "none"}
    return {
        column: sum(1 for row in rows[1:] if any(row) and i < len(row) and row[i].strip().lower() not in missing)
        for i, column in enumerate(header)
    }


@pytest.mark.parametrize(("fmt", "path", "extra", "ident"), [(*case, i) for case, i in zip(CASES, IDS)], ids=IDS)
def test_every_source_field_is_mapped_put_in_words_used_or_counted_as_not_carried(outputs, fmt, path, extra, ident):
    report = outputs[ident][1]
    accounted = {use["field"]: use for use in report["fields"]}
    expected = source_field_counts(fmt, path)
    for name, rows in expected.items():
        assert name in accounted, f"{name} ({rows} rows) is not in the report"
        use = accounted[name]
        assert use["how"] in (MAPPED, WORDS, USED, NOT_CARRIED)
        assert use["rows"] == rows, f"{name}: the report says {use['rows']} rows, the file has {rows}"
    # nothing else is claimed, beyond whole tables not read and rows linked to nothing (HSDS)
    extra_fields = set(accounted) - set(expected)
    assert all(f.endswith((" (whole table)", ": rows linked to nothing")) for f in extra_fields), extra_fields
    assert report["not_carried"] == {
        use["field"]: use["rows"] for use in report["fields"] if use["how"] == NOT_CARRIED and use["rows"]
    }
