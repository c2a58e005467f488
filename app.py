"""HelpMap: the entry point. Sets up navigation and the frame every page shares.

The pages live in app_pages/, each thin, calling into helpmap (which never imports streamlit).
Not in pages/: Streamlit would also run files there on their own, without this frame (no help
lines, no quick exit), when one is the first page a new server process is asked for.

Menu titles and section names are in the reader's language; the addresses (url_path) never
change with it, so links and bookmarks work in every language.
"""

import streamlit as st

from ui import data, frame, language, site

language.keep_language_in_url()  # first: every word below follows ?lang= (or the tab's choice)
_ = language.translator().gettext
settings = data.settings()
st.set_page_config(page_title=settings.title, page_icon="assets/favicon.png", layout="wide")

pages = {
    _("Find help"): [
        st.Page("app_pages/find_help.py", title=_("Find help"), icon=":material/location_on:", default=True),
        st.Page("app_pages/referral.py", title=_("Referral sheet"), icon=":material/description:", url_path="referral"),
    ],
    _("Learn"): [
        st.Page("app_pages/about_ketamine.py", title=_("About ketamine"), url_path="about-ketamine"),
        st.Page("app_pages/dependence.py", title=_("Dependence and warning signs"), url_path="dependence"),
        st.Page("app_pages/physical_harms.py", title=_("Physical harms"), url_path="physical-harms"),
        st.Page("app_pages/getting_help.py", title=_("Getting help"), url_path="getting-help"),
        st.Page("app_pages/staying_safer.py", title=_("Staying safer"), url_path="staying-safer"),
        st.Page("app_pages/emergency.py", title=_("In an emergency"), url_path="emergency"),
        st.Page("app_pages/families_and_friends.py", title=_("Families and friends"), url_path="families-and-friends"),
        st.Page("app_pages/the_law.py", title=_("Ketamine and the law"), url_path="the-law"),
    ],
    _("For organisations"): [
        st.Page("app_pages/embed.py", title=_("Embed HelpMap"), icon=":material/code:", url_path="embed"),
    ],
}
# Embedded in an organisation's site (?embed=true) the locator stands alone, without our menu.
page = st.navigation(pages, position="hidden" if st.context.is_embedded else "top")
# The browser tab says which page this is, in the reader's language, then the site's name.
st.set_page_config(page_title=f"{page.title} · {settings.title}")
site.apply_branding(settings)  # after navigation, so a first-run theme rerun keeps a deep link's page
frame.base_styles(settings)

# The crisis bar is drawn after the page runs, so it shows the lines for the country just
# searched; `finally` keeps it on screen even when a page stops early or fails.
crisis_slot = st.container()
language.language_switch()  # under the crisis bar, on every page
try:
    page.run()
finally:
    with crisis_slot:
        frame.crisis_bar(settings, st.session_state.get("searcher_country"))
    # Once per process, after the first page is drawn: building the place index in a thread
    # while the first page ran held the interpreter from it (bench/first_page.py).
    data.warm_geocoder()
directory = data.loaded_directory()
frame.data_notice(settings, [str(s) for s in directory.frame["source"].unique()[:20]], directory)
