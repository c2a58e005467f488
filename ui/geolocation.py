"""The "Use my location" button: a tiny component that asks the browser for its position."""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

_component = components.declare_component("helpmap_geolocation", path=str(Path(__file__).parent / "components" / "geolocation"))


def location_button(key: str = "geolocation", label: str = "Use my location", lang: str = "en") -> dict | None:
    """`label` is the button's text, in the reader's language. Returns {"lat", "lon", "stamp"} or {"error": "denied"|"unavailable", "stamp"} after a
    press, else None. `stamp` tells a new press from the value remembered across reruns."""
    # The button's words come in as data (the frame is a fixed file and cannot call gettext).
    return _component(key=key, label=label, lang=lang, default=None)
