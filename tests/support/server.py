"""Serve the real Dash app on loopback in a background thread, for browser and HTTP tests (and the benches)."""
from __future__ import annotations

import contextlib
import threading

from werkzeug.serving import make_server


@contextlib.contextmanager
def serve_dash(app):
    """Serve an already built Dash app on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextlib.contextmanager
def serve_app(settings):
    """Migrate the settings' warehouse, build the app and serve it; yields its base URL."""
    from app import create_app, prepare_warehouse

    prepare_warehouse(settings)
    with serve_dash(create_app(settings)) as base_url:
        yield base_url
