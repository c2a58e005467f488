"""The words that say whose listings a directory holds and from when."""

from __future__ import annotations

import pandas as pd

from helpmap import helplines, provenance


def frame(sources: list[str], dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"source": sources, "last_verified": dates})


def test_samhsa_listings_get_the_year_of_their_own_dates_and_the_live_helpline():
    notice = provenance.listings_notice(frame(["SAMHSA treatment locator via OEPS (2021-07-28)"] * 2,
                                              ["2021-07-28", "2021-10-13"]), helplines.load())  # fmt: skip
    assert notice.headline == "SAMHSA treatment locator, 2021. Listings may have changed: call before you go."
    assert notice.helpline.phone == "1-800-662-4357" and notice.helpline.tel == "tel:18006624357"
    assert notice.current_url == "https://findtreatment.gov/"


def test_several_years_are_a_range_and_undated_listings_get_no_year():
    spread = provenance.listings_notice(frame(["SAMHSA x", "SAMHSA y"], ["2019-01-01", "2021-10-13"]), [])
    assert spread.headline.startswith("SAMHSA treatment locator, 2019–2021.") and spread.helpline is None
    undated = provenance.listings_notice(frame(["SAMHSA x"], [""]), [])
    assert undated.headline.startswith("SAMHSA treatment locator. Listings")


def test_other_data_gets_no_notice():
    assert provenance.listings_notice(frame(["demo", "Leeds council"], ["2026-11-27", ""]), helplines.load()) is None
    assert provenance.listings_notice(frame([], []), helplines.load()) is None
