"""Embed HelpMap: for organisations that want the locator on their own site."""

from __future__ import annotations

import streamlit as st

from helpmap.embed import EmbedChoices, app_root, embed_url, iframe_snippet
from helpmap.schema import KM_PER_MILE
from ui import data
from ui.search_form import KIND_CHOICES, RADIUS_CHOICES_KM, RADIUS_CHOICES_MI
from ui.text import link

settings = data.settings()
WIDTHS = {"100%": "Full width of the space it is in", "800": "800 pixels", "600": "600 pixels", "400": "400 pixels"}

st.title("Put HelpMap on your website")
st.markdown(
    "Copy the code below into a page of your website and your visitors can search for help without "
    "leaving it. Choose where the search starts; people can still change the place and the filters."
)

try:
    root = app_root(st.context.url or "", "embed")
except ValueError:  # no browser address (a script test): show the shape of the code anyway
    root = "https://your-helpmap.example.org/"

with st.container(border=True):
    st.subheader("Your choices")
    # One row per pair, so a phone stacks them in reading order.
    left, right = st.columns(2)
    place = left.text_input(
        "Start the search at", value=settings.default_place, max_chars=200,
        placeholder="A town, postcode or 'lat, lon'",
        help="Leave it empty to let visitors type their own place.",
    )  # fmt: skip
    units = settings.units
    radius_choices = RADIUS_CHOICES_MI if units == "mi" else RADIUS_CHOICES_KM
    site_radius = settings.default_radius_km / KM_PER_MILE if units == "mi" else settings.default_radius_km
    radius = right.selectbox(
        "Distance", radius_choices, format_func=lambda r: f"Within {r:g} {units}",
        index=radius_choices.index(min(radius_choices, key=lambda r: abs(r - site_radius))),
    )  # fmt: skip
    left, right = st.columns(2)
    kind = left.selectbox("Kind of help", list(KIND_CHOICES), format_func=KIND_CHOICES.get)
    width = right.selectbox("Width", list(WIDTHS), format_func=WIDTHS.get)
    left, right = st.columns(2)
    height = left.slider("Height in pixels", min_value=500, max_value=1400, value=800, step=50)
    title = right.text_input(
        "Frame title", value=f"{settings.title}: find help", max_chars=120,
        help="Screen readers announce this name for the embedded search.",
    )  # fmt: skip

choices = EmbedChoices(place=place, radius=radius, kind=kind, width=width, height=height, title=title or settings.title)
url = embed_url(root, choices)

st.subheader("The code to copy")
# Plain text: the syntax colours of st.code fall below WCAG AA contrast (axe: color-contrast).
st.code(iframe_snippet(url, choices), language=None, wrap_lines=True)
st.caption(
    'The frame asks for `allow="geolocation"` so "Use my location" works inside your page. '
    "Nothing a visitor types is saved."
)

st.subheader("Preview")
st.markdown(f"This is what your visitors will see. {link('Open it in a new tab', url)}.")
preview_width = "stretch" if width.endswith("%") else int(width)
st.iframe(url, height=height, width=preview_width, alt=f"Preview: {choices.title}")

st.subheader("Start with a different search")
st.markdown(
    "The address in the code takes these parameters. Leave any out to use the site's defaults.\n\n"
    "- `place`: where the search starts, like `place=Leeds` or `place=10001`\n"
    f"- `radius`: how far to search, in {units}, like `radius=10`\n"
    "- `kind`: `treatment`, `support_group` or `harm_reduction`\n"
    "- `services`, `payment`, `language`, `gender`: filters; repeat one for several values, "
    "like `services=detox&services=youth`\n"
    "- `attendance`: `in_person` or `online`\n"
    "- `wheelchair`, `walk_in`, `open_now`: `1` shows only services that are\n"
    "- `embed=true`: hides the app's toolbar and padding (keep it)"
)

st.subheader("Your own data, area and colours")
st.markdown(
    "Running HelpMap yourself? One settings file sets your name and logo, your colours, where the "
    "search starts, whose help lines are shown, and your directory: a spreadsheet published as CSV, "
    "a Meeting Guide feed, a SAMHSA export or an Open Referral (HSDS) data package, refreshed on a "
    "schedule. See `examples/site.toml` in the HelpMap repository, check your file with "
    "`python -m helpmap check-config site.toml`, and read `docs/embedding.md` and `docs/deploy.md` for "
    "the server settings."
)
