"""WSGI entry point for a multi-worker server (gunicorn 'wsgi:server'); run `python app.py db upgrade` first.

Behind a TLS-terminating reverse proxy use `gunicorn 'wsgi:proxied(1)'` (one proxy hop): the client's address
and scheme then come from X-Forwarded-For / X-Forwarded-Proto, which the login limit and cookies rely on."""
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app

server = create_app().server


def proxied(hops: int = 1):
    """The server wrapped in werkzeug's ProxyFix trusting `hops` proxies."""
    server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return server
