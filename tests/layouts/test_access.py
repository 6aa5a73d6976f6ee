"""The role matrix of the access rules (layouts/access), over real HTTP against the app served with
ACCESS_CONTROL=on, on SQLite and PostgreSQL (the small province of tests/support/province.py).

Roles: public (not logged in), official, analyst, admin, a kabupaten officer (official scoped to 5371) and a
kabupaten analyst (analyst scoped to 5310). For every role: every page rendered the way the browser does it (a POST
of Dash's pages router callback), every page callback sent directly (also crafted for another kabupaten), the
rankings' row endpoint, every /api/v1 dataset as CSV and JSON, bearer tokens (valid, revoked, expired), a tampered
session cookie, brute-force lock-out, CSRF, and the audit rows every export writes. Cooperative NIKs in an answer
are collected and mapped to their kabupaten through the warehouse: an officer never gets another kabupaten's.

Over 400 lines on purpose: the whole matrix shares one module-scoped `env` (the app served once per backend, every
role logged in once), which a split would build again for each part."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import requests
from sqlalchemy import insert, text

from settings import load_settings
from tests.conftest import BACKENDS
from tests.support.auth import PASSWORD, ROUTER, dash_post, login, router_body, use_cheap_hashes
from tests.support.server import app_served
from tests.support.sql import add_cooperatives
from warehouse import audit, db, export as ex, tokens
from warehouse import users
from warehouse.db import engine_for
from warehouse.models import Rejection

OWN = {"officer-5371": "5371", "analyst-5310": "5310"}
OTHER = {"officer-5371": "5310", "analyst-5310": "5371"}
# role name → (role, kabupaten scope, username); usernames are unique to this module (the province is shared)
ROLES = {
    "public": None,
    "official": ("official", None, "acc-official"),
    "analyst": ("analyst", None, "acc-analyst"),
    "admin": ("admin", None, "acc-admin"),
    "officer-5371": ("official", "5371", "acc-kupang"),
    "analyst-5310": ("analyst", "5310", "acc-manggarai"),
}
RANK = {"public": 0, "official": 1, "analyst": 2, "admin": 3}
# The rule per page module: the weakest role that may open it.
PAGE_ROLE = {"overview": "public", "map": "public", "digital": "public", "methodology": "public", "kdmp": "public",
             "rankings": "official", "profile": "official", "data_quality": "official",
             "export": "analyst", "admin": "official", "upload": "official", "notifications": "official",
             "missing": "official"}
# An element id (or class) only the page's own content has.
PAGE_MARK = {"overview": "ov-cards", "map": "map-ranking", "digital": "digital-regencies",
             "methodology": "methodology", "rankings": "rankings-view-kabupaten", "profile": "profile-name",
             "data_quality": "rep-tabs", "export": "export-page", "admin": "adm-you", "kdmp": "kdmp-page",
             "upload": "up-files", "notifications": "notifications-page", "missing": "missing-page"}
# The views rendered for every role (besides each page's plain path): both kabupaten filters, the cooperative lists.
VIEWS = {
    "overview": ["?kab=5371", "?kab=5310", "?peringatan=no_rat", "?peringatan=no_rat&kab=5310"],
    "map": ["?kab=5371", "?kab=5310"],
    "digital": ["?kab=5371", "?kab=5310"],
    "kdmp": ["?kab=5371", "?kab=5310", "?daftar=semua", "?daftar=semua&kab=5310"],
    "methodology": [],
    "rankings": ["?tampilan=koperasi", "?tampilan=koperasi&kab=5371", "?tampilan=koperasi&kab=5310"],
    "data_quality": ["?tab=terlambat", "?tab=terlambat&kab=5310", "?tab=terlambat&kab=5371", "?tab=impor",
                     "?tab=ditolak"],
    "export": ["?dataset=registry", "?dataset=registry&kab=5310", "?dataset=registry&kab=5371",
               "?dataset=snapshots", "?dataset=regency_indicators"],
    "admin": [],
    "upload": [],
    "notifications": ["?aturan=rat_overdue", "?aturan=stopped_reporting"],
    "missing": ["?kab=5371", "?kab=5310"],
}
NIK_RE = re.compile(r"(?<![\d.])\d{13}(?![\d.])")


# ---------------------------------------------------------------------------------------------------- helpers
@dataclass
class Env:
    backend: str
    base: str
    app: object
    engine: object
    sessions: dict
    regency_of: dict  # every NIK → its kabupaten
    snapshot: object  # the latest snapshot period


def marks(node, found: set | None = None) -> set:
    """Every string id and className word in a rendered Dash tree."""
    found = set() if found is None else found
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), str):
                found.add(props["id"])
            if isinstance(props.get("className"), str):
                found.update(props["className"].split())
        for value in node.values():
            marks(value, found)
    elif isinstance(node, list):
        for value in node:
            marks(value, found)
    return found


def render(env: Env, session, path: str, search: str = "") -> tuple[int, str, set]:
    answer = dash_post(session, env.base, router_body(path, search))
    if answer.status_code != 200:
        return answer.status_code, answer.text, set()
    content = answer.json()["response"]["_pages_content"]["children"]
    return 200, json.dumps(content, ensure_ascii=False), marks(content)  # Dash writes "/" as \u002f


def niks_in(env: Env, body: str) -> set[str]:
    """The registered cooperatives an answer names."""
    return {n for n in NIK_RE.findall(body) if n in env.regency_of}


def regencies_in(env: Env, body: str) -> set[str]:
    return {env.regency_of[n] for n in niks_in(env, body)}


def audit_rows(engine, since_id: int) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, action, username, detail FROM audit_log WHERE id > :i ORDER BY id"),
                            {"i": since_id}).mappings().all()
    return [dict(r) for r in rows]


def last_audit_id(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM audit_log")).scalar_one()


@pytest.fixture(scope="module", params=BACKENDS)
def env(request, province_urls, tmp_path_factory):
    """One app per backend for the whole module, the users created once (only if absent), everyone logged in."""
    url = province_urls[request.param]
    engine = engine_for(url)
    with pytest.MonkeyPatch.context() as mp:
        use_cheap_hashes(mp)  # tests hash cheaply (the production setting has its own test)
        for spec in ROLES.values():
            if spec is not None and users.get_user(engine, username=spec[2]) is None:
                users.add_user(engine, spec[2], PASSWORD, spec[0], spec[1])
        settings = load_settings(DATABASE_URL=url, DATA_DIR=tmp_path_factory.mktemp(f"access-{request.param}"),
                                 SCHEDULER="off", ACCESS_CONTROL="on")
        with engine.connect() as conn:
            regency_of = dict(conn.execute(text("SELECT nik, regency_code FROM cooperatives")).all())
            snapshot = conn.execute(text("SELECT MAX(period_end) FROM cooperative_snapshots")).scalar_one()
        with app_served(settings) as (base, app):  # create_app installs access control (ACCESS_CONTROL=on)
            sessions = {"public": requests.Session()}
            for name, spec in ROLES.items():
                if spec is not None:
                    session, answer = login(base, spec[2])
                    assert answer.status_code == 302, (name, answer.text[:300])
                    sessions[name] = session
            yield Env(request.param, base, app, engine, sessions, regency_of, snapshot)


def allowed(role_name: str, page: str) -> bool:
    role = "public" if ROLES[role_name] is None else ROLES[role_name][0]
    return RANK[role] >= RANK[PAGE_ROLE[page]]


def pick_nik(env: Env, regency: str) -> str:
    return min(n for n, r in env.regency_of.items() if r == regency)


# ------------------------------------------------------------------------------------------- the page matrix
def test_every_registered_page_is_in_the_matrix(env):
    import dash

    from layouts import access

    modules = {name.rsplit(".", 1)[-1] for name in dash.page_registry}
    assert modules == set(PAGE_ROLE), "a page was added or removed: give it a row in PAGE_ROLE/PAGE_MARK/VIEWS"
    assert {m: access.page_role(m) for m in modules} == PAGE_ROLE


def test_page_rules_are_read_from_each_pages_registration(env, monkeypatch):
    """The rule is the page's own PAGE["access"] as registered in dash.page_registry, read at each request: raising
    it there closes the page (and the routes that belong to it) without another table to update."""
    import importlib

    import dash

    from layouts import access

    declared = {name.rsplit(".", 1)[-1]: importlib.import_module(name).PAGE["access"] for name in dash.page_registry}
    assert declared == PAGE_ROLE  # every page declares its rule on itself
    monkeypatch.setitem(dash.page_registry["layouts.pages.methodology"], "access", "admin")
    assert access.page_role("methodology") == "admin"
    _, _, found = render(env, env.sessions["analyst"], "/metodologi")
    assert "auth-denied" in found and PAGE_MARK["methodology"] not in found
    assert PAGE_MARK["methodology"] in render(env, env.sessions["admin"], "/metodologi")[2]
    # The rankings' rows route follows the rankings page's registration (the rows stay behind view_cooperatives).
    rows = f"{env.base}/peringkat/koperasi.json?tampilan=koperasi"
    assert env.sessions["public"].get(rows).status_code == 401
    monkeypatch.setitem(dash.page_registry["layouts.pages.rankings"], "access", "public")
    opened = env.sessions["public"].get(rows)
    assert opened.status_code == 200 and opened.json() == []


def test_every_action_decides_something(env, monkeypatch):
    """Each action of the policy is checked somewhere: moving its weakest role moves what a reader gets."""
    from layouts.access import policy

    s = env.sessions
    checked = set()
    # view_cooperatives: the map drill-down's cooperative list.
    assert "map-coop-grid" in render(env, s["official"], "/peta", "?kab=5310")[2]
    monkeypatch.setitem(policy.ACTIONS, "view_cooperatives", "analyst")
    _, body, found = render(env, s["official"], "/peta", "?kab=5310")
    assert "map-coops-hidden" in found and not niks_in(env, body)
    checked.add("view_cooperatives")
    # export: /api/v1 data with a logged-in session.
    registry = f"{env.base}/api/v1/registry.json"
    assert s["analyst"].get(registry).status_code == 200
    monkeypatch.setitem(policy.ACTIONS, "export", "admin")
    assert s["analyst"].get(registry).status_code == 403 and s["admin"].get(registry).status_code == 200
    checked.add("export")
    # api: /api/v1 with a bearer token.
    token_id, token = tokens.create_token(env.engine, "acc-analyst", f"actions-{env.backend}")
    bearer = {"Authorization": f"Bearer {token}"}
    try:
        assert requests.get(registry, headers=bearer).status_code == 200
        monkeypatch.setitem(policy.ACTIONS, "api", "admin")
        assert requests.get(registry, headers=bearer).status_code == 403
    finally:
        tokens.revoke_token(env.engine, token_id)
    checked.add("api")
    # manage_users: the users and the audit log on the account page.
    assert "adm-audit" not in render(env, s["analyst"], "/admin")[2]
    monkeypatch.setitem(policy.ACTIONS, "manage_users", "analyst")
    assert "adm-audit" in render(env, s["analyst"], "/admin")[2]
    checked.add("manage_users")
    assert checked == set(policy.ACTIONS), "an action nothing checks: check it where it applies, or delete it"


@pytest.mark.parametrize("role_name", list(ROLES))
def test_pages_per_role(env, role_name):
    """Every page and view: allowed → the page's content; refused → the login or not-allowed panel; an officer's
    answers name only cooperatives of their kabupaten; nobody logged out sees a single cooperative."""
    import dash

    session = env.sessions[role_name]
    problems = []
    paths = {}
    for module, page in dash.page_registry.items():
        short = module.rsplit(".", 1)[-1]
        if short == "profile":
            for regency in ("5371", "5310"):
                paths[(short, f"/koperasi/{pick_nik(env, regency)}")] = [""]
        else:
            paths[(short, page["path"])] = ["", *VIEWS[short]]
    for (page, path), searches in paths.items():
        for search in searches:
            where = f"{role_name} {path}{search}"
            status, body, found = render(env, session, path, search)
            if status != 200:
                problems.append(f"{where}: HTTP {status}")
                continue
            named = niks_in(env, body)
            if allowed(role_name, page):
                if PAGE_MARK[page] not in found:
                    if not (page == "profile" and role_name in OWN and path.endswith(pick_nik(env, OTHER[role_name]))):
                        problems.append(f"{where}: page content {PAGE_MARK[page]} missing")
                # (a profile answers "not found" for another kabupaten's NIK and may repeat the NIK that was asked)
                shown = named - {path.rsplit("/", 1)[-1]} if page == "profile" else named
                if role_name in OWN and not {env.regency_of[n] for n in shown} <= {OWN[role_name]}:
                    problems.append(f"{where}: cooperatives of {sorted({env.regency_of[n] for n in named})}")
            else:
                if "auth-denied" not in found or PAGE_MARK[page] in found:
                    problems.append(f"{where}: not refused")
                expected = "auth-login-link" if role_name == "public" else None
                if expected and expected not in found:
                    problems.append(f"{where}: no login link")
                requested = path.rsplit("/", 1)[-1]
                if named - {requested}:
                    problems.append(f"{where}: a refused page names cooperatives {sorted(named)[:3]}")
            if role_name == "public" and named - {path.rsplit("/", 1)[-1]}:
                problems.append(f"{where}: cooperatives shown to the public")
    assert not problems, "\n".join(problems)


def _snapshot_niks(env: Env, where: str, population: str = "daerah", **params) -> set[str]:
    """The snapshot NIKs of the latest period meeting `where`, in the population the pages show by default (the
    cooperatives the regional government supervises) or in "semua"."""
    if population == "daerah":
        where += " AND (supervisor IS NULL OR supervisor NOT IN ('kementerian', 'ojk'))"
    with env.engine.connect() as conn:
        return {r[0] for r in conn.execute(text(f"SELECT nik FROM cooperative_snapshots WHERE period_end = :p {where}"),
                                           {"p": env.snapshot, **params})}


def test_cooperative_lists_public_province_and_officer(env):
    """What each role sees of the cooperative-level pieces beside the public aggregates: real NIKs compared with the
    warehouse, so a list that disappears for everybody fails too."""
    s = env.sessions
    by_kab = {k: _snapshot_niks(env, "AND regency_code = :k", k=k) for k in ("5371", "5310")}
    assert all(by_kab.values())
    # Map drill-down: the kabupaten's figures for everyone, its cooperatives for logged-in readers of that kabupaten.
    for role_name, kab, shown in (("public", "5371", False), ("official", "5310", True), ("officer-5371", "5371", True),
                                  ("officer-5371", "5310", False), ("analyst-5310", "5310", True),
                                  ("analyst-5310", "5371", False)):
        _, body, found = render(env, s[role_name], "/peta", f"?kab={kab}")
        assert "map-key-figures" in found, (role_name, kab)
        if shown:
            assert niks_in(env, body) == by_kab[kab] and "map-coop-grid" in found, (role_name, kab)
        else:
            assert not niks_in(env, body) and "map-coops-hidden" in found, (role_name, kab)
    # Digital target: the stuck-in-migration count is public, the list is not; an officer gets their own rows.
    stuck = _snapshot_niks(env, "AND stuck_in_migration = :t", t=True)
    assert stuck, "the small province has cooperatives stuck in migration"
    for role_name, expected in (("official", stuck), ("analyst", stuck),
                                ("officer-5371", {n for n in stuck if env.regency_of[n] == "5371"}),
                                ("analyst-5310", {n for n in stuck if env.regency_of[n] == "5310"})):
        _, body, found = render(env, s[role_name], "/target-digital")
        assert niks_in(env, body) == expected and "digital-stuck" in found, role_name
    _, body, found = render(env, s["public"], "/target-digital")
    assert not niks_in(env, body) and "digital-stuck-hidden" in found and "digital-regencies" in found
    # Overview alerts: hidden for the public, the officer's own kabupaten only (also when another is asked).
    _, body, found = render(env, s["official"], "/", "?peringatan=no_rat")
    province = regencies_in(env, body)
    assert len(province) >= 2 and "ov-alerts-no_rat" in found
    for role_name in OWN:
        _, body, found = render(env, s[role_name], "/", "?peringatan=no_rat")
        assert regencies_in(env, body) == {OWN[role_name]} and "ov-alerts-scoped" in found, role_name
        _, body, found = render(env, s[role_name], "/", f"?kab={OTHER[role_name]}")
        assert not niks_in(env, body) and "ov-alerts-hidden" in found and "ov-cards" in found, role_name
    _, body, found = render(env, s["public"], "/", "?peringatan=no_rat")
    assert not niks_in(env, body) and "ov-alerts-hidden" in found and "ov-cards" in found
    # Late filers: the whole province for an official, the officer's kabupaten only; the heatmap stays whole.
    _, body, _ = render(env, s["official"], "/pelaporan", "?tab=terlambat")
    assert regencies_in(env, body) == {"5371", "5310", "5303"}
    _, body, found = render(env, s["officer-5371"], "/pelaporan", "?tab=terlambat")
    assert regencies_in(env, body) == {"5371"} and "rep-late-scoped" in found
    _, body, found = render(env, s["officer-5371"], "/pelaporan", "?tab=terlambat&kab=5310")
    assert not niks_in(env, body) and "rep-late-hidden" in found
    _, body, found = render(env, s["officer-5371"], "/pelaporan", "?tab=laju")
    assert "rep-heatmap" in found and all(name in body for name in ("Manggarai", "Kupang"))
    # Profile of another kabupaten's cooperative: answered exactly as a NIK that does not exist (an officer cannot
    # tell which NIKs exist elsewhere), nothing of it in the answer.
    missing = "5371999999999"
    for role_name in OWN:
        other = pick_nik(env, OTHER[role_name])
        _, body, found = render(env, s[role_name], f"/koperasi/{other}")
        assert "profile-not-found" in found and "profile-name" not in found, role_name
        _, nobody, _ = render(env, s[role_name], f"/koperasi/{missing}")
        assert body.replace(other, "NIK") == nobody.replace(missing, "NIK"), role_name
        with env.engine.connect() as conn:
            name = conn.execute(text("SELECT name FROM cooperatives WHERE nik = :n"), {"n": other}).scalar_one()
        assert name not in body
        own = pick_nik(env, OWN[role_name])
        _, body, found = render(env, s[role_name], f"/koperasi/{own}")
        assert "profile-name" in found and own in body


def test_rankings_rows_endpoint(env):
    """The cooperative grid's rows come from a plain Flask route: refused to the public, scoped for an officer."""
    url = f"{env.base}/peringkat/koperasi.json"
    assert env.sessions["public"].get(url + "?tampilan=koperasi").status_code == 401
    assert env.sessions["public"].get(url + "?tampilan=koperasi&kab=5310").status_code == 401
    every = env.sessions["official"].get(url + "?tampilan=koperasi").json()
    assert {r["nik"] for r in every} == _snapshot_niks(env, "")
    # the whole registry with cakupan=semua: the national primary of Kota Kupang too
    everyone = env.sessions["official"].get(url + "?tampilan=koperasi&cakupan=semua").json()
    assert {r["nik"] for r in everyone} == _snapshot_niks(env, "", "semua") > _snapshot_niks(env, "")
    for role_name, own in OWN.items():
        session = env.sessions[role_name]
        mine = session.get(url + "?tampilan=koperasi").json()
        assert {r["nik"] for r in mine} == _snapshot_niks(env, "AND regency_code = :k", k=own), role_name
        assert session.get(url + f"?tampilan=koperasi&kab={OTHER[role_name]}").json() == []
        answer = session.get(url + f"?tampilan=koperasi&kab={own}")
        assert answer.status_code == 200 and len(answer.json()) == len(mine)
        assert "Cookie" in answer.headers.get("Vary", "")
        assert answer.headers["Cache-Control"] == "no-store"  # cooperative rows never stay in the browser's cache
        # The page's own count agrees with the rows.
        _, body, found = render(env, session, "/peringkat", "?tampilan=koperasi")
        assert "rankings-scoped" in found and f"{len(mine)} koperasi" in body
        _, _, found = render(env, session, "/peringkat", f"?tampilan=koperasi&kab={OTHER[role_name]}")
        assert "rankings-coops-hidden" in found and "rankings-coop-grid" not in found


