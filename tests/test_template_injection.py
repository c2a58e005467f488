"""No text from a directory row or the site config is ever evaluated as a Jinja2 template.

folium/branca compile each element's rendered script again as a template (helpmap/inert.py);
these payloads go through every field into the real map build, both as HelpMap renders it and
as streamlit-folium turns it into the component's script."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from helpmap import schema
from helpmap.config import TileSettings
from helpmap.inert import attribution_html, inert_json
from helpmap.mapview import build_map, map_html

# Each payload, if evaluated, would leave the marker text "X<evaluated>Y" different from itself.
JINJA_PAYLOADS = [
    "X{{ 7*7 }}Y",
    "X{{ lipsum.__globals__.os.getcwd() }}Y",
    "X{{ cycler.__init__.__globals__.os.popen('id').read() }}Y",
    "X{% for i in range(3) %}{{ i }}{% endfor %}Y",
    "X{% raw %}Y",
    "X{% endraw %}Y",
    "X{# comment #}Y",
    "X{#Y",
    "X{%- if true -%}yes{%- endif -%}Y",
    "X{{Y",
    "X}}{{ config }}%}Y",
    "X{{ \"\\u007b\" }}Y",
]
FIELDS = ["name", "address", "city", "region", "postcode", "phone", "hours", "description", "organization"]


def rows_with(payload: str) -> pd.DataFrame:
    records = []
    for number, field in enumerate(FIELDS):
        record = dict.fromkeys(schema.COLUMNS, "")
        record.update(id=f"j{number}", kind="treatment", name=f"Service {number}",
                      latitude=38.0 + number * 0.01, longitude=-78.5)  # fmt: skip
        record[field] = payload
        records.append(record)
    return pd.DataFrame(records).assign(distance_km=1.5, status=payload)


def marker_data(script: str) -> list:
    return json.loads(re.search(r"var data = (\[.*?\]);\n", script, re.S).group(1))


@pytest.mark.parametrize("payload", JINJA_PAYLOADS)
def test_jinja_in_any_field_is_never_evaluated(payload):
    html = map_html(build_map(rows_with(payload), (38.0, -78.5), 25))
    data = marker_data(html)
    # Every row is drawn, and every text decodes back to exactly what the file said.
    assert len(data) == len(FIELDS)
    texts = [value for row in data for value in row if isinstance(value, str)]
    assert payload in texts
    for row in data:
        assert row[6] == payload  # the status column carries it on every row
    # The page's script holds no template syntax at all, so no later pass can act on it.
    script = html[html.index("var data") :]
    assert not re.search(r"\{\{|\{%|\{#", script.split(";\n", 1)[0])
    assert "X49Y" not in html and "/work" not in html.replace("/app/static", "")


@pytest.mark.parametrize("payload", JINJA_PAYLOADS[:4] + ["X{% raw %}Y"])
def test_streamlit_folium_script_keeps_the_payload_as_text(payload):
    """The same map as st_folium prepares it for the browser (its own functions, no server)."""
    from streamlit_folium import _get_header, _get_html, generate_leaflet_string

    fmap = build_map(rows_with(payload), (38.0, -78.5), 25)
    fmap.get_root().render()
    fmap.render()
    _get_html(fmap), _get_header(fmap)
    leaflet = generate_leaflet_string(fmap)
    data = marker_data(leaflet)
    assert len(data) == len(FIELDS) and data[0][6] == payload
    assert "X49Y" not in leaflet


def test_hostile_attribution_and_tile_address_from_the_config():
    tiles = TileSettings(
        url="https://tiles.example.org/{z}/{x}/{y}.png?key=A{{ 7*7 }}B",
        attribution='Tiles A{{ 7*7 }}B {% raw %} <a href="https://ok.example/">OK</a> '
        '<a href="javascript:alert(1)">bad</a><img src=x onerror=alert(2)><script>alert(3)</script>',
    )
    html = map_html(build_map(rows_with("plain"), (38.0, -78.5), 25, tiles))
    assert "A49B" not in html
    assert "<img" not in html and "<script>alert" not in html and "javascript:" not in html
    match = re.search(r"L\.tileLayer\(\s*(\".*?\"),\s*\{maxZoom: 19, attribution: (\".*?\")\}", html, re.S)
    url, attribution = json.loads(match.group(1)), json.loads(match.group(2))
    assert url == tiles.url  # the browser gets the exact address, {z}/{x}/{y} included
    assert '<a href="https://ok.example/" rel="noopener" target="_blank">OK</a>' in attribution
    assert "A&#123;&#123; 7*7 &#125;&#125;B" in attribution and "bad" in attribution
    assert "<img" not in attribution and "javascript" not in attribution and "alert(3)" in attribution


def test_default_attribution_keeps_its_link():
    html = attribution_html(TileSettings().attribution)
    assert html == ('© <a href="https://www.openstreetmap.org/copyright" rel="noopener" '
                    'target="_blank">OpenStreetMap</a> contributors')  # fmt: skip


def test_inert_json_round_trips_and_has_no_template_characters():
    value = ["{{ x }}", "{% y %}", "{# z #}", "<\u2028'&>", 1.5, None, True]
    text = inert_json(value)
    assert not set(text) & set("{}%<>&'")
    assert json.loads(text) == value
    with pytest.raises(TypeError):
        inert_json([{"a": 1}])
