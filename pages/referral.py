import streamlit as st

st.title("referral")
st.info("This page is being built.")
