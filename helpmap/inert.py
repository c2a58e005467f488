"""Text made safe for folium's templates, which are rendered twice.

folium and branca (checked with folium 0.20.0, branca 0.8.2, Jinja2 3.1.6) render each map
element's macro, then wrap the *output* in a new `branca.element.Element`, whose constructor
compiles that output as a Jinja2 template, and render it again. Anything our code puts into a
script (marker data, the tile attribution) is therefore Jinja2 source on the second pass: a row
named `{{ lipsum.__globals__.os.popen(...) }}` would run on the server, and `{% raw %}` would
break the page. Jinja2 syntax needs `{` (for `{{`, `{%` and `{#`), so text without a literal
brace cannot become template code.

- In JavaScript: JSON whose `{`, `}` and `%` are written as the escapes `\\u007b`, `\\u007d` and
  `\\u0025` (plus folium's own `<`, `>`, `&` and `'` escapes). The browser decodes them back to
  the exact text; Jinja2 sees only backslashes and letters.
- In HTML (the map attribution): the same characters as character references.
"""

from __future__ import annotations

import html
import json
import re

_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "{": "\\u007b",
    "}": "\\u007d",
    "%": "\\u0025",
}
_JS_PATTERN = re.compile("[" + re.escape("".join(_JS_ESCAPES)) + "]")
_HTML_ESCAPES = {"{": "&#123;", "}": "&#125;", "%": "&#37;"}


def inert_json(value) -> str:
    """JSON for a script, with no character that Jinja2 or an HTML parser could act on.

    Meant for lists and strings: a dict's own braces would be escaped too and stop being JSON,
    so objects are refused rather than silently broken."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    if _has_object(value):
        raise TypeError("inert_json takes lists and scalars; pass objects as lists")
    return _JS_PATTERN.sub(lambda match: _JS_ESCAPES[match.group()], text)


def _has_object(value) -> bool:
    if isinstance(value, dict):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_object(item) for item in value)
    return False


def inert_html_text(text: str) -> str:
    """Escaped HTML text with braces and percent signs as character references."""
    return "".join(_HTML_ESCAPES.get(char, char) for char in html.escape(text, quote=True))


# An attribution is plain text with, at most, plain links: <a href="http(s)://...">text</a>.
_LINK = re.compile(r"""<a\s+href\s*=\s*(["'])(https?://[^"'<>\s]+)\1\s*>([^<>]*)</a>""", re.I)
_TAG = re.compile(r"<[^>]*>")


def attribution_html(attribution: str) -> str:
    """The tile attribution as safe HTML: its text, and its plain http(s) links kept as links.

    Any other markup (scripts, handlers, images, other URL schemes) is dropped, leaving its text."""
    parts: list[str] = []
    position = 0
    for match in _LINK.finditer(attribution):
        parts.append(_plain(attribution[position : match.start()]))
        href, label = match.group(2), html.unescape(match.group(3))
        parts.append(f'<a href="{inert_html_text(href)}" rel="noopener" target="_blank">{inert_html_text(label)}</a>')
        position = match.end()
    parts.append(_plain(attribution[position:]))
    return "".join(parts)


def attribution_links_removed(attribution: str) -> str:
    """The attribution without its plain links: what is left should be plain text."""
    return _LINK.sub("", attribution)


def _plain(fragment: str) -> str:
    return inert_html_text(html.unescape(_TAG.sub("", fragment)))