def test_export_page_preview_and_download_are_scoped(env):
    s = env.sessions
    _, body, found = render(env, s["analyst"], "/ekspor", "?dataset=registry")
    assert regencies_in(env, body) == {"5371", "5310", "5303"} and "export-scoped" not in found
    for search in ("?dataset=registry", "?dataset=registry&kab=5371", "?dataset=snapshots"):
        _, body, found = render(env, s["analyst-5310"], "/ekspor", search)
        assert regencies_in(env, body) == {"5310"} and "export-scoped" in found, search
        assert "/api/v1/" in body and "kab=5310" in body and "kab=5371" not in body
    with env.engine.connect() as conn:
        registry_5310 = conn.execute(text("SELECT COUNT(*) FROM cooperatives WHERE regency_code='5310'")).scalar_one()
    _, body, _ = render(env, s["analyst-5310"], "/ekspor", "?dataset=registry")
    assert f"{registry_5310} baris" in body
    # The download link the page offers, followed by the officer's session: their kabupaten's rows.
    link = re.search(r'"(/api/v1/registry\.csv\?[^"]*)"', body).group(1)
    answer = s["analyst-5310"].get(env.base + link)
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig").split("\n", 1)[1])))
    assert len(rows) == registry_5310 and {r["regency_code"] for r in rows} == {"5310"}
    # The aggregate dataset stays province-wide.
    _, body, found = render(env, s["analyst-5310"], "/ekspor", "?dataset=regency_indicators")
    assert "export-scoped" not in found and "kab=5310" not in body


