"""Find help: a place in, the nearest help out, in a list and on a map."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path

import streamlit as st

from helpmap import i18n, presentation
from helpmap.i18n import N_
from helpmap.geocode import GeocodeError, Place, place_from_browser
from helpmap.presentation import PAGE_SIZE
from helpmap.search import KM_PER_MILE, Filters
from ui import data, frame, results, search_form
from ui.geolocation import location_button
from ui.language import explicit_language, translator
from ui.text import md

settings = data.settings()
tr = translator()
_ = tr.gettext


def read_request() -> search_form.SearchRequest | None:
    """The search asked for: typed in the form, prefilled from a link, or from the browser."""
    request = search_form.render(
        data.filter_choices(), settings.units, settings.default_radius_km, settings.default_place,
        country=settings.country,
    )
    provider = data.geocoder().online_provider_name
    if provider:  # privacy: say where typed text may go before anyone relies on it
        st.caption(_("Places HelpMap cannot find on this server are looked up by {provider}.").format(provider=md(provider)))
    notes = st.container(key="location-notes")  # always present, so what follows keeps its place
    located = location_button(label=_("Use my location"), lang=tr.lang)
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
        if st.session_state["_location_error"] == "denied":
            notes.info(_("Your location was not allowed in this browser. Type a town or postcode above instead."))
        else:
            notes.info(_("Your location is not available in this browser. Type a town or postcode above instead."))
    return request


def resolve_place(request: search_form.SearchRequest) -> Place | None:
    """The searcher's point, from the browser or the geocoder. Kept in memory only."""
    if not request.place and st.session_state.get("_browser_point"):
        try:
            return place_from_browser(*st.session_state["_browser_point"])
        except GeocodeError as error:
            st.error(md(i18n.localize(error.message, tr.lang)))  # the core's words, in the reader's language
            return None
    if not request.place:
        return None
    cache = st.session_state.setdefault("_places", {})
    if request.place not in cache:
        try:
            cache[request.place] = data.geocoder().geocode(request.place)
        except GeocodeError as error:
            st.error(md(i18n.localize(error.message, tr.lang)))  # the core's words, in the reader's language
            search_form.render_suggestions(error.suggestions[:5], key="did-you-mean")
            return None
    return cache[request.place]


FILTER_NAMES = {
    "kinds": N_("Kind of help"), "services": N_("Services"), "payment": N_("Payment accepted"), "cost": N_("Cost"),
    "language": N_("Language"), "age": N_("Age of the person"), "gender": N_("Gender"),
    "wheelchair": N_("Wheelchair accessible"), "walk_in": N_("Walk-in"), "attendance": N_("How to attend"),
    "open_now": N_("Open now"), "days": N_("Meeting days"), "time_of_day": N_("Time of day"),
}  # fmt: skip


def relaxations(place: Place, radius_km: float, filters: Filters) -> list[tuple[str, int]]:
    """No dead ends: for each filter in use, how many services in range there would be without it."""
    found = []
    for name, label in FILTER_NAMES.items():
        value = getattr(filters, name)
        default = getattr(Filters(), name)
        if value == default:
            continue
        total = data.search_index().search(place.lat, place.lon, radius_km, replace(filters, **{name: default}),
                                           limit=1).total_in_range  # fmt: skip
        if total:
            found.append((_(label), total))
    return sorted(found, key=lambda pair: -pair[1])


def result_summary(total: int, shown: int, radius: float, unit: str, place_label: str) -> str:
    """'12 found within 10 mi of Leeds (showing the nearest 5)', or 'Nothing found ...'."""
    distance = i18n.format_number(radius, tr.lang, 0 if radius == int(radius) else 1)
    if not shown:
        return _("Nothing found within {distance} {unit} of {place}").format(distance=distance, unit=unit, place=place_label)
    summary = tr.ngettext("{n} found within {distance} {unit} of {place}", "{n} found within {distance} {unit} of {place}",
                          total).format(n=total, distance=distance, unit=unit, place=place_label)  # fmt: skip
    if total > shown:
        summary += " " + tr.ngettext("(showing the nearest {n})", "(showing the nearest {n})", shown).format(n=shown)
    return summary


