"""Bearer tokens (design.md "Auth")."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from worksafe.orgs.models import ApiToken

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/users/me"


def issue(username="officer_a", password="correct-horse-battery"):  # noqa: S107
    return Client().post(TOKEN, {"username": username, "password": password}, content_type="application/json")


def me(token):
    return Client().get(ME, headers={"Authorization": f"Bearer {token}"})


def test_token_issued_and_usable(world):
    r = issue()
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"token", "expires_at"}
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=11) < expires - datetime.now(UTC) <= timedelta(hours=12)
    assert me(body["token"]).json()["username"] == "officer_a"
    # Only a digest is stored.
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()


def test_wrong_password_is_401(world):
    r = issue(password="wrong-horse")
    assert r.status_code == 401
    assert r.json()["detail"]


def test_unknown_user_is_401(world):
    assert issue(username="nobody").status_code == 401


def test_missing_fields_are_422(world):
    r = Client().post(TOKEN, {"username": "officer_a"}, content_type="application/json")
    assert r.status_code == 422
    assert "password" in r.json()["errors"]


def test_inactive_user_gets_no_token_and_loses_existing_ones(world):
    token = issue().json()["token"]
    world.officer_a.is_active = False
    world.officer_a.save()
    assert issue().status_code == 401
    assert me(token).status_code == 401


def test_expired_token_is_401(db):
    with time_machine.travel(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), tick=False) as traveller:
        from worksafe.testing import World

        World()
        token = issue().json()["token"]
        traveller.move_to(datetime(2026, 3, 1, 19, 59, tzinfo=UTC))
        assert me(token).status_code == 200
        traveller.move_to(datetime(2026, 3, 1, 20, 0, 1, tzinfo=UTC))
        r = me(token)
        assert r.status_code == 401
        assert r.json()["detail"]


def test_revoked_token_is_401(world):
    token = issue().json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    r = Client().post("/api/v1/auth/revoke", headers=headers)
    assert r.status_code == 204
    assert me(token).status_code == 401
    # The other tokens of the user still work.
    assert me(issue().json()["token"]).status_code == 200


def test_no_or_garbage_token_is_401(world):
    assert Client().get(ME).status_code == 401
    assert me("not-a-token").status_code == 401
    assert Client().get(ME, headers={"Authorization": "Basic abc"}).status_code == 401
    assert Client().get("/api/v1/hazards").status_code == 401
