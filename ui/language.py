"""The reader's language: read from the request here, decided by helpmap.i18n.negotiate.

`?lang=` in the URL wins (so shared and embedded links keep it), then the site config's
`language`, then the browser's Accept-Language header (Streamlit exposes the request headers as
st.context.headers), then English.

A language chosen in the URL or with the switch is remembered for the browser tab's session and put
back into the URL when a menu link drops it (Streamlit's page menu does not carry query parameters),
so every page the reader opens next stays in their language and its address says so.
"""

from __future__ import annotations

import streamlit as st

from helpmap import i18n

_CHOSEN = "_lang"  # session key: the language this tab asked for (?lang= or the switch)
_SWITCH = "_lang_switch"  # the switch widget's own key


def explicit_language() -> str | None:
    """The language the reader asked for: ?lang= in the URL, else the one this tab chose before."""
    return i18n.normalise(st.query_params.get("lang")) or st.session_state.get(_CHOSEN)


def keep_language_in_url() -> None:
    """Call once per run, before anything is drawn: remember ?lang=, or put the remembered one back."""
    asked = i18n.normalise(st.query_params.get("lang"))
    if asked:
        st.session_state[_CHOSEN] = asked
    elif st.session_state.get(_CHOSEN):
        st.query_params["lang"] = st.session_state[_CHOSEN]


def current_language() -> str:
    from ui.context import site_language  # ui.context reads the site config

    try:
        header = st.context.headers.get("Accept-Language")
    except Exception:  # no request behind this run (a bare script or an AppTest)
        header = None
    return i18n.negotiate(explicit_language(), site_language(), header)


def translator() -> i18n.Translator:
    return i18n.translator(current_language())


def _switched() -> None:
    chosen = st.session_state.get(_SWITCH)
    if chosen in i18n.LANGUAGES:
        st.session_state[_CHOSEN] = chosen
        st.query_params["lang"] = chosen


def language_switch() -> None:
    """Each language in its own name; choosing one sets ?lang= and reruns this same session, so a
    search, the referral list and its notes stay as they were."""
    lang = current_language()
    st.session_state[_SWITCH] = lang  # follows the URL and the remembered choice
    with st.container(key="language-switch", horizontal=True, horizontal_alignment="right"):
        st.segmented_control(
            i18n.translator(lang).gettext("Choose a language"),
            list(i18n.LANGUAGES),
            format_func=i18n.LANGUAGES.get,
            key=_SWITCH,
            on_change=_switched,
            label_visibility="collapsed",
        )