# -------------------------------------------------------------------------------------------- page callbacks
# Every callback of the app by its output; the page it belongs to (None = shared by every page). A new callback
# fails test_callback_table until it has a row here.
CALLBACKS = {
    "url.search/map-graph.clickData": "map",
    "map-fit.data": "map",
    "url.search/kdmp-map.clickData": "kdmp",
    "kdmp-map-fit.data": "kdmp",
    "..rankings-coop-grid.rowData...rankings-rows-loaded.children..": "rankings",
    "url.search/export-control": "export",
    "..adm-token-result.children...adm-token-table.children..": "admin",
    "adm-alerts-result.children": "admin",
    "..up-batch.data...up-send-status.children..": "upload",
    "..up-progress.children...up-results.children...up-poll.disabled...up-history.children..": "upload",
    "up-download.data": "upload",
    "mr-call-download.data": "missing",
    "mr-message-download.data": "missing",
    "url.search/filter": None,
    ROUTER: None,
    '{"grid":["MATCH"],"type":"grid-export-done"}.data': None,
    '{"grid":["MATCH"],"type":"grid-export-audited"}.data': None,
    "_pages_dummy.children": None,
}


def _callback_key(env: Env, dep: dict) -> str:
    out = dep["output"]
    if out.startswith("url.search@"):
        first = dep["inputs"][0]["id"]
        if first in ("map-graph", "kdmp-map"):
            return f"url.search/{first}.clickData"
        return "url.search/" + json.loads(first)["type"]
    return out


