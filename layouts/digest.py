"""The daily digest: each user's new alerts by e-mail, in their language, at 07:00 WITA (the scheduler's job, which
app.py adds) and on `python app.py alerts send`.

Who gets what: every active user with an e-mail address who has not unsubscribed; a kabupaten officer the alerts of
their kabupaten/kota, everyone else the province's; never a rule the user switched off, never an alert already sent
to them (warehouse/alerts.py claims the alerts before the message goes out, and gives them back when the mail server
does not take it). Nothing is sent — and nothing marked sent — while SMTP_URL is empty. Every message carries an
unsubscribe link (and the List-Unsubscribe headers of RFC 2369/8058); the link's token is signed with SECRET_KEY.
"""
from __future__ import annotations

import html as html_text
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

import flask
import pandas as pd
from itsdangerous import BadSignature, URLSafeSerializer

from layouts import notices
from layouts.i18n import fmt_date, fmt_int, t
from settings import Settings
from warehouse import alerts, audit, db, queries, users

log = logging.getLogger("pantau.digest")
JOB_ID = "alerts-digest"
CRON = "0 7 * * *"  # 07:00 WITA, every day (the scheduler's time zone)
LISTED = 25  # alerts listed per rule in one message; the rest are counted and linked
UNSUBSCRIBE_PATH = "/berhenti-langganan"
TIMEOUT_S = 30


@dataclass
class Summary:
    """What one send did: users written to, alerts sent, users skipped (nothing new), failures, the bytes of each
    message, and why nothing was sent at all (smtp_off)."""

    sent_users: list[str] = field(default_factory=list)
    alerts: int = 0
    nothing_new: int = 0
    failed: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    off: bool = False


# ------------------------------------------------------------------------------------------------- the transport
@dataclass(frozen=True)
class Smtp:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> Smtp:
    """smtp://host:25, smtp+starttls://user:pass@host:587, smtps://user:pass@host:465 (user and password
    percent-encoded)."""
    parts = urlsplit(url)
    default = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}[parts.scheme]
    return Smtp(parts.scheme, parts.hostname or "127.0.0.1", parts.port or default,
                unquote(parts.username) if parts.username else None,
                unquote(parts.password) if parts.password else None)


def connect(url: str) -> smtplib.SMTP:
    server = parse_smtp_url(url)
    if server.scheme == "smtps":
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_S, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
        if server.scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
    if server.username:
        client.login(server.username, server.password or "")
    return client


# ------------------------------------------------------------------------------------------------ the message
def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="pantau-unsubscribe")


def unsubscribe_token(secret: str, user_id: int) -> str:
    return _serializer(secret).dumps(int(user_id))


def user_of_token(secret: str, token: str) -> int | None:
    try:
        value = _serializer(secret).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _area(regency: str | None, names: dict, lang: str) -> str:
    return names.get(regency, regency) if regency else t("digest.province", lang)


