"""The help-line panel: who to call, what each line is for, when it is open, and a tap to call.

Everything comes from the verified help-line file through helpmap.helplines; nothing here holds a
number. The file is data, so every piece of its text goes through ui.text.md() before it reaches
Markdown, and links only through tel:/sms: builders and an https check. No unsafe_allow_html.

Everything is shown in the reader's language (ui.language, or `lang` when given): our own words
through gettext, and each line's hours and description from the file's translation columns
(HelpLine.in_language), in English where the file has none.

compact=True is the one-block version for the crisis bar at the top of every page; the full
version (on the explanatory pages) gives each line a card with buttons to call, text or chat.
"""

from __future__ import annotations

import streamlit as st

from helpmap import config, helplines, i18n
from helpmap.helplines import HelpLine
from helpmap.i18n import N_
from ui.context import helplines_path, site_country
from ui.language import current_language
from ui.text import md, safe_web_url

ICONS = {
    "emergency": ":material/emergency:",
    "poisons": ":material/medication:",
    "crisis_support": ":material/support_agent:",
    "drug_information": ":material/info:",
    "family_support": ":material/family_restroom:",
}
EXPLAINER = N_(
    "**If a life is in danger, call the emergency number.** "
    "**Crisis lines** are for anyone in emotional distress or having thoughts of suicide. "
    "**Drug information lines** give private advice about drugs and help finding treatment; "
    "they are not crisis services."
)
UNCHECKED_NOTE = N_("Not yet confirmed on the service's own page: check the number before you rely on it.")


def render_helplines(country_code: str | None, compact: bool = False, lang: str | None = None) -> None:
    tr = i18n.translator(lang or current_language())
    _ = tr.gettext
    asked = helplines.normalise_country(country_code)
    shown, lines = helplines.resolve(asked, site_country(), helplines_path(), show_unchecked())
    if not lines:
        st.warning(
            _("The help-line list could not be loaded. If a life is in danger, call your local emergency number."),
            icon=":material/warning:",
        )
        return
    note = _coverage_note(asked, shown, lines, tr)
    lines = [line.in_language(tr.lang) for line in lines]
    if compact:
        _compact(lines, note, tr)
    else:
        _full(lines, note, tr)



def show_unchecked() -> bool:
    """Whether this site opted in to lines marked CHECK_LIVE ([helplines] show_unchecked)."""
    try:
        return config.load_settings().show_unchecked_helplines
    except config.ConfigError:
        return False


def _only(line: HelpLine, tr: i18n.Translator) -> str:
    return tr.gettext("{area} only").format(area=md(line.area))


def _name(line: HelpLine, tr: i18n.Translator) -> str:
    """The service's name, with the part of the country it covers when it is not all of it."""
    return f"**{md(line.service)}**" + (f" ({_only(line, tr)})" if line.area else "")


def _coverage_note(asked: str, shown: str, lines: list[HelpLine], tr: i18n.Translator) -> str:
    _ = tr.gettext
    if asked and asked != shown:
        return _("We do not have help lines for {asked} yet. These lines are for {shown}.").format(
            asked=md(asked), shown=md(shown)
        )
    if all(line.purpose == "emergency" for line in lines):
        return _("For this country we only list the emergency number so far.")
    return ""


def _call_link(line: HelpLine) -> str:
    href = line.tel
    return f"[{md(line.phone)}]({href})" if href else md(line.phone)


def _compact(lines: list[HelpLine], note: str, tr: i18n.Translator) -> None:
    _ = tr.gettext
    rows = ["**" + _("Need help now?") + "**"]
    for line in lines:
        ways = []
        if line.phone:
            ways.append(_("call {number}").format(number=_call_link(line)))
        if line.text:
            ways.append(_("text {number}").format(number=f"[{md(line.text)}]({line.sms})" if line.sms else md(line.text)))
        chat = safe_web_url(line.chat_url) if line.chat_url else None
        if chat:
            chat_label = _("chat online")
            ways.append(f"[{chat_label}]({chat})")
        # Emergency lines say what they are in their name; the others say what they are for.
        notes = [_only(line, tr)] if line.area else []
        if line.purpose != "emergency":
            short = helplines.SHORT_PURPOSES.get(line.purpose)
            notes.append(_(short) if short else md(line.purpose))
        if not line.verified:
            notes.append("*" + _("not yet confirmed") + "*")
        bracket = f" ({', '.join(notes)})" if notes else ""
        rows.append(f"**{md(line.service)}**{bracket}: " + ", ".join(ways))
    if note:
        rows.append(f"*{note}*")
    st.markdown("  \n".join(rows))


def _full(lines: list[HelpLine], note: str, tr: i18n.Translator) -> None:
    _ = tr.gettext
    st.subheader(_("Help lines"), anchor="help-lines")
    st.markdown(_(EXPLAINER))
    if note:
        st.info(note, icon=":material/public:")
    for index, line in enumerate(lines):
        with st.container(border=True):
            icon = ICONS.get(line.purpose, ":material/call:")
            purpose = helplines.PURPOSES.get(line.purpose)
            label = _(purpose) if purpose else md(line.purpose)  # our words, or escaped data
            st.markdown(f"{_name(line, tr)}  \n{icon} {label}")
            if not line.verified:
                st.warning(_(UNCHECKED_NOTE), icon=":material/help:")
            if line.description:
                st.markdown(md(line.description))
            if line.hours:
                st.markdown(_("**Open:** {hours}").format(hours=md(line.hours)))
            _buttons(line, index, tr)
            checked = line.last_checked.isoformat() if line.last_checked else _("unknown")
            sources = "; ".join(md(title) for title in line.source_titles)
            st.caption(_("Number checked {date}. Source: {sources}").format(date=md(checked), sources=sources))


def _buttons(line: HelpLine, index: int, tr: i18n.Translator) -> None:
    _ = tr.gettext
    emergency = line.purpose == "emergency"
    key = f"helpline-{line.country}-{index}"
    with st.container(horizontal=True, gap="small"):
        if line.tel:
            st.link_button(
                _("Call {number}").format(number=md(line.phone)),
                line.tel,
                icon=":material/call:",
                type="primary" if emergency else "secondary",
                key=f"{key}-call",
            )
        if line.sms:
            st.link_button(
                _("Text {number}").format(number=md(line.text)), line.sms, icon=":material/sms:", key=f"{key}-text"
            )
        chat = safe_web_url(line.chat_url) if line.chat_url else None
        if chat:
            st.link_button(_("Chat online"), chat, icon=":material/chat:", key=f"{key}-chat")
