"""Serve the real Dash app on loopback in a background thread, for browser and HTTP tests (and the benches)."""
from __future__ import annotations

import contextlib
import threading

from werkzeug.serving import make_server


@contextlib.contextmanager
def in_thread(server):
    """Run a server with serve_forever() and shutdown() (werkzeug's, http.server's) in a background thread for the
    block; yields the server."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextlib.contextmanager
def serve_dash(app):
    """Serve an already built Dash app on a free loopback port; yields its base URL."""
    with in_thread(make_server("127.0.0.1", 0, app.server, threaded=True)) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@contextlib.contextmanager
def app_served(settings, before_serving=None):
    """Migrate the settings' warehouse, build the app, let `before_serving(app)` change it, and serve it; yields
    (base URL, Dash app)."""
    from app import create_app, prepare_warehouse

    prepare_warehouse(settings)
    app = create_app(settings)
    if before_serving is not None:
        before_serving(app)
    with serve_dash(app) as base_url:
        yield base_url, app


@contextlib.contextmanager
def serve_app(settings):
    """Migrate the settings' warehouse, build the app and serve it; yields its base URL."""
    with app_served(settings) as (base_url, _app):
        yield base_url
