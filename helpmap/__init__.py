"""HelpMap core: the directory, geocoding, search, schedules, maps and referrals.

This package never imports streamlit; the pages in app.py and app_pages/ are a thin layer over it.
"""

__version__ = "0.1.0"
