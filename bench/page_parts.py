"""Where a search's "run finished" time goes: the real Find help page with parts cut out, in Chromium.

    python bench/page_parts.py [--rounds 4] [--variants full,-cards,...] [--data FILE] [--out FILE]

Each variant is the app's UI (app.py, app_pages/, ui/, .streamlit/; static/ and assets/ linked)
copied into a temporary folder with one part of the page removed by an exact text edit, served
as its own Streamlit process on the installed core package, and measured by bench/browser.py's
rounds beside the Streamlit floor (bench/apps/floor.py) and the floor with HelpMap's own search
form (bench/apps/floor_form.py). An edit that no longer matches the code stops the bench with the
text it expected: keep PARTS in step with the page. Nothing here changes the app itself.

Every variant is timed the same way: Enter to the result count, Enter to run finished, server CPU
and the page's main-thread work per search (see bench/browser.py); cards and markers are not
waited for, since some variants have none.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import browser  # noqa: E402

# One part of the page: (file, exact text, replacement) edits that remove it.
FRAGMENT = "app_pages/find_help.py"
PARTS: dict[str, list[tuple[str, str, str]]] = {
    "cards": [(FRAGMENT, "            results.render_cards(shown, display)\n", "            pass\n")],
    "pills": [(FRAGMENT, "            referral_choice(shown, stamp)\n", "            pass\n")],
    "map": [(FRAGMENT, "            results.render_map(shown, (place.lat, place.lon), radius_km, stamp, display,"
                       " settings)\n", "            pass\n")],
    "anywhere": [(FRAGMENT, "    render_anywhere(place, request.filters)\n", "    pass\n")],
    # The frame around every page: crisis bar, language switch and data footer.
    "frame": [("app.py", "language.language_switch()", "pass"),
              ("app.py", 'frame.crisis_bar(settings, st.session_state.get("searcher_country"))', "pass"),
              ("app.py", "frame.data_notice(", "(lambda *a: None)(")],
    # Every result: the count line stays (the bench waits for it), nothing else after the place.
    "results": [(FRAGMENT, "    render_results(place, request)\n",
                 "    st.html(count_html(place.label, 1, False))\n")],
}  # fmt: skip
DEFAULT_VARIANTS = "full,-cards,-pills,-map,-anywhere,-cards-pills-anywhere,-frame,-results-frame"
UI_FILES = ("app.py", "app_pages", "ui", ".streamlit")
LINKED = ("static", "assets")


class EditMissing(RuntimeError):
    pass


def parts_of(variant: str) -> list[str]:
    """'-results-frame' -> ['results', 'frame']; 'full' -> []."""
    if variant == "full":
        return []
    names = [name for name in variant.split("-") if name]
    unknown = [name for name in names if name not in PARTS]
    if unknown or not variant.startswith("-"):
        raise SystemExit(f"unknown variant {variant!r}: 'full' or '-part[-part...]' of {', '.join(PARTS)}")
    return names


def build_variant(variant: str, root: Path) -> Path:
    """A copy of the UI with the variant's parts removed; returns its folder."""
    folder = root / variant.strip("-").replace("-", "_")
    folder.mkdir(parents=True)
    for name in UI_FILES:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    for name in LINKED:
        (folder / name).symlink_to(REPO / name)
    for part in parts_of(variant):
        for file, old, new in PARTS[part]:
            path = folder / file
            text = path.read_text()
            if text.count(old) != 1:
                found = text.count(old)
                raise EditMissing(f"{variant}: expected {old.strip()!r} once in {file}, found it {found} times")
            path.write_text(text.replace(old, new))
    return folder


MEASURES = ("count_ms", "run_ms", "cpu_ms", "browser_ms")


def summary(results: dict[str, list[list[dict]]]) -> str:
    floor = {which: browser.median([v[which]["run_ms"] for v in results["floor"]]) for which in (0, 1)}
    ms = lambda value: "–" if value is None else f"{value:.0f}"  # noqa: E731  (a search that timed out)
    lines = ["| app | search | count ms | run finished ms | / floor | server CPU ms | main-thread ms |",
             "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for app, rounds in results.items():
        for which, label in ((0, "first"), (1, "second")):
            cell = {key: browser.median([r[which][key] for r in rounds]) for key in MEASURES}
            ratio = f"{cell['run_ms'] / floor[which]:.2f}x" if cell["run_ms"] and floor[which] else "–"
            lines.append(f"| {app} | {label} | {ms(cell['count_ms'])} | {ms(cell['run_ms'])} | {ratio} "
                         f"| {ms(cell['cpu_ms'])} | {ms(cell['browser_ms'])} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--variants", default=DEFAULT_VARIANTS)
    parser.add_argument("--data", type=Path, default=REPO / "data" / "us-samhsa-2021.csv")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    plain = dict(browser.APPS["helpmap"], card=None, map=False)
    floor = browser.APPS["floor"]
    apps = {"floor": floor, "floor+form": dict(floor, script="bench/apps/floor_form.py")}
    with tempfile.TemporaryDirectory(prefix="helpmap-parts-") as root:
        for variant in args.variants.split(","):
            apps[variant] = dict(plain, cwd=build_variant(variant, Path(root)))
        results = browser.measure(apps, args.rounds, args.data)
    print(f"medians of {args.rounds} rounds, {args.data.name}")
    print(summary(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
