"""Embed HelpMap: for organisations that want the locator on their own site."""

from __future__ import annotations

import streamlit as st

from helpmap import i18n
from helpmap.embed import EmbedChoices, app_root, embed_url, iframe_snippet
from helpmap.i18n import N_
from helpmap.schema import KM_PER_MILE
from ui import data
from ui.language import current_language, translator
from ui.search_form import KIND_CHOICES, RADIUS_CHOICES_KM, RADIUS_CHOICES_MI, within
from ui.text import link

settings = data.settings()
tr = translator()
_ = tr.gettext
WIDTHS = {"100%": N_("Full width of the space it is in"), "800": N_("800 pixels"), "600": N_("600 pixels"),
          "400": N_("400 pixels")}  # fmt: skip


def language_choice(code: str) -> str:
    """'' follows each visitor; a code fixes the frame's language (each shown in its own name)."""
    return _("Each visitor's own (site default, then their browser)") if not code else i18n.LANGUAGES[code]


st.title(_("Put HelpMap on your website"))
st.markdown(
    _("Copy the code below into a page of your website and your visitors can search for help without "
      "leaving it. Choose where the search starts; people can still change the place and the filters.")
)  # fmt: skip

try:
    root = app_root(st.context.url or "", "embed")
except ValueError:  # no browser address (a script test): show the shape of the code anyway
    root = "https://your-helpmap.example.org/"

with st.container(border=True):
    st.subheader(_("Your choices"))
    # One row per pair, so a phone stacks them in reading order.
    left, right = st.columns(2)
    place = left.text_input(
        _("Start the search at"), value=settings.default_place, max_chars=200,
        placeholder=_("A town, postcode or 'lat, lon'"),
        help=_("Leave it empty to let visitors type their own place."),
    )  # fmt: skip
    units = settings.units
    radius_choices = RADIUS_CHOICES_MI if units == "mi" else RADIUS_CHOICES_KM
    site_radius = settings.default_radius_km / KM_PER_MILE if units == "mi" else settings.default_radius_km
    radius = right.selectbox(
        _("Distance"), radius_choices, format_func=lambda r: within(r, units, tr),
        index=radius_choices.index(min(radius_choices, key=lambda r: abs(r - site_radius))),
    )  # fmt: skip
    left, right = st.columns(2)
    kind = left.selectbox(_("Kind of help"), list(KIND_CHOICES), format_func=lambda k: _(KIND_CHOICES[k]))
    width = right.selectbox(_("Width"), list(WIDTHS), format_func=lambda w: _(WIDTHS[w]))
    left, right = st.columns(2)
    height = left.slider(_("Height in pixels"), min_value=500, max_value=1400, value=800, step=50)
    title = right.text_input(
        _("Frame title"), value=_("{site}: find help").format(site=settings.title), max_chars=120,
        help=_("Screen readers announce this name for the embedded search."),
    )  # fmt: skip
    # The page's own language is offered first when it is not English: a Spanish reader of this page
    # most likely wants a Spanish frame.
    codes = ["", *i18n.LANGUAGES]
    lang = st.selectbox(
        _("Language of the frame"), codes, format_func=language_choice,
        index=codes.index(current_language()) if current_language() != i18n.DEFAULT_LANGUAGE else 0,
        help=_("Adds lang= to the address, so the frame stays in that language whatever the visitor's browser says."),
    )  # fmt: skip

choices = EmbedChoices(place=place, radius=radius, kind=kind, width=width, height=height, title=title or settings.title,
                       lang=lang)  # fmt: skip
url = embed_url(root, choices)

st.subheader(_("The code to copy"))
# Plain text: the syntax colours of st.code fall below WCAG AA contrast (axe: color-contrast).
st.code(iframe_snippet(url, choices), language=None, wrap_lines=True)
st.caption(
    _('The frame asks for `allow="geolocation"` so "Use my location" works inside your page. '
      "Nothing a visitor types is saved.")
)  # fmt: skip

st.subheader(_("Preview"))
st.markdown(_("This is what your visitors will see. {link}.").format(link=link(_("Open it in a new tab"), url)))
preview_width = "stretch" if width.endswith("%") else int(width)
st.iframe(url, height=height, width=preview_width, alt=_("Preview: {title}").format(title=choices.title))

st.subheader(_("Start with a different search"))
st.markdown(
    _("The address in the code takes these parameters. Leave any out to use the site's defaults.\n\n"
      "- `place`: where the search starts, like `place=Leeds` or `place=10001`\n"
      "- `radius`: how far to search, in {unit}, like `radius=10`\n"
      "- `kind`: `treatment`, `support_group` or `harm_reduction`\n"
      "- `services`, `payment`, `language`, `gender`: filters; repeat one for several values, "
      "like `services=detox&services=youth`\n"
      "- `attendance`: `in_person` or `online`\n"
      "- `wheelchair`, `walk_in`, `open_now`: `1` shows only services that are\n"
      "- `lang`: the language of every page, like `lang=es` (without it, the site's language, then the "
      "visitor's browser)\n"
      "- `embed=true`: hides the app's toolbar and padding (keep it)").format(unit=units)
)  # fmt: skip

st.subheader(_("Your own data, area and colours"))
st.markdown(
    _("Running HelpMap yourself? One settings file sets your name and logo, your colours, where the "
      "search starts, whose help lines are shown, and your directory: a spreadsheet published as CSV, "
      "a Meeting Guide feed, a SAMHSA export or an Open Referral (HSDS) data package, refreshed on a "
      "schedule. See `examples/site.toml` in the HelpMap repository, check your file with "
      "`python -m helpmap check-config site.toml`, and read `docs/embedding.md` and `docs/deploy.md` for "
      "the server settings.")
)  # fmt: skip
