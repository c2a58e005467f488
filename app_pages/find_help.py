"""Find help: a place in, the nearest help out, in a list and on a map."""

from __future__ import annotations

import html

import streamlit as st

from helpmap.geocode import GeocodeError, Place, place_from_browser
from helpmap.mapview import build_map
from helpmap.search import KM_PER_MILE, SearchResult
from ui import data, frame, results, search_form
from ui.geolocation import location_button
from ui.text import md

settings = data.settings()


def read_request() -> search_form.SearchRequest | None:
    """The search asked for: typed in the form, prefilled from a link, or from the browser."""
    request = search_form.render(
        data.filter_choices(), settings.units, settings.default_radius_km, settings.default_place
    )
    provider = data.geocoder().online_provider_name
    if provider:  # privacy: say where typed text may go before anyone relies on it
        st.caption(f"Places HelpMap cannot find on this server are looked up by {md(provider)}.")
    located = location_button()
    if located and located.get("stamp") != st.session_state.get("_location_stamp"):
        st.session_state["_location_stamp"] = located["stamp"]
        if "error" in located:
            st.session_state["_location_error"] = located["error"]
        else:
            st.session_state.pop("_location_error", None)
            st.session_state["_browser_point"] = (located["lat"], located["lon"])
            filters = request.filters if request else search_form.Filters()
            request = search_form.SearchRequest(place="", radius=float(st.session_state["radius"]), filters=filters)
            st.session_state["_request"] = request
    if st.session_state.get("_location_error"):
        reason = "was not allowed" if st.session_state["_location_error"] == "denied" else "is not available"
        st.info(f"Your location {reason} in this browser. Type a town or postcode above instead.")
    return request


def resolve_place(request: search_form.SearchRequest) -> Place | None:
    """The searcher's point, from the browser or the geocoder. Kept in memory only."""
    if not request.place and st.session_state.get("_browser_point"):
        try:
            return place_from_browser(*st.session_state["_browser_point"])
        except GeocodeError as error:
            st.error(error.message)
            return None
    if not request.place:
        return None
    cache = st.session_state.setdefault("_places", {})
    if request.place not in cache:
        try:
            cache[request.place] = data.geocoder().geocode(request.place)
        except GeocodeError as error:
            st.error(error.message)
            search_form.render_suggestions(error.suggestions[:5], key="did-you-mean")
            return None
    return cache[request.place]


def render_results(place: Place, result: SearchResult, radius: float) -> None:
    unit = settings.units
    if place.notice:
        st.info(place.notice)
    if place.attribution:
        st.caption(place.attribution)
    if place.candidates:
        search_form.render_suggestions(
            [c.label for c in place.candidates[:4]], key="somewhere-else",
            prompt=f"Showing {md(place.label)}. Did you mean somewhere else?",
        )  # fmt: skip

    if len(result.nearby):
        more = f" (showing the nearest {len(result.nearby)})" if result.total_in_range > len(result.nearby) else ""
        summary = f"{result.total_in_range} found within {radius:g} {unit} of {place.label}{more}"
    else:
        summary = f"Nothing found within {radius:g} {unit} of {place.label}"
    # A live region, so screen readers announce the result count after each search.
    st.html(f'<div role="status" aria-live="polite"><h3 class="helpmap-result-count">{html.escape(summary)}</h3></div>')
    if not len(result.nearby) and len(result.beyond):
        st.markdown("These are the nearest we know of, further away:")

    shown = result.nearby if len(result.nearby) else result.beyond
    # On a phone the columns stack; this puts the map above the list instead of after it.
    st.html(
        "<style>@media (max-width: 640px) { .st-key-results-layout [data-testid='stColumn']:nth-child(2)"
        " { order: -1; } }</style>"
    )
    with st.container(key="results-layout"):
        list_column, map_column = st.columns([3, 2], gap="medium")
        with list_column:
            for position, (_, row) in enumerate(shown.iterrows()):
                results.render_card(row, settings, key_prefix=f"r{position}")
        with map_column:
            render_map(place, shown, radius)

    st.subheader("Available anywhere")
    st.markdown("Online meetings and services you can reach from anywhere, and the help lines above.")
    if len(result.anywhere):
        for position, (_, row) in enumerate(result.anywhere.iterrows()):
            results.render_card(row, settings, key_prefix=f"a{position}", show_distance=False)
    else:
        st.markdown("No online services are listed in this directory.")


def render_map(place: Place, shown, radius: float) -> None:
    from streamlit_folium import st_folium

    radius_km = radius * KM_PER_MILE if settings.units == "mi" else radius
    try:
        fmap = build_map(shown, (place.lat, place.lon), radius_km, settings.tiles, settings.units)
        # No returned objects: panning and zooming never rerun the page.
        st_folium(fmap, height=400, use_container_width=True, returned_objects=[], key="results_map")
    except Exception:  # the list above still works without the map
        st.warning("The map could not be shown. The list has every result.")
    st.caption("T = treatment, S = support group, H = harm reduction. The red dot is your search.")


def share_link(request: search_form.SearchRequest) -> None:
    if st.button("Make a link to this search", help="Puts the place and filters in the address bar"):
        st.query_params.from_dict(search_form.query_params_for(request))
        st.success("The address bar now holds a link to this search. Copy it to share.")


def main() -> None:
    st.title("Find help near you")
    st.markdown("Treatment, support groups and harm-reduction services. Free to use, and nothing you type is saved.")
    directory = data.loaded_directory()
    if directory.report.fatal:
        # The reason can quote the file (and paths): it is for the site's maintainers, through
        # `python -m helpmap validate`; visitors get a plain sentence and the help lines above.
        st.error("The list of services cannot be shown right now. The help lines above are available.")
        return
    if directory.is_demo:
        st.warning(
            "**Demonstration data: these services are not real.** This site is showing example listings "
            "so you can try HelpMap. The help lines in the panel above are real.",
            icon="⚠️",
        )
    frame.listings_notice(directory, settings)
    request = read_request()
    if request is None:
        return
    place = resolve_place(request)
    if place is None:
        if not request.place:
            st.info("Type a town, postcode or address, or use your location.")
        return
    st.session_state["searcher_country"] = place.country_code or settings.country
    radius_km = request.radius * KM_PER_MILE if settings.units == "mi" else request.radius
    result = data.search_index().search(place.lat, place.lon, radius_km, request.filters, limit=50)
    render_results(place, result, request.radius)
    if request.place:
        share_link(request)


main()
