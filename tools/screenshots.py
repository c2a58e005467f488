"""Write PNG screenshots of every page at desktop and phone sizes, for review.

    python tools/screenshots.py [--out screenshots] [--data PATH]

Starts the real app on a free loopback port (HELPMAP_DATA from --data, else the shipped default
directory), visits each page in headless Chromium, runs a search on Find help, and saves
OUT/<page>-<desktop|phone>.png. Requests that would leave this machine are blocked (with the
default settings there are none: the map draws its built-in base map), so the screenshots show
what an offline visitor sees.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import CHROMIUM_FLAGS, AppServer, chromium_path, wait_for_app  # noqa: E402

PAGES = {
    "find-help": "",
    "find-help-results": "?place=Charlottesville%2C+VA",  # listed in the default and the demo data
    "referral": "referral",
    "about-ketamine": "about-ketamine",
    "dependence": "dependence",
    "physical-harms": "physical-harms",
    "getting-help": "getting-help",
    "staying-safer": "staying-safer",
    "embed": "embed",
}
# Streamlit scrolls inside its own container, so a full-page shot only shows the viewport:
# tall viewports capture whole pages at the real widths.
SIZES = {"desktop": {"width": 1280, "height": 2600}, "phone": {"width": 390, "height": 3400}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "screenshots"))
    parser.add_argument("--data", help="a directory CSV to show instead of the default (data/demo-directory.csv for the demo)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    server = AppServer({"HELPMAP_DATA": args.data} if args.data else None)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, is_mobile=size == "phone", has_touch=size == "phone")
                page = context.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                    ("http://127.0.0.1", "data:", "blob:", "about:")) else route.abort())  # fmt: skip
                for name, path in PAGES.items():
                    page.goto(f"{server.url}/{path}")
                    wait_for_app(page)
                    page.wait_for_timeout(1500)  # let the map frame draw its markers
                    target = out / f"{name}-{size}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
