"""The Find help search form: place, distance, kind and the filters the data can satisfy.

Incoming query parameters (place, radius, kind, and filters) prefill the form once, so links
from the content pages and from organisations' sites land on a ready search. The place a
person types is never written back into the URL unless they ask for a shareable link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st
from babel import Locale

from helpmap import i18n, labels
from helpmap.i18n import N_
from helpmap.schema import KM_PER_MILE
from helpmap.search import Filters
from ui.language import translator

RADIUS_CHOICES_KM = (5, 10, 25, 50, 100, 250)
RADIUS_CHOICES_MI = (3, 5, 10, 25, 50, 150)
# English labels, marked here and translated where they are shown (with the reader's translator).
KIND_CHOICES = {"": N_("All kinds of help"), **{k: labels.KINDS[k] for k in ("treatment", "support_group", "harm_reduction")}}
TIME_OF_DAY = {"": N_("Any time"), "morning": N_("Morning (before 12:00)"), "afternoon": N_("Afternoon (12:00–17:00)"),
               "evening": N_("Evening (from 17:00)")}  # fmt: skip
ATTENDANCE_CHOICES = {"": N_("In person or online"), "in_person": N_("In person"), "online": N_("Online")}


def within(radius: float, units: str, tr: i18n.Translator) -> str:
    """'Within 10 mi' / 'A menos de 10 mi'."""
    distance = i18n.format_number(radius, tr.lang, 0 if radius == int(radius) else 1)
    return tr.gettext("Within {distance} {unit}").format(distance=distance, unit=units)


# CLDR's English language names -> codes ('spanish' -> 'es'), to name a directory's languages in the
# reader's language (CLDR through Babel, so every language HelpMap adds gets them too).
_ENGLISH_LANGUAGE_CODES = {name.lower(): code for code, name in Locale("en").languages.items() if "_" not in code}


def language_name(value: str, lang: str) -> str:
    """A directory's language ('spanish', as the data writes it) in the reader's language ('Español');
    the data's own word, capitalised, when CLDR does not know it."""
    code = _ENGLISH_LANGUAGE_CODES.get(value.strip().lower())
    name = (i18n.babel_locale(lang).languages.get(code) if code else None) or value.title()
    return name[:1].upper() + name[1:]


@dataclass
class SearchRequest:
    place: str
    radius: float  # in the site's unit
    filters: Filters = field(default_factory=Filters)


def query_params_for(request: SearchRequest) -> dict[str, str | list[str]]:
    """The link for a search: what prefill_from_query_params reads back."""
    filters = request.filters
    params: dict[str, str | list[str]] = {"place": request.place, "radius": f"{request.radius:g}"}
    if filters.kinds:
        params["kind"] = filters.kinds[0]
    for key in ("services", "payment"):
        if getattr(filters, key):
            params[key] = list(getattr(filters, key))
    for key in ("language", "gender", "attendance"):
        if getattr(filters, key):
            params[key] = getattr(filters, key)
    for key in ("wheelchair", "walk_in", "open_now"):
        if getattr(filters, key):
            params[key] = "1"
    return params


def prefill_from_query_params(default_radius: float, default_place: str = "") -> None:
    """Copy validated query parameters into the form's widget state, once per distinct link.

    A link from a Learn page (?kind=... and no place) starts a fresh search for that kind near
    the last place searched in this session, or asks for a place: never the previous results."""
    params = st.query_params
    # The language is not part of a search: switching it keeps the search on screen.
    signature = tuple(sorted((k, tuple(params.get_all(k))) for k in params if k not in ("embed", "lang")))
    if st.session_state.get("_prefilled") == signature:
        return
    first_visit = "_prefilled" not in st.session_state
    st.session_state["_prefilled"] = signature
    if not first_visit and not signature:
        return  # back on Find help from the menu: keep the search on screen
    st.session_state.pop("_request", None)
    st.session_state.pop("_search", None)
    last_place = st.session_state.get("_last_place", "")
    if params.get("place"):
        st.session_state["place"] = params["place"][:200]
        st.session_state["auto_search"] = True
    elif last_place and not first_visit:
        st.session_state["place"] = last_place
        st.session_state["auto_search"] = True
    elif default_place:  # the site's own area: visitors land on results for it
        st.session_state["place"] = default_place
        st.session_state["auto_search"] = True
    if params.get("kind") in KIND_CHOICES:
        st.session_state["kind"] = params["kind"]
    try:
        radius = float(params.get("radius", default_radius))
        st.session_state["radius"] = radius if 0 < radius <= 500 else default_radius
    except ValueError:
        st.session_state["radius"] = default_radius
    for key in ("services", "payment", "language", "gender", "attendance"):
        if params.get(key):
            st.session_state[f"prefill_{key}"] = params.get_all(key)
    for key in ("wheelchair", "walk_in", "open_now"):
        if params.get(key) in ("1", "true", "yes"):
            st.session_state[key] = True


