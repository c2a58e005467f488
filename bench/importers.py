"""Every real feed through its importer: rows in, imported, rejected (by reason), left out,
fields not carried, seconds. Prints a Markdown table. Reads ../shared/data; writes nothing.

    python bench/importers.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helpmap.importers import FORMATS  # noqa: E402

DATA = REPO.parent / "shared" / "data"
FEEDS = DATA / "real-feeds"
CASES = [
    *[("meeting-guide", p, {}) for p in sorted((FEEDS / "meeting-guide").glob("*.json"))],
    ("bmlt", FEEDS / "bmlt" / "yap__meeting-search-42.867970-day2.json", {}),
    ("bmlt", FEEDS / "bmlt" / "yap__formats.json", {}),
    ("hsds", FEEDS / "hsds" / "open211-miami-2019", {}),
    *[("samhsa", p, {}) for p in sorted((FEEDS / "samhsa").glob("*.csv"))],
    ("csv", FEEDS / "other" / "naloxzone__vancouver-pharmacies.csv", {"kind": "harm_reduction"}),
    *[("samhsa", p, {}) for p in sorted(DATA.glob("samhsa-*"))],
]


def rows_in(fmt: str, path: Path) -> int:
    if fmt == "hsds":
        return sum(1 for _ in (path / "data" / "services_at_location.csv").open("rb")) - 1
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data.get("meetings", data.get("rows", [])) if isinstance(data, dict) else data
        return len(data)
    import csv

    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return sum(1 for row in csv.reader(handle) if any(row)) - 1


def main() -> None:
    FORMATS["samhsa"](CASES[-1][1])  # warm imports (pandas, tzfpy) so seconds are the file's own
    print("| file | format | rows in | imported | rejected (by reason) | left out | fields not carried (rows) | seconds |")
    print("|---|---|---:|---:|---|---|---|---:|")
    for fmt, path, options in CASES:
        start = time.perf_counter()
        report = FORMATS[fmt](path, **options).report
        seconds = time.perf_counter() - start
        rejected = "; ".join(f"{reason}: {n}" for reason, n in report.rejected_by_reason.most_common()) or "0"
        left = "; ".join(f"{reason[:60]}: {n:,}" for reason, n in report.left_out.most_common()) or "-"
        if report.fatal:
            left = f"refused: {report.fatal[:110]}"
        not_carried = ", ".join(f"{u.field} ({u.rows:,})" for u in report.not_carried) or "none"
        print(f"| {path.name} | {fmt} | {rows_in(fmt, path):,} | {report.loaded:,} | {rejected} | {left} | "
              f"{not_carried} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
