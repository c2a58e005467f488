"""Make text from a data file safe to show in Streamlit markdown.

st.markdown escapes HTML tags, but markdown itself is live: a listing called
"![x](http://tracker)" would load a third-party image, "[Call](javascript:...)" would make a
link, and "$...$" would be typeset as maths. Data text therefore goes through md() first, and
links only through link(), which accepts http(s), tel: and mailto: addresses alone.
"""

from __future__ import annotations

import re
import urllib.parse

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")
# Bidirectional overrides can make text display in a misleading order.
_CONTROL_CHARS = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


def plain(text: object) -> str:
    """One line of text with control and bidi-override characters removed."""
    return _CONTROL_CHARS.sub("", " ".join(str(text).split()))


# GitHub-flavoured markdown turns bare "http://..." and "www...." into links even when escaped;
# an invisible word joiner after the scheme keeps them as text.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|www)(?=\\[:.])")


def md(text: object) -> str:
    """Text that markdown shows literally."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", plain(text))
    return _AUTOLINK.sub("\\1\u2060", escaped)


def safe_web_url(url: str) -> str | None:
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not re.search(r"[\s<>\"'()\[\]]", url):
        return url
    return None


def tel_href(phone: str) -> str | None:
    """'+1 434-555-0101' -> 'tel:+14345550101'; None when there are no digits to dial."""
    digits = re.sub(r"[^\d+]", "", phone.split(" ext")[0].split(" x")[0])
    digits = digits[0] + digits[1:].replace("+", "") if digits else digits
    return f"tel:{digits}" if sum(c.isdigit() for c in digits) >= 3 else None


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
