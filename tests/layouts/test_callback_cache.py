"""Whole callback answers come from the cache for the same inputs, language, role and kabupaten scope on the same data
version — and never across any of them, never for pages that opt out, never for a reader the page refuses; a new
data version renders afresh. SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import requests

from layouts.callback_cache import HIT_HEADER
from layouts.i18n import LANG_COOKIE
from tests.layouts.test_auth import serve_with_auth
from tests.support.auth import PASSWORD, dash_post, login, router_body
from tests.support.auth import cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from tests.support.pages import make_app
from tests.support.sql import add_cooperatives
from warehouse import db, users

pytestmark = pytest.mark.usefixtures("cheap_hashes")


def post(client, path: str, search: str = ""):
    return client.post("/_dash-update-component", json=router_body(path, search))


def test_the_same_page_twice_is_one_render(province_url, settings_for):
    client = make_app(province_url, settings_for).server.test_client()
    first = post(client, "/peta", "?kab=5371")
    second = post(client, "/peta", "?kab=5371")
    assert first.status_code == second.status_code == 200
    assert (first.headers[HIT_HEADER], second.headers[HIT_HEADER]) == ("miss", "hit")
    assert first.get_data() == second.get_data()
    # other inputs, another language: their own answers
    assert post(client, "/peta", "?kab=5310").headers[HIT_HEADER] == "miss"
    client.set_cookie(LANG_COOKIE, "en")
    english = post(client, "/peta", "?kab=5371")
    assert english.headers[HIT_HEADER] == "miss" and english.get_data() != first.get_data()
    client.delete_cookie(LANG_COOKIE)


def test_a_new_data_version_renders_afresh(db_url, engine, settings_for):
    client = make_app(db_url, settings_for).server.test_client()
    assert post(client, "/").headers[HIT_HEADER] == "miss"
    assert post(client, "/").headers[HIT_HEADER] == "hit"
    with engine.begin() as conn:
        db.bump_data_version(conn)  # what every load and refresh does
    assert post(client, "/").headers[HIT_HEADER] == "miss"


def test_pages_that_opt_out_are_never_cached(db_url, engine, settings_for):
    client = make_app(db_url, settings_for).server.test_client()
    for path in ("/admin", "/ekspor"):
        for _ in range(2):
            assert HIT_HEADER not in post(client, path).headers


def test_answers_never_cross_roles_or_kabupaten(db_url, engine, settings_for):
    add_cooperatives(engine, {"5371000000001": "5371", "5310000000002": "5310"})
    users.add_user(engine, "pejabat", PASSWORD, "official")
    users.add_user(engine, "petugas", PASSWORD, "official", regency_code="5371")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        official, _ = login(base, "pejabat")
        officer, _ = login(base, "petugas")
        body = router_body("/peringkat", "?tampil=koperasi")
        province_wide = dash_post(official, base, body)
        assert province_wide.headers[HIT_HEADER] == "miss"
        assert dash_post(official, base, body).headers[HIT_HEADER] == "hit"
        scoped = dash_post(officer, base, body)  # a kabupaten officer: never the province's answer
        assert scoped.status_code == 200 and scoped.headers[HIT_HEADER] == "miss"
        assert dash_post(officer, base, body).headers[HIT_HEADER] == "hit"
        public = dash_post(requests.Session(), base, body)  # not logged in: the log-in panel, never a cached page
        assert public.headers[HIT_HEADER] == "miss" and public.content != province_wide.content
        assert 'login' in public.text


def test_a_page_is_cached_but_its_audited_downloads_always_run(province_url, settings_for):
    from warehouse import read_missing
    from warehouse.db import make_engine

    client = make_app(province_url, settings_for).server.test_client()
    assert [post(client, "/belum-melapor").headers[HIT_HEADER] for _ in range(2)] == ["miss", "hit"]
    engine = make_engine(province_url)
    period = max(read_missing.periods(engine))
    engine.dispose()
    body = {"output": "mr-call-download.data", "outputs": {"id": "mr-call-download", "property": "data"},
            "inputs": [{"id": "mr-call-list", "property": "n_clicks", "value": 1}],
            "state": [{"id": "mr-query", "property": "data", "value": {"periode": f"{period:%Y-%m}", "kab": None,
                                                                       "cakupan": "daerah"}}],
            "changedPropIds": ["mr-call-list.n_clicks"]}
    for _ in range(2):  # a call list each time (and its audit entry), never a stored answer
        answer = client.post("/_dash-update-component", json=body)
        assert answer.status_code == 200 and "belum-melapor_" in answer.get_data(as_text=True)
        assert HIT_HEADER not in answer.headers
