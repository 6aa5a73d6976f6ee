"""Pantau Koperasi NTT: the Dash app factory and the one command-line entry point (`python app.py` serves)."""
from __future__ import annotations

import importlib
import logging
import os
import threading

import click
import dash

from settings import PROJECT_DIR, Settings, load_settings, settings_or_exit

log = logging.getLogger("pantau")



def page_modules() -> list:
    """Every module of `layouts/pages/` (each owns a PAGE dict, `layout(**query)` and `register_callbacks(app)`),
    in menu order; the navigation bar is built from the resulting page registry."""
    import pkgutil

    import layouts.pages as package

    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_")]
    return sorted(modules, key=lambda m: m.PAGE.get("order", 100))


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
        # zstd/br/gzip for pages, callbacks, scripts and JSON (Flask-Compress): the province's cooperative rows
        # are 2.4 MB of JSON and plotly.js 4.6 MB, over the mobile connections many kabupaten offices have.
        compress=True,
    )
    app.server.config["PANTAU_SETTINGS"] = settings
    install_query_cache(app.server, settings)
    app.server.secret_key = settings.SECRET_KEY
    from layouts import access, api, building, callback_cache, components, context, digest, filters, shell

    building.install(app)  # first: while the first start builds the demo, pages show its progress
    for module in page_modules():
        dash.register_page(module.__name__, layout=filters.one_value_each(module.layout), **module.PAGE)
        with access.callbacks_of_page(app, module.__name__):  # which page each callback belongs to
            module.register_callbacks(app)

    context.install(app.server)
    components.register_callbacks(app)

    app.layout = shell.layout
    shell.register_language_route(app.server)
    api.register(app.server)
    _add_ingest_routes(app.server)
    digest.register_routes(app.server)
    if settings.ACCESS_CONTROL == "on":
        access.install(app)  # it guards every page, callback and endpoint registered above
    callback_cache.install(app)  # wraps the callback view: it runs after every check above
    return app


def _add_ingest_routes(server) -> None:
    """Answers of the ingest side a page links to, which layouts/ may not import: the reporting template of the
    Kirim Laporan page (the page's own rule: officials and above)."""
    from ingest.template import template_bytes
    from layouts.access import guards
    from layouts.pages import upload

    server.add_url_rule(upload.TEMPLATE_PATH, "upload_template",
                        guards.for_page("upload")(upload.template_route_view(template_bytes)))


SHARED_CACHE_SECONDS = 24 * 3600  # old data versions' answers expire on their own


def query_cache_config(url: str, data_dir) -> dict | None:
    """Flask-Caching's configuration of the query cache all workers share, from CACHE_URL: "" = files under
    DATA_DIR/cache, "redis://…" = Redis, "memory" = none (each process keeps its own answers)."""
    if url == "memory":
        return None
    if url.startswith(("redis://", "rediss://")):
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "CACHE_KEY_PREFIX": "pantau:",
                "CACHE_DEFAULT_TIMEOUT": SHARED_CACHE_SECONDS}
    return {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(PROJECT_DIR / data_dir / "cache"),
            "CACHE_THRESHOLD": 2000, "CACHE_DEFAULT_TIMEOUT": SHARED_CACHE_SECONDS}


def install_query_cache(server, settings: Settings) -> None:
    """Flask-Caching builds the shared store; the warehouse's reads key their answers on the data version in it
    (a new ingest moves the version, so no worker ever serves a stale answer). A store that cannot be opened costs
    speed, never the answer."""
    from flask_caching import Cache

    from warehouse import queries
    from warehouse.cache_codec import SignedPickle

    config = query_cache_config(settings.CACHE_URL, settings.DATA_DIR)
    store = None
    if config is not None:
        try:
            store = Cache(server, config=config).cache
            # entries are signed with SECRET_KEY: a planted pickle is never loaded (warehouse/cache_codec.py)
            store.serializer = SignedPickle(settings.SECRET_KEY)
        except OSError as exc:
            log.warning("query cache unusable (%s): caching in this process only", exc)
    queries.use_store(store)


