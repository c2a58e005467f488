"""Where the real test data lives: ../shared beside the repository (never copied into it)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_DATA = SHARED / "data"
SHARED_SPECS = SHARED / "specs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SAMHSA_CSV = SHARED_DATA / "samhsa-substance-use-treatment-2021.csv"
SAMHSA_OTP = SHARED_DATA / "samhsa-opioid-treatment-programs-2021.csv"
SAMHSA_JSON = SHARED_DATA / "samhsa-locator-sample-charlottesville.json"
HSDS_EXAMPLE = SHARED_SPECS / "hsds" / "examples-csv"
