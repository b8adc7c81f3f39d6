"""`make preview`: every document kontrakt makes of the bundled portfolio, to look at.

Renders the agenda of 2024-02-27 and the report as of that day in every document
format the table of formats (render/formats.py) offers for them (all but the
Markdown record), and the budget as a workbook when `xlsx` is one of its formats,
into build/preview/; then turns each into PNG pictures beside it:

- HTML through the machine's Chromium, headless: the page as a screen shows it
  (1200 px wide, and 375 px as a phone), and as it prints on A4 (PDF, then
  pdftoppm, one PNG per page);
- Word, PowerPoint and Excel through LibreOffice (`soffice --headless
  --convert-to pdf`), then pdftoppm, one PNG per page or slide.

Nothing is sent anywhere; the browser runs without network services. A tool
that is missing is said, and the run ends with exit status 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "preview"
PORTFOLIO = ROOT / "portfolio"
DAY = "2024-02-27"
TEXT_FORMATS = {"markdown"}  # the record itself, not a document to look at
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def documents() -> list[tuple[str, list[str]]]:
    """(file name, kontrakt's arguments) for every document to make."""
    from kontrakt.render import formats

    made = []
    for command, args in (
        ("agenda", ["agenda", DAY]),
        ("report", ["report", "--as-of", DAY]),
    ):
        for name in formats.names(command):
            if name not in TEXT_FORMATS:
                made.append((f"{command}-{DAY}.{name}", [*args, "--format", name]))
    if "xlsx" in formats.names("budget"):
        made.append((f"budget-{DAY}.xlsx", ["budget", "--as-of", DAY, "--format", "xlsx"]))
    return made


def render(name: str, args: list[str]) -> Path:
    target = OUT / name
    subprocess.run(
        [sys.executable, "-m", "kontrakt", *args, "--portfolio", str(PORTFOLIO), "-o", str(target)],
        check=True,
        cwd=ROOT,
    )
    return target


def pdf_pages(pdf: Path, stem: Path) -> list[Path]:
    """Each page of a PDF as `STEM-N.png`, at 60 dots per inch."""
    for old in stem.parent.glob(f"{stem.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(stem)], check=True)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"))


def chromium(*args: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise FileNotFoundError("chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            check=True,
            capture_output=True,
            timeout=120,
        )


def trimmed(png: Path) -> None:
    """The screenshot without the blank space below the page's end."""
    from PIL import Image, ImageChops

    with Image.open(png) as image:
        background = Image.new(image.mode, image.size, image.getpixel((0, image.height - 1)))
        box = ImageChops.difference(image, background).getbbox()
        if box is not None:
            image.crop((0, 0, image.width, min(box[3] + 24, image.height))).save(png)


def html_pictures(page: Path) -> list[Path]:
    url = page.resolve().as_uri()
    made = []
    for width, height in ((1200, 9000), (375, 16000)):
        png = page.with_name(f"{page.stem}-{width}px.png")
        chromium(f"--window-size={width},{height}", f"--screenshot={png}", url)
        trimmed(png)
        made.append(png)
    pdf = page.with_suffix(".pdf")
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    made.extend(pdf_pages(pdf, page.with_name(f"{page.stem}-print")))
    return made


def office_pictures(document: Path) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(document.parent),
                str(document),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    pdf = document.with_suffix(".pdf")
    return pdf_pages(pdf, document.with_name(document.name.replace(".", "-")))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, args in documents():
        document = render(name, args)
        try:
            pictures = (
                html_pictures(document) if document.suffix == ".html" else office_pictures(document)
            )
        except FileNotFoundError as missing:
            failed.append(f"{name}: {missing} is not installed")
            continue
        except subprocess.SubprocessError as exc:
            failed.append(f"{name}: {exc}")
            continue
        print(document.relative_to(ROOT))
        for picture in pictures:
            print(f"  {picture.relative_to(ROOT)}")
    for line in failed:
        print(f"preview: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
