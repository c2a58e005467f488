"""No untranslated interface string on the Spanish pages, in a real browser.

Every page is loaded with ?lang=es (Find help after a search, the referral sheet in its editing and
its client view, every explanatory page, the embed page), its visible text is collected (the page and
its frames: the "Use my location" button lives in one), and the test fails when an English message of
the helpmap catalogue appears in it verbatim, where the Spanish differs from the English. Only
messages a reader would notice count: three words or more (each literal piece of a message with
{placeholders}), or one of a few distinctive short labels.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from helpmap import i18n
from tests.conftest import rerun_after, wait_for_app

pytestmark = pytest.mark.e2e
CATALOGUE = i18n.LOCALES_DIR / "es" / "LC_MESSAGES" / "helpmap.po"
# Short labels that are English to anyone who sees them.
DISTINCTIVE = {
    "Directions", "Search", "Quick exit", "Find help", "Referral sheet", "Help lines", "Sources", "Distance",
    "Kind of help", "More filters", "Calendar", "Preview", "Remove", "Move up", "Move down", "Show more",
    "Embed HelpMap", "Learn", "Width", "Open now", "Use my location", "Need help now?", "More help lines",
}  # fmt: skip
# Streamlit's own English that can show on our pages (not in our catalogue): hidden or replaced.
STREAMLIT_ENGLISH = ("Press Enter to submit form", "Choose options", "Choose an option")
LEARN_PAGES = ("about-ketamine", "dependence", "physical-harms", "getting-help", "staying-safer", "emergency",
               "families-and-friends", "the-law")  # fmt: skip


def english_phrases() -> dict[str, str]:
    """English fragment -> the message it comes from, for every message whose Spanish differs."""
    phrases = {}
    for message in read_po(CATALOGUE.open("rb")):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english, spanish in zip(ids, strings):
            if english == spanish:
                continue
            plain = re.sub(r"\*\*|\*|`", "", english)
            for piece in re.split(r"\{\w*\}", plain):
                piece = " ".join(piece.split()).strip(" .,:;()")
                if len(piece.split()) >= 3 or piece in DISTINCTIVE:
                    phrases[piece] = english
    phrases.update({text: "(Streamlit)" for text in STREAMLIT_ENGLISH})
    return phrases


def visible_text(page) -> str:
    texts = [page.locator("body").inner_text()]
    for frame in page.frames[1:]:
        try:
            texts.append(frame.locator("body").inner_text(timeout=2_000))
        except Exception:  # a frame that went away while we read it has nothing to show
            pass
    return " ".join(" ".join(texts).split())


def english_left(page) -> list[str]:
    return english_in(visible_text(page))


def english_in(text: str) -> list[str]:
    # Whole words only: "Calendar" is not in "Calendario" (a digit may touch: "...submit form6/200").
    letter = r"[^\W\d_]"
    return sorted(p for p in english_phrases() if re.search(f"(?<!{letter})" + re.escape(p) + f"(?!{letter})", text))


def assert_no_english(page) -> None:
    left = english_left(page)
    assert not left, f"English on the Spanish page {page.url}: " + " | ".join(left)


def test_the_check_knows_english_when_it_sees_it():
    phrases = english_phrases()
    assert "Need help now?" in phrases and "Find help near you" in phrases
    assert english_in("Calendario · ¿Necesita ayuda ahora? · Need help now? · Directions") == ["Directions", "Need help now?"]
    assert english_in("Press Enter to submit form6/200") == ["Press Enter to submit form"]


def search_in_spanish(page, place: str) -> None:
    box = page.locator("[data-testid='stTextInput'] input").first
    box.fill(place)
    rerun_after(page, lambda: box.press("Enter"))
    page.locator(".hm-card").first.wait_for()


def test_find_help_after_a_search_has_no_english(app_server, visit):
    page = visit(f"{app_server.url}/?lang=es").page
    search_in_spanish(page, "Leeds")
    page.locator("[data-testid='stExpander'] summary").first.click()  # the filters, opened
    wait_for_app(page)
    page.locator("[data-testid='stTextInput'] input").first.type("s")  # Streamlit's hint shows while typing
    assert_no_english(page)


def test_a_place_we_cannot_find_has_no_english(app_server, visit):
    page = visit(f"{app_server.url}/?lang=es").page
    box = page.locator("[data-testid='stTextInput'] input").first
    box.fill("Leedz")
    rerun_after(page, lambda: box.press("Enter"))
    assert_no_english(page)


@pytest.mark.parametrize("query", ["ids=demo-leeds-treatment-143,demo-leeds-support-group-146&edit=1",
                                   "ids=demo-leeds-treatment-143,demo-leeds-support-group-146"],
                         ids=["editing", "client"])  # fmt: skip
def test_the_referral_sheet_has_no_english(app_server, visit, query):
    page = visit(f"{app_server.url}/referral?{query}&lang=es").page
    page.locator("h1").first.wait_for()
    assert_no_english(page)


@pytest.mark.parametrize("path", [*LEARN_PAGES, "embed", "referral"])
def test_every_other_page_has_no_english(app_server, visit, path):
    page = visit(f"{app_server.url}/{path}?lang=es").page
    page.locator("h1").first.wait_for()
    assert_no_english(page)
