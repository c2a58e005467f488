"""The help-line panel: who to call, what each line is for, when it is open, and a tap to call.

Everything comes from the verified help-line file through helpmap.helplines; nothing here holds a
number. The file is data, so every piece of its text goes through ui.text.md() before it reaches
Markdown, and links only through tel:/sms: builders and an https check. No unsafe_allow_html.

compact=True is the one-block version for the crisis bar at the top of every page; the full
version (on the explanatory pages) gives each line a card with buttons to call, text or chat.
"""

from __future__ import annotations

import streamlit as st

from helpmap import config, helplines
from helpmap.helplines import HelpLine
from ui.context import helplines_path, site_country
from ui.text import md, safe_web_url

ICONS = {
    "emergency": ":material/emergency:",
    "poisons": ":material/medication:",
    "crisis_support": ":material/support_agent:",
    "drug_information": ":material/info:",
    "family_support": ":material/family_restroom:",
}
EXPLAINER = (
    "**If a life is in danger, call the emergency number.** "
    "**Crisis lines** are for anyone in emotional distress or having thoughts of suicide. "
    "**Drug information lines** give private advice about drugs and help finding treatment; "
    "they are not crisis services."
)


def render_helplines(country_code: str | None, compact: bool = False) -> None:
    asked = helplines.normalise_country(country_code)
    shown, lines = helplines.resolve(asked, site_country(), helplines_path(), show_unchecked())
    if not lines:
        st.warning(
            "The help-line list could not be loaded. "
            "If a life is in danger, call your local emergency number.",
            icon=":material/warning:",
        )
        return
    note = _coverage_note(asked, shown, lines)
    if compact:
        _compact(lines, note)
    else:
        _full(lines, note)


UNCHECKED_NOTE = "Not yet confirmed on the service's own page: check the number before you rely on it."


def show_unchecked() -> bool:
    """Whether this site opted in to lines marked CHECK_LIVE ([helplines] show_unchecked)."""
    try:
        return config.load_settings().show_unchecked_helplines
    except config.ConfigError:
        return False


def _name(line: HelpLine) -> str:
    """The service's name, with the part of the country it covers when it is not all of it."""
    return f"**{md(line.service)}**" + (f" ({md(line.area)} only)" if line.area else "")


def _coverage_note(asked: str, shown: str, lines: list[HelpLine]) -> str:
    if asked and asked != shown:
        return f"We do not have help lines for {md(asked)} yet. These lines are for {md(shown)}."
    if all(line.purpose == "emergency" for line in lines):
        return "For this country we only list the emergency number so far."
    return ""


def _call_link(line: HelpLine) -> str:
    href = line.tel
    return f"[{md(line.phone)}]({href})" if href else md(line.phone)


def _compact(lines: list[HelpLine], note: str) -> None:
    rows = ["**Need help now?**"]
    for line in lines:
        ways = []
        if line.phone:
            ways.append("call " + _call_link(line))
        if line.text:
            ways.append("text " + (f"[{md(line.text)}]({line.sms})" if line.sms else md(line.text)))
        chat = safe_web_url(line.chat_url) if line.chat_url else None
        if chat:
            ways.append(f"[chat online]({chat})")
        # Emergency lines say what they are in their name; the others say what they are for.
        notes = [f"{md(line.area)} only"] if line.area else []
        if line.purpose != "emergency":
            notes.append(helplines.SHORT_PURPOSES.get(line.purpose) or md(line.purpose))
        if not line.verified:
            notes.append("*not yet confirmed*")
        bracket = f" ({', '.join(notes)})" if notes else ""
        rows.append(f"**{md(line.service)}**{bracket}: " + ", ".join(ways))
    if note:
        rows.append(f"*{note}*")
    st.markdown("  \n".join(rows))


def _full(lines: list[HelpLine], note: str) -> None:
    st.subheader("Help lines", anchor="help-lines")
    st.markdown(EXPLAINER)
    if note:
        st.info(note, icon=":material/public:")
    for index, line in enumerate(lines):
        with st.container(border=True):
            icon = ICONS.get(line.purpose, ":material/call:")
            label = helplines.PURPOSES.get(line.purpose) or md(line.purpose)  # our words, or escaped data
            st.markdown(f"{_name(line)}  \n{icon} {label}")
            if not line.verified:
                st.warning(UNCHECKED_NOTE, icon=":material/help:")
            if line.description:
                st.markdown(md(line.description))
            if line.hours:
                st.markdown(f"**Open:** {md(line.hours)}")
            _buttons(line, index)
            checked = line.last_checked.isoformat() if line.last_checked else "unknown"
            sources = "; ".join(md(title) for title in line.source_titles)
            st.caption(f"Number checked {md(checked)}. Source: {sources}")


def _buttons(line: HelpLine, index: int) -> None:
    emergency = line.purpose == "emergency"
    key = f"helpline-{line.country}-{index}"
    with st.container(horizontal=True, gap="small"):
        if line.tel:
            st.link_button(
                f"Call {md(line.phone)}",
                line.tel,
                icon=":material/call:",
                type="primary" if emergency else "secondary",
                key=f"{key}-call",
            )
        if line.sms:
            st.link_button(f"Text {md(line.text)}", line.sms, icon=":material/sms:", key=f"{key}-text")
        chat = safe_web_url(line.chat_url) if line.chat_url else None
        if chat:
            st.link_button("Chat online", chat, icon=":material/chat:", key=f"{key}-chat")
