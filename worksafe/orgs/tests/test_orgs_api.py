"""Organizations and users through the API: who creates what, what each role sees."""

import pytest
from django.core.management import call_command

from worksafe.audit.models import Event
from worksafe.orgs.models import Organization, Role, User

ORGS = "/api/v1/organizations"
USERS = "/api/v1/users"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# --- organizations ---------------------------------------------------------------------------


def test_admin_creates_a_department_and_gets_it_back(world, api):
    client = api(world.admin)
    r = client.post(
        ORGS,
        {
            "kind": "department",
            "name": "大连市交通运输局",
            "region": "210200",
            "industries": ["road_transport", "road_transport", "waterway_transport"],
            "can_penalize": True,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["industries"] == ["road_transport", "waterway_transport"]
    assert body["can_penalize"] is True
    assert body["uscc"] is None
    got = client.get(f"{ORGS}/{body['id']}").json()
    assert got["name"] == "大连市交通运输局"
    assert got["region"] == "210200"
    event = Event.objects.for_subject("organization", body["id"]).get()
    assert (event.action, event.actor_id) == ("create", world.admin.pk)


def test_required_fields_are_named(world, api):
    r = api(world.admin).post(ORGS, {})
    assert r.status_code == 422
    assert {"kind", "name", "region"} <= set(r.json()["errors"])


def test_enterprise_needs_uscc_and_industry(world, api):
    r = api(world.admin).post(ORGS, {"kind": "enterprise", "name": "某公司", "region": "210202"})
    assert r.status_code == 422
    assert {"uscc", "industry"} <= set(r.json()["errors"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "bank"}, "kind"),
        ({"region": "999999"}, "region"),
        ({"region": "21"}, "region"),
        ({"name": "   "}, "name"),
        ({"industries": ["mining"]}, "industries"),
        ({"parent": 999999}, "parent"),
        ({"status": "bankrupt"}, "status"),
        ({"staff_count": -1}, "staff_count"),
    ],
)
def test_bad_fields_are_422_naming_them(world, api, payload, field):
    base = {"kind": "department", "name": "某局", "region": "210200"}
    r = api(world.admin).post(ORGS, {**base, **payload})
    assert r.status_code == 422
    assert field in r.json()["errors"]


def test_parent_out_of_callers_scope_is_422_on_parent(world, api):
    r = api(world.office).post(
        ORGS,
        {
            "kind": "enterprise",
            "name": "某公司",
            "region": "210202",
            "industry": "gas",
            "uscc": "91210200123456788N",
            "parent": world.enterprise_h.pk,
        },
    )
    assert r.status_code == 422
    assert "parent" in r.json()["errors"]