def _dependencies(env: Env) -> dict[str, dict]:
    deps = requests.get(env.base + "/_dash-dependencies").json()
    return {_callback_key(env, d): d for d in deps}


def test_callback_table(env):
    deps = _dependencies(env)
    assert set(deps) == set(CALLBACKS)
    mapping = env.app.server.config["PANTAU_CALLBACK_PAGES"]
    for key, dep in deps.items():
        assert mapping.get(dep["output"]) == CALLBACKS[key], key


def _crafted(env: Env, key: str, kab: str) -> dict:
    """A request for a page callback as a script would craft it, naming kabupaten `kab`."""
    out = _dependencies(env)[key]["output"]
    if key in ("url.search/map-graph.clickData", "url.search/kdmp-map.clickData"):
        graph = key.split("/")[1].split(".")[0]
        return {"output": out, "outputs": {"id": "url", "property": out.split(".", 1)[1]},
                "inputs": [{"id": graph, "property": "clickData",
                            "value": {"points": [{"location": kab, "customdata": ["x", "1", "", kab]}]}}],
                "changedPropIds": [f"{graph}.clickData"], "state": [{"id": "url", "property": "search", "value": ""}]}
    if key in ("url.search/export-control", "url.search/filter"):
        kind = key.split("/")[1]
        return {"output": out, "outputs": {"id": "url", "property": out.split(".", 1)[1]},
                "inputs": [[{"id": {"name": "kab", "type": kind}, "property": "value", "value": kab}]],
                "changedPropIds": [json.dumps({"name": "kab", "type": kind}, separators=(",", ":")) + ".value"],
                "state": [{"id": "url", "property": "search", "value": "?dataset=registry"}]}
    if key.startswith("..adm-token"):
        return {"output": out, "outputs": [{"id": "adm-token-result", "property": "children"},
                                           {"id": "adm-token-table", "property": "children"}],
                "inputs": [{"id": "adm-token-create", "property": "n_clicks", "value": 1}, []],
                "changedPropIds": ["adm-token-create.n_clicks"],
                "state": [{"id": "adm-token-name", "property": "value", "value": None},  # no name: nothing created
                          {"id": "adm-token-days", "property": "value", "value": None}]}
    if key == "adm-alerts-result.children":  # saving the reader's own alert settings (no address, every rule)
        return {"output": out, "outputs": {"id": "adm-alerts-result", "property": "children"},
                "inputs": [{"id": "adm-alerts-save", "property": "n_clicks", "value": 1}],
                "changedPropIds": ["adm-alerts-save.n_clicks"],
                "state": [{"id": "adm-email", "property": "value", "value": None},
                          {"id": "adm-digest", "property": "value", "value": True},
                          {"id": "adm-rules", "property": "value", "value": ["rat_overdue"]}]}
    if key.startswith("..up-progress"):  # following a batch that is not the reader's: nothing to show
        return {"output": out, "outputs": [{"id": i, "property": p} for i, p in (
                    ("up-progress", "children"), ("up-results", "children"), ("up-poll", "disabled"),
                    ("up-history", "children"))],
                "inputs": [{"id": "up-batch", "property": "data", "value": "0123456789abcdef"},
                           {"id": "up-poll", "property": "n_intervals", "value": 1}],
                "changedPropIds": ["up-poll.n_intervals"], "state": []}
    if key == "up-download.data":  # another user's corrections file: refused
        button = {"type": "up-corrections", "upload": 1}
        return {"output": out, "outputs": {"id": "up-download", "property": "data"},
                "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
                "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
                "state": []}
    if key.startswith("mr-"):  # a call list or message of kabupaten `kab`
        button = "mr-call-list" if key.startswith("mr-call") else "mr-message-txt"
        return {"output": out, "outputs": {"id": out.split(".")[0], "property": "data"},
                "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
                "changedPropIds": [f"{button}.n_clicks"],
                "state": [{"id": "mr-query", "property": "data", "value": {"kab": kab}}]}
    # clientside callbacks: the browser runs them; a crafted POST must still pass the page guard first
    return {"output": out, "outputs": [], "inputs": [], "changedPropIds": [], "state": []}


