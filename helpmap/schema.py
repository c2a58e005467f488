"""The directory schema: one CSV row is one service at one place, or one meeting.

Everything that reads or writes a directory (the loader, the importers, exports) takes its
column names and controlled words from here, so the format is defined in exactly one place.
"""

from __future__ import annotations

KINDS = ("treatment", "support_group", "harm_reduction", "helpline")

# Controlled words for the `services` column (";"-separated). Importers map onto these.
SERVICES = (
    "detox",
    "inpatient",
    "residential",
    "outpatient",
    "intensive_outpatient",
    "medication",
    "moud",  # medication for opioid use disorder (methadone, buprenorphine, naltrexone)
    "counselling",
    "dual_diagnosis",
    "youth",
    "family",
    "aftercare",
    "telehealth",
    "naloxone",
    "needle_exchange",
    "drug_checking",
    "peer_support",
    "proof_of_attendance",
    "women",
    "men",
    "lgbtq",
)

ATTENDANCE = ("in_person", "online", "hybrid")
COST = ("free", "sliding_scale", "insurance", "private", "low_cost")
# `payment` holds ";"-separated words: medicaid, medicare, private_insurance, self_pay,
# sliding_scale, free, military, state_funded, ihs (Indian Health Services), other.
PAYMENT = (
    "medicaid",
    "medicare",
    "private_insurance",
    "self_pay",
    "sliding_scale",
    "free",
    "military",
    "state_funded",
    "ihs",
)
GENDER = ("any", "women", "men", "non_binary")

REQUIRED_COLUMNS = ("name", "kind")
ADDRESS_COLUMNS = ("address", "city", "region", "postcode", "country")

# Every column of the schema, in the order exports write them.
COLUMNS = (
    "id",
    "name",
    "kind",
    "organization",
    "description",
    "services",
    "address",
    "city",
    "region",
    "postcode",
    "country",
    "latitude",
    "longitude",
    "phone",
    "website",
    "email",
    "hours",
    "day",
    "time",
    "end_time",
    "timezone",
    "attendance",
    "online_url",
    "online_phone",
    "cost",
    "payment",
    "languages",
    "min_age",
    "max_age",
    "gender",
    "wheelchair",
    "walk_in",
    "referral_required",
    "approximate",
    "last_verified",
    "source",
    "source_url",
)

# Header spellings people use for our columns, mapped to the schema name.
COLUMN_ALIASES = {
    "lat": "latitude",
    "lng": "longitude",
    "lon": "longitude",
    "long": "longitude",
    "organisation": "organization",
    "zip": "postcode",
    "postal_code": "postcode",
    "zipcode": "postcode",
    "state": "region",
    "province": "region",
    "type": "kind",
    "url": "website",
    "telephone": "phone",
    "tel": "phone",
    "language": "languages",
    "service": "services",
}

DEMO_SOURCE = "demo"
KM_PER_MILE = 1.609344  # for sites that show distances in miles
