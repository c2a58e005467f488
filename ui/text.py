"""Make text from a data file safe to show in Streamlit markdown.

st.markdown escapes HTML tags, but markdown itself is live: a listing called
"![x](http://tracker)" would load a third-party image, "[Call](javascript:...)" would make a
link, and "$...$" would be typeset as maths. Data text therefore goes through md() first, and
links only through link(), which accepts http(s), tel: and mailto: addresses alone.
"""

from __future__ import annotations

import html
import re

from helpmap.links import plain, safe_web_url, tel_href  # noqa: F401 (pages import them from here)

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


# GitHub-flavoured markdown turns bare "http://..." and "www...." into links even when escaped;
# an invisible word joiner after the scheme keeps them as text.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|www)(?=\\[:.])")
# It links bare e-mail addresses too ("help@example.org" becomes a mailto: link): a word joiner
# after the @ keeps them as text. Addresses a listing means as links go through link().
_EMAIL_AT = re.compile(r"@(?=\S)")


def md(text: object) -> str:
    """Text that markdown shows literally."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", plain(text))
    return _EMAIL_AT.sub("@\u2060", _AUTOLINK.sub("\\1\u2060", escaped))


def link(label: object, url: str | None) -> str:
    """A markdown link with an escaped label, or the plain label when the URL is not safe."""
    if not url:
        return md(label)
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("http", "https"):
        url = safe_web_url(url)
    elif scheme not in ("tel", "mailto"):
        url = None
    if not url:
        return md(label)
    return f"[{md(label)}]({url.replace(' ', '%20').replace(')', '%29')})"


def plain_attribution(text: str) -> str:
    """The tile attribution from the settings, as text ('© OpenStreetMap contributors')."""
    return html.unescape(re.sub(r"<[^>]*>", "", text or "")).strip()[:200]