@pytest.mark.parametrize("role_name", list(ROLES))
def test_page_callbacks_per_role(env, role_name):
    """Each page's callbacks sent directly: refused (401 logged out, 403 logged in) for a role that may not open the
    page; answered for the others, and never with a cooperative of another kabupaten."""
    session = env.sessions[role_name]
    deps = _dependencies(env)
    problems = []
    for key, page in CALLBACKS.items():
        if page is None:
            continue
        kab = OTHER.get(role_name, "5310")
        answer = dash_post(session, env.base, _crafted(env, key, kab))
        where = f"{role_name} {key}"
        if not allowed(role_name, page):
            want = 401 if role_name == "public" else 403
            if answer.status_code != want:
                problems.append(f"{where}: {answer.status_code}, expected {want}")
            continue
        if deps[key]["clientside_function"] is not None:
            continue  # the browser runs it; the server has no function for it
        if answer.status_code not in (200, 204):
            problems.append(f"{where}: {answer.status_code}")
        if niks_in(env, answer.text):
            problems.append(f"{where}: names cooperatives")
    assert not problems, "\n".join(problems)


def test_crafted_map_click_and_filter_for_another_kabupaten(env):
    """An officer's crafted click on another kabupaten only moves the URL; rendering that URL (the router callback)
    gives its public figures and none of its cooperatives."""
    session = env.sessions["officer-5371"]
    click = dash_post(session, env.base, _crafted(env, "url.search/map-graph.clickData", "5310"))
    assert click.status_code == 200 and "kab=5310" in click.text and not niks_in(env, click.text)
    chosen = dash_post(session, env.base, _crafted(env, "url.search/filter", "5310"))
    assert chosen.status_code == 200 and not niks_in(env, chosen.text)
    for path, search in (("/peta", "?kab=5310"), ("/", "?kab=5310&peringatan=fallen"),
                         ("/peringkat", "?tampilan=koperasi&kab=5310"), ("/target-digital", "?kab=5310"),
                         ("/pelaporan", "?tab=terlambat&kab=5310")):
        status, body, _ = render(env, session, path, search)
        assert status == 200 and not niks_in(env, body), (path, search)


