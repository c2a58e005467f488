"""What every page shares: the crisis bar with its quick exit, and the data notice at the foot."""

from __future__ import annotations

import html
from datetime import datetime, timezone

import streamlit as st

from helpmap import helplines, provenance, schedule
from helpmap.config import Settings
from helpmap.directory import Directory
from ui.text import link, md, safe_web_url


def base_styles(settings: Settings) -> None:
    """Streamlit's faded captions fall below WCAG AA contrast (4.5:1), and visitors on phones
    outdoors need contrast more than most: captions use the full text colour. The colour is the
    site's validated #rrggbb text colour, or a dark grey for the default light theme."""
    colour = settings.theme.text or "#4a4d57"
    st.html(f"<style>[data-testid='stCaptionContainer'] {{ color: {colour} !important; opacity: 1 !important; }}</style>")


def quick_exit(settings: Settings) -> None:
    """A button that replaces this page with a neutral site, so the back button does not return.

    The address comes from the site's settings (never from directory data) and is checked to be
    http(s) and escaped; the script is fixed text.
    """
    url = safe_web_url(settings.quick_exit_url) or "https://www.bbc.com/weather"
    target = html.escape(url, quote=True)
    st.html(
        f'<a class="helpmap-quick-exit" href="{target}" rel="noreferrer" '
        f"onclick=\"window.top.location.replace(this.href); return false;\" "
        'style="display:inline-block;padding:0.5rem 1rem;border-radius:0.5rem;background:#b00020;'
        'color:#fff;font-weight:700;text-decoration:none;min-height:44px;box-sizing:border-box">'
        "Quick exit</a>",
        unsafe_allow_javascript=True,
    )


def crisis_bar(settings: Settings, country: str | None) -> None:
    from ui.helplines_panel import render_helplines

    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        with right:
            quick_exit(settings)
        with left:
            render_helplines(country or settings.country, compact=True)


def data_notice(source_names: list[str], directory: Directory | None = None) -> None:
    from ui.data import data_status

    statuses = data_status()
    failed = [s for s in statuses if s.error]
    stale = [s for s in failed if s.stale]
    if stale:
        oldest = min(s.as_of for s in stale)
        st.warning(
            md(f"Some listings could not be updated just now, so the copy from "
               f"{as_of_text(oldest, st.context.timezone)} is shown."),
            icon=":material/history:",
        )  # fmt: skip
    if failed:  # the reasons (which can quote the source) go to the server log, never to visitors
        st.caption("Some listings could not be loaded just now. The site's maintainers can find why in the server log.")
    samhsa = any("samhsa" in s.lower() for s in source_names)
    lines = [] if samhsa else ["Listings can change: call before you go."]
    as_of = data_as_of(directory, statuses)
    if as_of:
        lines.insert(0, f"Data as of {as_of}.")
    if samhsa:
        lines.append(provenance.SAMHSA_ATTRIBUTION)
    lines.append("Place names: GeoNames (CC BY 4.0). Map data © OpenStreetMap contributors.")
    st.caption(" ".join(md(line) for line in lines))


def data_as_of(directory: Directory | None, statuses) -> str:
    """The data's own date: its listings' last_verified dates (a range when they differ). Only
    for data without dates, the time the copy in use was saved or downloaded."""
    dates = directory.listing_dates if directory is not None else None
    if dates:
        first, last = dates
        return _day(first) if first == last else f"{_day(first)} to {_day(last)}"
    moments = [s.as_of for s in statuses if s.as_of is not None]
    return as_of_text(min(moments), st.context.timezone) if moments else ""


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def listings_notice(directory: Directory, settings: Settings) -> None:
    """Whose listings these are, from when, and where the current ones are (SAMHSA data only)."""
    notice = provenance.listings_notice(directory.frame, helplines.load(settings.helplines))
    if notice is None:
        return
    current = [link("FindTreatment.gov", notice.current_url)]
    if notice.helpline:
        current.insert(0, f"{md(notice.helpline.service)} {link(notice.helpline.phone, notice.helpline.tel)}")
    st.info(f"**{md(notice.headline)}** For current listings: {' or '.join(current)}.", icon=":material/history:")


def as_of_text(moment: datetime, zone: str | None) -> str:
    """'27 November 2026, 14:05 GMT' in the visitor's time zone when the browser told us it."""
    local = moment.astimezone(schedule.zone(zone) or timezone.utc)
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"