# Examples in the search box, in the site's country: what people there would type.
# Place names and postcodes stay as people there write them; only "For example" is translated.
PLACEHOLDERS = {
    "US": N_("For example: Richmond, VA or 22903"),
    "GB": N_("For example: Leeds or LS1 4AP"),
    "CA": N_("For example: Toronto or M5V 3L9"),
    "AU": N_("For example: Sydney or NSW 2000"),
    "IE": N_("For example: Dublin or D02 X285"),
}
DEFAULT_PLACEHOLDER = N_("For example: Leeds, 10001, M5V 3L9")


def render(
    choices: dict[str, list], units: str, default_radius_km: float, default_place: str = "", country: str = ""
) -> SearchRequest | None:
    """Draw the form. Returns the request when the person searched (or arrived with one)."""
    radius_choices = RADIUS_CHOICES_MI if units == "mi" else RADIUS_CHOICES_KM
    default_radius = default_radius_km / KM_PER_MILE if units == "mi" else default_radius_km
    prefill_from_query_params(min(radius_choices, key=lambda r: abs(r - default_radius)), default_place)
    if st.session_state.get("radius") not in radius_choices:
        wanted = st.session_state.get("radius", default_radius)
        st.session_state["radius"] = min(radius_choices, key=lambda r: abs(r - wanted))

    tr = translator()
    _ = tr.gettext
    with st.form("search", border=False, enter_to_submit=True):
        st.text_input(
            _("Town, postcode or address"),
            key="place",
            placeholder=_(PLACEHOLDERS.get(country.upper(), DEFAULT_PLACEHOLDER)),
            max_chars=200,
            help=_("Or use your location below. What you type is not saved."),
        )
        left, right = st.columns(2)
        left.selectbox(_("Distance"), radius_choices, key="radius", format_func=lambda r: within(r, units, tr))
        right.selectbox(_("Kind of help"), list(KIND_CHOICES), key="kind", format_func=lambda k: _(KIND_CHOICES[k]))  # N_ here, or labels.KINDS
        with st.expander(_("More filters")):
            filters = _filter_widgets(choices, tr)
        submitted = st.form_submit_button(_("Search"), type="primary", use_container_width=True)

    automatic = st.session_state.pop("auto_search", False)
    if submitted or automatic:
        st.session_state["_new_search"] = True
        # Bring the results into view after Enter or a tapped suggestion (not on a link's arrival).
        st.session_state["_scroll"] = bool(submitted) or st.session_state.pop("_tapped", False)
        st.session_state["_last_place"] = st.session_state.get("place", "").strip()
        st.session_state["_request"] = SearchRequest(
            place=st.session_state.get("place", "").strip(),
            radius=float(st.session_state["radius"]),
            filters=filters,
        )
    return st.session_state.get("_request")


