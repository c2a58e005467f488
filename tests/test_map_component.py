"""The map frame asks only for HelpMap's own files, and `make install` has put them in place.

tests/e2e/test_basemap.py draws the map in Chromium; this checks the file itself, so a typo in a
vendored path or a script from another host fails here with its name.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMPONENT = REPO / "ui" / "components" / "map" / "index.html"
VENDOR_URL = "../../app/static/vendor/"  # the frame is at /component/<name>/index.html
SCRIPT = REPO / "tools" / "vendor_map_assets.sh"


def vendored_paths() -> set[str]:
    text = COMPONENT.read_text(encoding="utf-8")
    tags = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert tags and all(t.startswith(VENDOR_URL) for t in tags), tags  # no CDN, no other host
    assert re.search(r'var VENDOR = "([^"]+)";', text).group(1) == VENDOR_URL
    loaded = re.findall(r'VENDOR \+ "([^"]+)"', text)
    assert len(loaded) == 3, loaded  # the base map: decoder, world outlines, US outlines
    return {t[len(VENDOR_URL):] for t in tags} | set(loaded)


def test_every_file_the_map_asks_for_is_installed_by_the_vendor_script():
    paths = vendored_paths()
    installed = REPO / "static" / "vendor"
    missing = [p for p in sorted(paths) if not (installed / p).is_file()]
    assert missing == [], f"static/vendor lacks {missing}: run `make install` (tools/vendor_map_assets.sh)"


def test_the_installed_map_files_are_the_ones_the_script_names():
    """A stale static/vendor (an older script's packages) is what the Makefile's stamp refreshes."""
    packages = re.search(r'^packages="([^"]+)"', SCRIPT.read_text(encoding="utf-8"), re.M).group(1)
    assert {"topojson-client@3.1.0", "world-atlas@2.0.2", "us-atlas@3.0.1"} <= set(packages.split())
    stamp = REPO / "static" / "vendor" / ".complete"
    assert stamp.read_text(encoding="utf-8").strip() == packages, "static/vendor is stale: run `make install`"


def test_the_map_draws_data_text_only_as_text():
    text = COMPONENT.read_text(encoding="utf-8")
    assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "document.write" not in text
