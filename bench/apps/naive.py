"""The naive yardstick for bench/browser.py: a locator the way tutorials build one.

Read the CSV with st.cache_data, measure the distance to every row with geopy, then a folium map
with a Marker and a Popup per result through streamlit-folium (its defaults: every returned
object, a component keyed on the map's script), and st.write per result. The place is found by
HelpMap's own offline geocoder, so only the rendering differs from HelpMap. Map scripts point at
the copies Streamlit serves from static/ (no CDN): folium's Bootstrap and icon fonts are left out.
Results: the nearest 50 within 25 miles (the tutorial's map of every row is in the README's
earlier figures: it takes about a minute a search).

Bench-only (folium and streamlit-folium are test extras, never the app's). Popup text is
escaped all the same: directory rows are hostile input wherever they go.
"""

import html
import os

import folium
import pandas as pd
import streamlit as st
from geopy.distance import great_circle
from streamlit_folium import st_folium

from helpmap.geocode import get_offline_geocoder

DATA = os.environ.get("HELPMAP_DATA", "data/us-samhsa-2021.csv")
RADIUS_MILES = 25
STATIC = "/app/static/vendor"
folium.Map.default_js = [("leaflet", f"{STATIC}/leaflet/leaflet.js"), ("jquery", f"{STATIC}/jquery/jquery.min.js")]
folium.Map.default_css = [("leaflet_css", f"{STATIC}/leaflet/leaflet.css")]


@st.cache_data
def load() -> pd.DataFrame:
    frame = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    frame = frame[(frame["latitude"] != "") & (frame["longitude"] != "")].copy()
    frame["lat"], frame["lon"] = frame["latitude"].astype(float), frame["longitude"].astype(float)
    return frame


frame = load()
with st.form("search", border=False, enter_to_submit=True):
    place = st.text_input("Town, postcode or address")
    st.form_submit_button("Search")
if place:
    point = get_offline_geocoder().geocode(place)
    here = (point.lat, point.lon)
    miles = [great_circle(here, (lat, lon)).miles for lat, lon in zip(frame["lat"], frame["lon"])]
    near = frame.assign(miles=miles).query("miles <= @RADIUS_MILES").sort_values("miles").head(50)
    st.subheader(f"{len(near)} found within {RADIUS_MILES} mi of {point.label}")
    world = folium.Map(location=here, zoom_start=10)
    for row in near.itertuples():
        text = [html.escape(v) for v in (row.name, row.address, row.city, row.phone)]
        popup = folium.Popup(f"<b>{text[0]}</b><br>{text[1]}, {text[2]}<br>{text[3]}", max_width=300)
        folium.Marker([row.lat, row.lon], popup=popup).add_to(world)
    st_folium(world, height=420, width=700)
    for number, row in enumerate(near.itertuples(), start=1):
        st.write(f"**{number}. {row.name}**  \n{row.address}, {row.city}, {row.region}  \n"
                 f"{row.phone} · {row.miles:.1f} mi away")  # fmt: skip
