"""The account writes the pages gained, through the API: edits, resets, region renames."""

import pytest

from worksafe.audit.models import Event
from worksafe.orgs.models import ApiToken, Organization, User
from worksafe.regions.models import Region


def test_office_patches_its_enterprise_with_version(world, api):
    url = f"/api/v1/organizations/{world.enterprise_a.pk}"
    r = api(world.office).patch(url, {"version": 1, "address": "中山区人民路 1 号", "staff_count": 120})
    assert r.status_code == 200, r.content
    assert (r.json()["address"], r.json()["version"]) == ("中山区人民路 1 号", 2)
    stale = api(world.office).patch(url, {"version": 1, "address": "旧地址"})
    assert stale.status_code == 409
    assert Organization.objects.get(pk=world.enterprise_a.pk).address == "中山区人民路 1 号"
    event = Event.objects.get(subject_type="organization", action="update")
    assert event.data["changed"]["staff_count"] == [None, 120]


@pytest.mark.parametrize(
    ("who", "org", "status"),
    [
        ("office", "dept_em", 403),
        ("office_gjz", "enterprise_a", 404),
        ("leader", "enterprise_a", 403),
        ("inspector", "enterprise_a", 403),
        ("officer_a", "enterprise_a", 403),
    ],
)
def test_organization_patch_refused(world, api, who, org, status):
    target = getattr(world, org)
    r = api(getattr(world, who)).patch(f"/api/v1/organizations/{target.pk}", {"version": 1, "name": "改名"})
    assert r.status_code == status
    assert Organization.objects.get(pk=target.pk).name == target.name


def test_office_cannot_move_its_enterprise_out_of_its_area(world, api):
    r = api(world.office_gjz).patch(
        f"/api/v1/organizations/{world.enterprise_b.pk}", {"version": 1, "region": "230100"}
    )
    assert r.status_code == 403
    assert Organization.objects.get(pk=world.enterprise_b.pk).region_id == "210211"


def test_bad_patch_names_the_field(world, api):
    r = api(world.admin).patch(f"/api/v1/organizations/{world.enterprise_a.pk}", {"version": 1, "uscc": "X"})
    assert r.status_code == 422 and "uscc" in r.json()["errors"]
    assert Organization.objects.get(pk=world.enterprise_a.pk).version == 1


def test_user_patch_and_scope(world, api):
    r = api(world.office).patch(
        f"/api/v1/users/{world.officer_a.pk}", {"name": "刘安全员", "is_active": False}
    )
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert api(world.office).patch(f"/api/v1/users/{world.officer_h.pk}", {"name": "x"}).status_code == 404
    assert api(world.office).patch(f"/api/v1/users/{world.inspector.pk}", {"name": "x"}).status_code == 403
    r = api(world.admin).patch(f"/api/v1/users/{world.officer_b.pk}", {"role": "inspector"})
    assert r.status_code == 422 and "role" in r.json()["errors"]
    assert User.objects.get(pk=world.officer_b.pk).role == "enterprise_officer"


def test_promoting_to_admin_opens_the_admin_site(world, api):
    r = api(world.admin).patch(f"/api/v1/users/{world.expert.pk}", {"role": "admin"})
    assert r.status_code == 200
    person = User.objects.get(pk=world.expert.pk)
    assert person.is_staff and person.is_superuser


def test_reset_password_through_the_api(world, api):
    client = api(world.officer_a)  # holds a live token
    r = api(world.admin).post(f"/api/v1/users/{world.officer_a.pk}/reset-password")
    assert r.status_code == 200
    temporary = r.json()["temporary_password"]
    person = User.objects.get(pk=world.officer_a.pk)
    assert person.check_password(temporary) and person.must_change_password
    assert not ApiToken.objects.filter(user=person, revoked_at__isnull=True).exists()
    assert client.get("/api/v1/users/me").status_code == 401
    assert api(world.officer_b).post(f"/api/v1/users/{world.officer_a.pk}/reset-password").status_code == 403


def test_region_rename_through_the_api(world, api):
    r = api(world.admin).patch("/api/v1/regions/210211", {"name": "甘井子区（新）"})
    assert r.status_code == 200 and r.json()["name"] == "甘井子区（新）"
    assert api(world.office).patch("/api/v1/regions/210211", {"name": "x"}).status_code == 403
    assert api(world.admin).patch("/api/v1/regions/219999", {"name": "x"}).status_code == 404
    assert api(world.admin).patch("/api/v1/regions/210211", {"name": " "}).status_code == 422
    assert Region.objects.get(code="210211").name == "甘井子区（新）"
