"""Result list and map: the list is the primary, accessible view; the map mirrors it.

A page of cards is ONE escaped HTML block built in the core (helpmap.presentation) rather than a
dozen Streamlit elements per card, and the map is one component frame that stays mounted and
gets only marker rows as JSON. What a card says lives in helpmap.presentation.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from helpmap import map_towns, presentation
from helpmap.config import Settings
from helpmap.presentation import Display, ServiceView
from helpmap.schedule import Viewer
from ui import language
from ui.language import translator
from ui.text import plain_attribution

_map_component = components.declare_component("helpmap_map", path=str(Path(__file__).parent / "components" / "map"))
MAP_HEIGHT = 420


def display_for(settings: Settings, zone: str = "", country: str | None = None) -> Display:
    return Display(
        units=settings.units,
        directions_url=settings.directions_url,
        report_problem_url=settings.report_problem_url,
        stale_after_days=settings.stale_after_days,
        viewer=Viewer.for_place(zone, country or settings.country),
        lang=language.current_language(),
    )


VIEW_FIELDS = [spec.name for spec in fields(ServiceView)]


def views(rows: pd.DataFrame) -> list[ServiceView]:
    # Only the columns a card shows: a directory can carry dozens more (SAMHSA's 43).
    return [ServiceView.from_row(row) for row in rows[[c for c in VIEW_FIELDS if c in rows.columns]].to_dict("records")]


def render_cards(rows: list[ServiceView], display: Display, first_number: int = 1, show_distance: bool = True) -> None:
    """One st.html block for a page of cards (every data text escaped in the core)."""
    if rows:
        st.html(presentation.cards_html(rows, display, first_number, show_distance))


def render_map(rows: list[ServiceView], center: tuple[float, float], radius_km: float | None, search_stamp: int,
               display: Display, settings: Settings) -> None:  # fmt: skip
    """The one map frame. Same key every run, so it stays mounted: a new search sends new rows,
    "Show more" sends the longer list and the map adds only the markers it has not drawn."""
    markers = [presentation.marker(v, n, display) for n, v in enumerate(rows, start=1) if v.located]
    # The built-in base map has no names of its own: the largest towns around the results.
    towns = (
        map_towns.town_labels([center, *((m[1], m[2]) for m in markers)], 0 if markers else radius_km or 0)
        if settings.tiles.builtin else []
    )  # fmt: skip
    tr = translator()
    _ = tr.gettext
    _map_component(
        # The frame is a fixed file: its few words come in as data, in the reader's language.
        lang=tr.lang,
        words={"map": _("Map of the results. The numbers match the list."), "call": _("Call"),
               "call_name": _("Call {name}"), "directions": _("Directions"), "you": _("Your search")},
        markers=markers,
        towns=towns,
        center=[round(center[0], 5), round(center[1], 5)],
        radius_m=round(radius_km * 1000) if radius_km else 0,
        tiles=settings.tiles.url,
        attribution=plain_attribution(settings.tiles.attribution),
        search=search_stamp,
        height=MAP_HEIGHT,
        key="results-map",
        default=None,
    )
    st.caption(_("Numbers match the list. Circle = treatment, square = support group, drop = harm reduction. "
                 "The red dot is your search."))  # fmt: skip
