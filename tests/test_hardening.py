"""Production settings, response headers, uploads and markup injection, tried from outside."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from worksafe.hazards.models import Evidence
from worksafe.testing import PNG

ROOT = Path(__file__).resolve().parents[1]
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def run_prod(*args, sk: str | None = None, omit_sk: bool = False):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "worksafe.settings.prod"
    if not omit_sk:
        env["SECRET_KEY"] = sk or secrets.token_urlsafe(60)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean():
    result = run_prod("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_strict():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'hsts': s.SECURE_HSTS_SECONDS, 'ssl': s.SECURE_SSL_REDIRECT, 'hashers': s.PASSWORD_HASHERS,"
        "'csp': {k: [str(x) for x in v] for k, v in s.SECURE_CSP.items()}, 'httponly': s.SESSION_COOKIE_HTTPONLY}))"
    )
    result = run_prod("-c", code)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["debug"] is False
    assert found["session_secure"] and found["csrf_secure"] and found["httponly"] and found["ssl"]
    assert found["hsts"] >= 365 * 24 * 3600
    assert found["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    for directive in ("script-src", "style-src"):
        assert found["csp"][directive] == ["'self'"], found["csp"]


def test_production_refuses_a_missing_or_weak_secret_key():
    assert run_prod("manage.py", "check", omit_sk=True).returncode != 0
    weak = run_prod("manage.py", "check", sk="short")
    assert weak.returncode != 0 and "SECRET_KEY" in weak.stderr


def test_pages_carry_security_headers(db):
    response = Client().get(reverse("web:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_debug_page_for_unknown_urls_or_bad_input(world, api):
    response = Client().get("/no-such-page/<script>")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Traceback" not in body and "URLconf" not in body and "<script>" not in body
    api_response = api(world.office).post("/api/v1/hazards", "{not json")
    assert api_response.status_code in (400, 422)
    assert "Traceback" not in api_response.content.decode()


def test_pages_have_no_inline_script_or_style(world):
    client = Client()
    client.force_login(world.office)
    hazard = world.make_hazard()
    for url in (
        reverse("web:home"),
        reverse("hazards:list"),
        reverse("hazards:detail", args=[hazard.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html, url
        assert " onclick=" not in html and " onload=" not in html, url


# --- uploads ---------------------------------------------------------------------------------


def _upload(api, world, hazard, name, content, kind="before"):
    return api(world.officer_a).upload(
        f"/api/v1/hazards/{hazard.pk}/evidence",
        {"file": SimpleUploadedFile(name, content, content_type="image/png"), "kind": kind},
    )


def test_upload_type_is_judged_by_content(world, api):
    hazard = world.make_hazard()
    response = _upload(api, world, hazard, "photo.png", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not Evidence.objects.exists()


def test_upload_size_limit(world, api, settings):
    settings.WORKSAFE_EVIDENCE_MAX_BYTES = 64
    hazard = world.make_hazard()
    response = _upload(api, world, hazard, "big.png", PNG + b"\0" * 100)
    assert response.status_code == 422 and "file" in response.json()["errors"]


def test_upload_name_is_ours_and_download_is_an_attachment(world, api):
    hazard = world.make_hazard()
    response = _upload(api, world, hazard, "../../etc/<script>passwd.png", PNG)
    assert response.status_code in (200, 201), response.content
    evidence = Evidence.objects.get()
    stored = evidence.file.name
    assert ".." not in stored and "passwd" not in stored and "<" not in stored
    assert stored.startswith("evidence/") and stored.endswith(".png")
    download = api(world.office).get(f"/api/v1/hazards/{hazard.pk}/evidence/{evidence.pk}")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG


# --- markup injection ------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_every_hazard_text_field_is_escaped(world, api, payload):
    response = api(world.office).post(
        "/api/v1/hazards",
        {
            "enterprise": world.enterprise_a.pk,
            "title": payload,
            "description": payload,
            "location": payload,
            "responsible_person": payload,
            "level": "general",
            "source": "inspection",
            "due_date": "2099-01-01",
        },
    )
    assert response.status_code == 201, response.content
    hazard = response.json()
    assert hazard["title"] == payload  # stored as given: escaping is the page's job
    client = Client()
    client.force_login(world.office)
    pages = [
        reverse("hazards:detail", args=[hazard["id"]]),
        reverse("hazards:list"),
        reverse("web:enterprise_detail", args=[world.enterprise_a.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert payload not in html, url
        assert "onerror=alert(1)>" not in html and "<script>alert" not in html, url
    detail = client.get(pages[0]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail or "&quot;&gt;&lt;img" in detail


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_enterprise_fields_is_escaped(world, api, payload):
    from worksafe.orgs.uscc import make_code

    response = api(world.admin).post(
        "/api/v1/organizations",
        {
            "kind": "enterprise",
            "name": payload,
            "region": "210202",
            "uscc": make_code("91210202", "77777777"),
            "industry": "hazardous_chemicals",
            "address": payload,
            "legal_representative": payload,
            "safety_principal": payload,
        },
    )
    assert response.status_code == 201, response.content
    org_id = response.json()["id"]
    world.make_hazard(enterprise=org_id, title="ok")
    client = Client()
    client.force_login(world.office)
    for url in (
        reverse("web:enterprise_list"),
        reverse("web:enterprise_detail", args=[org_id]),
        reverse("hazards:list"),
    ):
        html = client.get(url).content.decode()
        assert payload not in html, url
