"""The printable referral sheet: a whole HTML document to download and print, or a fragment for
a preview inside a page.

Safety: every piece of text from the directory or the caseworker is HTML-escaped on the way in
(`_esc`), and only http(s) and tel:/sms: addresses become links. The document has no scripts
and no outside files.

Words: in `Referral.lang`, through gettext; the document's `<html lang>` follows it. Translated
text is escaped like data (a translation is text, never markup).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import date

from .helplines import PURPOSES, HelpLine
from .i18n import N_, normalise, translator
from .links import safe_web_url, tel_href
from .referral_facts import Facts, Referral, facts, long_date, text_block


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(label: str, href: str | None, css_class: str = "") -> str:
    """An <a> only for http(s) addresses and tel:/sms: numbers; anything else is plain text."""
    if not href or not (re.fullmatch(r"(tel|sms):\+?\d+", href) or safe_web_url(href)):
        return _esc(label)
    klass = f' class="{_esc(css_class)}"' if css_class else ""
    return f'<a href="{_esc(href)}"{klass}>{_esc(label)}</a>'


def _short_url(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def _row(label: str, value_html: str) -> str:
    """A labelled line. `value_html` must already be escaped."""
    return f'<div class="fact"><span class="label">{_esc(label)}</span> {value_html}</div>'


SHEET_CSS = """
.helpmap-referral { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 17px;
  line-height: 1.4; color: #111; background: #fff; max-width: 46rem; margin: 0 auto; padding: 1rem; }
.helpmap-referral h1 { font-size: 1.55em; margin: 0 0 .15em; line-height: 1.2; }
.helpmap-referral h2 { font-size: 1.25em; margin: 1em 0 .4em; }
.helpmap-referral h3 { font-size: 1.15em; margin: 0 0 .15em; line-height: 1.25; }
.helpmap-referral .made { margin: 0 0 .5em; }
.helpmap-referral .call-first { border: 3px solid #111; padding: .4em .7em; font-weight: 700; margin: .5em 0; }
.helpmap-referral .demo { border: 3px dashed #b00020; padding: .4em .7em; font-weight: 700; margin: .5em 0; }
.helpmap-referral .client-note, .helpmap-referral .note { background: #f1f1f1; border-left: 5px solid #555;
  padding: .35em .7em; white-space: pre-wrap; margin: .4em 0 0; }
.helpmap-referral ol.services { list-style: none; padding: 0; margin: 0; }
.helpmap-referral li.service { border: 1px solid #888; border-radius: 6px; padding: .55em .8em; margin: 0 0 .7em;
  break-inside: avoid; page-break-inside: avoid; }
.helpmap-referral .number { display: inline-block; min-width: 1.5em; }
.helpmap-referral .kind { margin: 0 0 .25em; color: #333; }
.helpmap-referral .label { font-weight: 700; }
.helpmap-referral .fact { margin: .05em 0; }
.helpmap-referral .more { font-size: .9em; margin-top: .2em; }
.helpmap-referral .fact, .helpmap-referral .note { overflow-wrap: anywhere; }
.helpmap-referral a { color: #0b4f9c; }
.helpmap-referral ul.helplines { padding-left: 1.2em; margin: 0; }
.helpmap-referral ul.helplines li { margin: .3em 0; break-inside: avoid; page-break-inside: avoid; }
.helpmap-referral .line-details { font-size: .9em; color: #333; }
.helpmap-referral footer { margin-top: 1.2em; border-top: 1px solid #888; padding-top: .4em; font-size: .9em; }
@media print {
  html, body { background: #fff; margin: 0; }
  .helpmap-referral { font-size: 12pt; max-width: none; padding: 0; }
  .helpmap-referral a { color: #111; text-decoration: none; }
  .helpmap-referral a.print-url::after { content: " (" attr(href) ")"; font-size: .8em; }
  .helpmap-referral h2 { break-after: avoid; page-break-after: avoid; }
}
"""
# Only in the downloaded file: in a page preview these would change how the whole app prints.
PAGE_CSS = """
@page { margin: 13mm 14mm 16mm;  /* no size: the printer's A4 or US Letter both fit */
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; color: #444; } }
"""


def _page_css(lang: str) -> str:
    """PAGE_CSS with its "Page 1 of 2" footer in `lang` (a CSS string: quotes and backslashes
    are taken out of the translation so it cannot end the string)."""
    if (normalise(lang) or "en") == "en":
        return PAGE_CSS
    words = translator(lang).gettext(N_("Page {page} of {pages}"))
    safe = lambda text: re.sub(r'["\\<>{}\n\r]', "", text)  # noqa: E731
    before, _, rest = words.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    content = f'"{safe(before)}" counter(page) "{safe(middle)}" counter(pages) "{safe(after)}"'
    return PAGE_CSS.replace('"Page " counter(page) " of " counter(pages)', content)


def sheet_html(referral: Referral, *, standalone: bool = True) -> str:
    """The printable sheet. `standalone` gives a whole document for download; otherwise a
    fragment whose styles are scoped to `.helpmap-referral`, for a preview inside a page."""
    made = referral.made
    lang = normalise(referral.lang) or "en"
    _ = translator(lang).gettext
    made_on = long_date(made.date(), lang)
    for_you = _esc(_(N_("{title}: services for you"))).format(title=_esc(referral.title))
    parts = [f"<h1>{for_you}</h1>"]
    # (Marked strings stay outside f-strings: pybabel on Python 3.11 cannot see into them.)
    made_line = _esc(_(N_("Made on {date}."))).format(date=_esc(made_on))
    call_first = _esc(_(N_("Please call before you go: times and details can change.")))
    parts.append(f'<p class="made">{made_line}</p><p class="call-first">{call_first}</p>')
    if len(referral.rows) and (referral.rows["source"] == "demo").any():
        demo = _esc(_(N_("Demonstration data: these services are not real.")))
        parts.append(f'<p class="demo">{demo}</p>')
    client_note = text_block(referral.client_note)
    if client_note:
        heading = _esc(_(N_("A note for you")))
        parts.append(f'<h2>{heading}</h2><div class="client-note">{_esc(client_note)}</div>')
    services = _esc(_(N_("Services")))
    parts.append(f"<h2>{services}</h2>")
    items = [
        _service_html(position, facts(row, referral), lang)
        for position, (_row_index, row) in enumerate(referral.rows.iterrows(), 1)
    ]
    parts.append(
        '<ol class="services">' + "".join(items) + "</ol>" if items
        else "<p>" + _esc(_(N_("No services were chosen."))) + "</p>"
    )  # fmt: skip
    parts.append(_helplines_html(referral.helplines, lang))
    footer = _(N_("Made on {date} with {title}. Listings can change: call before you go. This sheet was made in "
                  "the moment and is not kept anywhere."))  # fmt: skip
    parts.append(f"<footer>{_esc(footer).format(date=_esc(made_on), title=_esc(referral.title))}</footer>")
    body = '<article class="helpmap-referral">' + "".join(parts) + "</article>"
    if not standalone:
        return f"<style>{SHEET_CSS}</style>{body}"
    return (
        f'<!DOCTYPE html>\n<html lang="{_esc(lang)}"><head><meta charset="utf-8">'
        # No scripts, no outside files: even a mistake in escaping could not run or fetch anything.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{for_you}</title><style>{SHEET_CSS}{_page_css(lang)}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _service_html(position: int, item: Facts, lang: str = "en") -> str:
    _ = translator(lang).gettext
    lines = [f'<h3><span class="number">{position}.</span> {_esc(item.name)}</h3>']
    kind = " · ".join(_esc(p) for p in (item.kind, item.organization) if p)
    lines.append(f'<div class="kind">{kind}</div>')
    if item.where:
        suffix = " " + _(N_("(area only: call them for the exact place)")) if item.area_only else ""
        lines.append(_row(_(N_("Where:")), _esc(item.where + suffix)))
    if item.phone:
        lines.append(_row(_(N_("Phone:")), _link(item.phone, item.phone_href)))
    for label, text in item.when:
        lines.append(_row(label, _esc(text)))
    online = [_link(_short_url(item.online_url), item.online_url)] if item.online_url else []
    if item.online_phone:
        online.append(_esc(_(N_("by phone {number}"))).format(number=_link(item.online_phone, tel_href(item.online_phone))))
    if online:
        either = online[0] if len(online) == 1 else _esc(_(N_("{first} or {second}"))).format(first=online[0], second=online[1])
        lines.append(_row(_(N_("Online:")), either))
    if item.website:
        lines.append(_row(_(N_("Website:")), _link(_short_url(item.website), item.website)))
    if item.directions:
        label = _(N_("map to the area")) if item.area_only else _(N_("map"))
        lines.append(_row(_(N_("Directions:")), _link(label, item.directions, "print-url")))
    checked = long_date(date.fromisoformat(item.last_verified), lang) if item.last_verified else ""
    more = [_row(label, _esc(value)) for label, value in (
        (_(N_("Cost:")), item.cost), (_(N_("Services:")), item.services), (_(N_("Languages:")), item.languages),
        (_(N_("Access:")), item.access), (_(N_("Listing last checked:")), checked),
    ) if value]  # fmt: skip
    if more:
        lines.append('<div class="more">' + "".join(more) + "</div>")
    if item.note:
        note_label = _esc(_(N_("Note:")))
        lines.append(f'<div class="note"><span class="label">{note_label}</span> {_esc(item.note)}</div>')
    return '<li class="service">' + "".join(lines) + "</li>"


def _helplines_html(helplines: Mapping[str, Sequence[HelpLine]], lang: str = "en") -> str:
    _ = translator(lang).gettext
    or_else = _esc(_(N_(", or ")))  # between the ways to reach one line: "call 111, or text ..."
    parts = []
    for country, lines in helplines.items():
        items = []
        for line in lines:
            line = line.in_language(lang)  # its name, hours and description where the file has them
            contact = []
            if line.phone:
                contact.append(_esc(_(N_("call {number}"))).format(number=_link(line.phone, line.tel)))
            if line.text:
                contact.append(_esc(_(N_("text {number}"))).format(number=_link(line.text, line.sms)))
            if safe_web_url(line.chat_url):
                chat = _link(_short_url(line.chat_url), line.chat_url)
                contact.append(_esc(_(N_("chat at {address}"))).format(address=chat))
            # A line for part of the country says so (NHS 111 is not Northern Ireland's number).
            coverage = _(N_("{area} only")).format(area=line.area) if line.area else ""
            purpose = _(PURPOSES[line.purpose]) if line.purpose in PURPOSES else ""
            details = " · ".join(_esc(p) for p in (coverage, purpose, line.hours) if p)
            items.append(
                f'<li><span class="label">{_esc(line.service)}</span>: {or_else.join(contact)}'
                + (f'<div class="line-details">{details}</div>' if details else "")
                + "</li>"
            )
        if len(helplines) == 1:
            heading = _esc(_(N_("Help lines")))
        else:
            heading = _esc(_(N_("Help lines ({country})"))).format(country=_esc(country))
        parts.append(f"<h2>{heading}</h2>" + '<ul class="helplines">' + "".join(items) + "</ul>")
    return "".join(parts)