# ------------------------------------------------------------------------------------------------------ API
API_DATASETS = [*ex.DATASETS, "datasets", "dictionary"]


def _api_url(env: Env, dataset: str, fmt: str, query: str = "") -> str:
    fmt = "json" if dataset == "datasets" else fmt
    return f"{env.base}/api/v1/{dataset}.{fmt}" + (f"?{query}" if query else "")


def _answer_regencies(env: Env, answer: requests.Response, fmt: str) -> set[str]:
    if fmt == "json":
        rows = answer.json().get("rows", [])
    else:
        lines = answer.content.decode("utf-8-sig").split("\n", 1)
        rows = list(csv.DictReader(io.StringIO(lines[1] if lines[0].startswith("DATA SIMULASI") else "\n".join(lines))))
    found = set()
    for row in rows:
        if row.get("regency_code"):
            found.add(str(row["regency_code"]))
        elif row.get("nik") in env.regency_of:
            found.add(env.regency_of[row["nik"]])
        elif row.get("village_code"):  # a KDMP village: its code's first four digits
            found.add(str(row["village_code"])[:4])
    return found


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_api_per_role_and_audit(env, fmt):
    s = env.sessions
    problems = []
    for dataset in API_DATASETS:
        url = _api_url(env, dataset, fmt)
        for role_name, want in (("public", 401), ("official", 403), ("officer-5371", 403), ("analyst", 200),
                                ("admin", 200), ("analyst-5310", 200)):
            before = last_audit_id(env.engine)
            answer = s[role_name].get(url)
            if answer.status_code != want:
                problems.append(f"{role_name} {dataset}.{fmt}: {answer.status_code}, expected {want}")
                continue
            logged = audit_rows(env.engine, before)
            if want == 200:
                username = ROLES[role_name][2]
                if [(r["action"], r["username"], json.loads(r["detail"])["path"]) for r in logged] != [
                        ("export", username, url.split(env.base, 1)[1].split("?")[0])]:
                    problems.append(f"{role_name} {dataset}.{fmt}: audit {logged}")
            elif logged:
                problems.append(f"{role_name} {dataset}.{fmt}: a refused request was logged as an export")
        if dataset in ("datasets", "dictionary"):
            continue
        everything = _answer_regencies(env, s["analyst"].get(url), fmt)
        mine = _answer_regencies(env, s["analyst-5310"].get(url), fmt)
        if dataset == "rejections":  # the small province has no rejected rows (tested on its own below)
            continue
        if everything < {"5371", "5310", "5303"}:
            problems.append(f"analyst {dataset}.{fmt}: only {sorted(everything)}")
        aggregate = dataset in ("regency_indicators", "kdmp_indicators")  # public figures: the whole province
        expected = everything if aggregate else {"5310"}
        if mine != expected:
            problems.append(f"analyst-5310 {dataset}.{fmt}: {sorted(mine)}, expected {sorted(expected)}")
        before = last_audit_id(env.engine)
        refused = s["analyst-5310"].get(_api_url(env, dataset, fmt, "kab=5371"))
        if not aggregate and refused.status_code != 403:
            problems.append(f"analyst-5310 {dataset}.{fmt}?kab=5371: {refused.status_code}")
        logged = audit_rows(env.engine, before)
        if not aggregate and not (len(logged) == 1 and "refused" in json.loads(logged[0]["detail"])):
            problems.append(f"analyst-5310 {dataset}.{fmt}?kab=5371: audit {logged}")
        if s["analyst-5310"].get(_api_url(env, dataset, fmt, "kab=5310")).status_code != 200:
            problems.append(f"analyst-5310 {dataset}.{fmt}?kab=5310 refused")
    assert not problems, "\n".join(problems)


