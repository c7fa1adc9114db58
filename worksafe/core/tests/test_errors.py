"""The error contract of design.md: {"detail", "errors"}, the right status, never a 500."""

import pytest

from worksafe.core.errors import Invalid, StaleVersion
from worksafe.core.pagination import MAX_LIMIT, clamp_limit, decode_cursor, encode_cursor

HUGE = "危" * 100_000


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["errors"].values())
    return body


@pytest.mark.parametrize(
    "url", ["/api/v1/hazards", "/api/v1/organizations", "/api/v1/users", "/api/v1/regions"]
)
@pytest.mark.parametrize("body", ['{"title": ', "not json at all", "[1, 2", "\x00\xff", '{"a": 1}}'])
def test_malformed_json_is_400(world, api, url, body):
    r = api(world.admin).post(url, body.encode("utf-8", "surrogatepass"))
    assert_error_shape(r, 400)


def test_malformed_json_to_a_transition_is_400(world, api):
    hazard = world.make_hazard()
    r = api(world.office).post(f"/api/v1/hazards/{hazard.pk}/transition", b"{version: 1}")
    assert_error_shape(r, 400)


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"enterprise", "title", "level", "source", "due_date"}),
        ({"enterprise": "one"}, {"enterprise"}),
        ({"enterprise": 1.5}, {"enterprise"}),
        ({"enterprise": [1]}, {"enterprise"}),
        ({"title": 123}, {"title"}),
        ({"title": None}, {"title"}),
        ({"level": "catastrophic"}, {"level"}),
        ({"source": ["self_check"]}, {"source"}),
        ({"due_date": "31/12/2026"}, {"due_date"}),
        ({"due_date": 123456}, {"due_date"}),
    ],
)
def test_missing_or_wrong_fields_are_422_naming_each(world, api, payload, fields):
    base = {
        "enterprise": world.enterprise_a.pk,
        "title": "t",
        "level": "general",
        "source": "inspection",
        "due_date": "2099-01-01",
    }
    body = payload if payload == {} else {**base, **payload}
    r = api(world.office).post("/api/v1/hazards", body)
    errors = assert_error_shape(r, 422)["errors"]
    assert fields <= set(errors), errors


@pytest.mark.parametrize("body", ["[]", "42", '"text"', "null", "true"])
def test_json_that_is_not_an_object_is_rejected(world, api, body):
    r = api(world.office).post("/api/v1/hazards", body)
    assert r.status_code in (400, 422)
    assert set(r.json()) == {"detail", "errors"}


ABSURD_STRINGS = [
    HUGE,
    "'; DROP TABLE hazards_hazard; --",
    "\u202e\u0000\ud7ff",
    "😀" * 300,
    "%00%ff",
    "\\x00",
]


@pytest.mark.parametrize("text", ABSURD_STRINGS)
def test_absurd_strings_never_500(world, api, text):
    admin = api(world.admin)
    office = api(world.office)
    hazard = world.make_hazard()
    calls = [
        lambda: office.post(
            "/api/v1/hazards",
            {
                "enterprise": world.enterprise_a.pk,
                "title": text,
                "level": "general",
                "source": "inspection",
                "due_date": "2099-01-01",
            },
        ),
        lambda: office.post(
            "/api/v1/hazards",
            {
                "enterprise": world.enterprise_a.pk,
                "title": "t",
                "description": text,
                "location": text,
                "level": text,
                "source": "inspection",
                "due_date": text,
            },
        ),
        lambda: admin.post(
            "/api/v1/organizations",
            {"kind": "enterprise", "name": text, "region": text, "uscc": text, "industry": text},
        ),
        lambda: admin.post(
            "/api/v1/organizations", {"kind": "department", "name": text, "region": "210200", "address": text}
        ),
        lambda: admin.post(
            "/api/v1/users", {"username": text, "password": text, "role": text, "name": text, "email": text}
        ),
        lambda: admin.post("/api/v1/regions", {"code": text, "name": text, "parent": text, "edition": text}),
        lambda: admin.post(
            "/api/v1/regions", {"code": "210299", "name": "x", "parent": "210200", "edition": text}
        ),
        lambda: office.get("/api/v1/hazards", q=text[:5000], cursor=text[:5000], region=text[:50]),
        lambda: office.get("/api/v1/organizations", q=text[:5000], region=text[:50]),
        lambda: office.get("/api/v1/regions", parent=text[:5000]),
        lambda: office.get("/api/v1/stats/hazards", region=text[:50]),
        lambda: office.post(
            f"/api/v1/hazards/{hazard.pk}/transition", {"action": text, "version": 1, "note": text}
        ),
        lambda: office.post(
            f"/api/v1/hazards/{hazard.pk}/transition",
            {"action": "assign", "version": 1, "responsible_person": text, "due_date": text},
        ),
        lambda: office.post(
            f"/api/v1/hazards/{hazard.pk}/plan", {"version": 1, "measures": text, "funds": text[:100]}
        ),
        lambda: api(None).post("/api/v1/auth/token", {"username": text, "password": text}),
    ]
    for call in calls:
        r = call()
        assert r.status_code < 500, r.content[:300]
        assert r.status_code in (201, 400, 401, 403, 404, 409, 422)


