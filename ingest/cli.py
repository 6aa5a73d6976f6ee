"""The ingest side's commands: load files or run a source now, list the runs, the reporting template, the scheduler
as its own process, the simulated province's files, and the map's boundary file.

`app.py` assembles every package's commands into `python app.py`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ingest.boundaries import cli as boundaries
from settings import settings_or_exit
from warehouse import migrate


def _prepared(heal: bool = True, refresh: bool = True):
    """(settings, engine) of the configured warehouse, migrated, and healed of what a killed process left behind
    (ingest/healing.py)."""
    settings = settings_or_exit()
    engine = migrate.prepare(settings)
    if heal:
        from ingest.healing import heal as heal_warehouse

        heal_warehouse(engine, refresh=refresh)
    return settings, engine


CLI_LOCK_WAIT_S = 30  # `ingest file` waits this long for another `ingest file` to finish


@click.group()
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
    import time

    from ingest import locks
    from ingest.readers import Limits

    settings, engine = _prepared()
    # Under the "cli" source's lock, like every source: a run of a killed process can then be told from a live one.
    deadline = time.monotonic() + CLI_LOCK_WAIT_S
    while (owner := locks.acquire(engine, "cli")) is None:
        if time.monotonic() > deadline:
            click.echo(str(locks.SourceBusy("cli")), err=True)
            sys.exit(1)
        time.sleep(0.5)
    try:
        _load_files(engine, paths, Limits.of(settings))
    finally:
        locks.release(engine, "cli", owner)


def _load_files(engine, paths: tuple[str, ...], limits) -> None:
    from ingest.pipeline import ingest_file, summary_line
    from ingest.sources import file_order

    rejected = False
    bar = _progress_printer(len(paths))
    for path in sorted((Path(p) for p in paths), key=file_order):
        result = ingest_file(engine, path, source="cli", limits=limits)
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

    settings, engine = _prepared()
    bar = _progress_printer(len(pending_files(settings.DATA_DIR / source))) if source != "platform" else None

    def progress(result) -> None:
        if bar:
            bar.update(1)
        click.echo(("\n" if bar else "") + summary_line(result))

    try:
        results = run_source(engine, settings, source, progress=progress)
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
    from indicators.vocabulary import wita_stamp
    from warehouse import queries

    _settings, engine = _prepared(refresh=False)
    runs = queries.ingest_runs.uncached(engine, limit)
    if runs.empty:
        click.echo("no ingest run yet")
        return
    click.echo(f"{'run':>5}  {'source':<9} {'status':<9} {'started':<20} {'read':>7} {'loaded':>7} "
               f"{'revised':>7} {'same':>7} {'rejected':>8}  target")
    for r in runs.itertuples():
        click.echo(f"{r.id:>5}  {r.source:<9} {r.status:<9} {wita_stamp(r.started_at):<20} {r.rows_read:>7} "
                   f"{r.rows_loaded:>7} {r.rows_revised:>7} {r.rows_unchanged:>7} {r.rows_rejected:>8}  {r.target}")


@click.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Where to write the .xlsx file.")
def template(out: str) -> None:
    """Write the standard reporting template (Indonesian instructions, drop-down lists)."""
    from ingest.template import write_template

    click.echo(f"template written to {write_template(out)}")


@click.command()
def scheduler() -> None:
    """Run the ingest scheduler as its own process (production: beside a multi-worker web server), with the upload
    worker that loads the files sent on Kirim Laporan and the daily alert digest."""
    from ingest.scheduler import EXTRA_JOBS, load_schedule, start_background

    settings, _engine = _prepared()  # (healed: runs a killed scheduler left running, stale scores)
    for source, cron in load_schedule(settings.SCHEDULE_FILE).items():
        click.echo(f"{source}: {cron} (WITA)")
    for job_id, cron, _function in EXTRA_JOBS:
        click.echo(f"{job_id}: {cron} (WITA)")
    click.echo("upload worker: loads the files sent on Kirim Laporan")
    start_background(settings, blocking=True)


@click.command("demo")
@click.option("--seed", default=2023, show_default=True, help="Random seed: the same seed gives identical files.")
@click.option("--scale", type=click.Choice(["province", "national"]), default="province", show_default=True,
              help="province: NTT's ~4,300 cooperatives; national: ~127,000 in 514 units (benchmarks).")
@click.option("--out", "out", default=None, type=click.Path(file_okay=False),
              help="Folder for the files (default DATA_DIR/demo-files).")
def demo(seed: int, scale: str, out: str | None) -> None:
    """Generate the simulated province's files (inbox, platform JSON, registry export; for the province also the
    KDMP tracker and the mentoring log) without serving."""
    from ingest.simulator import generate, kdmp, write

    settings = settings_or_exit()
    target = Path(out) if out else settings.DATA_DIR / "demo-files"
    province = generate(seed=seed, scale=scale)
    write(province, target, overwrite=True)
    if scale == "province":
        kdmp.write(kdmp.simulate(seed, province.as_of), province.mentoring, target)
    click.echo(f"DATA SIMULASI (seed {seed}, {scale}) written to {target}")


COMMANDS = {"ingest": ingest, "template": template, "scheduler": scheduler, "demo": demo, "boundaries": boundaries}
