"""The site's pictures in docs/images/, taken by the machine's own Chromium.

Builds the site of the bundled portfolio as of the core team meeting of
2024-02-27 into a temporary folder, and has tests/site_browser.js (the same
browser and script the tests use) save the start page and one initiative's page
at 1280 px and 375 px wide as docs/images/site-start-1280.png,
site-start-375.png, site-initiative-1280.png and site-initiative-375.png.

    .venv/bin/python scripts/site_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / ".venv" / "npm" / "node_modules"
IMAGES = ROOT / "docs" / "images"
PAGES = {"start": "index.html", "initiative": "initiatives/salus-mea.html"}


def main() -> int:
    node = shutil.which("node")
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not node or not chromium or not (MODULES / "playwright-core").is_dir():
        print("needs node, chromium and `make test`'s node packages", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        site, shots = Path(work) / "site", Path(work) / "shots"
        shots.mkdir()
        kontrakt = Path(sys.executable).parent / "kontrakt"
        subprocess.run(
            [
                str(kontrakt),
                "site",
                "-p",
                str(ROOT / "portfolio"),
                "--as-of",
                "2024-02-27",
                "-o",
                str(site),
            ],
            check=True,
        )
        subprocess.run(
            [
                node,
                str(ROOT / "tests" / "site_browser.js"),
                str(MODULES),
                str(site),
                *list(PAGES.values()),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "CHROMIUM": chromium, "SCREENSHOTS": str(shots)},
        )
        for name, page in PAGES.items():
            stem = page.replace("/", "_").removesuffix(".html")
            for width in (1280, 375):
                shutil.copyfile(shots / f"{stem}-{width}.png", IMAGES / f"site-{name}-{width}.png")
                print(f"docs/images/site-{name}-{width}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
