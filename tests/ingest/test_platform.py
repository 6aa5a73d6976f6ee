"""The platform API adapter against a real HTTP server on loopback (the simulator's, with injected faults)."""
import logging
import re
import time

import pytest
from sqlalchemy import func, select

from ingest.platform import PlatformConfig, run_platform
from ingest.simulator.platform_server import PlatformServer
from warehouse.models import AnnualMeeting, Cooperative, DigitalStatus, FinancialReport, IngestRun, SourceState

TOKEN = "rahasia-uji"


def coop(nik, name, updated):
    return {"nik": nik, "name": name, "regency_code": "5371", "type": "simpan_pinjam", "group": "Kopdit",
            "status": "active", "updated_at": updated}


def report(nik, period, assets, updated):
    return {"nik": nik, "period_end": period, "period_type": "month", "members": 100, "total_assets": assets,
            "total_liabilities": assets // 2, "equity": assets // 2, "submitted_on": period, "updated_at": updated}


def data():
    t = "2026-10-0{}T08:00:00+00:00"
    niks = [f"537100000010{i}" for i in range(3)]
    return {
        "cooperatives": [coop(n, f"KSP Kopdit Digital {i}", t.format(1)) for i, n in enumerate(niks)],
        "reports": [report(n, p, 1_000_000 * (i + 1), t.format(2)) for i, n in enumerate(niks)
                    for p in ("2026-07-31", "2026-08-31")],
        "meetings": [{"nik": niks[0], "fiscal_year": 2025, "held_on": "2026-03-14", "updated_at": t.format(3)}],
        "digital": [{"nik": n, "platform": "KEREN", "stage": "live", "stage_date": "2026-01-15",
                     "updated_at": t.format(4)} for n in niks],
    }


@pytest.fixture
def server():
    with PlatformServer(data(), token=TOKEN) as srv:
        yield srv


def config(server, **kw):
    base = {"base_url": server.base_url, "token": TOKEN, "page_size": 2, "backoff": 0.01, "timeout": 2.0}
    return PlatformConfig(**{**base, **kw})


def counts(engine):
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar()
                     for t in (Cooperative, FinancialReport, AnnualMeeting, DigitalStatus))


def watermark(engine):
    with engine.connect() as conn:
        return conn.execute(select(SourceState.watermark).where(SourceState.source == "platform")).scalar()


def test_pages_are_followed_and_everything_loads(engine, server):
    result = run_platform(engine, config(server))
    assert result.ok, result.message
    assert counts(engine) == (3, 6, 1, 3)
    report_pages = [r for r in server.requests if r["path"] == "/v1/reports"]
    assert len(report_pages) == 3  # 6 items, 2 per page
    assert all(r["authorization"] == f"Bearer {TOKEN}" for r in server.requests)
    assert watermark(engine) == "2026-10-04T08:00:00+00:00"


def test_second_run_asks_only_for_what_changed(engine, server):
    assert run_platform(engine, config(server)).ok
    server.clear_requests()
    newer = data()["reports"] + [report("5371000000100", "2026-09-30", 5_000_000, "2026-10-20T09:00:00+00:00")]
    server.set_items("reports", newer)
    result = run_platform(engine, config(server))
    assert result.ok and result.counts.loaded == 1 and result.counts.read == 1
    sent = {r["path"]: r["query"].get("updated_since") for r in server.requests}
    assert sent["/v1/reports"] == "2026-10-04T08:00:00+00:00"
    assert watermark(engine) == "2026-10-20T09:00:00+00:00"


def test_a_500_then_success_is_retried(engine, server, caplog):
    server.inject("reports", ("status", 500))
    server.inject("reports", ("status", 503))
    with caplog.at_level(logging.WARNING, logger="ingest.platform"):
        result = run_platform(engine, config(server))
    assert result.ok and counts(engine) == (3, 6, 1, 3)
    assert len([r for r in server.requests if r["path"] == "/v1/reports"]) == 5  # 2 failures + 3 pages
    retries = [re.sub(r"in [\d.]+ s$", "in … s", r.getMessage()) for r in caplog.records]
    assert retries == ["platform reports: HTTP 500; retry 1 of 4 in … s",
                       "platform reports: HTTP 503; retry 2 of 4 in … s"]


def test_429_waits_for_retry_after(engine, server):
    server.inject("meetings", ("retry_after", 1))
    started = time.monotonic()
    result = run_platform(engine, config(server))
    assert result.ok
    assert time.monotonic() - started >= 1.0


def test_a_timeout_is_retried_then_succeeds(engine, server):
    server.inject("digital", ("sleep", 1.5))
    result = run_platform(engine, config(server, timeout=0.5))
    assert result.ok and counts(engine) == (3, 6, 1, 3)


def test_timeouts_on_every_attempt_fail_the_run_and_load_nothing(engine, server):
    for _ in range(3):
        server.inject("digital", ("sleep", 1.0))
    result = run_platform(engine, config(server, timeout=0.3, attempts=3))
    assert result.status == "failed"
    assert result.message == "digital: timed out after 3 attempts (0.3 s each)"
    assert counts(engine) == (0, 0, 0, 0)  # cooperatives, reports and meetings had arrived: all or nothing
    assert watermark(engine) is None


def test_truncated_json_fails_the_run_with_a_clear_message(engine, server):
    server.inject("reports", ("truncated",))
    result = run_platform(engine, config(server))
    assert result.status == "failed"
    assert result.message.startswith("reports page 1: the response is not valid JSON (")
    assert counts(engine) == (0, 0, 0, 0)
    with engine.connect() as conn:
        run = conn.execute(select(IngestRun.status, IngestRun.error).where(IngestRun.id == result.run_id)).one()
    assert run.status == "failed" and run.error == result.message


def test_a_wrong_token_is_refused(engine, server):
    result = run_platform(engine, config(server, token="salah"))
    assert result.status == "failed"
    assert result.message == "cooperatives: the platform refused the token (HTTP 401); check PLATFORM_API_TOKEN"
    assert counts(engine) == (0, 0, 0, 0)


def test_a_page_that_never_ends_is_stopped(engine, server):
    server.inject("reports", ("endless",))
    result = run_platform(engine, config(server, max_pages=6))
    assert result.status == "failed"
    assert result.message == "reports: paging did not end after 6 pages; run stopped"
    assert counts(engine) == (0, 0, 0, 0)


def test_a_running_platform_ingest_blocks_a_second_one(engine, server):
    from ingest import locks

    owner = locks.acquire(engine, "platform")
    try:
        with pytest.raises(locks.SourceBusy):
            run_platform(engine, config(server))
    finally:
        locks.release(engine, "platform", owner)
    assert run_platform(engine, config(server)).ok
