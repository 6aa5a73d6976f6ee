"""The warehouse's commands: schema (db upgrade/check), the score refresh, exports, users and API tokens.

`app.py` assembles every package's commands into `python app.py`; these only need the settings and the warehouse.
"""
from __future__ import annotations

import sys

import click

from settings import settings_or_exit
from warehouse import migrate, sessions, tokens, users
from warehouse.db import utcnow


def _engine():
    """The configured warehouse, migrated (a command never runs against an old schema)."""
    return migrate.prepare(settings_or_exit())


# ---------------------------------------------------------------------------------------------------- schema
@click.group()
def db() -> None:
    """Warehouse schema: upgrade, check."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (an empty database gets the whole schema and the 22 kabupaten/kota)."""
    engine = _engine()
    click.echo(f"upgraded {engine.url.render_as_string(hide_password=True)} to {migrate.current_revision(engine)}")


@db.command("check")
def db_check() -> None:
    """Exit 0 when the schema is at the newest migration and matches the models, 1 otherwise."""
    from warehouse.db import engine_for

    ok, message = migrate.check(engine_for(settings_or_exit().database_url))
    click.echo(message)
    sys.exit(0 if ok else 1)


# ----------------------------------------------------------------------------------------------------- score
@click.command()
@click.option("--full", is_flag=True, help="Rescore every cooperative (default: those loaded since the last refresh).")
def score(full: bool) -> None:
    """Recompute the materialised scores, snapshots and kabupaten/province roll-ups."""
    from warehouse.refresh import refresh, unscored_niks

    engine = _engine()
    niks = None if full else unscored_niks(engine)
    if niks is not None and not niks:
        click.echo("scores are current; use --full to recompute everything")
        return
    result = refresh(engine, niks)
    click.echo(f"scored {result.cooperatives:,} cooperatives: {result.scores:,} scores, {result.rollups:,} roll-ups "
               f"in {result.seconds:.1f} s (data version {result.data_version})")


# ---------------------------------------------------------------------------------------------------- export
@click.command("export")
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
    from warehouse import export

    engine = _engine()
    given = {export.P_REGENCY: regency, export.P_TYPE: kind, export.P_PERIOD: period, export.P_FROM: period_from,
             export.P_TO: period_to, export.P_YEAR: year, export.P_FRAMEWORK: framework}
    try:
        selection, _ = export.parse(dataset, [(k, v) for k, v in given.items() if v is not None], paging=False)
    except export.ExportError as exc:
        click.echo(f"export: {exc.message}", err=True)
        sys.exit(2)
    built = export.build(selection, engine)
    rows = export.write_file(built, out, fmt, export.preamble(built))
    click.echo(f"{rows:,} rows of {dataset} written to {out}" + (" (DATA SIMULASI)" if built.simulated else ""))


# ----------------------------------------------------------------------------------------------------- users
def _read_password(stdin: bool) -> str:
    if stdin:
        return click.get_text_stream("stdin").readline().rstrip("\r\n")
    return click.prompt("password", hide_input=True, confirmation_prompt=True)


