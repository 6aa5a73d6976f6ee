"""The simulated platform API: paging, updated_since, auth, injected faults, request log (spoken to with httpx)."""
from __future__ import annotations

import json
import time

import httpx
import pytest

from ingest.simulator.platform_server import PlatformServer, load_platform_dir, serve

TOKEN = "rahasia-uji"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _items(n: int) -> list[dict]:
    # updated_at spread over three days in WITA; two items share a timestamp to test the key tie-break
    out = []
    for k in range(n):
        stamp = f"2024-03-{10 + k // 10:02d}T{8 + k % 10:02d}:00:00+08:00"
        out.append({"nik": f"5371{k:09d}", "period_end": "2024-02-29", "total_assets": 1000 + k, "updated_at": stamp})
    out.append({"nik": "5301000000000", "period_end": "2024-02-29", "total_assets": 5, "updated_at": out[3]["updated_at"]})
    return out


@pytest.fixture()
def server():
    with PlatformServer({"reports": _items(25), "cooperatives": [], "meetings": [], "digital": []}, token=TOKEN) as s:
        yield s


def _all_pages(client: httpx.Client, base: str, **params) -> tuple[list[dict], int]:
    items, token, pages = [], None, 0
    while True:
        query = dict(params, **({"page_token": token} if token else {}))
        body = client.get(f"{base}/v1/reports", params=query, headers=AUTH).raise_for_status().json()
        items += body["items"]
        pages += 1
        token = body["next_page_token"]
        if token is None:
            return items, pages


def test_pages_cover_every_item_once_in_stable_order(server):
    with httpx.Client(timeout=5) as client:
        items, pages = _all_pages(client, server.base_url, page_size=7)
    assert pages == 4 and len(items) == 26
    keys = [(i["updated_at"], i["nik"]) for i in items]
    assert keys == sorted(keys) and len(set(keys)) == 26
    assert server.base_url.startswith("http://127.0.0.1:")


def test_updated_since_returns_only_newer_items(server):
    with httpx.Client(timeout=5) as client:
        newer, _ = _all_pages(client, server.base_url, updated_since="2024-03-11T12:00:00+08:00", page_size=100)
        utc, _ = _all_pages(client, server.base_url, updated_since="2024-03-11T04:00:00Z", page_size=100)
    assert [i["nik"] for i in newer] == [i["nik"] for i in utc]
    assert all(i["updated_at"] > "2024-03-11T12:00:00+08:00" for i in newer) and len(newer) == 10


def test_missing_or_wrong_token_is_401_json_and_unknown_path_404(server):
    with httpx.Client(timeout=5) as client:
        none = client.get(f"{server.base_url}/v1/reports")
        wrong = client.get(f"{server.base_url}/v1/reports", headers={"Authorization": "Bearer salah"})
        missing = client.get(f"{server.base_url}/v1/anggota", headers=AUTH)
        bad = client.get(f"{server.base_url}/v1/reports", params={"page_token": "!!"}, headers=AUTH)
    assert none.status_code == wrong.status_code == 401 and none.json()["error"] == "unauthorized"
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert bad.status_code == 400


def test_injected_faults_are_served_in_order_then_normal_answers(server):
    server.inject("reports", ("status", 500))
    server.inject("reports", ("retry_after", 2))
    server.inject("reports", ("truncated",))
    url = f"{server.base_url}/v1/reports"
    with httpx.Client(timeout=5) as client:
        first = client.get(url, headers=AUTH)
        second = client.get(url, headers=AUTH)
        third = client.get(url, headers=AUTH)
        fourth = client.get(url, headers=AUTH)
    assert first.status_code == 500
    assert second.status_code == 429 and second.headers["Retry-After"] == "2"
    assert third.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(third.content)
    assert fourth.status_code == 200 and len(fourth.json()["items"]) == 26


def test_sleep_fault_provokes_a_client_timeout(server):
    server.inject("reports", ("sleep", 1.0))
    with httpx.Client(timeout=0.3) as client:
        with pytest.raises(httpx.TimeoutException):
            client.get(f"{server.base_url}/v1/reports", headers=AUTH)
        time.sleep(0.8)
        assert client.get(f"{server.base_url}/v1/reports", headers=AUTH).status_code == 200


def test_endless_fault_never_ends_until_cleared(server):
    server.inject("reports", ("endless",))
    url = f"{server.base_url}/v1/reports"
    tokens = []
    with httpx.Client(timeout=5) as client:
        token = None
        for _ in range(8):
            body = client.get(url, params={"page_size": 10, **({"page_token": token} if token else {})}, headers=AUTH).json()
            token = body["next_page_token"]
            tokens.append(token)
            assert body["items"]
        server.clear_faults("reports")
        final = client.get(url, params={"page_size": 100}, headers=AUTH).json()
    assert all(tokens) and len(set(tokens)) == len(tokens)
    assert final["next_page_token"] is None


def test_request_log_records_what_the_client_sent(server):
    with httpx.Client(timeout=5) as client:
        client.get(f"{server.base_url}/v1/reports", params={"updated_since": "2024-01-01T00:00:00+08:00", "page_size": 3}, headers=AUTH)
    last = server.requests[-1]
    assert last["method"] == "GET" and last["path"] == "/v1/reports"
    assert last["query"] == {"updated_since": "2024-01-01T00:00:00+08:00", "page_size": "3"}
    assert last["authorization"] == f"Bearer {TOKEN}"


def test_serves_the_written_platform_folder(written):
    manifest, out = written
    data = load_platform_dir(out / "platform")
    assert len(data["reports"]) == manifest.data["counts"]["laporan_keuangan"]["platform"]["rows"]
    server = serve(out / "platform", token=TOKEN)
    try:
        with httpx.Client(timeout=10) as client:
            body = client.get(f"{server.base_url}/v1/cooperatives", params={"page_size": 5000}, headers=AUTH).json()
            digital = client.get(f"{server.base_url}/v1/digital", params={"page_size": 1}, headers=AUTH).json()
    finally:
        server.stop()
    assert len(body["items"]) == manifest.data["platform_cooperatives"] and body["next_page_token"] is None
    assert {"nik", "name", "regency_code", "status", "updated_at"} <= set(body["items"][0])
    assert len(digital["items"]) == 1 and digital["next_page_token"]
