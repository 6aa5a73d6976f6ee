"""The real app served on loopback with every Dash callback timed on the server, and the list of page URLs to
visit; shared by bench/pages.py and bench/screenshots.py."""
from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
SHARED_BOUNDARIES = ROOT.parent / "shared" / "data" / "ntt_regencies.geojson"


def bench_settings(database_url: str | None, boundaries: str | None):
    """Settings for a benchmark run: the given warehouse (default: the configured one), a fresh DATA_DIR (so the
    query cache starts cold), no scheduler, no demo build."""
    from settings import load_settings

    # Access control off: every page is measured and photographed as an official sees it (the log-in check adds
    # a few milliseconds per request; tests/layouts/test_auth.py and tests/layouts/test_access.py cover it).
    extra = {"DATA_DIR": Path(tempfile.mkdtemp(prefix="pantau-bench-")), "SCHEDULER": "off", "DEMO": "off",
             "ACCESS_CONTROL": "off"}
    if database_url:
        extra["DATABASE_URL"] = database_url
    if boundaries:
        extra["BOUNDARIES_PATH"] = boundaries
    elif SHARED_BOUNDARIES.exists():
        extra["BOUNDARIES_PATH"] = SHARED_BOUNDARIES
    return load_settings(**extra)


@contextlib.contextmanager
def timed_app(settings):
    """Serve the app; yields (base URL, timings) where timings maps a callback's outputs to server seconds."""
    import flask

    from app import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(settings)
    timings: dict[str, list[float]] = defaultdict(list)

    @app.server.before_request
    def _start():
        flask.g.pantau_started = time.perf_counter()

    @app.server.after_request
    def _stop(response):
        if flask.request.path.endswith("/_dash-update-component"):
            body = flask.request.get_json(silent=True) or {}
            timings[str(body.get("output", "?"))].append(time.perf_counter() - flask.g.pantau_started)
        return response

    from tests.support.server import serve_dash

    with serve_dash(app) as base_url:
        yield base_url, timings


def page_urls(settings) -> list[tuple[str, str]]:
    """(label, path) of every page in the menu, a few filtered views, and one cooperative profile."""
    import dash

    from warehouse.db import engine_for
    from warehouse.models import CooperativeSnapshot

    urls = []
    for page in dash.page_registry.values():
        if page.get("path_template"):
            continue
        path = page["relative_path"]
        urls.append((page["module"].rsplit(".", 1)[-1], path))
    with engine_for(settings.database_url).connect() as conn:
        latest = conn.execute(select(CooperativeSnapshot.period_end).order_by(CooperativeSnapshot.period_end.desc())
                              .limit(1)).scalar()
        nik = None if latest is None else conn.execute(
            select(CooperativeSnapshot.nik).where(CooperativeSnapshot.period_end == latest,
                                                  CooperativeSnapshot.health_total.is_not(None))
            .order_by(CooperativeSnapshot.total_assets.desc()).limit(1)).scalar()
    filtered = [(f"{label}?kab=5371", f"{path}?kab=5371") for label, path in urls
                if label in ("overview", "map", "rankings", "digital", "data_quality")]
    if nik:
        urls.append(("profile", f"/koperasi/{nik}"))
    return urls + filtered
