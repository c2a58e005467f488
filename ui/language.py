"""The reader's language: read from the request here, decided by helpmap.i18n.negotiate.

`?lang=` in the URL wins (so shared and embedded links keep it), then the site config's
`language`, then the browser's Accept-Language header (Streamlit exposes the request headers as
st.context.headers), then English.
"""

from __future__ import annotations

import streamlit as st

from helpmap import i18n


def explicit_language() -> str | None:
    """The language the URL asks for (?lang=es), when HelpMap has it."""
    return i18n.normalise(st.query_params.get("lang"))


def current_language() -> str:
    from ui.context import site_language  # ui.context reads the site config

    try:
        header = st.context.headers.get("Accept-Language")
    except Exception:  # no request behind this run (a bare script or an AppTest)
        header = None
    return i18n.negotiate(st.query_params.get("lang"), site_language(), header)


def translator() -> i18n.Translator:
    return i18n.translator(current_language())
