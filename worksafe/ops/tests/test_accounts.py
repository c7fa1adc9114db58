"""Accounts and sessions: password rules, lockout per account and per address, the audit of
logins and denials, idle session timeout, token expiry and revocation."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from worksafe.audit.models import Event

TOKEN_URL = "/api/v1/auth/token"
PASSWORD = "correct-horse-battery"


def token_post(username, password, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


def actions(action: str):
    return list(Event.objects.filter(action=action).order_by("id"))


# --- password rules -------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["onlylettersherе", "12345678901234"])
def test_password_needs_letters_and_digits(weak):
    with pytest.raises(ValidationError) as exc:
        validate_password(weak)
    assert "at least one letter and at least one digit" in " ".join(exc.value.messages)


def test_password_rule_message_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            validate_password("abcdefghijklmn")
        assert "字母" in " ".join(str(m) for m in exc.value.messages)


def test_short_password_refused_through_the_api(world, api):
    response = api(world.admin).post(
        "/api/v1/users",
        {"username": "newbie", "password": "ab1", "role": "office", "organization": world.committee.pk},
    )
    assert response.status_code == 422
    assert "password" in response.json()["errors"]


def test_good_password_accepted():
    validate_password("harbour-lights-2026")  # no exception


def test_prod_hashers_start_with_argon2():
    # base settings (which prod extends) put Argon2 first; PBKDF2 only to upgrade old hashes.
    from worksafe.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


# --- lockout ------------------------------------------------------------------------------


def test_token_endpoint_locks_an_account_after_repeated_failures(world):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert token_post("officer_a", "wrong-password-1").status_code == 401
    locked = token_post("officer_a", "wrong-password-1")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.json()["detail"]
    # Even the right password is refused while locked, from another address too.
    assert token_post("officer_a", PASSWORD, ip="10.9.9.9").status_code == 429
    # Other accounts are unaffected.
    assert token_post("officer_b", PASSWORD, ip="10.9.9.9").status_code == 200
    assert len(actions("login_failed")) >= limit
    lockouts = actions("lockout")
    assert lockouts and lockouts[0].data["username"] == "officer_a"
    assert lockouts[0].subject_id == str(world.officer_a.pk)


def test_admin_unlocks_with_a_command(world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        token_post("officer_a", "wrong-password-1")
    assert token_post("officer_a", PASSWORD, ip="10.7.7.7").status_code == 429
    call_command("axes_reset_username", "officer_a", verbosity=0)
    call_command("axes_reset_ip", "10.0.0.1", verbosity=0)
    assert token_post("officer_a", PASSWORD).status_code == 200


def test_lockout_ends_after_the_cool_off(world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            token_post("officer_a", "wrong-password-1")
        assert token_post("officer_a", PASSWORD, ip="10.3.3.3").status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        assert token_post("officer_a", PASSWORD, ip="10.3.3.3").status_code == 200


def test_s4_one_address_trying_many_accounts_is_locked_at_its_own_higher_limit(world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT * 2
    for n in range(settings.AXES_FAILURE_LIMIT):
        token_post(f"guess{n}", "wrong-password-1", ip="10.6.6.6")
    # One address is many people behind a proxy or NAT: the account limit does not lock it.
    assert token_post("officer_b", PASSWORD, ip="10.6.6.6").status_code == 200
    for n in range(settings.AXES_FAILURE_LIMIT):
        token_post(f"spray{n}", "wrong-password-1", ip="10.6.6.6")
    assert token_post("officer_b", PASSWORD, ip="10.6.6.6").status_code == 429
    assert token_post("officer_b", PASSWORD, ip="10.6.6.7").status_code == 200


def test_login_page_locks_out_with_a_readable_page(world):
    client = Client(REMOTE_ADDR="10.1.1.1")
    url = reverse("web:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "office", "password": "nope-nope-1"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post(url, {"username": "office", "password": "nope-nope-1"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert client.post(url, {"username": "office", "password": PASSWORD}).status_code == 429


def test_page_login_success_resets_the_failure_count(world):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        token_post("officer_a", "wrong-password-1")
    assert (
        client.post(reverse("web:login"), {"username": "officer_a", "password": PASSWORD}).status_code == 302
    )
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert token_post("officer_a", "wrong-password-1").status_code == 401


# --- audit of logins and denials ---------------------------------------------------------------


def test_page_login_and_failure_are_recorded(world):
    client = Client(REMOTE_ADDR="10.2.2.2")
    client.post(reverse("web:login"), {"username": "office", "password": "bad-password-9"})
    failed = actions("login_failed")
    assert len(failed) == 1 and failed[0].data == {"username": "office", "ip": "10.2.2.2"}
    assert failed[0].actor_id is None
    response = client.post(reverse("web:login"), {"username": "office", "password": PASSWORD})
    assert response.status_code == 302
    login = actions("login")
    assert len(login) == 1 and login[0].actor_id == world.office.pk


def test_unknown_username_failure_is_recorded_without_a_subject(db):
    token_post("nobody-here", "whatever-123")
    failed = actions("login_failed")
    assert failed[0].subject_id == "-" and failed[0].data["username"] == "nobody-here"


def test_token_issue_is_recorded(world):
    assert token_post("inspector", PASSWORD).status_code == 200
    assert Event.objects.filter(action="token_issue", actor=world.inspector).count() == 1


def test_api_permission_denial_is_recorded(world, api):
    hazard = world.make_hazard()
    response = api(world.leader).post(
        f"/api/v1/hazards/{hazard.pk}/transition", {"action": "cancel", "version": 1, "note": "x"}
    )
    assert response.status_code == 403
    denied = actions("permission_denied")
    assert len(denied) == 1
    assert denied[0].actor_id == world.leader.pk
    assert denied[0].data["path"] == f"/api/v1/hazards/{hazard.pk}/transition"


def test_page_permission_denial_is_recorded(world):
    client = Client()
    client.force_login(world.office)  # not staff: the admin refuses
    response = client.post(f"/admin/audit/event/{1}/delete/")
    assert response.status_code in (302, 403)
    if response.status_code == 403:
        assert actions("permission_denied")[0].actor_id == world.office.pk


def test_not_found_is_not_recorded_as_a_denial(world, api):
    assert api(world.office).get("/api/v1/hazards/999999").status_code == 404
    assert not actions("permission_denied")


# --- sessions and tokens -------------------------------------------------------------------


def test_idle_session_expires(world):
    client = Client()
    idle = settings.SESSION_COOKIE_AGE
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(world.office)
        assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(timedelta(seconds=idle - 60))
        assert client.get(reverse("web:home")).status_code == 200  # activity renews the session
        traveller.shift(timedelta(seconds=idle - 60))
        assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(timedelta(seconds=idle + 1))
        response = client.get(reverse("web:home"))
        assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_token_expires(world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = token_post("officer_a", PASSWORD).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert Client().get("/api/v1/users/me", headers=headers).status_code == 200
        traveller.shift(timedelta(hours=settings.WORKSAFE_TOKEN_TTL_HOURS, seconds=1))
        response = Client().get("/api/v1/users/me", headers=headers)
        assert response.status_code == 401
        assert response.json()["detail"]


def test_token_revocation_end_to_end(world):
    token = token_post("officer_a", PASSWORD).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/v1/users/me", headers=headers).json()["username"] == "officer_a"
    assert Client().post("/api/v1/auth/revoke", headers=headers).status_code == 204
    assert Client().get("/api/v1/users/me", headers=headers).status_code == 401
    assert Event.objects.filter(action="token_revoke", actor=world.officer_a).count() == 1
    # A fresh token still works: revocation is per token.
    fresh = token_post("officer_a", PASSWORD).json()["token"]
    assert Client().get("/api/v1/users/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_deactivated_user_token_stops_working(world):
    token = token_post("officer_a", PASSWORD).json()["token"]
    world.officer_a.is_active = False
    world.officer_a.save(update_fields=["is_active"])
    assert Client().get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