def test_office_registers_an_enterprise_in_its_area(world, api):
    r = api(world.office).post(
        ORGS,
        {
            "kind": "enterprise",
            "name": "大连新燃气有限公司",
            "region": "210211",
            "industry": "gas",
            "uscc": "91210200123456788N",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["industry"] == "gas"


def test_office_may_not_register_an_enterprise_outside_its_area(world, api):
    r = api(world.office_gjz).post(
        ORGS,
        {
            "kind": "enterprise",
            "name": "中山区某公司",
            "region": "210202",
            "industry": "gas",
            "uscc": "91210200123456788N",
        },
    )
    assert r.status_code == 403
    assert not Organization.objects.filter(uscc="91210200123456788N").exists()


@pytest.mark.parametrize("who", ["office", "leader", "inspector", "officer_a", "expert"])
def test_only_admin_registers_governments_and_departments(world, api, who):
    r = api(getattr(world, who)).post(ORGS, {"kind": "department", "name": "某局", "region": "210202"})
    assert r.status_code == 403


@pytest.mark.parametrize("who", ["leader", "inspector", "officer_a", "expert"])
def test_other_roles_do_not_register_enterprises(world, api, who):
    r = api(getattr(world, who)).post(
        ORGS,
        {
            "kind": "enterprise",
            "name": "某公司",
            "region": "210202",
            "industry": "gas",
            "uscc": "91210200123456788N",
        },
    )
    assert r.status_code == 403


def test_organization_scope_per_role(world, api):
    w = world
    everyone = set(Organization.objects.values_list("pk", flat=True))
    dalian = everyone - {w.harbin.pk, w.enterprise_h.pk}
    assert ids(api(w.admin).get(ORGS, limit=200)) == everyone
    assert ids(api(w.office).get(ORGS, limit=200)) == dalian
    assert ids(api(w.leader).get(ORGS, limit=200)) == dalian
    assert ids(api(w.office_gjz).get(ORGS)) == {w.committee_gjz.pk, w.enterprise_b.pk}
    assert ids(api(w.inspector).get(ORGS)) == {w.dept_em.pk, w.enterprise_a.pk, w.enterprise_b.pk}
    assert ids(api(w.inspector_build).get(ORGS)) == {w.dept_build.pk, w.enterprise_c.pk}
    assert ids(api(w.inspector_zs).get(ORGS)) == {w.dept_zs.pk, w.enterprise_a.pk}
    assert ids(api(w.officer_a).get(ORGS)) == {w.enterprise_a.pk}
    assert ids(api(w.expert).get(ORGS)) == {w.expert_org.pk}
    assert ids(api(w.outsider).get(ORGS)) == {w.harbin.pk, w.enterprise_h.pk}


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("outsider", "enterprise_a"),
        ("office", "enterprise_h"),
        ("office_gjz", "enterprise_a"),
        ("inspector", "enterprise_c"),
        ("inspector_build", "enterprise_a"),
        ("officer_a", "enterprise_b"),
        ("officer_b", "committee"),
        ("expert", "enterprise_a"),
    ],
)
def test_organization_out_of_scope_is_404(world, api, who, target):
    r = api(getattr(world, who)).get(f"{ORGS}/{getattr(world, target).pk}")
    assert r.status_code == 404
    assert r.json()["detail"]


def test_organization_filters(world, api):
    client = api(world.admin)
    assert ids(client.get(ORGS, kind="department")) == {
        world.dept_em.pk,
        world.dept_build.pk,
        world.dept_zs.pk,
    }
    assert ids(client.get(ORGS, region="210211")) == {world.committee_gjz.pk, world.enterprise_b.pk}
    assert ids(client.get(ORGS, industry="construction")) == {world.enterprise_c.pk}
    assert ids(client.get(ORGS, q="乙化工")) == {world.enterprise_b.pk}
    assert client.get(ORGS, kind="bank").status_code == 422
    assert client.get(ORGS, region="21x").status_code == 422


# --- users -----------------------------------------------------------------------------------


def new_user(world, **extra):
    return {
        "username": "zhang.san",
        "password": "Quiet-river-2026",
        "name": "张三",
        "organization": world.enterprise_a.pk,
        "role": "enterprise_officer",
        **extra,
    }


def test_admin_creates_a_user_who_can_then_get_a_token(world, api):
    r = api(world.admin).post(USERS, new_user(world))
    assert r.status_code == 201, r.content
    body = r.json()
    assert "password" not in body
    assert (body["role"], body["organization"]) == ("enterprise_officer", world.enterprise_a.pk)
    token = api(None).post("/api/v1/auth/token", {"username": "zhang.san", "password": "Quiet-river-2026"})
    assert token.status_code == 200
    event = Event.objects.for_subject("user", body["id"]).get(action="create")
    assert event.actor_id == world.admin.pk
    assert event.data["role"] == "enterprise_officer"


def test_user_required_fields_are_named(world, api):
    r = api(world.admin).post(USERS, {})
    assert r.status_code == 422
    assert {"username", "password", "role"} <= set(r.json()["errors"])


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"role": "inspector"}, "role"),  # an inspector belongs to a department
        ({"role": "office"}, "role"),  # an office is a committee or government
        ({"role": "boss"}, "role"),
        ({"password": "short"}, "password"),
        ({"password": "1234567890123"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "zhang.san2026"}, "password"),  # too close to the username
        ({"username": "admin"}, "username"),
        ({"username": "  "}, "username"),
        ({"username": "zhang san"}, "username"),
        ({"username": "a/b"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"organization": None}, "organization"),
        ({"organization": 10**6}, "organization"),
    ],
)
def test_user_bad_fields_are_422_naming_them(world, api, extra, field):
    r = api(world.admin).post(USERS, new_user(world, **extra))
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]


