"""Pantau Koperasi NTT: the Dash app factory and the one command-line entry point (`python app.py` serves)."""
from __future__ import annotations

import importlib
import logging
import os
import sys

import click
import dash

from settings import PROJECT_DIR, Settings, SettingsError, load_settings

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
    from warehouse import queries

    queries.configure_cache(settings.CACHE_URL, settings.DATA_DIR)
    app.server.secret_key = settings.SECRET_KEY
    for module in page_modules():
        dash.register_page(module.__name__, layout=module.layout, **module.PAGE)
        module.register_callbacks(app)

    from layouts import api, components, shell

    components.register_callbacks(app)

    app.layout = shell.layout
    shell.register_language_route(app.server)
    api.register(app.server)
    if settings.ACCESS_CONTROL == "on":
        from layouts import auth

        auth.install(app)  # last: it guards every page, callback and endpoint registered above
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
    # Alembic's steps and httpx's line per platform page (80 at the demo's start-up) only with --verbose.
    for noisy in ("alembic", "httpx"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@cli.command()
@click.option("--debug", is_flag=True, help="Dash debug mode (reloader, dev tools).")
def serve(debug: bool) -> None:
    """Migrate the warehouse, load the demo province into an empty one (DEMO=auto), and serve the dashboard."""
    settings = _settings()
    if debug and settings.ENVIRONMENT == "production":
        raise click.UsageError("--debug is not allowed when ENVIRONMENT=production (it shows tracebacks)")
    prepare_warehouse(settings)
    settings = _start_demo_sources(settings)
    _announce_demo_users(settings)
    app = create_app(settings)
    if settings.SCHEDULER == "embedded" and (not debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"):
        # One scheduler for this one process (the reloader's parent process does not serve, so it gets none).
        from ingest.scheduler import build_scheduler

        build_scheduler(settings).start()
        click.echo("ingest scheduler running inside this process (SCHEDULER=embedded)")
    click.echo(f"Pantau Koperasi NTT: http://{settings.HOST}:{settings.PORT}/")
    app.run(host=settings.HOST, port=settings.PORT, debug=debug)


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
    """On an empty warehouse build the simulated province through the real ingestors; on a demo warehouse
    serve its platform API again so the scheduler keeps pulling it. Returns settings pointing at that API."""
    from ingest import demo

    engine = _engine(settings)
    server = None
    if settings.DEMO == "auto" and settings.ENVIRONMENT != "production" and demo.warehouse_is_empty(engine):
        summary, server = demo.build_and_load(settings, engine, say=click.echo)
        click.echo(f"demo province ready in {summary.seconds:.0f} s; warehouse {settings.database_url}")
    elif demo.is_demo(engine):
        server = demo.start_platform(settings)
    if server is None or settings.PLATFORM_API_URL:
        return settings
    return settings.model_copy(update={"PLATFORM_API_URL": server.base_url, "PLATFORM_API_TOKEN": demo.DEMO_TOKEN})


@cli.command("demo")
@click.option("--seed", default=2023, show_default=True, help="Random seed: the same seed gives identical files.")
@click.option("--scale", type=click.Choice(["province", "national"]), default="province", show_default=True,
              help="province: NTT's ~4,300 cooperatives; national: ~127,000 in 514 units (benchmarks).")
@click.option("--out", "out", default=None, type=click.Path(file_okay=False),
              help="Folder for the files (default DATA_DIR/demo-files).")
def demo_cmd(seed: int, scale: str, out: str | None) -> None:
    """Generate the simulated province's files (inbox, platform JSON, registry export) without serving."""
    from pathlib import Path

    from ingest.simulator import generate, write

    settings = _settings()
    target = Path(out) if out else settings.DATA_DIR / "demo-files"
    province = generate(seed=seed, scale=scale)
    write(province, target, overwrite=True)
    click.echo(f"DATA SIMULASI (seed {seed}, {scale}) written to {target}")


@cli.command()
@click.option("--full", is_flag=True, help="Rescore every cooperative (default: those loaded since the last refresh).")
def score(full: bool) -> None:
    """Recompute the materialised scores and kabupaten roll-ups."""
    from warehouse.refresh import refresh, unscored_niks

    settings = _settings()
    prepare_warehouse(settings)
    engine = _engine(settings)
    niks = None if full else unscored_niks(engine)
    if niks is not None and not niks:
        click.echo("scores are current; use --full to recompute everything")
        return
    result = refresh(engine, niks)
    click.echo(f"scored {result.cooperatives:,} cooperatives: {result.scores:,} scores, {result.rollups:,} roll-ups "
               f"in {result.seconds:.1f} s (data version {result.data_version})")


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


@cli.group()
def ingest() -> None:
    """Load data: files, a configured source, or show the last runs."""


def _progress_printer(total: int):
    """A progress bar on a terminal (runs over a few seconds); plain lines otherwise."""
    if sys.stdout.isatty() and total > 1:
        bar = click.progressbar(length=total, label="ingest", show_pos=True)
        bar.__enter__()
        return bar
    return None


@ingest.command("file")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def ingest_file_cmd(paths: tuple[str, ...]) -> None:
    """Load spreadsheet files (XLSX/CSV). Exit 1 when any file was rejected whole."""
    from ingest.pipeline import ingest_file, summary_line
    from ingest.sources import _file_order
    from pathlib import Path

    settings = _settings()
    prepare_warehouse(settings)
    engine = _engine(settings)
    rejected = False
    bar = _progress_printer(len(paths))
    for path in sorted((Path(p) for p in paths), key=_file_order):
        result = ingest_file(engine, path, source="cli")
        rejected |= result.status != "success"
        if bar:
            bar.update(1)
        click.echo(("\n" if bar else "") + summary_line(result))
        for warning in result.warnings:
            click.echo(f"  note: {warning}")
    if bar:
        bar.__exit__(None, None, None)
    sys.exit(1 if rejected else 0)


@ingest.command("run")
@click.argument("source", type=click.Choice(["inbox", "platform", "registry"]))
def ingest_run_cmd(source: str) -> None:
    """Run one source now (the same job the scheduler runs)."""
    from ingest.locks import SourceBusy
    from ingest.pipeline import summary_line
    from ingest.sources import pending_files, run_source

    settings = _settings()
    prepare_warehouse(settings)
    bar = _progress_printer(len(pending_files(settings.DATA_DIR / source))) if source != "platform" else None

    def progress(result) -> None:
        if bar:
            bar.update(1)
        click.echo(("\n" if bar else "") + summary_line(result))

    try:
        results = run_source(_engine(settings), settings, source, progress=progress)
    except (SourceBusy, ValueError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    finally:
        if bar:
            bar.__exit__(None, None, None)
    if source == "platform":
        for result in results:
            click.echo(summary_line(result))
    if not results:
        click.echo(f"{source}: nothing to load")
    sys.exit(0 if all(r.status == "success" for r in results) else 1)


@ingest.command("status")
@click.option("--limit", default=20, show_default=True, help="How many runs to show.")
def ingest_status_cmd(limit: int) -> None:
    """The last ingest runs, newest first."""
    from layouts.i18n import fmt_datetime
    from warehouse import queries

    settings = _settings()
    prepare_warehouse(settings)
    runs = queries.ingest_runs.uncached(_engine(settings), limit)
    if runs.empty:
        click.echo("no ingest run yet")
        return
    click.echo(f"{'run':>5}  {'source':<9} {'status':<9} {'started (WITA)':<26} {'read':>7} {'loaded':>7} "
               f"{'revised':>7} {'same':>7} {'rejected':>8}  target")
    for r in runs.itertuples():
        click.echo(f"{r.id:>5}  {r.source:<9} {r.status:<9} {fmt_datetime(r.started_at, 'en'):<26} {r.rows_read:>7} "
                   f"{r.rows_loaded:>7} {r.rows_revised:>7} {r.rows_unchanged:>7} {r.rows_rejected:>8}  {r.target}")


@cli.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Where to write the .xlsx file.")
def template(out: str) -> None:
    """Write the standard reporting template (Indonesian instructions, drop-down lists)."""
    from ingest.template import write_template

    click.echo(f"template written to {write_template(out)}")


@cli.command()
def scheduler() -> None:
    """Run the ingest scheduler as its own process (production: beside a multi-worker web server)."""
    from ingest.scheduler import build_scheduler, load_schedule

    settings = _settings()
    prepare_warehouse(settings)
    for source, cron in load_schedule(settings.SCHEDULE_FILE).items():
        click.echo(f"{source}: {cron} (WITA)")
    build_scheduler(settings, blocking=True).start()


def _engine(settings: Settings):
    from warehouse.db import engine_for

    return engine_for(settings.database_url)


cli.add_command(importlib.import_module("layouts.boundaries").cli, "boundaries")


@cli.command("export")
@click.argument("dataset")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--regency", help="Kemendagri code of one kabupaten/kota (URL: kab).")
@click.option("--type", "kind", help="Cooperative type, e.g. simpan_pinjam (URL: jenis).")
@click.option("--period", help="One month YYYY-MM (URL: periode).")
@click.option("--from", "period_from", help="First month YYYY-MM of a range (URL: periode_dari).")
@click.option("--to", "period_to", help="Last month YYYY-MM of a range (URL: periode_sampai).")
@click.option("--year", help="Fiscal year YYYY, rat only (URL: tahun).")
@click.option("--framework", help="Scoring method, scores only (URL: kerangka).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
def export_cmd(dataset, out, regency, kind, period, period_from, period_to, year, framework, fmt) -> None:
    """Write a dataset (registry, reports, scores, snapshots, rat, digital, rejections, regency_indicators) with
    the same bytes as /api/v1/DATASET.csv. Exit 2 on a bad parameter."""
    from layouts.api import preamble
    from warehouse import export

    settings = _settings()
    prepare_warehouse(settings)
    given = {export.P_REGENCY: regency, export.P_TYPE: kind, export.P_PERIOD: period, export.P_FROM: period_from,
             export.P_TO: period_to, export.P_YEAR: year, export.P_FRAMEWORK: framework}
    try:
        selection, _ = export.parse(dataset, [(k, v) for k, v in given.items() if v is not None], paging=False)
    except export.ExportError as exc:
        click.echo(f"export: {exc.message}", err=True)
        sys.exit(2)
    built = export.build(selection, _engine(settings))
    rows = export.write_file(built, out, fmt, preamble(built))
    click.echo(f"{rows:,} rows of {dataset} written to {out}" + (" (DATA SIMULASI)" if built.simulated else ""))


cli.add_command(importlib.import_module("layouts.auth").users_cli, "users")


if __name__ == "__main__":
    cli()