def prepare_warehouse(settings: Settings) -> None:
    """Create the data folder and bring the schema to the current migration."""
    from warehouse import migrate

    migrate.prepare(settings)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Pantau Koperasi NTT. Without a command: serve the dashboard (same as `serve`)."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic's steps and httpx's line per platform page (80 at the demo's start-up) only with --verbose.
    for noisy in ("alembic", "httpx"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@cli.command()
@click.option("--debug", is_flag=True, help="Dash debug mode (reloader, dev tools).")
def serve(debug: bool) -> None:
    """Migrate the warehouse, load the demo province into an empty one (DEMO=auto), and serve the dashboard."""
    settings = settings_or_exit()
    if debug and settings.ENVIRONMENT == "production":
        raise click.UsageError("--debug is not allowed when ENVIRONMENT=production (it shows tracebacks)")
    prepare_warehouse(settings)
    from ingest import demo
    from ingest.healing import heal

    engine = _engine(settings)
    # (the reloader's parent process of --debug does not serve: it builds nothing and runs no scheduler)
    serving = not debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    progress = demo.start_build(settings, engine) if serving and demo.needs_build(settings, engine) else None
    heal(engine)  # runs a killed process left "running", scores older than the data
    app = create_app(settings)
    if progress is not None:
        # The first start on an empty warehouse answers at once: every page shows the build's progress (and
        # /status.json says how far it is) until the simulated province is loaded and scored.
        threading.Thread(target=_build_then_schedule, args=(settings, engine, progress), name="demo-build",
                         daemon=True).start()
    elif serving:
        settings = _start_demo_sources(settings)
        _announce_demo_users(settings)
        _start_scheduler(settings)
    click.echo(f"Pantau Koperasi NTT: http://{settings.HOST}:{settings.PORT}/")
    if debug or settings.WEB_SERVER == "werkzeug":
        app.run(host=settings.HOST, port=settings.PORT, debug=debug)
        return
    from waitress import serve as serve_wsgi

    threads = web_threads(settings)
    click.echo(f"served by waitress with {threads} threads (WEB_THREADS)")
    serve_wsgi(app.server, host=settings.HOST, port=settings.PORT, threads=threads, ident="pantau-koperasi",
               connection_limit=max(100, 8 * threads), channel_timeout=120)


def _start_scheduler(settings: Settings) -> None:
    """One scheduler and upload worker for this one process (SCHEDULER=embedded)."""
    if settings.SCHEDULER != "embedded":
        return
    from ingest.scheduler import start_background

    start_background(settings)
    click.echo("ingest scheduler, upload worker and the 07:00 digest running inside this process (SCHEDULER=embedded)")


def _build_then_schedule(settings: Settings, engine, progress) -> None:
    """The background half of the first start: build and load the demo province, then its users and the scheduler
    (which pulls the demo's platform API from then on)."""
    from ingest import demo

    try:
        summary, server = demo.build_and_load(settings, engine, say=click.echo, progress=progress)
    except Exception:
        log.exception("the demo build failed; the next start discards its partial data and builds again")
        return
    click.echo(f"demo province ready in {summary.seconds:.0f} s; warehouse {settings.database_url}")
    settings = settings.model_copy(update={"PLATFORM_API_URL": settings.PLATFORM_API_URL or server.base_url,
                                           "PLATFORM_API_TOKEN": settings.PLATFORM_API_TOKEN or demo.DEMO_TOKEN})
    _announce_demo_users(settings)
    _start_scheduler(settings)


def web_threads(settings: Settings) -> int:
    """waitress's worker threads: WEB_THREADS, or four per core and at least 8."""
    return settings.WEB_THREADS or max(8, 4 * (os.cpu_count() or 1))


def _announce_demo_users(settings: Settings) -> None:
    """On the demo province (never in production) create one user per role the first time, and print their
    passwords once."""
    from ingest import demo
    from warehouse.users import ensure_demo_users

    engine = _engine(settings)
    if settings.ENVIRONMENT == "production" or settings.ACCESS_CONTROL == "off" or not demo.is_demo(engine):
        return
    created = ensure_demo_users(engine)
    if not created:
        return
    click.echo("\n" + "=" * 78)
    click.echo("Pengguna demo / demo users — kata sandi hanya ditampilkan SEKALI / passwords shown ONCE:")
    for name, password, role, regency in created:
        click.echo(f"  {name:<12} {password:<24} {role}" + (f" (kabupaten {regency})" if regency else ""))
    click.echo("Ganti dengan / change with: python app.py users set-password NAMA")
    click.echo("=" * 78 + "\n")


def _start_demo_sources(settings: Settings) -> Settings:
    """On a demo warehouse serve its platform API again so the scheduler keeps pulling it. Returns settings
    pointing at that API."""
    from ingest import demo

    engine = _engine(settings)
    server = None
    if demo.is_demo(engine):
        server = demo.start_platform(settings)
    if server is None or settings.PLATFORM_API_URL:
        return settings
    return settings.model_copy(update={"PLATFORM_API_URL": server.base_url, "PLATFORM_API_TOKEN": demo.DEMO_TOKEN})


def _engine(settings: Settings):
    from warehouse.db import engine_for

    return engine_for(settings.database_url)


def _add_package_commands() -> None:
    """Every package brings its own commands (warehouse: db, score, export, users; ingest: ingest, template,
    scheduler, demo, boundaries; layouts: alerts); this file only assembles them beside `serve`, and gives the
    scheduler the jobs of the layers above ingest (the daily alert digest)."""
    from ingest import scheduler
    from ingest.cli import COMMANDS as INGEST
    from layouts import digest
    from layouts.cli import COMMANDS as LAYOUTS
    from warehouse.cli import COMMANDS as WAREHOUSE

    for name, command in {**WAREHOUSE, **INGEST, **LAYOUTS}.items():
        cli.add_command(command, name)
    if not any(job[0] == digest.JOB_ID for job in scheduler.EXTRA_JOBS):
        scheduler.EXTRA_JOBS.append((digest.JOB_ID, digest.CRON, digest.scheduled_send))


_add_package_commands()


if __name__ == "__main__":
    cli()