def _filter_widgets(choices: dict[str, list], tr: i18n.Translator) -> Filters:
    """Only filters that at least one listed service can satisfy are offered."""
    _ = tr.gettext
    kind = st.session_state.get("kind", "")
    values: dict = {"kinds": (kind,) if kind else ()}
    if choices["services"]:
        values["services"] = tuple(_multiselect(_("Services"), "services", choices["services"], labels.SERVICES, tr))
    if choices["payment"]:
        values["payment"] = tuple(_multiselect(_("Payment accepted"), "payment", choices["payment"], labels.PAYMENT, tr))
    if choices["cost"]:
        values["cost"] = tuple(_multiselect(_("Cost"), "cost", choices["cost"], labels.COST, tr))
    if choices["languages"]:
        options = ["", *choices["languages"]]
        _apply_prefill("language", options, single=True)
        values["language"] = st.selectbox(
            _("Language"), options, key="language",
            format_func=lambda v: language_name(v, tr.lang) if v else _("Any language"),
        )  # fmt: skip
    if choices["gender"]:
        options = ["", *choices["gender"]]
        _apply_prefill("gender", options, single=True)
        values["gender"] = st.selectbox(
            _("Gender"), options, key="gender", format_func=lambda v: labels.word(labels.GENDER, v, tr.lang) if v in labels.GENDER else _("Anyone")
        )
    if choices["ages"]:
        age = st.number_input(_("Age of the person"), min_value=0, max_value=120, value=None, step=1, key="age")
        values["age"] = int(age) if age is not None else None
    if choices["online"]:
        _apply_prefill("attendance", list(ATTENDANCE_CHOICES), single=True)
        values["attendance"] = st.radio(
            _("How to attend"), list(ATTENDANCE_CHOICES), key="attendance", format_func=lambda v: _(ATTENDANCE_CHOICES[v]),
            horizontal=True,
        )  # fmt: skip
    if choices["wheelchair"]:
        values["wheelchair"] = st.checkbox(_("Wheelchair accessible"), key="wheelchair")
    if choices["walk_in"]:
        values["walk_in"] = st.checkbox(_("Walk-in (no appointment)"), key="walk_in")
    if choices["hours"]:
        values["open_now"] = st.checkbox(_("Open now, or meeting now"), key="open_now")
    if choices["days"]:
        day_options = choices["days"]
        values["days"] = tuple(
            st.multiselect(_("Only meetings on these days"), day_options, key="days", format_func=lambda d: _(labels.DAYS[d]))
        )
    if choices["meeting_times"]:
        values["time_of_day"] = st.selectbox(
            _("Only meetings at this time of day"), list(TIME_OF_DAY), key="time_of_day", format_func=lambda v: _(TIME_OF_DAY[v])
        )
    return Filters(**values)


def _multiselect(label: str, key: str, options: list[str], names: dict[str, str], tr: i18n.Translator) -> list[str]:
    _apply_prefill(key, options)
    # The core's label tables, in the reader's language (labels.word translates them).
    return st.multiselect(label, options, key=key, format_func=lambda v: labels.word(names, v, tr.lang),
                          placeholder=tr.gettext("Choose options"))  # fmt: skip


def _apply_prefill(key: str, options: list[str], single: bool = False) -> None:
    wanted = st.session_state.pop(f"prefill_{key}", None)
    if not wanted:
        return
    valid = [w for w in wanted if w in options]
    if valid:
        st.session_state[key] = valid[0] if single else valid


def render_suggestions(labels_: tuple[str, ...] | list[str], key: str, prompt: str = "") -> None:
    """"Did you mean" places as buttons: a tap puts the place in the search box and searches
    it. Labels are gazetteer text, so they are escaped before Streamlit reads them as Markdown."""
    from ui.text import md

    if not labels_:
        return
    if prompt:
        st.markdown(prompt)
    columns = st.columns(min(len(labels_), 3))
    for position, label in enumerate(labels_[:6]):
        columns[position % len(columns)].button(
            md(label), key=f"{key}-{position}", on_click=_search_for, args=(label,), use_container_width=True
        )


def _search_for(label: str) -> None:
    """Runs before the rerun, so the search box can still be set."""
    st.session_state["place"] = label
    st.session_state["auto_search"] = True
    st.session_state["_tapped"] = True  # a person's choice: bring its results into view
