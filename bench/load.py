"""Load test: logged-in officials replaying real page visits against the app served the way `python app.py` serves
it, on loopback only, for a bounded time (locust used as a library).

    .venv/bin/python -m bench.load [--database URL] [--users 50] [--seconds 60] [--spawn-rate 10] [--during-ingest]
                                   [--workers 4 --threads 4 --cache redis://127.0.0.1:6379/0]

It starts `python app.py serve` itself on a free loopback port (the given warehouse, default the demo warehouse
`data/warehouse.db` that `make run` builds; a scratch DATA_DIR so the query cache starts cold; SCHEDULER=off and
DEMO=off so nothing but this test runs unless --during-ingest asks for it), creates or resets the official user
`bench-load`, and records with headless Chromium the callback requests the browser posts when opening each page
(bench/load_record.py). Each simulated user logs in, then goes round the pages (each from another page) with 1–3 s
think time: the page's HTML, `/_dash-layout`, `/_dash-dependencies` and its recorded callbacks. --during-ingest
drops one kabupaten's latest monthly report (every `members` + 1, so it is a new revision) into the inbox a few seconds in and runs
`python app.py ingest run inbox` and then `python app.py score --full` in separate processes while the load runs.
Prints requests/s, median, p95, p99 and errors per request name; exits 1 on any error.
"""
from __future__ import annotations

import locust  # noqa: F401 - first: locust monkey-patches the standard library with gevent on import

import argparse
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import gevent
from locust import FastHttpUser, between, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `python bench/load.py` as the other benches
from bench.load_record import Visit, callback_label, record, save, visit_urls  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_BOUNDARIES = ROOT.parent / "shared" / "data" / "ntt_regencies.geojson"
USERNAME = "bench-load"
START_TIMEOUT = 300


# ------------------------------------------------------------------------------------------------ the app
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(database_url: str, data_dir: Path, port: int | None = None) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "SCHEDULER": "off",
           "DEMO": "off", "ACCESS_CONTROL": "on", "HOST": "127.0.0.1"}
    if port:
        env["PORT"] = str(port)
    if "BOUNDARIES_PATH" not in os.environ and not (ROOT / "data/boundaries/ntt_regencies.geojson").exists() \
            and SHARED_BOUNDARIES.exists():
        env["BOUNDARIES_PATH"] = str(SHARED_BOUNDARIES)
    return env


