"""Where a directory's listings come from and how old they are, in words for the page.

Real listings go out of date: the page says whose they are, from when, and where the current
ones are, so nobody mistakes a 2021 listing for today's. The help line named here comes from the
verified help-line file (data/helplines.csv), never from this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .helplines import HelpLine
from .i18n import N_, translator

# SAMHSA's own, live treatment locator (the site the 2021 listings were taken from).
FINDTREATMENT_URL = "https://findtreatment.gov/"
# The attribution ../shared/data/README.md asks for wherever the SAMHSA data is shown (marked for
# translation: a page shows translator(lang).gettext(SAMHSA_ATTRIBUTION); the names stay English).
SAMHSA_ATTRIBUTION = N_(
    "Treatment facility data: U.S. Substance Abuse and Mental Health Services Administration (SAMHSA) "
    "treatment locator, public domain; compiled and geocoded by the Opioid Environment Policy Scan (OEPS). "
    "Listings may be out of date: call before you go."
)


@dataclass(frozen=True)
class ListingsNotice:
    headline: str  # "SAMHSA treatment locator, 2021. Listings may have changed: call before you go."
    helpline: HelpLine | None  # the national line that knows the current listings
    current_url: str  # where the current listings are


def from_samhsa(sources: pd.Series) -> pd.Series:
    return sources.str.contains("SAMHSA", case=False, regex=False)


def listings_notice(frame: pd.DataFrame, lines: list[HelpLine], lang: str = "en") -> ListingsNotice | None:
    """The notice for a directory with SAMHSA listings, in `lang`; None for other data."""
    if not len(frame):
        return None
    samhsa = from_samhsa(frame["source"])
    if not samhsa.any():
        return None
    years = sorted({d[:4] for d in frame.loc[samhsa, "last_verified"] if d})
    years_text = "" if not years else years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    helpline = next(
        (line for line in lines if line.country == "US" and line.purpose == "drug_information"
         and "SAMHSA" in line.service and line.status == "VERIFIED" and line.phone),
        None,
    )  # fmt: skip
    _ = translator(lang).gettext
    if years_text:
        headline = _(N_("SAMHSA treatment locator, {years}. Listings may have changed: call before you go."))
    else:
        headline = _(N_("SAMHSA treatment locator. Listings may have changed: call before you go."))
    return ListingsNotice(headline.format(years=years_text), helpline, FINDTREATMENT_URL)
