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

from helpmap import helplines, i18n, provenance, schedule
from helpmap.config import Settings
from helpmap.directory import Directory
from helpmap.presentation import esc
from ui import data
from ui.context import helplines_path, site_country
from ui.language import current_language, translator
from ui.text import link, md, plain_attribution, safe_web_url

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
    # Streamlit's own hint under a text box ("Press Enter to submit form") is English only: hidden
    # in other languages, where it would be the one English sentence on the page.
    english = current_language() == i18n.DEFAULT_LANGUAGE
    hint = "" if english else "[data-testid='InputInstructions'] { display: none !important; }\n"
    band = _exit_band(settings.theme.background or "#ffffff") if st.context.is_embedded else ""
    st.html(
        f"<style>[data-testid='stCaptionContainer'] {{ color: {colour} !important; opacity: 1 !important; }}\n"
        f"{hint}{_fixed_text(STYLES)}{band}</style>"
    )
    # Fixed text from our own file: no data and no settings text is ever part of the script.
    st.html(f"<script>{_fixed_text(FRAME_SCRIPT)}</script>", unsafe_allow_javascript=True)


def _exit_band(background: str) -> str:
    """Embedded, Streamlit draws no header band for Quick exit to sit in: give it one of the
    page's own colour (a validated #rrggbb), so the page scrolls under the band, not under the button."""
    return (
        f".hm-exit-band {{ display: block; background: {background}; }}\n"
        "a.hm-quick-exit { top: 0.35rem !important; }\n"
        "[data-testid='stMainBlockContainer'] { padding-top: 4rem !important; }\n"
    )


def _exit_link(settings: Settings, tr: i18n.Translator) -> str:
    """The address comes from the site's settings (never from directory data), checked to be
    http(s) and escaped. Without the script it is still a plain link away."""
    _ = tr.gettext
    url = safe_web_url(settings.quick_exit_url) or "https://www.bbc.com/weather"
    # (gettext calls stay outside f-strings: pybabel cannot see inside them)
    hint, label = _("Leave this site now (or press Esc twice)"), _("Quick exit")
    return (
        '<div class="hm-exit-band" aria-hidden="true"></div>'
        f'<a class="hm-quick-exit" href="{html.escape(url, quote=True)}" rel="noreferrer" '
        f'title="{html.escape(hint, quote=True)}">{html.escape(label)}</a>'
    )


def _line_html(line: helplines.HelpLine, tr: i18n.Translator) -> str:
    _ = tr.gettext
    ways = []
    if line.tel:
        ways.append(_("call {number}").format(number=f'<a class="hm-tel" href="{html.escape(line.tel)}">{esc(line.phone)}</a>'))
    elif line.phone:
        ways.append(_("call {number}").format(number=esc(line.phone)))
    if line.text:
        number = f'<a class="hm-tel" href="{html.escape(line.sms)}">{esc(line.text)}</a>' if line.sms else esc(line.text)
        ways.append(_("text {number}").format(number=number))
    chat = safe_web_url(line.chat_url) if line.chat_url else None
    if chat:
        chat_label = _("chat online")
        ways.append(f'<a href="{html.escape(chat)}" target="_blank" rel="noopener noreferrer">{esc(chat_label)}</a>')
    # Emergency lines say what they are in their name; the others say what they are for.
    notes = [_("{area} only").format(area=esc(line.area))] if line.area else []
    if line.purpose != "emergency":
        short = helplines.SHORT_PURPOSES.get(line.purpose)
        notes.append(esc(_(short)) if short else esc(line.purpose))
    if not line.verified:
        notes.append("<i>" + esc(_("not yet confirmed")) + "</i>")
    bracket = f" ({', '.join(notes)})" if notes else ""
    return f"<li><b>{esc(line.service)}</b>{bracket}: {', '.join(ways)}</li>"


def crisis_bar_html(settings: Settings, country: str | None, lang: str = "en") -> str:
    """One line on phones (the main number and Quick exit, the rest behind "More help lines"),
    every line on wider screens. The quick exit is fixed to the corner of every page.

    The bar carries the page's language (data-hm-lang): the page script sets <html lang> from it,
    since Streamlit's own page always says lang="en", and gives each option of the language switch
    its own language (data-hm-languages, in the switch's order) so "English" and "Español" are read
    in theirs."""
    tr = i18n.translator(lang)
    _ = tr.gettext
    asked = helplines.normalise_country(country or settings.country)
    shown, lines = helplines.resolve(asked, site_country(), helplines_path())
    lines = [line.in_language(tr.lang) for line in lines]
    exit_link = _exit_link(settings, tr)
    region = _("Help now")
    opening = (f'<div class="hm-crisis" role="region" aria-label="{html.escape(region, quote=True)}" '
               f'data-hm-lang="{html.escape(tr.lang, quote=True)}" '
               f'data-hm-languages="{" ".join(i18n.LANGUAGES)}">')  # fmt: skip
    if not lines:
        danger = esc(_("If a life is in danger, call your local emergency number."))
        failed = esc(_("The help-line list could not be loaded."))
        return f"{opening}<p><b>{danger}</b> {failed}</p>{exit_link}</div>"
    main = next((line for line in lines if line.purpose == "emergency" and line.tel), lines[0])
    if main.tel:
        label = html.escape(_("Call {service}").format(service=main.service), quote=True)
        text = esc(_("Call {number}").format(number=main.phone))
        main_call = f'<a class="hm-tel hm-main" href="{html.escape(main.tel)}" aria-label="{label}">{text}</a>'
    else:
        main_call = esc(main.phone)
    note = ""
    if asked and asked != shown:
        text = _("We do not have help lines for {asked} yet. These lines are for {shown}.").format(asked=asked, shown=shown)
        note = f"<p class='hm-note'>{esc(text)}</p>"
    items = "".join(_line_html(line, tr) for line in lines)
    need, more = esc(_("Need help now?")), esc(_("More help lines"))
    return (
        opening
        + f'<div class="hm-crisis-top"><b>{need}</b> <span class="hm-main-line">{main_call}</span>'
        f"{exit_link}</div>"
        # Open for wide screens; the page script closes it on phones (one line there).
        f'<details class="hm-more" open><summary>{more}</summary><ul>{items}</ul>{note}</details>'
        "</div>"
    )


