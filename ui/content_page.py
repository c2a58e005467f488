"""Render one explanatory page from content/<slug>.md: the one helper every content page calls.

Order on screen: title and summary, the body, the help lines for the reader's country, links
into Find help (pre-filtered by kind), the numbered sources, and the last-reviewed and next-review dates.

The body is our own reviewed Markdown (no HTML, no images: helpmap.content checks that), shown
with st.markdown (and its quoted call-outs with st.info) and no unsafe_allow_html; reference markers are escaped so they show as [1].
Source titles and publishers still go through md(), and their addresses through link().

Language: the page is shown in the reader's language (ui.language: ?lang=, then the site's
`language`, then Accept-Language) from content/<lang>/<slug>.md, in English where a language has no
translation of the page. The page's own labels go through gettext (locales/); the help-line panel
is shared with the crisis bar and is still English.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from helpmap import content, i18n
from helpmap.i18n import N_
from ui.context import reader_country
from ui.helplines_panel import render_helplines
from ui.language import current_language, explicit_language
from ui.text import link, md

# An absolute path matches the page registered in app.py's st.navigation whatever the main
# script's folder is (app.py, or a test harness elsewhere).
FIND_HELP_PAGE = Path(__file__).resolve().parents[1] / "app_pages" / "find_help.py"
FIND_HELP_LINKS = {
    "treatment": (N_("Find treatment near you"), ":material/medical_services:"),
    "support_group": (N_("Find support groups near you"), ":material/groups:"),
    "harm_reduction": (N_("Find harm-reduction services near you"), ":material/health_and_safety:"),
}


@st.cache_data(show_spinner=False, max_entries=64)
def _page(slug: str, lang: str, modified: float) -> content.ContentPage:
    return content.load(slug, lang=lang)


def load_page(slug: str, lang: str = "en") -> content.ContentPage:
    """The parsed page in a language (English where it has none), re-read whenever its file changes."""
    path, found = content.resolved_path(slug, lang)
    return _page(slug, found, path.stat().st_mtime)


# Prose is easier to read in a column of about 75 characters, even in the app's wide layout; on a
# phone the column simply takes the screen's width.
READING_WIDTH = 760


def render_content_page(slug: str) -> None:
    lang = current_language()
    page = load_page(slug, lang)
    with st.container(width=READING_WIDTH):
        _render(page, i18n.translator(lang))


def _render(page: content.ContentPage, tr: i18n.Translator) -> None:
    _ = tr.gettext
    st.title(page.title)
    st.markdown(f"*{md(page.summary)}*")
    render_body(page.body_markdown)

    st.divider()
    render_helplines(reader_country())

    st.subheader(_("Find help near you"), anchor="find-help")
    find_help_links(page.find_help, tr)

    st.subheader(_("Sources"), anchor="sources")
    st.markdown(
        "\n".join(
            f"{source.number}. {link(source.title, source.url)}. {md(source.publisher)}."
            for source in page.sources
        )
    )
    st.caption(review_line(page, tr))


def review_line(page: content.ContentPage, tr: i18n.Translator) -> str:
    """'Last reviewed: 2026-12-01. Next review due: 2027-06-01.' and, on a translation, which English
    version it follows (ISO dates: unambiguous in every language)."""
    _ = tr.gettext
    line = _("Last reviewed: {date}.").format(date=page.last_reviewed.isoformat())
    if page.next_review:
        line += " " + _("Next review due: {date}.").format(date=page.next_review.isoformat())
    if page.english_version:
        line += " " + _("Translated from the English page reviewed on {date}.").format(
            date=page.english_version.isoformat()
        )
    return line


def render_body(body: str) -> None:
    """The body, with each quoted paragraph ("> ...") drawn as a box: the page's call-outs, such as
    "Worried about someone?" and the crisis line beside the figures on suicide."""
    for is_box, text in content.blocks(content.display_markdown(body)):
        if is_box:
            st.info(text, icon=":material/support_agent:")
        else:
            st.markdown(text)


def find_help_links(kinds: tuple[str, ...], tr: i18n.Translator | None = None) -> None:
    """Links into Find help with the kind of service already chosen (?kind=...), keeping an
    explicit ?lang= so the reader stays in their language."""
    _ = (tr or i18n.translator("en")).gettext
    lang = explicit_language()
    for kind in kinds:
        label, icon = FIND_HELP_LINKS[kind]
        params = {"kind": kind, **({"lang": lang} if lang else {})}
        try:
            st.page_link(str(FIND_HELP_PAGE), label=_(label), icon=icon, query_params=params)
        except StreamlitPageNotFoundError:
            # Only when this page runs on its own (outside app.py's navigation), e.g. a preview.
            st.caption(_("Find help is in the HelpMap menu, under Find help."))
            return
