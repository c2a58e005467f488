"""The organisation's branding: its logo and its colours, from the site configuration.

Colours go through Streamlit's own theme options, so every widget (buttons, focus rings, links,
inputs) follows them, not just the parts a CSS block happens to reach. Streamlit sends the theme
to the browser at the start of each script run, so the first run of a process sets the options
and reruns once; every later session gets the theme from its first message. The values are
#rrggbb colours already validated by helpmap.config, never raw text from the file.
"""

from __future__ import annotations

import streamlit as st
from streamlit import config as streamlit_config

from helpmap.config import Settings, ThemeSettings


def apply_branding(settings: Settings) -> None:
    """Call once per run in app.py, right after st.navigation(...) and before page.run().

    After st.navigation, the one rerun a new process may need keeps the page and its query
    parameters; before it, a rerun would land a deep link (/embed) on the default page."""
    if _apply_theme(settings.theme):
        st.rerun()  # this run's theme message went out before the options changed
    if settings.logo:
        st.logo(settings.logo, size="large")


def theme_options(theme: ThemeSettings) -> dict[str, str]:
    """Streamlit theme options for the site's colours (only those the site set)."""
    options = {}
    if theme.primary:
        options["theme.primaryColor"] = theme.primary
    if theme.text:
        options["theme.textColor"] = theme.text
    if theme.background:
        options["theme.backgroundColor"] = theme.background
        # Inputs and panels sit on a slightly shaded background; dark sites get dark widgets.
        options["theme.secondaryBackgroundColor"] = _mix(theme.background, theme.text or _ink(theme.background), 0.06)
        options["theme.base"] = "dark" if _is_dark(theme.background) else "light"
    return options


def _apply_theme(theme: ThemeSettings) -> bool:
    """Set the process-wide theme options; True when anything changed."""
    changed = False
    for key, value in theme_options(theme).items():
        if streamlit_config.get_option(key) != value:
            streamlit_config.set_option(key, value, where_defined="HELPMAP_CONFIG")
            changed = True
    return changed


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mix(colour: str, other: str, amount: float) -> str:
    mixed = (round(a + (b - a) * amount) for a, b in zip(_channels(colour), _channels(other)))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _is_dark(colour: str) -> bool:
    red, green, blue = _channels(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def _ink(background: str) -> str:
    return "#ffffff" if _is_dark(background) else "#000000"