def test_bearer_tokens_valid_revoked_expired(env):
    with pytest.MonkeyPatch.context() as mp:
        use_cheap_hashes(mp)
        _, province_token = tokens.create_token(env.engine, "acc-analyst", f"script-{env.backend}")
        _, scoped_token = tokens.create_token(env.engine, "acc-manggarai", f"kab script-{env.backend}")
        revoked_id, revoked = tokens.create_token(env.engine, "acc-analyst", f"revoked-{env.backend}")
        tokens.revoke_token(env.engine, revoked_id)
        _, expired = tokens.create_token(env.engine, "acc-analyst", f"old-{env.backend}", days=1,
                                        now=db.utcnow() - timedelta(days=2))
    url = _api_url(env, "registry", "json", "limit=10000")

    def get(token, query=""):
        return requests.get(url + query, headers={"Authorization": f"Bearer {token}"})

    before = last_audit_id(env.engine)
    assert _answer_regencies(env, get(province_token), "json") == {"5371", "5310", "5303"}
    assert _answer_regencies(env, get(scoped_token), "json") == {"5310"}
    assert get(scoped_token, "&kab=5371").status_code == 403
    for bad in (revoked, expired, province_token[:-2] + "xx"):
        answer = get(bad)
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
    logged = audit_rows(env.engine, before)
    assert [(r["action"], r["username"]) for r in logged] == [("api", "acc-analyst"), ("api", "acc-manggarai"),
                                                               ("api", "acc-manggarai")]
    assert all("token_id" in json.loads(r["detail"]) for r in logged)
    # A token opens the API only: not the pages' callbacks.
    page = requests.post(f"{env.base}/_dash-update-component", data=json.dumps(router_body("/peringkat")),
                         headers={"Content-Type": "application/json", "Origin": env.base,
                                  "Authorization": f"Bearer {province_token}"})
    assert "auth-denied" in page.text and "rankings-view-kabupaten" not in page.text


