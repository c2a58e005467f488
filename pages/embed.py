import streamlit as st

st.title("embed")
st.info("This page is being built.")