def language_param() -> dict[str, str]:
    """?lang= for links to other pages, when the reader chose a language (Streamlit drops it otherwise)."""
    lang = explicit_language()
    return {"lang": lang} if lang else {}


def count_html(summary: str, stamp: int, scroll: bool) -> str:
    # A live region, so screen readers announce the result count after each search; the page
    # script scrolls to it (and focuses it) after a search from the form.
    return (f'<div role="status" aria-live="polite" class="hm-count" data-hm-search="{stamp}" '
            f'data-hm-scroll="{1 if scroll else 0}"><h3 class="helpmap-result-count">{html.escape(summary)}</h3></div>')  # fmt: skip


@st.fragment
def results_fragment() -> None:
    """The list, Show more, the referral choice and the map: these rerun alone (no form, no
    geocoding, no help lines), so paging and choosing do not redraw the page."""
    search = st.session_state.get("_search")
    if not search:
        return
    place, radius, filters, stamp = search["place"], search["radius"], search["filters"], search["stamp"]
    unit = settings.units
    radius_km = radius * KM_PER_MILE if unit == "mi" else radius
    shown_count = st.session_state.get("_shown", PAGE_SIZE)
    result = data.search_index().search(place.lat, place.lon, radius_km, filters, limit=shown_count)
    display = results.display_for(settings, search["zone"], place.country_code)

    st.html(count_html(result_summary(result.total_in_range, len(result.nearby), radius, unit,
                                      i18n.localize(place.label, tr.lang)),
                       stamp, search["scroll"]))  # fmt: skip
    with st.container(key="no-dead-end"):  # always present: the map's place in the page stays the same
        if not len(result.nearby):
            relax = relaxations(place, radius_km, filters)
            if relax:
                without = "; ".join(tr.ngettext("without **{filter}** there would be {n} result",
                                                "without **{filter}** there would be {n} results", total).format(
                    filter=md(label), n=total) for label, total in relax[:4])  # fmt: skip
                st.markdown(_("Nothing matches every filter here: {suggestions}.").format(suggestions=without))
            if len(result.beyond):
                st.markdown(_("These are the nearest we know of, further away:"))
    shown = results.views(result.nearby if len(result.nearby) else result.beyond)

    with st.container(key="results-layout"):
        list_column, map_column = st.columns([3, 2], gap="medium")
        with list_column:
            results.render_cards(shown, display)
            if result.total_in_range > len(result.nearby):
                left = result.total_in_range - len(result.nearby)
                more = tr.ngettext("Show {n} more ({left} not shown yet)", "Show {n} more ({left} not shown yet)",
                                   min(PAGE_SIZE, left)).format(n=min(PAGE_SIZE, left), left=left)  # fmt: skip
                if st.button(more, key="show-more", icon=":material/expand_more:"):
                    st.session_state["_shown"] = shown_count + PAGE_SIZE
                    st.rerun(scope="fragment")
            referral_choice(shown, stamp)
        with map_column:
            results.render_map(shown, (place.lat, place.lon), radius_km, stamp, display, settings)


def referral_choice(shown: list, stamp: int) -> None:
    """One widget for the whole list: tap the card numbers to add them to the referral."""
    referral = st.session_state.setdefault("referral_ids", [])
    ids = [v.id for v in shown]
    names = {v.id: f"{n}. {v.name[:32]}" for n, v in enumerate(shown, start=1)}
    key = f"refpick-{stamp}"

    def changed() -> None:
        picked = st.session_state.get(key) or []
        for service_id in ids:
            if service_id in picked and service_id not in referral:
                referral.append(service_id)
            elif service_id not in picked and service_id in referral:
                referral.remove(service_id)

    if key not in st.session_state:
        st.session_state[key] = [i for i in ids if i in referral]
    elif any(i not in st.session_state[key] for i in ids if i in referral):  # after Show more
        st.session_state[key] = [i for i in ids if i in referral]
    st.pills(_("Add to referral (choose the card numbers)"), ids, selection_mode="multi", key=key,
             format_func=lambda i: md(names.get(i, i)), on_change=changed)  # fmt: skip
    if referral:
        count = len(referral)
        with st.container(horizontal=True, vertical_alignment="center", key="referral-count"):
            st.markdown("**" + tr.ngettext("{n} service in the referral.", "{n} services in the referral.", count)
                        .format(n=count) + "**")  # fmt: skip
            st.page_link(Path(__file__).with_name("referral.py"), label=_("Open the referral sheet"),
                         icon=":material/description:", query_params=language_param())  # fmt: skip


