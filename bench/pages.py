"""Benchmark the dashboard on the province: first page to interactive in headless Chromium, and each Dash
callback's median server time.

    python bench/pages.py [--database URL] [--rounds 3]

The warehouse defaults to the configured one (DATABASE_URL; `make run` builds the demo province there). Round 1
starts with a cold query cache (a fresh DATA_DIR); later rounds show the cached, everyday case. Targets from the
dashboard issue: median callback < 150 ms, first page to interactive < 2 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import bench_settings, page_urls, timed_app  # noqa: E402

CALLBACK_TARGET_MS = 150
PAGE_TARGET_MS = 2000

# Milliseconds from navigation start until Dash has rendered the page and no callback is pending.
_READY = """
const pending = document.querySelector('[data-dash-is-loading="true"]');
const content = document.querySelector('#_pages_content');
return (!pending && content && content.children.length > 0 && document.querySelector('#footer'))
    ? performance.now() : null;
"""


def load_ms(driver, url: str, timeout: float = 60) -> float:
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = driver.execute_script(_READY)
        if ready is not None:
            return float(ready)
        time.sleep(0.02)
    raise TimeoutError(f"{url} not interactive after {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="warehouse URL (default: DATABASE_URL / the embedded default)")
    parser.add_argument("--boundaries", help="boundaries GeoJSON (default: BOUNDARIES_PATH, else ../shared/data)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from tests.support.browser import make_driver

    settings = bench_settings(args.database, args.boundaries)
    driver = make_driver()
    loads: dict[str, list[float]] = {}
    try:
        with timed_app(settings) as (base, timings):
            urls = page_urls(settings)
            for _ in range(args.rounds):
                for label, path in urls:
                    loads.setdefault(label, []).append(load_ms(driver, base + path))
    finally:
        driver.quit()

    print(f"warehouse: {settings.database_url}   rounds: {args.rounds} (round 1 with a cold query cache)")
    print(f"\nfirst page to interactive (ms; target < {PAGE_TARGET_MS})")
    print(f"{'page':<28}{'cold':>8}{'warm median':>14}")
    worst = 0.0
    for label, values in loads.items():
        warm = statistics.median(values[1:]) if len(values) > 1 else values[0]
        worst = max(worst, warm)
        print(f"{label:<28}{values[0]:>8.0f}{warm:>14.0f}")
    print(f"\ncallback server time (ms; target: median < {CALLBACK_TARGET_MS})")
    print(f"{'callback outputs':<60}{'calls':>6}{'median':>8}{'max':>8}")
    slowest = 0.0
    for output, values in sorted(timings.items(), key=lambda kv: -statistics.median(kv[1])):
        median = statistics.median(values) * 1000
        slowest = max(slowest, median)
        print(f"{output[:58]:<60}{len(values):>6}{median:>8.0f}{max(values) * 1000:>8.0f}")
    ok = slowest < CALLBACK_TARGET_MS and worst < PAGE_TARGET_MS
    print(f"\nslowest callback median {slowest:.0f} ms; slowest warm page {worst:.0f} ms: "
          f"{'within' if ok else 'OUTSIDE'} the targets")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
