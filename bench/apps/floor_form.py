"""The floor with HelpMap's own search form, for bench/page_parts.py: the real form of Find help
(place, distance, kind, every filter the directory offers, in its expander) and one text element
back. It shows what the form itself costs a search, next to bench/apps/floor.py."""

import streamlit as st

from ui import data, search_form

settings = data.settings()
request = search_form.render(
    data.filter_choices(), settings.units, settings.default_radius_km, country=settings.country
)
if request and request.place:
    st.text(f"Results near {request.place}")