def _fail(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@click.group("users")
def users_cli() -> None:
    """Users of the dashboard: add, list, disable, set-password; API tokens."""


@users_cli.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(users.ROLES), required=True)
@click.option("--regency", default=None, help="Kemendagri code: a kabupaten officer sees only this kabupaten.")
@click.option("--full-name", default=None)
@click.option("--email", default=None, help="Where the daily digest of alerts goes.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def users_add(username, role, regency, full_name, email, password_stdin) -> None:
    """Add a user (the password is asked twice, or read from stdin)."""
    engine = _engine()
    try:
        if email:
            users.check_email(email)  # (before the password is asked for)
        info = users.add_user(engine, username, _read_password(password_stdin), role, regency, full_name, by="cli",
                              email=email)
    except users.UserError as exc:
        _fail(exc)
    scope = f", kabupaten {info.regency_code}" if info.regency_code else ""
    mail = f", digest to {info.email}" if info.email else ""
    click.echo(f"user {info.username} added ({info.role}{scope}{mail})")


@users_cli.command("set-email")
@click.argument("username")
@click.argument("email", required=False, default="")
def users_set_email(username, email) -> None:
    """Set a user's e-mail address for the daily digest of alerts (without EMAIL: remove it)."""
    try:
        users.set_email(_engine(), username, email or None, by="cli")
    except users.UserError as exc:
        _fail(exc)
    click.echo(f"e-mail of {username} set to {email}" if email else f"e-mail of {username} removed")


@users_cli.command("list")
def users_list() -> None:
    """Every user with role, scope, state and last login."""
    from indicators.vocabulary import wita_stamp

    frame = users.list_users(_engine())
    if frame.empty:
        click.echo("no users yet")
        return
    click.echo(f"{'username':<20} {'role':<9} {'kab':<5} {'state':<9} {'tokens':>6}  {'last login':<20} "
               f"{'e-mail':<32} name")
    for r in frame.itertuples():
        locked = r.locked_until is not None and not _missing(r.locked_until) and r.locked_until > utcnow()
        state = "disabled" if not r.active else ("locked" if locked else "active")
        last = "-" if _missing(r.last_login_at) else wita_stamp(r.last_login_at)
        mail = (r.email or "-") + ("" if r.digest or not r.email else " (unsubscribed)")
        click.echo(f"{r.username:<20} {r.role:<9} {r.regency_code or '-':<5} {state:<9} {r.tokens:>6}  "
                   f"{last:<20} {mail:<32} {r.full_name or ''}")


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


@users_cli.command("disable")
@click.argument("username")
def users_disable(username) -> None:
    """Disable a user: no login, sessions and API tokens stop working."""
    try:
        users.disable_user(_engine(), username, by="cli")
    except users.UserError as exc:
        _fail(exc)
    click.echo(f"user {username} disabled")


@users_cli.command("logout")
@click.argument("username")
def users_logout(username) -> None:
    """Log a user out everywhere: every open session of theirs ends at once (API tokens are separate)."""
    try:
        ended = sessions.log_out_everywhere(_engine(), username, by="cli")
    except LookupError as exc:
        _fail(exc)
    click.echo(f"{ended} session(s) of {username} ended")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def users_set_password(username, password_stdin) -> None:
    """Set a user's password (also lifts a lock-out; other sessions of the user end)."""
    engine = _engine()
    try:
        users.set_password(engine, username, _read_password(password_stdin), by="cli")
    except users.UserError as exc:
        _fail(exc)
    click.echo(f"password of {username} set")


@users_cli.group("tokens")
def tokens_cli() -> None:
    """API tokens for analysts' scripts (sent as `Authorization: Bearer TOKEN` to /api/v1)."""


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. the script's name.")
@click.option("--days", type=int, default=None, help="Lifetime in days (default: until revoked).")
def tokens_create(username, name, days) -> None:
    """Create a token; it is printed once and cannot be shown again."""
    try:
        token_id, token = tokens.create_token(_engine(), username, name, days, by="cli")
    except users.UserError as exc:
        _fail(exc)
    click.echo(f"token {token_id} for {username} ({name}); copy it now, it is not shown again:")
    click.echo(token)


@tokens_cli.command("list")
@click.option("--user", "username", default=None, help="Only this user's tokens.")
def tokens_list(username) -> None:
    """Tokens (never the secret): id, owner, name, first characters, state, dates."""
    frame = tokens.list_tokens(_engine(), username)
    if frame.empty:
        click.echo("no tokens")
        return
    click.echo(f"{'id':>4}  {'user':<20} {'prefix':<9} {'status':<8} {'expires':<12} {'last used':<12} name")
    for r in frame.itertuples():
        expires = "-" if _missing(r.expires_at) else r.expires_at.strftime("%Y-%m-%d")
        used = "-" if _missing(r.last_used_at) else r.last_used_at.strftime("%Y-%m-%d")
        click.echo(f"{r.id:>4}  {r.username:<20} {r.prefix:<9} {r.status:<8} {expires:<12} {used:<12} {r.name}")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id) -> None:
    """Revoke a token by its id (see `tokens list`)."""
    if not tokens.revoke_token(_engine(), token_id, by="cli"):
        _fail(ValueError(f"no live token {token_id}"))
    click.echo(f"token {token_id} revoked")


COMMANDS = {"db": db, "score": score, "export": export_cmd, "users": users_cli}
