"""Turning listed text into safe links and plain text, in one place for pages and exports.

A wrong phone link can dial the wrong person, and a javascript: or data: address from a data file
must never become a link, so every page, sheet and calendar uses these same rules.
"""

from __future__ import annotations

import re
import urllib.parse

# Control characters, and bidirectional overrides that can make text display in a misleading order.
_CONTROL_CHARS = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]")
_SAFE_WEB_URL = re.compile(r"^https?://[^\s<>\"'`\\()\[\]]+$", re.IGNORECASE)


def plain(text: object) -> str:
    """One line of text: control and bidi-override characters removed, spaces collapsed."""
    return _CONTROL_CHARS.sub("", " ".join(str(text or "").split()))


def safe_web_url(url: object) -> str | None:
    """The address when it is an http(s) URL with a host and no characters that could break out
    of an attribute or a markdown link; otherwise None (javascript:, data: are never links)."""
    url = str(url or "").strip()
    if not _SAFE_WEB_URL.match(url) or not urllib.parse.urlsplit(url).netloc:
        return None
    return url


def tel_href(phone: object) -> str | None:
    """'+44 113 496 0143' -> 'tel:+441134960143'. None when there are too few digits, or letters
    ("1-800-GET-HELP", "call 911"): better no link than one that dials a wrong number."""
    text = str(phone or "").strip()
    if text.startswith("+"):
        text = text.replace("(0)", "")  # "+44 (0)113": the 0 is dialled only from inside the country
    number = re.split(r"\s*(?:ext\.?|x)\s*\d", text, maxsplit=1, flags=re.IGNORECASE)[0]
    if re.search(r"[^\d\s+\-.()\u00a0]", number) or "+" in number[1:]:
        return None
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}" if sum(c.isdigit() for c in digits) >= 3 else None
