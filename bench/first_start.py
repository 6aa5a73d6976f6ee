"""The first minute: `python app.py` on an empty warehouse, timed from the moment it is started.

    .venv/bin/python bench/first_start.py [--checkout DIR] [--port 8050] [--timeout 300]

Starts `python app.py serve` in DIR (default: this checkout) exactly as `make run` does — its own settings, the
embedded SQLite warehouse `data/warehouse.db`, the demo built on the empty warehouse through the real ingestors —
after checking that warehouse is absent (run it in a clean clone, or move `data/warehouse.db` aside first). A
checkout from before the progress page (no `/status.json`) counts as ready when it first answers. It polls
`GET /status.json` every 0.2 s and prints when the server first answered, each build phase as it began, and when
the dashboard became ready; then it opens the overview in headless Chromium (Debian's) and prints the figures the
province's "Koperasi sehat" card shows, which are the demo's. Exit 1 when the server did not become ready in time.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read()


def overview_card(base: str) -> str:
    """The overview's first figure cards as a reader sees them (headless Chromium)."""
    from selenium.webdriver.common.by import By

    from tests.support.browser import make_driver, open_page

    driver = make_driver()
    try:
        open_page(driver, base + "/", timeout=60)
        cards = driver.find_elements(By.CSS_SELECTOR, "#_pages_content .card")
        return " | ".join(" ".join(c.text.split()) for c in cards[:4])
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    checkout = args.checkout.resolve()
    if (checkout / "data" / "warehouse.db").exists():
        raise SystemExit(f"{checkout}/data/warehouse.db exists: the first start needs an empty warehouse")
    python = checkout / ".venv" / "bin" / "python"
    base = f"http://127.0.0.1:{args.port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATA_DIR", "DEMO", "SCHEDULER")}
    env["PORT"] = str(args.port)
    log = checkout / "first-start.log"
    started = time.perf_counter()
    process = subprocess.Popen([str(python if python.exists() else sys.executable), "app.py"], cwd=checkout, env=env,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    first = ready = None
    phases: list[tuple[str, float, dict]] = []
    try:
        while time.perf_counter() - started < args.timeout:
            if process.poll() is not None:
                raise SystemExit(f"app.py exited with {process.returncode}: {log.read_text()[-2000:]}")
            try:
                code, body = get(base + "/status.json")
            except OSError:
                time.sleep(0.2)
                continue
            now = time.perf_counter() - started
            if first is None:
                first = now
                page_code, page = get(base + "/")
                print(f"first answer after {first:.1f} s: GET / → {page_code} "
                      f"({'progress page' if page_code == 503 else 'dashboard'}, {len(page):,} bytes)", flush=True)
            try:
                status = json.loads(body)
            except ValueError:  # a server without /status.json (before issue #15) answers only once it is built
                status = {"ready": True, "phase": "ready (no /status.json)", "progress": 1.0, "data_version": None}
            if not phases or phases[-1][0] != status["phase"]:
                phases.append((status["phase"], now, status))
                print(f"  {now:6.1f} s  phase {status['phase']:<12} progress {status['progress']:.2f}", flush=True)
            if status["ready"]:
                ready = now
                break
            time.sleep(0.2)
        if ready is None:
            print(f"NOT ready after {args.timeout:.0f} s; log: {log}")
            return 1
        code, page = get(base + "/")
        print(f"ready after {ready:.1f} s (target < 60 s): data_version {status['data_version']}; "
              f"GET / → {code} ({'dashboard' if b'react-entry-point' in page else 'not the dashboard'})")
        print(f"overview: {overview_card(base)}")
        return 0
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
