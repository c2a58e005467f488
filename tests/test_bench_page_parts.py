"""bench/page_parts.py cuts parts out of a copy of the real page: its edits must still match it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bench import page_parts


@pytest.mark.parametrize("variant", page_parts.DEFAULT_VARIANTS.split(","))
def test_every_variant_builds_from_the_current_page(tmp_path: Path, variant: str) -> None:
    folder = page_parts.build_variant(variant, tmp_path)
    for name in ("app.py", "app_pages/find_help.py"):
        ast.parse((folder / name).read_text())  # still Python after the edits
    assert (folder / "static").resolve() == (page_parts.REPO / "static").resolve()
    changed = {
        name for name in ("app.py", "app_pages/find_help.py")
        if (folder / name).read_text() != (page_parts.REPO / name).read_text()
    }  # fmt: skip
    expected = {file for part in page_parts.parts_of(variant) for file, _, _ in page_parts.PARTS[part]}
    assert changed == expected


def test_removing_the_cards_keeps_the_online_list(tmp_path: Path) -> None:
    page = (page_parts.build_variant("-cards", tmp_path) / "app_pages" / "find_help.py").read_text()
    original = (page_parts.REPO / "app_pages" / "find_help.py").read_text()
    assert original.count("results.render_cards(") == page.count("results.render_cards(") + 1
    assert "results.render_cards(results.views(result), display, first_number=0" in page


def test_an_edit_that_no_longer_matches_stops_the_bench(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(page_parts.PARTS, "cards", [(page_parts.FRAGMENT, "render_cards_renamed(", "pass(")])
    with pytest.raises(page_parts.EditMissing, match="render_cards_renamed"):
        page_parts.build_variant("-cards", tmp_path)


@pytest.mark.parametrize("variant", ["cards", "-nothing", "full-cards"])
def test_unknown_variants_are_refused(variant: str) -> None:
    with pytest.raises(SystemExit):
        page_parts.parts_of(variant)
