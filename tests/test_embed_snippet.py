"""The iframe snippet and its address, built from an organisation's choices."""

from __future__ import annotations

import html.parser
import urllib.parse

import pytest

from helpmap.embed import EmbedChoices, app_root, embed_url, iframe_snippet


class Attributes(html.parser.HTMLParser):
    """Reads the snippet back the way a browser would."""

    def handle_starttag(self, tag, attrs):
        self.tag, self.attrs = tag, dict(attrs)


def parse(snippet: str) -> tuple[str, dict]:
    reader = Attributes()
    reader.feed(snippet)
    return reader.tag, reader.attrs


@pytest.mark.parametrize(
    ("page", "path", "root"),
    [
        ("http://127.0.0.1:8501/embed", "embed", "http://127.0.0.1:8501/"),
        ("https://help.example.org/helpmap/embed", "embed", "https://help.example.org/helpmap/"),
        ("https://help.example.org/helpmap/embed/", "embed", "https://help.example.org/helpmap/"),
        ("https://help.example.org", "embed", "https://help.example.org/"),
        ("https://help.example.org/embedded-tools", "embed", "https://help.example.org/embedded-tools/"),
    ],
)
def test_the_app_root_comes_from_the_page_address(page, path, root):
    assert app_root(page, path) == root


@pytest.mark.parametrize("page", ["", "javascript:alert(1)", "file:///etc/passwd", "/embed"])
def test_only_web_addresses_make_a_root(page):
    with pytest.raises(ValueError):
        app_root(page, "embed")


def test_the_address_carries_embed_and_the_search():
    url = embed_url("https://help.example.org/", EmbedChoices(place="Leeds  LS1", radius=10.0, kind="support_group",
                                                                filters={"services": ["detox", "youth"]}))  # fmt: skip
    parts = urllib.parse.urlsplit(url)
    assert url.startswith("https://help.example.org/?")
    assert urllib.parse.parse_qs(parts.query) == {
        "embed": ["true"], "place": ["Leeds LS1"], "radius": ["10"], "kind": ["support_group"],
        "services": ["detox", "youth"],
    }  # fmt: skip


def test_empty_choices_leave_the_site_defaults():
    assert embed_url("https://h.example/", EmbedChoices()) == "https://h.example/?embed=true"
    assert "kind" not in embed_url("https://h.example/", EmbedChoices(kind="<script>"))


def test_the_snippet_allows_geolocation_and_has_a_title():
    choices = EmbedChoices(place="Leeds", height=700, width="600")
    tag, attrs = parse(iframe_snippet(embed_url("https://h.example/", choices), choices))
    assert tag == "iframe"
    assert attrs["allow"] == "geolocation"
    assert attrs["title"] == "HelpMap: find help near you"
    assert (attrs["width"], attrs["height"]) == ("600", "700")
    assert attrs["src"] == "https://h.example/?embed=true&place=Leeds"


def test_text_in_the_snippet_cannot_break_out_of_its_attribute():
    hostile = '"><script>alert(1)</script>'
    choices = EmbedChoices(place=hostile, title=hostile, width='100%" onload="x')
    snippet = iframe_snippet(embed_url("https://h.example/", choices), choices)
    assert "<script>" not in snippet
    tag, attrs = parse(snippet)
    assert attrs["title"] == hostile  # shown as text, intact
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(attrs["src"]).query)["place"] == [hostile]
    assert attrs["width"] == "100%" and "onload" not in attrs


@pytest.mark.parametrize(("width", "expected"), [("100%", "100%"), ("640px", "640"), ("5", "100%"), ("50%", "50%")])
def test_widths_are_kept_to_sensible_values(width, expected):
    choices = EmbedChoices(width=width)
    assert parse(iframe_snippet("https://h.example/", choices))[1]["width"] == expected


def test_the_language_goes_into_the_address_and_the_other_parameters_stay():
    url = embed_url("https://h.example/", EmbedChoices(place="Leeds", radius=10.0, kind="treatment", lang="es"))
    assert url == "https://h.example/?embed=true&place=Leeds&radius=10&kind=treatment&lang=es"
    assert "lang" not in embed_url("https://h.example/", EmbedChoices(lang=""))  # follow the visitor
    assert "lang" not in embed_url("https://h.example/", EmbedChoices(lang="<xx>"))  # only languages we have
    assert embed_url("https://h.example/", EmbedChoices(lang="ES-mx")).endswith("&lang=es")
