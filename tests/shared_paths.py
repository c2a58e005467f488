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

REAL_FEEDS = SHARED_DATA / "real-feeds"
MEETING_GUIDE_FEEDS = sorted((REAL_FEEDS / "meeting-guide").glob("*.json"))
BMLT_MEETINGS = REAL_FEEDS / "bmlt" / "yap__meeting-search-42.867970-day2.json"
BMLT_FORMATS = REAL_FEEDS / "bmlt" / "yap__formats.json"
HSDS_MIAMI = REAL_FEEDS / "hsds" / "open211-miami-2019"
SAMHSA_WA = REAL_FEEDS / "samhsa" / "sedtR__wa_mental_health.csv"
SAMHSA_NATIONAL = REAL_FEEDS / "samhsa" / "sedtR__gui_example__wa_mental_health_resource.csv"
NALOXONE_PHARMACIES = REAL_FEEDS / "other" / "naloxzone__vancouver-pharmacies.csv"


def meeting_guide_feed(city: str) -> Path:
    return next(path for path in MEETING_GUIDE_FEEDS if city in path.name)
