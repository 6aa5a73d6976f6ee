"""The commands of the layer that speaks to people: `python app.py alerts send` (the daily digest now) and
`python app.py alerts list` (what a user would find on the Notifikasi page). app.py assembles them."""
from __future__ import annotations

import sys

import click

from settings import settings_or_exit


@click.group("alerts")
def alerts_cli() -> None:
    """Alerts: send the daily digest now, list the alerts a user sees."""


@alerts_cli.command("send")
@click.option("--user", "only", default=None, help="Only this user's digest.")
def alerts_send(only: str | None) -> None:
    """Send every user their new alerts by e-mail (what the scheduler does at 07:00 WITA). Nothing is sent when
    SMTP_URL is empty; an alert is never sent twice to the same user."""
    from layouts import digest
    from warehouse import migrate

    settings = settings_or_exit()
    engine = migrate.prepare(settings)
    if not settings.SMTP_URL:
        click.echo("SMTP_URL is empty: no e-mail sent (set it, e.g. smtp://127.0.0.1:25)")
        return
    summary = digest.send_digests(settings, engine, only=only)
    for username in summary.sent_users:
        click.echo(f"sent: {username}")
    for username in summary.failed:
        click.echo(f"not sent (the mail server refused or was unreachable; next time): {username}", err=True)
    size = f", {sum(summary.sizes) / len(summary.sizes) / 1024:.1f} KB each on average" if summary.sizes else ""
    click.echo(f"{summary.alerts} alert(s) to {len(summary.sent_users)} user(s){size}; "
               f"{summary.nothing_new} user(s) with nothing new")
    sys.exit(1 if summary.failed else 0)


@alerts_cli.command("list")
@click.option("--user", "username", default=None, help="What this user sees (their kabupaten, their rules).")
@click.option("--limit", default=20, show_default=True)
def alerts_list(username: str | None, limit: int) -> None:
    """The newest alerts (of one user's view)."""
    from indicators.vocabulary import wita_stamp
    from warehouse import alerts, migrate, users

    settings = settings_or_exit()
    engine = migrate.prepare(settings)
    regency, muted = None, ()
    if username:
        info = users.get_user(engine, username=username)
        if info is None:
            click.echo(f"error: no user {username}", err=True)
            sys.exit(1)
        regency, muted = info.regency_code, info.muted_rules
    frame = alerts.listing(engine, regency, muted, limit=limit)
    if frame.empty:
        click.echo("no alerts")
        return
    for r in frame.itertuples():
        click.echo(f"{wita_stamp(r.created_at):<20} {r.rule:<18} {r.regency_code:<5} {str(r.event_date)[:10]}  "
                   f"{r.subject:<14} {r.name or ''}")


COMMANDS = {"alerts": alerts_cli}
