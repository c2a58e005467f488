"""Cached loaders shared by the pages: settings, the directory, its search index, the geocoder.

Caching sits here, at the edge: helpmap stays plain Python. Shared objects (the catalog of data
sources, the search index, the geocoder with its process-wide rate limiter) use cache_resource,
so every visitor's session reuses one copy instead of holding its own.

The directory refreshes itself: each run makes a cheap "refresh if due" call on the catalog,
which fetches due sources in a background thread and swaps in the new copy when it is ready.
The search index and filter choices are cached per catalog version, so they are rebuilt once
when the data changes and never otherwise.
"""

from __future__ import annotations

import streamlit as st

from helpmap import config, datasources, directory, search
from helpmap.geocode import GeocoderChain, build_geocoder
from ui.text import md


def settings() -> config.Settings:
    """The site's settings. An unusable configuration stops here, at start-up, with every problem
    listed for the person running the site (never a stack trace)."""
    try:
        return _settings()
    except config.ConfigError as error:
        problems = "\n".join(f"- {md(p)}" for p in error.problems)
        st.error(
            f"**This HelpMap site is not set up correctly**, so it cannot start.\n\n"
            f"The configuration file {md(error.path)} has {len(error.problems)} "
            f"problem{'s' if len(error.problems) > 1 else ''}:\n\n{problems}\n\n"
            "Fix them (`python -m helpmap check-config FILE` checks the file), then reload this page."
        )
        st.stop()


@st.cache_resource(show_spinner=False)
def _settings() -> config.Settings:
    return config.load_settings()  # a ConfigError is not cached: the next run reads the file again


@st.cache_resource(show_spinner="Loading the directory…")
def catalog() -> datasources.Catalog:
    sources = datasources.Catalog(settings().data_sources)
    sources.refresh()
    return sources


def _snapshot() -> datasources.Snapshot:
    sources = catalog()
    sources.refresh_if_due(background=True)
    return sources.snapshot


def loaded_directory() -> directory.Directory:
    return _snapshot().directory


def search_index() -> search.SearchIndex:
    snapshot = _snapshot()
    return _index(snapshot.key, snapshot)


def filter_choices() -> dict[str, list]:
    snapshot = _snapshot()
    return _choices(snapshot.key, snapshot)


def data_status() -> list[datasources.SourceStatus]:
    """Each source's "as of" date and, when a refresh failed, why."""
    return catalog().statuses()


# The snapshot's key (catalog and version) is the cache key; the snapshot itself (underscore:
# not hashed) is what is built from.
@st.cache_resource(show_spinner=False, max_entries=2)
def _index(key: str, _snapshot: datasources.Snapshot) -> search.SearchIndex:
    return search.SearchIndex(_snapshot.directory.frame)


@st.cache_resource(show_spinner=False, max_entries=2)
def _choices(key: str, _snapshot: datasources.Snapshot) -> dict[str, list]:
    return search.available_choices(_snapshot.directory.frame)


@st.cache_resource(show_spinner=False)
def geocoder() -> GeocoderChain:
    # The site's country breaks ties between places of one name ("Keswick" on a British site).
    return build_geocoder(settings().geocoder.as_dict(), home_country=settings().country)


@st.cache_resource(show_spinner=False)
def warm_geocoder() -> None:
    """Build the offline place index (and its spelling index) in the background once per
    process, so the first person to search does not wait about a second for it."""
    import threading

    from helpmap.geocode import get_offline_geocoder

    threading.Thread(
        target=lambda: get_offline_geocoder().index.spelling(), name="warm-geocoder", daemon=True
    ).start()
