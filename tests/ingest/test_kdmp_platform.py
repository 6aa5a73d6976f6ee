"""The platform's /v1/kdmp and /v1/mentoring endpoints through the real adapter: loaded with the run, validated like
the inbox; a platform that does not offer them (404) still loads the rest."""
import pytest
from sqlalchemy import func, select

from ingest.platform import PlatformConfig, run_platform
from ingest.simulator import platform_server
from ingest.simulator.platform_server import PlatformServer
from warehouse.models import Cooperative, KdmpProgress, Mentoring, Rejection

TOKEN = "rahasia-uji"
T = "2026-11-0{}T08:00:00+08:00"


def data():
    village = {"village_code": "5321012001", "village_name": "Barene", "village_type": "desa",
               "nik": "5321000000001", "musdesus_on": "2025-05-10", "deed_on": "2025-06-20", "ahu_on": "2025-07-15",
               "construction_pct": 40, "outlets": "kantor;sembako", "financing_scheme": "agrinas",
               "financing_plafond": 2_000_000_000, "financing_disbursed": 800_000_000}
    return {
        "cooperatives": [{"nik": "5321000000001", "name": "Koperasi Desa Merah Putih Barene", "regency_code": "5321",
                          "type": "konsumen", "group": "KSU", "status": "active", "membership_area": "kabupaten",
                          "programme": "kdmp", "village_code": "5321012001", "updated_at": T.format(1)}],
        "reports": [], "meetings": [], "digital": [],
        "kdmp": [{**village, "as_of": "2026-10-31", "updated_at": T.format(2)},
                 {**village, "as_of": "2026-11-02", "construction_pct": 55, "updated_at": T.format(3)},
                 {**village, "village_code": "9921012001", "as_of": "2026-11-02", "updated_at": T.format(3)}],
        "mentoring": [{"nik": "5321000000001", "village_code": None, "activity_date": "2026-11-03",
                       "kind": "kunjungan", "topic": "SIMKOPDES", "mentor": "BA-5321-01", "hours": 2,
                       "updated_at": T.format(4)}],
    }


def config(server):
    return PlatformConfig(server.base_url, TOKEN, page_size=2, backoff=0.01, timeout=2.0)


def test_the_platform_kdmp_and_mentoring_endpoints_load_with_the_run(engine):
    with PlatformServer(data(), token=TOKEN) as server:
        result = run_platform(engine, config(server))
    assert result.ok and (result.counts.loaded, result.counts.rejected) == (4, 1)
    with engine.connect() as conn:
        rows = conn.execute(select(KdmpProgress.as_of, KdmpProgress.construction_pct, KdmpProgress.source)
                            .order_by(KdmpProgress.as_of)).all()
        mentoring = conn.execute(select(Mentoring.subject, Mentoring.hours, Mentoring.source)).all()
        rejected = conn.execute(select(Rejection.source_file, Rejection.row_number)).all()
    assert [(str(r.as_of), r.construction_pct, r.source) for r in rows] == [("2026-10-31", 40.0, "platform"),
                                                                             ("2026-11-02", 55.0, "platform")]
    assert [tuple(m) for m in mentoring] == [("5321000000001", 2.0, "platform")]
    assert [(f.rsplit("/", 1)[-1], n) for f, n in rejected] == [("kdmp", 3)]  # the unknown kabupaten prefix


def test_a_platform_without_the_kdmp_endpoints_still_loads_its_other_datasets(engine, monkeypatch):
    # the platform of 2025: only the four first endpoints; /v1/kdmp and /v1/mentoring answer 404
    monkeypatch.setattr(platform_server, "ENDPOINTS", ("cooperatives", "reports", "meetings", "digital"))
    with PlatformServer(data(), token=TOKEN) as server:
        result = run_platform(engine, config(server))
        asked = {r["path"] for r in server.requests}
    assert result.ok and result.counts.loaded == 1
    assert {"/v1/kdmp", "/v1/mentoring"} <= asked
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Cooperative)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(KdmpProgress)).scalar() == 0


@pytest.mark.parametrize("endpoint", ["reports"])
def test_a_required_endpoint_answering_404_still_fails_the_run(engine, monkeypatch, endpoint):
    monkeypatch.setattr(platform_server, "ENDPOINTS", ("cooperatives", "meetings", "digital", "kdmp", "mentoring"))
    with PlatformServer(data(), token=TOKEN) as server:
        result = run_platform(engine, config(server))
    assert result.status == "failed" and "reports" in result.message and "404" in result.message
