"""Logging in to the app served on loopback and posting Dash callbacks as a browser does, with cheap password hashes
(the production Argon2 setting has its own test in tests/warehouse/test_users.py)."""
from __future__ import annotations

import json
import re

import pytest
import requests
from argon2 import PasswordHasher, Type

from warehouse import audit, users

PASSWORD = "kopdit-sehat-2026"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ROUTER = ".._pages_content.children..._pages_store.data.."


def use_cheap_hashes(monkeypatch) -> None:
    """Hash with tiny Argon2 costs for the rest of the test (or the monkeypatch context)."""
    monkeypatch.setattr(users, "HASHER", CHEAP)
    monkeypatch.setattr(users, "_DUMMY_HASH", [])


@pytest.fixture
def cheap_hashes(monkeypatch):
    """The production setting checked (Argon2id, 19 MiB, two passes), then tiny costs for the test. A module uses it
    for all its tests with `from tests.support.auth import cheap_hashes` and
    `pytestmark = pytest.mark.usefixtures("cheap_hashes")`."""
    assert (users.HASHER.type, users.HASHER.memory_cost, users.HASHER.time_cost) == (Type.ID, 19 * 1024, 2)
    use_cheap_hashes(monkeypatch)


def csrf_from(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(base: str, username: str, password: str = PASSWORD,
          next_path: str = "/") -> tuple[requests.Session, requests.Response]:
    """Post the login form as a browser does (with the form's CSRF token); the session and the answer."""
    session = requests.Session()
    token = csrf_from(session.get(f"{base}/login").text)
    answer = session.post(f"{base}/login", data={"csrf_token": token, "username": username, "password": password,
                                                 "next": next_path}, allow_redirects=False)
    return session, answer


def dash_post(session, base: str, body: dict, origin: str | None = "same") -> requests.Response:
    """A callback request; `origin` "same" sends this site's Origin header, None sends none."""
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = base if origin == "same" else origin
    return session.post(f"{base}/_dash-update-component", data=json.dumps(body), headers=headers)


def router_body(path: str, search: str = "") -> dict:
    """What the browser sends when the URL changes: Dash pages' router callback."""
    return {"output": ROUTER,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def audit_actions(engine, **kwargs) -> list[str]:
    """The audit log's actions, newest first (filtered as warehouse.audit.read_audit takes it)."""
    return list(audit.read_audit(engine, **kwargs)["action"])
