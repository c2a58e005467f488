"""What every page shares: the crisis bar with its quick exit, the page script, and the data notice.

The crisis bar and the quick exit are one escaped HTML block; the quick exit and "Esc twice" work
through a fixed script (ui/components/frame.js), because Streamlit strips inline handlers.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import streamlit as st

from helpmap import helplines, provenance, schedule
from helpmap.config import Settings
from helpmap.directory import Directory
from helpmap.presentation import esc
from ui.context import helplines_path, site_country
from ui.text import link, md, safe_web_url

FRAME_SCRIPT = Path(__file__).parent / "components" / "frame.js"
STYLES = Path(__file__).parent / "components" / "helpmap.css"


@lru_cache(maxsize=1)
def _fixed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def base_styles(settings: Settings) -> None:
    """Shared styles (cards, tap targets, crisis bar) and the page script, once per run.

    Streamlit's faded captions fall below WCAG AA contrast (4.5:1), and visitors on phones
    outdoors need contrast more than most: captions use the full text colour, the site's
    validated #rrggbb text colour, or a dark grey for the default light theme."""
    colour = settings.theme.text or "#4a4d57"
    st.html(
        f"<style>[data-testid='stCaptionContainer'] {{ color: {colour} !important; opacity: 1 !important; }}\n"
        f"{_fixed_text(STYLES)}</style>"
    )
    # Fixed text from our own file: no data and no settings text is ever part of the script.
    st.html(f"<script>{_fixed_text(FRAME_SCRIPT)}</script>", unsafe_allow_javascript=True)


def _exit_link(settings: Settings) -> str:
    """The address comes from the site's settings (never from directory data), checked to be
    http(s) and escaped. Without the script it is still a plain link away."""
    url = safe_web_url(settings.quick_exit_url) or "https://www.bbc.com/weather"
    return (
        f'<a class="hm-quick-exit" href="{html.escape(url, quote=True)}" rel="noreferrer" '
        'title="Leave this site now (or press Esc twice)">Quick exit</a>'
    )


def _line_html(line: helplines.HelpLine) -> str:
    ways = []
    if line.tel:
        ways.append(f'call <a class="hm-tel" href="{html.escape(line.tel)}">{esc(line.phone)}</a>')
    elif line.phone:
        ways.append(f"call {esc(line.phone)}")
    if line.text:
        ways.append(f'text <a class="hm-tel" href="{html.escape(line.sms)}">{esc(line.text)}</a>' if line.sms
                    else f"text {esc(line.text)}")  # fmt: skip
    chat = safe_web_url(line.chat_url) if line.chat_url else None
    if chat:
        ways.append(f'<a href="{html.escape(chat)}" target="_blank" rel="noopener noreferrer">chat online</a>')
    # Emergency lines say what they are in their name; the others say what they are for.
    notes = [f"{esc(line.area)} only"] if line.area else []
    if line.purpose != "emergency":
        notes.append(esc(helplines.SHORT_PURPOSES.get(line.purpose) or line.purpose))
    if not line.verified:
        notes.append("<i>not yet confirmed</i>")
    bracket = f" ({', '.join(notes)})" if notes else ""
    return f"<li><b>{esc(line.service)}</b>{bracket}: {', '.join(ways)}</li>"


def crisis_bar_html(settings: Settings, country: str | None) -> str:
    """One line on phones (the main number and Quick exit, the rest behind "More help lines"),
    every line on wider screens. The quick exit is fixed to the corner of every page."""
    asked = helplines.normalise_country(country or settings.country)
    shown, lines = helplines.resolve(asked, site_country(), helplines_path())
    exit_link = _exit_link(settings)
    if not lines:
        return (f'<div class="hm-crisis" role="region" aria-label="Help now"><p><b>If a life is in danger, call your '
                f"local emergency number.</b> The help-line list could not be loaded.</p>{exit_link}</div>")  # fmt: skip
    main = next((line for line in lines if line.purpose == "emergency" and line.tel), lines[0])
    main_call = (f'<a class="hm-tel hm-main" href="{html.escape(main.tel)}" aria-label="Call {esc(main.service)}">'
                 f"Call {esc(main.phone)}</a>" if main.tel else esc(main.phone))  # fmt: skip
    note = ""
    if asked and asked != shown:
        note = f"<p class='hm-note'>We do not have help lines for {esc(asked)} yet. These lines are for {esc(shown)}.</p>"
    items = "".join(_line_html(line) for line in lines)
    return (
        '<div class="hm-crisis" role="region" aria-label="Help now">'
        f'<div class="hm-crisis-top"><b>Need help now?</b> <span class="hm-main-line">{main_call}</span>'
        f"{exit_link}</div>"
        # Open for wide screens; the page script closes it on phones (one line there).
        f'<details class="hm-more" open><summary>More help lines</summary><ul>{items}</ul>{note}</details>'
        "</div>"
    )


def crisis_bar(settings: Settings, country: str | None) -> None:
    st.html(crisis_bar_html(settings, country))


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
    lines = helplines.load(settings.helplines)  # cached until the file changes: same list, same notice
    lang = "en"  # the page's language once this notice is translated on the page: it is part of the key
    notice = directory.derived(f"listings-notice:{lang}:{settings.helplines}:{hash(tuple(lines))}",
                               lambda: provenance.listings_notice(directory.frame, lines, lang))  # fmt: skip
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