def start_app(env: dict, log_path: Path, workers: int = 1, threads: int = 0) -> subprocess.Popen:
    """`python app.py serve` (one process, waitress) or, with several `workers`, the README's multi-worker
    deployment (gunicorn worker processes with `threads` threads each, `wsgi:server`), in its own process group, its
    output in `log_path`; returns once it answers."""
    log = log_path.open("wb")
    if workers > 1:
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread",
                   "--threads", str(threads or 4), "-b", f"127.0.0.1:{env['PORT']}", "wsgi:server"]
    else:
        command = [sys.executable, "app.py", "serve"]
        if threads:
            env = {**env, "WEB_THREADS": str(threads)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{env['PORT']}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the app stopped during start-up (exit {process.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(base + "/login", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    stop_app(process)
    raise SystemExit(f"the app did not answer within {START_TIMEOUT} s; see {log_path}")


def stop_app(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def ensure_user(database_url: str) -> str:
    """The official `bench-load` (province-wide) with a fresh random password; returns the password."""
    from warehouse import users
    from warehouse.db import engine_for

    engine = engine_for(database_url)
    password = "beban-" + secrets.token_urlsafe(16)
    if users.get_user(engine, username=USERNAME) is None:
        users.add_user(engine, USERNAME, password, "official", full_name="bench/load.py", by="bench")
    else:
        users.set_password(engine, USERNAME, password, by="bench")
    engine.dispose()
    return password


# --------------------------------------------------------------------------------------------- the users
class Official(FastHttpUser):
    """A logged-in official opening pages one after the other, as a browser does."""
    wait_time = between(1, 3)
    visits: list[Visit] = []
    password = ""

    started = 0

    def on_start(self):
        # Each user goes round every page, starting one page further than the user before: all pages are visited
        # from the first seconds on, in a different order per user.
        self.next_visit = Official.started
        Official.started += 1
        page = self.client.get("/login", name="login form").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        with self.client.post("/login", data={"csrf_token": token, "username": USERNAME, "password": self.password,
                                              "next": "/"},
                              allow_redirects=False, name="login", catch_response=True) as answer:
            if answer.status_code != 302 or answer.headers.get("Location", "").rstrip("/").endswith("/login"):
                answer.failure(f"login answered {answer.status_code}")

    @task
    def visit(self):
        visit = self.visits[self.next_visit % len(self.visits)]
        self.next_visit += 1
        path = visit.url.split("?")[0]
        self.client.get(visit.url, name="page " + path)
        self.client.get("/_dash-layout", name="/_dash-layout")
        self.client.get("/_dash-dependencies", name="/_dash-dependencies")
        headers = {"Content-Type": "application/json", "Origin": self.host}
        for body in visit.callbacks:
            with self.client.post("/_dash-update-component", data=json.dumps(body), headers=headers,
                                  name=f"cb {path} {callback_label(body)}", catch_response=True) as answer:
                if answer.status_code not in (200, 204):
                    answer.failure(f"HTTP {answer.status_code}")


# ----------------------------------------------------------------------------------- ingest during load
def ingest_file(database_url: str, regency: str, given: str | None) -> Path:
    """The monthly report file to drop: `given`, or the kabupaten's latest `laporan_keuangan` CSV of the demo
    files beside the warehouse (DATA_DIR/demo/inbox of `make run`)."""
    if given:
        return Path(given)
    folder = Path(database_url.split("///", 1)[-1]).parent if database_url.startswith("sqlite") else ROOT / "data"
    found = sorted((folder / "demo" / "inbox").glob(f"laporan_keuangan_*_{regency}.csv"))
    monthly = [path for path in found if re.search(r"_\d{4}-\d{2}_", path.name)]
    if not monthly:
        raise SystemExit(f"--during-ingest: no laporan_keuangan_YYYY-MM_{regency}.csv under {folder / 'demo/inbox'}"
                         "; give one with --ingest-file")
    return monthly[-1]


def drop_revision(source: Path, inbox: Path) -> Path:
    """Copy `source` into the inbox with every cooperative's `members` + 1: a new revision of each report."""
    import pandas as pd

    frame = pd.read_csv(source, sep=None, engine="python", dtype=str, encoding="utf-8-sig")
    frame["members"] = [value if pd.isna(number) else str(int(number) + 1)
                        for value, number in zip(frame["members"], pd.to_numeric(frame["members"], errors="coerce"))]
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / source.name
    frame.to_csv(target.with_suffix(".part"), index=False)
    target.with_suffix(".part").rename(target)
    return target


def ingest_while_loading(env: dict, source: Path, delay: float, results: list) -> None:
    """After `delay` s: drop the file, then `ingest run inbox` and `score --full`, each its own process; each
    result is (what, exit code, seconds, last output line, seconds since the load started when it ended)."""
    t0 = time.perf_counter()
    gevent.sleep(delay)
    dropped = drop_revision(source, Path(env["DATA_DIR"]) / "inbox")
    results.append(("drop " + dropped.name, 0, 0.0, [""], time.perf_counter() - t0))
    for command in (["ingest", "run", "inbox"], ["score", "--full"]):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "app.py", *command], cwd=ROOT, env=env, capture_output=True,
                              text=True)
        results.append((" ".join(command), done.returncode, time.perf_counter() - started,
                        (done.stdout + done.stderr).strip().splitlines()[-1:] or [""], time.perf_counter() - t0))


# ---------------------------------------------------------------------------------------------- reporting
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def summarise(times: dict[str, list[float]], failures: dict[str, int], seconds: float) -> list[dict]:
    rows = []
    everything = [t for values in times.values() for t in values]
    for name in sorted(times) + ["Total"]:
        values = everything if name == "Total" else times[name]
        if not values:
            continue
        rows.append({"name": name, "requests": len(values),
                     "errors": sum(failures.values()) if name == "Total" else failures.get(name, 0),
                     "rps": len(values) / seconds, "median_ms": statistics.median(values),
                     "p95_ms": percentile(values, 0.95), "p99_ms": percentile(values, 0.99),
                     "max_ms": max(values)})
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'request':<70} {'n':>6} {'err':>4} {'req/s':>6} {'median':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for row in rows:
        print(f"{row['name'][:70]:<70} {row['requests']:>6} {row['errors']:>4} {row['rps']:>6.1f} "
              f"{row['median_ms']:>7.0f} {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f} {row['max_ms']:>7.0f}")


# ------------------------------------------------------------------------------------------------- main
def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'data' / 'warehouse.db'}",
                        help="warehouse URL (default: the demo warehouse data/warehouse.db that `make run` builds)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--during-ingest", action="store_true",
                        help="drop a file into the inbox and run an inbox run and a full score refresh meanwhile")
    parser.add_argument("--ingest-regency", default="5371")
    parser.add_argument("--ingest-file", help="the file to drop (default: the regency's latest demo monthly file)")
    parser.add_argument("--pages", help="comma-separated URLs to visit instead of every official page")
    parser.add_argument("--json", help="also write the summary as JSON to this file")
    parser.add_argument("--workers", type=int, default=1,
                        help="serve with gunicorn and this many worker processes (the README's multi-worker deployment)")
    parser.add_argument("--threads", type=int, default=0, help="threads per worker (default: the app's own)")
    parser.add_argument("--cache", default="", help="CACHE_URL of the served app, e.g. redis://127.0.0.1:6379/0")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    if args.database.startswith("sqlite") and not Path(args.database.split("///", 1)[1]).exists():
        raise SystemExit(f"no warehouse at {args.database}: run `make run` once (it builds the demo) or give "
                         "--database")
    scratch = Path(tempfile.mkdtemp(prefix="pantau-load-"))
    env = app_env(args.database, scratch / "data", free_port())
    if args.cache:
        env["CACHE_URL"] = args.cache
    source = ingest_file(args.database, args.ingest_regency, args.ingest_file) if args.during_ingest else None
    Official.password = ensure_user(args.database)
    urls = args.pages.split(",") if args.pages else visit_urls(args.database)
    started = time.perf_counter()
    app = start_app(env, scratch / "app.log", args.workers, args.threads)
    base = f"http://127.0.0.1:{env['PORT']}"
    server = (f"gunicorn, {args.workers} workers × {args.threads or 4} threads" if args.workers > 1
              else "python app.py (waitress)")
    print(f"app served at {base} by {server}{', cache ' + args.cache if args.cache else ''} after "
          f"{time.perf_counter() - started:.1f} s (log: {scratch / 'app.log'})")
    try:
        Official.visits = record(base, USERNAME, Official.password, urls)
        save(Official.visits, scratch / "visits.json")
        times: dict[str, list[float]] = defaultdict(list)
        failures: dict[str, int] = defaultdict(int)
        errors: dict[tuple[str, str], int] = defaultdict(int)

        def on_request(request_type, name, response_time, response_length, exception=None, **_kw):
            times[name].append(response_time)
            if exception is not None:
                failures[name] += 1
                errors[(name, str(exception)[:120])] += 1

        environment = Environment(user_classes=[Official], host=base)
        environment.events.request.add_listener(on_request)
        runner = environment.create_local_runner()
        ingest_results: list = []
        ingesting = None if source is None else gevent.spawn(ingest_while_loading, env, source,
                                                             min(5.0, args.seconds / 4), ingest_results)
        print(f"{args.users} users (spawn rate {args.spawn_rate}/s) for {args.seconds:.0f} s over {len(urls)} pages"
              + (f"; ingest of {source.name} during the load" if source else ""))
        load_started = time.perf_counter()
        runner.start(args.users, spawn_rate=args.spawn_rate)
        gevent.spawn_later(args.seconds, runner.quit)
        runner.greenlet.join()
        elapsed = time.perf_counter() - load_started
        if ingesting is not None:
            ingesting.join(timeout=600)  # the app keeps serving until the ingest and refresh are done
    finally:
        stop_app(app)
    rows = summarise(times, failures, elapsed)
    print_table(rows)
    for (name, message), count in sorted(errors.items()):
        print(f"ERROR {count} × {name}: {message}")
    ingest_failed = False
    for label, code, seconds, tail, at in ingest_results:
        print(f"during the load: {label}" + (f" exit {code} in {seconds:.1f} s ({tail[0][:100]})" if seconds else "")
              + f", done {at:.0f} s after the load started")
        ingest_failed |= code != 0
    if source is not None and len(ingest_results) < 3:
        print("during the load: the ingest and refresh did not finish")
        ingest_failed = True
    callbacks = sum(row["requests"] for row in rows if row["name"].startswith("cb "))
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "callbacks": callbacks, "seconds": elapsed,
                                               "ingest": ingest_results, "errors": sum(errors.values())}))
    total_errors = sum(errors.values())
    print(f"{total_errors} errors; {callbacks} callback requests; {rows[-1]['rps'] if rows else 0:.1f} requests/s")
    return 1 if total_errors or ingest_failed or not callbacks else 0


if __name__ == "__main__":
    sys.exit(main())
