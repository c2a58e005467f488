"""Which addresses count as a source we may cite: originals, not copies.

The explanatory pages and the help-line list cite a journal article by its DOI (a doi.org link)
and an official body by its own address. Copies, aggregators and news sites are not sources:
they drift from the original, and a reader cannot tell who stands behind them. The list below
holds the ones a clinical review found in earlier versions; any new one belongs here too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Copies, aggregators, proxies, archives and news sites (matched on the host and its parents).
AGGREGATOR_DOMAINS = frozenset(
    """erowid.org docslib.org zendy.io ouci.dntb.gov.ua safetylit.org semanticscholar.org
    ebusca.uv.mx drugs.com epocrates.com nami.org ladbible.com news.lt web.archive.org
    app.altruwe.org studylib.net studyres.com dokumen.tips pdfslide.net pdfslide.us vdocuments.net
    findacode.com healthtopical.com booksci.cn wixsite.com newstalk.com irishexaminer.com
    irishtimes.com bbc.co.uk bbc.com scmp.com cbc.ca globalnews.ca silive.com
    maestrodatabase.com scrippsnews.com burnleyexpress.net skrufff.com pulsetoday.co.uk
    drinkanddrugsnews.com starobserver.com.au theleader.com.au cdnfirefighter.com""".split()
)

# Official bodies: governments, national health services and regulators, the WHO and the EU.
# Government name spaces by suffix; other official bodies by their own domain (and subdomains).
OFFICIAL_SUFFIXES = (".gov", ".gov.uk", ".nhs.uk", ".gov.au", ".gc.ca", ".europa.eu", ".gov.ie")
OFFICIAL_DOMAINS = frozenset(
    """who.int nice.org.uk hse.ie drugs.ie nationalambulanceservice.ie hscni.net nhs24.scot
    gov.scot""".split()
)


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _matches(name: str, domains: frozenset[str]) -> bool:
    parts = name.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


def is_aggregator(url: str) -> bool:
    return _matches(host(url), AGGREGATOR_DOMAINS)


def is_doi(url: str) -> bool:
    """A doi.org link to an article: https://doi.org/10.xxxx/..."""
    parts = urlsplit(url)
    return parts.scheme == "https" and parts.hostname == "doi.org" and parts.path.startswith("/10.")


def is_official(url: str) -> bool:
    name = host(url)
    return any(("." + name).endswith(suffix) for suffix in OFFICIAL_SUFFIXES) or _matches(name, OFFICIAL_DOMAINS)