def render_anywhere(place: Place, filters: Filters) -> None:
    result = data.search_index().anywhere(filters)
    display = results.display_for(settings, st.session_state["_search"]["zone"], place.country_code)
    st.subheader(_("Available anywhere"))
    st.markdown(_("Online meetings and services you can reach from anywhere, and the help lines above."))
    if len(result):
        results.render_cards(results.views(result), display, first_number=0, show_distance=False)
    elif len(data.search_index().anywhere(Filters())):
        st.markdown(_("No online services match your filters. Try fewer filters to see them."))
    else:
        st.markdown(_("No online services are listed in this directory."))


def render_results(place: Place, request: search_form.SearchRequest) -> None:
    # Always one container here, whatever it holds, so the map below keeps its place in the
    # page and Streamlit keeps its frame mounted from one search to the next.
    with st.container(key="place-notes"):
        if place.notice:
            st.info(md(i18n.localize(place.notice, tr.lang)))
        if place.attribution:
            st.caption(place.attribution)
        if place.candidates:
            search_form.render_suggestions(
                [c.label for c in place.candidates[:4]], key="somewhere-else",
                prompt=_("Showing {place}. Did you mean somewhere else?").format(place=md(i18n.localize(place.label, tr.lang))),
            )  # fmt: skip
    previous = st.session_state.get("_search")
    key = (place.lat, place.lon, request.radius, request.filters)
    if not previous or previous["key"] != key or st.session_state.pop("_new_search", False):
        browser = not request.place
        zone = (st.context.timezone if browser else "") or presentation.zone_at(place.lat, place.lon)
        st.session_state["_search"] = {
            "key": key, "place": place, "radius": request.radius, "filters": request.filters, "zone": zone,
            "stamp": (previous["stamp"] + 1) if previous else 1, "scroll": st.session_state.pop("_scroll", False),
        }  # fmt: skip
        st.session_state["_shown"] = PAGE_SIZE
    results_fragment()
    render_anywhere(place, request.filters)


def share_link(request: search_form.SearchRequest) -> None:
    if st.button(_("Make a link to this search"), help=_("Puts the place and filters in the address bar")):
        st.query_params.from_dict({**search_form.query_params_for(request), **language_param()})
        st.success(_("The address bar now holds a link to this search. Copy it to share."))


def main() -> None:
    st.title(_("Find help near you"))
    st.markdown(_("Treatment, support groups and harm-reduction services. Free to use, and nothing you type is saved."))
    directory = data.loaded_directory()
    if directory.report.fatal:
        # The reason can quote the file (and paths): it is for the site's maintainers, through
        # `python -m helpmap validate`; visitors get a plain sentence and the help lines above.
        st.error(_("The list of services cannot be shown right now. The help lines above are available."))
        return
    if directory.is_demo:
        st.warning(
            _("**Demonstration data: these services are not real.** This site is showing example listings "
              "so you can try HelpMap. The help lines in the panel above are real."),
            icon="⚠️",
        )
    frame.listings_notice(directory, settings)
    request = read_request()
    if request is None:
        if st.query_params.get("kind"):  # from a Learn page, before any search: ask for the place
            st.info(_("Type a town, postcode or address, or use your location."))
        return
    place = resolve_place(request)
    if place is None:
        if not request.place:
            st.info(_("Type a town, postcode or address, or use your location."))
        return
    st.session_state["searcher_country"] = place.country_code or settings.country
    render_results(place, request)
    if request.place:
        share_link(request)


main()
