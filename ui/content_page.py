"""Render one explanatory page from content/<slug>.md: the one helper every content page calls.

Order on screen: title and summary, the body, the help lines for the reader's country, links
into Find help (pre-filtered by kind), the numbered sources, and the last-reviewed and next-review dates.

The body is our own reviewed Markdown (no HTML, no images: helpmap.content checks that), shown
with st.markdown (and its quoted call-outs with st.info) and no unsafe_allow_html; reference markers are escaped so they show as [1].
Source titles and publishers still go through md(), and their addresses through link().
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from helpmap import content
from ui.context import reader_country
from ui.helplines_panel import render_helplines
from ui.text import link, md

# An absolute path matches the page registered in app.py's st.navigation whatever the main
# script's folder is (app.py, or a test harness elsewhere).
FIND_HELP_PAGE = Path(__file__).resolve().parents[1] / "app_pages" / "find_help.py"
FIND_HELP_LINKS = {
    "treatment": ("Find treatment near you", ":material/medical_services:"),
    "support_group": ("Find support groups near you", ":material/groups:"),
    "harm_reduction": ("Find harm-reduction services near you", ":material/health_and_safety:"),
}


@st.cache_data(show_spinner=False, max_entries=32)
def _page(slug: str, modified: float) -> content.ContentPage:
    return content.load(slug)


def load_page(slug: str) -> content.ContentPage:
    """The parsed page, re-read whenever its file changes."""
    path = content.path_for(slug)
    return _page(slug, path.stat().st_mtime)


# Prose is easier to read in a column of about 75 characters, even in the app's wide layout; on a
# phone the column simply takes the screen's width.
READING_WIDTH = 760


def render_content_page(slug: str) -> None:
    page = load_page(slug)
    with st.container(width=READING_WIDTH):
        _render(page)


def _render(page: content.ContentPage) -> None:
    st.title(page.title)
    st.markdown(f"*{md(page.summary)}*")
    render_body(page.body_markdown)

    st.divider()
    render_helplines(reader_country())

    st.subheader("Find help near you", anchor="find-help")
    find_help_links(page.find_help)

    st.subheader("Sources", anchor="sources")
    st.markdown(
        "\n".join(
            f"{source.number}. {link(source.title, source.url)}. {md(source.publisher)}."
            for source in page.sources
        )
    )
    due = f" Next review due: {page.next_review.isoformat()}." if page.next_review else ""
    st.caption(f"Last reviewed: {page.last_reviewed.isoformat()}.{due}")


def render_body(body: str) -> None:
    """The body, with each quoted paragraph ("> ...") drawn as a box: the page's call-outs, such as
    "Worried about someone?" and the crisis line beside the figures on suicide."""
    for is_box, text in content.blocks(content.display_markdown(body)):
        if is_box:
            st.info(text, icon=":material/support_agent:")
        else:
            st.markdown(text)


def find_help_links(kinds: tuple[str, ...]) -> None:
    """Links into Find help with the kind of service already chosen (?kind=...)."""
    for kind in kinds:
        label, icon = FIND_HELP_LINKS[kind]
        try:
            st.page_link(str(FIND_HELP_PAGE), label=label, icon=icon, query_params={"kind": kind})
        except StreamlitPageNotFoundError:
            # Only when this page runs on its own (outside app.py's navigation), e.g. a preview.
            st.caption("Find help is in the HelpMap menu, under Find help.")
            return
