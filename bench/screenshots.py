"""Screenshots of every page in headless Chromium, at office-laptop width (1366 px) and phone width (390 px).

    python bench/screenshots.py [--database URL] [--out docs/screenshots] [--lang id|en]

Full-page PNGs named <page>-desktop.png and <page>-phone.png; the README shows the overview and the map.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import ROOT, bench_settings, page_urls, timed_app  # noqa: E402

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
MAX_HEIGHT = 6000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="warehouse URL (default: DATABASE_URL / the embedded default)")
    parser.add_argument("--boundaries", help="boundaries GeoJSON (default: BOUNDARIES_PATH, else ../shared/data)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--lang", choices=["id", "en"], default="id")
    args = parser.parse_args()

    from tests.support.browser import make_driver, open_page

    settings = bench_settings(args.database, args.boundaries)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with timed_app(settings) as (base, _timings):
        urls = [(label, path) for label, path in page_urls(settings) if "?" not in label]
        for size, (width, height) in SIZES.items():
            driver = make_driver(width, height)
            try:
                if args.lang == "en":
                    driver.get(base + "/lang/en")
                for label, path in urls:
                    open_page(driver, base + path)
                    driver.execute_script("window.scrollTo(0, 0)")
                    full = min(int(driver.execute_script("return document.documentElement.scrollHeight")), MAX_HEIGHT)
                    driver.set_window_size(width, max(height, full))
                    open_page(driver, base + path)  # re-rendered at the full height (charts resize)
                    target = out / f"{label}-{size}.png"
                    driver.save_screenshot(str(target))
                    driver.set_window_size(width, height)
                    print(target)
            finally:
                driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
