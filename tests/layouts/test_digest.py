"""The daily digest against a real SMTP server on loopback (aiosmtpd), on the small province's own alerts, on SQLite
and PostgreSQL: a kabupaten officer's digest holds only their kabupaten, an official's the province, a second send
sends nothing new, switched-off rules stay out, the unsubscribe link stops it, and nothing is sent (or marked sent)
while SMTP_URL is empty."""
from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from layouts import digest
from tests.conftest import build_province, throwaway_pg_database
from tests.support.auth import PASSWORD, use_cheap_hashes
from warehouse import alerts, users
from warehouse.db import engine_for


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", inbox
    finally:
        controller.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def province(request, tmp_path_factory, pg_database):
    """A private copy of the small province (this module sends mail and marks alerts sent)."""
    if request.param == "sqlite":
        base = tmp_path_factory.mktemp("digest-sqlite")
        yield build_province(f"sqlite:///{base / 'province.db'}", base / "files")
        return
    with throwaway_pg_database("pantau_digest") as (_name, url, _admin):
        yield build_province(url, tmp_path_factory.mktemp("digest-pg") / "files")
        engine_for(url).dispose()
        engine_for.cache_clear()


@pytest.fixture
def people(province, monkeypatch):
    """The Kota Kupang officer and a province official, each with an address; every delivery of earlier tests
    forgotten."""
    from sqlalchemy import delete, update

    from warehouse.models import AlertDelivery, User

    use_cheap_hashes(monkeypatch)
    engine = engine_for(province)
    with engine.begin() as conn:
        conn.execute(delete(AlertDelivery))
        conn.execute(update(User).values(digest=True, muted_rules=None))
    for name, role, regency in (("kota.kupang", "official", "5371"), ("pejabat", "official", None)):
        if users.get_user(engine, username=name) is None:
            users.add_user(engine, name, PASSWORD, role, regency, email=f"{name}@example.org")
    return engine


def subjects_of(message) -> list[str]:
    """The NIKs and village codes a digest lists (each listed row carries its code in the text part)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return [line.split("(", 1)[1].split(",", 1)[0] for line in text.splitlines() if line.startswith("- ")]


def test_the_officer_s_digest_holds_only_their_kabupaten_and_a_second_send_nothing_new(people, province, smtp,
                                                                                       settings_for):
    url, inbox = smtp
    engine = people
    settings = settings_for(province, SMTP_URL=url, PUBLIC_URL="https://pantau.example.go.id")
    visible = alerts.listing(engine, "5371")
    everything = alerts.listing(engine)
    assert len(visible) > 0 and len(everything) > len(visible)  # the province has alerts outside Kota Kupang
    summary = digest.send_digests(settings, engine)
    assert sorted(summary.sent_users) == ["kota.kupang", "pejabat"]
    by_address = {to[0]: message for to, message in inbox.messages}
    officer = by_address["kota.kupang@example.org"]
    listed = subjects_of(officer)
    assert listed and set(listed) <= set(visible["subject"])  # nothing of another kabupaten
    assert {code[:4] for code in listed} == {"5371"}  # (a NIK and a village code start with their kabupaten)
    assert len({code[:4] for code in subjects_of(by_address["pejabat@example.org"])}) > 1  # the official: province
    text = officer.get_body(preferencelist=("plain",)).get_content()
    assert f"{len(visible)} peringatan baru" in officer["Subject"] and "Kota Kupang" in officer["Subject"]
    assert "https://pantau.example.go.id/berhenti-langganan/" in text
    assert officer["List-Unsubscribe"].startswith("<https://pantau.example.go.id/berhenti-langganan/")
    assert officer["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "DATA SIMULASI" in text
    assert officer.get_body(preferencelist=("html",)) is not None
    assert summary.alerts == len(visible) + len(everything)
    assert alerts.delivered(engine, users.get_user(engine, username="kota.kupang").id) == len(visible)

    again = digest.send_digests(settings, engine)
    assert again.sent_users == [] and again.alerts == 0 and len(inbox.messages) == 2


def test_switched_off_rules_stay_out_and_the_unsubscribe_link_stops_the_digest(people, province, smtp,
                                                                               settings_for):
    url, inbox = smtp
    engine = people
    settings = settings_for(province, SMTP_URL=url)
    users.set_alert_preferences(engine, "kota.kupang", ["rat_overdue"], True, alerts.RULES)
    digest.send_digests(settings, engine, only="kota.kupang")
    [(_to, message)] = inbox.messages
    assert "RAT lewat batas waktu" not in message.get_body(preferencelist=("plain",)).get_content()
    assert set(subjects_of(message)) <= set(alerts.listing(engine, "5371", ("rat_overdue",))["subject"])

    officer = users.get_user(engine, username="kota.kupang")
    token = digest.unsubscribe_token(settings.SECRET_KEY, officer.id)
    assert digest.user_of_token(settings.SECRET_KEY, token) == officer.id
    assert digest.user_of_token(settings.SECRET_KEY, token + "x") is None  # a forged token is refused
    from app import create_app

    client = create_app(settings).server.test_client()
    page = client.get(f"/berhenti-langganan/{token}")
    assert page.status_code == 200 and users.get_user(engine, username="kota.kupang").digest  # GET changes nothing
    done = client.post(f"/berhenti-langganan/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and not users.get_user(engine, username="kota.kupang").digest
    assert client.post(f"/berhenti-langganan/{token}x").status_code == 404
    assert "kota.kupang" not in alerts.recipients(engine)["username"].tolist()
    assert "pejabat" in alerts.recipients(engine)["username"].tolist()


def test_nothing_is_sent_or_marked_while_smtp_url_is_empty(people, province, settings_for):
    engine = people
    summary = digest.send_digests(settings_for(province, SMTP_URL=""), engine)
    assert summary.off and summary.sent_users == []
    assert alerts.delivered(engine, users.get_user(engine, username="pejabat").id) == 0


def test_a_mail_server_that_refuses_keeps_the_alerts_for_the_next_digest(people, province, settings_for):
    port = free_port()  # nothing listens there
    summary = digest.send_digests(settings_for(province, SMTP_URL=f"smtp://127.0.0.1:{port}"), people,
                                  only="pejabat")
    assert summary.failed == ["pejabat"]
    assert alerts.delivered(people, users.get_user(people, username="pejabat").id) == 0


def test_smtp_urls():
    assert digest.parse_smtp_url("smtps://kirim%40dinas:rahasia@mail.example.go.id:465") == digest.Smtp(
        "smtps", "mail.example.go.id", 465, "kirim@dinas", "rahasia")
    assert digest.parse_smtp_url("smtp://127.0.0.1:2525").port == 2525
    assert digest.parse_smtp_url("smtp+starttls://u:p@host").port == 587
