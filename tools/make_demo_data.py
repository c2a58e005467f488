"""Write data/demo-directory.csv: fictional services for trying HelpMap out.

Nothing here is real. Every row has source=demo and a name ending in "(demo)", addresses are
withheld (approximate=yes: only the town is shown), websites use the reserved example.org
domain, and phone numbers come from ranges that regulators reserve for fiction (US/Canada
555-01xx, Ofcom's drama numbers in the UK, ACMA's fictitious numbers in Australia), so a
tap on one never reaches a real person. Run: python tools/make_demo_data.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from helpmap.schema import COLUMNS

# town, region, country, lat, lon, time zone, fictional phone prefix (+ a 3-digit suffix)
TOWNS = [
    ("Charlottesville", "VA", "US", 38.0293, -78.4767, "America/New_York", "+1 434-555-0"),
    ("New York", "NY", "US", 40.7128, -74.0060, "America/New_York", "+1 212-555-0"),
    ("Chicago", "IL", "US", 41.8781, -87.6298, "America/Chicago", "+1 312-555-0"),
    ("Springfield", "IL", "US", 39.7817, -89.6501, "America/Chicago", "+1 217-555-0"),
    ("Los Angeles", "CA", "US", 34.0522, -118.2437, "America/Los_Angeles", "+1 213-555-0"),
    ("London", "England", "GB", 51.5072, -0.1276, "Europe/London", "+44 20 7946 0"),
    ("Manchester", "England", "GB", 53.4808, -2.2426, "Europe/London", "+44 161 496 0"),
    ("Leeds", "England", "GB", 53.8008, -1.5491, "Europe/London", "+44 113 496 0"),
    ("Glasgow", "Scotland", "GB", 55.8642, -4.2518, "Europe/London", "+44 141 496 0"),
    ("Toronto", "ON", "CA", 43.6532, -79.3832, "America/Toronto", "+1 416-555-0"),
    ("Vancouver", "BC", "CA", 49.2827, -123.1207, "America/Vancouver", "+1 604-555-0"),
    ("Sydney", "NSW", "AU", -33.8688, 151.2093, "Australia/Sydney", "+61 2 5550 0"),
    ("Melbourne", "VIC", "AU", -37.8136, 144.9631, "Australia/Melbourne", "+61 3 7010 0"),
    ("Dublin", "Leinster", "IE", 53.3498, -6.2603, "Europe/Dublin", ""),
]

LANGUAGES = {"US": "English;Spanish", "CA": "English;French", "GB": "English", "AU": "English", "IE": "English;Irish"}


def rows():
    number = 100
    for town, region, country, lat, lon, tz, phone in TOWNS:
        def base(kind, name, dlat, dlon, **extra):
            nonlocal number
            number += 1
            slug = f"demo-{town.lower().replace(' ', '-')}-{kind.replace('_', '-')}-{number}"
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                id=slug, name=f"{name} (demo)", kind=kind, organization="HelpMap demonstration data",
                city=town, region=region, country=country, latitude=f"{lat + dlat:.5f}",
                longitude=f"{lon + dlon:.5f}", timezone=tz, phone=f"{phone}{number}" if phone else "",
                website=f"https://example.org/helpmap-demo/{slug}", languages=LANGUAGES[country],
                approximate="yes", last_verified="2026-11-27", source="demo",
                source_url="https://example.org/helpmap-demo",
                description="Demonstration listing: this service is not real.",
            )
            row.update(extra)
            return row

        yield base("treatment", f"{town} Community Recovery Service", 0.012, -0.015,
                   services="outpatient;counselling;dual_diagnosis;family", hours="Mo-Fr 09:00-17:00",
                   cost="free", payment="free;medicaid" if country == "US" else "free", walk_in="no",
                   wheelchair="yes", min_age="18", gender="any", referral_required="no")
        yield base("treatment", f"{town} Young People's Drug Service", -0.018, 0.021,
                   services="outpatient;counselling;youth;family", hours="Mo-Th 10:00-19:00; Fr 10:00-16:00",
                   cost="free", walk_in="yes", wheelchair="yes", min_age="12", max_age="25", gender="any")
        yield base("treatment", f"{town} Residential Rehabilitation", 0.09, 0.11,
                   services="detox;residential;medication;counselling;aftercare", hours="24/7",
                   cost="insurance" if country == "US" else "free",
                   payment="private_insurance;medicaid;self_pay" if country == "US" else "",
                   referral_required="yes", wheelchair="no", min_age="18", gender="any")
        yield base("support_group", f"{town} Tuesday Evening Recovery Meeting", -0.006, -0.008,
                   services="peer_support", day="2", time="19:00", end_time="20:30", attendance="in_person",
                   cost="free", wheelchair="yes", gender="any")
        yield base("support_group", f"{town} Women's Saturday Morning Group", 0.004, 0.012,
                   services="peer_support;women", day="6", time="10:00", end_time="11:00",
                   attendance="hybrid", online_url="https://example.org/helpmap-demo/online-room",
                   cost="free", gender="women")
        yield base("harm_reduction", f"{town} Harm Reduction Drop-in", 0.02, 0.004,
                   services="naloxone;needle_exchange;drug_checking", hours="Mo-Fr 11:00-18:00; Sa 12:00-16:00",
                   cost="free", walk_in="yes", wheelchair="yes", gender="any")

    online = dict.fromkeys(COLUMNS, "")
    online.update(
        id="demo-online-daily-meeting", name="Daily Online Recovery Meeting (demo)", kind="support_group",
        organization="HelpMap demonstration data", services="peer_support", day="0;1;2;3;4;5;6",
        time="20:00", end_time="21:00", timezone="Europe/London", attendance="online",
        online_url="https://example.org/helpmap-demo/daily-meeting", cost="free", languages="English",
        last_verified="2026-11-27", source="demo", source_url="https://example.org/helpmap-demo",
        description="Demonstration listing: this meeting is not real.",
    )
    yield online
    yield {**online, "id": "demo-online-spanish-meeting", "name": "Reunión de recuperación en línea (demo)",
           "day": "3", "time": "19:00", "end_time": "20:00", "timezone": "America/New_York", "languages": "Spanish",
           "online_url": "https://example.org/helpmap-demo/reunion"}


def main() -> None:
    path = Path(__file__).resolve().parents[1] / "data" / "demo-directory.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows())
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
