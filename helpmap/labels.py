"""Human words for the directory's controlled values, shared by the pages and the exports."""

from __future__ import annotations

KINDS = {
    "treatment": "Treatment",
    "support_group": "Support group",
    "harm_reduction": "Harm reduction",
    "helpline": "Help line",
}
SERVICES = {
    "detox": "Detox (withdrawal care)",
    "inpatient": "Hospital inpatient",
    "residential": "Residential",
    "outpatient": "Outpatient",
    "intensive_outpatient": "Intensive outpatient",
    "medication": "Medication",
    "moud": "Medication for opioid use disorder",
    "counselling": "Counselling",
    "dual_diagnosis": "Mental health and substance use together",
    "youth": "Young people",
    "family": "Family support",
    "aftercare": "Aftercare",
    "telehealth": "Telehealth",
    "naloxone": "Naloxone",
    "needle_exchange": "Needle and syringe programme",
    "drug_checking": "Drug checking",
    "peer_support": "Peer support",
    "proof_of_attendance": "Proof of attendance",
    "women": "Women",
    "men": "Men",
    "lgbtq": "LGBTQ+",
}
PAYMENT = {
    "medicaid": "Medicaid",
    "medicare": "Medicare",
    "private_insurance": "Private insurance",
    "self_pay": "Self-pay",
    "sliding_scale": "Sliding scale",
    "free": "Free",
    "military": "Military insurance",
    "state_funded": "State funded",
    "ihs": "Indian Health Services",
}
COST = {
    "free": "Free",
    "low_cost": "Low cost",
    "sliding_scale": "Sliding scale (pay what you can)",
    "insurance": "Insurance",
    "private": "Private (fees)",
}
GENDER = {"women": "Women only", "men": "Men only", "any": "Everyone", "non_binary": "Non-binary"}
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")  # Sunday=0
ATTENDANCE = {"in_person": "In person", "online": "Online", "hybrid": "In person and online"}


def word(mapping: dict[str, str], value: str) -> str:
    """The label for a value, or the value made readable when we have no label for it."""
    return mapping.get(value, value.replace("_", " ").capitalize())


def words(mapping: dict[str, str], values: str) -> str:
    """'free;medicaid' -> 'Free, Medicaid'."""
    return ", ".join(word(mapping, v.strip()) for v in values.split(";") if v.strip())
