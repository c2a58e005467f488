"""Who is reading, and which site settings apply to what they see.

`reader_country()` is the country whose help lines a page shows: the one the reader last searched
in (Find help stores it as st.session_state["searcher_country"]), else the site's country setting.
"""

from __future__ import annotations

import streamlit as st

from helpmap import config, helplines


def reader_country() -> str:
    country = st.session_state.get("searcher_country") or site_country()
    return helplines.normalise_country(str(country)) or "US"


def _settings() -> config.Settings:
    """The site's settings (the country following the data where the site did not choose one).
    A broken configuration file must not hide the help lines, so this falls back to the defaults
    (the shipped, verified list) rather than failing."""
    from helpmap import runtime  # the process's copy: reading the file on every run cost ~1 ms

    try:
        settings = runtime.settings()
    except config.ConfigError:
        return config.Settings()
    from ui.data import data_country  # ui.data loads the directory: imported when first needed

    return config.follow_data_country(settings, data_country())


def site_country() -> str:
    """The country whose lines are shown when we have none for the reader's country."""
    return helplines.normalise_country(_settings().country) or "US"


def site_language() -> str | None:
    """The language the site chose ([site] language in its config), or None when it chose none (the
    browser's Accept-Language then decides) or its config cannot be read (the page must still show).
    Read without loading the directory."""
    try:
        settings = config.load_settings()
    except config.ConfigError:
        return None
    return settings.language if "language" in settings.chosen else None


def helplines_path() -> str:
    return _settings().helplines
