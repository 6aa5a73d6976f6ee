"""API tokens in the warehouse (warehouse/tokens.py): created for analysts and admins, stored as a hash, listed,
used, expired, revoked, and dead with their disabled owner — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.auth import PASSWORD, cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from tests.support.auth import audit_actions as actions
from warehouse import db, models, tokens, users

pytestmark = pytest.mark.usefixtures("cheap_hashes")


def test_tokens_create_list_revoke_expire(engine):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    users.add_user(engine, "obi", PASSWORD, "official")
    now = db.utcnow()
    token_id, token = tokens.create_token(engine, "ana", "nightly script", days=30, now=now)
    assert token.startswith("pk_") and len(token) > 40
    listed = tokens.list_tokens(engine, "ana")
    assert listed[["id", "name", "prefix", "status"]].to_dict("records") == [
        {"id": token_id, "name": "nightly script", "prefix": token[:8], "status": "active"}]
    with engine.connect() as conn:
        stored = conn.execute(select(models.ApiToken.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
    info, used_id = tokens.user_for_token(engine, token, now=now + timedelta(minutes=1))
    assert (info.username, used_id) == ("ana", token_id)
    assert tokens.list_tokens(engine, "ana")["last_used_at"].iloc[0] == now + timedelta(minutes=1)
    assert tokens.user_for_token(engine, token, now=now + timedelta(days=31)) is None  # expired
    assert tokens.list_tokens(engine, now=now + timedelta(days=31))["status"].tolist() == ["expired"]
    assert tokens.user_for_token(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert not tokens.revoke_token(engine, token_id, owner="obi")  # not obi's token
    assert tokens.revoke_token(engine, token_id, owner="ana")
    assert tokens.user_for_token(engine, token) is None
    assert tokens.list_tokens(engine)["status"].tolist() == ["revoked"]
    assert not tokens.revoke_token(engine, token_id)  # already revoked
    with pytest.raises(users.UserError, match="analysts and admins"):
        tokens.create_token(engine, "obi", "x")
    # A disabled user's tokens stop working.
    _, second = tokens.create_token(engine, "ana", "second")
    users.disable_user(engine, "ana")
    assert tokens.user_for_token(engine, second) is None
    assert actions(engine, action=("token_created", "token_revoked")) == ["token_created", "token_revoked",
                                                                          "token_created"]