def crisis_bar(settings: Settings, country: str | None) -> None:
    st.html(crisis_bar_html(settings, country, current_language()))


def data_notice(settings: Settings, source_names: list[str], directory: Directory | None = None) -> None:
    tr = translator()
    _ = tr.gettext
    statuses = data.data_status()
    failed = [s for s in statuses if s.error]
    stale = [s for s in failed if s.stale]
    if stale:
        oldest = min(s.as_of for s in stale)
        st.warning(
            md(_("Some listings could not be updated just now, so the copy from {moment} is shown.").format(
                moment=as_of_text(oldest, st.context.timezone, tr.lang))),
            icon=":material/history:",
        )  # fmt: skip
    if failed:  # the reasons (which can quote the source) go to the server log, never to visitors
        st.caption(_("Some listings could not be loaded just now. The site's maintainers can find why in the server log."))
    samhsa = any("samhsa" in s.lower() for s in source_names)
    lines = [] if samhsa else [_("Listings can change: call before you go.")]
    as_of = data_as_of(directory, statuses, tr.lang)
    if as_of:
        lines.insert(0, _("Data as of {date}.").format(date=as_of))
    if samhsa:
        lines.append(_(provenance.SAMHSA_ATTRIBUTION))
    lines.append(_("Place names: GeoNames (CC BY 4.0)."))
    tiles = settings.tiles
    if tiles.builtin:
        lines.append(_("Map outlines: Natural Earth and US Census Bureau (public domain)."))
    else:  # the site's tile server: its own credit, as text
        lines.append(_("Map: {credit}.").format(credit=plain_attribution(tiles.attribution).rstrip(".")))
    st.caption(" ".join(md(line) for line in lines))


def data_as_of(directory: Directory | None, statuses, lang: str = "en") -> str:
    """The data's own date: its listings' last_verified dates (a range when they differ). Only
    for data without dates, the time the copy in use was saved or downloaded."""
    dates = directory.listing_dates if directory is not None else None
    if dates:
        first, last = dates
        if first == last:
            return _day(first, lang)
        return i18n.translator(lang).gettext("{first} to {last}").format(first=_day(first, lang), last=_day(last, lang))
    moments = [s.as_of for s in statuses if s.as_of is not None]
    return as_of_text(min(moments), st.context.timezone, lang) if moments else ""


def _day(day, lang: str = "en") -> str:
    """'1 December 2026' / '1 de diciembre de 2026' (day first in both: never 12/1 against 1/12)."""
    if i18n.normalise(lang) in (None, "en"):
        return f"{day.day} {day:%B %Y}"
    return i18n.format_date(day, lang)


def listings_notice(directory: Directory, settings: Settings) -> None:
    """Whose listings these are, from when, and where the current ones are (SAMHSA data only)."""
    tr = translator()
    _ = tr.gettext
    lines = helplines.load(settings.helplines)  # cached until the file changes: same list, same notice
    lang = tr.lang  # the page's language: part of the key
    notice = directory.derived(f"listings-notice:{lang}:{settings.helplines}:{hash(tuple(lines))}",
                               lambda: provenance.listings_notice(directory.frame, lines, lang))  # fmt: skip
    if notice is None:
        return
    current = [link("FindTreatment.gov", notice.current_url)]
    if notice.helpline:
        line = notice.helpline.in_language(tr.lang)
        current.insert(0, f"{md(line.service)} {link(line.phone, line.tel)}")
    st.info(
        f"**{md(notice.headline)}** " + _("For current listings: {links}.").format(links=(" " + _("or") + " ").join(current)),
        icon=":material/history:",
    )


def as_of_text(moment: datetime, zone: str | None, lang: str = "en") -> str:
    """'27 November 2026, 14:05 GMT' in the visitor's time zone when the browser told us it."""
    local = moment.astimezone(schedule.zone(zone) or timezone.utc)
    return f"{_day(local.date(), lang)}, {local:%H:%M} {local.tzname()}"
