"""The iframe snippet organisations paste into their own site.

The embedded app is HelpMap's own address with Streamlit's `embed=true` (no toolbar, no page
padding) and HelpMap's search parameters, which the Find help form reads to prefill itself, and
`lang=` when the organisation chose a language (HelpMap's ?lang= contract: every page keeps it).
Everything that goes into the snippet is escaped: a place name is text, never markup.
"""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass, field

from helpmap import i18n

KINDS = ("treatment", "support_group", "harm_reduction")
MAX_PLACE_CHARS = 200  # the form's own limit


@dataclass(frozen=True)
class EmbedChoices:
    place: str = ""
    radius: float | None = None  # in the site's units; None keeps the site's default
    kind: str = ""  # "" for every kind
    filters: dict[str, list[str]] = field(default_factory=dict)  # services, payment, language ...
    width: str = "100%"  # CSS pixels ("600") or a percentage ("100%")
    height: int = 800
    title: str = "HelpMap: find help near you"
    lang: str = ""  # "" follows the visitor (site language, then browser); "es" keeps Spanish


def app_root(page_url: str, page_path: str = "") -> str:
    """The app's own address from the address of one of its pages (st.context.url).

    'https://help.example.org/helpmap/embed' with page_path 'embed' -> 'https://help.example.org/helpmap/'.
    Only http(s) addresses are accepted: the result goes into a snippet other sites publish."""
    parts = urllib.parse.urlsplit(page_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not a web address: {page_url!r}")
    path = parts.path
    if page_path and path.rstrip("/").endswith("/" + page_path.strip("/")):
        path = path.rstrip("/")[: -len(page_path.strip("/"))]
    if not path.endswith("/"):
        path += "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def embed_url(root: str, choices: EmbedChoices) -> str:
    """The address to put in the iframe: embed=true plus the search to start with."""
    params: list[tuple[str, str]] = [("embed", "true")]
    place = " ".join(choices.place.split())[:MAX_PLACE_CHARS]
    if place:
        params.append(("place", place))
    if choices.radius:
        params.append(("radius", f"{choices.radius:g}"))
    if choices.kind in KINDS:
        params.append(("kind", choices.kind))
    for name, values in choices.filters.items():
        params.extend((name, value) for value in values)
    if lang := i18n.normalise(choices.lang):
        params.append(("lang", lang))
    return root + "?" + urllib.parse.urlencode(params)


def iframe_snippet(url: str, choices: EmbedChoices) -> str:
    """HTML for the organisation's page. `allow="geolocation"` lets "use my location" work inside
    the frame; the title names the frame for screen readers."""
    attributes = {
        "src": url,
        "title": choices.title,
        "width": _css_length(choices.width),
        "height": str(max(300, min(int(choices.height), 3000))),
        "style": "border:0;max-width:100%",
        "allow": "geolocation",
        "loading": "lazy",
    }
    text = " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    return f"<iframe {text}></iframe>"


def _css_length(width: str) -> str:
    """'100%', '640' or '640px' -> an iframe width attribute; anything else -> '100%'."""
    width = width.strip().lower().removesuffix("px")
    if width.endswith("%") and width[:-1].isdigit() and 10 <= int(width[:-1]) <= 100:
        return width
    if width.isdigit() and 200 <= int(width) <= 3000:
        return width
    return "100%"
