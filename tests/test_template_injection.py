"""No text from a directory row or the site config is ever evaluated as a template.

The first release drew the map with folium, whose branca elements compile each element's
rendered output again as a Jinja2 template: a row named `{{ ... }}` ran on the server. HelpMap
now draws cards as escaped HTML built in the core (helpmap.presentation) and the map with its
own component (ui/components/map), which receives marker data as JSON arguments and sets every
text with textContent. These tests hold both halves: no module of HelpMap imports a template
engine, and Jinja payloads in every field come out as the exact text, never evaluated.
The same payloads go through the real app in Chromium in tests/e2e/test_template_injection.py."""

from __future__ import annotations

import ast
import html
import json
from pathlib import Path

import pandas as pd
import pytest

from helpmap import config, presentation, schema

REPO = Path(__file__).resolve().parents[1]
TEMPLATE_ENGINES = {"jinja2", "folium", "branca", "streamlit_folium", "mako", "string.Template"}

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
    "X${7*7}Y",
]
FIELDS = ["name", "address", "city", "region", "postcode", "phone", "hours", "description", "organization"]


def python_files() -> list[Path]:
    folders = [REPO / "helpmap", REPO / "ui", REPO / "app_pages"]
    return [REPO / "app.py", *(p for folder in folders for p in folder.rglob("*.py"))]


def test_no_module_of_helpmap_imports_a_template_engine():
    found = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found += [f"{path.relative_to(REPO)}: {name}" for name in names
                      if name.split(".")[0] in TEMPLATE_ENGINES or name in TEMPLATE_ENGINES]  # fmt: skip
    assert found == []


def views_with(payload: str) -> list[presentation.ServiceView]:
    rows = []
    for number, field in enumerate(FIELDS):
        row = dict.fromkeys(schema.COLUMNS, "")
        row.update(id=f"j{number}", kind="treatment", name=f"Service {number}", latitude=38.0 + number * 0.01,
                   longitude=-78.5, distance_km=1.5, status=payload)  # fmt: skip
        row[field] = payload
        rows.append(row)
    return [presentation.ServiceView.from_row(row) for row in pd.DataFrame(rows).to_dict("records")]


@pytest.mark.parametrize("payload", JINJA_PAYLOADS)
def test_jinja_in_any_field_reaches_the_map_as_exact_text(payload):
    markers = [presentation.marker(v, n, presentation.Display()) for n, v in enumerate(views_with(payload), 1)]
    # What the component receives: JSON, decoded in the browser, shown with textContent.
    decoded = json.loads(json.dumps(markers))
    assert len(decoded) == len(FIELDS)
    assert decoded[0][4] == payload.strip()  # the name field of row 0
    assert not any("X49Y" in str(value) for marker in decoded for value in marker)


@pytest.mark.parametrize("payload", JINJA_PAYLOADS)
def test_jinja_in_any_field_is_escaped_text_in_the_cards(payload):
    block = presentation.cards_html(views_with(payload), presentation.Display())
    assert html.escape(payload, quote=False) in block or html.escape(payload) in block
    assert "X49Y" not in block


def test_tile_attribution_from_the_config_allows_only_text_and_plain_links(tmp_path):
    def problems(attribution: str) -> list[str]:
        path = tmp_path / "site.toml"
        path.write_text(f'[tiles]\nurl = "https://t.example.org/{{z}}/{{x}}/{{y}}.png"\nattribution = {json.dumps(attribution)}\n')
        return config.check_file(path)

    assert problems('© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors') == []
    for bad in ["<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>', "<script>alert(1)</script>"]:
        (found,) = problems(bad)
        assert found.startswith("[tiles] attribution:")