def compose(user: dict, frame: pd.DataFrame, settings: Settings, regency_names: dict, now: datetime | None = None,
            simulated: bool = False) -> EmailMessage:
    """One user's digest: their new alerts by rule (the first LISTED of each listed, all counted), links to the app,
    and the unsubscribe link; a text part and an HTML part in the user's language."""
    lang = user.get("language") if user.get("language") in ("id", "en") else settings.LANGUAGE
    base = settings.public_url
    now = now or db.utcnow()
    area = _area(user.get("regency_code"), regency_names, lang)
    unsubscribe = f"{base}{UNSUBSCRIBE_PATH}/{unsubscribe_token(settings.SECRET_KEY, user['id'])}"
    subject = t("digest.subject", lang, n=fmt_int(len(frame), lang), area=area, date=fmt_date(now, lang))
    intro = t("digest.intro", lang, name=user.get("full_name") or user["username"], n=fmt_int(len(frame), lang),
              area=area)
    title = t("digest.title", lang, office=settings.OFFICE_NAME)
    text_lines = [title, "=" * len(title), "", intro, ""]
    html_parts = [f"<h2 style=\"margin-bottom:2px\">Pantau Koperasi NTT</h2><p style=\"margin-top:0;color:#555\">"
                  f"{html_text.escape(title)}</p><p>{html_text.escape(intro)}</p>"]
    if simulated:
        note = t("digest.simulated", lang)
        text_lines += [note, ""]
        html_parts.append(f'<p style="background:#fff3cd;padding:6px"><b>{html_text.escape(note)}</b></p>')
    for rule in notices.RULES:
        part = frame.loc[frame["rule"] == rule]
        if part.empty:
            continue
        heading = f"{notices.rule_label(rule, lang)} ({fmt_int(len(part), lang)})"
        text_lines += [heading, "-" * len(heading)]
        rows = []
        for r in part.head(LISTED).itertuples(index=False):
            where = f"{base}{notices.subject_path(r.subject_kind, r.subject, r.regency_code)}"
            what = notices.detail_text(rule, r.detail, lang)
            name = r.name or r.subject
            regency = r.regency or r.regency_code
            text_lines.append(f"- {name} ({r.subject}, {regency}) — {what} — {fmt_date(r.event_date, lang)}\n  {where}")
            rows.append(f'<tr><td><a href="{html_text.escape(where)}">{html_text.escape(str(name))}</a>'
                        f'<br><small>{html_text.escape(str(r.subject))}</small></td>'
                        f"<td>{html_text.escape(str(regency))}</td><td>{html_text.escape(what)}</td>"
                        f"<td>{html_text.escape(fmt_date(r.event_date, lang))}</td></tr>")
        more = ""
        if len(part) > LISTED:
            more = t("digest.more", lang, n=fmt_int(len(part) - LISTED, lang))
            text_lines.append(f"  {more}: {base}/notifikasi?aturan={rule}")
        text_lines.append("")
        head = "".join(f"<th align=left>{html_text.escape(text)}</th>" for text in
                       (t("digest.col.subject", lang), t("digest.col.regency", lang), t("digest.col.what", lang),
                        t("digest.col.date", lang)))
        html_parts.append(f"<h3 style=\"margin-bottom:4px\">{html_text.escape(heading)}</h3>"
                          f"<p style=\"margin-top:0;color:#555\"><small>"
                          f"{html_text.escape(notices.rule_description(rule, lang))}</small></p>"
                          f"<table cellpadding=4 style=\"border-collapse:collapse\" border=1><tr>{head}</tr>"
                          f"{''.join(rows)}</table>"
                          + (f'<p><a href="{base}/notifikasi?aturan={rule}">{html_text.escape(more)}</a></p>'
                             if more else ""))
    footer = [t("digest.footer.all", lang, url=f"{base}/notifikasi"),
              t("digest.footer.settings", lang, url=f"{base}/admin"),
              t("digest.footer.unsubscribe", lang, url=unsubscribe)]
    text_lines += ["--", *footer, "", settings.OFFICE_NAME]
    html_parts.append("<hr><p><small>" + "<br>".join(
        html_text.escape(line).replace(html_text.escape(url), f'<a href="{html_text.escape(url)}">'
                                                               f'{html_text.escape(url)}</a>')
        for line, url in zip(footer, (f"{base}/notifikasi", f"{base}/admin", unsubscribe)))
                      + f"<br><br>{html_text.escape(settings.OFFICE_NAME)}</small></p>")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.MAIL_FROM
    message["To"] = formataddr((user.get("full_name") or user["username"], user["email"]))
    message["Message-ID"] = make_msgid(domain="pantau-koperasi")
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Content-Language"] = lang
    message.set_content("\n".join(text_lines))
    message.add_alternative(f"<html><body style=\"font-family:sans-serif\">{''.join(html_parts)}</body></html>",
                            subtype="html")
    return message


