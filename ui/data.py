"""Cached loaders shared by the pages: settings, the directory, its search index, the geocoder.

Caching sits here, at the edge: helpmap stays plain Python. Shared objects (the directory and
its index, the geocoder with its process-wide rate limiter) use cache_resource, so every
visitor's session reuses one copy instead of holding its own.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from helpmap import config, directory, search
from helpmap.geocode import GeocoderChain, build_geocoder
from helpmap.report import LoadReport


@st.cache_resource(show_spinner=False)
def settings() -> config.Settings:
    return config.load_settings()


@st.cache_resource(show_spinner="Loading the directory…", ttl="1h")
def loaded_directory() -> directory.Directory:
    sources = settings().data_sources
    loaded = [directory.load(source) for source in sources]
    if len(loaded) == 1:
        return loaded[0]
    report = LoadReport(
        loaded=sum(d.report.loaded for d in loaded),
        rejected=[r for d in loaded for r in d.report.rejected],
        warnings=[w for d in loaded for w in d.report.warnings],
        fatal=next((d.report.fatal for d in loaded if d.report.fatal), None),
    )
    frame = pd.concat([d.frame for d in loaded], ignore_index=True)
    return directory.Directory(frame, report, ", ".join(sources))


@st.cache_resource(show_spinner=False, ttl="1h")
def search_index() -> search.SearchIndex:
    return search.SearchIndex(loaded_directory().frame)


@st.cache_resource(show_spinner=False, ttl="1h")
def filter_choices() -> dict[str, list]:
    return search.available_choices(loaded_directory().frame)


@st.cache_resource(show_spinner=False)
def geocoder() -> GeocoderChain:
    return build_geocoder(settings().geocoder.as_dict())
