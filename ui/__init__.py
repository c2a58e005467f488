"""Streamlit glue shared by the pages: loaders, widgets, panels. The core lives in helpmap."""