# ------------------------------------------------------------------------------------------------ sending
def send_digests(settings: Settings, engine=None, now: datetime | None = None, only: str | None = None) -> Summary:
    """Send every recipient (or only user `only`) their new alerts; see the module docstring."""
    summary = Summary()
    if not settings.SMTP_URL:
        summary.off = True
        return summary
    from warehouse.db import engine_for

    engine = engine or engine_for(settings.database_url)
    now = now or db.utcnow()
    names = queries.regencies.uncached(engine).set_index("code")["short_name"].to_dict()
    simulated = queries.status(engine).is_demo
    people = alerts.recipients(engine)
    if only is not None:
        people = people.loc[people["username"] == only]
    client = None
    try:
        for user in people.to_dict("records"):
            frame = alerts.pending(engine, user["id"], user["regency_code"] or None, user["muted"])
            if frame.empty:
                summary.nothing_new += 1
                continue
            ids = [int(i) for i in frame["id"]]
            if not alerts.claim(engine, user["id"], ids, now):
                continue  # another send took them: it writes this user
            message = compose(user, frame, settings, names, now, simulated)
            try:
                client = client or connect(settings.SMTP_URL)
                client.send_message(message)
            except (smtplib.SMTPException, OSError) as exc:
                alerts.release(engine, user["id"], ids)
                log.error("digest to %s not sent (%s): its alerts go in the next one", user["username"], exc)
                summary.failed.append(user["username"])
                client = _drop(client)
                continue
            summary.sent_users.append(user["username"])
            summary.alerts += len(ids)
            summary.sizes.append(len(message.as_bytes()))
            audit.audit(engine, "digest_sent", user["username"], {"alerts": len(ids), "email": user["email"],
                                                                  "bytes": summary.sizes[-1]})
    finally:
        _drop(client)
    return summary


def _drop(client):
    if client is not None:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            pass
    return None


def scheduled_send(settings: Settings) -> None:
    """The scheduler's 07:00 job: send, and log what was sent (a job must not die silently)."""
    try:
        summary = send_digests(settings)
    except Exception:
        log.exception("the daily digest failed")
        return
    if summary.off:
        log.info("daily digest: SMTP_URL is empty, nothing sent")
    else:
        log.info("daily digest: %d alerts to %d users, %d with nothing new, %d failed", summary.alerts,
                 len(summary.sent_users), summary.nothing_new, len(summary.failed))


# ------------------------------------------------------------------------------------------------ unsubscribe
def register_routes(server) -> None:
    """GET /berhenti-langganan/<token>: a page with one button (a mail scanner following the link changes nothing);
    POST: the digest stops (also RFC 8058's one-click POST from a mail client, which has no session: the signed
    token is the authority, so the route is exempt from the CSRF check)."""
    from layouts import context
    from layouts.access import templates

    def view(token: str):
        settings = context.settings()
        lang = context.lang()
        user_id = user_of_token(settings.SECRET_KEY, token)
        if user_id is None:
            return templates.render("error.html", t("unsub.bad.title", lang), 404, text=t("unsub.bad.text", lang))
        if flask.request.method == "POST":
            from layouts.access import client_ip

            username = users.unsubscribe(context.engine(), user_id, ip=client_ip())
            if username is None:
                return templates.render("error.html", t("unsub.bad.title", lang), 404,
                                        text=t("unsub.bad.text", lang))
            return templates.render("unsubscribe.html", t("unsub.done.title", lang), 200, done=True,
                                    text=t("unsub.done.text", lang, user=username))
        return templates.render("unsubscribe.html", t("unsub.ask.title", lang), 200, done=False,
                                text=t("unsub.ask.text", lang), button=t("unsub.button", lang),
                                action=f"{UNSUBSCRIBE_PATH}/{token}")

    server.add_url_rule(f"{UNSUBSCRIBE_PATH}/<token>", "unsubscribe", view, methods=["GET", "POST"])
    server.config["PANTAU_CSRF_EXEMPT"] = set(server.config.get("PANTAU_CSRF_EXEMPT", ())) | {"unsubscribe"}