# ------------------------------------------------------------------------------------ sessions and logins
def test_tampered_session_cookie_is_public(env):
    value = env.sessions["officer-5371"].cookies.get("pantau_session")
    forged = requests.Session()
    forged.cookies.set("pantau_session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    status, body, found = render(env, forged, "/peringkat", "?tampilan=koperasi")
    assert status == 200 and "auth-denied" in found and "auth-login-link" in found
    status, body, found = render(env, forged, "/peta", "?kab=5371")
    assert "map-coops-hidden" in found and not niks_in(env, body)
    assert forged.get(f"{env.base}/peringkat/koperasi.json?tampilan=koperasi").status_code == 401
    assert forged.get(f"{env.base}/api/v1/registry.json").status_code == 401
    # The real cookie still works.
    assert render(env, env.sessions["officer-5371"], "/peringkat")[0] == 200


def test_brute_force_lockout_and_csrf(env):
    name = "acc-lockout"
    with pytest.MonkeyPatch.context() as mp:
        use_cheap_hashes(mp)
        if users.get_user(env.engine, username=name) is None:
            users.add_user(env.engine, name, PASSWORD, "analyst")
    # CSRF: a login form post without the session's token, or with a forged one, is refused before any check.
    assert requests.post(f"{env.base}/login", data={"username": name, "password": PASSWORD}).status_code == 400
    session = requests.Session()
    session.get(f"{env.base}/login")
    assert session.post(f"{env.base}/login", data={"csrf_token": "forged", "username": name,
                                                   "password": PASSWORD}).status_code == 400
    # A Dash callback from another site (or without an origin) is refused as well.
    crafted = router_body("/")
    assert requests.post(f"{env.base}/_dash-update-component", json=crafted,
                         headers={"Origin": "https://evil.example"}).status_code == 403
    assert requests.post(f"{env.base}/_dash-update-component", json=crafted).status_code == 403
    # Logout needs the token too.
    assert env.sessions["admin"].post(f"{env.base}/logout").status_code == 400
    assert render(env, env.sessions["admin"], "/admin")[0] == 200  # still logged in
    # Five wrong passwords lock the account; then the right one is refused as well.
    for attempt in range(users.MAX_FAILURES):
        _, answer = login(env.base, name, "wrong-password-123")
        assert answer.status_code == 200 and 'id="login-form"' in answer.text, attempt
    assert "dikunci" in answer.text
    locked, answer = login(env.base, name)  # the right password
    assert answer.status_code == 200 and "dikunci" in answer.text  # the form again, no redirect into the app
    assert locked.get(f"{env.base}/api/v1/datasets.json").status_code == 401
    log = audit.read_audit(env.engine, username=name)
    assert "locked" in set(log["action"]) and "login_ok" not in set(log["action"])


# ------------------------------------------------------------------------------------------ rejected rows
def test_rejections_scoped_on_the_page_and_the_api(db_url, engine, settings_for, monkeypatch):
    """Rejected rows: an officer sees those of their kabupaten's registered cooperatives; rows without a known NIK
    only province-wide readers (the small province has no rejected rows, so a warehouse of its own)."""
    use_cheap_hashes(monkeypatch)
    niks = {"5371000000001": "5371", "5310000000001": "5310"}
    run = add_cooperatives(engine, niks)
    with engine.begin() as conn:
        for number, nik in enumerate(["5371000000001", "5310000000001", "5399999999999", None], start=1):
            conn.execute(insert(Rejection).values(ingest_run_id=run, dataset="laporan_keuangan",
                                                  source_file="laporan.csv", row_number=number, nik=nik,
                                                  reasons=json.dumps([{"column": "nik", "value": nik, "rule": "x"}]),
                                                  created_at=db.utcnow()))
    users.add_user(engine, "prov", PASSWORD, "official")
    users.add_user(engine, "kupang", PASSWORD, "official", "5371")
    users.add_user(engine, "manggarai", PASSWORD, "analyst", "5310")
    with app_served(settings_for(db_url, ACCESS_CONTROL="on")) as (base, _app):
        env = Env("x", base, _app, engine, {}, {**niks, "5399999999999": None}, None)
        seen = {}
        for name in ("prov", "kupang", "manggarai"):
            session, answer = login(base, name)
            assert answer.status_code == 302
            status, body, found = render(env, session, "/pelaporan", "?tab=ditolak")
            assert status == 200 and "dq-rejections-grid" in found
            seen[name] = set(NIK_RE.findall(body))
            api = session.get(f"{base}/api/v1/rejections.json")
            if name == "manggarai":
                assert [r["nik"] for r in api.json()["rows"]] == ["5310000000001"]
                assert session.get(f"{base}/api/v1/rejections.json?kab=5371").status_code == 403
            else:
                assert api.status_code == 403  # officials do not export
        assert seen["prov"] >= {"5371000000001", "5310000000001", "5399999999999"}
        assert seen["kupang"] == {"5371000000001"}
        assert seen["manggarai"] == {"5310000000001"}
        assert "rep-rejections-scoped" in render(env, login(base, "kupang")[0], "/pelaporan", "?tab=ditolak")[2]


def test_kdmp_villages_only_for_logged_in_readers_and_an_officers_own_kabupaten(env):
    """The KDMP page's figures are public; its village rows need a log-in, and a kabupaten officer gets only their
    own kabupaten's villages (another kabupaten's filter lists none of them)."""
    with env.engine.connect() as conn:
        period = conn.execute(text("SELECT MAX(period_end) FROM kdmp_villages")).scalar()
        villages = dict(conn.execute(text("SELECT village_code, regency_code FROM kdmp_villages WHERE period_end = :p"),
                                     {"p": period}).all())
    assert len(villages) == 36

    def shown(body: str) -> set[str]:
        return {code for code in villages if code in body}

    s = env.sessions
    status, body, found = render(env, s["public"], "/kopdes-merah-putih", "?daftar=semua")
    assert status == 200 and "kdmp-headline" in found and "kdmp-villages-hidden" in found and not shown(body)
    _, body, found = render(env, s["official"], "/kopdes-merah-putih", "?daftar=semua")
    assert "kdmp-village-grid" in found and shown(body) == set(villages)
    for role_name, own in OWN.items():
        _, body, found = render(env, s[role_name], "/kopdes-merah-putih", "?daftar=semua")
        assert shown(body) == {c for c, k in villages.items() if k == own}, role_name
        assert "kdmp-villages-scoped" in found
        _, body, found = render(env, s[role_name], "/kopdes-merah-putih", f"?daftar=semua&kab={OTHER[role_name]}")
        assert "kdmp-headline" in found and "kdmp-villages-hidden" in found and not shown(body), role_name
