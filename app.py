"""Pantau Koperasi NTT: the Dash app factory and the one command-line entry point (`python app.py` serves)."""
from __future__ import annotations

import importlib
import logging
import sys

import click
import dash

from settings import PROJECT_DIR, Settings, SettingsError, load_settings

log = logging.getLogger("pantau")

# Each page module owns its layout and callbacks; the navigation bar is built from this registry.
PAGE_MODULES = (
    "layouts.pages.overview",
    "layouts.pages.data_quality",
)


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build the Dash app for `settings`; the warehouse must already be migrated (see `prepare_warehouse`)."""
    settings = settings or load_settings()
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        # Bootstrap 5.3.8 (MIT) is served from assets/: offices in remote kabupaten work offline.
        assets_folder=str(PROJECT_DIR / "layouts" / "assets"),
        suppress_callback_exceptions=True,
        title="Pantau Koperasi NTT",
        update_title=None,
        serve_locally=True,
    )
    app.server.config["PANTAU_SETTINGS"] = settings
    app.server.secret_key = settings.SECRET_KEY
    for name in PAGE_MODULES:
        module = importlib.import_module(name)
        dash.register_page(name, layout=module.layout, **module.PAGE)
        module.register_callbacks(app)

    from layouts import shell

    app.layout = shell.layout
    shell.register_language_route(app.server)
    return app


def prepare_warehouse(settings: Settings) -> None:
    """Create the data folder and bring the schema to the current migration."""
    from warehouse import migrate
    from warehouse.db import engine_for

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(engine_for(settings.database_url))


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Pantau Koperasi NTT. Without a command: serve the dashboard (same as `serve`)."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.DEBUG if verbose else logging.WARNING)
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@cli.command()
@click.option("--debug", is_flag=True, help="Dash debug mode (reloader, dev tools).")
def serve(debug: bool) -> None:
    """Migrate the warehouse if needed and serve the dashboard at HOST:PORT."""
    settings = _settings()
    prepare_warehouse(settings)
    app = create_app(settings)
    click.echo(f"Pantau Koperasi NTT: http://{settings.HOST}:{settings.PORT}/")
    app.run(host=settings.HOST, port=settings.PORT, debug=debug)


@cli.group()
def db() -> None:
    """Warehouse schema: upgrade, check."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (an empty database gets the whole schema and the 22 kabupaten/kota)."""
    from warehouse import migrate
    from warehouse.db import engine_for

    settings = _settings()
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    engine = engine_for(settings.database_url)
    migrate.upgrade(engine)
    click.echo(f"upgraded {engine.url.render_as_string(hide_password=True)} to {migrate.current_revision(engine)}")


@db.command("check")
def db_check() -> None:
    """Exit 0 when the schema is at the newest migration and matches the models, 1 otherwise."""
    from warehouse import migrate
    from warehouse.db import engine_for

    ok, message = migrate.check(engine_for(_settings().database_url))
    click.echo(message)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    cli()
