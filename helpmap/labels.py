"""Human words for the directory's controlled values, shared by the pages and the exports.

The tables hold English, marked with N_ for extraction; `word` and `words` translate a label where
it is shown, in the reader's language (a value we have no label for is shown as written).
"""

from __future__ import annotations

import re

from .i18n import MEETING_TYPES_DOMAIN, N_, normalise, translator

KINDS = {
    "treatment": N_("Treatment"),
    "support_group": N_("Support group"),
    "harm_reduction": N_("Harm reduction"),
    "helpline": N_("Help line"),
}
SERVICES = {
    "detox": N_("Detox (withdrawal care)"),
    "inpatient": N_("Hospital inpatient"),
    "residential": N_("Residential"),
    "outpatient": N_("Outpatient"),
    "intensive_outpatient": N_("Intensive outpatient"),
    "medication": N_("Medication"),
    "moud": N_("Medication for opioid use disorder"),
    "counselling": N_("Counselling"),
    "dual_diagnosis": N_("Mental health and substance use together"),
    "youth": N_("Young people"),
    "family": N_("Family support"),
    "aftercare": N_("Aftercare"),
    "telehealth": N_("Telehealth"),
    "naloxone": N_("Naloxone"),
    "needle_exchange": N_("Needle and syringe programme"),
    "drug_checking": N_("Drug checking"),
    "peer_support": N_("Peer support"),
    "proof_of_attendance": N_("Proof of attendance"),
    "women": N_("Women"),
    "men": N_("Men"),
    "lgbtq": N_("LGBTQ+"),
}
PAYMENT = {
    "medicaid": N_("Medicaid"),
    "medicare": N_("Medicare"),
    "private_insurance": N_("Private insurance"),
    "self_pay": N_("Self-pay"),
    "sliding_scale": N_("Sliding scale"),
    "free": N_("Free"),
    "military": N_("Military insurance"),
    "state_funded": N_("State funded"),
    "ihs": N_("Indian Health Services"),
}
COST = {
    "free": N_("Free"),
    "low_cost": N_("Low cost"),
    "sliding_scale": N_("Sliding scale (pay what you can)"),
    "insurance": N_("Insurance"),
    "private": N_("Private (fees)"),
}
GENDER = {"women": N_("Women only"), "men": N_("Men only"), "any": N_("Everyone"), "non_binary": N_("Non-binary")}
DAYS = (N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"))  # Sunday=0
ATTENDANCE = {"in_person": N_("In person"), "online": N_("Online"), "hybrid": N_("In person and online")}


def word(mapping: dict[str, str], value: str, lang: str = "en") -> str:
    """The label for a value in `lang`, or the value made readable when we have no label for it."""
    label = mapping.get(value)
    if label is None:
        return value.replace("_", " ").capitalize()
    return translator(lang).gettext(label) if label else label  # gettext("") is the catalogue header


def words(mapping: dict[str, str], values: str, lang: str = "en") -> str:
    """'free;medicaid' -> 'Free, Medicaid'."""
    return ", ".join(word(mapping, v.strip(), lang) for v in values.split(";") if v.strip())


# The labels HelpMap's importers write into descriptions ("Location: St Mark's hall. Meeting type:
# Open, Big Book."). A description is the source's own text and stays as written; only these
# labels, at the start of a sentence, and Meeting Guide's type names are shown translated.
DESCRIPTION_LABELS = {
    "Group": N_("Group"),
    "Location": N_("Location"),
    "Area": N_("Area"),
    "Trains": N_("Trains"),
    "Buses": N_("Buses"),
    "Joining online": N_("Joining online"),
    "Other links": N_("Other links"),
    "Meeting type": N_("Meeting type"),
    "Meeting format": N_("Meeting format"),
    "Other types (as the feed writes them)": N_("Other types (as the feed writes them)"),
    "Intake": N_("Intake"),
    "Hotline": N_("Hotline"),
    "Who it is for": N_("Who it is for"),
    "Getting there": N_("Getting there"),
    "Hours": N_("Hours"),
    "Fees": N_("Fees"),
    "How to apply": N_("How to apply"),
    "Wait time": N_("Wait time"),
    "Interpreters": N_("Interpreters"),
    "Access": N_("Access"),
    "Accreditations": N_("Accreditations"),
    "Licences": N_("Licences"),
    "Exclusive services (as SAMHSA lists them)": N_("Exclusive services (as SAMHSA lists them)"),
}
_DESCRIPTION_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[.!?] ))(" + "|".join(re.escape(k) for k in DESCRIPTION_LABELS) + r"): "
)
_MEETING_TYPES = re.compile(r"(?:(?<=^)|(?<=[.!?] ))Meeting type: ([^.]+)\.(?= |$)")


def description_text(text: str, lang: str = "en") -> str:
    """A description with the importers' labels and Meeting Guide type names in `lang`; English
    (and any text without those labels) comes back exactly as written."""
    if (normalise(lang) or "en") == "en" or not text:
        return text
    from .importers.meeting_guide import TYPE_NAMES  # pandas: only when a translation is asked

    types = translator(lang, MEETING_TYPES_DOMAIN).gettext
    known = set(TYPE_NAMES.values())

    def type_names(match: re.Match) -> str:
        names = match[1].split(", ")
        if not all(name in known for name in names):
            return match[0]  # not the importer's list: leave the sentence alone
        return "Meeting type: " + ", ".join(types(name) for name in names) + "."

    text = _MEETING_TYPES.sub(type_names, text)
    tr = translator(lang).gettext
    return _DESCRIPTION_LABEL.sub(lambda m: tr(DESCRIPTION_LABELS[m[1]]) + ": ", text)


# The names HelpMap's importers write in the `source` column (helpmap/importers); any other source
# is the data's own name and is shown as written.
SOURCE_NAMES = {
    "SAMHSA treatment locator": N_("SAMHSA treatment locator"),
    "SAMHSA OTP directory": N_("SAMHSA OTP directory"),
    "SAMHSA locator (JSON)": N_("SAMHSA locator (JSON)"),
    "meeting-guide feed": N_("meeting-guide feed"),
    "BMLT meeting list": N_("BMLT meeting list"),
}


def source_name(value: str, lang: str = "en") -> str:
    """A listing's source as a reader sees it: an importer's own name translated, others as written."""
    label = SOURCE_NAMES.get(value)
    return translator(lang).gettext(label) if label else value
