"""The "Use my location" button: a tiny component that asks the browser for its position."""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

_component = components.declare_component("helpmap_geolocation", path=str(Path(__file__).parent / "components" / "geolocation"))


def location_button(key: str = "geolocation") -> dict | None:
    """Returns {"lat", "lon", "stamp"} or {"error": "denied"|"unavailable", "stamp"} after a
    press, else None. `stamp` tells a new press from the value remembered across reruns."""
    return _component(key=key, default=None)
