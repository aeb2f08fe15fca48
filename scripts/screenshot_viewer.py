"""Remake docs/img/viewer.png, the README's picture of the viewer: build the graph of seeds/,
open its graph.html in Debian's headless Chromium (as tests/test_viewer.py does), wait until
the layout has settled, and save the page as a palette PNG small enough for the README.

    .venv/bin/python scripts/screenshot_viewer.py [--out docs/img/viewer.png]

Needs chromium and chromium-driver (apt), selenium and Pillow (pip install -e '.[test]').
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from kg.cli import main as kg
from kg.export.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# A wider window is scaled down to this: GitHub shows the README's pictures no wider anyway.
SHOWN_WIDTH = 1280
MAX_BYTES = 300_000


def screenshot(page: Path, width: int, height: int, zoom: float, timeout: float = 120) -> Image.Image:
    """The page as Chromium draws it once kgViewer says its layout has settled, zoomed `zoom`
    times closer than the fit of the whole graph, about its centre."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--hide-scrollbars", f"--window-size={width},{height}"):
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="kg-chrome-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            driver.get(page.resolve().as_uri())
            WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return !!(window.kgViewer && kgViewer.settled)"))
            # Fitted whole, a few hundred nodes leave their names too small to read; closer in,
            # the names of the central entities show. Two animation frames: the redraw is done.
            driver.execute_async_script(
                "const [zoom, done] = arguments, network = kgViewer.network;"
                "network.moveTo({scale: network.getScale() * zoom});"
                "requestAnimationFrame(() => requestAnimationFrame(done));",
                zoom,
            )
            return Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
        finally:
            driver.quit()


def small_png(image: Image.Image) -> bytes:
    """`image` at SHOWN_WIDTH wide, in 256 colours: the viewer's flat colours survive that."""
    if image.width > SHOWN_WIDTH:
        image = image.resize((SHOWN_WIDTH, round(image.height * SHOWN_WIDTH / image.width)), Image.LANCZOS)
    buffer = io.BytesIO()
    image.quantize(256, dither=Image.Dither.NONE).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "viewer.png")
    parser.add_argument("--width", type=int, default=1280, help="browser window width")
    parser.add_argument("--height", type=int, default=860, help="browser window height")
    parser.add_argument("--zoom", type=float, default=1.6, help="how much closer than the whole graph")
    args = parser.parse_args(argv)
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    if missing:
        print(f"screenshot_viewer: {' and '.join(missing)} missing: apt-get install chromium chromium-driver", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kg-seeds-") as out:
        if kg(["build", str(ROOT / "seeds"), "--out", out]) != 0:
            return 1
        png = small_png(screenshot(Path(out) / "graph.html", args.width, args.height, args.zoom))
    if len(png) > MAX_BYTES:
        print(f"screenshot_viewer: {len(png):,} bytes, more than {MAX_BYTES:,}: try a smaller --width", file=sys.stderr)
        return 1
    with atomic_write(args.out, "wb") as handle:
        handle.write(png)
    print(f"{args.out}: {len(png):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
