"""WSGI entry point for a multi-worker server (gunicorn 'wsgi:server'); run `python app.py db upgrade` first."""
from app import create_app

server = create_app().server