@pytest.mark.parametrize("number", [-1, 0, 2**63, 10**30, -(10**30)])
def test_absurd_numbers_never_500(world, api, number):
    office = api(world.office)
    admin = api(world.admin)
    for url in (
        f"/api/v1/hazards/{number}",
        f"/api/v1/hazards/{number}/events",
        f"/api/v1/hazards/{number}/evidence",
        f"/api/v1/hazards/{number}/evidence/{number}",
        f"/api/v1/organizations/{number}",
        f"/api/v1/users/{number}",
    ):
        r = office.get(url)
        assert r.status_code in (404, 422), (url, r.content)
    r = office.post(f"/api/v1/hazards/{number}/transition", {"action": "assign", "version": 1})
    assert r.status_code in (404, 422)
    hazard = world.make_hazard()
    for call in (
        lambda: office.get("/api/v1/hazards", enterprise=number),
        lambda: office.get("/api/v1/hazards", limit=number),
        lambda: office.get("/api/v1/users", organization=number),
        lambda: office.post(
            "/api/v1/hazards",
            {
                "enterprise": number,
                "title": "t",
                "level": "general",
                "source": "inspection",
                "due_date": "2099-01-01",
            },
        ),
        lambda: office.post(
            f"/api/v1/hazards/{hazard.pk}/transition",
            {"action": "assign", "version": number, "responsible_person": "x"},
        ),
        lambda: office.post(
            f"/api/v1/hazards/{hazard.pk}/transition",
            {"action": "assign", "version": 1, "responsible_person": "x", "expert": number},
        ),
        lambda: office.post(f"/api/v1/hazards/{hazard.pk}/plan", {"version": 1, "funds": number}),
        lambda: admin.post(
            "/api/v1/organizations",
            {"kind": "department", "name": "n", "region": "210200", "parent": number, "staff_count": number},
        ),
        lambda: admin.post(
            "/api/v1/users",
            {"username": "u1", "password": "Quiet-river-2026", "role": "expert", "organization": number},
        ),
    ):
        r = call()
        assert r.status_code in (200, 404, 409, 422), r.content[:300]


def test_unknown_route_and_method(world, api):
    assert api(world.office).get("/api/v1/nothing-here").status_code == 404
    assert (
        api(world.office).client.delete("/api/v1/hazards", headers=api(world.office).headers).status_code
        == 405
    )


def test_openapi_document_is_served(db):
    from django.test import Client

    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/v1/hazards/{hazard_id}/transition" in paths
    transition = paths["/api/v1/hazards/{hazard_id}/transition"]["post"]["responses"]
    assert {"200", "403", "404", "409", "422"} <= set(transition)
    assert "404" in paths["/api/v1/regions"]["get"]["responses"]


# --- the pieces ------------------------------------------------------------------------------


def test_cursor_round_trip_and_garbage():
    assert decode_cursor(encode_cursor(12345)) == 12345
    for bad in ("", "!!!", "a2Fib29t", "LTE", "aw", "k" * 10_000):
        with pytest.raises(Invalid) as exc:
            decode_cursor(bad)
        assert "cursor" in exc.value.errors


def test_limit_bounds():
    assert clamp_limit(None) == 50
    assert clamp_limit(MAX_LIMIT) == MAX_LIMIT
    for bad in (0, -1, MAX_LIMIT + 1):
        with pytest.raises(Invalid) as exc:
            clamp_limit(bad)
        assert "limit" in exc.value.errors


def test_stale_version_names_version():
    error = StaleVersion(7)
    assert error.status == 409
    assert "7" in str(error.detail)
    assert "version" in error.errors


def test_nul_characters_are_refused_not_500(world, api):
    office = api(world.office)
    r = office.post(
        "/api/v1/hazards",
        {
            "enterprise": world.enterprise_a.pk,
            "title": "a\x00b",
            "level": "general",
            "source": "inspection",
            "due_date": "2099-01-01",
        },
    )
    assert_error_shape(r, 400)
    r = office.get("/api/v1/hazards", q="a\x00b")
    assert "q" in assert_error_shape(r, 422)["errors"]
    assert office.get("/api/v1/regions/21%00").status_code == 404
    assert office.get("/api/v1/regions", parent="21\x00").status_code in (404, 422)


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=ä"],
)
def test_broken_multipart_is_400_in_the_api_shape(world, api, content_type):
    hazard = world.make_hazard()
    client = api(world.office)
    for url in (f"/api/v1/hazards/{hazard.pk}/evidence", "/api/v1/hazards"):
        r = client.client.post(url, b"garbage", content_type=content_type, headers=client.headers)
        assert_error_shape(r, 400)


def test_form_encoded_body_to_a_json_endpoint_is_400(world, api):
    client = api(world.office)
    r = client.client.post(
        "/api/v1/hazards",
        b"title=x",
        content_type="application/x-www-form-urlencoded",
        headers=client.headers,
    )
    assert_error_shape(r, 400)


def test_upload_with_nul_in_the_file_name_is_stored_without_it(world, api):
    hazard = world.make_hazard()
    client = api(world.office)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    body = (
        b'--XYZ\r\nContent-Disposition: form-data; name="kind"\r\n\r\nbefore\r\n'
        b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a\x00b.png"\r\n\r\n'
        + png
        + b"\r\n--XYZ--\r\n"
    )
    r = client.client.post(
        f"/api/v1/hazards/{hazard.pk}/evidence",
        body,
        content_type="multipart/form-data; boundary=XYZ",
        headers=client.headers,
    )
    assert r.status_code == 201, r.content
    assert "\x00" not in r.json()["original_name"]
