"""The Streamlit floor for bench/browser.py: the same form round trip as Find help (a text box in
a form, Enter submits) and one text element back. Nothing Streamlit can do is faster."""

import streamlit as st

with st.form("search", border=False, enter_to_submit=True):
    place = st.text_input("Town, postcode or address")
    st.form_submit_button("Search")
if place:
    st.text(f"Results near {place}")