def test_admin_user_needs_no_organization(world, api):
    r = api(world.admin).post(USERS, new_user(world, role="admin", organization=None))
    assert r.status_code == 201
    assert User.objects.get(pk=r.json()["id"]).is_superuser


@pytest.mark.parametrize("who", ["leader", "inspector", "officer_a", "expert"])
def test_only_admin_and_office_create_users(world, api, who):
    r = api(getattr(world, who)).post(USERS, new_user(world))
    assert r.status_code == 403
    assert not User.objects.filter(username="zhang.san").exists()


@pytest.mark.parametrize(
    ("who", "extra", "status"),
    [
        ("office", {}, 201),  # an enterprise officer of an enterprise in its area
        ("office_gjz", {}, 422),  # enterprise A (Zhongshan) is unknown to Ganjingzi
        ("office", {"role": "inspector", "organization": "dept_em"}, 403),
        ("office", {"role": "office", "organization": "committee"}, 403),
    ],
)
def test_office_creates_enterprise_officers_of_its_area_only(world, api, who, extra, status):
    if "organization" in extra:
        extra["organization"] = getattr(world, extra["organization"]).pk
    r = api(getattr(world, who)).post(USERS, new_user(world, **extra))
    assert r.status_code == status, r.content
    assert User.objects.filter(username="zhang.san").exists() == (status == 201)


def test_user_scope_per_role(world, api):
    w = world
    dalian_staff = set(
        User.objects.filter(organization__region__code__startswith="2102").values_list("pk", flat=True)
    )
    assert ids(api(w.admin).get(USERS, limit=200)) == set(User.objects.values_list("pk", flat=True))
    assert ids(api(w.office).get(USERS)) == dalian_staff
    assert ids(api(w.leader).get(USERS)) == dalian_staff
    assert ids(api(w.office_gjz).get(USERS)) == {w.office_gjz.pk, w.officer_b.pk}
    assert ids(api(w.inspector).get(USERS)) == {w.inspector.pk}
    assert ids(api(w.officer_a).get(USERS)) == {w.officer_a.pk}
    assert ids(api(w.outsider).get(USERS)) == {w.outsider.pk, w.officer_h.pk}
    assert ids(api(w.office).get(USERS, role="enterprise_officer")) == {
        w.officer_a.pk,
        w.officer_b.pk,
        w.officer_c.pk,
    }


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("outsider", "officer_a"),
        ("office", "officer_h"),
        ("office", "admin"),
        ("officer_a", "officer_b"),
        ("inspector", "officer_a"),
        ("office_gjz", "officer_a"),
    ],
)
def test_user_out_of_scope_is_404(world, api, who, target):
    assert api(getattr(world, who)).get(f"{USERS}/{getattr(world, target).pk}").status_code == 404


def test_users_me(world, api):
    r = api(world.inspector).get(f"{USERS}/me")
    assert r.json()["username"] == "inspector"
    assert r.json()["role"] == "inspector"


def test_createsuperuser_noinput_gives_admin_role(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Long-enough-secret-9")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.org")
    call_command("createsuperuser", interactive=False, verbosity=0)
    user = User.objects.get(username="root")
    assert user.role == Role.ADMIN
    assert user.is_superuser and user.organization is None
    assert user.check_password("Long-enough-secret-9")


def test_overlong_name_is_422_in_the_api_and_the_service(world, api):
    from worksafe.core.errors import Invalid
    from worksafe.orgs.services import organization_create

    r = api(world.admin).post(ORGS, {"kind": "government", "name": "政" * 201, "region": "210200"})
    assert r.status_code == 422
    assert "name" in r.json()["errors"]
    with pytest.raises(Invalid) as exc:
        organization_create(actor=world.admin, kind="government", name="政" * 201, region="210200")
    assert "name" in exc.value.errors
