"""The pages' access to what the process shares: settings, the directory, its index, the geocoder.

All of it is owned by helpmap.runtime (module-level, one per process), not by Streamlit's
caches, which any client can clear with one websocket message. This module adds only what a
page needs around it: a plain message when the configuration cannot be used, and a spinner
while the directory loads for the first time.
"""

from __future__ import annotations

import streamlit as st

from helpmap import config, datasources, directory, runtime, search
from helpmap.geocode import GeocoderChain
from ui.language import translator
from ui.text import md


def settings() -> config.Settings:
    """The site's settings, with units and help lines following the directory's country where
    the site did not choose them. An unusable configuration stops here, at start-up, with every
    problem listed for the person running the site (never a stack trace)."""
    try:
        runtime.settings()
    except config.ConfigError as error:
        # The problems themselves stay English: they are check-config's words, for the maintainer.
        tr = translator()
        problems = "\n".join(f"- {md(p)}" for p in error.problems)
        count = len(error.problems)
        st.error(
            tr.gettext("**This HelpMap site is not set up correctly**, so it cannot start.") + "\n\n"
            + tr.ngettext("The configuration file {path} has {n} problem:", "The configuration file {path} has {n} problems:",
                          count).format(path=md(error.path), n=count)
            + f"\n\n{problems}\n\n"
            + tr.gettext("Fix them (`python -m helpmap check-config FILE` checks the file), then reload this page.")
        )  # fmt: skip
        st.stop()
    _loaded()
    return runtime.site_settings()


def data_country() -> str | None:
    """The one country every listing is in (None for mixed data)."""
    _loaded()
    return runtime.loaded_directory().country


def _loaded() -> None:
    if runtime.catalog_ready():  # the usual case: no spinner (each one starts a timer thread)
        return
    with st.spinner(translator().gettext("Loading the directory…")):
        runtime.catalog()


def loaded_directory() -> directory.Directory:
    _loaded()
    return runtime.loaded_directory()


def search_index() -> search.SearchIndex:
    _loaded()
    return runtime.search_index()


def filter_choices() -> dict[str, list]:
    _loaded()
    return runtime.filter_choices()


def data_status() -> list[datasources.SourceStatus]:
    """Each source's "as of" date and, when a refresh failed, why."""
    return runtime.data_status()


def geocoder() -> GeocoderChain:
    return runtime.geocoder()


def warm_geocoder() -> None:
    runtime.warm_geocoder()
